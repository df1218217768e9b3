//! Open data: CSV (two flavours) and JSON of every programme, per site and
//! per dimension value; and the machine-readable files of the site
//! (sitemap.xml, feed.xml, robots.txt).
//!
//! CSV: RFC 4180 via the csv crate. `*.csv` is UTF-8 with a BOM and CRLF line
//! ends and Japanese headers, which Excel in Japan opens correctly;
//! `*.utf8.csv` is plain UTF-8 with LF and the documented English keys. A
//! cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! prefixed with `'` so spreadsheets never run it as a formula. Amounts are
//! integers in the measure's unit; not applicable is an empty cell, never 0.

use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use serde_json::{json, Map, Value};

/// A column: English key and Japanese header.
struct Column {
    key: String,
    label: String,
}

fn columns(site: &Site) -> Vec<Column> {
    let mut c = vec![
        Column { key: "id".into(), label: "ID".into() },
        Column { key: "source".into(), label: "出典".into() },
        Column { key: "fiscal_year".into(), label: "年度".into() },
        Column { key: "number".into(), label: "整理番号".into() },
    ];
    for d in &site.dims {
        c.push(Column { key: d.decl.key.clone(), label: d.decl.label.clone() });
    }
    c.push(Column { key: "implementer".into(), label: "実施主体".into() });
    c.push(Column { key: "name".into(), label: "事業名".into() });
    c.push(Column { key: "part".into(), label: "事業の構成".into() });
    c.push(Column { key: "continues".into(), label: "前の行の続き".into() });
    c.push(Column { key: "summary".into(), label: "事業内容".into() });
    for m in &site.measures {
        c.push(Column { key: m.key.clone(), label: format!("{}（{}）", m.label, m.unit) });
        if m.shared {
            c.push(Column { key: format!("{}_covered_by", m.key), label: format!("{}の記載行（共有）", m.label) });
        }
    }
    c.push(Column { key: "start".into(), label: "事業開始".into() });
    c.push(Column { key: "url".into(), label: "ページ".into() });
    c
}

/// Neutralises spreadsheet formulas: cells starting with = + - @ tab CR get
/// a leading apostrophe.
pub fn csv_safe(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn row(site: &Site, p: usize) -> Vec<String> {
    let pr = &site.programmes[p];
    let mut r = vec![
        pr.id.clone(),
        site.sources[pr.source].id.clone(),
        pr.fiscal_year.to_string(),
        pr.number.map(|n| n.to_string()).unwrap_or_default(),
    ];
    for (d, dim) in site.dims.iter().enumerate() {
        r.push(pr.dims[d].iter().map(|&e| dim.entries[e].name.as_str()).collect::<Vec<_>>().join("、"));
    }
    r.push(pr.implementer.clone().unwrap_or_default());
    r.push(pr.name.clone());
    r.push(pr.part.clone().unwrap_or_default());
    r.push(pr.continues.map(|c| site.programmes[c].id.clone()).unwrap_or_default());
    r.push(crate::render::markdown::plain_text(&pr.summary));
    for (mi, m) in site.measures.iter().enumerate() {
        let v = &pr.measures[mi];
        r.push(v.own().map(|n| n.to_string()).unwrap_or_default());
        if m.shared {
            r.push(match v {
                MeasureValue::Member { lead } => site.programmes[*lead].id.clone(),
                _ => String::new(),
            });
        }
    }
    r.push(pr.start.map(|d| d.iso()).unwrap_or_default());
    r.push(site.programme_path(p));
    r
}

fn csv_bytes(site: &Site, set: &[usize], excel: bool) -> Vec<u8> {
    let cols = columns(site);
    let mut w = csv::WriterBuilder::new()
        .terminator(if excel { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
        .from_writer(Vec::new());
    let header: Vec<&str> = cols.iter().map(|c| if excel { c.label.as_str() } else { c.key.as_str() }).collect();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&header);
    for &p in set {
        let _ = w.write_record(row(site, p).iter().map(|s| csv_safe(s)));
    }
    let mut bytes = if excel { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
    bytes.extend(w.into_inner().unwrap_or_default());
    bytes
}

fn json_programme(site: &Site, p: usize) -> Value {
    let pr = &site.programmes[p];
    let mut o = Map::new();
    o.insert("id".into(), json!(pr.id));
    o.insert("source".into(), json!(site.sources[pr.source].id));
    o.insert("fiscal_year".into(), json!(pr.fiscal_year));
    o.insert("number".into(), json!(pr.number));
    for (d, dim) in site.dims.iter().enumerate() {
        let names: Vec<&str> = pr.dims[d].iter().map(|&e| dim.entries[e].name.as_str()).collect();
        o.insert(
            dim.decl.key.clone(),
            if dim.decl.multiple { json!(names) } else { json!(names.first()) },
        );
    }
    o.insert("implementer".into(), json!(pr.implementer));
    o.insert("name".into(), json!(pr.name));
    o.insert("part".into(), json!(pr.part));
    o.insert("continues".into(), json!(pr.continues.map(|c| &site.programmes[c].id)));
    o.insert("summary".into(), json!(pr.summary));
    for (mi, m) in site.measures.iter().enumerate() {
        let v = match &pr.measures[mi] {
            MeasureValue::Own(n) => json!(n),
            MeasureValue::NotApplicable | MeasureValue::Missing => Value::Null,
            MeasureValue::Lead { amount, covers } => {
                json!({"amount": amount, "covers": covers.iter().map(|&c| &site.programmes[c].id).collect::<Vec<_>>()})
            }
            MeasureValue::Member { lead } => json!({"covered_by": site.programmes[*lead].id}),
        };
        o.insert(m.key.clone(), v);
    }
    o.insert("start".into(), json!(pr.start.map(|d| d.iso())));
    o.insert("url".into(), json!(site.programme_path(p)));
    Value::Object(o)
}

fn json_bytes(site: &Site, set: &[usize]) -> Vec<u8> {
    let v = json!({
        "title": site.config.title,
        "as_of": site.config.as_of,
        "units": site.measures.iter().map(|m| (m.key.clone(), json!({"label": m.label, "unit": m.unit}))).collect::<Map<_, _>>(),
        "not_applicable": "null",
        "programmes": set.iter().map(|&p| json_programme(site, p)).collect::<Vec<_>>(),
    });
    let mut b = serde_json::to_vec_pretty(&v).unwrap_or_default();
    b.push(b'\n');
    b
}

/// A download offered on a page.
#[derive(serde::Serialize, Clone)]
pub struct Download {
    pub label: String,
    pub href: String,
}

/// The data files of a set: (files, downloads for the page).
fn set_files(site: &Site, base: &str, set: &[usize]) -> (Vec<OutputFile>, Vec<Download>) {
    let order = crate::render::source_order(site, set);
    let files = vec![
        OutputFile::new(format!("{base}.csv"), csv_bytes(site, &order, true)),
        OutputFile::new(format!("{base}.utf8.csv"), csv_bytes(site, &order, false)),
        OutputFile::new(format!("{base}.json"), json_bytes(site, &order)),
    ];
    let downloads = vec![
        Download { label: "CSV（Excel向け・BOM付きUTF-8）".into(), href: format!("{base}.csv") },
        Download { label: "CSV（UTF-8）".into(), href: format!("{base}.utf8.csv") },
        Download { label: "JSON".into(), href: format!("{base}.json") },
    ];
    (files, downloads)
}

/// Site-wide and per-dimension-value data files, with the downloads of each
/// page keyed by the page's path.
pub fn data_files(site: &Site) -> (Vec<OutputFile>, std::collections::BTreeMap<String, Vec<Download>>) {
    let mut out = Vec::new();
    let mut downloads = std::collections::BTreeMap::new();
    let (f, d) = set_files(site, "data/programmes", &site.all());
    out.extend(f);
    downloads.insert("index.html".to_string(), d.clone());
    downloads.insert("programmes/index.html".to_string(), d);
    for dim in &site.dims {
        let Some(path) = &dim.decl.path else { continue };
        for (e, entry) in dim.entries.iter().enumerate() {
            let (f, d) = set_files(site, &format!("data/{path}/{}", entry.slug), &dim.programmes[e]);
            out.extend(f);
            downloads.insert(format!("{path}/{}/index.html", entry.slug), d);
        }
    }
    (out, downloads)
}

/// The columns, for the data page: (key, label).
pub fn column_docs(site: &Site) -> Vec<(String, String)> {
    columns(site).into_iter().map(|c| (c.key, c.label)).collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// The base URL with a trailing slash, when configured and absolute http(s).
pub fn base_url(site: &Site) -> Option<String> {
    let b = site.config.base_url.as_deref()?.trim();
    if !(b.starts_with("https://") || b.starts_with("http://")) {
        return None;
    }
    Some(if b.ends_with('/') { b.to_string() } else { format!("{b}/") })
}

/// sitemap.xml (only with a base URL), feed.xml (Atom) and robots.txt.
pub fn discovery_files(site: &Site, pages: &[String]) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let base = base_url(site);
    if let Some(b) = &base {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in pages.iter().filter(|p| p.ends_with(".html") && !p.starts_with("embed/") && p.as_str() != "404.html") {
            let url = format!("{b}{}", p.strip_suffix("index.html").unwrap_or(p));
            s.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&url)));
        }
        s.push_str("</urlset>\n");
        out.push(OutputFile::new("sitemap.xml", s));
    }
    // Atom feed of programmes.
    let updated = format!("{}T00:00:00Z", site.config.as_of.clone().unwrap_or_else(|| "2000-01-01".into()));
    let link = |rel: &str| match &base {
        Some(b) => format!("{b}{rel}"),
        None => rel.to_string(),
    };
    let id_of = |rel: &str| match &base {
        Some(b) => format!("{b}{rel}"),
        None => format!("tag:mieruka,2024:{}", rel),
    };
    let mut f = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    f.push_str(&xml_escape(&site.config.language));
    f.push_str("\">\n");
    f.push_str(&format!("  <title>{}</title>\n", xml_escape(&site.config.title)));
    f.push_str(&format!("  <id>{}</id>\n", xml_escape(&id_of("feed.xml"))));
    f.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n", xml_escape(&link("feed.xml"))));
    f.push_str(&format!("  <link href=\"{}\"/>\n", xml_escape(&link("index.html"))));
    f.push_str(&format!("  <updated>{updated}</updated>\n"));
    f.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(if site.config.publisher.is_empty() { "mieruka" } else { &site.config.publisher })));
    for p in crate::render::source_order(site, &site.all()) {
        let pr = &site.programmes[p];
        let rel = site.programme_path(p);
        f.push_str("  <entry>\n");
        f.push_str(&format!("    <title>{}</title>\n", xml_escape(&site.programme_title(p))));
        f.push_str(&format!("    <id>{}</id>\n", xml_escape(&id_of(&format!("programmes/{}/", pr.id)))));
        f.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&link(&rel))));
        f.push_str(&format!("    <updated>{updated}</updated>\n"));
        let text = crate::render::markdown::plain_text(&pr.summary);
        f.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&text)));
        f.push_str("  </entry>\n");
    }
    f.push_str("</feed>\n");
    out.push(OutputFile::new("feed.xml", f));
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = &base {
        robots.push_str(&format!("Sitemap: {b}sitemap.xml\n"));
    }
    out.push(OutputFile::new("robots.txt", robots));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("+1"), "'+1");
        assert_eq!(csv_safe("-1"), "'-1");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("世田谷区"), "世田谷区");
        assert_eq!(csv_safe("18997"), "18997");
    }
}
