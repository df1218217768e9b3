//! The ids pass: programme ids (file stems) unique across the content
//! folder (E006), aliases valid and claimed once (E007, E014).

use super::context::k;
use super::context::Ctx;
use super::raw::RawProgramme;
use crate::diag::Code;
use crate::model::rules::is_valid_slug;
use crate::yaml::Seg;
use std::collections::HashMap;
use std::sync::Arc;

/// The programmes with unique ids (a duplicate is reported and dropped),
/// and each id's index among them.
pub(super) fn check(
    cx: &mut Ctx,
    raws: Vec<Arc<RawProgramme>>,
) -> (Vec<Arc<RawProgramme>>, HashMap<String, usize>) {
    let mut id_index: HashMap<String, usize> = HashMap::new();
    let mut keep: Vec<Arc<RawProgramme>> = Vec::new();
    for r in raws {
        if let Some(&other) = id_index.get(&r.id) {
            let other_file = cx.files[keep[other].file].display.clone();
            cx.err(
                Code::E006,
                r.file,
                &[],
                format!("duplicate programme id `{}` (also {})", r.id, other_file),
            )
            .help = Some("ids are file stems and must be unique across content/".into());
            continue;
        }
        id_index.insert(r.id.clone(), keep.len());
        keep.push(r);
    }
    check_aliases(cx, &keep, &id_index);
    (keep, id_index)
}

fn check_aliases(cx: &mut Ctx, raws: &[Arc<RawProgramme>], id_index: &HashMap<String, usize>) {
    let mut alias_owner: HashMap<String, usize> = HashMap::new();
    for (pi, r) in raws.iter().enumerate() {
        for (ai, a) in r.aliases.iter().enumerate() {
            if cx.full(r.file) {
                break;
            }
            let at = [k("aliases"), Seg::Index(ai)];
            if !is_valid_slug(a) {
                cx.err(
                    Code::E007,
                    r.file,
                    &at,
                    format!("alias `{a}` is not a valid id"),
                );
            } else if id_index.contains_key(a) {
                cx.err(
                    Code::E014,
                    r.file,
                    &at,
                    format!("alias `{a}` is the id of another programme"),
                );
            } else if let Some(&o) = alias_owner.get(a) {
                let of = cx.files[raws[o].file].display.clone();
                cx.err(
                    Code::E014,
                    r.file,
                    &at,
                    format!("alias `{a}` is also claimed by {of}"),
                );
            } else {
                alias_owner.insert(a.clone(), pi);
            }
        }
    }
}
