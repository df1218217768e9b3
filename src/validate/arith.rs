//! The arithmetic the press relies on, over the whole model: each source's
//! declared totals equal the recomputed ones (E010, or W105 when the source
//! is known to be wrong), and a limited measure stays within rate × its
//! group's base (E011).

use super::context::k;
use super::context::{at, fmt, Lookup};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::rules::{parse_rate, ratio_half_up};
use crate::model::{MeasureValue, Site};
use crate::yaml::Seg;

/// E010: each source's declared totals equal the recomputed sums.
///
/// The help line first names what could explain a difference — files not
/// read, gaps in the source's row numbers, programmes that do not give the
/// measure — and proposes accepting the difference as the source's own
/// error only when there is nothing of the kind.
pub(super) fn declared_totals(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    let unread: Vec<String> = diags
        .iter()
        .filter(|d| d.code == Code::W107)
        .map(|d| d.file.clone())
        .collect();
    for (si, src) in site.sources.iter().enumerate() {
        let mut set = site.by_source[si].clone();
        set.sort();
        let gaps = number_gaps(site, &set);
        for (key, &declared) in &src.declared_totals {
            let Some(mi) = site.measure_index(key) else {
                continue;
            };
            let recomputed = site.total(&set, mi).recomputed();
            if recomputed == u128::from(declared) {
                continue;
            }
            let m = &site.measures[mi];
            let without: Vec<&str> = set
                .iter()
                .filter(|&&p| site.programmes[p].measures[mi] == MeasureValue::Missing)
                .map(|&p| site.programmes[p].id.as_str())
                .collect();
            let diff = recomputed as i128 - i128::from(declared);
            let accepted = src.accept_total_differences;
            let mut msg = format!(
                "source `{}`: {} recomputed from {} programmes is {}{u}, but the source declares {}{u} (difference {}{}{u})",
                src.id, m.label, set.len(), fmt(recomputed), fmt(u128::from(declared)), if diff > 0 { "+" } else { "-" }, fmt(diff.unsigned_abs()), u = m.unit);
            if !without.is_empty() {
                msg.push_str(&format!("; {} of them give no {}", without.len(), m.label));
            }
            let d = at(
                lookup,
                "_sources.yaml",
                &[Seg::Index(si), k("declared_totals"), k(key)],
                if accepted { Code::W105 } else { Code::E010 },
                msg,
            );
            let mut causes = Vec::new();
            if !unread.is_empty() {
                causes.push(format!(
                    "{} file(s) in the content folder were not read (W107: {})",
                    unread.len(),
                    sample(&unread.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>())
                ));
            }
            if !gaps.is_empty() {
                causes.push(format!(
                    "{} {} ({}) {} missing from this source's programmes",
                    if gaps.len() == 1 { "row" } else { "rows" },
                    sample(&gaps),
                    site.config.labels.number,
                    if gaps.len() == 1 { "is" } else { "are" },
                ));
            }
            if !without.is_empty() {
                causes.push(format!(
                    "{} is not given in {}",
                    m.label,
                    sample(&without.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                ));
            }
            diags.push(d.with_help(if accepted {
                "the source sets accept_total_differences: the site shows this difference".to_string()
            } else if causes.is_empty() {
                "check the programme figures against the source table; if the source's own 合計 is wrong, set `accept_total_differences: true` on the source to publish and show the difference".to_string()
            } else {
                format!(
                    "first look at what could explain it: {}. Check the programme figures against the source table",
                    causes.join("; ")
                )
            }));
        }
    }
}

/// The row numbers missing between the lowest and the highest number of a
/// source's programmes (a row left out of the import, a file deleted).
fn number_gaps(site: &Site, set: &[usize]) -> Vec<String> {
    let numbers: std::collections::BTreeSet<u32> = set
        .iter()
        .filter_map(|&p| site.programmes[p].number)
        .collect();
    let (Some(&lo), Some(&hi)) = (numbers.first(), numbers.last()) else {
        return Vec::new();
    };
    (lo..=hi)
        .filter(|n| !numbers.contains(n))
        .take(1000)
        .map(|n| n.to_string())
        .collect()
}

/// The first few items of a list, then how many more.
fn sample(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s: Vec<String> = items.iter().take(SHOWN).cloned().collect();
    if items.len() > SHOWN {
        s.push(format!("and {} more", items.len() - SHOWN));
    }
    s.join(", ")
}

/// E011: a limited measure ≤ rate × the cost of its group.
pub(super) fn ratios(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    for rule in &site.config.rules {
        let (Some(mi), Some(of), Some(di)) = (
            site.measure_index(&rule.measure),
            site.measure_index(&rule.of),
            site.dim_index(&rule.rate_from),
        ) else {
            continue;
        };
        for pi in 0..site.programmes.len() {
            if let Some(d) = over_rate(site, lookup, pi, mi, of, di) {
                diags.push(d);
            }
        }
    }
}

/// Programme `pi`'s measure `mi` (its own, or its group's when it carries
/// a shared amount) against the rate of its value of dimension `di` × the
/// group's `of`: the E011 it breaks, if any.
fn over_rate(
    site: &Site,
    lookup: &Lookup,
    pi: usize,
    mi: usize,
    of: usize,
    di: usize,
) -> Option<Diagnostic> {
    let p = &site.programmes[pi];
    let (amount, members) = match &p.measures[mi] {
        MeasureValue::Own(a) => (*a, vec![pi]),
        MeasureValue::Lead { amount, covers } => {
            let mut v = vec![pi];
            v.extend(covers);
            (*amount, v)
        }
        _ => return None,
    };
    let e = &site.dims[di].entries[*p.dims[di].first()?];
    let rate = e.rate.as_deref().unwrap_or("");
    let (num, den) = parse_rate(rate)?;
    let cost: u128 = members
        .iter()
        .filter_map(|&q| site.programmes[q].measures[of].own())
        .map(u128::from)
        .sum();
    let limit = ratio_half_up(cost, num, den);
    if u128::from(amount) <= limit {
        return None;
    }
    let (m, o) = (&site.measures[mi], &site.measures[of]);
    let mut path: Vec<Seg> = m.file_path().split('.').map(k).collect();
    if members.len() > 1 {
        path.push(k("amount"));
    }
    let ids = |list: &[usize]| {
        list.iter()
            .map(|&q| site.programmes[q].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Over the limit while a member gives no figure of `of`: the figure is
    // missing, not 0 — say so instead of "× 0".
    let missing: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&q| site.programmes[q].measures[of] == MeasureValue::Missing)
        .collect();
    let amount = fmt(u128::from(amount));
    if !missing.is_empty() {
        let whose = if members.len() > 1 {
            ids(&missing)
        } else {
            "this programme".to_string()
        };
        let d =
            at(
                lookup,
                &p.file,
                &path,
                Code::E011,
                format!(
            "{} {amount}{u} cannot be checked against {rate} × {}: {} is missing in {whose}",
            m.label, o.label, o.label, u = m.unit),
            );
        return Some(d.with_help(format!(
            "give {} (`{}`), or `~` if it does not apply; {} ({}) allows at most {rate} × {}",
            o.label,
            o.file_path(),
            e.name,
            site.dims[di].decl.label,
            o.label
        )));
    }
    let who = if members.len() > 1 {
        format!(
            "the group of {} programmes ({})",
            members.len(),
            ids(&members)
        )
    } else {
        "this programme".to_string()
    };
    let d =
        at(
            lookup,
            &p.file,
            &path,
            Code::E011,
            format!(
        "{} {amount}{u} exceeds {rate} × {} of {who}: {rate} × {} = {}{u} (rounded half up)",
        m.label, o.label, fmt(cost), fmt(limit), u = m.unit),
        );
    Some(d.with_help(format!(
        "{} ({}) allows at most {}{}",
        e.name,
        site.dims[di].decl.label,
        fmt(limit),
        m.unit
    )))
}
