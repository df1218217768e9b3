//! Plausibility warnings over the whole model: figures that do not apply to
//! a programme's category (W101), a start outside the fiscal year (W102), a
//! summary over the source's own limit (W103).

use super::context::k;
use super::context::{at, Lookup};
use crate::diag::{Code, Diagnostics};
use crate::markdown;
use crate::model::{MeasureValue, Site};
use crate::yaml::Seg;

/// W101–W103: plausibility warnings.
pub(super) fn plausibility(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
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
                                Code::W101,
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
                    Code::W102,
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
                    Code::W103,
                    format!("summary is {n} characters of text; the source limits it to {max}"),
                ));
            }
        }
    }
}
