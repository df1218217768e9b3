//! Every word on a page comes from the site's declaration or the theme's
//! generic text: a subsidy list (examples/tokyo-hojokin/) shows none of the
//! Tokyo plan's own wording — no 金額と目標 or 分類と期間 headings (it has no
//! targets and no start dates), no note on 「－」 where nothing is 該当なし,
//! no plan-only columns in its data files — and a site without a publisher
//! has no footer sentence beginning with が. The accessibility page states
//! only what is true of the site it is in.

use crate::support::*;
use std::fs;

/// The plan's own wording, which a site that does not declare it must not show.
pub(crate) const PLAN_WORDS: &[&str] = &[
    "金額と目標",
    "分類と期間",
    "「－」は出典で該当なし",
    "事業の構成",
    "前の行の続き",
    "事業開始",
    "実施区市町村",
    "補助金申請額",
];

#[test]
fn a_subsidy_list_speaks_in_its_own_words_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("examples/tokyo-hojokin/content"),
        &dir.path().join("content"),
    );
    let cfg = dir.path().join("content/_site.yaml");
    let site = fs::read_to_string(&cfg).unwrap();
    let without_publisher: String = site
        .lines()
        .filter(|l| !l.starts_with("publisher:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(site, without_publisher, "the example declares a publisher");
    fs::write(&cfg, without_publisher).unwrap();
    let r = mieruka_in(dir.path(), &["build", "--quiet", "--out", "public"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("public");
    let mut pages = 0;
    for f in files(&out) {
        let text = match fs::read_to_string(out.join(&f)) {
            Ok(t) if f.ends_with(".html") || f.ends_with(".csv") || f.ends_with(".json") => t,
            _ => continue,
        };
        for w in PLAN_WORDS {
            assert!(!text.contains(w), "{f} says {w}");
        }
        if f.ends_with(".html") {
            pages += 1;
            let footer = visible_text(&text);
            assert!(!footer.contains(" が静的サイト生成ツール"), "{f}: {footer}");
        }
    }
    assert!(pages > 50, "{pages} pages scanned");
    let programme = files(&out)
        .into_iter()
        .find(|f| f.starts_with("programmes/") && f.ends_with("/2025/index.html"))
        .unwrap();
    let html = fs::read_to_string(out.join(&programme)).unwrap();
    assert!(html.contains("<h2 id=\"h-figures\">金額</h2>"), "{html}");
    assert!(html.contains("<h2 id=\"h-attrs\">分類</h2>"), "{html}");
    assert!(html.contains("静的サイト生成ツール mieruka で作成しました。"));
    // The accessibility page states what is true of this site, and that
    // the tool's tests were not run on this build.
    let a11y = visible_text(&fs::read_to_string(out.join("accessibility/index.html")).unwrap());
    assert!(
        a11y.contains("ページの種類：トップ、補助金一覧、各補助金、所管局、"),
        "{a11y}"
    );
    assert!(
        !a11y.contains("ふりがな") && !a11y.contains("該当なし"),
        "{a11y}"
    );
    assert!(
        a11y.contains("このサイトのこの版のページに対しては実行していません"),
        "{a11y}"
    );
    assert!(
        a11y.contains(&format!("mieruka {}", env!("CARGO_PKG_VERSION"))),
        "{a11y}"
    );
    let csv = fs::read_to_string(out.join("data/programmes.utf8.csv")).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "id,source,fiscal_year,series,number,bureau,policy_area,recipient,project,implementer,name,summary,budget,url"
    );
}

#[test]
fn the_plan_keeps_its_declared_wording() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let html = t.page("programmes/2024-general-08/index.html");
    assert!(html.contains("<h2 id=\"h-figures\">金額と目標</h2>"));
    assert!(html.contains("<h2 id=\"h-attrs\">分類と期間</h2>"));
    assert!(html.contains("「－」は出典で該当なし"));
    let a11y = visible_text(&t.page("accessibility/index.html"));
    assert!(
        a11y.contains("実施区市町村の名前にはふりがなを付けています"),
        "{a11y}"
    );
    assert!(a11y.contains("読み上げでも「該当なし」と分かる"), "{a11y}");
    let csv = t.page("data/programmes.utf8.csv");
    let head = csv.lines().next().unwrap();
    for col in [",part,", ",continues,", ",start,"] {
        assert!(head.contains(col), "{head}");
    }
}

/// `chart: false` takes a dimension out of every chart: the subsidy list's
/// 事業 (hundreds of values in a full list) gets no chart of its own.
#[test]
fn chart_false_takes_a_dimension_out_of_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("examples/tokyo-hojokin/content"),
        &dir.path().join("content"),
    );
    let build = || {
        let r = mieruka_in(dir.path(), &["build", "--quiet", "--out", "public"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        fs::read_to_string(dir.path().join("public/index.html")).unwrap()
    };
    assert!(
        build().contains("id=\"chart-project-cap\""),
        "charted by default"
    );
    let cfg = dir.path().join("content/_site.yaml");
    let site = fs::read_to_string(&cfg).unwrap();
    let off = site.replace(
        "    path: projects\n",
        "    path: projects\n    chart: false\n",
    );
    assert_ne!(site, off);
    fs::write(&cfg, off).unwrap();
    let home = build();
    assert!(!home.contains("id=\"chart-project-cap\""), "chart: false");
    assert!(
        home.contains("id=\"chart-cost-cap\""),
        "the other charts stay"
    );
}
