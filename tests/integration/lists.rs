//! Publishing any programme list (issue 11): a site config declares the
//! data model, a mapping file says which header feeds which field, and
//! `mieruka import --mapping` + `mieruka build` publish it. Two example
//! lists besides the Tokyo plan: Tokyo's FY2025 subsidy list
//! (examples/tokyo-hojokin/, real data) and a city's budget items
//! (tests/fixtures/publish/city-budget/, a third shape, config + mapping only).

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{broken_links, copy_dir, mieruka_in, visible_text as visible, Run};

fn root() -> PathBuf {
    crate::support::repo()
}

fn example() -> PathBuf {
    root().join("examples/tokyo-hojokin")
}

/// The FY2025 table the example was imported from, committed beside it.
fn r7_table() -> PathBuf {
    example().join("data/tokyo-r7-hojokin-list-excerpt.tsv")
}

/// The FY2024 table (CSV with BOM and CRLF), committed beside it.
fn r6_table() -> PathBuf {
    example().join("data/tokyo-r6-hojokin-list-excerpt.csv")
}

/// Where a test writes its altered copy of the FY2025 table: under the
/// table's own name, so the import finds its source (`file:` in
/// _sources.yaml) as for the real table.
fn r7_altered(d: &tempfile::TempDir) -> PathBuf {
    d.path().join("tokyo-r7-hojokin-list-excerpt.tsv")
}

fn city() -> PathBuf {
    root().join("tests/fixtures/publish/city-budget")
}

fn mieruka(args: &[&str]) -> Run {
    mieruka_in(&root(), args)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file below `dir` (relative path → bytes).
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut m = std::collections::BTreeMap::new();
    fn walk(base: &Path, d: &Path, m: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(d) else { return };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, m);
            } else {
                m.insert(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    walk(dir, dir, &mut m);
    m
}

/// Asserts two folders hold the same files with the same text (optionally
/// leaving out `#` comment lines, which name the table file).
fn assert_same_tree(a: &Path, b: &Path, without_comments: bool) {
    let (ta, tb) = (tree(a), tree(b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    let norm = |v: &[u8]| {
        let t = String::from_utf8_lossy(v).to_string();
        if without_comments {
            t.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            t
        }
    };
    for (k, v) in &ta {
        assert_eq!(norm(v), norm(&tb[k]), "{k} differs");
    }
}

/// A temp folder with a copy of the r7 example's content.
fn r7_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    copy_dir(&example().join("content"), &c);
    (dir, c)
}

/// The files the import writes for the r7 example: programmes and the
/// registries of values it added.
const R7_GENERATED: &[&str] = &[
    "_bureaus.yaml",
    "_policy_areas.yaml",
    "_recipients.yaml",
    "_projects.yaml",
];

fn import(table: &Path, content: &Path, mapping: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        s(table),
        "--content",
        s(content),
        "--mapping",
        s(mapping),
    ];
    args.extend(extra);
    mieruka(&args)
}

fn build(content: &Path, out: &Path) -> Run {
    let r = mieruka(&["build", "--quiet", "--content", s(content), "--out", s(out)]);
    assert_eq!(r.code, 0, "build failed: {}", r.stderr);
    r
}

#[test]
fn the_source_tables_are_in_the_repository() {
    // The sites' source tables are part of the repository (a clone with
    // nothing beside it builds and tests), each with the note of its origin
    // beside it (data/README.md says how to compare them with the
    // published copies).
    for (ours, name) in [
        (
            "examples/tokyo-hojokin/data",
            "tokyo-r6-hojokin-list-excerpt.csv",
        ),
        (
            "examples/tokyo-hojokin/data",
            "tokyo-r7-hojokin-list-excerpt.tsv",
        ),
        ("data", "tokyo-r6-chiiki-jinzai-plan.tsv"),
    ] {
        let committed = fs::read(root().join(ours).join(name)).unwrap();
        assert!(committed.len() > 1000, "{name}");
        // Its note: `<name>.md` beside it, or data/README.md naming it.
        let note = Path::new(name).with_extension("md");
        let note = fs::read_to_string(root().join(ours).join(&note))
            .or_else(|_| fs::read_to_string(root().join(ours).join("README.md")))
            .unwrap_or_default();
        assert!(
            note.contains(name.split('.').next().unwrap()),
            "{name}: no note of its origin"
        );
    }
}

#[test]
fn the_two_year_example_imports_reproducibly_from_its_two_tables() {
    // Re-import each year's table in place: nothing changes.
    let (_d, c) = r7_copy();
    let before = tree(&c);
    for table in [r6_table(), r7_table()] {
        let r = import(&table, &c, &c.join("mapping.yaml"), &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout
                .contains("8 programmes: 0 created, 0 changed, 8 unchanged"),
            "{}",
            r.stdout
        );
        assert_eq!(tree(&c), before);
    }
    // From scratch (no programme files, no generated registries): both
    // tables reproduce the committed files byte for byte. FY2025 was
    // imported first: the 事業 slugs ("{n}") number values in the order
    // they were added, so FY2024's one new 事業 is the 9th.
    let (_d2, fresh) = r7_copy();
    fs::remove_dir_all(fresh.join("programmes")).unwrap();
    for f in R7_GENERATED {
        fs::remove_file(fresh.join(f)).unwrap();
    }
    for table in [r7_table(), r6_table()] {
        let r = import(&table, &fresh, &fresh.join("mapping.yaml"), &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("8 programmes: 8 created"), "{}", r.stdout);
    }
    assert_same_tree(&example().join("content"), &fresh, false);
}

#[test]
fn r7_example_checks_and_builds_with_its_totals_groups_and_paragraphs() {
    let r = mieruka(&["check", "--content", "examples/tokyo-hojokin/content"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("16 programmes checked: 0 error(s)"),
        "{}",
        r.stdout
    );
    let out = tempfile::tempdir().unwrap();
    build(&example().join("content"), out.path());
    let page =
        |p: &str| fs::read_to_string(out.path().join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    // The 8 budgets sum to 9,638,478 千円 on the home page.
    let home = visible(&page("index.html"));
    assert!(
        home.contains("予算額（千円） 記載なし－ 9,638,478 出典に合計なし"),
        "{home}"
    );
    // The source's title is isolated (<bdi>) in the caption.
    assert!(
        page("index.html").contains("<caption><bdi>令和7年度 補助金一覧</bdi>（8件）</caption>"),
        "{home}"
    );
    // Eight subsidy pages.
    for i in 1..=8 {
        assert!(out
            .path()
            .join(format!("programmes/2025-{i:03}/index.html"))
            .is_file());
    }
    // A record's page is under its series (the id's page redirects): the
    // data files give each record's page.
    let data: serde_json::Value = serde_json::from_str(&page("data/programmes.json")).unwrap();
    let record = |id: &str| -> String {
        data["programmes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["url"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // A multi-line 概要 renders as one paragraph per line, alignment kept.
    let p4 = page(&record("2025-004"));
    let summary = p4
        .split("<div class=\"summary\">")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    assert_eq!(summary.matches("<p>").count(), 6, "{summary}");
    assert!(summary.contains("<p>補助対象者：区市町村</p>"), "{summary}");
    assert!(
        summary.contains(
            "<p>\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}運営費：都1/2、補助上限5百万円</p>"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("<p>問い合わせ先：03-5388-3812</p>"),
        "{summary}"
    );
    // The site's own words for the core fields.
    assert!(p4.contains("<h2 id=\"h-summary\">補助金の概要</h2>"));
    assert!(visible(&p4).contains("所管部署 子供政策連携室企画調整部企画調整課"));
    // A source link cell becomes a link.
    assert!(page(&record("2025-003")).contains("<a href=\"https://www.kodomoseisaku.metro.tokyo.lg.jp/jigyo/suisin-team/kodomonoegaonitsunagaruasobinosokushin\">"));
    // The 事業 page lists its subsidy.
    let project = visible(&page("projects/1/index.html"));
    assert!(
        project.contains("とうきょう すくわくプログラム推進事業補助金"),
        "{project}"
    );
    // The 補助対象者 page totals the latest year (budgets are never added
    // across years) and lists FY2025's subsidies with FY2024's figures
    // beside them.
    let municipalities = visible(&page("recipients/01/index.html"));
    assert!(
        municipalities.contains("予算額 8,543,478千円") && !municipalities.contains("16,010,019"),
        "{municipalities}"
    );
    for figure in ["4,117,500", "2,475,000", "650,000", "190,000"] {
        assert!(
            municipalities.contains(figure),
            "{figure}: {municipalities}"
        );
    }
    // No merged cells in this list: no word about them.
    assert!(!page("programmes/index.html").contains("結合セル"));
    // CSV columns follow the declaration and its labels.
    let csv = page("data/programmes.utf8.csv");
    assert!(
        csv.starts_with(
            "id,source,fiscal_year,series,number,bureau,policy_area,recipient,project,implementer,name,"
        ),
        "{csv}"
    );
    assert!(page("data/programmes.csv").contains("補助金名"));
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn subsidies_of_one_project_are_grouped_on_its_page() {
    // In the excerpt each 事業名 is a different 事業; in the full list several
    // subsidies share one. Give row 8 the 事業名 of row 7.
    // FY2025 alone: without FY2024's records, the judgement on them goes.
    let (d, c) = r7_copy();
    fs::remove_dir_all(c.join("programmes")).unwrap();
    fs::remove_file(c.join("_series.yaml")).unwrap();
    for f in R7_GENERATED {
        fs::remove_file(c.join(f)).unwrap();
    }
    let text = fs::read_to_string(r7_table()).unwrap();
    let shared = "子供の未来を育む「体験活動」推進区市町村支援事業（「遊び」特別推進枠）\t";
    let own = "子供の未来を育む「体験活動」推進区市町村支援事業（「体験活動」推進枠）\t";
    assert!(text.contains(own));
    let t = r7_altered(&d);
    fs::write(&t, text.replacen(own, shared, 1)).unwrap();
    let r = import(&t, &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let projects = fs::read_to_string(c.join("_projects.yaml")).unwrap();
    assert_eq!(projects.matches("- slug:").count(), 7, "{projects}");
    let out = d.path().join("out");
    build(&c, &out);
    let page = visible(&fs::read_to_string(out.join("projects/7/index.html")).unwrap());
    assert!(
        page.contains("（「遊び」特別推進枠）補助金")
            && page.contains("（「体験活動」推進枠）補助金"),
        "{page}"
    );
    assert!(page.contains("410,000"), "190,000 + 220,000: {page}");
}

#[test]
fn a_table_missing_a_mapped_header_is_refused_naming_line_1_and_the_header() {
    let (d, c) = r7_copy();
    fs::remove_dir_all(c.join("programmes")).unwrap();
    fs::remove_file(c.join("_projects.yaml")).unwrap();
    let before = tree(&c);
    let text = fs::read_to_string(r7_table()).unwrap();
    let t = r7_altered(&d);
    fs::write(&t, text.replacen("\t補助金名\t", "\t名称\t", 1)).unwrap();
    let r = import(&t, &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!(
            "{}:1:1: error[E104]: the header row has no column 「補助金名」",
            t.display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(":1:7: error[E104]: column 「名称」 is not in the mapping"),
        "{}",
        r.stderr
    );
    // Nothing more: the rows of a table whose columns do not fit are not read.
    assert_eq!(r.stderr.matches(": error[").count(), 2, "{}", r.stderr);
    assert!(r.stderr.contains("nothing was written"));
    assert_eq!(tree(&c), before, "nothing written");
}

#[test]
fn a_bad_amount_is_refused_naming_its_line_and_nothing_is_written() {
    let (d, c) = r7_copy();
    fs::remove_dir_all(c.join("programmes")).unwrap();
    fs::remove_file(c.join("_projects.yaml")).unwrap();
    let before = tree(&c);
    let text = fs::read_to_string(r7_table()).unwrap();
    let t = r7_altered(&d);
    // Row 2 starts at line 6 (row 1's 概要 spans four lines).
    fs::write(&t, text.replacen("\t2,457,978\t", "\t2,457,978円\t", 1)).unwrap();
    let r = import(&t, &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!(
            "{}:6:11: error[E108]: 「予算額（千円）」 (予算額): `2,457,978円` is not a number",
            t.display()
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("created"), "{}", r.stdout);
    assert_eq!(
        tree(&c),
        before,
        "nothing written: no programme, no registry"
    );
    // A dry run of a good table writes nothing either.
    let r = import(&r7_table(), &c, &c.join("mapping.yaml"), &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("would create"), "{}", r.stdout);
    assert_eq!(tree(&c), before);
}

#[test]
fn both_names_of_the_budget_header_work() {
    // FY2024's list calls the column 令和６年度予算額（千円）, FY2025's 予算額（千円）.
    let (d, c) = r7_copy();
    let text = fs::read_to_string(r7_table()).unwrap();
    let t = r7_altered(&d);
    fs::write(
        &t,
        text.replacen("\t予算額（千円）\t", "\t令和６年度予算額（千円）\t", 1),
    )
    .unwrap();
    let r = import(&t, &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("8 unchanged"),
        "same programme files: {}",
        r.stdout
    );
    // Half-width digits and spaces in the header are the same header (NFKC).
    fs::write(
        &t,
        text.replacen("\t予算額（千円）\t", "\t令和6年度 予算額(千円)\t", 1),
    )
    .unwrap();
    let r = import(&t, &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A table with both columns is ambiguous.
    fs::write(
        &t,
        text.replacen("\t所管部署\t", "\t令和６年度予算額（千円）\t", 1),
    )
    .unwrap();
    let r = import(&t, &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("both feed `budget`"), "{}", r.stderr);
}

#[test]
fn a_year_that_is_not_the_sources_is_refused() {
    let (d, c) = r7_copy();
    let text = fs::read_to_string(r7_table()).unwrap();
    let t = r7_altered(&d);
    let lines: Vec<&str> = text.split('\n').collect();
    let l12 = lines
        .iter()
        .position(|l| {
            l.starts_with(
                "2025\t02\t子供政策連携室\t01\t子供家庭\t東京都フリースクール等利用者等支援事業",
            )
        })
        .unwrap();
    fs::write(
        &t,
        text.replacen(
            "2025\t02\t子供政策連携室\t01\t子供家庭\t東京都フリースクール等利用者等",
            "令和6年度\t02\t子供政策連携室\t01\t子供家庭\t東京都フリースクール等利用者等",
            1,
        ),
    )
    .unwrap();
    let r = import(&t, &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!(
            ":{}:1: error[E108]: 「年度」 is 2024, but source `tokyo-r7-hojokin` is fiscal year 2025",
            l12 + 1
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn mapping_files_are_checked_with_positions() {
    let (d, c) = r7_copy();
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(c.join("mapping.yaml")).unwrap();
    // A misspelt option.
    fs::write(
        &m,
        good.replacen("as: paragraphs", "as: paragraphs, requird: false", 1),
    )
    .unwrap();
    let r = import(&r7_table(), &c, &m, &["--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown field `requird`"), "{}", r.stderr);
    let line = good
        .lines()
        .position(|l| l.contains("as: paragraphs"))
        .unwrap()
        + 1;
    assert!(
        r.stderr.contains(&format!("{}:{line}:", m.display())),
        "{}",
        r.stderr
    );
    // A field the site does not declare.
    fs::write(&m, good.replacen("  budget:", "  budgett:", 1)).unwrap();
    let r = import(&r7_table(), &c, &m, &["--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("`budgett` is neither a core field nor a dimension or measure")
            && r.stderr.contains("did you mean `budget`?"),
        "{}",
        r.stderr
    );
    // A placeholder naming no header.
    fs::write(&m, good.replacen("{所管局№:02}", "{所管局番号:02}", 1)).unwrap();
    let r = import(&r7_table(), &c, &m, &["--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("uses {所管局番号}, which is no header"),
        "{}",
        r.stderr
    );
    // A column the mapping does not know.
    fs::write(
        &m,
        good.replacen(
            "ignore: [所管局№, 施策分野№, 補助対象者№]",
            "ignore: [所管局№, 施策分野№]",
            1,
        ),
    )
    .unwrap();
    let r = import(&r7_table(), &c, &m, &["--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            ":1:9: error[E104]: column 「補助対象者№」 is not in the mapping, so its data would be lost"
        ),
        "{}",
        r.stderr
    );
}

/// The city budget: a content folder with only the config and the mapping.
fn city_content() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    fs::create_dir_all(&c).unwrap();
    for f in ["_site.yaml", "_sources.yaml"] {
        fs::copy(city().join(f), c.join(f)).unwrap();
    }
    (dir, c)
}

#[test]
fn a_city_budget_publishes_with_only_a_config_and_a_mapping() {
    let (d, c) = city_content();
    let r = import(
        &city().join("budget.csv"),
        &c,
        &city().join("mapping.yaml"),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("7 programmes: 7 created"), "{}", r.stdout);
    assert!(
        r.stdout.contains("_kan.yaml (3 new value(s))"),
        "{}",
        r.stdout
    );
    let kou = fs::read_to_string(c.join("_kou.yaml")).unwrap();
    assert!(
        kou.contains("- slug: \"3-2\"\n  name: 2 児童福祉費\n"),
        "{kou}"
    );
    let p = fs::read_to_string(c.join("programmes/2025/2025-0301010001.yaml")).unwrap();
    assert!(
        p.contains("kan: 3 民生費\nkou: 1 社会福祉費\nmoku: 1 社会福祉総務費\n"),
        "{p}"
    );
    assert!(
        p.contains("budget: 3210\nprevious: ~\n"),
        "`-` is not applicable: {p}"
    );
    assert!(!p.contains("number:"), "{p}");
    let r = mieruka(&["check", "--content", s(&c)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let out = d.path().join("out");
    build(&c, &out);
    let page = |p: &str| fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    // Declared totals (the 合計 row) equal the recomputed ones.
    let home = visible(&page("index.html"));
    assert!(
        home.contains("本年度予算額（千円） 1,477,825 1,477,825 一致"),
        "{home}"
    );
    assert!(
        home.contains("前年度予算額（千円） 1,452,820 1,452,820 一致"),
        "{home}"
    );
    // 款 has pages; 項 and 目 have none but are columns (目 not).
    assert!(out.join("kan/3/index.html").is_file());
    assert!(!out.join("kou").exists() && !out.join("moku").exists());
    let kan3 = visible(&page("kan/3/index.html"));
    assert!(
        kan3.contains("子ども医療費助成事業") && kan3.contains("1,320,910"),
        "{kan3}"
    );
    let list = page("programmes/index.html");
    assert!(
        list.contains("<th scope=\"col\">項</th>") && !list.contains("<th scope=\"col\">目</th>")
    );
    assert!(
        !list.contains("<th scope=\"col\">整理番号</th>"),
        "no numbers, no number column"
    );
    // `as: lines`: the lines of 説明 stay lines.
    let p = page("programmes/2025-0201010002/index.html");
    assert!(
        p.contains("本庁舎の清掃・警備・設備点検<br />\n※ 令和7年度は空調設備を更新"),
        "{p}"
    );
    assert!(!visible(&p).contains("整理番号"), "no number, no 整理番号");
    let csv = page("data/programmes.utf8.csv");
    assert!(
        csv.starts_with("id,source,fiscal_year,number,kan,kou,moku,implementer,name,"),
        "{csv}"
    );
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    // The import is reproducible: again, nothing changes.
    let before = tree(&c);
    let r = import(
        &city().join("budget.csv"),
        &c,
        &city().join("mapping.yaml"),
        &[],
    );
    assert!(
        r.stdout.contains("0 created, 0 changed, 7 unchanged"),
        "{}",
        r.stdout
    );
    assert_eq!(tree(&c), before);
}

#[test]
fn csv_quirks_do_not_change_what_is_read() {
    // budget.csv has a BOM, CRLF, quoted multi-line cells, trailing spaces and
    // amounts with thousands commas. Without BOM, with LF and plain numbers:
    // the same files.
    let (_d1, a) = city_content();
    let r = import(
        &city().join("budget.csv"),
        &a,
        &city().join("mapping.yaml"),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (d2, b) = city_content();
    let text = String::from_utf8(fs::read(city().join("budget.csv")).unwrap()).unwrap();
    assert!(text.starts_with('\u{feff}') && text.contains("\r\n") && text.contains("\"12,345\""));
    let plain = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace("\"12,345\"", "12345")
        .replace("\"1,102,300\"", "  1102300 ");
    let t = d2.path().join("budget.csv");
    fs::write(&t, plain).unwrap();
    let r = import(&t, &b, &city().join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_same_tree(&a, &b, false);
    // The same list as TSV (--format, or a .tsv name) reads the same too.
    let (d3, t3) = city_content();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(city().join("budget.csv"))
        .unwrap();
    let mut tsv = String::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let cells: Vec<String> = rec
            .iter()
            .map(|c| {
                if c.contains('\n') {
                    format!("\"{c}\"")
                } else {
                    c.to_string()
                }
            })
            .collect();
        tsv.push_str(&cells.join("\t"));
        tsv.push('\n');
    }
    let t = d3.path().join("budget.tsv");
    fs::write(&t, tsv).unwrap();
    let r = import(&t, &t3, &city().join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Registries name the table they were started from in a comment.
    assert_same_tree(&a, &t3, true);
}

#[test]
fn a_totals_row_that_disagrees_with_the_source_is_refused() {
    let (d, c) = city_content();
    let text = fs::read_to_string(city().join("budget.csv")).unwrap();
    let t = d.path().join("budget.csv");
    fs::write(&t, text.replacen("合計,,,,,1477825", "合計,,,,,1477826", 1)).unwrap();
    let r = import(&t, &c, &city().join("mapping.yaml"), &[]);
    assert_eq!(r.code, 1);
    let line = text
        .split('\n')
        .position(|l| l.starts_with("合計"))
        .unwrap()
        + 1;
    assert!(r.stderr.contains(&format!(":{line}:6: error[E111]: the 合計 row says 本年度予算額 1,477,826, but source `midori-r7-budget` declares 1,477,825")), "{}", r.stderr);
    assert!(!c.join("programmes").exists() && !c.join("_kan.yaml").exists());
}

#[test]
fn the_plan_import_without_a_mapping_is_unchanged() {
    // The Tokyo plan still imports with its built-in columns.
    let table = root().join("data/tokyo-r6-chiiki-jinzai-plan.tsv");
    let r = mieruka(&["import", s(&table), "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("33 programmes: 0 created, 0 changed, 33 unchanged"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_guide_runs_as_written_in_a_folder_of_its_own() {
    // docs/publish-your-own-list.md, step by step, in an empty folder away
    // from the repository (so the built-in theme is used): the files it
    // shows are the fixture's, byte for byte.
    let doc = fs::read_to_string(root().join("docs/publish-your-own-list.md")).unwrap();
    for f in ["_site.yaml", "_sources.yaml", "mapping.yaml"] {
        let text = fs::read_to_string(city().join(f)).unwrap();
        assert!(doc.contains(&text), "docs/publish-your-own-list.md does not show {f} as it is in tests/fixtures/publish/city-budget/");
    }
    let d = tempfile::tempdir().unwrap();
    let w = d.path();
    fs::create_dir_all(w.join("content")).unwrap();
    fs::copy(city().join("budget.csv"), w.join("budget.csv")).unwrap();
    fs::copy(city().join("mapping.yaml"), w.join("mapping.yaml")).unwrap();
    for f in ["_site.yaml", "_sources.yaml"] {
        fs::copy(city().join(f), w.join("content").join(f)).unwrap();
    }
    let steps: &[&[&str]] = &[
        &[
            "import",
            "budget.csv",
            "--mapping",
            "mapping.yaml",
            "--dry-run",
        ],
        &["import", "budget.csv", "--mapping", "mapping.yaml"],
        &["check"],
        &["build"],
    ];
    for args in steps {
        let r = mieruka_in(w, args);
        assert_eq!(r.code, 0, "mieruka {args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            doc.contains(&format!("mieruka {}", args.join(" "))),
            "the guide does not show `mieruka {}`",
            args.join(" ")
        );
    }
    let broken = broken_links(&w.join("public"));
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    assert!(w.join("public/assets/search.js").is_file());
}

#[test]
fn ids_must_be_valid_and_unique() {
    let (d, c) = r7_copy();
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(c.join("mapping.yaml")).unwrap();
    fs::write(
        &m,
        good.replacen("id: \"{fiscal_year}-{row:03}\"", "id: \"{fiscal_year}\"", 1),
    )
    .unwrap();
    let r = import(&r7_table(), &c, &m, &["--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(":6:1: error[E110]: id `2025` again (also line 2)")
            && r.stderr.contains("{row}"),
        "{}",
        r.stderr
    );
    fs::write(
        &m,
        good.replacen("id: \"{fiscal_year}-{row:03}\"", "id: \"{補助金名}\"", 1),
    )
    .unwrap();
    let r = import(&r7_table(), &c, &m, &["--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(":2:1: error[E110]: the id 「とうきょう すくわくプログラム推進事業補助金」 (from the template 「{補助金名}」) is not a valid id"), "{}", r.stderr);
    fs::write(
        &m,
        good.replacen(
            "id: \"{fiscal_year}-{row:03}\"",
            "id: \"{補助金名:hash}\"",
            1,
        ),
    )
    .unwrap();
    let r = import(&r7_table(), &c, &m, &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// --- real tables at full size, in their own words (issue 20)

fn quirks() -> PathBuf {
    root().join("tests/fixtures/publish/quirks")
}

/// A copy of the quirks fixture's content folder (no programmes yet).
fn quirks_content() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    copy_dir(&quirks().join("content"), &c);
    (dir, c)
}

fn quirks_import(table: &Path, c: &Path, mapping: &Path, source: &str) -> Run {
    import(table, c, mapping, &["--source", source])
}

#[test]
fn markup_in_headers_and_cells_is_read_as_line_breaks() {
    let (_d, c) = quirks_content();
    let r = quirks_import(
        &quirks().join("markup.tsv"),
        &c,
        &quirks().join("mapping.yaml"),
        "quirks-markup",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p1 = fs::read_to_string(c.join("programmes/2025/quirks-markup-001.yaml")).unwrap();
    // `予算額<br>（千円）` is the mapping's 予算額（千円）; `<br>`, `<br/>` are line
    // breaks, so each line of 概要 is a paragraph.
    assert!(p1.contains("budget: 1500000\n"), "{p1}");
    assert!(
        p1.contains("summary: |\n  補助金の目的：子供の「遊び場」の創出\n\n  補助対象者：区市町村\n\n  負担割合：都10/10\n"),
        "{p1}"
    );
    assert!(p1.contains("改行として読み"), "{p1}");
    // A quoted cell of two lines with `split: lines`: two values.
    assert!(p1.contains("sections: [\"1\", \"2\"]\n"), "{p1}");
    let sections = fs::read_to_string(c.join("_sections.yaml")).unwrap();
    for name in ["企画調整部企画調整課", "子育て支援部", "総務部", "企画課"] {
        assert!(
            sections.contains(&format!("  name: {name}\n")),
            "{sections}"
        );
    }
    let p2 = fs::read_to_string(c.join("programmes/2025/quirks-markup-002.yaml")).unwrap();
    // A name on two lines keeps its line break; it is never glued.
    assert!(
        p2.contains("name: \"多文化キッズサロン\\n設置支援事業補助金\"\n"),
        "{p2}"
    );
    // `<p>` paragraphs; two URLs on two lines are two links.
    assert!(
        p2.contains("  補助金の目的：多文化キッズサロンの設置を促進\n\n  補助対象者：区市町村\n\n  各局HPリンク：<https://www.example.metro.tokyo.lg.jp/salon>\\\n  <https://www.example.metro.tokyo.lg.jp/salon/faq>\n"),
        "{p2}"
    );
    // The files read back, and the site checks them (but for the other
    // source's totals, which have no rows yet).
    let r = mieruka(&["check", "--content", s(&c)]);
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(errors[0].contains("E010") && errors[0].contains("quirks-remarks"));
}

#[test]
fn a_multi_line_cell_of_a_one_value_field_is_refused_not_glued() {
    let (d, c) = quirks_content();
    let text = fs::read_to_string(quirks().join("markup.tsv")).unwrap();
    let t = d.path().join("markup.tsv");
    // 所管局 on two lines: two bureaus, or one? The table must say.
    fs::write(
        &t,
        text.replacen(
            "\n子供政策連携室\t総務部",
            "\n子供政策連携室<br>総務局\t総務部",
            1,
        ),
    )
    .unwrap();
    let r = quirks_import(&t, &c, &quirks().join("mapping.yaml"), "quirks-markup");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(":4:1: error[E108]: 「所管局」 holds 2 lines, but `bureau` takes one value: 「子供政策連携室⏎総務局」"), "{}", r.stderr);
    assert!(r.stderr.contains("`split: lines`"), "{}", r.stderr);
    // `split` on a one-value field is refused at its place in the mapping.
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(quirks().join("mapping.yaml")).unwrap();
    fs::write(
        &m,
        good.replacen(
            "{from: 所管局, new_values",
            "{from: 所管局, split: lines, new_values",
            1,
        ),
    )
    .unwrap();
    let r = quirks_import(&quirks().join("markup.tsv"), &c, &m, "quirks-markup");
    assert_eq!(r.code, 1);
    let line = good
        .lines()
        .position(|l| l.starts_with("  bureau:"))
        .unwrap()
        + 1;
    assert!(
        r.stderr.contains(&format!(
            "{}:{line}:11: error[E105]: `split` applies to dimensions with several values",
            m.display()
        )),
        "{}",
        r.stderr
    );
    assert!(!c.join("programmes").exists());
}

#[test]
fn text_taken_from_a_pdf_is_refused_naming_a_line() {
    let (d, c) = quirks_content();
    let pdf = quirks().join("pdf.txt");
    // With a mapping, and in the plan's layout (the import fixture's content).
    let plan_content = root().join("tests/fixtures/import/content");
    for mapping in [Some(quirks().join("mapping.yaml")), None] {
        let mut args = vec!["import", s(&pdf), "--out", s(d.path())];
        match &mapping {
            Some(m) => args.extend([
                "--content",
                s(&c),
                "--source",
                "quirks-markup",
                "--mapping",
                s(m),
            ]),
            None => args.extend(["--content", s(&plan_content), "--source", "fx-plain"]),
        }
        let r = mieruka(&args);
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains(&format!(
            "{}:13:1: error[E103]: this is not a table: 18 of its 18 lines hold a single cell, as text taken from a PDF does (line 13: 「- 363 -」, a page number)", pdf.display())), "{}", r.stderr);
        // One problem, and no help that leads into reading the lines as rows.
        assert_eq!(r.stderr.matches("error[").count(), 1, "{}", r.stderr);
        for lure in ["fields:", "ignore", "header_line", "new_values"] {
            assert!(!r.stderr.contains(lure), "{lure}: {}", r.stderr);
        }
        assert!(r.stderr.contains("save it as CSV or TSV"), "{}", r.stderr);
    }
    // A few lines with none of the mapping's headers: named at line 1.
    let t = d.path().join("title.tsv");
    fs::write(&t, "令和７年度　予算説明書\n（単位：千円）\n").unwrap();
    let r = quirks_import(&t, &c, &quirks().join("mapping.yaml"), "quirks-markup");
    assert!(r.stderr.contains(":1:1: error[E103]: this is not a table in the mapping's layout: no line has a header of the mapping (「所管局」「所管部署」「補助金名」"), "{}", r.stderr);
    // The plan's layout names a line too.
    let r = mieruka(&[
        "import",
        s(&t),
        "--content",
        s(&plan_content),
        "--source",
        "fx-plain",
        "--out",
        s(d.path()),
    ]);
    assert!(r.stderr.contains(":1:1: error[E103]: this is not a table in the plan layout (built in): no line starts with 整理番号"), "{}", r.stderr);
    assert!(!c.join("programmes").exists());
}

#[test]
fn a_title_line_above_the_header_needs_no_header_line() {
    // The city budget has a title line above its header; without
    // `header_line` the first line with a header of the mapping is the header.
    let (d, c) = city_content();
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(city().join("mapping.yaml")).unwrap();
    fs::write(&m, good.replacen("header_line: 2\n", "", 1)).unwrap();
    let r = import(&city().join("budget.csv"), &c, &m, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("7 programmes: 7 created"), "{}", r.stdout);
    // A header_line that holds no header is refused, naming it.
    fs::write(&m, good.replacen("header_line: 2", "header_line: 1", 1)).unwrap();
    let r = import(&city().join("budget.csv"), &c, &m, &["--dry-run"]);
    assert!(r.stderr.contains(":1:1: error[E103]: line 1, where the mapping (header_line) says the header is, has no header of the mapping"), "{}", r.stderr);
}

#[test]
fn a_total_followed_by_a_remark_gets_help_and_remarks_strip_reads_it() {
    let (d, c) = quirks_content();
    let table = quirks().join("remarks.tsv");
    let r = quirks_import(&table, &c, &quirks().join("mapping.yaml"), "quirks-remarks");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            ":2:5: error[E108]: 「予算額（千円）」 (予算額): `346,149 💥` is not a number"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("help: the cell is 346,149 followed by the remark 「💥」: move the remark out of the cell (to a column of its own, mapped or ignored), or set `remarks: strip` for `budget`"), "{}", r.stderr);
    // The totals row's remark gets the same help once the rows read.
    let fixed = d.path().join("remarks.tsv");
    let text = fs::read_to_string(&table).unwrap();
    fs::write(&fixed, text.replacen("346,149 💥", "346,149", 1)).unwrap();
    let r = quirks_import(&fixed, &c, &quirks().join("mapping.yaml"), "quirks-remarks");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(":4:5: error[E108]: the 合計 row's 予算額: `347,149 ※` is not a number"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("followed by the remark 「※」"),
        "{}",
        r.stderr
    );
    // `remarks: strip`: the number is read, the remark noted, the total compared.
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(quirks().join("mapping.yaml")).unwrap();
    fs::write(
        &m,
        good.replacen(
            "budget: 予算額（千円）",
            "budget: {from: 予算額（千円）, remarks: strip}",
            1,
        ),
    )
    .unwrap();
    let r = quirks_import(&table, &c, &m, "quirks-remarks");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = fs::read_to_string(c.join("programmes/2025/quirks-remarks-001.yaml")).unwrap();
    assert!(p.contains("budget: 346149\n"), "{p}");
    assert!(p.contains("注記「💥」を除き"), "{p}");
    // The markup list too, then the site checks: declared total = rows.
    let r = quirks_import(&quirks().join("markup.tsv"), &c, &m, "quirks-markup");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = mieruka(&["check", "--content", s(&c)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Not for a text field.
    fs::write(
        &m,
        good.replacen(
            "name: 補助金名",
            "name: {from: 補助金名, remarks: strip}",
            1,
        ),
    )
    .unwrap();
    let r = quirks_import(&table, &c, &m, "quirks-remarks");
    assert!(
        r.stderr
            .contains("error[E105]: `remarks: strip` applies to amounts"),
        "{}",
        r.stderr
    );
}

#[test]
fn ids_that_would_change_width_are_refused_before_the_first_import() {
    let (d, c) = quirks_content();
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(quirks().join("mapping.yaml")).unwrap();
    fs::write(
        &m,
        good.replacen("{source}-{row:03}", "{fiscal_year}-{row:03}", 1),
    )
    .unwrap();
    let mut rows =
        vec!["所管局\t所管部署\t補助金名\t補助金の概要\t予算額（千円）\t各局HPリンク".to_string()];
    for i in 1..=1000 {
        rows.push(format!("生活文化局\t文化振興部\t補助金{i}\t説明\t{i}\t"));
    }
    let big = d.path().join("big.tsv");
    fs::write(&big, rows.join("\n") + "\n").unwrap();
    let r = quirks_import(&big, &c, &m, "quirks-markup");
    assert_eq!(r.code, 1);
    let line = good.lines().position(|l| l.starts_with("id:")).unwrap() + 1;
    assert!(r.stderr.contains(&format!(
        "{}:{line}:5: error[E114]: the id template 「{{fiscal_year}}-{{row:03}}」 pads {{row}} to 3 digits, but it reaches 4 digits (line 1001): the ids would change width (2025-999, then 2025-1000)", m.display())), "{}", r.stderr);
    assert!(r.stderr.contains("e.g. {row:05}"), "{}", r.stderr);
    assert!(!c.join("programmes").exists(), "nothing written");
    // A list imported while it had 999 rows, then grown: the ids exist, so
    // a warning, and the import goes on.
    let first = d.path().join("first.tsv");
    fs::write(&first, rows[..1000].join("\n") + "\n").unwrap();
    let r = quirks_import(&first, &c, &m, "quirks-markup");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = quirks_import(&big, &c, &m, "quirks-markup");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "{}:{line}:5: warning[W205]: the id template",
            m.display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout
            .contains("1000 programmes: 1 created, 0 changed, 999 unchanged"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_programme_of_another_source_is_not_overwritten() {
    let (d, c) = quirks_content();
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(quirks().join("mapping.yaml")).unwrap();
    fs::write(
        &m,
        good.replacen("{source}-{row:03}", "{fiscal_year}-{row:03}", 1),
    )
    .unwrap();
    let r = quirks_import(&quirks().join("markup.tsv"), &c, &m, "quirks-markup");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = tree(&c);
    let mut strip = good.replacen("{source}-{row:03}", "{fiscal_year}-{row:03}", 1);
    strip = strip.replacen(
        "budget: 予算額（千円）",
        "budget: {from: 予算額（千円）, remarks: strip}",
        1,
    );
    fs::write(&m, strip).unwrap();
    let r = quirks_import(&quirks().join("remarks.tsv"), &c, &m, "quirks-remarks");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("2025-001.yaml:1:1: error[E110]: id `2025-001` (line 2 of the table, source `quirks-remarks`) is the id of this programme of source `quirks-markup`"), "{}", r.stderr);
    assert_eq!(tree(&c), before, "nothing written");
}

/// The two-year example with FY2024's records only, as before FY2025's
/// list came out (no FY2025 files, no judgement yet).
fn r6_only() -> (tempfile::TempDir, PathBuf) {
    let (d, c) = r7_copy();
    fs::remove_dir_all(c.join("programmes/2025")).unwrap();
    fs::remove_file(c.join("_series.yaml")).unwrap();
    (d, c)
}

#[test]
fn importing_the_next_year_reports_continued_new_absent_and_ambiguous_records() {
    let (_d, c) = r6_only();
    let before = tree(&c);
    // The dry run shows the report and writes nothing.
    let dry = import(&r7_table(), &c, &c.join("mapping.yaml"), &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(tree(&c), before);
    let r = import(&r7_table(), &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for out in [&dry.stdout, &r.stdout] {
        assert!(
            out.contains("series: fiscal year 2025 against 2024: 6 continued, 0 continued by judgement, 2 new, 2 absent, 1 ambiguous"),
            "{out}"
        );
        for line in [
            "  continued   2024-003 → 2025-001  とうきょう すくわくプログラム推進事業補助金  (予算額 2,475,000 → 4,117,500 千円)",
            "  new         2025-008  子供の未来を育む「体験活動」推進区市町村支援事業（「体験活動」推進枠）補助金",
            "  absent      2024-008  企業と連携した育業応援プロジェクト  (not in this year's list)",
            // The renamed 遊び subsidy: same 所管局, names sharing 7 of the
            // shorter name's 13 bigrams. Its sibling (「体験活動」推進枠)
            // shares 6/13 and is not listed.
            "  ambiguous   2024-005 ↔ 2025-007  子供の遊び体験創出事業補助金 ↔ 子供の未来を育む「体験活動」推進区市町村支援事業（「遊び」特別推進枠）補助金  (same key fields but the name; names share 7/13 bigrams = 0.54): not joined",
            "      - continues: 2024-005   # 子供の遊び体験創出事業補助金",
            "        as: 2025-007   # 子供の未来を育む「体験活動」推進区市町村支援事業（「遊び」特別推進枠）補助金",
            "        note: …",
        ] {
            assert!(out.contains(line), "{line}\n{out}");
        }
        assert_eq!(out.matches("  ambiguous ").count(), 1, "{out}");
        assert_eq!(out.matches("  continued ").count(), 6, "{out}");
    }
    // docs/publish-your-own-list.md ("Next year") shows this report as
    // printed.
    let guide = fs::read_to_string(root().join("docs/publish-your-own-list.md")).unwrap();
    let shown: Vec<&str> = guide
        .lines()
        .skip_while(|l| !l.starts_with("series: fiscal year 2025 against 2024: 6 continued, 0"))
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert_eq!(shown.len(), 16, "{shown:#?}");
    for line in shown {
        assert!(
            dry.stdout.contains(line),
            "the guide shows {line:?}\n{}",
            dry.stdout
        );
    }
    // Never joined by the importer: the files are the committed ones (no
    // `series:` written), and the content checks with 2025-007 a series of
    // its own.
    for i in 1..=8 {
        let f = format!("programmes/2025/2025-{i:03}.yaml");
        assert_eq!(
            fs::read(c.join(&f)).unwrap(),
            fs::read(example().join("content").join(&f)).unwrap(),
            "{f}"
        );
    }
    let check = mieruka(&["check", "--content", s(&c)]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    // The earliest year has nothing to be compared with.
    let r = import(&r6_table(), &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("series:"), "{}", r.stdout);
}

#[test]
fn a_judgement_in_series_yaml_continues_the_renamed_record() {
    // The committed _series.yaml records the editor's judgement: the pair
    // is continued by it, no longer new, absent or ambiguous.
    let (_d, c) = r7_copy();
    let r = import(&r7_table(), &c, &c.join("mapping.yaml"), &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("series: fiscal year 2025 against 2024: 6 continued, 1 continued by judgement, 1 new, 1 absent, 0 ambiguous"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  continued by judgement (_series.yaml)  2024-005 → 2025-007  子供の遊び体験創出事業補助金 → 子供の未来を育む「体験活動」推進区市町村支援事業（「遊び」特別推進枠）補助金  (予算額 650,000 → 190,000 千円)"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("continues:"), "{}", r.stdout);
}

#[test]
fn two_rows_of_one_year_with_the_same_series_key_are_refused() {
    // 所管局 and 補助金名 are the key; the two rows differ only in white
    // space and width, which the key folds away.
    let (d, c) = r6_only();
    let before = tree(&c);
    let t = d.path().join("twice.csv");
    let header = "年度,所管局№,所管局,施策分野№,施策分野,事業名,補助金名,補助金の概要,補助対象者№,補助対象者,予算額（千円）,所管部署,問い合わせ先,各局HPリンク";
    fs::write(
        &t,
        format!(
            "{header}\n\
             2025,02,子供政策連携室,01,子供家庭,事業Ａ,とうきょう すくわくプログラム推進事業補助金,概要,01,区市町村,100,課,03,\n\
             2025,02,子供政策連携室,01,子供家庭,事業Ｂ,とうきょう　すくわくプログラム推進事業補助金,概要,01,区市町村,200,課,03,\n"
        ),
    )
    .unwrap();
    let r = import(
        &t,
        &c,
        &c.join("mapping.yaml"),
        &["--source", "tokyo-r7-hojokin"],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "{}:3:1: error[E115]: rows at lines 2 and 3 of fiscal year 2025 have the same series key (bureau 「子供政策連携室」, name 「とうきょう\u{3000}すくわくプログラム推進事業補助金」)",
            t.display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("add a field that tells them apart to `series.key` in _site.yaml"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(tree(&c), before, "nothing written");
}

#[test]
fn a_series_written_in_a_programme_file_is_kept_on_re_import() {
    // `series:` is editorial: the import never writes one of its own, and
    // keeps the one an editor wrote (before `aliases`, in the file order).
    let (_d, c) = r7_copy();
    let f = c.join("programmes/2025/2025-003.yaml");
    let mut text = fs::read_to_string(&f).unwrap();
    text.push_str("series: kodomo-asobiba\naliases: [2025-old-3]\n");
    fs::write(&f, &text).unwrap();
    let r = import(&r7_table(), &c, &c.join("mapping.yaml"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 changed, 8 unchanged"), "{}", r.stdout);
    assert_eq!(fs::read_to_string(&f).unwrap(), text);
}
