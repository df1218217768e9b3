//! The pages of fiscal years: one year of the site (`years/<fy>/`), one
//! year of a dimension value (`<path>/<slug>/<fy>/`, paged), and a series
//! (`programmes/<series>/`: the programme across years).

use super::years::{change, history, label};
use super::{base_ctx, summed_measure_labels};
use crate::format::count;
use crate::format::group_digits;
use crate::model::years::Difference;
use crate::model::{JudgementKind, Site};
use crate::output::OutputFile;
use crate::render::jobs::Renderer;
use crate::render::view::{entry_view, table, total_view, TotalView};
use crate::urls::{self, Urls};
use anyhow::Result;
use serde::Serialize;

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
        ctx.insert("show_change", &site.previous_year(fy).is_some());
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
                let (entries, all) = super::view::summary_entries(entries);
                serde_json::json!({
                    "all": all,
                    "href": u.dimension(d).unwrap_or_default(),
                    "label": dim.decl.label,
                    "term": super::view::dim_term(&dim.decl),
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
                site.config.item_label,
                count(p.first_row as i64),
                count(p.last_row as i64),
                count(p.rows as i64)
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
        let (rows, renamed) = series_rows(site, s, &dim_idx);
        let main = site.main_measure();
        ctx.insert("rows", &rows);
        ctx.insert("renamed", &renamed);
        ctx.insert(
            "main_label",
            &main
                .map(|m| site.measures[m].label.clone())
                .unwrap_or_default(),
        );
        let judgements = series_judgements(site, s);
        ctx.insert("judgements", &judgements);
        ctx.insert("charts", &crate::charts::site::series(site, s));
        Ok(OutputFile::new(
            path,
            self.theme.render("series.html", &ctx)?,
        ))
    }
}

/// A series' rows (each year's record as it was, with the change from the
/// year before) and what was renamed or reclassified from one record to the
/// next.
fn series_rows(site: &Site, s: usize, dim_idx: &[usize]) -> (Vec<SeriesRow>, Vec<Renamed>) {
    let u = Urls::new(site);
    let series = &site.series[s];
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
    (rows, renamed)
}

/// The editor's judgements that name a record of series `s`, for its page.
fn series_judgements(site: &Site, s: usize) -> Vec<serde_json::Value> {
    let u = Urls::new(site);
    site.judgements
        .iter()
        .filter(|j| {
            j.from
                .iter()
                .chain(&j.to)
                .any(|&p| site.programmes[p].series == s)
        })
        .map(|j| {
            let kind = match j.kind {
                JudgementKind::Continues => format!(
                    "名称・分類の変更（同じ{}として扱います）",
                    site.config.item_label
                ),
                JudgementKind::Merged => "統合".to_string(),
                JudgementKind::Split => "分割".to_string(),
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
        .collect()
}
