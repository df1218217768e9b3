//! The list pages: every programme by source (or the sources, when the
//! list is split), a source's pages, a dimension value's pages; and the
//! pager that splits a long list into pages of at most `PAGE_ROWS` rows.

use super::{base_ctx, summed_measure_labels};
use crate::format::count;
use crate::format::group_digits;
use crate::model::totals::{source_order, source_totals};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::data;
use crate::render::jobs::{Renderer, PAGE_ROWS};
use crate::render::theme::Theme;
use crate::render::view::{table, SiteView, Table, TotalView};
use crate::urls;
use anyhow::Result;
use serde::Serialize;

/// Page links shown on each side of the current page in a pager.
const PAGER_WINDOW: usize = 3;

/// Per source: a table in the source's order with its declared totals.
fn source_tables(site: &Site) -> Vec<Table> {
    let st = source_totals(site);
    site.sources
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let rows = source_order(site, &site.by_source[si]);
            let mut t = table(
                site,
                // A caption: the template writes units after it.
                crate::diag::chars::isolate(s.short_title.as_ref().unwrap_or(&s.title))
                    .into_owned(),
                &rows,
                None,
            );
            let mut all_match = true;
            t.declared = site
                .measures
                .iter()
                .enumerate()
                .map(|(mi, m)| {
                    let Some((declared, total)) = st[si].get(&m.key) else {
                        return TotalView {
                            na: true,
                            ..Default::default()
                        };
                    };
                    let recomputed = total.recomputed();
                    match declared {
                        Some(d) => {
                            let ok = u128::from(*d) == recomputed;
                            all_match &= ok;
                            TotalView {
                                key: m.key.clone(),
                                label: m.label.clone(),
                                unit: m.unit.clone(),
                                text: group_digits(u128::from(*d)),
                                matches: ok,
                                ..Default::default()
                            }
                        }
                        None => {
                            let _ = mi;
                            TotalView {
                                na: true,
                                matches: true,
                                ..Default::default()
                            }
                        }
                    }
                })
                .collect();
            t.declared_match = all_match;
            t
        })
        .collect()
}

pub(crate) fn programme_index(
    site: &Site,
    theme: &Theme,
    sv: &SiteView,
    downloads: &[data::Download],
) -> Result<OutputFile> {
    let path = urls::PROGRAMMES;
    let mut ctx = base_ctx(sv, path, &format!("{}一覧", site.config.item_label));
    ctx.insert("downloads", downloads);
    ctx.insert("tables", &source_tables(site));
    Ok(OutputFile::new(
        path,
        theme.render("programmes.html", &ctx)?,
    ))
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    href: String,
    current: bool,
}

/// A pager: where this page is among the pages of a list.
#[derive(Serialize)]
pub(crate) struct Pager {
    pub(crate) current: usize,
    pub(crate) total: usize,
    /// Rows on this page (1-based, inclusive) and in the whole list.
    pub(crate) first_row: usize,
    pub(crate) last_row: usize,
    pub(crate) rows: usize,
    prev: String,
    next: String,
    /// Links to the first, last and nearby pages; a gap is a link with number 0.
    links: Vec<PagerLink>,
}

pub(crate) fn pager(dir: &str, starts: &[usize], rows: usize, page: usize) -> Option<Pager> {
    if starts.len() < 2 {
        return None;
    }
    let n = starts.len();
    let end = starts.get(page + 1).copied().unwrap_or(rows);
    let mut links = Vec::new();
    let mut last = None;
    for k in 0..n {
        if k == 0 || k + 1 == n || k.abs_diff(page) <= PAGER_WINDOW {
            if last.is_some_and(|l: usize| k > l + 1) {
                links.push(PagerLink {
                    number: 0,
                    href: String::new(),
                    current: false,
                });
            }
            links.push(PagerLink {
                number: k + 1,
                href: urls::page(dir, k),
                current: k == page,
            });
            last = Some(k);
        }
    }
    Some(Pager {
        current: page + 1,
        total: n,
        first_row: starts[page] + 1,
        last_row: end,
        rows,
        prev: if page > 0 {
            urls::page(dir, page - 1)
        } else {
            String::new()
        },
        next: if page + 1 < n {
            urls::page(dir, page + 1)
        } else {
            String::new()
        },
        links,
    })
}

pub(crate) fn rows_of<'r>(rows: &'r [usize], starts: &[usize], page: usize) -> &'r [usize] {
    let start = starts[page];
    let end = starts.get(page + 1).copied().unwrap_or(rows.len());
    &rows[start..end]
}

impl Renderer<'_> {
    /// A page of a dimension value: totals of all its programmes, its charts
    /// and downloads (first page), and a table of at most PAGE_ROWS rows.
    pub(crate) fn entry_page(&self, d: usize, e: usize, page: usize) -> Result<OutputFile> {
        let (site, sv) = (self.site, &self.sv);
        let dim = &site.dims[d];
        let ev = &self.entries[d][e];
        let starts = &self.entry_pages[d][e];
        let all_rows = &self.index.entry_rows[d][e];
        let dir = self.entry_dir(d, e);
        let path = urls::page(&dir, page);
        let pager = pager(&dir, starts, all_rows.len(), page);
        // The name inside generated text: isolated when it could reorder it.
        let name = crate::diag::chars::isolate(&ev.name);
        let title = match &pager {
            Some(p) => format!("{name}（{}/{}ページ）", p.current, p.total),
            None => name.to_string(),
        };
        let mut ctx = base_ctx(sv, &path, &title);
        ctx.insert(
            "description",
            &super::describe_value(site, &dim.decl.label, ev),
        );
        if let Some(feed) = self
            .urls()
            .value_feed(d, e)
            .filter(|_| site.config.outputs.value_feeds)
        {
            ctx.insert("feed_href", &feed);
            ctx.insert(
                "feed_title",
                &format!("{}（{}）| {}", ev.name, dim.decl.label, site.config.title),
            );
        }
        ctx.insert("dim_label", &dim.decl.label);
        ctx.insert("dim_ruby", &dim.decl.ruby);
        ctx.insert_value("entry", self.entry_values[d][e].clone());
        let caption = match &pager {
            Some(p) => format!(
                "{name}の{}（{}〜{}件目／全{}件）",
                site.config.item_label,
                count(p.first_row as i64),
                count(p.last_row as i64),
                count(p.rows as i64)
            ),
            None => format!("{name}の{}", site.config.item_label),
        };
        let t = table(site, caption, rows_of(all_rows, starts, page), Some(d));
        ctx.insert("table", &t);
        ctx.insert("downloads", self.dl(&ev.href));
        if page == 0 {
            let (history, change) = super::years::value_years(site, d, e);
            if let Some(h) = history {
                ctx.insert("history", &h);
                ctx.insert("year_label", &super::years::label(site, site.latest_year()));
            }
            if let Some(c) = change {
                ctx.insert("change", &c);
            }
            ctx.insert(
                "charts",
                &crate::charts::site::entry(site, d, e, site.latest_year()),
            );
        } else {
            ctx.insert("charts", &Vec::<()>::new());
        }
        if let Some(p) = &pager {
            ctx.insert("pager", p);
            ctx.insert("subtotal", &true);
        }
        Ok(OutputFile::new(
            path,
            self.theme.render("dimension.html", &ctx)?,
        ))
    }

    /// programmes/index.html of a split list: the sources with their totals.
    pub(crate) fn source_list(&self) -> Result<OutputFile> {
        let site = self.site;
        let path = urls::PROGRAMMES;
        let mut ctx = base_ctx(&self.sv, path, &format!("{}一覧", site.config.item_label));
        ctx.insert("downloads", self.dl(path));
        ctx.insert("source_list", &self.summaries);
        ctx.insert("measures", &summed_measure_labels(site));
        ctx.insert("page_rows", &PAGE_ROWS);
        Ok(OutputFile::new(
            path,
            self.theme.render("programmes.html", &ctx)?,
        ))
    }

    /// A page of one source's programmes (split lists).
    pub(crate) fn source_page(&self, s: usize, page: usize) -> Result<OutputFile> {
        let site = self.site;
        let src = &self.sv.sources[s];
        let dir = self.urls().source_dir(s);
        let path = urls::page(&dir, page);
        let rows = &self.source_rows[s];
        let starts = &self.source_pages[s];
        let pager = pager(&dir, starts, rows.len(), page);
        let short = crate::diag::chars::isolate(&src.short_title);
        let title = match &pager {
            Some(p) => format!("{short}（{}/{}ページ）", p.current, p.total),
            None => short.to_string(),
        };
        let mut ctx = base_ctx(&self.sv, &path, &title);
        ctx.insert("source", src);
        ctx.insert("summary", &self.summaries[s]);
        let caption = match &pager {
            Some(p) => format!(
                "{short}（{}〜{}件目／全{}件）",
                count(p.first_row as i64),
                count(p.last_row as i64),
                count(p.rows as i64)
            ),
            None => short.to_string(),
        };
        ctx.insert(
            "table",
            &table(site, caption, rows_of(rows, starts, page), None),
        );
        if let Some(p) = &pager {
            ctx.insert("pager", p);
            ctx.insert("subtotal", &true);
        }
        Ok(OutputFile::new(
            path,
            self.theme.render("source.html", &ctx)?,
        ))
    }
}
