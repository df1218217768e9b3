//! The page plan: every file of the site as a [`Job`] that renders on its
//! own, from indexes built once ([`Renderer::new`]).
//!
//! `build` renders the jobs in parallel and writes each file as soon as it
//! is made, so memory does not grow with the output; `serve` renders the job
//! of a requested page only; [`Renderer::render_all`] collects every file
//! (sorted by path) for tests and `render_site`.
//!
//! No list grows without bound. A table of more than [`PAGE_ROWS`] rows (a
//! dimension value's programmes, a source's programmes) is split into pages
//! of at most `PAGE_ROWS` rows (`…/page/2/index.html`, …); every page shows
//! the totals of the whole list, each table's footer the subtotal of its own
//! rows, and a shared group (merged cell) is never cut across two pages.
//! When the site has more than `PAGE_ROWS` programmes, `programmes/index.html`
//! lists the sources with their totals and each source gets its own pages
//! under `sources/<id>/`. The feed keeps the newest
//! [`data::FEED_ENTRIES`] programmes; `sitemap.xml` becomes an index over
//! files of at most [`data::SITEMAP_URLS`] URLs.

use super::*;
use crate::urls::{self, Urls};
use std::collections::BTreeMap;

/// Most rows in one table page.
pub const PAGE_ROWS: usize = 200;
/// Page links shown on each side of the current page in a pager.
const PAGER_WINDOW: usize = 3;

/// One unit of rendering: the files it writes are known before rendering
/// ([`Renderer::paths`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// CSV, CSV and JSON of all programmes (`d: None`) or of a dimension value.
    Data { d: Option<usize>, e: usize },
    /// data/schema.json.
    Schema,
    /// index.html.
    Home,
    /// programmes/index.html.
    Programmes,
    /// sources/<id>/ page `page` (0-based), when the programme list is split.
    Source { s: usize, page: usize },
    /// data/index.html.
    DataPage,
    /// The list page of a dimension.
    DimIndex(usize),
    /// Page `page` (0-based) of a dimension value.
    DimEntry { d: usize, e: usize, page: usize },
    /// A programme page, its embeddable card and alias redirects.
    Programme(usize),
    /// search/index.html.
    Search,
    /// accessibility/index.html.
    Accessibility,
    /// 404.html.
    NotFound,
    /// sitemap.xml (and its parts), feed.xml, robots.txt: need every path.
    Discovery,
}

/// Where rendered files go. `put` takes a job's files (from several threads
/// at once); large data files are streamed through `stream` (by default
/// buffered and handed to `put`).
pub trait Sink: Sync {
    /// Takes finished files.
    fn put(&self, files: Vec<OutputFile>) -> Result<()>;
    /// Takes one file written by `fill`.
    fn stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut b = Vec::new();
        fill(&mut b)?;
        self.put(vec![OutputFile::new(path, b)])
    }
    /// A job is done (for progress).
    fn job_done(&self) {}
}

/// Lookups programme pages need, built once.
pub struct Index {
    /// Per programme: the programmes of its source that continue it, in
    /// source order.
    pub continued_by: Vec<Vec<usize>>,
    /// Per dimension, per value: its programmes in source order.
    pub entry_rows: Vec<Vec<Vec<usize>>>,
}

impl Index {
    /// Builds the lookups (one pass over the programmes; sorts in parallel).
    pub fn new(site: &Site) -> Index {
        let mut continued_by = vec![Vec::new(); site.programmes.len()];
        for set in &site.by_source {
            for &q in set {
                if let Some(c) = site.programmes[q].continues {
                    if site.programmes[c].source == site.programmes[q].source {
                        continued_by[c].push(q);
                    }
                }
            }
        }
        let entry_rows = site
            .dims
            .iter()
            .map(|dim| {
                dim.programmes
                    .par_iter()
                    .map(|set| source_order(site, set))
                    .collect()
            })
            .collect();
        Index {
            continued_by,
            entry_rows,
        }
    }
}

/// Everything rendering needs, computed once per site.
pub struct Renderer<'a> {
    /// The site.
    pub site: &'a Site,
    theme: &'a Theme,
    sv: SiteView,
    downloads: BTreeMap<String, Vec<data::Download>>,
    /// Per dimension with pages: its values with counts and totals.
    entries: Vec<Vec<view::EntryView>>,
    /// The same as template values, made once (a value's pages share it).
    entry_values: Vec<Vec<tera::Value>>,
    index: Index,
    /// Per dimension, per value: first row of each page.
    entry_pages: Vec<Vec<Vec<usize>>>,
    /// Per source: its programmes in order, and the first row of each page.
    source_rows: Vec<Vec<usize>>,
    source_pages: Vec<Vec<usize>>,
    /// Whether the programme list is split into source pages.
    split_sources: bool,
    /// The data formats of the whole list and of each dimension value's list.
    whole_formats: Vec<data::DataFormat>,
    value_formats: Vec<data::DataFormat>,
    /// Per source: counts and totals (when split).
    summaries: Vec<SourceSummary>,
    jobs: Vec<Job>,
}

/// First rows of the pages of a list: pages of at most [`PAGE_ROWS`] rows,
/// longer only so as not to cut a shared group.
pub fn page_starts(site: &Site, rows: &[usize]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while rows.len() - i > PAGE_ROWS {
        let mut end = i + PAGE_ROWS;
        while end < rows.len() && same_group(site, rows[end - 1], rows[end]) {
            end += 1;
        }
        if end >= rows.len() {
            break;
        }
        starts.push(end);
        i = end;
    }
    starts
}

/// Whether `b` shares an amount with `a` (the row before it).
fn same_group(site: &Site, a: usize, b: usize) -> bool {
    let lead_of = |p: usize, mi: usize| match &site.programmes[p].measures[mi] {
        MeasureValue::Lead { .. } => Some(p),
        MeasureValue::Member { lead } => Some(*lead),
        _ => None,
    };
    (0..site.measures.len())
        .any(|mi| matches!((lead_of(a, mi), lead_of(b, mi)), (Some(x), Some(y)) if x == y))
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    href: String,
    current: bool,
}

/// A pager: where this page is among the pages of a list.
#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    /// Rows on this page (1-based, inclusive) and in the whole list.
    first_row: usize,
    last_row: usize,
    rows: usize,
    prev: String,
    next: String,
    /// Links to the first, last and nearby pages; a gap is a link with number 0.
    links: Vec<PagerLink>,
}

fn pager(dir: &str, starts: &[usize], rows: usize, page: usize) -> Option<Pager> {
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

fn rows_of<'r>(rows: &'r [usize], starts: &[usize], page: usize) -> &'r [usize] {
    let start = starts[page];
    let end = starts.get(page + 1).copied().unwrap_or(rows.len());
    &rows[start..end]
}

impl<'a> Renderer<'a> {
    /// Builds the indexes and the plan.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Renderer<'a> {
        let index = Index::new(site);
        let mut downloads = BTreeMap::new();
        let outputs = &site.config.outputs;
        let (whole_formats, value_formats) = (outputs.formats(false), outputs.formats(true));
        let u = Urls::new(site);
        let all = data::set_downloads(urls::DATA_ALL, &whole_formats);
        downloads.insert(urls::HOME.to_string(), all.clone());
        downloads.insert(urls::PROGRAMMES.to_string(), all);
        for (d, dim) in site.dims.iter().enumerate() {
            for e in 0..dim.entries.len() {
                let Some(page) = u.value(d, e) else { continue };
                downloads.insert(
                    page,
                    data::set_downloads(&u.data_base(Some((d, e))), &value_formats),
                );
            }
        }
        let entries: Vec<Vec<view::EntryView>> = (0..site.dims.len())
            .into_par_iter()
            .map(|d| {
                if site.dims[d].decl.path.is_some() {
                    entries(site, d)
                } else {
                    Vec::new()
                }
            })
            .collect();
        let entry_values = entries
            .iter()
            .map(|es| es.iter().map(tera::Value::from_serializable).collect())
            .collect();
        let entry_pages = index
            .entry_rows
            .iter()
            .map(|es| es.iter().map(|rows| page_starts(site, rows)).collect())
            .collect();
        let source_rows: Vec<Vec<usize>> = site
            .by_source
            .iter()
            .map(|set| source_order(site, set))
            .collect();
        let source_pages = source_rows
            .iter()
            .map(|rows| page_starts(site, rows))
            .collect();
        let split_sources = site.programmes.len() > PAGE_ROWS;
        let mut r = Renderer {
            site,
            theme,
            sv: SiteView::new(site),
            downloads,
            entries,
            entry_values,
            index,
            entry_pages,
            source_rows,
            source_pages,
            split_sources,
            whole_formats,
            value_formats,
            summaries: if split_sources {
                source_summaries(site)
            } else {
                Vec::new()
            },
            jobs: Vec::new(),
        };
        r.jobs = r.plan();
        r
    }

    /// Every job, in the order the files were always listed in (the
    /// sitemap follows it).
    fn plan(&self) -> Vec<Job> {
        let site = self.site;
        let outputs = &site.config.outputs;
        let mut jobs = Vec::new();
        if !self.whole_formats.is_empty() {
            jobs.push(Job::Data { d: None, e: 0 });
        }
        for (d, dim) in site.dims.iter().enumerate() {
            if dim.decl.path.is_some() && !self.value_formats.is_empty() {
                jobs.extend((0..dim.entries.len()).map(|e| Job::Data { d: Some(d), e }));
            }
        }
        jobs.extend([Job::Schema, Job::Home, Job::Programmes]);
        if self.split_sources {
            for (s, starts) in self.source_pages.iter().enumerate() {
                jobs.extend((0..starts.len()).map(|page| Job::Source { s, page }));
            }
        }
        if outputs.has_data() {
            jobs.push(Job::DataPage);
        }
        for (d, dim) in site.dims.iter().enumerate() {
            if dim.decl.path.is_none() {
                continue;
            }
            jobs.push(Job::DimIndex(d));
            for e in 0..dim.entries.len() {
                jobs.extend((0..self.entry_pages[d][e].len()).map(|page| Job::DimEntry {
                    d,
                    e,
                    page,
                }));
            }
        }
        jobs.extend((0..site.programmes.len()).map(Job::Programme));
        if outputs.search {
            jobs.push(Job::Search);
        }
        jobs.extend([Job::Accessibility, Job::NotFound, Job::Discovery]);
        jobs
    }

    /// The jobs, in plan order.
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    fn urls(&self) -> Urls<'a> {
        Urls::new(self.site)
    }

    fn entry_dir(&self, d: usize, e: usize) -> String {
        self.urls().value_dir(d, e).unwrap_or_default()
    }

    /// The formats of the data files of the whole list (`d: None`) or of a
    /// dimension value.
    fn formats(&self, d: Option<usize>) -> &[data::DataFormat] {
        match d {
            None => &self.whole_formats,
            Some(_) => &self.value_formats,
        }
    }

    fn data_base(&self, d: Option<usize>, e: usize) -> String {
        self.urls().data_base(d.map(|d| (d, e)))
    }

    /// The files job `job` writes (Discovery: the ones it may write).
    pub fn paths(&self, job: Job) -> Vec<String> {
        let site = self.site;
        match job {
            Job::Data { d, e } => {
                let b = self.data_base(d, e);
                self.formats(d)
                    .iter()
                    .map(|f| format!("{b}{}", f.suffix()))
                    .collect()
            }
            Job::Schema => vec![urls::SCHEMA.into()],
            Job::Home => vec![urls::HOME.into()],
            Job::Programmes => vec![urls::PROGRAMMES.into()],
            Job::Source { s, page } => vec![urls::page(&self.urls().source_dir(s), page)],
            Job::DataPage => vec![urls::DATA_PAGE.into()],
            Job::DimIndex(d) => vec![self.urls().dimension(d).unwrap_or_default()],
            Job::DimEntry { d, e, page } => vec![urls::page(&self.entry_dir(d, e), page)],
            Job::Programme(p) => {
                let u = self.urls();
                let mut v = vec![u.programme(p)];
                if site.config.outputs.embed {
                    v.push(u.embed(p));
                }
                v.extend(site.programmes[p].aliases.iter().map(|a| u.alias(a)));
                v
            }
            Job::Search => vec![urls::SEARCH.into()],
            Job::Accessibility => vec![urls::ACCESSIBILITY.into()],
            Job::NotFound => vec![urls::NOT_FOUND.into()],
            Job::Discovery => vec![urls::SITEMAP.into(), urls::FEED.into(), urls::ROBOTS.into()],
        }
    }

    /// Every page path of the site except the discovery files, in plan order.
    pub fn all_paths(&self) -> Vec<String> {
        self.jobs
            .iter()
            .filter(|j| **j != Job::Discovery)
            .flat_map(|&j| self.paths(j))
            .collect()
    }

    fn dl(&self, path: &str) -> &[data::Download] {
        self.downloads.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Renders one job.
    pub fn render_job(&self, job: Job) -> Result<Vec<OutputFile>> {
        let (site, theme, sv) = (self.site, self.theme, &self.sv);
        Ok(match job {
            Job::Data { d, e } => data::set_data(
                site,
                &self.data_base(d, e),
                &self.data_rows(job),
                self.formats(d),
            ),
            Job::Schema => vec![OutputFile::new(urls::SCHEMA, crate::schema::to_bytes(site))],
            Job::Home => vec![home(site, theme, sv, self.dl(urls::HOME))?],
            Job::Programmes if !self.split_sources => {
                vec![programme_index(site, theme, sv, self.dl(urls::PROGRAMMES))?]
            }
            Job::Programmes => vec![self.source_list()?],
            Job::Source { s, page } => vec![self.source_page(s, page)?],
            Job::DataPage => {
                let mut ctx = base_ctx(sv, urls::DATA_PAGE, "オープンデータ");
                ctx.insert("columns", &data::column_docs(site));
                ctx.insert("downloads", self.dl(urls::HOME));
                let (whole, per_value) = (&self.whole_formats, &self.value_formats);
                let dim_data: Vec<(String, String)> = if per_value.is_empty() {
                    Vec::new()
                } else {
                    site.dims
                        .iter()
                        .filter_map(|d| d.decl.path.clone().map(|p| (d.decl.label.clone(), p)))
                        .collect()
                };
                ctx.insert("dim_data", &dim_data);
                ctx.insert("data_formats", &whole);
                // Each value's files: their first name, whether there are
                // more, and how their formats compare with the whole list's.
                ctx.insert(
                    "value_suffix",
                    per_value.first().map(|f| f.suffix()).unwrap_or_default(),
                );
                ctx.insert("value_more", &(per_value.len() > 1));
                let kinds = if per_value == whole {
                    "同じ形式の".to_string()
                } else {
                    per_value
                        .iter()
                        .map(|f| f.label())
                        .collect::<Vec<_>>()
                        .join("・")
                        + "の"
                };
                ctx.insert("value_kinds", &kinds);
                vec![OutputFile::new(
                    urls::DATA_PAGE,
                    theme.render("data.html", &ctx)?,
                )]
            }
            Job::DimIndex(d) => {
                let dim = &site.dims[d];
                let path = self.urls().dimension(d).unwrap_or_default();
                let mut ctx = base_ctx(sv, &path, &dim.decl.label);
                ctx.insert("dim_label", &dim.decl.label);
                ctx.insert("dim_ruby", &dim.decl.ruby);
                ctx.insert("entries", &self.entries[d]);
                ctx.insert("measures", &summed_measure_labels(site));
                vec![OutputFile::new(
                    path,
                    theme.render("dimension_index.html", &ctx)?,
                )]
            }
            Job::DimEntry { d, e, page } => vec![self.entry_page(d, e, page)?],
            Job::Programme(p) => programme_page(site, theme, sv, p, &self.index)?,
            Job::Search => {
                let mut ctx = base_ctx(sv, urls::SEARCH, "検索");
                let facets: Vec<view::NavItem> = site
                    .dims
                    .iter()
                    .filter(|d| d.decl.facet)
                    .map(|d| view::NavItem {
                        label: d.decl.label.clone(),
                        href: d.decl.key.clone(),
                    })
                    .collect();
                ctx.insert("facets", &facets);
                vec![OutputFile::new(
                    urls::SEARCH,
                    theme.render("search.html", &ctx)?,
                )]
            }
            Job::Accessibility => {
                let ctx = base_ctx(sv, urls::ACCESSIBILITY, "アクセシビリティについて");
                vec![OutputFile::new(
                    urls::ACCESSIBILITY,
                    theme.render("accessibility.html", &ctx)?,
                )]
            }
            Job::NotFound => {
                // A server shows 404.html at any depth: with a base URL, its links are absolute.
                let mut ctx = base_ctx(sv, urls::NOT_FOUND, "ページが見つかりません");
                if let Some(b) = self.urls().base() {
                    ctx.insert("root", &b);
                }
                vec![OutputFile::new(
                    urls::NOT_FOUND,
                    theme.render("404.html", &ctx)?,
                )]
            }
            Job::Discovery => data::discovery_files(site, &self.all_paths()),
        })
    }

    /// Renders the data-file jobs in parallel, handing the files to `sink`
    /// as they are made, streamed from per-programme pieces made once
    /// ([`data::DataCache`], dropped after). [`Renderer::render_pages`]
    /// does every other job.
    pub fn render_data(&self, sink: &dyn Sink) -> Result<()> {
        let mut data: Vec<Job> = self
            .jobs
            .iter()
            .copied()
            .filter(|j| matches!(j, Job::Data { .. }))
            .collect();
        if !data.is_empty() {
            let cache = data::DataCache::new(self.site);
            data.sort_by_key(|&j| std::cmp::Reverse(self.data_rows(j).len()));
            data.par_iter()
                .with_max_len(1)
                .try_for_each(|&job| -> Result<()> {
                    let Job::Data { d, e } = job else {
                        return Ok(());
                    };
                    let rows = self.data_rows(job);
                    for &f in self.formats(d) {
                        let path = format!("{}{}", self.data_base(d, e), f.suffix());
                        sink.stream(&path, &mut |w| {
                            data::write_data(self.site, Some(&cache), &rows, f, w)
                        })?;
                    }
                    sink.job_done();
                    Ok(())
                })?;
        }
        Ok(())
    }

    /// Every job but the data files, in parallel.
    pub fn render_pages(&self, sink: &dyn Sink) -> Result<()> {
        let rest: Vec<Job> = self
            .jobs
            .iter()
            .copied()
            .filter(|j| !matches!(j, Job::Data { .. }))
            .collect();
        rest.par_iter().with_max_len(64).try_for_each(|&job| {
            sink.put(self.render_job(job)?)?;
            sink.job_done();
            Ok(())
        })
    }

    /// The programmes of a data job, in source order.
    fn data_rows(&self, job: Job) -> std::borrow::Cow<'_, [usize]> {
        match job {
            Job::Data { d: Some(d), e } => std::borrow::Cow::Borrowed(&self.index.entry_rows[d][e]),
            _ => std::borrow::Cow::Owned(source_order(self.site, &self.site.all())),
        }
    }

    /// Every file, sorted by path.
    pub fn render_all(&self) -> Result<Vec<OutputFile>> {
        let parts: Vec<Vec<OutputFile>> = self
            .jobs
            .par_iter()
            .map(|&job| self.render_job(job))
            .collect::<Result<_>>()?;
        let mut out: Vec<OutputFile> = parts.into_iter().flatten().collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// A page of a dimension value: totals of all its programmes, its charts
    /// and downloads (first page), and a table of at most PAGE_ROWS rows.
    fn entry_page(&self, d: usize, e: usize, page: usize) -> Result<OutputFile> {
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
        ctx.insert("dim_label", &dim.decl.label);
        ctx.insert("dim_ruby", &dim.decl.ruby);
        ctx.insert_value("entry", self.entry_values[d][e].clone());
        let caption = match &pager {
            Some(p) => format!(
                "{name}の{}（{}〜{}件目／全{}件）",
                site.config.item_label, p.first_row, p.last_row, p.rows
            ),
            None => format!("{name}の{}", site.config.item_label),
        };
        let t = table(site, caption, rows_of(all_rows, starts, page), Some(d));
        ctx.insert("table", &t);
        ctx.insert("downloads", self.dl(&ev.href));
        if page == 0 {
            ctx.insert("charts", &crate::charts::site::entry(site, d, e));
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
    fn source_list(&self) -> Result<OutputFile> {
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
    fn source_page(&self, s: usize, page: usize) -> Result<OutputFile> {
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
                p.first_row, p.last_row, p.rows
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
