//! The registries pass: each dimension's values, from its registry file
//! (`_municipalities.yaml`…) or inline `values`, checked (slugs, unique
//! names, 全国地方公共団体コード check digits, rates), and a lookup by slug
//! and name.

use super::context::Ctx;
use super::context::{k, refused};
use crate::config::{Dimension, Entry, Registry, SiteConfig};
use crate::diag::Code;
use crate::load::Loaded;
use crate::model::rules::{is_valid_slug, parse_rate, valid_lg_code};
use crate::model::DimModel;
use crate::yaml::{self, Seg};
use std::collections::{BTreeSet, HashMap};

/// Every dimension with its values, and per dimension a lookup from a
/// value's slug or name to its index.
pub(super) fn load(
    cx: &mut Ctx,
    loaded: &Loaded,
    config: &SiteConfig,
) -> (Vec<DimModel>, Vec<HashMap<String, usize>>) {
    let dims: Vec<DimModel> = config
        .dimensions
        .iter()
        .enumerate()
        .map(|(di, decl)| DimModel {
            decl: decl.clone(),
            entries: load_entries(cx, loaded, decl, di),
            programmes: Vec::new(),
        })
        .collect();
    let lookups = dims
        .iter()
        .map(|d| {
            let mut m = HashMap::new();
            for (i, e) in d.entries.iter().enumerate() {
                m.insert(e.slug.clone(), i);
                m.insert(e.name.clone(), i);
            }
            m
        })
        .collect();
    (dims, lookups)
}

fn load_entries(cx: &mut Ctx, loaded: &Loaded, decl: &Dimension, di: usize) -> Vec<Entry> {
    let (entries, file, base): (Vec<Entry>, usize, Vec<Seg>) = match &decl.registry {
        Some(reg) => {
            let pos = loaded.registries.iter().position(|f| f.rel == *reg);
            let Some(pos) = pos else {
                if refused(loaded, reg) {
                    // The loader said why (too large, not UTF-8, a link…).
                    return Vec::new();
                }
                cx.err(
                    Code::E005,
                    0,
                    &[k("dimensions"), Seg::Index(di), k("registry")],
                    format!("registry file `{reg}` not found in content/"),
                )
                .help = Some("registry files sit at the top of content/ and start with `_`".into());
                return Vec::new();
            };
            let fi = cx
                .files
                .iter()
                .position(|f| std::ptr::eq(*f, &loaded.registries[pos]))
                .unwrap_or(0);
            let text = &loaded.registries[pos].text;
            match yaml::parse(text).and_then(|v| yaml::deserialize::<Registry>(v, text)) {
                Ok(e) => (e, fi, vec![]),
                Err(e) => {
                    cx.yaml_err(fi, e);
                    return Vec::new();
                }
            }
        }
        None => (
            decl.values.clone(),
            0,
            vec![k("dimensions"), Seg::Index(di), k("values")],
        ),
    };
    check_entries(cx, decl, &entries, file, &base);
    entries
}

/// Each value's slug, name, code and rate (E003, E006, E007, E015).
fn check_entries(cx: &mut Ctx, decl: &Dimension, entries: &[Entry], file: usize, base: &[Seg]) {
    let mut slugs = BTreeSet::new();
    let mut names = BTreeSet::new();
    for (i, e) in entries.iter().enumerate() {
        if cx.full(file) {
            break;
        }
        let mut p = base.to_vec();
        p.push(Seg::Index(i));
        let at = |f: &str| {
            let mut q = p.clone();
            q.push(k(f));
            q
        };
        if !is_valid_slug(&e.slug) {
            cx.err(
                Code::E007,
                file,
                &at("slug"),
                format!(
                    "slug `{}` must be lowercase letters, digits and hyphens",
                    e.slug
                ),
            );
        }
        if !slugs.insert(e.slug.clone()) {
            cx.err(
                Code::E006,
                file,
                &at("slug"),
                format!("duplicate slug `{}` in {}", e.slug, decl.label),
            );
        }
        if !names.insert(e.name.clone()) {
            cx.err(
                Code::E006,
                file,
                &at("name"),
                format!("duplicate name `{}` in {}", e.name, decl.label),
            );
        }
        if decl.local_government_codes {
            match &e.code {
                Some(c) if valid_lg_code(c) => {}
                Some(c) => {
                    cx.err(Code::E015, file, &at("code"), format!("`{c}` is not a 6-digit 全国地方公共団体コード with a valid check digit"));
                }
                None => {
                    cx.err(
                        Code::E003,
                        file,
                        &p,
                        format!("{} `{}` has no `code`", decl.label, e.name),
                    );
                }
            }
        }
        if let Some(r) = &e.rate {
            if parse_rate(r).is_none() {
                cx.err(
                    Code::E015,
                    file,
                    &at("rate"),
                    format!("rate `{r}` is not a fraction such as 1/2 or 10/10"),
                );
            }
        }
    }
}
