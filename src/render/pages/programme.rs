//! A programme's page: every field, its figures (a shared figure explained
//! with its group), its source and citation, related programmes; its
//! embeddable card and the redirects from its old ids.

use super::base_ctx;
use crate::format::group_digits;
use crate::markdown;
use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use crate::render::jobs;
use crate::render::view::SiteView;
use crate::render::Theme;
use crate::urls::{self, Urls};
use anyhow::Result;
use serde::Serialize;

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

/// A programme's page, embeddable card and alias redirects. `index` gives
/// the programmes that continue it and each dimension value's programmes in
/// source order (so no page scans the whole site).
pub(crate) fn programme_page(
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
