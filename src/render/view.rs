//! View types: the only data templates see (Serialize-only, built from the
//! model). Figures arrive formatted; hrefs arrive relative to the site root
//! and templates prefix them with `root`, so every link works in any folder
//! and from file://.

use crate::format::group_digits;
use crate::markdown;
use crate::model::{MeasureValue, Site, Total};
use crate::urls::{self, Urls};
use serde::Serialize;

/// Site-wide data every page gets as `site`.
#[derive(Serialize, Clone)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub publisher: String,
    pub as_of: String,
    pub language: String,
    pub item_label: String,
    /// The data's licence (`license:` in `_site.yaml`), when declared.
    pub license: Option<crate::config::License>,
    /// Absolute base URL with a trailing slash, or empty.
    pub base_url: String,
    /// The absolute address of the image shared links show (`og_image`),
    /// or empty.
    pub og_image: String,
    /// Dimensions that have pages, for the navigation.
    pub nav: Vec<NavItem>,
    pub sources: Vec<SourceView>,
    /// What the core fields are called (事業名, 事業内容, 整理番号, 実施主体).
    pub labels: crate::config::Labels,
    /// Whether any measure may be shared by a group of rows (merged cells);
    /// pages explain shared amounts only then.
    pub has_shared: bool,
    /// The labels of the measures that may be shared, joined with 「・」
    /// (補助金申請額), for the notes that explain shared amounts.
    pub shared_label: String,
    /// Whether the site has a glossary page (用語の説明).
    pub glossary: bool,
    /// Whether the site has a search page (header search box).
    pub search: bool,
    /// Whether programmes have embeddable cards.
    pub embed: bool,
    /// Whether the site offers data files (and the page describing them).
    pub data: bool,
    /// The unit of every amount of money, when they share one (千円), else
    /// empty (the footer and download notes then name no unit).
    pub money_unit: String,
    /// The heading of a programme's figures (`labels.figures`, or from
    /// the measures: 金額, 数値, 金額と数値).
    pub figures_label: String,
    /// The heading of a programme's classification (`labels.details`, or
    /// 分類と期間 / 分類).
    pub details_label: String,
    /// This view as a template value, made once (every page gets it).
    #[serde(skip)]
    pub cached: std::sync::OnceLock<tera::Value>,
}

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub label: String,
    pub href: String,
}

#[derive(Serialize, Clone)]
pub struct SourceView {
    pub id: String,
    pub title: String,
    pub short_title: String,
    pub publisher: String,
    pub fiscal_year: i32,
    pub fiscal_year_label: String,
    pub url: String,
    pub file: String,
    /// The table file on this site (`data/sources/<file>`), or empty.
    pub download: String,
    pub table: String,
    pub note: String,
}

/// A column of a programme table.
#[derive(Serialize, Clone)]
pub struct Col {
    pub label: String,
    pub unit: String,
    /// Its glossary entry (`glossary/index.html#m-subsidy`, from the
    /// root), or empty when the measure has no explanation.
    pub term: String,
}

/// The id of a measure's entry in the glossary (`m-subsidy`).
pub fn measure_term_id(m: &crate::config::Measure) -> String {
    format!("m-{}", m.key)
}

/// The id of a dimension's entry in the glossary (`d-scheme`).
pub fn dim_term_id(d: &crate::config::Dimension) -> String {
    format!("d-{}", d.key)
}

/// A measure's glossary entry (from the site's root), or empty when it
/// has no explanation.
pub fn measure_term(m: &crate::config::Measure) -> String {
    if m.description.is_some() {
        format!("{}#{}", urls::GLOSSARY, measure_term_id(m))
    } else {
        String::new()
    }
}

/// A dimension's glossary entry (from the site's root), or empty when it
/// has no explanation.
pub fn dim_term(d: &crate::config::Dimension) -> String {
    if d.description.is_some() {
        format!("{}#{}", urls::GLOSSARY, dim_term_id(d))
    } else {
        String::new()
    }
}

/// Whether the site has a glossary: some measure or dimension explains
/// itself.
pub fn has_glossary(c: &crate::config::SiteConfig) -> bool {
    c.measures.iter().any(|m| m.description.is_some())
        || c.dimensions.iter().any(|d| d.description.is_some())
}

/// One cell of a figure column. Flags that are false and notes that are
/// empty are left out of the template value (a list page has thousands of
/// cells; a missing attribute is false in a template's `if`).
#[derive(Serialize, Clone, Default)]
pub struct Cell {
    pub text: String,
    /// Not applicable (the source's '-').
    #[serde(skip_serializing_if = "is_false")]
    pub na: bool,
    /// Not given in the file.
    #[serde(skip_serializing_if = "is_false")]
    pub missing: bool,
    /// Covered by a rowspan cell above: emit nothing.
    #[serde(skip_serializing_if = "is_false")]
    pub skip: bool,
    pub rowspan: usize,
    /// Explanation after the figure (e.g. "3件で共有").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note_href: String,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// One row of a programme table.
#[derive(Serialize, Clone)]
pub struct Row {
    pub id: String,
    pub href: String,
    pub number: String,
    pub name: String,
    pub part: String,
    pub continues: bool,
    /// Values of the dimension columns: the names of each (the template
    /// isolates each name in `<bdi>` and joins them with 、).
    pub dims: Vec<Vec<String>>,
    pub cells: Vec<Cell>,
    /// The main measure the year before and the change (tables of a site
    /// that compares years).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yoy: Option<RowYoy>,
}

/// A row's figure of the year before, and the change.
#[derive(Serialize, Clone)]
pub struct RowYoy {
    /// The figure the year before (grouped), empty when there was none.
    pub previous: String,
    /// No record the year before: new this year.
    pub new: bool,
    pub diff: Option<crate::model::years::Difference>,
}

/// The columns of the year before in a table.
#[derive(Serialize, Clone)]
pub struct YoyCols {
    /// The main measure's label and unit.
    pub label: String,
    pub unit: String,
    /// The footer: the rows' figures the year before, and the change.
    pub previous_total: String,
    pub diff: crate::model::years::Difference,
}

/// A table of programmes with totals.
#[derive(Serialize, Clone)]
pub struct Table {
    pub caption: String,
    pub dim_cols: Vec<String>,
    /// Each dimension column's glossary entry, or empty.
    pub dim_terms: Vec<String>,
    pub cols: Vec<Col>,
    pub rows: Vec<Row>,
    /// Whether any row has a number (else the number column is left out).
    pub numbered: bool,
    pub totals: Vec<TotalView>,
    /// The source's own 合計, when the table is a whole source.
    pub declared: Vec<TotalView>,
    /// Whether declared totals equal recomputed ones (all columns).
    pub declared_match: bool,
    /// The columns of the year before (前年度, 増減), when the site
    /// compares years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yoy: Option<YoyCols>,
}

/// A formatted total.
#[derive(Serialize, Clone, Default)]
pub struct TotalView {
    pub key: String,
    pub label: String,
    pub unit: String,
    pub text: String,
    pub na: bool,
    /// Shared amounts only partly in this set, explained.
    pub partial: Vec<PartialShare>,
    /// For declared totals: whether it equals the recomputed one.
    pub matches: bool,
    /// The amount in 万円/億円 (約3,943万円), for amounts of money.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reading: String,
}

/// A shared amount (a merged cell of the source) of which only some rows
/// are in a list: how many rows share it, the amount, the row it is
/// written on (by 整理番号 and name, linked) and how many are in the list.
#[derive(Serialize, Clone)]
pub struct PartialShare {
    pub size: usize,
    pub amount: String,
    pub number: String,
    pub name: String,
    pub href: String,
    pub inside: usize,
}

/// A dimension value with its figures, for lists.
#[derive(Serialize, Clone)]
pub struct EntryView {
    pub slug: String,
    pub name: String,
    pub reading: String,
    pub code: String,
    pub region: String,
    pub official: Option<bool>,
    pub description_html: String,
    pub href: String,
    pub count: usize,
    pub totals: Vec<TotalView>,
    /// The main measure's total the year before and the change (sites of
    /// several years only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<YearDiff>,
    /// The main measure's total, to rank values by.
    #[serde(skip)]
    pub main_value: u128,
}

/// A dimension of more values than this shows only its largest on the
/// home page and a year's page, with a link to its list.
pub const SUMMARY_VALUES: usize = 30;
/// How many of its values such a dimension shows there.
pub const SUMMARY_TOP: usize = 20;

/// The values a summary (the home page, a year's page) shows of a
/// dimension: all of them, in their declared order, when they are at most
/// [`SUMMARY_VALUES`]; else the [`SUMMARY_TOP`] largest by the main
/// measure (then by count, then in declared order). Also returns how many
/// there are in all.
pub fn summary_entries(mut entries: Vec<EntryView>) -> (Vec<EntryView>, usize) {
    let all = entries.len();
    if all > SUMMARY_VALUES {
        // A stable sort keeps the declared order among equals.
        entries.sort_by(|a, b| b.main_value.cmp(&a.main_value).then(b.count.cmp(&a.count)));
        entries.truncate(SUMMARY_TOP);
    }
    (entries, all)
}

/// A total of the year before and the change from it.
#[derive(Serialize, Clone)]
pub struct YearDiff {
    pub previous: String,
    pub diff: crate::model::years::Difference,
}

/// Formats a total for display.
pub fn total_view(site: &Site, t: &Total, mi: usize) -> TotalView {
    let m = &site.measures[mi];
    let partial = t
        .partial_groups
        .iter()
        .map(|&(lead, amount, inside, size)| PartialShare {
            size,
            amount: group_digits(u128::from(amount)),
            number: site.programmes[lead]
                .number
                .map(|n| n.to_string())
                .unwrap_or_default(),
            name: site.programme_title(lead),
            href: Urls::new(site).programme(lead),
            inside,
        })
        .collect();
    TotalView {
        key: m.key.clone(),
        label: m.label.clone(),
        unit: m.unit.clone(),
        text: if t.any || t.value > 0 {
            group_digits(t.value)
        } else {
            String::new()
        },
        na: !t.any,
        partial,
        matches: true,
        reading: if t.any {
            crate::format::reading(t.value, &m.unit).unwrap_or_default()
        } else {
            String::new()
        },
    }
}

impl SiteView {
    /// The view as a template value, serialised on first use only (values
    /// share their data, so each page's copy is cheap).
    pub fn value(&self) -> tera::Value {
        self.cached
            .get_or_init(|| tera::Value::from_serializable(self))
            .clone()
    }

    pub fn new(site: &Site) -> Self {
        let c = &site.config;
        let mut nav = vec![NavItem {
            label: format!("{}一覧", c.item_label),
            href: urls::PROGRAMMES.into(),
        }];
        for (i, d) in site.dims.iter().enumerate() {
            if let Some(href) = Urls::new(site).dimension(i) {
                nav.push(NavItem {
                    label: d.decl.label.clone(),
                    href,
                });
            }
        }
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            publisher: c.publisher.clone(),
            as_of: c.as_of.clone().unwrap_or_default(),
            language: c.language.clone(),
            item_label: c.item_label.clone(),
            license: c.license.clone(),
            base_url: Urls::new(site).base().unwrap_or_default(),
            og_image: c
                .og_image
                .as_ref()
                .and_then(|i| {
                    if i.starts_with("https://") || i.starts_with("http://") {
                        Some(i.clone())
                    } else {
                        Urls::new(site).absolute(i)
                    }
                })
                .unwrap_or_default(),
            nav,
            labels: c.labels.clone(),
            has_shared: site.measures.iter().any(|m| m.shared),
            glossary: has_glossary(c),
            shared_label: site
                .measures
                .iter()
                .filter(|m| m.shared)
                .map(|m| m.label.as_str())
                .collect::<Vec<_>>()
                .join("・"),
            search: c.outputs.search,
            embed: c.outputs.embed,
            data: c.outputs.has_data(),
            money_unit: money_unit(site),
            figures_label: c
                .labels
                .figures
                .clone()
                .unwrap_or_else(|| figures_label(site)),
            details_label: c
                .labels
                .details
                .clone()
                .unwrap_or_else(|| details_label(site)),
            cached: std::sync::OnceLock::new(),
            sources: site
                .sources
                .iter()
                .enumerate()
                .map(|(si, s)| SourceView {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    short_title: s.short_title.clone().unwrap_or_else(|| s.title.clone()),
                    publisher: s.publisher.clone(),
                    fiscal_year: s.fiscal_year,
                    fiscal_year_label: s
                        .fiscal_year_label
                        .clone()
                        .unwrap_or_else(|| format!("{}年度", s.fiscal_year)),
                    url: s
                        .url
                        .clone()
                        .filter(|u| {
                            markdown::is_safe_url(u)
                                && (u.starts_with("http://") || u.starts_with("https://"))
                        })
                        .unwrap_or_default(),
                    file: s.file.clone().unwrap_or_default(),
                    download: super::sources::table_path(site, si).unwrap_or_default(),
                    table: s.table.map(|t| t.to_string()).unwrap_or_default(),
                    note: s.note.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// The unit of every amount of money of the site, when they share one.
fn money_unit(site: &Site) -> String {
    let mut units: Vec<&str> = site
        .measures
        .iter()
        .map(|m| m.unit.as_str())
        .filter(|u| crate::format::is_money(u))
        .collect();
    units.dedup();
    if units.len() == 1 {
        units[0].to_string()
    } else {
        String::new()
    }
}

/// The generic heading of a programme's figures: 金額 when every measure
/// is money, 数値 when none is, else 金額と数値.
fn figures_label(site: &Site) -> String {
    let money = site
        .measures
        .iter()
        .filter(|m| crate::format::is_money(&m.unit))
        .count();
    match (money, site.measures.len() - money) {
        (_, 0) => "金額".into(),
        (0, _) => "数値".into(),
        _ => "金額と数値".into(),
    }
}

/// The generic heading of a programme's classification: 分類と期間 when
/// any programme has a start date, else 分類.
fn details_label(site: &Site) -> String {
    if site.programmes.iter().any(|p| p.start.is_some()) {
        "分類と期間".into()
    } else {
        "分類".into()
    }
}

/// Builds a table of the programmes `rows` (in display order), leaving out
/// the dimension `except` (the page's own).
pub fn table(site: &Site, caption: String, rows: &[usize], except: Option<usize>) -> Table {
    let dim_idx: Vec<usize> = (0..site.dims.len())
        .filter(|&d| Some(d) != except && site.dims[d].decl.column)
        .collect();
    let cols: Vec<Col> = site
        .measures
        .iter()
        .map(|m| Col {
            label: m.label.clone(),
            unit: m.unit.clone(),
            term: measure_term(m),
        })
        .collect();
    let pos: std::collections::HashMap<usize, usize> =
        rows.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    // The year before, in a site that compares years.
    let main = site.main_measure().filter(|_| site.compares_years());
    let mut out_rows: Vec<Row> = Vec::with_capacity(rows.len());
    for (ri, &p) in rows.iter().enumerate() {
        let pr = &site.programmes[p];
        let cells = (0..site.measures.len())
            .map(|mi| cell(site, &pos, ri, p, mi))
            .collect();
        out_rows.push(Row {
            id: pr.id.clone(),
            href: Urls::new(site).programme(p),
            number: pr.number.map(|n| n.to_string()).unwrap_or_default(),
            name: pr.name.clone(),
            part: pr.part.clone().unwrap_or_default(),
            continues: pr.continues.is_some(),
            dims: dim_idx
                .iter()
                .map(|&d| {
                    pr.dims[d]
                        .iter()
                        .map(|&e| site.dims[d].entries[e].name.clone())
                        .collect::<Vec<_>>()
                })
                .collect(),
            cells,
            yoy: main.and_then(|m| row_yoy(site, p, m)),
        });
    }
    let mut sorted = rows.to_vec();
    sorted.sort();
    let yoy = main
        .filter(|_| out_rows.iter().any(|r| r.yoy.is_some()))
        .map(|m| table_yoy(site, rows, &sorted, m));
    let totals = (0..site.measures.len())
        .map(|mi| {
            if site.measures[mi].sum {
                total_view(site, &site.total(&sorted, mi), mi)
            } else {
                TotalView {
                    na: true,
                    ..Default::default()
                }
            }
        })
        .collect();
    Table {
        caption,
        dim_cols: dim_idx
            .iter()
            .map(|&d| site.dims[d].decl.label.clone())
            .collect(),
        dim_terms: dim_idx
            .iter()
            .map(|&d| dim_term(&site.dims[d].decl))
            .collect(),
        cols,
        numbered: out_rows.iter().any(|r| !r.number.is_empty()),
        rows: out_rows,
        totals,
        declared: Vec::new(),
        declared_match: true,
        yoy,
    }
}

/// A row's figure of measure `m` the year before (its series' record) and
/// the change; `None` in the site's first year.
fn row_yoy(site: &Site, p: usize, m: usize) -> Option<RowYoy> {
    site.previous_year(site.programmes[p].fiscal_year)?;
    let before = site.previous_record(p).and_then(|q| site.figure(q, m));
    let now = site.figure(p, m);
    Some(RowYoy {
        previous: before
            .map(|v| group_digits(u128::from(v)))
            .unwrap_or_default(),
        new: site.previous_record(p).is_none(),
        diff: match (before, now) {
            (Some(a), Some(b)) => Some(crate::model::years::Difference::of(
                u128::from(a),
                u128::from(b),
            )),
            _ => None,
        },
    })
}

/// The footer of the year-before columns: the rows' records of the year
/// before, totalled, and the change to the rows' total (`sorted`: the rows,
/// sorted).
fn table_yoy(site: &Site, rows: &[usize], sorted: &[usize], m: usize) -> YoyCols {
    let mut before: Vec<usize> = rows
        .iter()
        .filter_map(|&p| site.previous_record(p))
        .collect();
    before.sort();
    let (b, n) = (site.total(&before, m).value, site.total(sorted, m).value);
    YoyCols {
        label: site.measures[m].label.clone(),
        unit: site.measures[m].unit.clone(),
        previous_total: group_digits(b),
        diff: crate::model::years::Difference::of(b, n),
    }
}

/// The cell of programme `p`'s measure `mi`, at row `ri` of a table whose
/// rows are at `pos`: a shared amount spans its group's rows when they are
/// contiguous right after its lead; each member points at its lead.
fn cell(
    site: &Site,
    pos: &std::collections::HashMap<usize, usize>,
    ri: usize,
    p: usize,
    mi: usize,
) -> Cell {
    match &site.programmes[p].measures[mi] {
        MeasureValue::Own(v) => Cell {
            text: group_digits(u128::from(*v)),
            rowspan: 1,
            ..Default::default()
        },
        MeasureValue::NotApplicable => Cell {
            na: true,
            rowspan: 1,
            ..Default::default()
        },
        MeasureValue::Missing => Cell {
            missing: true,
            rowspan: 1,
            ..Default::default()
        },
        MeasureValue::Lead { amount, covers } => {
            // Contiguous right after the lead in this table: one merged cell.
            let contiguous = covers
                .iter()
                .enumerate()
                .all(|(i, c)| pos.get(c) == Some(&(ri + 1 + i)))
                && {
                    let mut sorted: Vec<usize> = covers
                        .iter()
                        .map(|c| pos.get(c).copied().unwrap_or(usize::MAX))
                        .collect();
                    sorted.sort();
                    sorted.windows(2).all(|w| w[1] == w[0] + 1)
                };
            let n = covers.len() + 1;
            Cell {
                text: group_digits(u128::from(*amount)),
                rowspan: if contiguous { n } else { 1 },
                note: format!("{n}件で共有"),
                ..Default::default()
            }
        }
        MeasureValue::Member { lead } => {
            let lead_pos = pos.get(lead).copied();
            let skip = match (&site.programmes[*lead].measures[mi], lead_pos) {
                (MeasureValue::Lead { covers, .. }, Some(lp)) => covers
                    .iter()
                    .enumerate()
                    .all(|(i, c)| pos.get(c) == Some(&(lp + 1 + i))),
                _ => false,
            };
            let lp = &site.programmes[*lead];
            Cell {
                skip,
                rowspan: 1,
                text: String::new(),
                note: format!(
                    "{}に含む",
                    lp.number
                        .map(|n| format!("{n}番"))
                        .unwrap_or_else(|| lp.id.clone())
                ),
                note_href: Urls::new(site).programme(*lead),
                ..Default::default()
            }
        }
    }
}

/// The entry list of a dimension with counts and totals of fiscal year
/// `year`'s records.
pub fn entries(site: &Site, d: usize, year: i32) -> Vec<EntryView> {
    (0..site.dims[d].entries.len())
        .map(|e| entry_view(site, d, e, year))
        .collect()
}

/// A dimension value with the count and totals of its records of fiscal
/// year `year`, and (in a site of several years) the main measure's change
/// from the year before.
pub fn entry_view(site: &Site, d: usize, e: usize, year: i32) -> EntryView {
    let dim = &site.dims[d];
    let entry = &dim.entries[e];
    let set = &site.in_year(&dim.programmes[e], year);
    let change = match (site.main_measure(), site.previous_year(year)) {
        // A value with no record the year before has no figure to compare.
        (Some(m), Some(prev))
            if dim.programmes[e]
                .iter()
                .any(|&p| site.programmes[p].fiscal_year == prev) =>
        {
            let before = site.total(&site.in_year(&dim.programmes[e], prev), m);
            let now = site.total(set, m);
            Some(YearDiff {
                previous: group_digits(before.value),
                diff: crate::model::years::Difference::of(before.value, now.value),
            })
        }
        _ => None,
    };
    let totals: Vec<(usize, Total)> = site
        .measures
        .iter()
        .enumerate()
        .filter(|(_, m)| m.sum)
        .map(|(mi, _)| (mi, site.total(set, mi)))
        .collect();
    EntryView {
        slug: entry.slug.clone(),
        name: entry.name.clone(),
        reading: entry.reading.clone().unwrap_or_default(),
        code: entry.code.clone().unwrap_or_default(),
        region: entry.region.clone().unwrap_or_default(),
        official: entry.official,
        description_html: entry
            .description
            .as_deref()
            .map(markdown::to_html)
            .unwrap_or_default(),
        href: Urls::new(site).value(d, e).unwrap_or_default(),
        count: set.len(),
        // The main measure is the first summed one: its total is the first.
        main_value: totals.first().map_or(0, |(_, t)| t.value),
        totals: totals
            .iter()
            .map(|(mi, t)| total_view(site, t, *mi))
            .collect(),
        change,
    }
}
