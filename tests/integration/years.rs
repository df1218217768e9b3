//! Fiscal years (docs/years.md) on the two-year example,
//! examples/tokyo-hojokin/ (Tokyo's subsidy lists of FY2024 and FY2025,
//! real data): years never mix, a series page per programme, the changes
//! files, permalinks that survive a new year, and the series checks (E017).

use super::support::{copy_dir, files, mieruka_in, repo, visible_text, Run};
use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the example project (content, themes, static) in a temp dir.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("examples/tokyo-hojokin/content"),
        &dir.path().join("content"),
    );
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    copy_dir(&repo().join("static"), &dir.path().join("static"));
    dir
}

fn build(dir: &Path) -> (Run, PathBuf) {
    let out = dir.join("public");
    let r = mieruka_in(dir, &["build", "--quiet", "--out", "public"]);
    (r, out)
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = project();
    let (r, out) = build(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, out)
}

fn page(out: &Path, rel: &str) -> String {
    visible_text(&fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

/// The record `name`'s series id in the built site's data (every row
/// carries it).
fn series_of(out: &Path, name: &str, year: i64) -> String {
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/programmes.json")).unwrap()).unwrap();
    json["programmes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name && p["fiscal_year"] == year)
        .unwrap_or_else(|| panic!("{name} {year}"))["series"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_bureau_shows_each_year_and_the_change_never_their_sum() {
    let (_d, out) = built();
    let bureau = page(&out, "bureaus/02/index.html");
    // The latest year's total, the year before beside it, the change.
    assert!(bureau.contains("予算額 9,638,478千円"), "{bureau}");
    for want in ["8,111,541", "1,526,937", "+18.8%"] {
        assert!(bureau.contains(want), "{want}: {bureau}");
    }
    // FY2024's own page of the bureau.
    let fy2024 = page(&out, "bureaus/02/2024/index.html");
    assert!(fy2024.contains("予算額 8,111,541千円"), "{fy2024}");
    // The sum of the two years appears nowhere: no page, no data file.
    for f in files(&out) {
        let bytes = fs::read(out.join(&f)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("17,750,019") && !text.contains("17750019"),
            "{f} adds FY2024 and FY2025"
        );
    }
    // The home page totals the latest year and links each year's page.
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"years/2024/index.html\""));
    // The change by bureau is charted year beside year, with its table.
    let text = visible_text(&home);
    assert!(
        text.contains("子供政策連携室（2024年度） 8,111,541")
            && text.contains("子供政策連携室（2025年度） 9,638,478"),
        "{text}"
    );
    let year = page(&out, "years/2024/index.html");
    assert!(year.contains("予算額 8,111,541千円"), "{year}");
}

#[test]
fn a_series_page_shows_every_year_and_the_change() {
    let (_d, out) = built();
    let s = series_of(&out, "ファミリー・アテンダント事業補助金", 2025);
    assert_eq!(
        s,
        series_of(&out, "ファミリー・アテンダント事業補助金", 2024)
    );
    let html = fs::read_to_string(out.join(format!("programmes/{s}/index.html"))).unwrap();
    let text = visible_text(&html);
    let at = |x: &str| text.find(x).unwrap_or_else(|| panic!("{x}: {text}"));
    assert!(at("3,341,541") < at("2,457,978"), "{text}");
    assert!(
        text.contains("883,563") && text.contains("−26.4%"),
        "{text}"
    );
    // △ for the decrease, with a word for screen readers.
    assert!(
        html.contains("<span aria-hidden=\"true\">△</span><span class=\"vh\">減</span>883,563"),
        "{html}"
    );
    // Each year's record is under the series and links back to it.
    let record = fs::read_to_string(out.join(format!("programmes/{s}/2024/index.html"))).unwrap();
    assert!(
        record.contains(&format!("href=\"../../../programmes/{s}/index.html\"")),
        "{record}"
    );
}

#[test]
fn the_editors_judgement_joins_a_renamed_subsidy_and_says_so() {
    let (_d, out) = built();
    let old = series_of(&out, "子供の遊び体験創出事業補助金", 2024);
    let new = series_of(
        &out,
        "子供の未来を育む「体験活動」推進区市町村支援事業（「遊び」特別推進枠）補助金",
        2025,
    );
    assert_eq!(old, new, "_series.yaml joins them");
    let text = page(&out, &format!("programmes/{old}/index.html"));
    assert!(text.contains("編集部の判断"), "{text}");
    assert!(
        text.contains("補助金名が「子供の遊び体験創出事業補助金」から"),
        "{text}"
    );
}

#[test]
fn new_and_absent_subsidies_are_listed() {
    let (_d, out) = built();
    let home = page(&out, "index.html");
    assert!(home.contains("継続 7件、新規 1件"), "{home}");
    let new_at = home.find("新規（1件）").expect("new list");
    assert!(home[new_at..].contains("（「体験活動」推進枠）補助金"));
    let absent_at = home
        .find("令和7年度（2025年度）の一覧にないもの（1件）")
        .expect("absent list");
    assert!(home[absent_at..].contains("企業と連携した育業応援プロジェクト"));
    // The list tables mark the new one and give the year before.
    let bureau = fs::read_to_string(out.join("bureaus/02/index.html")).unwrap();
    assert!(bureau.contains("<span class=\"badge new\">新規</span>"));
    assert!(bureau.contains("前年度の予算額"));
}

#[test]
fn the_changes_file_has_a_row_per_series_with_the_difference() {
    let (_d, out) = built();
    let mut r = csv::Reader::from_path(out.join("data/changes/2024-2025.utf8.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "series",
            "status",
            "previous_id",
            "id",
            "previous_name",
            "name",
            "previous",
            "amount",
            "difference",
            "percent",
            "url"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let count = |s: &str| rows.iter().filter(|r| &r[1] == s).count();
    assert_eq!(
        (count("continued"), count("new"), count("absent")),
        (7, 1, 1)
    );
    let family = rows
        .iter()
        .find(|r| &r[5] == "ファミリー・アテンダント事業補助金")
        .unwrap();
    assert_eq!(
        (&family[6], &family[7], &family[8], &family[9]),
        ("3341541", "2457978", "-883563", "-26.4")
    );
    let absent = rows.iter().find(|r| &r[1] == "absent").unwrap();
    assert_eq!(
        (&absent[4], &absent[7]),
        ("企業と連携した育業応援プロジェクト", "")
    );
    // The same in JSON, and every download row carries year and series.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/changes/2024-2025.json")).unwrap())
            .unwrap();
    assert_eq!(json["changes"].as_array().unwrap().len(), rows.len());
    // The data page links them and says how to total years.
    let data_page = fs::read_to_string(out.join("data/index.html")).unwrap();
    assert!(
        data_page.contains("href=\"../data/changes/2024-2025.utf8.csv\""),
        "{data_page}"
    );
    assert!(visible_text(&data_page).contains("金額を合計するときは年度ごとに合計します"));
    let all = fs::read_to_string(out.join("data/programmes.utf8.csv")).unwrap();
    assert!(all.starts_with("id,source,fiscal_year,series,"), "{all}");
}

/// The site of FY2024 alone: the example without FY2025's files, source
/// and the judgement that names a FY2025 record.
fn first_year_only(dir: &Path) {
    let c = dir.join("content");
    fs::remove_dir_all(c.join("programmes/2025")).unwrap();
    fs::remove_file(c.join("_series.yaml")).unwrap();
    let sources = fs::read_to_string(c.join("_sources.yaml")).unwrap();
    let cut = sources.find("- id: tokyo-r7-hojokin").unwrap();
    fs::write(c.join("_sources.yaml"), &sources[..cut]).unwrap();
}

#[test]
fn adding_a_year_changes_no_published_url() {
    let dir = project();
    first_year_only(dir.path());
    let (r, out) = build(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = files(&out);
    let pages_before: Vec<(String, String)> = before
        .iter()
        .filter(|f| f.starts_with("programmes/") && f.ends_with("/index.html"))
        .map(|f| (f.clone(), fs::read_to_string(out.join(f)).unwrap()))
        .collect();
    fs::remove_dir_all(&out).unwrap();
    // Next April: FY2025 arrives, with the editor's judgement.
    let full = project();
    let (r, out) = build(full.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after: std::collections::BTreeSet<String> = files(&out).into_iter().collect();
    let lost: Vec<&String> = before
        .iter()
        .filter(|f| !f.starts_with("search/") && !after.contains(*f))
        .collect();
    assert!(lost.is_empty(), "URLs lost with the new year: {lost:?}");
    // And each record's URL still shows (or leads to) the same record (a
    // series page takes the latest year's name).
    for (f, html) in pages_before
        .into_iter()
        .filter(|(f, _)| f.matches('/').count() != 2 || f.starts_with("programmes/20"))
    {
        let now = fs::read_to_string(out.join(&f)).unwrap();
        let title =
            |h: &str| h[h.find("<title>").unwrap()..h.find("</title>").unwrap()].to_string();
        assert_eq!(title(&html), title(&now), "{f}");
    }
    // A record's id keeps working: it redirects to the record's page.
    let s = series_of(&out, "ファミリー・アテンダント事業補助金", 2024);
    let redirect = fs::read_to_string(out.join("programmes/2024-004/index.html")).unwrap();
    assert!(
        redirect.contains(&format!("url=../{s}/2024/index.html")),
        "{redirect}"
    );
}

fn check(dir: &Path) -> Run {
    mieruka_in(dir, &["check", "--content", "content"])
}

#[test]
fn check_refuses_two_records_of_one_series_in_one_year() {
    let dir = project();
    let c = dir.path().join("content");
    // 2025-003 claims the series of 2025-002 (ファミリー・アテンダント).
    let (_d, out) = built();
    let s = series_of(&out, "ファミリー・アテンダント事業補助金", 2025);
    let f = c.join("programmes/2025/2025-003.yaml");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(&f, format!("{text}series: {s}\n")).unwrap();
    let r = check(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = text.lines().count() + 1;
    assert!(
        r.stderr.contains(&format!(
            "content/programmes/2025/2025-003.yaml:{line}:9: error[E017]"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("has two records in fiscal year 2025"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_refuses_a_judgement_that_names_an_unknown_record() {
    let dir = project();
    let f = dir.path().join("content/_series.yaml");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(&f, text.replace("as: 2025-007", "as: 2025-070")).unwrap();
    let r = check(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = text
        .lines()
        .position(|l| l.contains("as: 2025-007"))
        .unwrap()
        + 1;
    assert!(
        r.stderr.contains(&format!(
            "content/_series.yaml:{line}:7: error[E005]: `2025-070` is not the id of a programme"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `2025-007`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_refuses_a_rename_that_no_judgement_records() {
    // Without the editor's judgement, a record that claims the series of a
    // differently named one is refused: a rename is never guessed.
    let dir = project();
    let c = dir.path().join("content");
    fs::remove_file(c.join("_series.yaml")).unwrap();
    let (_d, out) = built();
    let s = series_of(&out, "子供の遊び体験創出事業補助金", 2024);
    let f = c.join("programmes/2025/2025-007.yaml");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(&f, format!("{text}series: {s}\n")).unwrap();
    let r = check(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("its series key differs and no judgement joins them"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_sitemap_lists_series_and_records_not_redirects() {
    let dir = project();
    let site = dir.path().join("content/_site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    fs::write(
        &site,
        format!("{text}base_url: https://example.jp/hojokin/\n"),
    )
    .unwrap();
    let (r, out) = build(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = series_of(&out, "ファミリー・アテンダント事業補助金", 2025);
    let map = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for want in [
        format!("<loc>https://example.jp/hojokin/programmes/{s}/</loc>"),
        format!("<loc>https://example.jp/hojokin/programmes/{s}/2024/</loc>"),
        "<loc>https://example.jp/hojokin/years/2024/</loc>".to_string(),
        "<loc>https://example.jp/hojokin/bureaus/02/2024/</loc>".to_string(),
    ] {
        assert!(map.contains(&want), "{want}: {map}");
    }
    assert!(!map.contains("programmes/2024-004/"), "a redirect: {map}");
    // The record's page names its series page as the stable address.
    let record = fs::read_to_string(out.join(format!("programmes/{s}/2025/index.html"))).unwrap();
    assert!(record.contains(&format!("programmes/{s}/index.html")));
}
