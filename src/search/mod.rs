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
mod doc;
mod facet;
mod files;
pub mod fold;
mod hash;
mod invert;
mod layout;
pub mod token;

pub use doc::{doc_text, fields};
pub use fold::normalize;
pub use invert::{Index, Positions};
pub use layout::{
    bucket_of, encode_counts, hash, script_json, BUCKET_TARGET, CHUNK, COUNTS_MIN_DF, DOC_DIR,
    FORMAT, OWN_FILE,
};

use crate::model::Site;
use crate::output::OutputFile;
use files::Files;

/// The fewest documents an n-gram of 4 to [`token::MAX_GRAM`] characters
/// must be in to be a key of its own (rarer ones are found through their
/// trigrams and positions).
pub fn long_min_df(n: usize) -> usize {
    (n / 500).max(32)
}

/// Builds the inverted index of a site (in parallel, see `invert.rs`).
pub fn index(site: &Site) -> Index {
    invert::invert(&doc::texts(site), long_min_df(site.programmes.len())).decode()
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

/// Builds the search index files (under `search/`) and hands each to `emit`
/// as soon as it is made, from several threads, in no particular order.
///
/// Every file names the index version, so that a page never mixes files of
/// two builds. The version is a hash of everything the files are made from
/// (see `files::texts_and_version`), known before any file is made.
pub fn build_into(
    site: &Site,
    emit: &(dyn Fn(OutputFile) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<()> {
    let n = site.programmes.len();
    let years = facet::fiscal_years(site);
    let facets = facet::facets(site, &years);
    // Everything but the index's own figures (which follow from the texts
    // and facet values).
    let meta0 = files::meta(site, &facets, &years, 0, 0);
    let (texts, version) = files::texts_and_version(site, &facets, &meta0);
    let out = Files::new(version, emit);
    let idx = invert::invert(&texts, long_min_df(n));
    drop(texts);
    let buckets = out.write_keys(&idx, &facets, n)?;
    drop(idx);
    out.write_docs(site)?;
    let facet_bytes = out.write_facets(&facets, n)?;
    out.write_meta(&files::meta(site, &facets, &years, buckets, facet_bytes))
}
