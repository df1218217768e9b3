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
//! [`discovery::FEED_ENTRIES`] programmes; `sitemap.xml` becomes an index over
//! files of at most [`discovery::SITEMAP_URLS`] URLs.

use super::data::DataFormat;
use super::pages::home::{source_summaries, SourceSummary};
use super::theme::Theme;
use super::view::{entries, SiteView};
use super::{data, discovery, pages, view};
use crate::model::totals::source_order;
use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use crate::urls::{self, Urls};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Most rows in one table page.
pub const PAGE_ROWS: usize = 200;

/// One unit of rendering: the files it writes are known before rendering
/// ([`Renderer::paths`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// CSV, CSV and JSON of all programmes (`d: None`) or of a dimension value.
    Data {
        /// The dimension, or `None` for the whole list.
        d: Option<usize>,
        /// The value of dimension `d`.
        e: usize,
    },
    /// data/schema.json.
    Schema,
    /// index.html.
    Home,
    /// programmes/index.html.
    Programmes,
    /// `sources/<id>/` page `page` (0-based), when the programme list is split.
    Source {
        /// The source.
        s: usize,
        /// The page, 0-based.
        page: usize,
    },
    /// data/index.html.
    DataPage,
    /// Page `page` (0-based) of the list of a dimension's values (pages of
    /// at most [`PAGE_ROWS`] values).
    DimIndex {
        /// The dimension.
        d: usize,
        /// The page.
        page: usize,
    },
    /// Page `page` (0-based) of a dimension value.
    DimEntry {
        /// The dimension.
        d: usize,
        /// The value.
        e: usize,
        /// The page, 0-based.
        page: usize,
    },
    /// A programme page (one record), its embeddable card and redirects
    /// (its aliases; with series, its own id).
    Programme(usize),
    /// A series' page (`programmes/<series>/`), when the site declares series.
    Series(usize),
    /// `years/<fy>/`: one fiscal year of a site of several.
    Year(i32),
    /// `<path>/<slug>/<fy>/`: one fiscal year of a dimension value, in a
    /// site of several years.
    DimYear {
        /// The dimension.
        d: usize,
        /// The value.
        e: usize,
        /// The fiscal year.
        fy: i32,
        /// The page, 0-based.
        page: usize,
    },
    /// The changes files from the year before `fy` to `fy`
    /// (`data/changes/<previous>-<fy>.*`).
    Changes(i32),
    /// A programme's own JSON document (`data/programmes/<id>.json`).
    ProgrammeData(usize),
    /// The sources files (`data/sources.*`) and the source tables found
    /// beside the content (`data/sources/<file>`).
    Sources,
    /// A dimension value's Atom feed (`<path>/<slug>/feed.xml`).
    ValueFeed {
        /// The dimension.
        d: usize,
        /// The value.
        e: usize,
    },
    /// search/index.html.
    Search,
    /// accessibility/index.html.
    Accessibility,
    /// glossary/index.html, when a measure or dimension explains itself.
    Glossary,
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
    /// Per dimension, per value: its programmes of the latest fiscal year
    /// in source order (every programme, in a one-year site).
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
                    .map(|set| {
                        if site.multi_year() {
                            source_order(site, &site.in_year(set, site.latest_year()))
                        } else {
                            source_order(site, set)
                        }
                    })
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
    pub(crate) theme: &'a Theme,
    pub(crate) sv: SiteView,
    pub(crate) downloads: BTreeMap<String, Vec<data::Download>>,
    /// Per dimension with pages: its values with counts and totals.
    pub(crate) entries: Vec<Vec<view::EntryView>>,
    /// The same as template values, made once (a value's pages share it).
    pub(crate) entry_values: Vec<Vec<tera::Value>>,
    pub(crate) index: Index,
    /// Per dimension, per value: first row of each page.
    pub(crate) entry_pages: Vec<Vec<Vec<usize>>>,
    /// Per source: its programmes in order, and the first row of each page.
    pub(crate) source_rows: Vec<Vec<usize>>,
    pub(crate) source_pages: Vec<Vec<usize>>,
    /// Whether the programme list is split into source pages.
    pub(crate) split_sources: bool,
    /// The data formats of the whole list and of each dimension value's list.
    pub(crate) whole_formats: Vec<DataFormat>,
    pub(crate) value_formats: Vec<DataFormat>,
    /// Per source: counts and totals (when split).
    pub(crate) summaries: Vec<SourceSummary>,
    pub(crate) jobs: Vec<Job>,
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

/// First values of the pages of a dimension's list of `n` values: pages
/// of [`PAGE_ROWS`] (one page, empty, for none).
pub fn value_page_starts(n: usize) -> Vec<usize> {
    (0..n.max(1)).step_by(PAGE_ROWS).collect()
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
                    entries(site, d, site.latest_year())
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
        if site.compares_years() && !self.whole_formats.is_empty() {
            jobs.extend(site.years.iter().skip(1).map(|&fy| Job::Changes(fy)));
        }
        if outputs.programme_data {
            jobs.extend((0..site.programmes.len()).map(Job::ProgrammeData));
        }
        if !self.whole_formats.is_empty() || site.source_tables.iter().any(Option::is_some) {
            jobs.push(Job::Sources);
        }
        jobs.extend([Job::Schema, Job::Home, Job::Programmes]);
        if site.multi_year() {
            jobs.extend(site.years.iter().map(|&fy| Job::Year(fy)));
        }
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
            let pages = value_page_starts(dim.entries.len()).len();
            jobs.extend((0..pages).map(|page| Job::DimIndex { d, page }));
            for e in 0..dim.entries.len() {
                jobs.extend((0..self.entry_pages[d][e].len()).map(|page| Job::DimEntry {
                    d,
                    e,
                    page,
                }));
                if outputs.value_feeds {
                    jobs.push(Job::ValueFeed { d, e });
                }
                if site.multi_year() {
                    for &fy in &site.years {
                        let (rows, starts) = self.year_rows(d, e, fy);
                        let pages = starts.len();
                        if !rows.is_empty() {
                            jobs.extend((0..pages).map(|page| Job::DimYear { d, e, fy, page }));
                        }
                    }
                }
            }
        }
        jobs.extend((0..site.programmes.len()).map(Job::Programme));
        if site.config.series.is_some() {
            jobs.extend((0..site.series.len()).map(Job::Series));
        }
        if outputs.search {
            jobs.push(Job::Search);
        }
        if view::has_glossary(&site.config) {
            jobs.push(Job::Glossary);
        }
        jobs.extend([Job::Accessibility, Job::NotFound, Job::Discovery]);
        jobs
    }

    /// A dimension value's records of one fiscal year in source order, and
    /// the first row of each of their pages.
    pub(crate) fn year_rows(&self, d: usize, e: usize, fy: i32) -> (Vec<usize>, Vec<usize>) {
        let rows = source_order(
            self.site,
            &self.site.in_year(&self.site.dims[d].programmes[e], fy),
        );
        let starts = page_starts(self.site, &rows);
        (rows, starts)
    }

    /// The jobs, in plan order.
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    pub(crate) fn urls(&self) -> Urls<'a> {
        Urls::new(self.site)
    }

    pub(crate) fn entry_dir(&self, d: usize, e: usize) -> String {
        self.urls().value_dir(d, e).unwrap_or_default()
    }

    /// The formats of the data files of the whole list (`d: None`) or of a
    /// dimension value.
    pub(crate) fn formats(&self, d: Option<usize>) -> &[DataFormat] {
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
            Job::DimIndex { d, page } => {
                vec![self.urls().dimension_page(d, page).unwrap_or_default()]
            }
            Job::DimEntry { d, e, page } => vec![urls::page(&self.entry_dir(d, e), page)],
            Job::Programme(p) => {
                let u = self.urls();
                let mut v = vec![u.programme(p)];
                if site.config.outputs.embed {
                    v.push(u.embed(p));
                }
                v.extend(site.programmes[p].aliases.iter().map(|a| u.alias(a)));
                v.extend(u.record_redirect(p));
                v
            }
            Job::Series(s) => self.urls().series(s).into_iter().collect(),
            Job::Year(fy) => vec![self.urls().year(fy)],
            Job::DimYear { d, e, fy, page } => self
                .urls()
                .value_year(d, e, fy)
                .map(|p| urls::page(p.trim_end_matches("/index.html"), page))
                .into_iter()
                .collect(),
            Job::Changes(fy) => {
                let prev = site.previous_year(fy).unwrap_or(fy);
                let b = Urls::changes_base(prev, fy);
                self.whole_formats
                    .iter()
                    .map(|f| format!("{b}{}", f.suffix()))
                    .collect()
            }
            Job::ProgrammeData(p) => vec![self.urls().programme_data(p)],
            Job::Sources => super::sources::paths(site, &self.whole_formats),
            Job::ValueFeed { d, e } => self.urls().value_feed(d, e).into_iter().collect(),
            Job::Search => vec![urls::SEARCH.into()],
            Job::Accessibility => vec![urls::ACCESSIBILITY.into()],
            Job::Glossary => vec![urls::GLOSSARY.into()],
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

    /// The pages search engines are told of (the sitemap): every page but
    /// the redirects of old ids and record ids, which say `noindex`.
    pub fn indexable_paths(&self) -> Vec<String> {
        self.jobs
            .iter()
            .filter(|j| **j != Job::Discovery)
            .flat_map(|&j| match j {
                Job::Programme(p) => vec![self.urls().programme(p)],
                _ => self.paths(j),
            })
            .collect()
    }

    pub(crate) fn dl(&self, path: &str) -> &[data::Download] {
        self.downloads.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Renders one job.
    pub fn render_job(&self, job: Job) -> Result<Vec<OutputFile>> {
        let site = self.site;
        Ok(match job {
            Job::Data { d, e } => data::set_data(
                site,
                &self.data_base(d, e),
                &self.data_rows(job),
                self.formats(d),
            ),
            Job::Schema => vec![OutputFile::new(urls::SCHEMA, crate::schema::to_bytes(site))],
            Job::Home => vec![pages::home::home(
                site,
                self.theme,
                &self.sv,
                self.dl(urls::HOME),
            )?],
            Job::Programmes if !self.split_sources => vec![pages::lists::programme_index(
                site,
                self.theme,
                &self.sv,
                self.dl(urls::PROGRAMMES),
            )?],
            Job::Programmes => vec![self.source_list()?],
            Job::Source { s, page } => vec![self.source_page(s, page)?],
            Job::DataPage => vec![self.data_page()?],
            Job::DimIndex { d, page } => vec![self.dimension_index(d, page)?],
            Job::DimEntry { d, e, page } => vec![self.entry_page(d, e, page)?],
            Job::Programme(p) => {
                pages::programme::programme_page(site, self.theme, &self.sv, p, &self.index)?
            }
            Job::Series(s) => vec![self.series_page(s)?],
            Job::Year(fy) => vec![self.year_page(fy)?],
            Job::DimYear { d, e, fy, page } => vec![self.entry_year_page(d, e, fy, page)?],
            Job::Changes(fy) => super::changes::changes_data(site, fy, &self.whole_formats),
            Job::ProgrammeData(p) => vec![OutputFile::new(
                self.urls().programme_data(p),
                data::programme_json(site, p),
            )],
            Job::Sources => super::sources::files(site, &self.whole_formats),
            Job::ValueFeed { d, e } => discovery::value_feed(site, d, e).into_iter().collect(),
            Job::Search => vec![self.search_page()?],
            Job::Accessibility => vec![self.accessibility_page()?],
            Job::Glossary => vec![self.glossary_page()?],
            Job::NotFound => vec![self.not_found_page()?],
            Job::Discovery => discovery::discovery_files(site, &self.indexable_paths()),
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
            .filter(|j| matches!(j, Job::Data { .. } | Job::ProgrammeData(_)))
            .collect();
        if !data.is_empty() {
            let cache = data::DataCache::new(self.site);
            // The largest files first; a programme's own document is one row.
            data.sort_by_key(|&j| {
                std::cmp::Reverse(match j {
                    Job::ProgrammeData(_) => 1,
                    _ => self.data_rows(j).len(),
                })
            });
            data.par_iter()
                .with_max_len(1)
                .try_for_each(|&job| -> Result<()> {
                    if let Job::ProgrammeData(p) = job {
                        sink.stream(&self.urls().programme_data(p), &mut |w| {
                            data::write_data(self.site, Some(&cache), &[p], DataFormat::Json, w)
                        })?;
                        sink.job_done();
                        return Ok(());
                    }
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
            .filter(|j| !matches!(j, Job::Data { .. } | Job::ProgrammeData(_)))
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
            Job::Data { d: Some(d), e } if self.site.multi_year() => {
                std::borrow::Cow::Owned(source_order(self.site, &self.site.dims[d].programmes[e]))
            }
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
}
