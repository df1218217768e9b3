//! Fiscal years on the pages: a set's history (each year's count and
//! totals, the change from the year before), what changed from one year to
//! the next (largest increases and decreases, new, absent), the page of one
//! year (`years/<fy>/`), a dimension value's page of one year, and a
//! series' page (`programmes/<series>/`).
//!
//! Every figure is of one year; what spans years shows each year apart.

use super::{base_ctx, summed_measure_labels};
use crate::format::group_digits;
use crate::model::series::year_label;
use crate::model::years::{Difference, Status};
use crate::model::{JudgementKind, Site};
use crate::output::OutputFile;
use crate::render::jobs::Renderer;
use crate::render::view::{entry_view, table, total_view, TotalView};
use crate::urls::{self, Urls};
use anyhow::Result;
use serde::Serialize;

/// How many of the largest increases and decreases a page lists, and how
/// many new or absent programmes before "and N more" (the changes file has
/// them all).
const TOP: usize = 5;
const LISTED: usize = 30;

/// A fiscal year as the site writes it (`year_label` in `_site.yaml`).
pub(crate) fn label(site: &Site, fy: i32) -> String {
    year_label(site.config.year_label.as_deref(), fy)
}

/// One year of a history table.
#[derive(Serialize)]
pub(crate) struct YearRow {
    label: String,
    /// The year's page for this set (empty when it has no records that year).
    href: String,
    count: usize,
    totals: Vec<TotalView>,
    /// The main measure's change from the year before (none for the first year).
    diff: Option<Difference>,
    /// Whether it is the page's own year.
    current: bool,
}

/// A set's figures per fiscal year.
#[derive(Serialize)]
pub(crate) struct History {
    caption: String,
    measures: Vec<crate::render::view::Col>,
    /// Label and unit of the measure the change is told in.
    main_label: String,
    main_unit: String,
    rows: Vec<YearRow>,
    /// Per summed measure: the total over every year when the measure is
    /// declared additive across years (`across_years: true`), else `None`;
    /// empty when no measure is.
    all_years: Vec<Option<String>>,
}

/// A set's history: `set` is every record of it, any year (sorted);
/// `href(fy)` its page of year `fy`.
pub(crate) fn history(
    site: &Site,
    caption: String,
    set: &[usize],
    href: &dyn Fn(i32) -> String,
    this_year: i32,
) -> History {
    let main = site.main_measure();
    let mut prev: Option<u128> = None;
    let rows = site
        .years
        .iter()
        .map(|&fy| {
            let in_year = site.in_year(set, fy);
            let main_total = main.map(|m| site.total(&in_year, m).value);
            let diff = match (prev, main_total) {
                (Some(a), Some(b)) => Some(Difference::of(a, b)),
                _ => None,
            };
            prev = main_total;
            YearRow {
                label: label(site, fy),
                href: if in_year.is_empty() {
                    String::new()
                } else {
                    href(fy)
                },
                count: in_year.len(),
                totals: site
                    .measures
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.sum)
                    .map(|(mi, _)| total_view(site, &site.total(&in_year, mi), mi))
                    .collect(),
                diff,
                current: fy == this_year,
            }
        })
        .collect();
    let (main_label, main_unit) = main
        .map(|m| {
            (
                site.measures[m].label.clone(),
                site.measures[m].unit.clone(),
            )
        })
        .unwrap_or_default();
    let summed = site.measures.iter().enumerate().filter(|(_, m)| m.sum);
    let all_years = if site.measures.iter().any(|m| m.sum && m.across_years) {
        let mut sorted = set.to_vec();
        sorted.sort_unstable();
        summed
            .map(|(mi, m)| {
                m.across_years
                    .then(|| group_digits(site.total(&sorted, mi).value))
            })
            .collect()
    } else {
        Vec::new()
    };
    History {
        caption,
        measures: summed_measure_labels(site),
        main_label,
        main_unit,
        rows,
        all_years,
    }
}

/// A programme in a list of changes.
#[derive(Serialize)]
pub(crate) struct ChangeItem {
    name: String,
    /// Its series' page.
    href: String,
    previous: String,
    amount: String,
    diff: Option<Difference>,
}

/// What changed in a set from the year before to this year.
#[derive(Serialize)]
pub(crate) struct ChangeView {
    year_label: String,
    previous_label: String,
    main_label: String,
    main_unit: String,
    continued: usize,
    new_count: usize,
    ended_count: usize,
    increases: Vec<ChangeItem>,
    decreases: Vec<ChangeItem>,
    new: Vec<ChangeItem>,
    ended: Vec<ChangeItem>,
    /// The changes file of the whole site (empty on a value's page).
    data_href: String,
}

/// What changed in `set` (every record of it, any year, sorted) from the
/// year before `year`, when the site compares years (several years, series
/// declared).
pub(crate) fn change(site: &Site, set: &[usize], year: i32, whole: bool) -> Option<ChangeView> {
    if !site.compares_years() {
        return None;
    }
    let ch = site.year_change(set, year)?;
    let main = site.main_measure();
    let u = Urls::new(site);
    let fig = |p: Option<usize>| main.and_then(|m| site.figure(p?, m));
    let text = |v: Option<u64>| v.map(|v| group_digits(u128::from(v))).unwrap_or_default();
    let item = |c: &crate::model::years::SeriesChange| {
        let p = c.current.or(c.previous).unwrap_or(0);
        let (a, b) = (fig(c.previous), fig(c.current));
        ChangeItem {
            name: site.programme_title(p),
            href: u.series(c.series).unwrap_or_else(|| u.programme(p)),
            previous: text(a),
            amount: text(b),
            diff: match (a, b) {
                (Some(a), Some(b)) => Some(Difference::of(u128::from(a), u128::from(b))),
                _ => None,
            },
        }
    };
    let delta = |c: &crate::model::years::SeriesChange| -> i128 {
        match (fig(c.previous), fig(c.current)) {
            (Some(a), Some(b)) => i128::from(b) - i128::from(a),
            _ => 0,
        }
    };
    let order = |c: &crate::model::years::SeriesChange| {
        let p = c.current.or(c.previous).unwrap_or(0);
        let pr = &site.programmes[p];
        (pr.source, pr.number, pr.id.clone())
    };
    let mut continued: Vec<_> = ch
        .series
        .iter()
        .filter(|c| c.status == Status::Continued)
        .collect();
    continued.sort_by_key(|c| (std::cmp::Reverse(delta(c)), order(c)));
    let increases = continued
        .iter()
        .filter(|c| delta(c) > 0)
        .take(TOP)
        .map(|c| item(c))
        .collect();
    let decreases = continued
        .iter()
        .rev()
        .filter(|c| delta(c) < 0)
        .take(TOP)
        .map(|c| item(c))
        .collect();
    let of = |s: Status| {
        let mut v: Vec<_> = ch.series.iter().filter(|c| c.status == s).collect();
        v.sort_by_key(|c| order(c));
        (
            v.len(),
            v.into_iter().take(LISTED).map(item).collect::<Vec<_>>(),
        )
    };
    let (new_count, new) = of(Status::New);
    let (ended_count, ended) = of(Status::Ended);
    let (main_label, main_unit) = main
        .map(|m| {
            (
                site.measures[m].label.clone(),
                site.measures[m].unit.clone(),
            )
        })
        .unwrap_or_default();
    Some(ChangeView {
        year_label: label(site, year),
        previous_label: label(site, ch.previous),
        main_label,
        main_unit,
        continued: continued.len(),
        new_count,
        ended_count,
        increases,
        decreases,
        new,
        ended,
        data_href: if whole && !site.config.outputs.formats(false).is_empty() {
            let f = site.config.outputs.formats(false)[0];
            format!("{}{}", Urls::changes_base(ch.previous, year), f.suffix())
        } else {
            String::new()
        },
    })
}

/// One row of a series page: the programme as it was in one year.
#[derive(Serialize)]
struct SeriesRow {
    label: String,
    href: String,
    name: String,
    /// Per dimension with a column: the values' names.
    dims: Vec<Vec<String>>,
    totals: Vec<String>,
    diff: Option<Difference>,
}

/// A change of name or classification from one record to the next.
#[derive(Serialize)]
struct Renamed {
    label: String,
    field: String,
    from: String,
    to: String,
}

impl Renderer<'_> {
    /// `years/<fy>/`: one fiscal year of the site.
    pub(crate) fn year_page(&self, fy: i32) -> Result<OutputFile> {
        let site = self.site;
        let u = self.urls();
        let path = u.year(fy);
        let yl = label(site, fy);
        let mut ctx = base_ctx(
            &self.sv,
            &path,
            &format!("{yl}の{}", site.config.item_label),
        );
        let all = site.all();
        let set = site.in_year(&all, fy);
        ctx.insert("year_label", &yl);
        ctx.insert("has_previous", &site.previous_year(fy).is_some());
        ctx.insert("count", &set.len());
        let totals: Vec<TotalView> = site
            .measures
            .iter()
            .enumerate()
            .filter(|(_, m)| m.sum)
            .map(|(mi, _)| total_view(site, &site.total(&set, mi), mi))
            .collect();
        ctx.insert("totals", &totals);
        ctx.insert(
            "history",
            &history(
                site,
                format!("年度ごとの{}", site.config.item_label),
                &all,
                &|y| u.year(y),
                fy,
            ),
        );
        ctx.insert("change", &change(site, &all, fy, true));
        let dims: Vec<_> = site
            .dims
            .iter()
            .enumerate()
            .filter(|(_, d)| d.decl.path.is_some())
            .map(|(d, dim)| {
                let entries: Vec<_> = (0..dim.entries.len())
                    .filter_map(|e| {
                        let mut ev = entry_view(site, d, e, fy);
                        (ev.count > 0).then(|| {
                            ev.href = u.value_year(d, e, fy).unwrap_or_default();
                            ev
                        })
                    })
                    .collect();
                serde_json::json!({
                    "label": dim.decl.label,
                    "ruby": dim.decl.ruby,
                    "entries": entries,
                })
            })
            .collect();
        ctx.insert("dims", &dims);
        ctx.insert("measures", &summed_measure_labels(site));
        let sources: Vec<_> = self
            .sv
            .sources
            .iter()
            .filter(|s| s.fiscal_year == fy)
            .collect();
        ctx.insert("year_sources", &sources);
        Ok(OutputFile::new(path, self.theme.render("year.html", &ctx)?))
    }

    /// `<path>/<slug>/<fy>/` (and its further pages): a dimension value's
    /// records of one year.
    pub(crate) fn entry_year_page(
        &self,
        d: usize,
        e: usize,
        fy: i32,
        page: usize,
    ) -> Result<OutputFile> {
        let site = self.site;
        let u = self.urls();
        let dim = &site.dims[d];
        let first = u.value_year(d, e, fy).unwrap_or_default();
        let dir = first.trim_end_matches("/index.html").to_string();
        let path = urls::page(&dir, page);
        let yl = label(site, fy);
        let ev = entry_view(site, d, e, fy);
        let name = crate::diag::chars::isolate(&ev.name).into_owned();
        let (rows, starts) = self.year_rows(d, e, fy);
        let pager = super::lists::pager(&dir, &starts, rows.len(), page);
        let title = match &pager {
            Some(p) => format!("{name}（{yl}、{}/{}ページ）", p.current, p.total),
            None => format!("{name}（{yl}）"),
        };
        let mut ctx = base_ctx(&self.sv, &path, &title);
        ctx.insert("dim_label", &dim.decl.label);
        ctx.insert("dim_ruby", &dim.decl.ruby);
        ctx.insert("entry", &ev);
        ctx.insert("year_label", &yl);
        let all = &dim.programmes[e];
        let caption = match &pager {
            Some(p) => format!(
                "{name}の{}（{yl}、{}〜{}件目／全{}件）",
                site.config.item_label, p.first_row, p.last_row, p.rows
            ),
            None => format!("{name}の{}（{yl}）", site.config.item_label),
        };
        let t = table(
            site,
            caption,
            super::lists::rows_of(&rows, &starts, page),
            Some(d),
        );
        ctx.insert("table", &t);
        if let Some(p) = &pager {
            ctx.insert("pager", p);
            ctx.insert("subtotal", &true);
        }
        ctx.insert("downloads", self.dl(&u.value(d, e).unwrap_or_default()));
        if page > 0 {
            ctx.insert("charts", &Vec::<()>::new());
        } else {
            ctx.insert("charts", &crate::charts::site::entry(site, d, e, fy));
            ctx.insert(
                "history",
                &history(
                    site,
                    format!("{name}の年度ごとの合計"),
                    all,
                    &|y| u.value_year(d, e, y).unwrap_or_default(),
                    fy,
                ),
            );
            ctx.insert("change", &change(site, all, fy, false));
        }
        Ok(OutputFile::new(
            path,
            self.theme.render("dimension.html", &ctx)?,
        ))
    }

    /// `programmes/<series>/`: a programme across years — each year's
    /// record, its figures and changes, what was renamed, and the editor's
    /// judgements that join it.
    pub(crate) fn series_page(&self, s: usize) -> Result<OutputFile> {
        let site = self.site;
        let u = self.urls();
        let path = u.series(s).unwrap_or_default();
        let series = &site.series[s];
        let Some(&latest) = series.records.last() else {
            return Ok(OutputFile::new(path, Vec::new()));
        };
        let title = site.programme_title(latest);
        let mut ctx = base_ctx(&self.sv, &path, &title);
        ctx.insert("name", &site.programmes[latest].name);
        ctx.insert("series_id", &series.id);
        ctx.insert("permalink", &u.link(&path));
        let dim_idx: Vec<usize> = (0..site.dims.len())
            .filter(|&d| site.dims[d].decl.column)
            .collect();
        ctx.insert(
            "dim_cols",
            &dim_idx
                .iter()
                .map(|&d| site.dims[d].decl.label.clone())
                .collect::<Vec<_>>(),
        );
        ctx.insert("measures", &summed_measure_labels(site));
        let main = site.main_measure();
        let summed: Vec<usize> = (0..site.measures.len())
            .filter(|&m| site.measures[m].sum)
            .collect();
        let names = |p: usize, d: usize| -> Vec<String> {
            site.programmes[p].dims[d]
                .iter()
                .map(|&e| site.dims[d].entries[e].name.clone())
                .collect()
        };
        let mut rows = Vec::new();
        let mut renamed = Vec::new();
        let mut prev: Option<usize> = None;
        for &p in &series.records {
            let pr = &site.programmes[p];
            let yl = label(site, pr.fiscal_year);
            let fig = |p: usize| main.and_then(|m| site.figure(p, m));
            // Only consecutive years compare: a gap is not a change.
            let before = site.previous_record(p);
            rows.push(SeriesRow {
                label: yl.clone(),
                href: u.programme(p),
                name: site.programme_title(p),
                dims: dim_idx.iter().map(|&d| names(p, d)).collect(),
                totals: summed
                    .iter()
                    .map(|&m| {
                        site.figure(p, m)
                            .map(|v| group_digits(u128::from(v)))
                            .unwrap_or_default()
                    })
                    .collect(),
                diff: match (before.and_then(fig), fig(p)) {
                    (Some(a), Some(b)) => Some(Difference::of(u128::from(a), u128::from(b))),
                    _ => None,
                },
            });
            if let Some(q) = prev {
                let was = &site.programmes[q];
                if was.name != pr.name {
                    renamed.push(Renamed {
                        label: yl.clone(),
                        field: site.config.labels.name.clone(),
                        from: was.name.clone(),
                        to: pr.name.clone(),
                    });
                }
                for (d, dim) in site.dims.iter().enumerate() {
                    if names(q, d) != names(p, d) {
                        renamed.push(Renamed {
                            label: yl.clone(),
                            field: dim.decl.label.clone(),
                            from: names(q, d).join("、"),
                            to: names(p, d).join("、"),
                        });
                    }
                }
            }
            prev = Some(p);
        }
        ctx.insert("rows", &rows);
        ctx.insert("renamed", &renamed);
        ctx.insert(
            "main_label",
            &main
                .map(|m| site.measures[m].label.clone())
                .unwrap_or_default(),
        );
        let judgements: Vec<_> = site
            .judgements
            .iter()
            .filter(|j| {
                j.from
                    .iter()
                    .chain(&j.to)
                    .any(|&p| site.programmes[p].series == s)
            })
            .map(|j| {
                let kind = match j.kind {
                    JudgementKind::Continues => "名称・区分の変更（同じ事業として扱います）",
                    JudgementKind::Merged => "統合",
                    JudgementKind::Split => "分割",
                };
                let link = |ps: &Vec<usize>| -> Vec<(String, String)> {
                    ps.iter()
                        .map(|&p| {
                            (
                                format!(
                                    "{}（{}）",
                                    site.programme_title(p),
                                    label(site, site.programmes[p].fiscal_year)
                                ),
                                u.programme(p),
                            )
                        })
                        .collect()
                };
                serde_json::json!({
                    "kind": kind,
                    "from": link(&j.from),
                    "to": link(&j.to),
                    "note": j.note,
                })
            })
            .collect();
        ctx.insert("judgements", &judgements);
        ctx.insert("charts", &crate::charts::site::series(site, s));
        Ok(OutputFile::new(
            path,
            self.theme.render("series.html", &ctx)?,
        ))
    }
}

/// The record-page navigation of a programme in a site with series: its
/// series' page and its records of every year.
#[derive(Serialize)]
pub(crate) struct SeriesNav {
    href: String,
    years: Vec<(String, String, bool)>,
}

/// [`SeriesNav`] of record `p`, when the site declares series.
pub(crate) fn series_nav(site: &Site, p: usize) -> Option<SeriesNav> {
    let u = Urls::new(site);
    let s = site.programmes[p].series;
    let href = u.series(s)?;
    Some(SeriesNav {
        href,
        years: site.series[s]
            .records
            .iter()
            .map(|&q| {
                (
                    label(site, site.programmes[q].fiscal_year),
                    u.programme(q),
                    q == p,
                )
            })
            .collect(),
    })
}

/// The history and change of a value's page of the latest year (`None`s
/// in a one-year site).
pub(crate) fn value_years(
    site: &Site,
    d: usize,
    e: usize,
) -> (Option<History>, Option<ChangeView>) {
    if !site.multi_year() {
        return (None, None);
    }
    let u = Urls::new(site);
    let set = &site.dims[d].programmes[e];
    let name = crate::diag::chars::isolate(&site.dims[d].entries[e].name).into_owned();
    (
        Some(history(
            site,
            format!("{name}の年度ごとの合計"),
            set,
            &|y| u.value_year(d, e, y).unwrap_or_default(),
            site.latest_year(),
        )),
        change(site, set, site.latest_year(), false),
    )
}

/// The history and change of the home page (`None`s in a one-year site).
pub(crate) fn site_years(site: &Site) -> (Option<History>, Option<ChangeView>) {
    if !site.multi_year() {
        return (None, None);
    }
    let u = Urls::new(site);
    let all = site.all();
    (
        Some(history(
            site,
            format!("年度ごとの{}", site.config.item_label),
            &all,
            &|y| u.year(y),
            site.latest_year(),
        )),
        change(site, &all, site.latest_year(), true),
    )
}
