//! The groups pass: every measure's value, with shared groups (merged
//! cells) resolved and checked from both sides (E005, E009), and members of
//! a group agreeing on source and the dimensions marked
//! `same_within_group` (E012).

use super::context::k;
use super::context::Ctx;
use super::raw::{RawMeasure, RawProgramme};
use crate::config::{Measure, SiteConfig};
use crate::diag::chars::differs;
use crate::diag::{did_you_mean, Code};
use crate::model::{MeasureValue, Programme};
use crate::yaml::Seg;
use std::collections::HashMap;
use std::sync::Arc;

fn measure_path(m: &Measure) -> Vec<Seg> {
    m.file_path().split('.').map(k).collect()
}

/// Fills every programme's measures.
pub(super) fn resolve(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    id_index: &HashMap<String, usize>,
    config: &SiteConfig,
    programmes: &mut [Programme],
) {
    for (mi, m) in config.measures.iter().enumerate() {
        resolve_values(cx, raws, id_index, mi, m, programmes);
        check_agreement(cx, raws, config, mi, m, programmes);
    }
}

/// Measure `mi` of every programme: own figures, and shared groups checked
/// from both sides (`covers` and `covered_by` agree).
fn resolve_values(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    id_index: &HashMap<String, usize>,
    mi: usize,
    m: &Measure,
    programmes: &mut [Programme],
) {
    let mpath = measure_path(m);
    for (pi, r) in raws.iter().enumerate() {
        programmes[pi].measures[mi] = match &r.measures[mi] {
            RawMeasure::Missing => MeasureValue::Missing,
            RawMeasure::NotApplicable => MeasureValue::NotApplicable,
            RawMeasure::Own(v) => MeasureValue::Own(*v),
            RawMeasure::Lead(amount, covers) => {
                let mut idx = Vec::new();
                for (ci, c) in covers.iter().enumerate() {
                    if cx.full(r.file) {
                        break;
                    }
                    let mut p = mpath.clone();
                    p.extend([k("covers"), Seg::Index(ci)]);
                    match id_index.get(c) {
                        Some(&t) if t != pi => match &raws[t].measures[mi] {
                            RawMeasure::Member(l) if l == &r.id => idx.push(t),
                            _ => {
                                let tf = cx.files[raws[t].file].display.clone();
                                cx.err(Code::E009, r.file, &p, format!(
                                        "`{c}` is listed in `covers`, but its {} does not say `covered_by: {}`", m.key, r.id))
                                        .help = Some(format!("in {tf}, write `{}: {{covered_by: {}}}`", m.file_path(), r.id));
                            }
                        },
                        Some(_) => {
                            cx.err(Code::E009, r.file, &p, "a programme cannot cover itself");
                        }
                        None => {
                            let sugg = did_you_mean(c, raws.iter().map(|r| r.id.as_str()));
                            let d = cx.err(
                                Code::E005,
                                r.file,
                                &p,
                                format!("`covers` names unknown programme `{c}`"),
                            );
                            if let Some(s) = sugg {
                                d.help = Some(format!("did you mean `{s}`?{}", differs(c, s)));
                            }
                        }
                    }
                }
                idx.sort();
                idx.dedup();
                MeasureValue::Lead {
                    amount: *amount,
                    covers: idx,
                }
            }
            RawMeasure::Member(lead) => match id_index.get(lead) {
                Some(&t) if t != pi => {
                    let listed = matches!(&raws[t].measures[mi], RawMeasure::Lead(_, cov) if cov.contains(&r.id));
                    if !listed {
                        let mut p = mpath.clone();
                        p.push(k("covered_by"));
                        cx.err(Code::E009, r.file, &p, format!(
                            "covered by `{lead}`, but `{lead}`'s {} does not list `{}` in `covers`", m.key, r.id));
                    }
                    MeasureValue::Member { lead: t }
                }
                _ => {
                    let mut p = mpath.clone();
                    p.push(k("covered_by"));
                    let sugg = did_you_mean(lead, raws.iter().map(|r| r.id.as_str()));
                    let d = cx.err(
                        Code::E005,
                        r.file,
                        &p,
                        format!("`covered_by` names unknown programme `{lead}`"),
                    );
                    if let Some(s) = sugg {
                        d.help = Some(format!("did you mean `{s}`?{}", differs(lead, s)));
                    }
                    MeasureValue::Missing
                }
            },
        };
    }
}

/// Members of a group agree on source and the declared dimensions.
fn check_agreement(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    config: &SiteConfig,
    mi: usize,
    m: &Measure,
    programmes: &[Programme],
) {
    let consistent_dims: Vec<usize> = config
        .dimensions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.same_within_group)
        .map(|(i, _)| i)
        .collect();
    for pi in 0..programmes.len() {
        if let MeasureValue::Lead { covers, .. } = programmes[pi].measures[mi].clone() {
            for &c in &covers {
                let mut diffs = Vec::new();
                if programmes[c].source != programmes[pi].source {
                    diffs.push("source".to_string());
                }
                for &d in &consistent_dims {
                    if programmes[c].dims[d] != programmes[pi].dims[d] {
                        diffs.push(config.dimensions[d].key.clone());
                    }
                }
                if !diffs.is_empty() {
                    cx.err(Code::E012, raws[c].file, &[], format!(
                        "shares its {} with `{}` but differs in {}", m.key, programmes[pi].id, diffs.join(", ")))
                        .help = Some("members of a shared group must have the same source and the same values of dimensions marked same_within_group".into());
                }
            }
        }
    }
}
