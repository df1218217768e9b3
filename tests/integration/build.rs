//! Building the real Tokyo content: what a journalist would check.

use crate::support::*;
use mieruka::model::MeasureValue;

const GENERAL: [(&str, u128); 5] = [
    ("cost", 539_118),
    ("subsidy", 269_561),
    ("employed", 1_323),
    ("hiring_companies", 540),
    ("supported_companies", 114),
];
const MODEL: [(&str, u128); 5] = [
    ("cost", 61_400),
    ("subsidy", 61_400),
    ("employed", 84),
    ("hiring_companies", 28),
    ("supported_companies", 0),
];

#[test]
fn builds_33_programme_pages() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let pages: Vec<String> = files(&t.out())
        .into_iter()
        .filter(|f| {
            f.starts_with("programmes/")
                && f.ends_with("/index.html")
                && f.matches('/').count() == 2
        })
        .collect();
    assert_eq!(pages.len(), 33, "{pages:?}");
    let model = pages.iter().filter(|p| p.contains("-model-")).count();
    assert_eq!(model, 4);
}

#[test]
fn recomputed_totals_equal_the_declared_ones() {
    let site = match mieruka::check(&repo().join("content")) {
        mieruka::Checked::Valid(s, _) => s,
        mieruka::Checked::Invalid(d) => panic!("{:?}", d.sorted()),
    };
    for (source, expected) in [("tokyo-r6-general", GENERAL), ("tokyo-r6-model", MODEL)] {
        let si = site.sources.iter().position(|s| s.id == source).unwrap();
        let mut set = site.by_source[si].clone();
        set.sort();
        for (key, want) in expected {
            let mi = site.measure_index(key).unwrap();
            let t = site.total(&set, mi);
            assert_eq!(t.value, want, "{source} {key}");
            assert!(t.partial_groups.is_empty());
            assert_eq!(
                u128::from(site.sources[si].declared_totals[key]),
                want,
                "{source} declares {key}"
            );
        }
    }
}

#[test]
fn home_page_shows_the_declared_and_recomputed_totals() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let home = visible_text(&t.page("index.html"));
    for (label, figure) in [
        ("事業額（千円）", "539,118 539,118 一致"),
        ("補助金申請額（千円）", "269,561 269,561 一致"),
        ("雇用・就業者数（人）", "1,323 1,323 一致"),
        ("人材獲得事業所数（事業所）", "540 540 一致"),
        ("支援事業所数（事業所）", "114 114 一致"),
        ("事業額（千円）", "61,400 61,400 一致"),
        ("補助金申請額（千円）", "61,400 61,400 一致"),
        ("雇用・就業者数（人）", "84 84 一致"),
        ("人材獲得事業所数（事業所）", "28 28 一致"),
        ("支援事業所数（事業所）", "0 0 一致"),
    ] {
        assert!(
            home.contains(&format!("{label} {figure}")),
            "home page lacks `{label} {figure}`"
        );
    }
    assert!(!home.contains("不一致"));
}

#[test]
fn setagaya_lists_three_rows_and_the_shared_subsidy_once() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let html = t.page("municipalities/setagaya-ku/index.html");
    for id in ["2024-general-08", "2024-general-09", "2024-general-10"] {
        assert!(
            html.contains(&format!("programmes/{id}/index.html")),
            "{id} missing"
        );
    }
    // Exactly three programme rows in the table body.
    let table = html
        .split("<table class=\"programmes stack\" data-sortable>")
        .nth(1)
        .unwrap();
    let body = table
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    assert_eq!(body.matches("<tr>").count(), 3);
    // 42,933 appears once, as one cell spanning the three rows.
    let main = html.split("<main").nth(1).unwrap();
    assert_eq!(
        main.matches("42,933").count(),
        3,
        "the totals summary, one merged cell, the table total"
    );
    assert_eq!(body.matches("42,933").count(), 1);
    assert!(
        body.contains("rowspan=\"3\""),
        "the shared subsidy spans the rows"
    );
    // Row 8's own page never presents 42,933 as its own: it explains the group.
    let p8 = visible_text(&t.page("programmes/2024-general-08/index.html"));
    assert!(p8.contains("3件で共有"), "{p8}");
    assert!(p8.contains("この行だけの額ではありません"));
    assert!(p8.contains("85,868"), "the group's total cost");
}

#[test]
fn shared_subsidies_are_modelled_as_groups() {
    let site = match mieruka::check(&repo().join("content")) {
        mieruka::Checked::Valid(s, _) => s,
        mieruka::Checked::Invalid(d) => panic!("{:?}", d.sorted()),
    };
    let mi = site.measure_index("subsidy").unwrap();
    let p = site
        .programmes
        .iter()
        .position(|p| p.id == "2024-general-08")
        .unwrap();
    match &site.programmes[p].measures[mi] {
        MeasureValue::Lead { amount, covers } => {
            assert_eq!(*amount, 42_933);
            assert_eq!(covers.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    // '-' is not 0: 江東区 row 5 has 0 hiring companies; row 6 has none applicable.
    let hi = site.measure_index("hiring_companies").unwrap();
    let r5 = site
        .programmes
        .iter()
        .find(|p| p.id == "2024-general-05")
        .unwrap();
    let r6 = site
        .programmes
        .iter()
        .find(|p| p.id == "2024-general-06")
        .unwrap();
    assert_eq!(r5.measures[hi], MeasureValue::Own(0));
    assert_eq!(r6.measures[hi], MeasureValue::NotApplicable);
}

#[test]
fn every_list_page_exists() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    for p in [
        "index.html",
        "programmes/index.html",
        "municipalities/index.html",
        "municipalities/setagaya-ku/index.html",
        "themes/index.html",
        "themes/foreign-talent/index.html",
        "categories/labour/index.html",
        "categories/retention/index.html",
        "404.html",
        "assets/style.css",
        "data/index.html",
        "accessibility/index.html",
        "search/index.html",
        "feed.xml",
    ] {
        assert!(t.out().join(p).is_file(), "{p}");
    }
    let p1 = visible_text(&t.page("programmes/2024-model-01/index.html"));
    assert!(
        p1.contains("事業額 18,997千円"),
        "amounts are shown like 18,997千円"
    );
    assert!(
        p1.contains("令和6年度") && p1.contains("整理番号 1"),
        "the source is cited with its table and number"
    );
    let implementer = visible_text(&t.page("programmes/2024-model-04/index.html"));
    assert!(implementer.contains("東久留米市商工会"));
    assert!(implementer.contains("東久留米市"));
}

#[test]
fn builds_are_byte_identical() {
    let t = SiteTest::tokyo();
    assert!(t.run(&["build", "--quiet", "--out", "a"]).status.success());
    let o = command(t.dir.path(), &["build", "--quiet", "--out", "b"])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(o.status.success());
    let (a, b) = (t.dir.path().join("a"), t.dir.path().join("b"));
    let fa = files(&a);
    assert_eq!(fa, files(&b));
    for f in fa {
        assert_eq!(
            std::fs::read(a.join(&f)).unwrap(),
            std::fs::read(b.join(&f)).unwrap(),
            "{f} differs"
        );
    }
}
