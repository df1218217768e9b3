//! The facets of the search page (the fiscal year, then every dimension
//! declared with `facet: true`): each document's values, the facet files'
//! lists, and the counts of a key's documents per value.

use super::codec;
use super::layout::{encode_counts, script_json, CHUNK};
use crate::model::Site;
use serde_json::json;

/// A facet of the search page: the fiscal year, then every dimension
/// declared with `facet: true`.
pub(super) struct Facet {
    pub key: String,
    pub label: String,
    /// Dimension index, or None for the fiscal year.
    pub dim: Option<usize>,
    /// Per document: value indices.
    pub values: Vec<Vec<u32>>,
    /// Number of values.
    pub count: usize,
}

/// The site's fiscal years, latest first: the values of the first facet.
pub(super) fn fiscal_years(site: &Site) -> Vec<i32> {
    let mut years: Vec<i32> = site.programmes.iter().map(|p| p.fiscal_year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// The facets of `site`, whose fiscal years are `years`.
pub(super) fn facets(site: &Site, years: &[i32]) -> Vec<Facet> {
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

/// Document `p`'s facet values as bytes (for the index version).
pub(super) fn value_bytes(facets: &[Facet], p: usize) -> Vec<u8> {
    facets
        .iter()
        .flat_map(|f| f.values[p].iter().flat_map(|v| v.to_le_bytes()))
        .collect()
}

/// The payload of `search/f/<c>.js`: per facet, per value, the posting list
/// of documents `c*CHUNK ..` (numbered from the chunk's first) that have it.
pub(super) fn chunk_payload(facets: &[Facet], c: usize, n: usize) -> String {
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
    format!("{c},{}", script_json(&json!(cols)))
}

/// Every document's facet values in one array: for document `p`,
/// `values[start[p]..start[p + 1]]`, each value numbered across all facets
/// (facet `f`'s value `v` is `base[f] + v`), so that counting a key's
/// documents per value reads memory in order.
pub(super) struct FacetTable {
    base: Vec<usize>,
    total: usize,
    start: Vec<u32>,
    values: Vec<u32>,
    /// Per value, its number of documents in the whole site.
    all: Vec<u64>,
}

impl FacetTable {
    pub(super) fn new(facets: &[Facet], n: usize) -> Self {
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

    /// Per facet, the [`encode_counts`] of the documents of `d`
    /// (increasing) per value: the counts of a key's own file.
    pub(super) fn encoded_counts(&self, facets: &[Facet], d: &[u32]) -> Vec<String> {
        let all = self.counts(d);
        facets
            .iter()
            .zip(&self.base)
            .map(|(f, &b)| encode_counts(&all[b..b + f.count]))
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
