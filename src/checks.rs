//! Checks over the whole model: the arithmetic the press relies on, and
//! plausibility warnings. Each rule has a stable code (docs/checks.md).
//!
//! Runs after references resolve, inside `validate`, so `build` and `check`
//! run the same rules.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{MeasureValue, Site};
use crate::render::markdown;
use crate::validate::{parse_rate, ratio_half_up};
use crate::yaml::{self, Seg};

/// The checks `check` reports as run, in order: (code, description).
pub const CHECKS: &[(&str, &str)] = &[
    ("E001", "YAML syntax"),
    ("E002", "field types"),
    ("E003", "required fields"),
    ("E004", "unknown fields"),
    ("E005", "references (sources, dimension values, programmes)"),
    ("E006", "unique ids, slugs and names"),
    ("E007", "id and file name rules"),
    ("E008", "values (dates, amounts, lengths)"),
    ("E009", "shared groups (covers / covered_by agree)"),
    (
        "E010",
        "recomputed totals equal each source's declared totals",
    ),
    (
        "E011",
        "shared or own amount within rate × cost (rounded half up)",
    ),
    ("E012", "group members share source and declared dimensions"),
    ("E013", "files readable (UTF-8, size, no links)"),
    ("E014", "aliases collide with nothing"),
    ("E015", "site config and registries"),
    (
        "E016",
        "text free of control characters and noncharacters (tab and line feed allowed)",
    ),
    ("W101", "figures fit the programme's category"),
    ("W102", "start date within the fiscal year"),
    ("W103", "summary within the source's length limit"),
    (
        "W104",
        "base_url set (for canonical URLs, sitemap.xml and the feed)",
    ),
    (
        "W105",
        "declared totals differ, accepted as an error of the source (shown on the site)",
    ),
    (
        "W106",
        "invisible characters in text (bidi controls, zero-width characters, variation selectors)",
    ),
];

type Lookup<'a> = dyn Fn(&str) -> Option<(String, String)> + 'a;

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

fn at(
    lookup: &Lookup,
    rel: &str,
    path: &[Seg],
    code: &'static str,
    warn: bool,
    msg: String,
) -> Diagnostic {
    let (display, text) = lookup(rel).unwrap_or_else(|| (rel.to_string(), String::new()));
    let (l, c) = yaml::locate(&text, path);
    let d = if warn {
        Diagnostic::warning(code, &display, l, c, msg)
    } else {
        Diagnostic::error(code, &display, l, c, msg)
    };
    d.with_source(&text)
}

/// Runs every whole-model rule.
pub fn run(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    declared_totals(site, diags, lookup);
    ratios(site, diags, lookup);
    plausibility(site, diags, lookup);
    if crate::render::data::base_url(site).is_none() {
        let msg = match &site.config.base_url {
            Some(b) => format!("base_url `{b}` is not an absolute http(s) URL: no sitemap.xml and no absolute canonical URLs are written"),
            None => "no base_url: sitemap.xml and absolute canonical URLs are not written (pages still link relatively and work in any folder)".to_string(),
        };
        // Named as the loader names the site file (under --content).
        let file = lookup("_site.yaml")
            .or_else(|| lookup("_site.yml"))
            .map_or_else(|| "_site.yaml".to_string(), |(d, _)| d);
        diags.push(Diagnostic::warning("W104", &file, 1, 1, msg).with_help(
            "add `base_url: https://…/` to _site.yaml once the site's public address is known",
        ));
    }
}

fn fmt(n: u128) -> String {
    crate::render::filters::group_digits(n)
}

/// E010: each source's declared totals equal the recomputed sums.
fn declared_totals(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    for (si, src) in site.sources.iter().enumerate() {
        let mut set = site.by_source[si].clone();
        set.sort();
        for (key, &declared) in &src.declared_totals {
            let Some(mi) = site.measure_index(key) else {
                continue;
            };
            let t = site.total(&set, mi);
            let mut recomputed = t.value;
            for g in &t.partial_groups {
                recomputed += u128::from(g.1);
            }
            if recomputed != u128::from(declared) {
                let m = &site.measures[mi];
                let diff = recomputed as i128 - i128::from(declared);
                let accepted = src.accept_total_differences;
                let d = at(lookup, "_sources.yaml", &[Seg::Index(si), k("declared_totals"), k(key)], if accepted { "W105" } else { "E010" }, accepted, format!(
                    "source `{}`: {} recomputed from {} programmes is {}{u}, but the source declares {}{u} (difference {}{diff}{u})",
                    src.id, m.label, set.len(), fmt(recomputed), fmt(u128::from(declared)), if diff > 0 { "+" } else { "" }, u = m.unit));
                diags.push(d.with_help(if accepted {
                    "the source sets accept_total_differences: the site shows this difference"
                } else {
                    "check the programme figures against the source table; if the source's own 合計 is wrong, set `accept_total_differences: true` on the source to publish and show the difference"
                }));
            }
        }
    }
}

/// E011: a limited measure ≤ rate × the cost of its group.
fn ratios(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    for rule in &site.config.rules {
        let (Some(mi), Some(of), Some(di)) = (
            site.measure_index(&rule.measure),
            site.measure_index(&rule.of),
            site.dim_index(&rule.rate_from),
        ) else {
            continue;
        };
        for (pi, p) in site.programmes.iter().enumerate() {
            let (amount, members) = match &p.measures[mi] {
                MeasureValue::Own(a) => (*a, vec![pi]),
                MeasureValue::Lead { amount, covers } => {
                    let mut v = vec![pi];
                    v.extend(covers);
                    (*amount, v)
                }
                _ => continue,
            };
            let Some(&entry) = p.dims[di].first() else {
                continue;
            };
            let e = &site.dims[di].entries[entry];
            let Some((num, den)) = e.rate.as_deref().and_then(parse_rate) else {
                continue;
            };
            let cost: u128 = members
                .iter()
                .filter_map(|&q| site.programmes[q].measures[of].own())
                .map(u128::from)
                .sum();
            let limit = ratio_half_up(cost, num, den);
            if u128::from(amount) > limit {
                let m = &site.measures[mi];
                let o = &site.measures[of];
                let who = if members.len() > 1 {
                    format!(
                        "the group of {} programmes ({})",
                        members.len(),
                        members
                            .iter()
                            .map(|&q| site.programmes[q].id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    "this programme".to_string()
                };
                let mut path: Vec<Seg> = m.file_path().split('.').map(k).collect();
                if members.len() > 1 {
                    path.push(k("amount"));
                }
                let d = at(
                    lookup,
                    &p.file,
                    &path,
                    "E011",
                    false,
                    format!(
                        "{} {}{u} exceeds {} × {} of {who}: {} × {} = {}{u} (rounded half up)",
                        m.label,
                        fmt(u128::from(amount)),
                        e.rate.as_deref().unwrap_or(""),
                        o.label,
                        e.rate.as_deref().unwrap_or(""),
                        fmt(cost),
                        fmt(limit),
                        u = m.unit
                    ),
                );
                diags.push(d.with_help(format!(
                    "{} ({}) allows at most {}{}",
                    e.name,
                    site.dims[di].decl.label,
                    fmt(limit),
                    m.unit
                )));
            }
        }
    }
}

/// W101–W103: plausibility warnings.
fn plausibility(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    for p in &site.programmes {
        // W101: figures for measures that do not apply to the category.
        for (di, dim) in site.dims.iter().enumerate() {
            for &e in &p.dims[di] {
                let entry = &dim.entries[e];
                if entry.applies.is_empty() {
                    continue;
                }
                for (mi, m) in site.measures.iter().enumerate() {
                    if entry.applies.iter().any(|a| a == &m.key) {
                        continue;
                    }
                    // Measures named by some entry's `applies` are category-bound.
                    if !dim
                        .entries
                        .iter()
                        .any(|x| x.applies.iter().any(|a| a == &m.key))
                    {
                        continue;
                    }
                    if let MeasureValue::Own(v) = p.measures[mi] {
                        let path: Vec<Seg> = m.file_path().split('.').map(k).collect();
                        diags.push(
                            at(
                                lookup,
                                &p.file,
                                &path,
                                "W101",
                                true,
                                format!(
                                    "{} {v}{} given, but {} programmes count {}",
                                    m.label,
                                    m.unit,
                                    entry.name,
                                    entry
                                        .applies
                                        .iter()
                                        .filter_map(|a| site.measures.iter().find(|x| &x.key == a))
                                        .map(|x| x.label.as_str())
                                        .collect::<Vec<_>>()
                                        .join("・")
                                ),
                            )
                            .with_help("write `~` if the figure does not apply (the source's '-')"),
                        );
                    }
                }
            }
        }
        // W102: start date outside the fiscal year (April–March).
        if let Some(s) = p.start {
            if s.fiscal_year() != p.fiscal_year {
                diags.push(at(
                    lookup,
                    &p.file,
                    &[k("start")],
                    "W102",
                    true,
                    format!(
                        "start {} is outside fiscal year {} ({}-04-01 to {}-03-31)",
                        s.iso(),
                        p.fiscal_year,
                        p.fiscal_year,
                        p.fiscal_year + 1
                    ),
                ));
            }
        }
        // W103: summary longer than the source's limit, counted on rendered text.
        if let Some(max) = site.config.summary_max_chars {
            let n = markdown::plain_text(&p.summary)
                .chars()
                .filter(|c| !c.is_whitespace())
                .count();
            if n > max {
                diags.push(at(
                    lookup,
                    &p.file,
                    &[k("summary")],
                    "W103",
                    true,
                    format!("summary is {n} characters of text; the source limits it to {max}"),
                ));
            }
        }
    }
}
