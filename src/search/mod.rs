//! Japanese full-text search: a sharded index written at build time and
//! read by `assets/search.js` (see docs/search.md for the design and the
//! measured sizes).
//!
//! Every file is a classic script that calls one function of the global
//! `mierukaSearch` with JSON data, so the index loads from `file://` and from
//! any folder (no fetch, no modules, no WASM):
//!
//! * `search/meta.js` — format, fold version, document count, bucket count,
//!   dimensions and facets with their values, the displayed measure;
//! * `search/k/<b>.js` — bucket `b` (by FNV-1a hash of the key): for each of
//!   its keys either its postings as a string (small keys: `docs`,
//!   `docs.title` or, for trigrams, `docs.title.positions`) or the number `j`
//!   of the key's own file;
//! * `search/p/<b>-<j>.js` — one frequent key: its postings and, per facet,
//!   the number of its documents with each value;
//! * `search/q/<b>-<j>.js` — for a frequent trigram, the positions of its
//!   occurrences in each of its documents (read only to check phrases longer
//!   than three characters);
//! * `search/d/<i/1024>/<i>.js` — what a result shows of document `i`;
//! * `search/f/<c>.js` — facet values of documents `c*CHUNK ..`, as one
//!   posting list per value, for counting and filtering any result set.
//!
//! Key data is the documents (programme indices, in site order) that have
//! the key in any field, and, as positions in that list, those that have it
//! in the name or part (the title). An own file holds `[df, docs, title,
//! counts]`, counts being per facet the number of the key's documents with
//! each value. Everything is written
//! in the encodings of [`codec`]; same site in, byte-identical files out.

pub mod codec;
pub mod fold;
pub mod token;

pub use fold::normalize;

use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use crate::render::filters::group_digits;
use crate::render::markdown::plain_text;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher for the indexer's maps (their order never
/// reaches the output: keys are sorted).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut it = bytes.chunks_exact(8);
        for c in &mut it {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let mut b = [0u8; 8];
        b[..it.remainder().len()].copy_from_slice(it.remainder());
        self.add(u64::from_le_bytes(b) ^ (bytes.len() as u64) << 56);
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

/// Index format; bump when files change shape.
pub const FORMAT: u32 = 1;
/// Target size of a bucket file, in bytes.
pub const BUCKET_TARGET: usize = 1024;
/// Key data longer than this (in bytes) goes to a file of its own, with
/// facet counts.
pub const OWN_FILE: usize = 400;
/// A key in at least this many documents also gets a file of its own (so
/// that its facet counts are precomputed).
pub const COUNTS_MIN_DF: usize = 64;

/// Facet counts of one facet: `0` then every count (dense), or `1` then
/// pairs (distance from the previous non-zero value, count), whichever is
/// shorter.
pub fn encode_counts(c: &[u64]) -> String {
    let dense = codec::nums(std::iter::once(0).chain(c.iter().copied()));
    let mut pairs = vec![1u64];
    let mut last: i64 = -1;
    for (i, &v) in c.iter().enumerate() {
        if v > 0 {
            pairs.push((i as i64 - last - 1) as u64);
            pairs.push(v);
            last = i as i64;
        }
    }
    let sparse = codec::nums(pairs);
    if sparse.len() < dense.len() {
        sparse
    } else {
        dense
    }
}
/// Documents per facet file.
pub const CHUNK: usize = 4096;
/// Documents per folder of `d/`.
pub const DOC_DIR: usize = 1024;

/// FNV-1a (32-bit) over the code points of `s`; search.js computes the same.
pub fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in s.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The bucket of `key` among `buckets` (a power of two).
pub fn bucket_of(key: &str, buckets: usize) -> usize {
    (hash(key) as usize) & (buckets - 1)
}

/// JSON made safe inside a classic script: `<`, U+2028 and U+2029 escaped
/// (they can only occur inside strings).
pub fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    s.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The searchable fields of programme `p`: (title fields, other fields).
pub fn fields(site: &Site, p: usize) -> (Vec<String>, Vec<String>) {
    let pr = &site.programmes[p];
    let mut title = vec![pr.name.clone()];
    if let Some(part) = &pr.part {
        title.push(part.clone());
    }
    let mut other = vec![plain_text(&pr.summary)];
    if let Some(i) = &pr.implementer {
        other.push(i.clone());
    }
    for (d, dim) in site.dims.iter().enumerate() {
        for &e in &pr.dims[d] {
            let en = &dim.entries[e];
            other.push(en.name.clone());
            if let Some(r) = &en.reading {
                other.push(r.clone());
            }
        }
    }
    (title, other)
}

/// A facet of the search page: the fiscal year, then every dimension
/// declared with `facet: true`.
struct Facet {
    key: String,
    label: String,
    /// Dimension index, or None for the fiscal year.
    dim: Option<usize>,
    /// Per document: value indices.
    values: Vec<Vec<u32>>,
    /// Number of values.
    count: usize,
}

fn facets(site: &Site, years: &[i32]) -> Vec<Facet> {
    let mut out = vec![Facet {
        key: "fiscal_year".into(),
        label: "年度".into(),
        dim: None,
        values: site
            .programmes
            .iter()
            .map(|p| vec![years.iter().position(|&y| y == p.fiscal_year).unwrap_or(0) as u32])
            .collect(),
        count: years.len(),
    }];
    for (d, dim) in site.dims.iter().enumerate().filter(|(_, d)| d.decl.facet) {
        out.push(Facet {
            key: dim.decl.key.clone(),
            label: dim.decl.label.clone(),
            dim: Some(d),
            values: site
                .programmes
                .iter()
                .map(|p| p.dims[d].iter().map(|&e| e as u32).collect())
                .collect(),
            count: dim.entries.len(),
        });
    }
    out
}

/// The displayed amount of programme `p` (the first measure): figure and
/// note.
fn amount(site: &Site, p: usize) -> (String, String) {
    if site.measures.is_empty() {
        return (String::new(), String::new());
    }
    match &site.programmes[p].measures[0] {
        MeasureValue::Own(v) => (group_digits(u128::from(*v)), String::new()),
        MeasureValue::NotApplicable => ("―".into(), String::new()),
        MeasureValue::Missing => (String::new(), String::new()),
        MeasureValue::Lead { .. } | MeasureValue::Member { .. } => {
            let (lead, members) = site.group_of(p, 0).unwrap_or((p, vec![p]));
            let a = site.programmes[lead].measures[0].own().unwrap_or(0);
            (
                group_digits(u128::from(a)),
                format!("{}件で共有", members.len()),
            )
        }
    }
}

/// The inverted index: keys with their postings.
pub struct Index {
    /// Keys, sorted.
    pub keys: Vec<String>,
    /// Per key: documents that have it.
    pub docs: Vec<Vec<u32>>,
    /// Per key: positions in `docs` of the documents that have it in a
    /// title field.
    pub title: Vec<Vec<u32>>,
    /// Per key: for trigrams, per document in `docs`, the positions of its
    /// occurrences (characters from the start of the document's text, see
    /// [`doc_text`]); empty for other keys.
    pub positions: Vec<Positions>,
}

/// Occurrence positions of a key, per document of its list, flattened.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    /// Per document: the number of occurrences.
    pub counts: Vec<u32>,
    /// All positions, document after document, each document's ascending.
    pub all: Vec<u32>,
}

impl Positions {
    /// Per document: its positions.
    pub fn per_doc(&self) -> Vec<&[u32]> {
        let mut at = 0usize;
        self.counts
            .iter()
            .map(|&c| {
                let s = &self.all[at..at + c as usize];
                at += c as usize;
                s
            })
            .collect()
    }
}

/// The folded searchable text of programme `p`: its fields, each folded,
/// joined by a newline (which no key spans), and how many of them are title
/// fields.
pub fn doc_text(site: &Site, p: usize) -> (String, usize) {
    let (title, other) = fields(site, p);
    let n = title.len();
    let text = title
        .iter()
        .chain(other.iter())
        .map(|f| normalize(f))
        .collect::<Vec<_>>()
        .join("\n");
    (text, n)
}

fn is_trigram(k: &str) -> bool {
    let mut c = k.chars();
    c.next().is_some_and(token::is_japanese)
        && c.next().is_some()
        && c.next().is_some()
        && c.next().is_none()
}

/// The fewest documents an n-gram of 4 to [`token::MAX_GRAM`] characters
/// must be in to be a key of its own (rarer ones are found through their
/// trigrams and positions).
pub fn long_min_df(n: usize) -> usize {
    (n / 500).max(32)
}

/// The n-grams of 4 to MAX_GRAM characters in at least `min_df` documents,
/// found level by level (an n-gram can only be frequent when both of its
/// (n-1)-grams are).
fn frequent_ngrams(texts: &[(String, u32)], min_df: usize) -> FxSet<Box<str>> {
    fn count<'a>(
        texts: &'a [(String, u32)],
        n: usize,
        keep: impl Fn(&str) -> bool,
        min_df: usize,
    ) -> FxSet<&'a str> {
        let mut cnt: FxMap<&'a str, (u32, u32)> = FxMap::default();
        for (d, (t, _)) in texts.iter().enumerate() {
            token::for_each_ngram(t, n, n, |g, _| {
                if keep(g) {
                    let e = cnt.entry(g).or_insert((0, u32::MAX));
                    if e.1 != d as u32 {
                        e.0 += 1;
                        e.1 = d as u32;
                    }
                }
            });
        }
        cnt.into_iter()
            .filter(|(_, (df, _))| *df as usize >= min_df)
            .map(|(g, _)| g)
            .collect()
    }
    let mut out = FxSet::default();
    let mut prev = count(texts, 3, |_| true, min_df);
    for n in 4..=token::MAX_GRAM {
        let cur = count(
            texts,
            n,
            |g| {
                let first = g.chars().next().map_or(0, char::len_utf8);
                let last = g.chars().next_back().map_or(0, char::len_utf8);
                prev.contains(&g[..g.len() - last]) && prev.contains(&g[first..])
            },
            min_df,
        );
        out.extend(cur.iter().map(|g| Box::<str>::from(*g)));
        if cur.is_empty() {
            break;
        }
        prev = cur;
    }
    out
}

/// Builds the inverted index of a site.
pub fn index(site: &Site) -> Index {
    let texts: Vec<(String, u32)> = (0..site.programmes.len())
        .map(|p| {
            let (text, ntitle) = doc_text(site, p);
            // Characters up to the end of the title fields.
            let title_end: u32 = text
                .split('\n')
                .take(ntitle)
                .map(|f| f.chars().count() as u32 + 1)
                .sum();
            (text, title_end)
        })
        .collect();
    let long = frequent_ngrams(&texts, long_min_df(texts.len()));
    let mut ids: FxMap<Box<str>, u32> = FxMap::default();
    let mut docs: Vec<Vec<u32>> = Vec::new();
    let mut tdocs: Vec<Vec<u32>> = Vec::new();
    let mut pos: Vec<Positions> = Vec::new();
    let mut tri: Vec<bool> = Vec::new();
    let mut occ: Vec<(u32, u32)> = Vec::new();
    let mut tit: Vec<u32> = Vec::new();
    for (p, (text, title_end)) in texts.iter().enumerate() {
        occ.clear();
        tit.clear();
        let mut add = |k: &str, at: u32| {
            let id = match ids.get(k) {
                Some(&id) => id,
                None => {
                    let id = docs.len() as u32;
                    ids.insert(k.into(), id);
                    docs.push(Vec::new());
                    tdocs.push(Vec::new());
                    pos.push(Positions::default());
                    tri.push(is_trigram(k));
                    id
                }
            };
            occ.push((id, at));
            if at < *title_end {
                tit.push(id);
            }
        };
        token::for_each_key(text, &mut add);
        if !long.is_empty() {
            // An n-gram is frequent only if its prefix is: stop at the first miss.
            token::for_each_ngram_while(text, 4, token::MAX_GRAM, |g, at| {
                let hit = long.contains(g);
                if hit {
                    add(g, at);
                }
                hit
            });
        }
        occ.sort_unstable();
        tit.sort_unstable();
        tit.dedup();
        let mut i = 0;
        while i < occ.len() {
            let k = occ[i].0;
            let mut j = i;
            while j < occ.len() && occ[j].0 == k {
                j += 1;
            }
            docs[k as usize].push(p as u32);
            if tri[k as usize] {
                let ps = &mut pos[k as usize];
                ps.counts.push((j - i) as u32);
                ps.all.extend(occ[i..j].iter().map(|o| o.1));
            }
            i = j;
        }
        for &k in &tit {
            tdocs[k as usize].push(p as u32);
        }
    }
    let mut order: Vec<(Box<str>, u32)> = ids.into_iter().collect();
    order.sort();
    let mut out = Index {
        keys: Vec::with_capacity(order.len()),
        docs: Vec::with_capacity(order.len()),
        title: Vec::with_capacity(order.len()),
        positions: Vec::with_capacity(order.len()),
    };
    for (k, id) in order {
        let d = std::mem::take(&mut docs[id as usize]);
        let t = std::mem::take(&mut tdocs[id as usize]);
        // Positions of title documents within d (both sorted).
        let mut tp = Vec::with_capacity(t.len());
        let mut j = 0;
        for (i, &x) in d.iter().enumerate() {
            if j < t.len() && t[j] == x {
                tp.push(i as u32);
                j += 1;
            }
        }
        out.keys.push(k.into_string());
        out.docs.push(d);
        out.title.push(tp);
        out.positions.push(std::mem::take(&mut pos[id as usize]));
    }
    out
}

/// Builds the search index files (under `search/`).
pub fn build(site: &Site) -> Vec<OutputFile> {
    let n = site.programmes.len();
    let mut years: Vec<i32> = site.programmes.iter().map(|p| p.fiscal_year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let facets = facets(site, &years);
    let idx = index(site);

    // Key data.
    struct KeyData {
        data: String,
        own: bool,
        positions: String,
    }
    let keydata: Vec<KeyData> = (0..idx.keys.len())
        .into_par_iter()
        .map(|i| {
            let d = &idx.docs[i];
            let title = if idx.title[i].is_empty() {
                String::new()
            } else {
                codec::encode_posting(&idx.title[i])
            };
            let positions = if idx.positions[i].counts.is_empty() {
                String::new()
            } else {
                codec::encode_positions(&idx.positions[i].per_doc())
            };
            let mut small = codec::encode_posting(d);
            if !title.is_empty() || !positions.is_empty() {
                small.push('.');
                small.push_str(&title);
            }
            if !positions.is_empty() {
                small.push('.');
                small.push_str(&positions);
            }
            if small.len() > OWN_FILE || d.len() >= COUNTS_MIN_DF {
                let mut counts: Vec<String> = Vec::with_capacity(facets.len());
                for f in &facets {
                    let mut c = vec![0u64; f.count];
                    for &doc in d {
                        for &v in &f.values[doc as usize] {
                            c[v as usize] += 1;
                        }
                    }
                    counts.push(encode_counts(&c));
                }
                let full = json!([
                    d.len(),
                    codec::encode_posting(d),
                    codec::encode_posting(&idx.title[i]),
                    counts
                ]);
                KeyData {
                    data: script_json(&full),
                    own: true,
                    positions,
                }
            } else {
                KeyData {
                    data: format!("\"{small}\""),
                    own: false,
                    positions: String::new(),
                }
            }
        })
        .collect();
    // Bytes of the bucket entries: the data of small keys, a number for
    // the others, and the key itself.
    let small: usize = keydata
        .iter()
        .zip(&idx.keys)
        .map(|(d, k)| k.len() + 4 + if d.own { 5 } else { d.data.len() })
        .sum();
    let buckets = small.div_ceil(BUCKET_TARGET).max(1).next_power_of_two();

    // (path, function, payload) before the version is known.
    let mut files: Vec<(String, &str, String)> = Vec::new();
    let mut per_bucket: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for (i, k) in idx.keys.iter().enumerate() {
        per_bucket[bucket_of(k, buckets)].push(i);
    }
    for (b, keys) in per_bucket.iter().enumerate() {
        let mut body = String::from("{");
        let mut own = 0usize;
        for (j, &i) in keys.iter().enumerate() {
            if j > 0 {
                body.push(',');
            }
            body.push_str(&script_json(&Value::String(idx.keys[i].clone())));
            body.push(':');
            let kd = &keydata[i];
            if kd.own {
                body.push_str(&own.to_string());
                let path = format!("search/p/{b}-{own}.js");
                let payload = format!(
                    "{},{}",
                    script_json(&Value::String(format!("{b}-{own}"))),
                    kd.data
                );
                files.push((path, "p", payload));
                if !kd.positions.is_empty() {
                    let payload = format!("\"{b}-{own}\",\"{}\"", kd.positions);
                    files.push((format!("search/q/{b}-{own}.js"), "q", payload));
                }
                own += 1;
            } else {
                body.push_str(&kd.data);
            }
        }
        body.push('}');
        files.push((format!("search/k/{b}.js"), "k", format!("{b},{body}")));
    }

    // Documents.
    for p in 0..n {
        let pr = &site.programmes[p];
        let (a, note) = amount(site, p);
        let dims: Vec<Vec<usize>> = pr.dims.clone();
        let v = json!([
            pr.id,
            pr.name,
            pr.part.clone().unwrap_or_default(),
            plain_text(&pr.summary),
            pr.implementer.clone().unwrap_or_default(),
            dims,
            pr.fiscal_year,
            a,
            note
        ]);
        files.push((
            format!("search/d/{}/{}.js", p / DOC_DIR, p),
            "d",
            format!("{p},{}", script_json(&v)),
        ));
    }

    // Facet files.
    let chunks = n.div_ceil(CHUNK);
    let mut facet_bytes = 0usize;
    for c in 0..chunks {
        let lo = c * CHUNK;
        let hi = (lo + CHUNK).min(n);
        let cols: Vec<Vec<String>> = facets
            .iter()
            .map(|f| {
                let mut per: Vec<Vec<u32>> = vec![Vec::new(); f.count];
                for doc in lo..hi {
                    for &v in &f.values[doc] {
                        per[v as usize].push((doc - lo) as u32);
                    }
                }
                per.iter().map(|l| codec::encode_posting(l)).collect()
            })
            .collect();
        let payload = format!("{c},{}", script_json(&json!(cols)));
        facet_bytes += payload.len() + 40;
        files.push((format!("search/f/{c}.js"), "f", payload));
    }

    // Meta.
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
        "chunks": chunks,
        "docDir": DOC_DIR,
        "maxGram": token::MAX_GRAM,
        "facetBytes": facet_bytes,
        "dims": dims,
        "facets": facet_meta,
        "years": years,
        "measure": measure,
        "itemLabel": site.config.item_label,
    });
    files.push(("search/meta.js".into(), "m", script_json(&meta)));

    // Version: a hash of every payload, so that a page never mixes files of
    // two builds.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, f, payload) in &files {
        for b in path.bytes().chain(f.bytes()).chain(payload.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let v = format!("{h:016x}");
    files
        .into_iter()
        .map(|(path, f, payload)| {
            OutputFile::new(path, format!("mierukaSearch.{f}(\"{v}\",{payload});\n"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_is_safe() {
        let s = script_json(&json!(["</script><!--", "a\u{2028}b\u{2029}"]));
        assert!(!s.contains('<') && !s.contains('\u{2028}') && !s.contains('\u{2029}'));
        assert_eq!(
            serde_json::from_str::<Value>(&s).unwrap(),
            json!(["</script><!--", "a\u{2028}b\u{2029}"])
        );
    }

    #[test]
    fn counts_pick_the_shorter_form() {
        assert!(encode_counts(&[3, 4, 5]).starts_with('A'));
        let mut sparse = vec![0u64; 400];
        sparse[7] = 2;
        sparse[300] = 1;
        let e = encode_counts(&sparse);
        assert!(e.starts_with('B') && e.len() < 10, "{e}");
    }

    #[test]
    fn hash_is_fnv1a_over_code_points() {
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
    }
}
