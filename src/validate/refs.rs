//! The references pass: each programme's source (E005, E012 for a fiscal
//! year that differs), dimension values (E005 with a did-you-mean, E008 for
//! a value listed twice) and `continues` (E005, E009) resolved to indices.

use super::context::k;
use super::context::Ctx;
use super::raw::RawProgramme;
use crate::config::{Dimension, SiteConfig, Source};
use crate::diag::chars::differs;
use crate::diag::{did_you_mean, Code};
use crate::model::{DimModel, MeasureValue, Programme};
use crate::yaml::Seg;
use std::collections::HashMap;
use std::sync::Arc;

/// The path of the `i`-th value of a dimension in a programme file.
pub(super) fn ref_path(decl: &Dimension, i: usize) -> Vec<Seg> {
    if decl.multiple {
        vec![k(&decl.key), Seg::Index(i)]
    } else {
        vec![k(&decl.key)]
    }
}

/// The programmes with their references resolved (measures still
/// missing: the groups pass fills them).
pub(super) fn resolve(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    id_index: &HashMap<String, usize>,
    config: &SiteConfig,
    sources: &[Source],
    dims: &[DimModel],
    lookups: &[HashMap<String, usize>],
) -> Vec<Programme> {
    let source_index: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut programmes: Vec<Programme> = raws
        .iter()
        .map(|r| Programme {
            id: r.id.clone(),
            file: cx.files[r.file].rel.clone(),
            fiscal_year: r.fiscal_year.unwrap_or(0),
            source: resolve_source(cx, r, sources, &source_index),
            number: r.number,
            page: r.page,
            name: r.name.clone().unwrap_or_default(),
            part: r.part.clone(),
            summary: r.summary.clone(),
            implementer: r.implementer.clone(),
            start: r.start,
            continues: None,
            aliases: r.aliases.clone(),
            notes: r.notes.clone(),
            dims: resolve_dims(cx, r, dims, lookups),
            measures: vec![MeasureValue::Missing; config.measures.len()],
            series: 0,
        })
        .collect();
    resolve_continues(cx, raws, id_index, &mut programmes);
    programmes
}

/// A programme's source index (`usize::MAX` when unknown: reported).
fn resolve_source(
    cx: &mut Ctx,
    r: &RawProgramme,
    sources: &[Source],
    source_index: &HashMap<&str, usize>,
) -> usize {
    let Some(s) = &r.source else {
        return usize::MAX;
    };
    match source_index.get(s.as_str()) {
        Some(&i) => {
            if let Some(fy) = r.fiscal_year {
                if sources[i].fiscal_year != fy {
                    cx.err(
                        Code::E012,
                        r.file,
                        &[k("fiscal_year")],
                        format!(
                            "fiscal_year {fy} differs from source `{s}`'s fiscal year {}",
                            sources[i].fiscal_year
                        ),
                    );
                }
            }
            i
        }
        None => {
            let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
            let sugg = did_you_mean(s, ids.iter().copied());
            let d = cx.err(
                Code::E005,
                r.file,
                &[k("source")],
                format!("unknown source `{s}`"),
            );
            d.help = Some(match sugg {
                Some(x) => format!("did you mean `{x}`?{}", differs(s, x)),
                None => format!("sources are declared in _sources.yaml: {}", ids.join(", ")),
            });
            usize::MAX
        }
    }
}

/// A programme's dimension values, per dimension, as entry indices.
fn resolve_dims(
    cx: &mut Ctx,
    r: &RawProgramme,
    dims: &[DimModel],
    lookups: &[HashMap<String, usize>],
) -> Vec<Vec<usize>> {
    let mut pdims: Vec<Vec<usize>> = Vec::new();
    for (di, refs) in r.dims.iter().enumerate() {
        let mut v = Vec::new();
        for (ri, name) in refs.iter().enumerate() {
            if cx.full(r.file) {
                break;
            }
            match lookups[di].get(name) {
                Some(&e) if v.contains(&e) => {
                    cx.err(
                        Code::E008,
                        r.file,
                        &ref_path(&dims[di].decl, ri),
                        format!("`{name}` is listed twice"),
                    );
                }
                Some(&e) => v.push(e),
                None => {
                    let decl = &dims[di].decl;
                    let cands: Vec<&str> = dims[di]
                        .entries
                        .iter()
                        .flat_map(|e| [e.name.as_str(), e.slug.as_str()])
                        .collect();
                    let sugg = did_you_mean(name, cands.iter().copied());
                    let where_ = decl.registry.clone().unwrap_or_else(|| "_site.yaml".into());
                    let d = cx.err(
                        Code::E005,
                        r.file,
                        &ref_path(decl, ri),
                        format!("unknown {} `{name}`", decl.label),
                    );
                    d.help = Some(match sugg {
                        Some(x) => format!("did you mean {x}?{}", differs(name, x)),
                        None => format!("add it to {where_}, or correct the spelling"),
                    });
                }
            }
        }
        pdims.push(v);
    }
    pdims
}

/// `continues`: the row above of a programme whose 事業名 was empty.
fn resolve_continues(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    id_index: &HashMap<String, usize>,
    programmes: &mut [Programme],
) {
    // continues
    for (pi, r) in raws.iter().enumerate() {
        if let Some(c) = &r.continues {
            match id_index.get(c) {
                Some(&t) if t != pi => programmes[pi].continues = Some(t),
                Some(_) => {
                    cx.err(
                        Code::E009,
                        r.file,
                        &[k("continues")],
                        "a programme cannot continue itself",
                    );
                }
                None => {
                    let sugg = did_you_mean(c, raws.iter().map(|r| r.id.as_str()));
                    let d = cx.err(
                        Code::E005,
                        r.file,
                        &[k("continues")],
                        format!("`continues` names unknown programme `{c}`"),
                    );
                    if let Some(s) = sugg {
                        d.help = Some(format!("did you mean `{s}`?{}", differs(c, s)));
                    }
                }
            }
        }
    }
}
