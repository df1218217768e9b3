//! Data that joins and verifies, and links that preview what they point
//! to: the sources file (declared and recomputed totals, the check's
//! outcome), the source table offered as it was imported, one JSON
//! document per programme, a `version` in every JSON document, each page's
//! own description, `og:image`, and a feed per dimension value.

use crate::support::*;
use serde_json::Value;

fn json(t: &SiteTest, rel: &str) -> Value {
    serde_json::from_str(&t.page(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The content attribute of the first `<meta {attr}="{name}" …>` of a page.
fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("<meta {attr}=\"{name}\" content=\""))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

#[test]
fn the_sources_file_states_each_declared_total_its_recomputation_and_the_outcome() {
    let t = SiteTest::tokyo();
    // One declared total off by one, published as the source's error.
    let sources = t.content().join("_sources.yaml");
    t.edit(&sources, "    cost: 61400\n", "    cost: 61401\n");
    t.edit(
        &sources,
        "  table: 1\n",
        "  table: 1\n  accept_total_differences: true\n",
    );
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&t, "data/sources.json");
    assert_eq!(v["version"], 1);
    assert!(v["license"]["url"].is_string(), "the licence travels: {v}");
    let list = v["sources"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let model = &list[0];
    assert_eq!(model["id"], "tokyo-r6-model");
    assert_eq!(model["publisher"], "東京都");
    assert_eq!(model["fiscal_year"], 2024);
    assert_eq!(model["programmes"], 4);
    let cost = &model["totals"]["cost"];
    assert_eq!(cost["declared"], 61401);
    assert_eq!(cost["recomputed"], 61400);
    assert_eq!(cost["difference"], -1);
    assert_eq!(cost["outcome"], "differs_accepted");
    let general = &list[1];
    assert_eq!(general["totals"]["subsidy"]["declared"], 269561);
    assert_eq!(general["totals"]["subsidy"]["recomputed"], 269561);
    assert_eq!(general["totals"]["subsidy"]["outcome"], "match");
    assert_eq!(general["programmes"], 29);
    // The CSVs: one row per source and summed measure, in the declared order.
    let plain = t.page("data/sources.utf8.csv");
    let mut lines = plain.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source,title,publisher,fiscal_year,url,file,programmes,measure,unit,declared,recomputed,difference,outcome"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 10, "2 sources × 5 summed measures: {plain}");
    assert!(
        rows[0].starts_with("tokyo-r6-model,")
            && rows[0].ends_with(",cost,千円,61401,61400,-1,differs_accepted"),
        "{}",
        rows[0]
    );
    assert!(rows[1].contains(",subsidy,"), "declared order: {}", rows[1]);
    let excel = std::fs::read(t.out().join("data/sources.csv")).unwrap();
    assert!(excel.starts_with(&[0xEF, 0xBB, 0xBF]), "Excel's BOM");
    let excel = String::from_utf8(excel).unwrap();
    assert!(excel.contains("照合の結果\r\n"), "{excel}");
    assert!(
        excel.contains(",事業額,千円,61401,61400,-1,不一致（出典の誤りとして公表）\r\n"),
        "{excel}"
    );
    assert!(excel.contains(",一致\r\n"), "{excel}");
    // The data page lists them, and the schema.
    let data = t.page("data/index.html");
    for href in [
        "../data/sources.csv",
        "../data/sources.json",
        "../data/schema.json",
    ] {
        assert!(data.contains(&format!("href=\"{href}\"")), "{href}: {data}");
    }
    assert!(broken_links(&t.out()).is_empty());
}

#[test]
fn the_source_table_is_offered_unchanged_and_only_when_it_is_there() {
    let t = SiteTest::tokyo();
    // The repository keeps the table in data/ beside content/.
    std::fs::create_dir_all(t.dir.path().join("data")).unwrap();
    let table = repo().join("data/tokyo-r6-chiiki-jinzai-plan.tsv");
    std::fs::copy(
        &table,
        t.dir.path().join("data/tokyo-r6-chiiki-jinzai-plan.tsv"),
    )
    .unwrap();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let published = std::fs::read(t.out().join("data/sources/tokyo-r6-chiiki-jinzai-plan.tsv"))
        .expect("the table is published");
    assert_eq!(published, std::fs::read(&table).unwrap(), "byte for byte");
    let page = t.page("programmes/2024-general-08/index.html");
    assert!(
        page.contains("href=\"../../data/sources/tokyo-r6-chiiki-jinzai-plan.tsv\""),
        "the programme page links it"
    );
    let v = json(&t, "data/sources.json");
    assert_eq!(
        v["sources"][0]["download"],
        "data/sources/tokyo-r6-chiiki-jinzai-plan.tsv"
    );
    assert!(broken_links(&t.out()).is_empty());
    // Without the file beside the content: named, not offered.
    std::fs::remove_file(t.dir.path().join("data/tokyo-r6-chiiki-jinzai-plan.tsv")).unwrap();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!t.out().join("data/sources").exists());
    let page = t.page("programmes/2024-general-08/index.html");
    assert!(!page.contains("data/sources/"), "no link to a missing file");
    assert_eq!(
        json(&t, "data/sources.json")["sources"][0]["download"],
        Value::Null
    );
}

#[test]
fn every_programme_has_its_own_json_document_and_every_json_a_version() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let all = json(&t, "data/programmes.json");
    let list = all["programmes"].as_array().unwrap();
    assert_eq!(list.len(), 33);
    for p in list {
        let id = p["id"].as_str().unwrap();
        let one = json(&t, &format!("data/programmes/{id}.json"));
        assert_eq!(
            one["programmes"].as_array().unwrap(),
            &vec![p.clone()],
            "{id}"
        );
        for key in [
            "version",
            "license",
            "units",
            "title",
            "as_of",
            "not_applicable",
        ] {
            assert_eq!(one[key], all[key], "{id}: {key}");
        }
    }
    let page = t.page("programmes/2024-general-08/index.html");
    assert!(
        page.contains("href=\"../../data/programmes/2024-general-08.json\""),
        "the page links its document"
    );
    // Every JSON document of the data folder carries the format's version
    // (the JSON Schema of the content files is a schema, not a document).
    let mut n = 0;
    for f in files(&t.out()) {
        if f.starts_with("data/") && f.ends_with(".json") && f != "data/schema.json" {
            assert_eq!(json(&t, &f)["version"], 1, "{f}");
            n += 1;
        }
    }
    assert!(n > 33 + 19, "{n} JSON documents");
    // Turned off, none is written or linked.
    let cfg = t.content().join("_site.yaml");
    let mut s = std::fs::read_to_string(&cfg).unwrap();
    s.push_str("outputs:\n  programme_data: false\n");
    std::fs::write(&cfg, s).unwrap();
    assert!(t.build().status.success());
    assert!(!t.out().join("data/programmes").exists());
    assert!(!t
        .page("programmes/2024-general-08/index.html")
        .contains("data/programmes/"));
}

#[test]
fn a_shared_link_previews_its_own_page() {
    let t = SiteTest::tokyo();
    let cfg = t.content().join("_site.yaml");
    let mut s = std::fs::read_to_string(&cfg).unwrap();
    s.push_str("og_image: assets/favicon.svg\n");
    std::fs::write(&cfg, s).unwrap();
    let o = t.run(&[
        "build",
        "--quiet",
        "--base-url",
        "https://example.jp/jinzai/",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = t.page("programmes/2024-general-08/index.html");
    let b = t.page("programmes/2024-model-01/index.html");
    let (da, db) = (
        meta(&a, "name", "description").unwrap(),
        meta(&b, "name", "description").unwrap(),
    );
    assert_ne!(da, db, "each programme previews its own text");
    assert!(
        da.contains("世田谷区") && da.contains("建設業人材確保"),
        "{da}"
    );
    assert!(da.contains("事業額 39,431千円"), "{da}");
    assert!(da.chars().count() <= 160, "{da}");
    assert_eq!(meta(&a, "property", "og:description"), Some(da));
    let ward = t.page("municipalities/setagaya-ku/index.html");
    let dw = meta(&ward, "name", "description").unwrap();
    assert!(
        dw.starts_with("世田谷区（実施区市町村）の事業 3件。"),
        "{dw}"
    );
    let home = t.page("index.html");
    assert_ne!(meta(&home, "name", "description").unwrap(), dw);
    assert_eq!(
        meta(&a, "property", "og:image").as_deref(),
        Some("https://example.jp/jinzai/assets/favicon.svg")
    );
    // Without a base URL a path cannot be an og:image (previews need an
    // absolute address); an absolute URL still is.
    assert!(t.build().status.success());
    assert!(meta(&t.page("index.html"), "property", "og:image").is_none());
    let s = std::fs::read_to_string(&cfg).unwrap().replace(
        "og_image: assets/favicon.svg",
        "og_image: https://cdn.example.jp/share.png",
    );
    std::fs::write(&cfg, s).unwrap();
    assert!(t.build().status.success());
    assert_eq!(
        meta(&t.page("index.html"), "property", "og:image").as_deref(),
        Some("https://cdn.example.jp/share.png")
    );
    // Neither a URL nor a path of the site: refused with its position.
    let s = std::fs::read_to_string(&cfg).unwrap().replace(
        "og_image: https://cdn.example.jp/share.png",
        "og_image: javascript:alert(1)",
    );
    std::fs::write(&cfg, s).unwrap();
    let o = t.build();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[E015]: og_image"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn each_value_has_a_feed_of_its_programmes() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let feed = t.page("municipalities/setagaya-ku/feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 3, "the ward's three programmes");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name((atom, "title")))
        .and_then(|n| n.text())
        .unwrap();
    assert!(title.starts_with("世田谷区（実施区市町村）"), "{title}");
    // Its links are relative to the feed and lead to the pages.
    for e in &entries {
        let href = e
            .children()
            .find(|n| n.has_tag_name((atom, "link")))
            .and_then(|n| n.attribute("href"))
            .unwrap();
        let target = t.out().join("municipalities/setagaya-ku").join(href);
        assert!(target.is_file(), "{href}");
    }
    let page = t.page("municipalities/setagaya-ku/index.html");
    assert!(
        page.contains("type=\"application/atom+xml\" title=\"世田谷区（実施区市町村）"),
        "the page announces its feed"
    );
    assert!(page.contains("feed.xml\">この実施区市町村の事業のフィード（Atom）</a>"));
    // The site's own feed stays at the root, listing every programme.
    let site_feed = t.page("feed.xml");
    assert_eq!(site_feed.matches("<entry>").count(), 33);
}
