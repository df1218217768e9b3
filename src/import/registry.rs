//! Registry values a mapping adds (`new_values: add`): each new value of a
//! dimension gets a slug from its template and is appended to the
//! dimension's registry file (created if missing), in order of first
//! appearance or, with `order` (a template over the row, `{施策分野№}`), in
//! ascending order of that key. Existing entries are never rewritten.

use super::cell::squash;
use super::declared::DimInfo;
use super::emit;
use super::mapping::FieldMap;
use super::problem::{FileStatus, Problem};
use super::template::{fill, parse_template};
use crate::diag::Code;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// New values per dimension key.
pub type AddedValues = BTreeMap<String, Added>;

/// Values to append to a registry file.
#[derive(Debug, Clone)]
pub struct Added {
    /// The dimension's key.
    pub key: String,
    /// Its label.
    pub label: String,
    /// The registry file (relative to the content folder).
    pub registry: String,
    /// (slug, name) in order of first appearance.
    pub entries: Vec<(String, String)>,
    /// Each entry's `order` key (empty without `order`).
    keys: Vec<String>,
    /// Squashed name → index in `entries`; slugs taken.
    seen: std::collections::HashMap<String, usize>,
    slugs: std::collections::HashSet<String>,
}

impl Added {
    /// The entries in the order they are written: by their `order` key,
    /// ascending (as numbers when every key is one), else as first seen.
    fn in_order(&self) -> Vec<&(String, String)> {
        let mut idx: Vec<usize> = (0..self.entries.len()).collect();
        let numbers: Option<Vec<u64>> = self.keys.iter().map(|k| k.trim().parse().ok()).collect();
        match numbers {
            Some(n) if !self.keys.iter().all(String::is_empty) => idx.sort_by_key(|&i| n[i]),
            _ if self.keys.iter().any(|k| !k.is_empty()) => {
                idx.sort_by(|&a, &b| self.keys[a].cmp(&self.keys[b]))
            }
            _ => {}
        }
        idx.into_iter().map(|i| &self.entries[i]).collect()
    }
}

/// Looks up or adds a new value of dimension `d`; returns how it is written.
pub fn add_value(
    d: &DimInfo,
    f: &FieldMap,
    name: &str,
    base: &dyn Fn(&str) -> Option<String>,
    added: &mut BTreeMap<String, Added>,
) -> Result<String, String> {
    let a = added.entry(d.decl.key.clone()).or_insert_with(|| Added {
        key: d.decl.key.clone(),
        label: d.decl.label.clone(),
        registry: d.decl.registry.clone().unwrap_or_default(),
        entries: Vec::new(),
        keys: Vec::new(),
        seen: Default::default(),
        slugs: d.entries.iter().map(|e| e.slug.clone()).collect(),
    });
    let as_written = |slug: &str, name: &str| {
        if d.decl.multiple {
            slug.to_string()
        } else {
            name.to_string()
        }
    };
    let key = squash(name);
    if let Some(&i) = a.seen.get(&key) {
        let (slug, n) = &a.entries[i];
        return Ok(as_written(slug, n));
    }
    let n = d.entries.len() + a.entries.len() + 1;
    let pieces = parse_template(f.slug.as_deref().unwrap_or("{n}")).map_err(|e| e.to_string())?;
    let slug = fill(&pieces, &|v: &str| match v {
        "n" => Some(n.to_string()),
        "value" => Some(name.to_string()),
        other => base(other),
    })?;
    if !crate::model::rules::is_valid_slug(&slug) {
        return Err(format!("its slug 「{slug}」 is not lowercase ASCII letters, digits and single hyphens; change `slug` of `{}`", f.target));
    }
    if a.slugs.contains(&slug) {
        return Err(format!("its slug `{slug}` is already taken; make `slug` of `{}` unique (e.g. \"{{n}}\" or \"{{value:hash}}\")", f.target));
    }
    let order = match &f.order {
        Some(t) => {
            let pieces = parse_template(t).map_err(|e| e.to_string())?;
            fill(&pieces, &|v: &str| match v {
                "n" => Some(n.to_string()),
                "value" => Some(name.to_string()),
                other => base(other),
            })?
        }
        None => String::new(),
    };
    a.seen.insert(key, a.entries.len());
    a.slugs.insert(slug.clone());
    a.entries.push((slug.clone(), name.to_string()));
    a.keys.push(order);
    Ok(as_written(&slug, name))
}

/// A registry file to write: its path, new text, how many values it gets,
/// and whether it is new.
pub struct RegistryOutput {
    /// The file.
    pub path: PathBuf,
    /// Its whole new text.
    pub text: String,
    /// Values added.
    pub added: usize,
    /// Created or changed.
    pub status: FileStatus,
}

/// The registry files that get new values: the existing text (a block
/// list) with the new entries appended, or a new file with a header
/// comment naming `table_name`.
pub fn outputs(
    added: &AddedValues,
    content: &Path,
    table_name: &str,
    problems: &mut Vec<Problem>,
) -> Vec<RegistryOutput> {
    let mut out = Vec::new();
    for a in added.values().filter(|a| !a.entries.is_empty()) {
        let path = content.join(&a.registry);
        let existing = std::fs::read_to_string(&path).ok();
        let mut text = match &existing {
            Some(t) => {
                let body: Vec<&str> = t
                    .lines()
                    .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
                    .collect();
                if body.last().is_some_and(|l| l.trim_end().ends_with(']')) {
                    problems.push(Problem::new(Code::E106, &path.display().to_string(), 0, 0, "cannot add values to a registry written as a flow list `[…]`", vec![
                        "write it as a block list (`- slug: …` lines), or add the values by hand".into(),
                    ]));
                    continue;
                }
                let mut t = t.clone();
                if !t.is_empty() && !t.ends_with('\n') {
                    t.push('\n');
                }
                t
            }
            None => format!("# {} ({}): values added by `mieruka import` from {table_name}.\n# Names, readings and descriptions may be edited; slugs are URLs: keep them.\n", a.label, a.key),
        };
        for (slug, name) in a.in_order() {
            text.push_str(&format!(
                "- slug: {}\n  name: {}\n",
                emit::scalar(slug),
                emit::scalar(name)
            ));
        }
        let status = if existing.is_some() {
            FileStatus::Changed
        } else {
            FileStatus::Created
        };
        out.push(RegistryOutput {
            path,
            text,
            added: a.entries.len(),
            status,
        });
    }
    out
}
