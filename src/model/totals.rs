//! Totals as the pages and checks report them: a source's declared and
//! recomputed totals, and the order of a source's rows.

use super::{Site, Total};
use std::collections::BTreeMap;

/// Programme indices in the source's order (source, number, id).
pub fn source_order(site: &Site, set: &[usize]) -> Vec<usize> {
    let mut v = set.to_vec();
    v.sort_by(|&a, &b| {
        let (pa, pb) = (&site.programmes[a], &site.programmes[b]);
        (pa.source, pa.number, &pa.id).cmp(&(pb.source, pb.number, &pb.id))
    });
    v
}

/// Figures of every source: declared total, recomputed total, per measure.
pub fn source_totals(site: &Site) -> Vec<BTreeMap<String, (Option<u64>, Total)>> {
    site.sources
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let set = &site.by_source[si];
            let mut sorted = set.clone();
            sorted.sort();
            site.measures
                .iter()
                .enumerate()
                .filter(|(_, m)| m.sum)
                .map(|(mi, m)| {
                    (
                        m.key.clone(),
                        (
                            s.declared_totals.get(&m.key).copied(),
                            site.total(&sorted, mi),
                        ),
                    )
                })
                .collect()
        })
        .collect()
}

impl Total {
    /// The recomputed sum as a source's 合計 row would show it: the figures
    /// counted plus shared amounts whose group lies only partly in the set.
    pub fn recomputed(&self) -> u128 {
        self.value
            + self
                .partial_groups
                .iter()
                .map(|g| u128::from(g.1))
                .sum::<u128>()
    }
}
