//! Fiscal years on the pages, as view data: a set's history (each year's
//! count and totals, the change from the year before), what changed from
//! one year to the next (largest increases and decreases, new, absent), a
//! record's links to its other years. The pages that are only about years
//! (a year, a value's year, a series) are in `year_pages.rs`.
//!
//! Every figure is of one year; what spans years shows each year apart.

use super::summed_measure_labels;
use crate::format::group_digits;
use crate::model::series::year_label;
use crate::model::years::{Difference, Status};
use crate::model::Site;
use crate::render::view::{total_view, TotalView};
use crate::urls::Urls;
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
        data_href: match site.config.outputs.formats(false).first() {
            Some(f) if whole => format!("{}{}", Urls::changes_base(ch.previous, year), f.suffix()),
            _ => String::new(),
        },
    })
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
