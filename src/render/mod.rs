//! Stage 4, render: the immutable [`Site`] in, HTML pages out (as
//! [`OutputFile`]s, in memory).
//!
//! Templates come from `themes/<theme>/templates/` and are compiled once into
//! one `Tera`, which is `Sync`, so pages render in parallel (rayon); the
//! result is sorted by path, so output is the same whatever the thread count.
//! Templates see only the view types of [`view`]; every string is escaped by
//! tera's autoescape, except Markdown that [`markdown`] has made safe.

pub mod data;
pub mod jobs;
pub mod view;

use crate::format::group_digits;
use crate::markdown;
use crate::model::totals::{source_order, source_totals};
use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use crate::urls::{self, Urls};
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use tera::{Context, Tera};
use view::{entries, table, total_view, SiteView, Table, TotalView};

/// Compiled templates of a theme.
pub struct Theme {
    tera: Tera,
}

impl Theme {
    /// Loads and compiles every `*.html` template under `dir`.
    pub fn load(dir: &Path) -> Result<Theme> {
        let mut tera = Tera::new();
        let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
        for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let e = e.with_context(|| format!("reading templates in {}", dir.display()))?;
            if e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "html" || x == "xml")
            {
                let name = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((e.path().to_path_buf(), name));
            }
        }
        if files.is_empty() {
            anyhow::bail!("no templates found in {}", dir.display());
        }
        tera.add_template_files(files.iter().map(|(p, n)| (p.clone(), Some(n.clone()))))
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("compiling templates in {}", dir.display()))?;
        Ok(Theme { tera })
    }

    /// The default theme compiled into the binary (used when no
    /// `themes/default/` folder is found beside the content).
    pub fn builtin() -> Result<Theme> {
        let mut tera = Tera::new();
        tera.add_raw_templates(BUILTIN_TEMPLATES.iter().copied())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Theme { tera })
    }

    /// Renders template `name` into bytes (UTF-8: Tera writes only strings;
    /// not re-validated as a `String`, which costs a pass over every page).
    fn render(&self, name: &str, ctx: &Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("rendering template {name}"))?;
        Ok(out)
    }
}

macro_rules! theme_file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../themes/default/templates/", $name)),
        )
    };
}

/// The default theme's templates, embedded.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    theme_file!("404.html"),
    theme_file!("accessibility.html"),
    theme_file!("base.html"),
    theme_file!("charts.html"),
    theme_file!("data.html"),
    theme_file!("dimension.html"),
    theme_file!("dimension_index.html"),
    theme_file!("downloads.html"),
    theme_file!("embed.html"),
    theme_file!("index.html"),
    theme_file!("macros_table.html"),
    theme_file!("programme.html"),
    theme_file!("pager.html"),
    theme_file!("programmes.html"),
    theme_file!("redirect.html"),
    theme_file!("search.html"),
    theme_file!("source.html"),
];

/// The default theme's static files, embedded (written under assets/).
pub fn builtin_static() -> Vec<OutputFile> {
    vec![
        OutputFile::new(
            format!("{}/style.css", urls::ASSETS),
            include_str!("../../themes/default/static/style.css"),
        ),
        OutputFile::new(
            format!("{}/embed.css", urls::ASSETS),
            include_str!("../../themes/default/static/embed.css"),
        ),
        OutputFile::new(
            format!("{}/favicon.svg", urls::ASSETS),
            include_str!("../../themes/default/static/favicon.svg"),
        ),
        OutputFile::new(
            format!("{}/search.js", urls::ASSETS),
            include_str!("../../themes/default/static/search.js"),
        ),
    ]
}

/// A page's common context.
fn base_ctx(sv: &SiteView, path: &str, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", sv.value());
    ctx.insert("root", &urls::root_of(path));
    ctx.insert("path", path);
    ctx.insert("page_title", title);
    ctx
}

#[derive(Serialize)]
struct Field {
    label: String,
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

/// Renders every page (in memory, sorted by path). `build` streams the same
/// files to disk instead, job by job (see [`jobs`]).
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>> {
    jobs::Renderer::new(site, theme).render_all()
}

fn summed_measure_labels(site: &Site) -> Vec<view::Col> {
    site.measures
        .iter()
        .filter(|m| m.sum)
        .map(|m| view::Col {
            label: m.label.clone(),
            unit: m.unit.clone(),
        })
        .collect()
}

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

#[derive(Serialize)]
struct SourceSummary {
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

fn source_summaries(site: &Site) -> Vec<SourceSummary> {
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
    href: String,
    ruby: bool,
    entries: Vec<view::EntryView>,
}

fn home(
    site: &Site,
    theme: &Theme,
    sv: &SiteView,
    downloads: &[data::Download],
) -> Result<OutputFile> {
    let path = urls::HOME;
    let mut ctx = base_ctx(sv, path, &site.config.title);
    ctx.insert("downloads", downloads);
    ctx.insert("charts", &crate::charts::site::home(site));
    ctx.insert("sources", &source_summaries(site));
    let all = site.all();
    let totals: Vec<TotalView> = site
        .measures
        .iter()
        .enumerate()
        .filter(|(_, m)| m.sum)
        .map(|(mi, _)| total_view(site, &site.total(&all, mi), mi))
        .collect();
    ctx.insert("totals", &totals);
    ctx.insert("count", &site.programmes.len());
    let dims: Vec<DimSummary> = site
        .dims
        .iter()
        .enumerate()
        .filter(|(_, d)| d.decl.path.is_some())
        .map(|(d, dim)| DimSummary {
            label: dim.decl.label.clone(),
            href: Urls::new(site).dimension(d).unwrap_or_default(),
            ruby: dim.decl.ruby,
            entries: entries(site, d)
                .into_iter()
                .filter(|e| e.count > 0)
                .collect(),
        })
        .collect();
    ctx.insert("dims", &dims);
    ctx.insert("measures", &summed_measure_labels(site));
    Ok(OutputFile::new(path, theme.render("index.html", &ctx)?))
}

fn programme_index(
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

/// A programme's page, embeddable card and alias redirects. `index` gives
/// the programmes that continue it and each dimension value's programmes in
/// source order (so no page scans the whole site).
fn programme_page(
    site: &Site,
    theme: &Theme,
    sv: &SiteView,
    p: usize,
    index: &jobs::Index,
) -> Result<Vec<OutputFile>> {
    let pr = &site.programmes[p];
    let u = Urls::new(site);
    let path = u.programme(p);
    let title = site.programme_title(p);
    let mut ctx = base_ctx(sv, &path, &title);
    let src = &site.sources[pr.source];

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
            text: String::new(),
            links,
            note,
        });
    }
    if let Some(i) = &pr.implementer {
        fields.push(Field {
            label: site.config.labels.implementer.clone(),
            text: i.clone(),
            links: vec![],
            note: String::new(),
        });
    }
    if let Some(s) = pr.start {
        fields.push(Field {
            label: "事業開始（予定）".into(),
            text: s.japanese(),
            links: vec![],
            note: String::new(),
        });
    }
    fields.push(Field {
        label: "年度".into(),
        text: format!("{}年度", pr.fiscal_year),
        links: vec![],
        note: String::new(),
    });

    let mut figures: Vec<FigureView> = Vec::new();
    let cost_mi = site
        .config
        .rules
        .first()
        .and_then(|r| site.measure_index(&r.of))
        .or(Some(0));
    for (mi, m) in site.measures.iter().enumerate() {
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
        };
        match &pr.measures[mi] {
            MeasureValue::Own(v) => f.text = group_digits(u128::from(*v)),
            MeasureValue::NotApplicable => f.na = true,
            MeasureValue::Missing => f.missing = true,
            MeasureValue::Lead { .. } | MeasureValue::Member { .. } => {
                let (lead, members) = site.group_of(p, mi).unwrap_or((p, vec![p]));
                let amount = site.programmes[lead].measures[mi].own().unwrap_or(0);
                f.shared = true;
                f.text = group_digits(u128::from(amount));
                let mut cost_sum: u128 = 0;
                for &q in &members {
                    let qp = &site.programmes[q];
                    let c = cost_mi.and_then(|c| qp.measures[c].own());
                    cost_sum += u128::from(c.unwrap_or(0));
                    f.group.push(GroupMember {
                        id: qp.id.clone(),
                        href: u.programme(q),
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
        }
        figures.push(f);
    }

    let continues = pr
        .continues
        .map(|c| (site.programme_title(c), u.programme(c)));
    let continued_by: Vec<(String, String)> = index.continued_by[p]
        .iter()
        .map(|&q| (site.programme_title(q), u.programme(q)))
        .collect();

    // Related: other programmes of the same value of the first dimension with pages.
    let mut related: Vec<(String, String)> = Vec::new();
    if let Some((d, _)) = site
        .dims
        .iter()
        .enumerate()
        .find(|(_, d)| d.decl.path.is_some() && !d.decl.multiple)
    {
        for &e in &pr.dims[d] {
            for &q in index.entry_rows[d][e].iter().filter(|&&q| q != p).take(20) {
                related.push((site.programme_title(q), u.programme(q)));
            }
        }
    }

    ctx.insert("programme_id", &pr.id);
    ctx.insert("name", &pr.name);
    ctx.insert("part", &pr.part.clone().unwrap_or_default());
    ctx.insert("summary_html", &markdown::to_html(&pr.summary));
    ctx.insert("fields", &fields);
    ctx.insert("figures", &figures);
    ctx.insert(
        "number",
        &pr.number.map(|n| n.to_string()).unwrap_or_default(),
    );
    ctx.insert(
        "page_no",
        &pr.page.map(|n| n.to_string()).unwrap_or_default(),
    );
    ctx.insert("source", &sv.sources[pr.source]);
    ctx.insert("source_publisher", &src.publisher);
    ctx.insert("notes", &pr.notes);
    ctx.insert("continues", &continues);
    ctx.insert("continued_by", &continued_by);
    ctx.insert("related", &related);
    ctx.insert(
        "related_label",
        &site
            .dims
            .iter()
            .find(|d| d.decl.path.is_some() && !d.decl.multiple)
            .map(|d| d.decl.label.clone())
            .unwrap_or_default(),
    );
    // Permalink and citation.
    let permalink = u.permalink(p);
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
    ctx.insert("permalink", &permalink);
    ctx.insert("permalink_absolute", &u.base().is_some());
    ctx.insert("citation", &citation);
    let embed = site.config.outputs.embed;
    let embed_path = u.embed(p);
    if embed {
        let embed_src = u
            .absolute(&embed_path)
            .unwrap_or_else(|| embed_path.clone());
        ctx.insert(
            "embed_snippet",
            &format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"320\" loading=\"lazy\"></iframe>",
        embed_src,
        title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
    ),
        );
    }
    let mut files = vec![OutputFile::new(
        path.clone(),
        theme.render("programme.html", &ctx)?,
    )];
    if embed {
        // Embeddable card.
        let mut ectx = base_ctx(sv, &embed_path, &title);
        // The values the page has already made (shared, not serialised again).
        for key in ["name", "part", "figures", "fields", "source", "number"] {
            if let Some(v) = ctx.get(key) {
                ectx.insert_value(key, v.clone());
            }
        }
        ectx.insert("full_href", &path);
        files.push(OutputFile::new(
            embed_path,
            theme.render("embed.html", &ectx)?,
        ));
    }
    // Redirects from old ids.
    for a in &pr.aliases {
        let apath = u.alias(a);
        let mut actx = base_ctx(sv, &apath, &title);
        // Relative from the alias's page to the programme's.
        let target = urls::relative(&apath, &path);
        actx.insert("target", &target);
        actx.insert(
            "canonical",
            &u.absolute(&path).unwrap_or_else(|| target.clone()),
        );
        files.push(OutputFile::new(
            apath,
            theme.render("redirect.html", &actx)?,
        ));
    }
    Ok(files)
}
