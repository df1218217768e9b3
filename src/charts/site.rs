//! Which charts each page gets, from the declared model (no dataset keys in
//! code): the "cost" measure is the `of` of the first rule (else the first
//! measure); the charted dimension is the first with `chart: true`; bars are
//! split by the first small single-valued dimension with inline values
//! (the Tokyo plan: 事業分類). Shared amounts are only ever shown per
//! municipality-like dimension whose groups never straddle values
//! (`same_within_group`), so no per-row share is invented.

use super::{hbar, top_n, Bar, Chart};
use crate::config::Measure;
use crate::model::Site;

fn cost_measure(site: &Site) -> usize {
    site.config
        .rules
        .first()
        .and_then(|r| site.measure_index(&r.of))
        .unwrap_or(0)
}

fn split_dim(site: &Site, except: usize) -> Option<usize> {
    site.dims.iter().enumerate().position(|(i, d)| {
        i != except
            && !d.decl.multiple
            && d.decl.registry.is_none()
            && (2..=6).contains(&d.entries.len())
            && d.decl.chart != Some(false)
    })
}

/// Bars of measure `m` per entry of dimension `d` over `set`, split by `split`.
fn by_dim(
    site: &Site,
    d: usize,
    set: &[usize],
    m: usize,
    split: Option<usize>,
) -> (Vec<Bar>, Vec<String>) {
    let dim = &site.dims[d];
    let series: Vec<String> = match split {
        Some(s) => site.dims[s]
            .entries
            .iter()
            .map(|e| e.name.clone())
            .collect(),
        None => vec![site.measures[m].label.clone()],
    };
    let mut bars: Vec<Bar> = dim
        .entries
        .iter()
        .map(|e| Bar {
            label: e.name.clone(),
            segments: vec![0; series.len()],
        })
        .collect();
    let mut used = vec![false; dim.entries.len()];
    for &p in set {
        let pr = &site.programmes[p];
        let Some(v) = pr.measures[m].own() else {
            continue;
        };
        let seg = split.and_then(|s| pr.dims[s].first().copied()).unwrap_or(0);
        for &e in &pr.dims[d] {
            bars[e].segments[seg] = bars[e].segments[seg].saturating_add(v);
            used[e] = true;
        }
    }
    (
        bars.into_iter()
            .zip(used)
            .filter(|(_, u)| *u)
            .map(|(b, _)| b)
            .collect(),
        series,
    )
}

/// Charts of the home page: cost per value of the charted dimension, its
/// subsidy and own share, cost per other dimension with pages, programmes
/// per start month, and a counted measure per charted value.
/// Of the records `all` (sorted): one fiscal year's.
pub fn home(site: &Site, all: Vec<usize>) -> Vec<Chart> {
    let cost = cost_measure(site);
    let cm = &site.measures[cost];
    let Some(cd) = site.dims.iter().position(|d| d.decl.chart == Some(true)) else {
        return Vec::new();
    };
    let home = Home {
        site,
        all,
        cost,
        cm,
        cd,
        split: split_dim(site, cd),
    };
    let mut out = vec![home.cost()];
    out.extend(home.share());
    out.extend(home.by_other_dims());
    out.extend(home.start_months());
    out.extend(home.counted());
    out.retain(|c| c.informative);
    out
}

/// What the home page's charts share.
struct Home<'a> {
    site: &'a Site,
    /// The records charted (one fiscal year's), sorted.
    all: Vec<usize>,
    /// The cost measure, and its declaration.
    cost: usize,
    cm: &'a Measure,
    /// The charted dimension, and the one that splits its bars.
    cd: usize,
    split: Option<usize>,
}

impl Home<'_> {
    /// The charted dimension's label.
    fn dl(&self) -> &str {
        &self.site.dims[self.cd].decl.label
    }

    /// Cost per value of the charted dimension, largest first, split by
    /// the split dimension.
    fn cost(&self) -> Chart {
        let (site, cm, dl) = (self.site, self.cm, self.dl());
        let (bars, series) = by_dim(site, self.cd, &self.all, self.cost, self.split);
        let (bars, rest) = top_n(bars);
        let mut c = hbar(
            "chart-cost",
            &format!("{dl}ごとの{}", cm.label),
            &format!("{dl}ごとの{}（{}）。大きい順。", cm.label, cm.unit),
            &cm.unit,
            &series,
            &bars,
        );
        if rest > 0 {
            c.note = format!(
                "上位{}件のほかは「その他」にまとめています。",
                bars.len() - 1
            );
        }
        c
    }

    /// Subsidy vs own share, when a ratio rule exists and groups stay
    /// within the charted dimension.
    fn share(&self) -> Option<Chart> {
        let (site, cm, dl) = (self.site, self.cm, self.dl());
        let rule = site.config.rules.first()?;
        if !site.dims[self.cd].decl.same_within_group {
            return None;
        }
        let sm = site.measure_index(&rule.measure)?;
        let of = site.measure_index(&rule.of)?;
        let dim = &site.dims[self.cd];
        let mut bars = Vec::new();
        for (e, entry) in dim.entries.iter().enumerate() {
            let set: Vec<usize> = dim.programmes[e]
                .iter()
                .copied()
                .filter(|p| self.all.binary_search(p).is_ok())
                .collect();
            if set.is_empty() {
                continue;
            }
            let set = &set;
            let sub = site.total(set, sm).value;
            let c = site.total(set, of).value;
            let own = c.saturating_sub(sub);
            bars.push(Bar {
                label: entry.name.clone(),
                segments: vec![
                    u64::try_from(sub).unwrap_or(u64::MAX),
                    u64::try_from(own).unwrap_or(u64::MAX),
                ],
            });
        }
        let (bars, _) = top_n(bars);
        let sl = &site.measures[sm].label;
        let series = vec![sl.clone(), "自己負担（差額）".to_string()];
        Some(hbar(
            "chart-share",
            &format!("{dl}ごとの{sl}と自己負担"),
            &format!(
                "{}のうち{sl}と、残りの自己負担。共有された{sl}は{dl}単位で数えています。",
                cm.label
            ),
            &cm.unit,
            &series,
            &bars,
        ))
    }

    /// Cost by each other dimension with pages (themes, categories…).
    fn by_other_dims(&self) -> Vec<Chart> {
        let (site, cm) = (self.site, self.cm);
        let mut out = Vec::new();
        for (d, dim) in site.dims.iter().enumerate() {
            if d == self.cd
                || dim.decl.path.is_none()
                || Some(d) == self.split
                || dim.decl.chart == Some(false)
            {
                continue;
            }
            let (bars, series) = by_dim(site, d, &self.all, self.cost, None);
            let (bars, _) = top_n(bars);
            let mut c = hbar(
                &format!("chart-{}", dim.decl.key),
                &format!("{}ごとの{}", dim.decl.label, cm.label),
                &format!("{}ごとの{}（{}）。", dim.decl.label, cm.label, cm.unit),
                &cm.unit,
                &series,
                &bars,
            );
            if dim.decl.multiple {
                c.note = format!("1件の{}が複数の{}に属する場合、それぞれに数えています（合計は全体の額を超えます）。", site.config.item_label, dim.decl.label);
            }
            out.push(c);
        }
        out
    }

    /// Programmes per start month, in time order.
    fn start_months(&self) -> Option<Chart> {
        let site = self.site;
        let mut months: std::collections::BTreeMap<(i32, u32), u64> = Default::default();
        for p in &site.programmes {
            if let Some(s) = p.start {
                *months.entry((s.year, s.month)).or_default() += 1;
            }
        }
        if months.is_empty() {
            return None;
        }
        let bars: Vec<Bar> = months
            .iter()
            .map(|((y, m), n)| Bar {
                label: format!("{y}年{m}月"),
                segments: vec![*n],
            })
            .collect();
        Some(hbar(
            "chart-start",
            &format!("開始月ごとの{}数", site.config.item_label),
            "事業開始（予定）月ごとの件数。時系列順。",
            "件",
            &["件数".into()],
            &bars,
        ))
    }

    /// The first counted (non-amount) measure per value of the charted
    /// dimension.
    fn counted(&self) -> Option<Chart> {
        let (site, dl) = (self.site, self.dl());
        let m = site
            .measures
            .iter()
            .position(|m| m.sum && m.unit != self.cm.unit && !m.shared)?;
        let (bars, series) = by_dim(site, self.cd, &self.all, m, None);
        let (bars, _) = top_n(bars);
        let mm = &site.measures[m];
        Some(hbar(
            "chart-count",
            &format!("{dl}ごとの{}", mm.label),
            &format!("{dl}ごとの{}（{}）の目標。", mm.label, mm.unit),
            &mm.unit,
            &series,
            &bars,
        ))
    }
}

/// Charts of a dimension value's page, of its records of fiscal year `year`.
pub fn entry(site: &Site, d: usize, e: usize, year: i32) -> Vec<Chart> {
    let mut out = Vec::new();
    let cost = cost_measure(site);
    let cm = &site.measures[cost];
    let set = &site.in_year(&site.dims[d].programmes[e], year);
    if set.is_empty() {
        return out;
    }
    let plain = &site.dims[d].entries[e].name;
    // In generated titles and descriptions: isolated when it could reorder them.
    let name = crate::diag::chars::isolate(plain);
    if site.dims[d].decl.chart == Some(true) {
        // Its programmes' cost.
        let bars: Vec<Bar> = crate::model::totals::source_order(site, set)
            .into_iter()
            .filter_map(|p| {
                site.programmes[p].measures[cost].own().map(|v| Bar {
                    label: site.programme_title(p),
                    segments: vec![v],
                })
            })
            .collect();
        let (bars, _) = top_n(bars);
        out.push(hbar(
            "chart-programmes",
            &format!("{name}の{}ごとの{}", site.config.item_label, cm.label),
            &format!(
                "{name}の各{}の{}（{}）。",
                site.config.item_label, cm.label, cm.unit
            ),
            &cm.unit,
            std::slice::from_ref(&cm.label),
            &bars,
        ));
        // Its share of the whole.
        let mine = site.total(set, cost).value;
        let whole = site.year_total(year, cost).value;
        let rest = whole.saturating_sub(mine);
        let bars = vec![
            Bar {
                label: plain.clone(),
                segments: vec![u64::try_from(mine).unwrap_or(u64::MAX)],
            },
            Bar {
                label: "ほかの合計".into(),
                segments: vec![u64::try_from(rest).unwrap_or(u64::MAX)],
            },
        ];
        let pct = (mine * 1000).checked_div(whole).unwrap_or(0) as f64 / 10.0;
        let mut c = hbar(
            "chart-share-of-whole",
            &format!("全体に占める{name}の{}", cm.label),
            &format!("全体の{}のうち{name}は約{pct}%。", cm.label),
            &cm.unit,
            std::slice::from_ref(&cm.label),
            &bars,
        );
        c.note = format!("全体の{}に占める割合は約{pct}%です。", cm.label);
        out.push(c);
    } else if let Some(cd) = site.dims.iter().position(|x| x.decl.chart == Some(true)) {
        let (bars, series) = by_dim(site, cd, set, cost, None);
        let (bars, _) = top_n(bars);
        let dl = &site.dims[cd].decl.label;
        out.push(hbar(
            "chart-cost",
            &format!("{name}：{dl}ごとの{}", cm.label),
            &format!(
                "{name}に属する{}の{}を{dl}ごとに合計。",
                site.config.item_label, cm.label
            ),
            &cm.unit,
            &series,
            &bars,
        ));
    }
    out.retain(|c| c.informative);
    out
}

/// The chart of a series' page: the main measure per fiscal year, in year
/// order (none when fewer than two years have a figure: one bar says
/// nothing).
pub fn series(site: &Site, s: usize) -> Vec<Chart> {
    let Some(m) = site.main_measure() else {
        return Vec::new();
    };
    let bars: Vec<Bar> = site.series[s]
        .records
        .iter()
        .filter_map(|&p| {
            Some(Bar {
                // The short form: a bar's label has little room.
                label: format!("{}年度", site.programmes[p].fiscal_year),
                segments: vec![site.figure(p, m)?],
            })
        })
        .collect();
    if bars.len() < 2 {
        return Vec::new();
    }
    let mc = &site.measures[m];
    let name = site.programme_title(*site.series[s].records.last().unwrap_or(&0));
    vec![hbar(
        "chart-years",
        &format!("{name}の年度ごとの{}", mc.label),
        &format!("{name}の{}（{}）を年度ごとに示します。", mc.label, mc.unit),
        &mc.unit,
        std::slice::from_ref(&mc.label),
        &bars,
    )]
}

/// The change by value of the first dimension with pages (所管局,
/// 区市町村…): for the values with the largest latest-year totals, a bar
/// for the year before and one for the latest year, side by side — never
/// stacked, never added. None in a one-year site.
pub fn change_by_value(site: &Site) -> Option<Chart> {
    let latest = site.latest_year();
    let previous = site.previous_year(latest)?;
    let m = site.main_measure()?;
    let d = site.dims.iter().position(|d| d.decl.path.is_some())?;
    let dim = &site.dims[d];
    let mut values: Vec<(u128, u128, usize)> = (0..dim.entries.len())
        .map(|e| {
            let set = &dim.programmes[e];
            (
                site.total(&site.in_year(set, latest), m).value,
                site.total(&site.in_year(set, previous), m).value,
                e,
            )
        })
        .filter(|&(now, before, _)| now > 0 || before > 0)
        .collect();
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let shown = values.len().min(super::MAX_BARS / 2);
    let (py, ly) = (format!("{previous}年度"), format!("{latest}年度"));
    let mut bars = Vec::new();
    for &(now, before, e) in &values[..shown] {
        let name = &dim.entries[e].name;
        for (year, v) in [(&py, before), (&ly, now)] {
            bars.push(Bar {
                label: format!("{name}（{year}）"),
                segments: vec![u64::try_from(v).unwrap_or(u64::MAX)],
            });
        }
    }
    let mc = &site.measures[m];
    let mut chart = hbar(
        "chart-change",
        &format!("{}ごとの{}：{py}と{ly}", dim.decl.label, mc.label),
        &format!(
            "{}ごとの{}（{}）を、{py}と{ly}で並べて示します（年度の額は合算していません）。",
            dim.decl.label, mc.label, mc.unit
        ),
        &mc.unit,
        std::slice::from_ref(&mc.label),
        &bars,
    );
    if values.len() > shown {
        chart.note = format!(
            "{ly}の{}の大きい{shown}件を示しています（全{}件）。",
            mc.label,
            crate::format::count(values.len() as i64)
        );
    }
    Some(chart)
}
