//! Stage 3, model: the immutable [`Site`] made from what validation
//! resolved — each dimension value's programmes and each source's
//! programmes in the source's order, indexed once so that no page scans the
//! site.

use super::{DimModel, Judgement, Programme, Series, Site};
use crate::config::{SiteConfig, Source};

impl Site {
    /// The site of resolved programmes (every reference an index into
    /// `programmes`, which are sorted by id).
    pub fn build(
        config: SiteConfig,
        sources: Vec<Source>,
        mut dims: Vec<DimModel>,
        programmes: Vec<Programme>,
        mut series: Vec<Series>,
        judgements: Vec<Judgement>,
    ) -> Site {
        for s in series.iter_mut() {
            s.records.sort_by_key(|&p| (programmes[p].fiscal_year, p));
        }
        let mut years: Vec<i32> = programmes.iter().map(|p| p.fiscal_year).collect();
        years.sort_unstable();
        years.dedup();
        for d in dims.iter_mut() {
            d.programmes = vec![Vec::new(); d.entries.len()];
        }
        for (pi, p) in programmes.iter().enumerate() {
            for (di, es) in p.dims.iter().enumerate() {
                for &e in es {
                    dims[di].programmes[e].push(pi);
                }
            }
        }
        let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); sources.len()];
        for (pi, p) in programmes.iter().enumerate() {
            by_source[p.source].push(pi);
        }
        for v in by_source.iter_mut() {
            v.sort_by(|&a, &b| {
                (programmes[a].number, &programmes[a].id)
                    .cmp(&(programmes[b].number, &programmes[b].id))
            });
        }
        let latest = years.last().copied();
        let current = (0..programmes.len())
            .filter(|&p| Some(programmes[p].fiscal_year) == latest)
            .collect();
        Site {
            current,
            measures: config.measures.clone(),
            config,
            sources,
            dims,
            programmes,
            by_source,
            series,
            judgements,
            years,
            grand_totals: Default::default(),
            source_tables: Vec::new(),
            used: Default::default(),
        }
    }
}
