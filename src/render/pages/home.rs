//! The home page: each source's declared and recomputed totals, the site's
//! totals, its charts, and each dimension's values.

use super::{base_ctx, summed_measure_labels};
use crate::format::group_digits;
use crate::model::totals::source_totals;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::data;
use crate::render::theme::Theme;
use crate::render::view::{self, entries, total_view, SiteView, TotalView};
use crate::urls::{self, Urls};
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct SourceSummary {
    id: String,
    title: String,
    fiscal_year_label: String,
    count: usize,
    figures: Vec<SourceFigure>,
    all_match: bool,
    has_declared: bool,
}

#[derive(Serialize)]
struct SourceFigure {
    label: String,
    unit: String,
    declared: String,
    recomputed: String,
    matches: bool,
    declared_given: bool,
    /// Recomputed minus declared, signed and grouped, when they differ.
    difference: String,
}

pub(crate) fn source_summaries(site: &Site) -> Vec<SourceSummary> {
    let st = source_totals(site);
    site.sources
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let mut all = true;
            let mut has = false;
            let figures = site
                .measures
                .iter()
                .filter(|m| m.sum)
                .map(|m| {
                    let (declared, total) = &st[si][&m.key];
                    let recomputed = total.recomputed();
                    let matches = declared.is_none_or(|d| u128::from(d) == recomputed);
                    all &= matches;
                    has |= declared.is_some();
                    SourceFigure {
                        label: m.label.clone(),
                        unit: m.unit.clone(),
                        declared: declared
                            .map(|d| group_digits(u128::from(d)))
                            .unwrap_or_default(),
                        recomputed: group_digits(recomputed),
                        matches,
                        declared_given: declared.is_some(),
                        difference: match declared {
                            Some(d) if !matches => {
                                let d = u128::from(*d);
                                if recomputed > d {
                                    format!("+{}", group_digits(recomputed - d))
                                } else {
                                    format!("−{}", group_digits(d - recomputed))
                                }
                            }
                            _ => String::new(),
                        },
                    }
                })
                .collect();
            SourceSummary {
                id: s.id.clone(),
                title: s.title.clone(),
                fiscal_year_label: s
                    .fiscal_year_label
                    .clone()
                    .unwrap_or_else(|| format!("{}年度", s.fiscal_year)),
                count: site.by_source[si].len(),
                figures,
                all_match: all,
                has_declared: has,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct DimSummary {
    label: String,
    /// How many values it has in all (its `entries` may be only the
    /// largest, `view::summary_entries`).
    all: usize,
    /// Its glossary entry, or empty.
    term: String,
    href: String,
    ruby: bool,
    entries: Vec<view::EntryView>,
}

pub(crate) fn home(
    site: &Site,
    theme: &Theme,
    sv: &SiteView,
    downloads: &[data::Download],
) -> Result<OutputFile> {
    let path = urls::HOME;
    let mut ctx = base_ctx(sv, path, &site.config.title);
    ctx.insert("downloads", downloads);
    let mut charts = crate::charts::site::home(site, site.current().to_vec());
    if site.multi_year() {
        charts.extend(crate::charts::site::change_by_value(site));
    }
    ctx.insert("charts", &charts);
    ctx.insert("sources", &source_summaries(site));
    let all = site.current();
    let totals: Vec<TotalView> = site
        .measures
        .iter()
        .enumerate()
        .filter(|(_, m)| m.sum)
        .map(|(mi, _)| total_view(site, &site.total(all, mi), mi))
        .collect();
    ctx.insert("totals", &totals);
    ctx.insert("count", &all.len());
    let dims: Vec<DimSummary> = site
        .dims
        .iter()
        .enumerate()
        .filter(|(_, d)| d.decl.path.is_some())
        .map(|(d, dim)| {
            let (shown, all) = view::summary_entries(
                entries(site, d, site.latest_year())
                    .into_iter()
                    .filter(|e| e.count > 0)
                    .collect(),
            );
            DimSummary {
                label: dim.decl.label.clone(),
                all,
                term: view::dim_term(&dim.decl),
                href: Urls::new(site).dimension(d).unwrap_or_default(),
                ruby: dim.decl.ruby,
                entries: shown,
            }
        })
        .collect();
    ctx.insert("dims", &dims);
    ctx.insert("measures", &summed_measure_labels(site));
    let (history, change) = super::years::site_years(site);
    if let Some(h) = history {
        ctx.insert("history", &h);
        ctx.insert("year_label", &super::years::label(site, site.latest_year()));
        ctx.insert("show_change", &true);
    }
    if let Some(c) = change {
        ctx.insert("change", &c);
    }
    Ok(OutputFile::new(path, theme.render("index.html", &ctx)?))
}
