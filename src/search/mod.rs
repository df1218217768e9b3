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
mod hash;
mod invert;
pub mod token;

pub use fold::normalize;

use crate::format::group_digits;
use crate::markdown::plain_text;
use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use crate::urls::SEARCH_INDEX;
use hash::hash64;
pub use invert::{Index, Positions};
use rayon::prelude::*;
use serde_json::{json, Value};

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
    // The sparse form's pairs: (distance from the previous non-zero value,
    // count). Both lengths first, then only the shorter form is written.
    let pairs = || {
        let mut last: i64 = -1;
        c.iter()
            .enumerate()
            .filter(|(_, &v)| v > 0)
            .map(move |(i, &v)| {
                let gap = (i as i64 - last - 1) as u64;
                last = i as i64;
                (gap, v)
            })
    };
    let dense_len = 1 + c.iter().map(|&v| codec::num_len(v)).sum::<usize>();
    let sparse_len = 1 + pairs()
        .map(|(g, v)| codec::num_len(g) + codec::num_len(v))
        .sum::<usize>();
    let mut out = String::with_capacity(dense_len.min(sparse_len));
    if sparse_len < dense_len {
        codec::put_num(&mut out, 1);
        for (g, v) in pairs() {
            codec::put_num(&mut out, g);
            codec::put_num(&mut out, v);
        }
    } else {
        codec::put_num(&mut out, 0);
        for &v in c {
            codec::put_num(&mut out, v);
        }
    }
    out
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
    script_safe(serde_json::to_string(v).unwrap_or_else(|_| "null".into()))
}

/// [`script_json`] of a string.
fn script_str(s: &str) -> String {
    script_safe(serde_json::to_string(s).unwrap_or_else(|_| "null".into()))
}

fn script_safe(s: String) -> String {
    if !s.contains(['<', '\u{2028}', '\u{2029}']) {
        return s;
    }
    s.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The searchable fields of programme `p`: (title fields, other fields).
pub fn fields(site: &Site, p: usize) -> (Vec<String>, Vec<String>) {
    fields_with(site, p, plain_text(&site.programmes[p].summary))
}

/// [`fields`], given the summary as plain text.
fn fields_with(site: &Site, p: usize, summary: String) -> (Vec<String>, Vec<String>) {
    let pr = &site.programmes[p];
    let mut title = vec![pr.name.clone()];
    if let Some(part) = &pr.part {
        title.push(part.clone());
    }
    let mut other = vec![summary];
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

/// The folded searchable text of programme `p`: its fields, each folded,
/// joined by a newline (which no key spans), and how many of them are title
/// fields.
pub fn doc_text(site: &Site, p: usize) -> (String, usize) {
    doc_text_with(site, p, plain_text(&site.programmes[p].summary))
}

/// [`doc_text`], given the summary as plain text.
fn doc_text_with(site: &Site, p: usize, summary: String) -> (String, usize) {
    let (title, other) = fields_with(site, p, summary);
    let n = title.len();
    let text = title
        .iter()
        .chain(other.iter())
        .map(|f| normalize(f))
        .collect::<Vec<_>>()
        .join("\n");
    (text, n)
}

/// The fewest documents an n-gram of 4 to [`token::MAX_GRAM`] characters
/// must be in to be a key of its own (rarer ones are found through their
/// trigrams and positions).
pub fn long_min_df(n: usize) -> usize {
    (n / 500).max(32)
}

/// Builds the inverted index of a site (in parallel, see [`invert`]).
pub fn index(site: &Site) -> Index {
    invert::invert(&texts(site), long_min_df(site.programmes.len())).decode()
}

/// Every programme's folded text and the number of characters up to the
/// end of its title fields.
fn texts(site: &Site) -> Vec<(String, u32)> {
    (0..site.programmes.len())
        .into_par_iter()
        .map(|p| with_title_end(doc_text(site, p)))
        .collect()
}

/// A document text with the number of characters up to the end of its
/// `ntitle` title fields.
fn with_title_end((text, ntitle): (String, usize)) -> (String, u32) {
    let title_end: u32 = text
        .split('\n')
        .take(ntitle)
        .map(|f| f.chars().count() as u32 + 1)
        .sum();
    (text, title_end)
}

/// Builds the search index files (under `search/`), sorted by path.
pub fn build(site: &Site) -> Vec<OutputFile> {
    let out = std::sync::Mutex::new(Vec::new());
    let collected = build_into(site, &|f| {
        out.lock()
            .map_err(|_| anyhow::anyhow!("search files: a thread panicked"))?
            .push(f);
        Ok(())
    });
    // Collecting into memory cannot fail.
    debug_assert!(collected.is_ok());
    let mut files = out.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The payload of `search/d/…/<p>.js`: what a result shows of programme `p`.
fn doc_payload(site: &Site, p: usize) -> String {
    doc_payload_with(site, p, &plain_text(&site.programmes[p].summary))
}

/// [`doc_payload`], given the summary as plain text.
fn doc_payload_with(site: &Site, p: usize, summary: &str) -> String {
    let pr = &site.programmes[p];
    let (a, note) = amount(site, p);
    let v = json!([
        pr.id,
        pr.name,
        pr.part.clone().unwrap_or_default(),
        summary,
        pr.implementer.clone().unwrap_or_default(),
        pr.dims,
        pr.fiscal_year,
        a,
        note
    ]);
    format!("{p},{}", script_json(&v))
}

/// Builds the search index files (under `search/`) and hands each to `emit`
/// as soon as it is made, from several threads, in no particular order.
///
/// Every file names the index version, so that a page never mixes files of
/// two builds. The version is a hash of everything the files are made from
/// (the index format, each programme's folded text, result payload and facet
/// values, and `meta.js`), known before any file is made.
pub fn build_into(
    site: &Site,
    emit: &(dyn Fn(OutputFile) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<()> {
    let n = site.programmes.len();
    let mut years: Vec<i32> = site.programmes.iter().map(|p| p.fiscal_year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let facets = facets(site, &years);
    let chunks = n.div_ceil(CHUNK);
    // Everything but the index's own figures (which follow from the texts
    // and facet values).
    let meta0 = meta(site, &facets, &years, chunks, 0, 0);

    // The documents' texts, and the version: per run of DOC_DIR programmes
    // a hash (in parallel), then those hashes in order.
    let (texts, hashes): (Vec<Vec<(String, u32)>>, Vec<u64>) = (0..n.div_ceil(DOC_DIR))
        .into_par_iter()
        .map(|c| {
            let mut h: u64 = 0;
            let mut texts = Vec::with_capacity(DOC_DIR);
            for p in c * DOC_DIR..((c + 1) * DOC_DIR).min(n) {
                let summary = plain_text(&site.programmes[p].summary);
                let payload = doc_payload_with(site, p, &summary);
                let text = with_title_end(doc_text_with(site, p, summary));
                let fv: Vec<u8> = facets
                    .iter()
                    .flat_map(|f| f.values[p].iter().flat_map(|v| v.to_le_bytes()))
                    .collect();
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
        })
        .unzip();
    let texts: Vec<(String, u32)> = texts.into_iter().flatten().collect();
    let mut h = hash64(
        0,
        &[
            &FORMAT.to_le_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes(),
            meta0.as_bytes(),
        ],
    );
    for c in hashes {
        h = hash64(h, &[&c.to_le_bytes()]);
    }
    let version = format!("{h:016x}");
    let file = |path: String, f: &str, payload: &str| {
        emit(OutputFile::new(
            path,
            format!("mierukaSearch.{f}(\"{version}\",{payload});\n"),
        ))
    };

    let idx = invert::invert(&texts, long_min_df(n));
    drop(texts);

    // Small keys are written into their bucket; a key with a long list or
    // in many documents gets files of its own (made per bucket, below).
    let small: Vec<Option<String>> = (0..idx.keys.len())
        .into_par_iter()
        .map(|i| {
            if idx.df(i) >= COUNTS_MIN_DF {
                return None;
            }
            let (docs, title, positions) = idx.get(i);
            let s = small_data(&docs, &title, &positions);
            (s.len() <= OWN_FILE).then_some(s)
        })
        .collect();
    // Bytes of the bucket entries: the data of small keys, a number for
    // the others, and the key itself.
    let bytes: usize = small
        .iter()
        .zip(&idx.keys)
        .map(|(d, k)| k.len() + 4 + d.as_ref().map_or(5, |d| d.len() + 2))
        .sum();
    let buckets = bytes.div_ceil(BUCKET_TARGET).max(1).next_power_of_two();
    let table = FacetTable::new(&facets, n);
    let mut per_bucket: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for (i, k) in idx.keys.iter().enumerate() {
        per_bucket[bucket_of(k, buckets)].push(i);
    }
    per_bucket
        .par_iter()
        .enumerate()
        .try_for_each(|(b, keys)| -> anyhow::Result<()> {
            let mut body = String::from("{");
            let mut own = 0usize;
            for (j, &i) in keys.iter().enumerate() {
                if j > 0 {
                    body.push(',');
                }
                body.push_str(&script_str(&idx.keys[i]));
                body.push(':');
                match &small[i] {
                    Some(s) => {
                        body.push('"');
                        body.push_str(s);
                        body.push('"');
                    }
                    None => {
                        body.push_str(&own.to_string());
                        let (docs, title, positions) = idx.get(i);
                        let (full, positions) =
                            own_data(&docs, &title, &positions, &facets, &table);
                        let id = format!("{b}-{own}");
                        let payload = format!("\"{id}\",{full}");
                        file(format!("{SEARCH_INDEX}/p/{id}.js"), "p", &payload)?;
                        if !positions.is_empty() {
                            let payload = format!("\"{id}\",\"{positions}\"");
                            file(format!("{SEARCH_INDEX}/q/{id}.js"), "q", &payload)?;
                        }
                        own += 1;
                    }
                }
            }
            body.push('}');
            file(
                format!("{SEARCH_INDEX}/k/{b}.js"),
                "k",
                &format!("{b},{body}"),
            )
        })?;
    drop(idx);

    // Documents. Their payloads were made once already, for the version;
    // making them again here (≈ 1 % of a build) keeps them out of memory
    // while the index is built (≈ 90 MB at 100,000 programmes).
    (0..n).into_par_iter().try_for_each(|p| {
        file(
            format!("{SEARCH_INDEX}/d/{}/{}.js", p / DOC_DIR, p),
            "d",
            &doc_payload(site, p),
        )
    })?;

    // Facet files.
    let facet_bytes = std::sync::atomic::AtomicUsize::new(0);
    (0..chunks).into_par_iter().try_for_each(|c| {
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
        facet_bytes.fetch_add(payload.len() + 40, std::sync::atomic::Ordering::Relaxed);
        file(format!("{SEARCH_INDEX}/f/{c}.js"), "f", &payload)
    })?;

    let meta = meta(
        site,
        &facets,
        &years,
        chunks,
        buckets,
        facet_bytes.into_inner(),
    );
    file(format!("{SEARCH_INDEX}/meta.js"), "m", &meta)
}

/// A key's data as a bucket entry (without quotes), from its documents,
/// title positions and positions: `docs`, then `.title` when it has title
/// documents or positions, then `.positions`.
fn small_data(docs: &[u32], title: &[u32], positions: &Positions) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        codec::encode_posting(title)
    };
    let positions = if positions.counts.is_empty() {
        String::new()
    } else {
        codec::encode_positions(&positions.per_doc())
    };
    let mut small = codec::encode_posting(docs);
    if !title.is_empty() || !positions.is_empty() {
        small.push('.');
        small.push_str(&title);
    }
    if !positions.is_empty() {
        small.push('.');
        small.push_str(&positions);
    }
    small
}

/// Every document's facet values in one array: for document `p`,
/// `values[start[p]..start[p + 1]]`, each value numbered across all facets
/// (facet `f`'s value `v` is `base[f] + v`), so that counting a key's
/// documents per value reads memory in order.
struct FacetTable {
    base: Vec<usize>,
    total: usize,
    start: Vec<u32>,
    values: Vec<u32>,
    /// Per value, its number of documents in the whole site.
    all: Vec<u64>,
}

impl FacetTable {
    fn new(facets: &[Facet], n: usize) -> Self {
        let mut base = Vec::with_capacity(facets.len());
        let mut total = 0;
        for f in facets {
            base.push(total);
            total += f.count;
        }
        let mut start = Vec::with_capacity(n + 1);
        let mut values = Vec::new();
        for p in 0..n {
            start.push(values.len() as u32);
            for (f, b) in facets.iter().zip(&base) {
                values.extend(f.values[p].iter().map(|&v| v + *b as u32));
            }
        }
        start.push(values.len() as u32);
        let mut all = vec![0u64; total];
        for &v in &values {
            all[v as usize] += 1;
        }
        FacetTable {
            base,
            total,
            start,
            values,
            all,
        }
    }

    /// Per value, the number of documents of `d` (increasing) with it.
    /// Runs of consecutive documents are one slice of `values`; a list of
    /// most documents is counted through the documents it lacks.
    fn counts(&self, d: &[u32]) -> Vec<u64> {
        let n = self.start.len() - 1;
        let mut c = vec![0u64; self.total];
        let mut add = |lo: usize, hi: usize| {
            // Documents lo..hi.
            let (a, b) = (self.start[lo] as usize, self.start[hi] as usize);
            for &v in &self.values[a..b] {
                c[v as usize] += 1;
            }
        };
        if d.len() * 2 <= n {
            let mut i = 0;
            while i < d.len() {
                let lo = d[i] as usize;
                while i + 1 < d.len() && d[i + 1] == d[i] + 1 {
                    i += 1;
                }
                add(lo, d[i] as usize + 1);
                i += 1;
            }
            c
        } else {
            // The gaps between the list's documents, then all minus them.
            let mut next = 0usize;
            for &doc in d {
                if (doc as usize) > next {
                    add(next, doc as usize);
                }
                next = doc as usize + 1;
            }
            if next < n {
                add(next, n);
            }
            self.all.iter().zip(&c).map(|(a, g)| a - g).collect()
        }
    }
}

/// A key's own file data, `[df, docs, title, counts]` (counts: per facet,
/// the number of its documents with each value), and its positions.
fn own_data(
    d: &[u32],
    title: &[u32],
    positions: &Positions,
    facets: &[Facet],
    table: &FacetTable,
) -> (String, String) {
    let all = table.counts(d);
    let counts: Vec<String> = facets
        .iter()
        .zip(&table.base)
        .map(|(f, &b)| encode_counts(&all[b..b + f.count]))
        .collect();
    let positions = if positions.counts.is_empty() {
        String::new()
    } else {
        codec::encode_positions(&positions.per_doc())
    };
    // The codes use only the URL-safe base64 alphabet: nothing to escape,
    // so the JSON is written directly (the same bytes as serde_json's).
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!("\"{}\"", counts.join("\",\""))
    };
    let full = format!(
        "[{},\"{}\",\"{}\",[{counts}]]",
        d.len(),
        codec::encode_posting(d),
        codec::encode_posting(title),
    );
    (full, positions)
}

/// The payload of `search/meta.js`.
/// `buckets` and `facet_bytes` (the size of the facet files, from which
/// search.js decides whether counting facets over a large result is worth
/// fetching them) are 0 for the version hash.
fn meta(
    site: &Site,
    facets: &[Facet],
    years: &[i32],
    chunks: usize,
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
    script_json(&meta)
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

    /// The same as writing both forms and keeping the shorter (dense on a
    /// tie), as the counts were first made.
    #[test]
    fn counts_equal_the_shorter_of_both_forms() {
        let reference = |c: &[u64]| {
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
        };
        let mut x: u64 = 7;
        for len in [0usize, 1, 2, 5, 40, 417] {
            for density in [0u64, 1, 3, 10, 100] {
                let c: Vec<u64> = (0..len)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        if (x >> 33) % 100 < density {
                            (x >> 40) % 5000
                        } else {
                            0
                        }
                    })
                    .collect();
                assert_eq!(encode_counts(&c), reference(&c), "{c:?}");
            }
        }
    }

    /// Counting by runs and by the complement equals counting each document.
    #[test]
    fn facet_counts_by_runs_and_complement() {
        let n = 300;
        let facets: Vec<Facet> = (0..3)
            .map(|f| Facet {
                key: format!("f{f}"),
                label: String::new(),
                dim: None,
                count: 7,
                values: (0..n)
                    .map(|p| {
                        (0..(p + f) % 3)
                            .map(|k| ((p * 5 + k * 3 + f) % 7) as u32)
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        let table = FacetTable::new(&facets, n);
        let mut x: u64 = 1;
        for density in [0u64, 1, 10, 45, 55, 90, 100] {
            let d: Vec<u32> = (0..n as u32)
                .filter(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (x >> 33) % 100 < density
                })
                .collect();
            let mut expect = vec![0u64; table.total];
            for &doc in &d {
                let (a, b) = (table.start[doc as usize], table.start[doc as usize + 1]);
                for &v in &table.values[a as usize..b as usize] {
                    expect[v as usize] += 1;
                }
            }
            assert_eq!(table.counts(&d), expect, "density {density}");
        }
    }

    #[test]
    fn hash_is_fnv1a_over_code_points() {
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
    }
}
