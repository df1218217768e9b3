//! `outputs:` in _site.yaml: the search index, the embeddable cards and the
//! data files are each optional; what is off is neither written nor linked.

use crate::support::*;

/// The Tokyo site with `outputs` appended to its _site.yaml, built.
fn built_with(outputs: &str) -> SiteTest {
    let t = SiteTest::tokyo();
    let cfg = t.content().join("_site.yaml");
    let mut s = std::fs::read_to_string(&cfg).unwrap();
    s.push_str(outputs);
    std::fs::write(&cfg, s).unwrap();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    t
}

#[test]
fn parts_turned_off_are_neither_written_nor_linked() {
    let t = built_with(
        "outputs:\n  search: false\n  embed: false\n  downloads: [json, csv]\n  value_downloads: []\n",
    );
    let all = files(&t.out());
    // The pages are all there.
    let pages = all
        .iter()
        .filter(|f| f.starts_with("programmes/2024-") && f.ends_with("/index.html"))
        .count();
    assert_eq!(pages, 33);
    assert!(all
        .iter()
        .any(|f| f == "municipalities/setagaya-ku/index.html"));
    // What was turned off is not.
    for gone in ["search/", "embed/", "data/municipalities/", "data/themes/"] {
        assert!(
            !all.iter().any(|f| f.starts_with(gone)),
            "{gone} written: {:?}",
            all.iter().find(|f| f.starts_with(gone))
        );
    }
    assert!(!all.iter().any(|f| f.ends_with(".utf8.csv")));
    // The whole list in the two formats asked for, in the usual order.
    assert!(all.iter().any(|f| f == "data/programmes.csv"));
    assert!(all.iter().any(|f| f == "data/programmes.json"));
    let home = t.page("index.html");
    let csv = home.find("data/programmes.csv\"").expect("CSV offered");
    let json = home.find("data/programmes.json\"").expect("JSON offered");
    assert!(csv < json);
    // No page links to what is not there, and no page mentions it.
    let broken = broken_links(&t.out());
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = t.page(f);
        assert!(!html.contains("search/index.html"), "{f} links to search");
        assert!(!html.contains("embed/"), "{f} mentions cards");
        assert!(!html.contains("site-search"), "{f} has a search box");
    }
    let p = t.page("programmes/2024-model-01/index.html");
    assert!(p.contains("<h2 id=\"h-cite\">引用</h2>"), "{p}");
    assert!(!p.contains("embed-code"));
    // Without a base URL, no citation either: the page says what it needs.
    assert!(!p.contains("cite-text"));
    assert!(
        p.contains("引用には、サイトの公開アドレス（base_url）が必要です"),
        "{p}"
    );
    let ward = t.page("municipalities/setagaya-ku/index.html");
    assert!(!ward.contains("h-downloads"), "no downloads offered");
    // The data page describes exactly the files there are.
    let data = visible_text(&t.page("data/index.html"));
    assert!(data.contains("data/programmes.csv："), "{data}");
    assert!(data.contains("data/programmes.json："), "{data}");
    assert!(!data.contains("utf8.csv"), "{data}");
    assert!(!data.contains("data/municipalities/"), "{data}");
}

#[test]
fn each_values_downloads_may_have_their_own_formats() {
    let t = built_with("outputs:\n  value_downloads: [csv]\n");
    let all = files(&t.out());
    assert!(all
        .iter()
        .any(|f| f == "data/municipalities/setagaya-ku.csv"));
    assert!(!all
        .iter()
        .any(|f| f.starts_with("data/municipalities/") && !f.ends_with(".csv")));
    // The whole list keeps all three.
    for f in [
        "data/programmes.csv",
        "data/programmes.utf8.csv",
        "data/programmes.json",
    ] {
        assert!(all.iter().any(|x| x == f), "{f} missing");
    }
    let ward = t.page("municipalities/setagaya-ku/index.html");
    let offered = ward.matches("data/municipalities/setagaya-ku.").count();
    assert_eq!(offered, 1, "{ward}");
    // Three rows of 世田谷区 in it, with the shared subsidy once.
    let csv = std::fs::read_to_string(t.out().join("data/municipalities/setagaya-ku.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let data = visible_text(&t.page("data/index.html"));
    assert!(
        data.contains(
            "data/municipalities/&lt;slug&gt;.csv：実施区市町村ごとのCSV（Excel向け・BOM付きUTF-8）のファイル。"
        ),
        "{data}"
    );
    assert!(broken_links(&t.out()).is_empty());
    // Search and cards stay on by default.
    assert!(all.iter().any(|f| f == "search/meta.js"));
    assert!(all.iter().any(|f| f.starts_with("embed/programmes/")));
}

#[test]
fn an_unknown_format_is_refused_with_its_position() {
    let t = SiteTest::tokyo();
    let cfg = t.content().join("_site.yaml");
    let mut s = std::fs::read_to_string(&cfg).unwrap();
    let line = s.lines().count() + 3;
    s.push_str("outputs:\n  search: true\n  downloads: [csv, xlsx]\n");
    std::fs::write(&cfg, s).unwrap();
    let o = t.build();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("_site.yaml:{line}:")), "{err}");
    assert!(err.contains("xlsx"), "{err}");
    assert!(!t.out().exists(), "nothing written");
}

#[test]
fn without_any_data_file_there_is_no_data_page() {
    let t =
        built_with("outputs:\n  downloads: []\n  value_downloads: []\n  programme_data: false\n");
    let all = files(&t.out());
    assert!(!all.iter().any(|f| f == "data/index.html"));
    assert!(!all
        .iter()
        .any(|f| f.ends_with(".csv") || f == "data/programmes.json"));
    // The content schema stays: it describes the files editors write.
    assert!(all.iter().any(|f| f == "data/schema.json"));
    assert!(broken_links(&t.out()).is_empty());
    assert!(!t.page("index.html").contains("h-downloads"));
}
