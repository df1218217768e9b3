//! A programme's page: every field, its figures (a shared figure explained
//! with its group), its source and citation, related programmes; its
//! embeddable card and the redirects from its old ids.

use super::base_ctx;
use crate::format::{group_digits, reading};
use crate::markdown;
use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use crate::render::jobs;
use crate::render::theme::Theme;
use crate::render::view::SiteView;
use crate::urls::{self, Urls};
use anyhow::Result;
use serde::Serialize;

/// The embed snippet's iframe height for a host that runs no script: the
/// tallest card of the shipped sites in a 375 px phone (docs/embed.md).
const EMBED_HEIGHT: u32 = 560;

#[derive(Serialize)]
struct Field {
    label: String,
    /// The label's glossary entry, or empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    term: String,
    /// Plain text value.
    text: String,
    /// Links: (name, href, reading).
    links: Vec<(String, String, String)>,
    note: String,
}

#[derive(Serialize)]
struct FigureView {
    key: String,
    label: String,
    unit: String,
    text: String,
    na: bool,
    missing: bool,
    shared: bool,
    /// Explanation of a shared figure.
    explain: String,
    group: Vec<GroupMember>,
    group_total_cost: String,
    /// The amount in 万円/億円, for amounts of money.
    reading: String,
    /// The label's glossary entry, or empty.
    term: String,
}

#[derive(Serialize)]
struct GroupMember {
    id: String,
    href: String,
    number: String,
    title: String,
    cost: String,
    is_self: bool,
}

/// A programme's page, embeddable card and alias redirects. `index` gives
/// the programmes that continue it and each dimension value's programmes in
/// source order (so no page scans the whole site).
/// Everything a programme's page shows, with what its card and redirects
/// need.
struct Page<'a> {
    site: &'a Site,
    theme: &'a Theme,
    sv: &'a SiteView,
    u: Urls<'a>,
    p: usize,
    path: String,
    title: String,
}

pub(crate) fn programme_page(
    site: &Site,
    theme: &Theme,
    sv: &SiteView,
    p: usize,
    index: &jobs::Index,
) -> Result<Vec<OutputFile>> {
    let u = Urls::new(site);
    let pg = Page {
        site,
        theme,
        sv,
        u,
        p,
        path: u.programme(p),
        title: site.programme_title(p),
    };
    let mut ctx = base_ctx(sv, &pg.path, &pg.title);
    ctx.insert("description", &pg.description());
    if site.config.outputs.programme_data {
        ctx.insert("programme_data", &u.programme_data(p));
    }
    ctx.insert("programme_id", &site.programmes[p].id);
    ctx.insert("name", &site.programmes[p].name);
    ctx.insert("part", &site.programmes[p].part.clone().unwrap_or_default());
    ctx.insert(
        "summary_html",
        &markdown::to_html(&site.programmes[p].summary),
    );
    ctx.insert("fields", &pg.fields());
    let figures = pg.figures();
    ctx.insert("has_na", &figures.iter().any(|f| f.na));
    ctx.insert("figures", &figures);
    pg.insert_source(&mut ctx, index);
    pg.insert_citation(&mut ctx);
    if let Some(nav) = super::years::series_nav(site, p) {
        ctx.insert("series_nav", &nav);
        ctx.insert(
            "year_label",
            &super::years::label(site, site.programmes[p].fiscal_year),
        );
    }
    let mut files = vec![OutputFile::new(
        pg.path.clone(),
        theme.render("programme.html", &ctx)?,
    )];
    if site.config.outputs.embed {
        files.push(pg.card(&ctx)?);
    }
    files.extend(pg.redirects()?);
    Ok(files)
}

impl Page<'_> {
    /// What a shared link of this page previews: where and when, the name,
    /// the main figure and the start of the summary (「世田谷区・令和6年度の
    /// 事業「…」。事業費 39,431千円。…」).
    fn description(&self) -> String {
        let (site, p) = (self.site, self.p);
        let pr = &site.programmes[p];
        let mut s = String::new();
        if let Some(d0) = site.dims.first() {
            let names: Vec<&str> = pr.dims[0]
                .iter()
                .map(|&e| d0.entries[e].name.as_str())
                .collect();
            if !names.is_empty() {
                s.push_str(&names.join("・"));
                s.push('・');
            }
        }
        s.push_str(&format!(
            "{}の{}「{}」。",
            super::years::label(site, pr.fiscal_year),
            site.config.item_label,
            site.programme_title(p)
        ));
        if let Some(m) = site.main_measure() {
            if let Some(v) = site.figure(p, m) {
                let m = &site.measures[m];
                s.push_str(&format!(
                    "{} {}{}。",
                    m.label,
                    group_digits(u128::from(v)),
                    m.unit
                ));
            }
        }
        s.push_str(&markdown::plain_text(&pr.summary));
        super::description(&s)
    }

    /// The classification fields (each dimension's values, linked), the
    /// implementer, the start and the fiscal year.
    fn fields(&self) -> Vec<Field> {
        let (site, u) = (self.site, &self.u);
        let pr = &site.programmes[self.p];
        let mut fields: Vec<Field> = Vec::new();
        for (d, dim) in site.dims.iter().enumerate() {
            let links = pr.dims[d]
                .iter()
                .map(|&e| {
                    let en = &dim.entries[e];
                    let href = u.value(d, e).unwrap_or_default();
                    (
                        en.name.clone(),
                        href,
                        if dim.decl.ruby {
                            en.reading.clone().unwrap_or_default()
                        } else {
                            String::new()
                        },
                    )
                })
                .collect::<Vec<_>>();
            let note = if pr.dims[d]
                .iter()
                .any(|&e| dim.entries[e].official == Some(false))
            {
                "編集部が付けた分類を含みます（出典の表にはない分類です）".to_string()
            } else {
                String::new()
            };
            fields.push(Field {
                label: dim.decl.label.clone(),
                term: crate::render::view::dim_term(&dim.decl),
                text: String::new(),
                links,
                note,
            });
        }
        let text = |label: String, text: String| Field {
            label,
            term: String::new(),
            text,
            links: vec![],
            note: String::new(),
        };
        if let Some(i) = &pr.implementer {
            fields.push(text(site.config.labels.implementer.clone(), i.clone()));
        }
        if let Some(s) = pr.start {
            fields.push(text("事業開始（予定）".into(), s.japanese()));
        }
        fields.push(text(
            "年度".into(),
            super::years::label(site, pr.fiscal_year),
        ));
        fields
    }

    /// Each measure's figure; a shared one with its group.
    fn figures(&self) -> Vec<FigureView> {
        let site = self.site;
        let pr = &site.programmes[self.p];
        site.measures
            .iter()
            .enumerate()
            .map(|(mi, m)| {
                let mut f = FigureView {
                    key: m.key.clone(),
                    label: m.label.clone(),
                    unit: m.unit.clone(),
                    text: String::new(),
                    na: false,
                    missing: false,
                    shared: false,
                    explain: String::new(),
                    group: Vec::new(),
                    group_total_cost: String::new(),
                    reading: String::new(),
                    term: crate::render::view::measure_term(m),
                };
                match &pr.measures[mi] {
                    MeasureValue::Own(v) => {
                        f.text = group_digits(u128::from(*v));
                        f.reading = reading(u128::from(*v), &m.unit).unwrap_or_default();
                    }
                    MeasureValue::NotApplicable => f.na = true,
                    MeasureValue::Missing => f.missing = true,
                    MeasureValue::Lead { .. } | MeasureValue::Member { .. } => {
                        self.shared_figure(&mut f, mi)
                    }
                }
                f
            })
            .collect()
    }

    /// A figure in a merged cell of the source: the group's amount, its
    /// members with their costs, and what that means in words.
    fn shared_figure(&self, f: &mut FigureView, mi: usize) {
        let (site, p) = (self.site, self.p);
        let m = &site.measures[mi];
        let cost_mi = site
            .config
            .rules
            .first()
            .and_then(|r| site.measure_index(&r.of))
            .or(Some(0));
        let (lead, members) = site.group_of(p, mi).unwrap_or((p, vec![p]));
        let amount = site.programmes[lead].measures[mi].own().unwrap_or(0);
        f.shared = true;
        f.text = group_digits(u128::from(amount));
        f.reading = reading(u128::from(amount), &m.unit).unwrap_or_default();
        let mut cost_sum: u128 = 0;
        for &q in &members {
            let qp = &site.programmes[q];
            let c = cost_mi.and_then(|c| qp.measures[c].own());
            cost_sum += u128::from(c.unwrap_or(0));
            f.group.push(GroupMember {
                id: qp.id.clone(),
                href: self.u.programme(q),
                number: qp.number.map(|n| n.to_string()).unwrap_or_default(),
                title: site.programme_title(q),
                cost: c.map(|c| group_digits(u128::from(c))).unwrap_or_default(),
                is_self: q == p,
            });
        }
        let cost_label = cost_mi
            .map(|c| site.measures[c].label.clone())
            .unwrap_or_default();
        f.group_total_cost = group_digits(cost_sum);
        f.explain = format!(
            "出典の表では、この{}は{}件の行にまたがる1つのセル（結合セル）に記載されています。{}{}は{}件全体に対する額で、この行だけの額ではありません。{}件の{}の合計は{}{}です。",
            m.label, members.len(), group_digits(u128::from(amount)), m.unit, members.len(), members.len(), cost_label, group_digits(cost_sum), m.unit
        );
    }

    /// The row's place in its source, notes, the rows it continues or that
    /// continue it, and related programmes (of the same value of the first
    /// single-valued dimension with pages).
    fn insert_source(&self, ctx: &mut tera::Context, index: &jobs::Index) {
        let (site, u, p) = (self.site, &self.u, self.p);
        let pr = &site.programmes[p];
        let continues = pr
            .continues
            .map(|c| (site.programme_title(c), u.programme(c)));
        let continued_by: Vec<(String, String)> = index.continued_by[p]
            .iter()
            .map(|&q| (site.programme_title(q), u.programme(q)))
            .collect();
        let related_dim = site
            .dims
            .iter()
            .enumerate()
            .find(|(_, d)| d.decl.path.is_some() && !d.decl.multiple);
        let mut related: Vec<(String, String)> = Vec::new();
        if let Some((d, _)) = related_dim {
            for &e in &pr.dims[d] {
                for &q in index.entry_rows[d][e].iter().filter(|&&q| q != p).take(20) {
                    related.push((site.programme_title(q), u.programme(q)));
                }
            }
        }
        ctx.insert(
            "number",
            &pr.number.map(|n| n.to_string()).unwrap_or_default(),
        );
        ctx.insert(
            "page_no",
            &pr.page.map(|n| n.to_string()).unwrap_or_default(),
        );
        ctx.insert("source", &self.sv.sources[pr.source]);
        ctx.insert("source_publisher", &site.sources[pr.source].publisher);
        ctx.insert("notes", &pr.notes);
        ctx.insert("continues", &continues);
        ctx.insert("continued_by", &continued_by);
        ctx.insert("related", &related);
        ctx.insert(
            "related_label",
            &related_dim
                .map(|(_, d)| d.decl.label.clone())
                .unwrap_or_default(),
        );
    }

    /// The permalink, and with a base URL the citation and (with cards) the
    /// iframe snippet: without one, neither could work outside the site
    /// (the page says what is needed instead).
    fn insert_citation(&self, ctx: &mut tera::Context) {
        let (site, u, p) = (self.site, &self.u, self.p);
        let pr = &site.programmes[p];
        let src = &site.sources[pr.source];
        let permalink = u.permalink(p);
        ctx.insert("permalink", &permalink);
        ctx.insert("permalink_absolute", &u.base().is_some());
        if site.config.outputs.embed {
            ctx.insert("embed_href", &u.embed(p));
        }
        if u.base().is_none() {
            return;
        }
        let citation = format!(
            "{}「{}」{}{}（{}）。{}掲載：{}",
            src.publisher,
            src.title,
            src.table.map(|t| format!("表{t}、")).unwrap_or_default(),
            pr.number
                .map(|n| format!("{}{n}", site.config.labels.number))
                .unwrap_or_default(),
            src.fiscal_year_label
                .clone()
                .unwrap_or_else(|| format!("{}年度", src.fiscal_year)),
            site.config
                .as_of
                .as_ref()
                .map(|d| format!("データ時点 {d}。"))
                .unwrap_or_default(),
            permalink
        );
        ctx.insert("citation", &citation);
        if let Some(embed_src) = u
            .absolute(&u.embed(p))
            .filter(|_| site.config.outputs.embed)
        {
            // The card reports its height and embed-host.js sizes the
            // iframe to it (docs/embed.md); without script, EMBED_HEIGHT.
            ctx.insert(
                "embed_snippet",
                &format!(
                    "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{EMBED_HEIGHT}\" loading=\"lazy\" data-mieruka-embed></iframe>\n<script src=\"{}\" async></script>",
                    embed_src,
                    self.title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;"),
                    u.absolute(&format!("{}/embed-host.js", urls::ASSETS))
                        .unwrap_or_default(),
                ),
            );
        }
    }

    /// The embeddable card, from the values the page has already made
    /// (shared, not serialised again).
    fn card(&self, ctx: &tera::Context) -> Result<OutputFile> {
        let embed_path = self.u.embed(self.p);
        let mut ectx = base_ctx(self.sv, &embed_path, &self.title);
        for key in ["name", "part", "figures", "fields", "source", "number"] {
            if let Some(v) = ctx.get(key) {
                ectx.insert_value(key, v.clone());
            }
        }
        ectx.insert("full_href", &self.path);
        Ok(OutputFile::new(
            embed_path,
            self.theme.render("embed.html", &ectx)?,
        ))
    }

    /// A redirect page at each old id.
    fn redirects(&self) -> Result<Vec<OutputFile>> {
        let u = &self.u;
        self.site.programmes[self.p]
            .aliases
            .iter()
            .map(|a| u.alias(a))
            .chain(u.record_redirect(self.p))
            .map(|apath| {
                let mut actx = base_ctx(self.sv, &apath, &self.title);
                // Relative from the alias's page to the programme's.
                let target = urls::relative(&apath, &self.path);
                actx.insert("target", &target);
                actx.insert(
                    "canonical",
                    &u.absolute(&self.path).unwrap_or_else(|| target.clone()),
                );
                Ok(OutputFile::new(
                    apath,
                    self.theme.render("redirect.html", &actx)?,
                ))
            })
            .collect()
    }
}
