//! The index files, each handed to the caller's `emit` as soon as it is
//! made: the version they all carry, the buckets with the frequent keys'
//! own files (`k/`, `p/`, `q/`), the documents (`d/`), the facets (`f/`)
//! and `meta.js`. The order in which they are made is not the output's:
//! the caller sorts or writes them by path.

use super::doc;
use super::facet::{self, Facet, FacetTable};
use super::hash::hash64;
use super::invert::Compact;
use super::layout::{
    bucket_of, own_data, script_json, script_str, small_data, BUCKET_TARGET, CHUNK, COUNTS_MIN_DF,
    DOC_DIR, FORMAT, OWN_FILE,
};
use super::{fold, token};
use crate::model::Site;
use crate::output::OutputFile;
use crate::urls::SEARCH_INDEX;
use anyhow::Result;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where the files go: called from several threads, in no particular order.
pub(super) type Emit<'e> = dyn Fn(OutputFile) -> Result<()> + Sync + 'e;

/// The documents' folded texts (with where their title fields end), and
/// the index version: a hash of everything the files are made from (the
/// index format, each programme's folded text, result payload and facet
/// values, and `meta0`, the meta without the index's own figures). Per run
/// of DOC_DIR programmes a hash (in parallel), then those hashes in order.
pub(super) fn texts_and_version(
    site: &Site,
    facets: &[Facet],
    meta0: &str,
) -> (Vec<(String, u32)>, String) {
    let n = site.programmes.len();
    let (texts, hashes): (Vec<Vec<(String, u32)>>, Vec<u64>) = (0..n.div_ceil(DOC_DIR))
        .into_par_iter()
        .map(|c| run_of_texts(site, facets, c))
        .unzip();
    let texts = texts.into_iter().flatten().collect();
    (texts, version(meta0, hashes))
}

/// The texts of the programmes of run `c` (DOC_DIR of them) and the hash
/// of what their files are made from.
fn run_of_texts(site: &Site, facets: &[Facet], c: usize) -> (Vec<(String, u32)>, u64) {
    let n = site.programmes.len();
    let mut h: u64 = 0;
    let mut texts = Vec::with_capacity(DOC_DIR);
    for p in c * DOC_DIR..((c + 1) * DOC_DIR).min(n) {
        let (text, payload) = doc::text_and_payload(site, p);
        let fv = facet::value_bytes(facets, p);
        h = hash64(
            h,
            &[
                text.0.as_bytes(),
                &text.1.to_le_bytes(),
                payload.as_bytes(),
                &fv,
            ],
        );
        texts.push(text);
    }
    (texts, h)
}

/// The version from the meta and the runs' hashes, in order.
fn version(meta0: &str, runs: Vec<u64>) -> String {
    let mut h = hash64(
        0,
        &[
            &FORMAT.to_le_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes(),
            meta0.as_bytes(),
        ],
    );
    for c in runs {
        h = hash64(h, &[&c.to_le_bytes()]);
    }
    format!("{h:016x}")
}

/// Makes the files of one index version.
pub(super) struct Files<'e> {
    version: String,
    emit: &'e Emit<'e>,
}

impl<'e> Files<'e> {
    pub(super) fn new(version: String, emit: &'e Emit<'e>) -> Self {
        Files { version, emit }
    }

    /// Emits the file at `path`: a call of `mierukaSearch.<f>` with the
    /// version and `payload`.
    fn file(&self, path: String, f: &str, payload: &str) -> Result<()> {
        let version = &self.version;
        (self.emit)(OutputFile::new(
            path,
            format!("mierukaSearch.{f}(\"{version}\",{payload});\n"),
        ))
    }

    /// The buckets (`k/`) and the own files of frequent keys (`p/`, `q/`);
    /// returns the number of buckets. Small keys are written into their
    /// bucket; a key with a long list or in many documents gets files of
    /// its own.
    pub(super) fn write_keys(&self, idx: &Compact, facets: &[Facet], n: usize) -> Result<usize> {
        let small = small_entries(idx);
        let buckets = bucket_count(idx, &small);
        let keys = Keys {
            idx,
            small,
            facets,
            table: FacetTable::new(facets, n),
        };
        let mut per_bucket: Vec<Vec<usize>> = vec![Vec::new(); buckets];
        for (i, k) in idx.keys.iter().enumerate() {
            per_bucket[bucket_of(k, buckets)].push(i);
        }
        per_bucket
            .par_iter()
            .enumerate()
            .try_for_each(|(b, list)| self.write_bucket(&keys, b, list))?;
        Ok(buckets)
    }

    /// Bucket `b` holding keys `list`, and the own files of those that
    /// have one.
    fn write_bucket(&self, keys: &Keys<'_>, b: usize, list: &[usize]) -> Result<()> {
        let mut body = String::from("{");
        let mut own = 0usize;
        for (j, &i) in list.iter().enumerate() {
            if j > 0 {
                body.push(',');
            }
            body.push_str(&script_str(&keys.idx.keys[i]));
            body.push(':');
            match &keys.small[i] {
                Some(s) => {
                    body.push('"');
                    body.push_str(s);
                    body.push('"');
                }
                None => {
                    body.push_str(&own.to_string());
                    self.write_own(keys, i, &format!("{b}-{own}"))?;
                    own += 1;
                }
            }
        }
        body.push('}');
        self.file(
            format!("{SEARCH_INDEX}/k/{b}.js"),
            "k",
            &format!("{b},{body}"),
        )
    }

    /// Key `i`'s own file `p/<id>.js` and, when it has positions,
    /// `q/<id>.js`.
    fn write_own(&self, keys: &Keys<'_>, i: usize, id: &str) -> Result<()> {
        let (docs, title, positions) = keys.idx.get(i);
        let counts = keys.table.encoded_counts(keys.facets, &docs);
        let (full, positions) = own_data(&docs, &title, &positions, &counts);
        let payload = format!("\"{id}\",{full}");
        self.file(format!("{SEARCH_INDEX}/p/{id}.js"), "p", &payload)?;
        if !positions.is_empty() {
            let payload = format!("\"{id}\",\"{positions}\"");
            self.file(format!("{SEARCH_INDEX}/q/{id}.js"), "q", &payload)?;
        }
        Ok(())
    }

    /// The documents (`d/`). Their payloads were made once already, for the
    /// version; making them again here (≈ 1 % of a build) keeps them out of
    /// memory while the index is built (≈ 90 MB at 100,000 programmes).
    pub(super) fn write_docs(&self, site: &Site) -> Result<()> {
        (0..site.programmes.len())
            .into_par_iter()
            .try_for_each(|p| {
                self.file(
                    format!("{SEARCH_INDEX}/d/{}/{}.js", p / DOC_DIR, p),
                    "d",
                    &doc::payload(site, p),
                )
            })
    }

    /// The facet files (`f/`), one per CHUNK documents; returns their size
    /// (an estimate, for search.js: see [`meta`]).
    pub(super) fn write_facets(&self, facets: &[Facet], n: usize) -> Result<usize> {
        let bytes = AtomicUsize::new(0);
        (0..n.div_ceil(CHUNK)).into_par_iter().try_for_each(|c| {
            let payload = facet::chunk_payload(facets, c, n);
            bytes.fetch_add(payload.len() + 40, Ordering::Relaxed);
            self.file(format!("{SEARCH_INDEX}/f/{c}.js"), "f", &payload)
        })?;
        Ok(bytes.into_inner())
    }

    /// `meta.js`, whose payload is made by [`meta`].
    pub(super) fn write_meta(&self, meta: &str) -> Result<()> {
        self.file(format!("{SEARCH_INDEX}/meta.js"), "m", meta)
    }
}

/// What the buckets are made from.
struct Keys<'a> {
    idx: &'a Compact,
    /// Per key: its bucket entry, or None when it has files of its own.
    small: Vec<Option<String>>,
    facets: &'a [Facet],
    table: FacetTable,
}

/// Per key, its data as a bucket entry, or None for a key in many
/// documents or with long data (it gets files of its own).
fn small_entries(idx: &Compact) -> Vec<Option<String>> {
    (0..idx.keys.len())
        .into_par_iter()
        .map(|i| {
            if idx.df(i) >= COUNTS_MIN_DF {
                return None;
            }
            let (docs, title, positions) = idx.get(i);
            let s = small_data(&docs, &title, &positions);
            (s.len() <= OWN_FILE).then_some(s)
        })
        .collect()
}

/// The number of buckets (a power of two) that puts about BUCKET_TARGET
/// bytes in each, from the bytes of the bucket entries: the data of small
/// keys, a number for the others, and the key itself.
fn bucket_count(idx: &Compact, small: &[Option<String>]) -> usize {
    let bytes: usize = small
        .iter()
        .zip(&idx.keys)
        .map(|(d, k)| k.len() + 4 + d.as_ref().map_or(5, |d| d.len() + 2))
        .sum();
    bytes.div_ceil(BUCKET_TARGET).max(1).next_power_of_two()
}

/// The payload of `search/meta.js`.
/// `buckets` and `facet_bytes` (the size of the facet files, from which
/// search.js decides whether counting facets over a large result is worth
/// fetching them) are 0 for the version hash.
pub(super) fn meta(
    site: &Site,
    facets: &[Facet],
    years: &[i32],
    buckets: usize,
    facet_bytes: usize,
) -> String {
    let n = site.programmes.len();
    let dims: Vec<Value> = site
        .dims
        .iter()
        .map(|d| {
            json!({
                "key": d.decl.key,
                "label": d.decl.label,
                "values": d.entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let facet_meta: Vec<Value> = facets
        .iter()
        .map(|f| json!({"key": f.key, "label": f.label, "dim": f.dim.map(|d| d as i64).unwrap_or(-1)}))
        .collect();
    let measure = site
        .measures
        .first()
        .map(|m| json!({"label": m.label, "unit": m.unit}))
        .unwrap_or(json!(null));
    let meta = json!({
        "format": FORMAT,
        "fold": fold::FOLD_VERSION,
        "n": n,
        "buckets": buckets,
        "chunk": CHUNK,
        "chunks": n.div_ceil(CHUNK),
        "docDir": DOC_DIR,
        "maxGram": token::MAX_GRAM,
        "facetBytes": facet_bytes,
        "dims": dims,
        "facets": facet_meta,
        "years": years,
        // How each year reads on this site (`year_label`: 令和6年度…).
        "yearLabels": years.iter().map(|&y| crate::model::series::year_label(site.config.year_label.as_deref(), y)).collect::<Vec<_>>(),
        "measure": measure,
        "itemLabel": site.config.item_label,
    });
    script_json(&meta)
}
