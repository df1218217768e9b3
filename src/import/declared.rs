//! The declared data model the rows are read against: `_site.yaml`'s
//! dimensions with their values (registry or inline), indexed for lookups,
//! and `_sources.yaml` for positions.

use super::cell::squash;
use crate::config::{Dimension, Entry, SiteConfig};

/// A dimension and its values.
#[derive(Debug, Clone)]
pub struct DimInfo {
    /// The declaration.
    pub decl: Dimension,
    /// Its values (registry or inline).
    pub entries: Vec<Entry>,
    /// Where the values are listed, for messages (`_municipalities.yaml`).
    pub where_: String,
    /// Squashed name or slug → entry; squashed body → entry (first wins).
    index: std::collections::HashMap<String, usize>,
    bodies: std::collections::HashMap<String, usize>,
}

impl DimInfo {
    /// A dimension with its values, indexed for lookups.
    pub fn new(decl: Dimension, entries: Vec<Entry>, where_: String) -> Self {
        let mut index = std::collections::HashMap::new();
        let mut bodies = std::collections::HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            index.entry(squash(&e.name)).or_insert(i);
            index.entry(e.slug.clone()).or_insert(i);
            for b in &e.bodies {
                bodies.entry(squash(b)).or_insert(i);
            }
        }
        DimInfo {
            decl,
            entries,
            where_,
            index,
            bodies,
        }
    }
}

/// The declared model the rows are read against.
pub struct Model<'a> {
    /// `_site.yaml`.
    pub config: &'a SiteConfig,
    /// Dimensions, in declaration order.
    pub dims: Vec<DimInfo>,
    /// Display path of `_sources.yaml`, and its text (for positions).
    pub sources_file: (String, String),
}

impl Model<'_> {
    /// A dimension by key.
    pub fn dim(&self, key: &str) -> Option<&DimInfo> {
        self.dims.iter().find(|d| d.decl.key == key)
    }
}

/// A cell's value looked up in a dimension.
pub enum Resolved<'e> {
    /// A value's name or slug.
    Entry(&'e Entry),
    /// A body listed under a value's `bodies`.
    Body(&'e Entry),
    /// Neither.
    Unknown,
}

/// Looks a cell's text up (after NFKC, without spaces).
pub fn resolve<'e>(d: &'e DimInfo, text: &str) -> Resolved<'e> {
    let t = squash(text);
    if let Some(&i) = d.index.get(&t) {
        return Resolved::Entry(&d.entries[i]);
    }
    if let Some(&i) = d.bodies.get(&t) {
        return Resolved::Body(&d.entries[i]);
    }
    Resolved::Unknown
}

/// The values of a dimension cell: for a dimension with several values whose
/// cell (`whole`, cleaned) is not itself one value, the parts of `text`
/// between line breaks, 、 , ，; ；; else the cell as one value.
pub fn value_parts(d: &DimInfo, whole: &str, text: &str) -> Vec<String> {
    if d.decl.multiple && matches!(resolve(d, whole), Resolved::Unknown) {
        text.split(['\n', '、', ',', '，', ';', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        vec![whole.to_string()]
    }
}

/// How a resolved entry is written: single-valued registry dimensions by
/// name (世田谷区), the others by slug.
pub fn written(d: &DimInfo, e: &Entry) -> String {
    if d.decl.registry.is_some() && !d.decl.multiple {
        e.name.clone()
    } else {
        e.slug.clone()
    }
}

/// Candidates for a did-you-mean: the names of the values and their bodies.
pub fn candidates(d: &DimInfo) -> Vec<&str> {
    d.entries
        .iter()
        .flat_map(|e| std::iter::once(e.name.as_str()).chain(e.bodies.iter().map(String::as_str)))
        .collect()
}

/// The index of source `id` in `_sources.yaml` (for positions).
pub fn source_index(text: &str, id: &str) -> usize {
    crate::yaml::parse(text)
        .ok()
        .and_then(|v| {
            v.as_sequence().and_then(|s| {
                s.iter()
                    .position(|x| x.get("id").and_then(|i| i.as_str()) == Some(id))
            })
        })
        .unwrap_or(0)
}
