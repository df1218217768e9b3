//! `mieruka import` on real tables in their own words (issue 20), beyond
//! lists.rs's quirks tests: markup in any case, line breaks kept as far as
//! the site's CSV, numbered remarks after a total, text from a PDF without
//! page numbers, the plan layout's refusals at a line, ids at the edge of
//! their padding, and odd input that must never panic. Fixtures:
//! tests/fixtures/publish/quirks/ (a subsidy list as a portal exports it)
//! and tests/fixtures/import/ (the plan layout).

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{copy_dir, mieruka_in, Run};

fn root() -> PathBuf {
    crate::support::repo()
}

fn mieruka(args: &[&str]) -> Run {
    mieruka_in(&root(), args)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn quirks() -> PathBuf {
    root().join("tests/fixtures/publish/quirks")
}

fn plan_fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

/// A copy of the quirks content folder; with `only_markup`, without the
/// second source (its declared totals have no rows until it is imported).
fn content(only_markup: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    copy_dir(&quirks().join("content"), &c);
    if only_markup {
        let sources = fs::read_to_string(c.join("_sources.yaml")).unwrap();
        let cut = sources.find("- id: quirks-remarks").unwrap();
        fs::write(c.join("_sources.yaml"), &sources[..cut]).unwrap();
    }
    (dir, c)
}

fn import(table: &Path, c: &Path, mapping: &Path, source: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        s(table),
        "--content",
        s(c),
        "--mapping",
        s(mapping),
        "--source",
        source,
    ];
    args.extend(extra);
    mieruka(&args)
}

fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("error[") && !l.starts_with(' '))
        .collect()
}

#[test]
fn markup_in_any_case_is_a_line_break_in_headers_and_cells() {
    let (_d, c) = content(false);
    let m = quirks().join("mapping.yaml");
    let r = import(&quirks().join("case.tsv"), &c, &m, "quirks-markup", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // `予算額<BR />（千円）` is 予算額（千円）, `各局HP<P>リンク</P>` is 各局HPリンク.
    let p1 = fs::read_to_string(c.join("programmes/2025/quirks-markup-001.yaml")).unwrap();
    assert!(p1.contains("budget: 1000\n"), "{p1}");
    // A name on two lines (`<Br/>`) keeps its line break.
    assert!(p1.contains("name: \"文化施設\\n改修補助金\"\n"), "{p1}");
    // Two sections on two lines (`<BR />`, `split: lines`): two values.
    assert!(p1.contains("sections: [\"1\", \"2\"]\n"), "{p1}");
    let sections = fs::read_to_string(c.join("_sections.yaml")).unwrap();
    assert!(
        sections.contains("  name: 文化振興部\n") && sections.contains("  name: 総務部\n"),
        "{sections}"
    );
    // `<P>…</P>` paragraphs; two URLs on two lines are two links.
    assert!(
        p1.contains("summary: |\n  補助金の目的：文化施設の改修\n\n  補助対象者：区市町村\n\n  各局HPリンク：<https://www.example.metro.tokyo.lg.jp/bunka>\\\n  <https://www.example.metro.tokyo.lg.jp/bunka/faq>\n"),
        "{p1}"
    );
    // Each cell's markup is noted, an appended cell's too.
    for note in [
        "  - 出典の所管部署には改行を表すHTMLタグ（<br>）があった。改行として読み、タグを除いた。\n",
        "  - 出典の補助金名には改行を表すHTMLタグ（<br>）があった。改行として読み、タグを除いた。\n",
        "  - 出典の補助金の概要には改行を表すHTMLタグ（<p>）があった。改行として読み、タグを除いた。\n",
        "  - 出典の各局HPリンクには改行を表すHTMLタグ（<br>）があった。改行として読み、タグを除いた。\n",
    ] {
        assert!(p1.contains(note), "{note}\n{p1}");
    }
    // `<br >` and `<BR>` too.
    let p2 = fs::read_to_string(c.join("programmes/2025/quirks-markup-002.yaml")).unwrap();
    assert!(p2.contains("name: \"地域文化\\n振興補助金\"\n"), "{p2}");
    assert!(
        p2.contains("summary: |\n  補助金の目的：地域文化の振興\n\n  補助対象者：区市町村\n"),
        "{p2}"
    );
    // No tag is left but in the notes, which name the tag they read.
    for p in [&p1, &p2] {
        let owned = &p[..p.find("notes:").unwrap()].to_lowercase();
        assert!(!owned.contains("<br") && !owned.contains("<p"), "{p}");
    }
}

#[test]
fn the_sites_csv_keeps_the_line_breaks_of_a_cell() {
    let (d, c) = content(true);
    let m = quirks().join("mapping.yaml");
    let r = import(&quirks().join("case.tsv"), &c, &m, "quirks-markup", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = d.path().join("site");
    let r = mieruka(&["build", "--content", s(&c), "--out", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let utf8 = fs::read_to_string(out.join("data/programmes.utf8.csv")).unwrap();
    // The name and the summary are quoted cells holding their lines
    // (RFC 4180), not one line glued with spaces.
    assert!(
        utf8.contains("\"文化施設\n改修補助金\",\"補助金の目的：文化施設の改修\n補助対象者：区市町村\n各局HPリンク：https://www.example.metro.tokyo.lg.jp/bunka\nhttps://www.example.metro.tokyo.lg.jp/bunka/faq\",1000,"),
        "{utf8}"
    );
    // Two sections: one cell, the values joined as every list is.
    assert!(utf8.contains(",文化振興部、総務部,"), "{utf8}");
    // `<BR>` in a summary: two lines in the cell too.
    assert!(
        utf8.contains(",\"地域文化\n振興補助金\",\"補助金の目的：地域文化の振興\n補助対象者：区市町村\",2000,"),
        "{utf8}"
    );
    // The Excel flavour: CRLF between records, the cell's own line breaks
    // kept inside its quotes.
    let excel = fs::read(out.join("data/programmes.csv")).unwrap();
    let excel = String::from_utf8(excel).unwrap();
    assert!(
        excel.contains(
            "\"文化施設\n改修補助金\",\"補助金の目的：文化施設の改修\n補助対象者：区市町村\n"
        ),
        "{excel}"
    );
    assert!(excel.contains("\r\n"), "{excel}");
    // Read back by a CSV reader: two records, the lines in their cells.
    let mut rd = csv::Reader::from_reader(utf8.as_bytes());
    let names: Vec<String> = rd
        .records()
        .map(|r| {
            let r = r.unwrap();
            r.iter().find(|c| c.contains("補助金")).unwrap().to_string()
        })
        .collect();
    assert_eq!(names, ["文化施設\n改修補助金", "地域文化\n振興補助金"]);
}

#[test]
fn a_numbered_remark_after_a_total_gets_one_error_with_help() {
    let (d, c) = content(false);
    let good = quirks().join("mapping.yaml");
    let table = quirks().join("remarks-numbered.tsv");
    let r = import(&table, &c, &good, "quirks-remarks", &[]);
    assert_eq!(r.code, 1);
    let errors = error_lines(&r.stderr);
    // One problem: the cell; not also "the 合計 row has no figure".
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(
        errors[0].ends_with(
            "remarks-numbered.tsv:4:5: error[E108]: the 合計 row's 予算額: `347,149 ※1` is not a number (nor `-` for not applicable)"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&format!(
        "  = help: the cell is 347,149 followed by the remark 「※1」: move the remark out of the cell (to a column of its own, mapped or ignored), or set `remarks: strip` for `budget` in {} to read 347,149 and note the remark",
        good.display()
    )), "{}", r.stderr);
    // `remarks: strip` reads the total and compares it.
    let m = d.path().join("mapping.yaml");
    fs::write(
        &m,
        fs::read_to_string(&good).unwrap().replacen(
            "budget: 予算額（千円）",
            "budget: {from: 予算額（千円）, remarks: strip}",
            1,
        ),
    )
    .unwrap();
    let r = import(&table, &c, &m, "quirks-remarks", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("2 programmes: 2 created"), "{}", r.stdout);
    // A wrong figure after stripping is still compared.
    let wrong = d.path().join("wrong.tsv");
    fs::write(
        &wrong,
        fs::read_to_string(&table)
            .unwrap()
            .replacen("347,149 ※1", "347,150 ※1", 1),
    )
    .unwrap();
    let r = import(&wrong, &c, &m, "quirks-remarks", &["--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(":4:5: error[E111]: the 合計 row says 予算額 347,150"),
        "{}",
        r.stderr
    );
}

#[test]
fn text_from_a_pdf_without_page_numbers_is_refused_at_a_unit_line() {
    let (d, c) = content(false);
    let pdf = quirks().join("pdf-units.txt");
    let m = quirks().join("mapping.yaml");
    let plan = plan_fixture("content");
    let runs = [
        import(&pdf, &c, &m, "quirks-markup", &["--dry-run"]),
        import(
            &pdf,
            &c,
            &m,
            "quirks-markup",
            &["--format", "csv", "--dry-run"],
        ),
        mieruka(&[
            "import",
            s(&pdf),
            "--content",
            s(&plan),
            "--source",
            "fx-plain",
            "--out",
            s(d.path()),
        ]),
    ];
    for r in runs {
        assert_eq!(r.code, 1);
        let errors = error_lines(&r.stderr);
        assert_eq!(errors.len(), 1, "{}", r.stderr);
        // Read as CSV, `12,345` is two cells: 8 of the 12 lines are one.
        let e = errors[0];
        assert!(
            e.contains("pdf-units.txt:2:1: error[E103]: this is not a table: ")
                && (e.contains(": 12 of its 12 lines") || e.contains(": 8 of its 12 lines"))
                && e.ends_with(" lines hold a single cell, as text taken from a PDF does (line 2: 「（単位：千円）」, a unit alone on its line)"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("save it as CSV or TSV"), "{}", r.stderr);
        // No help that leads into reading these lines as programmes.
        for lure in ["fields:", "ignore", "header_line", "new_values", "--format"] {
            assert!(!r.stderr.contains(lure), "{lure}: {}", r.stderr);
        }
    }
    // A table with a few one-cell lines after its rows (a page's text
    // pasted below it) is refused too, at the page number.
    let t = d.path().join("tail.tsv");
    let mut text =
        "所管局\t所管部署\t補助金名\t補助金の概要\t予算額（千円）\t各局HPリンク\n".to_string();
    text.push_str("生活文化局\t文化振興部\t名\t概要\t1\t\n");
    for l in ["本文一", "本文二", "本文三", "本文四", "本文五", "- 12 -"] {
        text.push_str(l);
        text.push('\n');
    }
    fs::write(&t, text).unwrap();
    let r = import(&t, &c, &m, "quirks-markup", &["--dry-run"]);
    assert!(r.stderr.contains(":8:1: error[E103]: this is not a table: 6 of its 8 lines hold a single cell, as text taken from a PDF does (line 8: 「- 12 -」, a page number)"), "{}", r.stderr);
    assert!(!c.join("programmes").exists());
}

#[test]
fn the_plan_layouts_refusals_name_a_line() {
    let plan = plan_fixture("content");
    let layouts = plan_fixture("layouts.tsv");
    let d = tempfile::tempdir().unwrap();
    let run = |sources: &[&str]| {
        let mut args = vec![
            "import",
            s(&layouts),
            "--content",
            s(&plan),
            "--out",
            s(d.path()),
            "--dry-run",
        ];
        for x in sources {
            args.extend(["--source", x]);
        }
        mieruka(&args)
    };
    // Two tables, one source: at the table without one.
    let r = run(&["fx-model"]);
    assert!(r.stderr.contains(&format!(
        "{}:16:1: error[E107]: the file holds 2 table(s) (line 6, line 16), but 1 source(s) were given; the table at line 16 has no source",
        layouts.display()
    )), "{}", r.stderr);
    // Two tables, three sources: at the last table.
    let r = run(&["fx-model", "fx-general", "fx-plain"]);
    assert!(r.stderr.contains(&format!(
        "{}:16:1: error[E107]: the file holds 2 table(s) (line 6, line 16), but 3 source(s) were given; no table is left for fx-plain",
        layouts.display()
    )), "{}", r.stderr);
    // Every refusal of a table in the plan layout is at file:line:column;
    // only command-line problems (a --source) have none.
    for (table, sources) in [
        ("errors.tsv", &["fx-plain"][..]),
        ("merged-bad.tsv", &["fx-plain"]),
        ("dates-bad.tsv", &["fx-plain"]),
        ("controls.tsv", &["fx-plain"]),
        ("broken.tsv", &["fx-plain"]),
        ("unknown-municipality.tsv", &["fx-plain"]),
        ("layouts.tsv", &["fx-model", "fx-wrong-totals"]),
        ("layouts.tsv", &["fx-model"]),
        ("excel.csv", &["fx-plain"]),
    ] {
        let t = plan_fixture(table);
        let mut args = vec![
            "import",
            s(&t),
            "--content",
            s(&plan),
            "--out",
            s(d.path()),
            "--dry-run",
            "--format",
            "tsv",
        ];
        for x in sources {
            args.extend(["--source", x]);
        }
        let r = mieruka(&args);
        assert_eq!(r.code, 1, "{table}");
        let errors = error_lines(&r.stderr);
        assert!(!errors.is_empty(), "{table}: {}", r.stderr);
        let prefix = format!("{}:", t.display());
        for e in errors {
            let rest = e
                .strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("{table}: not at the table: {e}"));
            let mut parts = rest.splitn(3, ':');
            let line: usize = parts.next().unwrap().parse().unwrap();
            let col: usize = parts.next().unwrap().parse().unwrap();
            assert!(line > 0 && col > 0, "{table}: {e}");
        }
    }
}

#[test]
fn ids_at_the_edge_of_their_padding() {
    let (d, c) = content(true);
    let m = d.path().join("mapping.yaml");
    let good = fs::read_to_string(quirks().join("mapping.yaml")).unwrap();
    fs::write(
        &m,
        good.replacen("{source}-{row:03}", "{fiscal_year}-{row:03}", 1),
    )
    .unwrap();
    // 999 rows fit {row:03}.
    let mut rows =
        vec!["所管局\t所管部署\t補助金名\t補助金の概要\t予算額（千円）\t各局HPリンク".to_string()];
    for i in 1..=999 {
        rows.push(format!("生活文化局\t文化振興部\t補助金{i}\t説明\t{i}\t"));
    }
    let t = d.path().join("t.tsv");
    fs::write(&t, rows.join("\n") + "\n").unwrap();
    let r = import(&t, &c, &m, "quirks-markup", &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("W205"), "{}", r.stderr);
    // A template padding a column's number: the number decides, not the
    // row count (100 in a {番号:02} template).
    fs::write(
        &m,
        good.replacen("{source}-{row:03}", "{fiscal_year}-{番号:02}", 1)
            .replacen("fields:\n", "ignore: [番号]\nfields:\n", 1),
    )
    .unwrap();
    fs::write(
        &t,
        "番号\t所管局\t所管部署\t補助金名\t補助金の概要\t予算額（千円）\t各局HPリンク\n99\t生活文化局\t文化振興部\t補助金一\t説明\t1\t\n100\t生活文化局\t文化振興部\t補助金二\t説明\t2\t\n",
    )
    .unwrap();
    let r = import(&t, &c, &m, "quirks-markup", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[E114]: the id template 「{fiscal_year}-{番号:02}」 pads {番号} to 2 digits, but it reaches 3 digits (line 3): the ids would change width (2025-99, then 2025-100)"), "{}", r.stderr);
    assert!(!c.join("programmes").exists(), "nothing written");
}

#[test]
fn the_plan_layout_warns_when_its_numbers_outgrow_two_digits() {
    let d = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(plan_fixture("body.tsv")).unwrap();
    let t = d.path().join("body.tsv");
    // 整理番号 2 → 100: the built-in template pads to at least two digits.
    fs::write(
        &t,
        text.replacen("\n2\t東久留米市\t", "\n100\t東久留米市\t", 1),
    )
    .unwrap();
    let c = d.path().join("content");
    copy_dir(&plan_fixture("content"), &c);
    let out = d.path().join("out");
    let r = mieruka(&[
        "import",
        s(&t),
        "--content",
        s(&c),
        "--source",
        "fx-model",
        "--out",
        s(&out),
        "--dry-run",
    ]);
    assert!(
        r.stderr.contains("warning[W205]: the id template 「{fiscal_year}-{scheme|source}-{整理番号:02}」 pads {整理番号} to 2 digits, but it reaches 3 digits"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("the ids are wider from here on; existing ids keep their width"),
        "{}",
        r.stderr
    );
}

/// Odd input in both layouts: a refusal or an import, never a panic.
#[test]
fn odd_input_never_panics() {
    let header = "所管局\t所管部署\t補助金名\t補助金の概要\t予算額（千円）\t各局HPリンク\n";
    let cases: Vec<(&str, String)> = vec![
        ("empty.tsv", String::new()),
        ("newlines.tsv", "\n\n\r\n".into()),
        ("tabs.tsv", "\t\t\t\n\t\t\n".into()),
        ("br-only.tsv", "<br>\n<BR/>\n<p></p>\n".into()),
        (
            "header-br.tsv",
            "<br>\t<br/>\t<p>\t</p>\n1\t2\t3\t4\n".into(),
        ),
        (
            "open-tags.tsv",
            format!("{header}<br\t<p\t<\t<BR /\t</\t<script>\n"),
        ),
        (
            "cells-br.tsv",
            format!("{header}<br>\t<BR/>\t<br />\t<P></P>\t<br>1<br>\t<br>\n"),
        ),
        (
            "remarks.tsv",
            format!("{header}局\t部\t名\t概要\t※\t\n局\t部\t名二\t概要\t1 ※ 2\t\n"),
        ),
        (
            "long.tsv",
            format!("{header}局\t部\t{}\t概要\t1\t\n", "<br>".repeat(5000)),
        ),
        ("quote.csv", "\"所管局,所管部署\n\"\"\n".into()),
        ("page.tsv", "- 1 -\n- 2 -\n".into()),
        (
            "wide.tsv",
            format!("{header}局\t部\t名\t概要\t99999999999999999999999999\t\n"),
        ),
    ];
    let d = tempfile::tempdir().unwrap();
    let (_c, c) = content(false);
    let plan = plan_fixture("content");
    for (name, text) in &cases {
        let t = d.path().join(name);
        fs::write(&t, text).unwrap();
        let runs = [
            import(
                &t,
                &c,
                &quirks().join("mapping.yaml"),
                "quirks-markup",
                &["--dry-run"],
            ),
            mieruka(&[
                "import",
                s(&t),
                "--content",
                s(&plan),
                "--source",
                "fx-plain",
                "--out",
                s(d.path()),
                "--dry-run",
            ]),
        ];
        for r in runs {
            assert!(r.code == 0 || r.code == 1, "{name}: {}", r.stderr);
            assert!(!r.stderr.contains("panicked"), "{name}: {}", r.stderr);
        }
    }
}

#[test]
fn a_quoted_header_of_two_lines_matches_as_one() {
    // Excel writes a header cell with a line break in it as a quoted cell.
    let (d, c) = content(true);
    let t = d.path().join("two-lines.csv");
    fs::write(
        &t,
        "所管局,所管部署,補助金名,補助金の概要,\"予算額\r\n（千円）\",\"各局HP\r\nリンク\"\r\n生活文化局,文化振興部,\"文化施設\r\n改修補助金\",概要,\"1,000\",\r\n",
    )
    .unwrap();
    let r = import(&t, &c, &quirks().join("mapping.yaml"), "quirks-markup", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = fs::read_to_string(c.join("programmes/2025/quirks-markup-001.yaml")).unwrap();
    assert!(p.contains("name: \"文化施設\\n改修補助金\"\n"), "{p}");
    assert!(p.contains("budget: 1000\n"), "{p}");
}

#[test]
fn control_characters_past_the_listed_ones_are_named_at_a_line() {
    let (d, c) = content(true);
    let mut text =
        "所管局\t所管部署\t補助金名\t補助金の概要\t予算額（千円）\t各局HPリンク\n".to_string();
    for i in 1..=102 {
        text.push_str(&format!(
            "生活文化局\t文化振興部\t補助\u{1b}金{i}\t概要\t1\t\n"
        ));
    }
    let t = d.path().join("controls.tsv");
    fs::write(&t, text).unwrap();
    let r = import(&t, &c, &quirks().join("mapping.yaml"), "quirks-markup", &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.matches("error[E102]: control character").count(),
        100
    );
    // The 101st cell is at line 102 (the header is line 1), cell 3.
    assert!(
        r.stderr.contains(":102:3: error[E102]: from here, 2 more cells hold control characters or noncharacters (only the first 100 are listed)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_one_column_list_is_a_table_but_a_pdfs_text_is_not() {
    // A mapping that reads one column: every line is one cell, as in a
    // PDF's text, so only a page number or a unit line refuses the file.
    let (d, c) = content(true);
    fs::write(c.join("_sections.yaml"), "- slug: \"1\"\n  name: 総務部\n").unwrap();
    let m = d.path().join("one.yaml");
    fs::write(
        &m,
        "id: \"{source}-{row:03}\"\nfields:\n  bureau: {value: 生活文化局, new_values: add, slug: \"{n}\"}\n  name: 補助金名\n",
    )
    .unwrap();
    let t = d.path().join("one.tsv");
    fs::write(
        &t,
        "補助金名\n文化施設補助金\n伝統文化, 継承補助金\n地域文化補助金\n芸術振興補助金\n",
    )
    .unwrap();
    let r = import(&t, &c, &m, "quirks-markup", &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("4 programmes: 4 created"), "{}", r.stdout);
    // The same mapping on text from a PDF: refused at its page number.
    for (pdf, at) in [
        (
            quirks().join("pdf.txt"),
            ":13:1: error[E103]: this is not a table: 18 of its 18 lines",
        ),
        (
            quirks().join("pdf-units.txt"),
            ":2:1: error[E103]: this is not a table: 12 of its 12 lines",
        ),
    ] {
        let r = import(&pdf, &c, &m, "quirks-markup", &["--dry-run"]);
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains(at), "{}", r.stderr);
    }
}

/// Added values go into the registry in their declared order (`order`, a
/// template over the row: the list's own 所管局№), numerically — not in
/// the order they first appear in the list.
#[test]
fn added_values_follow_the_declared_order_column() {
    let (d, c) = content(true);
    fs::write(c.join("_sections.yaml"), "- slug: s1\n  name: 総務部\n").unwrap();
    let table = d.path().join("ordered.tsv");
    fs::write(
        &table,
        "所管局№\t所管局\t補助金名\t予算額（千円）\n\
         10\t港湾局\t港の補助金\t100\n\
         2\t財務局\t財務の補助金\t200\n\
         9\t環境局\t環境の補助金\t300\n\
         2\t財務局\t財務の補助金その2\t400\n",
    )
    .unwrap();
    let mapping = d.path().join("mapping.yaml");
    fs::write(
        &mapping,
        "id: \"{source}-{row:03}\"\n\
         fields:\n\
         \x20 bureau: {from: 所管局, new_values: add, slug: \"b{所管局№}\", order: \"{所管局№}\"}\n\
         \x20 name: 補助金名\n\
         \x20 budget: 予算額（千円）\n\
         ignore: [所管局№]\n",
    )
    .unwrap();
    let r = import(&table, &c, &mapping, "quirks-markup", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = fs::read_to_string(c.join("_bureaus.yaml")).unwrap();
    let order: Vec<&str> = reg
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    assert_eq!(order, ["財務局", "環境局", "港湾局"], "{reg}");

    // `order` on a field that adds no values is refused.
    let bad = d.path().join("bad.yaml");
    fs::write(
        &bad,
        "id: \"{source}-{row:03}\"\nfields:\n  bureau: {from: 所管局, order: \"{所管局№}\"}\n  name: 補助金名\n  budget: 予算額（千円）\nignore: [所管局№]\n",
    )
    .unwrap();
    let r = import(&table, &c, &bad, "quirks-markup", &["--dry-run"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr
            .contains("`order` applies to dimensions that add values"),
        "{}",
        r.stderr
    );
}
