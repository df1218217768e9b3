//! `mieruka import`: one test per quirk of the official tables, on small
//! fixtures (tests/fixtures/import/), plus the real Tokyo table against the
//! committed content.

use mieruka::yaml::{self, Value};
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{copy_dir, mieruka_in, Run};

fn root() -> PathBuf {
    crate::support::repo()
}

fn mieruka(args: &[&str]) -> Run {
    mieruka_in(&root(), args)
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

fn tokyo_table() -> PathBuf {
    root().join("data/tokyo-r6-chiiki-jinzai-plan.tsv")
}

/// A temporary content folder (the fixture config) and output folder.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture("content"), &dir.path().join("content"));
        Env { dir }
    }
    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }
    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    fn import(&self, table: &str, sources: &[&str], extra: &[&str]) -> Run {
        let t = fixture(table);
        let c = self.content();
        let o = self.out();
        let mut args = vec![
            "import",
            t.to_str().unwrap(),
            "--content",
            c.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
        ];
        for s in sources {
            args.extend(["--source", s]);
        }
        args.extend(extra);
        mieruka(&args)
    }
    fn path(&self, id: &str) -> PathBuf {
        self.out().join("2024").join(format!("{id}.yaml"))
    }
    fn text(&self, id: &str) -> String {
        fs::read_to_string(self.path(id)).unwrap_or_else(|e| panic!("{id}: {e}"))
    }
    fn yaml(&self, id: &str) -> Value {
        yaml::parse(&self.text(id)).unwrap()
    }
    fn ids(&self) -> Vec<String> {
        list_ids(&self.out().join("2024"))
    }
}

fn list_ids(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".yaml")
                    .to_string()
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    let mut cur = v;
    for k in path.split('.') {
        cur = cur.get(k).unwrap_or_else(|| panic!("no `{path}` in {v:?}"));
    }
    cur
}

fn s(v: &Value, path: &str) -> String {
    get(v, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` is not text"))
        .to_string()
}

fn n(v: &Value, path: &str) -> u64 {
    get(v, path)
        .as_u64()
        .unwrap_or_else(|| panic!("`{path}` is not a number: {:?}", get(v, path)))
}

fn list(v: &Value, path: &str) -> Vec<String> {
    get(v, path)
        .as_sequence()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn notes(v: &Value) -> Vec<String> {
    v.get("notes").map(|_| list(v, "notes")).unwrap_or_default()
}

// --- layouts, tables, page breaks, totals

#[test]
fn both_layouts_with_and_without_the_theme_column() {
    let env = Env::new();
    let r = env.import("layouts.tsv", &["fx-model", "fx-general"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let m = env.yaml("2024-model-01");
    assert_eq!(s(&m, "scheme"), "model");
    assert_eq!(list(&m, "themes"), ["foreign-talent"]);
    assert_eq!(s(&m, "name"), "外国人留学生等就職支援事業");
    assert_eq!(
        list(&env.yaml("2024-model-02"), "themes"),
        ["hard-to-employ"]
    );
    let g = env.yaml("2024-general-01");
    assert_eq!(s(&g, "scheme"), "general");
    assert!(
        g.get("themes").is_none(),
        "the general table has no テーマ column: themes are editorial"
    );
    assert_eq!(s(&g, "name"), "新宿区就労支援事業");
    assert_eq!(s(&g, "category"), "labour");
}

#[test]
fn several_tables_in_one_file_go_to_their_sources_in_order() {
    let env = Env::new();
    let r = env.import("layouts.tsv", &["fx-model", "fx-general"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(
        env.ids(),
        [
            "2024-general-01",
            "2024-general-02",
            "2024-general-03",
            "2024-model-01",
            "2024-model-02"
        ]
    );
    assert_eq!(s(&env.yaml("2024-model-02"), "source"), "fx-model");
    assert_eq!(s(&env.yaml("2024-general-03"), "source"), "fx-general");
    assert!(env
        .text("2024-model-01")
        .starts_with("# テスト事業（区市町村・モデル事業）計画書（令和6年度） 整理番号 1\n"));
    // Without --source: the sources whose `file` is the table, by `table`.
    let env2 = Env::new();
    let r = env2.import("layouts.tsv", &[], &[]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(env2.ids(), env.ids());
    // One source for two tables is refused.
    let env3 = Env::new();
    let r = env3.import("layouts.tsv", &["fx-model"], &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("holds 2 table(s) (line 6, line 16), but 1 source(s) were given"),
        "{}",
        r.stderr
    );
    assert!(env3.ids().is_empty());
}

#[test]
fn header_rows_repeated_at_page_breaks_are_skipped() {
    let env = Env::new();
    let r = env.import("layouts.tsv", &["fx-model", "fx-general"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    // The general table's title, unit and two header rows repeat at line 20–27.
    assert!(
        r.stdout
            .contains("table 2 (line 16) → fx-general: 3 programmes"),
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("error"), "{}", r.stderr);
    assert_eq!(n(&env.yaml("2024-general-03"), "cost"), 1000);
}

#[test]
fn total_rows_are_the_declared_totals_not_programmes() {
    let env = Env::new();
    let r = env.import("layouts.tsv", &["fx-model", "fx-general"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    // 合 計 / 合　計 rows produce no programme; they match the declared totals.
    assert_eq!(env.ids().len(), 5);
    for id in env.ids() {
        let t = env.text(&id);
        assert!(
            !t.contains("合計") && !t.contains("合 計") && !t.contains("合\u{3000}計"),
            "{id}"
        );
    }
}

#[test]
fn totals_differing_from_the_source_are_an_error_naming_the_total_line() {
    let env = Env::new();
    let r = env.import("layouts.tsv", &["fx-model", "fx-wrong-totals"], &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("layouts.tsv:28:6: error[E111]: the 合計 row says 事業額 3,000, but source `fx-wrong-totals` declares 3,001"), "{}", r.stderr);
    assert!(env.ids().is_empty(), "nothing is written");
}

#[test]
fn totals_the_source_does_not_declare_are_an_error_with_the_yaml_to_add() {
    let env = Env::new();
    let r = env.import("layouts.tsv", &["fx-model", "fx-plain"], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("layouts.tsv:28:1: error[E111]: the 合計 row declares totals (事業額 3,000, 補助金申請額 1,500"), "{}", r.stderr);
    assert!(
        r.stderr.contains("declared_totals:") && r.stderr.contains("cost: 3000"),
        "{}",
        r.stderr
    );
    assert!(env.ids().is_empty());
}

// --- merged cells and continuation rows

#[test]
fn blank_subsidy_in_a_merged_cell_joins_the_group_above() {
    let env = Env::new();
    let r = env.import("merged.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let lead = env.text("2024-general-01");
    assert!(
        lead.contains("subsidy:\n  amount: 61916\n  covers: [2024-general-02, 2024-general-03]\n"),
        "{lead}"
    );
    for id in ["2024-general-02", "2024-general-03"] {
        assert!(
            env.text(id)
                .contains("subsidy:\n  covered_by: 2024-general-01\n"),
            "{id}"
        );
        assert_eq!(s(&env.yaml(id), "municipality"), "江東区");
    }
    assert_eq!(n(&env.yaml("2024-general-04"), "subsidy"), 446);
}

#[test]
fn merged_cell_across_municipalities_is_an_error() {
    let env = Env::new();
    let r = env.import("merged-bad.tsv", &["fx-plain"], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("merged-bad.tsv:9:7: error[E112]: 「補助金申請額」 is blank, so it would share the merged cell of 整理番号 1 (line 8), but the rows differ: municipality 江東区 ≠ 北区"), "{}", r.stderr);
    assert!(env.ids().is_empty());
}

#[test]
fn empty_name_continues_the_programme_above() {
    let env = Env::new();
    let r = env.import("continuation.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let second = env.yaml("2024-general-02");
    assert_eq!(s(&second, "name"), "建設業人材確保事業");
    assert_eq!(s(&second, "continues"), "2024-general-01");
    assert_eq!(s(&second, "part"), "魅力発信事業");
    assert_eq!(s(&second, "category"), "retention");
    assert!(
        notes(&second)
            .iter()
            .any(|n| n.contains("事業名が空欄") && n.contains("整理番号1")),
        "{:?}",
        notes(&second)
    );
    let third = env.yaml("2024-general-03");
    assert_eq!(s(&third, "name"), "建設業人材確保事業");
    assert_eq!(s(&third, "continues"), "2024-general-02");
    assert!(env
        .text("2024-general-01")
        .contains("covers: [2024-general-02, 2024-general-03]"));
    assert!(env.yaml("2024-general-01").get("continues").is_none());
}

// --- figures and dates

#[test]
fn dash_is_not_applicable_and_zero_is_zero() {
    let env = Env::new();
    let r = env.import("figures.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let t = env.text("2024-general-01");
    assert!(
        t.contains("targets:\n  employed: 2\n  hiring_companies: 0\n  supported_companies: ~\n"),
        "{t}"
    );
    let v = env.yaml("2024-general-01");
    assert_eq!(n(&v, "targets.hiring_companies"), 0);
    assert!(get(&v, "targets.supported_companies").is_null());
    // Full-width and long-vowel dashes are `-` too.
    let v = env.yaml("2024-general-02");
    assert!(get(&v, "targets.hiring_companies").is_null());
    assert!(get(&v, "targets.supported_companies").is_null());
}

#[test]
fn amounts_with_commas_full_width_digits_and_spaces() {
    let env = Env::new();
    let r = env.import("figures.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let v = env.yaml("2024-general-02");
    assert_eq!(n(&v, "cost"), 12345); // １２，３４５
    assert_eq!(n(&v, "subsidy"), 6172); // 6　172
    assert_eq!(n(&v, "targets.employed"), 12); // " 12 "
    let v = env.yaml("2024-general-03"); // 整理番号 ３
    assert_eq!(n(&v, "number"), 3);
    assert_eq!(n(&v, "cost"), 1000); // "1 000"
    assert_eq!(n(&v, "targets.employed"), 1323); // "1,323"
    assert_eq!(n(&env.yaml("2024-general-01"), "cost"), 7892);
}

#[test]
fn era_dates_become_iso_dates() {
    let env = Env::new();
    let r = env.import("dates.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let expected = [
        "2024-04-01", // 令和6年4月1日
        "2019-05-07", // 令和元年5月7日
        "2019-04-30", // 平成31年4月30日
        "1989-01-08", // 平成元年1月8日
        "1989-01-07", // 昭和64年1月7日
        "1926-12-25", // 昭和元年12月25日
        "2024-10-18", // 令和６年１０月１８日
        "2024-05-10", // R6.5.10
        "2024-06-01", // 令和6年6月 (no day)
    ];
    for (i, want) in expected.iter().enumerate() {
        let id = format!("2024-general-{:02}", i + 1);
        let t = env.text(&id);
        assert!(t.contains(&format!("\nstart: {want}\n")), "{id}: {t}");
    }
    let v = env.yaml("2024-general-09");
    assert!(notes(&v)
        .iter()
        .any(|n| n.contains("令和6年6月") && n.contains("2024-06-01")));
}

#[test]
fn impossible_or_out_of_era_dates_are_errors() {
    let env = Env::new();
    let r = env.import("dates-bad.tsv", &["fx-plain"], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("dates-bad.tsv:8:11: error[E108]: 「事業開始」: `平成31年5月1日` is 2019-05-01, after 平成 ended (2019-04-30); did you mean 令和元年5月1日?"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "dates-bad.tsv:9:11: error[E108]: 「事業開始」: `令和6年2月30日`: 2024-02 has no day 30"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("dates-bad.tsv:10:11: error[E108]: 「事業開始」: `令和元年4月1日` is 2019-04-01, before 令和 began"), "{}", r.stderr);
    assert!(env.ids().is_empty());
}

// --- who, and untrusted text

#[test]
fn a_body_stands_in_for_its_municipality() {
    let env = Env::new();
    let r = env.import("body.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let v = env.yaml("2024-general-01");
    assert_eq!(s(&v, "municipality"), "東久留米市");
    assert_eq!(s(&v, "implementer"), "東久留米市商工会");
    assert!(notes(&v).iter().any(|n| n.contains("実施主体を")));
    let v = env.yaml("2024-general-02");
    assert_eq!(s(&v, "municipality"), "東久留米市");
    assert!(v.get("implementer").is_none());
}

#[test]
fn html_is_never_passed_through() {
    let env = Env::new();
    let r = env.import("html.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let v = env.yaml("2024-general-01");
    assert_eq!(s(&v, "name"), "新宿区就労支援事業");
    assert_eq!(s(&v, "part"), "相談事業");
    // The script goes with its code: no `alert(1)` left in the summary.
    assert_eq!(s(&v, "summary"), "相談を\n行う。\n");
    let ns = notes(&v);
    assert!(
        ns.iter()
            .any(|n| n.contains("見出し「相談事業」で始まります")
                && n.contains("名称の後に括弧書き")),
        "{ns:?}"
    );
    assert!(
        ns.iter()
            .any(|n| n.contains("<br>、<script>")
                && n.contains("中身（プログラムのコード）も除いた")),
        "{ns:?}"
    );
    assert!(
        ns.iter().any(|n| n.contains("事業名にはHTMLタグ（<b>）")),
        "{ns:?}"
    );
    // Lists become Markdown lists.
    assert_eq!(
        s(&env.yaml("2024-general-02"), "summary"),
        "- 一つ目\n- 二つ目\n"
    );
    // `<` that starts no tag is text, left alone.
    let v = env.yaml("2024-general-03");
    assert_eq!(s(&v, "summary"), "5<10 と <注> はタグではない。\n");
    assert!(v.get("notes").is_none());
    // Style and script in any case, with attributes; an unclosed script
    // takes the rest of the cell with it.
    assert_eq!(s(&env.yaml("2024-general-04"), "summary"), "説明です。\n");
    for id in env.ids() {
        let v = env.yaml(&id);
        for f in ["name", "summary", "part"] {
            if let Some(t) = v.get(f).and_then(|x| x.as_str()) {
                for tag in ["<p", "</p", "<b>", "<br", "<script", "<ul", "<li"] {
                    assert!(!t.contains(tag), "{id} {f}: {t}");
                }
            }
        }
    }
}

#[test]
fn control_characters_in_cells_are_refused_at_their_line_and_cell() {
    let env = Env::new();
    let r = env.import("controls.tsv", &["fx-plain"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error["))
        .collect();
    for want in [
        "controls.tsv:9:3: error[E102]: control character U+001B ESCAPE in a cell: `事業<U+001B>一`",
        "controls.tsv:10:4: error[E102]: control character U+0000 NULL in a cell: `説明<U+0000>。`",
        // A quoted cell spanning lines: the line of the character.
        "controls.tsv:12:4: error[E102]: control character U+007F DELETE in a cell: `一行目\\n二行目<U+007F>`",
        // The row after it starts a line later.
        "controls.tsv:13:11: error[E102]: control character U+0085 NEXT LINE in a cell",
        "controls.tsv:14:3: error[E102]: noncharacter U+FFFF in a cell: `事業<U+FFFF>五`",
    ] {
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "missing {want}\n{}",
            r.stderr
        );
    }
    // Tabs and line breaks in a quoted cell are text (row 5's summary).
    assert_eq!(errors.len(), 5, "{}", r.stderr);
    assert!(
        r.stderr.contains("help: delete it in the table"),
        "{}",
        r.stderr
    );
    // No raw control character reaches the terminal.
    assert!(
        !r.stderr.contains(['\u{1b}', '\0', '\u{7f}']),
        "{:?}",
        r.stderr
    );
    assert!(!env.out().exists(), "nothing is written");
}

#[test]
fn stray_labels_are_removed() {
    let env = Env::new();
    let r = env.import("label.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let v = env.yaml("2024-general-01");
    assert_eq!(s(&v, "name"), "就労困難者の就業支援事業");
    assert!(notes(&v)
        .iter()
        .any(|n| n.contains("「事業名：」で始まります")));
    let v = env.yaml("2024-general-02");
    assert_eq!(s(&v, "name"), "若者支援事業");
    assert_eq!(s(&v, "summary"), "若者を支援する。\n");
    // A name that merely starts with the same characters keeps them.
    assert_eq!(
        s(&env.yaml("2024-general-03"), "name"),
        "事業名称変更手続支援事業"
    );
}

// --- encodings and formats

#[test]
fn excel_csv_with_bom_and_crlf() {
    let env = Env::new();
    let r = env.import("excel.csv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(r.stdout.contains("(UTF-8 with BOM)"), "{}", r.stdout);
    let v = env.yaml("2024-general-01");
    assert_eq!(s(&v, "summary"), "一行目。\n二行目。\n");
    assert_eq!(n(&v, "cost"), 1000);
    let t = env.text("2024-general-02");
    assert!(t.contains("name: \"江東区, 雇用支援事業\"\n"), "{t}");
    assert!(!t.contains('\r'));
    // Same table read as TSV finds nothing, and says how to fix it.
    let r = env.import("excel.csv", &["fx-plain"], &["--format", "tsv"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "excel.csv:6:1: error[E103]: this is not a table as TSV: 7 of its 7 lines hold a single cell, and they hold commas"
        ) && r.stderr.contains("use --format csv"),
        "{}",
        r.stderr
    );
}

#[test]
fn shift_jis_is_decoded_and_reported() {
    let env = Env::new();
    let r = env.import("sjis.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("is not UTF-8; decoded it as Shift_JIS (CP932)"),
        "{}",
        r.stdout
    );
    let v = env.yaml("2024-general-01");
    assert_eq!(s(&v, "municipality"), "世田谷区");
    assert_eq!(s(&v, "summary"), "髙島屋と①の説明。\n");
}

#[test]
fn a_table_over_the_size_limit_is_refused_before_it_is_read() {
    let env = Env::new();
    // A sparse file: as large as the limit allows and one byte more, in no
    // time and no disk space.
    let big = env.dir.path().join("big.tsv");
    fs::File::create(&big)
        .unwrap()
        .set_len(mieruka::import::MAX_TABLE_BYTES + 1)
        .unwrap();
    let c = env.content();
    let r = mieruka(&[
        "import",
        big.to_str().unwrap(),
        "--content",
        c.to_str().unwrap(),
        "--source",
        "fx-plain",
        "--out",
        env.out().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "table is {} bytes; the largest accepted is {} bytes",
            mieruka::import::MAX_TABLE_BYTES + 1,
            mieruka::import::MAX_TABLE_BYTES
        )),
        "{}",
        r.stderr
    );
    assert!(!env.out().exists(), "nothing written");
}

#[test]
fn bytes_in_no_known_encoding_are_refused_with_their_line() {
    let env = Env::new();
    let r = env.import("broken.tsv", &["fx-plain"], &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("broken.tsv:8:5: error[E101]: the file is neither UTF-8 nor Shift_JIS"),
        "{}",
        r.stderr
    );
    assert!(env.ids().is_empty());
}

// --- errors

#[test]
fn unknown_municipality_names_the_line_and_suggests() {
    let env = Env::new();
    let r = env.import("unknown-municipality.tsv", &["fx-plain"], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown-municipality.tsv:8:2: error[E109]: unknown 実施区市町村 「世田谷」 (not in _municipalities.yaml)\n  = help: did you mean 世田谷区?"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("unknown-municipality.tsv:9:2: error[E109]: unknown 実施区市町村 「港区」"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`bodies`"), "{}", r.stderr);
    // A name that looks like a registry name: the help says what differs.
    assert!(r.stderr.contains("unknown-municipality.tsv:10:2: error[E109]: unknown 実施区市町村 「新宿区<U+200B>」 (not in _municipalities.yaml)\n  = help: did you mean 新宿区? (it differs by an invisible U+200B ZERO WIDTH SPACE after 区)"), "{}", r.stderr);
    assert!(env.ids().is_empty());
}

#[test]
fn all_failures_are_listed_at_once_and_nothing_is_written() {
    let env = Env::new();
    let r = env.import("errors.tsv", &["fx-plain"], &[]);
    assert_eq!(r.code, 1);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error["))
        .collect();
    assert_eq!(errors.len(), 5, "{}", r.stderr);
    for want in [
        "errors.tsv:8:3: error[E112]: 「事業名」 is blank in the table's first row",
        "errors.tsv:9:6: error[E108]: 「事業額」: `約1,000` is not a number",
        "errors.tsv:10:6: error[E108]: 「事業額」 is blank",
        "errors.tsv:11:11: error[E108]: 「事業開始」: `令和6年13月1日`: there is no month 13",
        "errors.tsv:12:5: error[E109]: unknown 事業分類 「分類なし」",
    ] {
        assert!(r.stderr.contains(want), "missing {want}\n{}", r.stderr);
    }
    assert!(r
        .stderr
        .contains("error: 5 problem(s); nothing was written"));
    assert!(!env.out().exists(), "nothing is written");
}

#[test]
fn hostile_strings_are_quoted_and_read_back() {
    let env = Env::new();
    let r = env.import("hostile.tsv", &["fx-plain"], &[]);
    assert!(r.ok(), "{}", r.stderr);
    let raw = [
        "null",
        "yes",
        "123",
        "- 項目",
        "a: b",
        "x #y",
        "*star",
        "@at",
        "'q'",
        "\"dq\"",
        "~",
        "[x]",
        "{y}",
        "%p",
        "`t`",
        "!tag",
        "&a",
        "? q",
        "|",
        ">",
        "2024-04-01",
        "No",
        "0x1F",
    ];
    for (i, want) in raw.iter().enumerate() {
        let v = env.yaml(&format!("2024-general-{:02}", i + 1));
        assert_eq!(
            get(&v, "name"),
            &Value::String(want.to_string()),
            "row {}",
            i + 1
        );
        assert_eq!(s(&v, "summary"), "説明: 値 #ではない\n");
    }
}

// --- idempotence and editorial fields

#[test]
fn reimport_is_idempotent_and_keeps_editorial_fields() {
    let env = Env::new();
    assert!(env.import("layouts.tsv", &[], &[]).ok());
    // Editorial: themes of a general row (no テーマ column) and aliases.
    let p = env.path("2024-general-01");
    let t = env.text("2024-general-01");
    let t = t
        .replace("category: labour\n", "category: labour\nthemes: [youth]\n")
        .replace(
            "start: 2024-04-01\n",
            "start: 2024-04-01\naliases: [2024-g-01]\n",
        );
    fs::write(&p, &t).unwrap();
    let before: Vec<(String, Vec<u8>, std::time::SystemTime)> = env
        .ids()
        .iter()
        .map(|id| {
            (
                id.clone(),
                fs::read(env.path(id)).unwrap(),
                fs::metadata(env.path(id)).unwrap().modified().unwrap(),
            )
        })
        .collect();
    for _ in 0..2 {
        let r = env.import("layouts.tsv", &[], &[]);
        assert!(r.ok(), "{}", r.stderr);
        assert!(
            r.stdout
                .contains("5 programmes: 0 created, 0 changed, 5 unchanged"),
            "{}",
            r.stdout
        );
        for (id, bytes, mtime) in &before {
            assert_eq!(&fs::read(env.path(id)).unwrap(), bytes, "{id} changed");
            assert_eq!(
                &fs::metadata(env.path(id)).unwrap().modified().unwrap(),
                mtime,
                "{id} was rewritten"
            );
        }
    }
    // Editorial fields written elsewhere are kept, and put in their place.
    let moved = t.replace("aliases: [2024-g-01]\n", "").replace(
        "fiscal_year: 2024\n",
        "fiscal_year: 2024\naliases: [2024-g-01]\n",
    );
    fs::write(&p, &moved).unwrap();
    let r = env.import("layouts.tsv", &[], &[]);
    assert!(
        r.stdout.contains("0 created, 1 changed, 4 unchanged"),
        "{}",
        r.stdout
    );
    assert_eq!(env.text("2024-general-01"), t);
    // Fields the import owns are restored: themes of the モデル事業 table come from its テーマ column.
    let m = env.text("2024-model-01");
    fs::write(
        env.path("2024-model-01"),
        m.replace("themes: [foreign-talent]", "themes: [youth]")
            .replace("cost: 20000", "cost: 1"),
    )
    .unwrap();
    assert!(env.import("layouts.tsv", &[], &[]).ok());
    assert_eq!(env.text("2024-model-01"), m);
}

#[test]
fn dry_run_writes_nothing() {
    let env = Env::new();
    let r = env.import("layouts.tsv", &[], &["--dry-run"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stdout.contains("would create") && r.stdout.contains("dry run: nothing written"),
        "{}",
        r.stdout
    );
    assert!(!env.out().exists());
}

// --- the real Tokyo table

/// Lines of a programme file, without the editorial `themes` line of a
/// general row.
fn owned_lines(id: &str, text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !(id.contains("-general-") && l.starts_with("themes:")))
        .map(str::to_string)
        .collect()
}

#[test]
fn tokyo_table_reproduces_the_committed_content() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("programmes");
    let table = tokyo_table();
    let content = root().join("content");
    let args = [
        "import",
        table.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--source",
        "tokyo-r6-model",
        "--source",
        "tokyo-r6-general",
    ];
    let r = mieruka(&args);
    assert!(r.ok(), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("33 programmes: 33 created"),
        "{}",
        r.stdout
    );
    let committed = root().join("content/programmes/2024");
    let ids = list_ids(&out.join("2024"));
    assert_eq!(ids, list_ids(&committed));
    assert_eq!(ids.len(), 33);
    for id in &ids {
        let got = fs::read_to_string(out.join("2024").join(format!("{id}.yaml"))).unwrap();
        let want = fs::read_to_string(committed.join(format!("{id}.yaml"))).unwrap();
        if id.contains("-model-") {
            assert_eq!(got, want, "{id}");
        } else {
            assert_eq!(owned_lines(id, &got), owned_lines(id, &want), "{id}");
        }
    }
    // A second run changes no byte.
    let snapshot: Vec<Vec<u8>> = ids
        .iter()
        .map(|id| fs::read(out.join("2024").join(format!("{id}.yaml"))).unwrap())
        .collect();
    let r = mieruka(&args);
    assert!(
        r.stdout
            .contains("33 programmes: 0 created, 0 changed, 33 unchanged"),
        "{}",
        r.stdout
    );
    for (id, bytes) in ids.iter().zip(&snapshot) {
        assert_eq!(
            &fs::read(out.join("2024").join(format!("{id}.yaml"))).unwrap(),
            bytes,
            "{id}"
        );
    }
}

#[test]
fn reimport_over_the_committed_content_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("programmes");
    copy_dir(&root().join("content/programmes"), &out);
    let table = tokyo_table();
    let content = root().join("content");
    // No --source: _sources.yaml names the file and the table of each source.
    let r = mieruka(&[
        "import",
        table.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("33 programmes: 0 created, 0 changed, 33 unchanged"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn imported_tokyo_site_builds_with_the_source_totals() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    fs::create_dir_all(&content).unwrap();
    for e in fs::read_dir(root().join("content")).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().starts_with('_') {
            fs::copy(e.path(), content.join(e.file_name())).unwrap();
        }
    }
    copy_dir(&root().join("themes"), &tmp.path().join("themes"));
    let table = tokyo_table();
    let r = mieruka(&[
        "import",
        table.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
    ]);
    assert!(r.ok(), "{}", r.stderr);
    let public = tmp.path().join("public");
    let r = mieruka(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        public.to_str().unwrap(),
    ]);
    assert!(r.ok(), "{}{}", r.stdout, r.stderr);
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        home.contains("539,118") && home.contains("61,400"),
        "totals missing from the home page"
    );
    // And the committed content builds the same totals.
    let public2 = tmp.path().join("public2");
    let r = mieruka(&[
        "build",
        "--content",
        root().join("content").to_str().unwrap(),
        "--out",
        public2.to_str().unwrap(),
    ]);
    assert!(r.ok(), "{}{}", r.stdout, r.stderr);
    let home = fs::read_to_string(public2.join("index.html")).unwrap();
    assert!(home.contains("539,118") && home.contains("61,400"));
}

// --- the library and the codes

#[test]
fn the_library_returns_a_report_and_the_cli_prints_it() {
    use mieruka::import::{import, FileStatus, Options};
    let env = Env::new();
    let mut opts = Options::new(fixture("layouts.tsv"));
    opts.content = env.content();
    opts.out = Some(env.out());
    opts.dry_run = true;
    let report = import(&opts);
    assert!(!report.has_errors(), "{:?}", report.problems);
    assert!(!report.written);
    assert_eq!(report.files.len(), 5);
    assert_eq!(report.count(FileStatus::Created), 5);
    assert!(
        report.files[0].0.starts_with(env.out().join("2024")),
        "{:?}",
        report.files
    );
    assert!(
        report.info[0].ends_with("(UTF-8): 2 table(s)"),
        "{:?}",
        report.info
    );
    assert!(!env.out().exists(), "a dry run writes nothing");
    // Written: the same files, now on disk.
    opts.dry_run = false;
    let report = import(&opts);
    assert!(report.written);
    assert_eq!(env.ids().len(), 5);
    // An error: problems with codes and positions, no files.
    let mut opts = Options::new(fixture("errors.tsv"));
    opts.content = env.content();
    opts.out = Some(env.dir.path().join("other"));
    opts.sources = vec!["fx-plain".into()];
    let report = import(&opts);
    assert!(report.has_errors() && report.files.is_empty() && !report.written);
    let p = &report.problems[0];
    assert_eq!((p.line, p.column, p.code.as_str()), (8, 3, "E112"));
    assert!(p
        .render()
        .contains("errors.tsv:8:3: error[E112]: 「事業名」 is blank"));
}

#[test]
fn every_import_problem_has_an_import_code_of_the_registry() {
    use mieruka::diag::Code;
    let mut seen = std::collections::BTreeSet::new();
    for (table, sources) in [
        ("errors.tsv", &["fx-plain"][..]),
        ("merged-bad.tsv", &["fx-plain"]),
        ("dates-bad.tsv", &["fx-plain"]),
        ("controls.tsv", &["fx-plain"]),
        ("broken.tsv", &["fx-plain"]),
        ("layouts.tsv", &["fx-model", "fx-wrong-totals"]),
        ("layouts.tsv", &["fx-model"]),
        ("layouts.tsv", &["fx-model", "fx-plian"]),
        ("unknown-municipality.tsv", &["fx-plain"]),
    ] {
        let env = Env::new();
        let r = env.import(table, sources, &[]);
        assert_eq!(r.code, 1, "{table}");
        let lines: Vec<&str> = r
            .stderr
            .lines()
            .filter(|l| l.contains("error") && !l.starts_with("error: ") && !l.starts_with(' '))
            .collect();
        assert!(!lines.is_empty(), "{table}: {}", r.stderr);
        for l in lines {
            let code = l
                .split("error[")
                .nth(1)
                .and_then(|x| x.split(']').next())
                .unwrap_or_else(|| panic!("no code in {l}"));
            let c = Code::parse(code).unwrap_or_else(|| panic!("{code} is not in the registry"));
            assert!(c.is_import(), "{code} is not an import code");
            seen.insert(code.to_string());
        }
    }
    for want in ["E101", "E102", "E107", "E108", "E109", "E111", "E112"] {
        assert!(seen.contains(want), "{want} not seen: {seen:?}");
    }
    // `check` runs the content rules, not the importer's.
    let r = mieruka_in(&root(), &["check", "--list-checks"]);
    assert!(
        r.stdout.contains("E010") && !r.stdout.contains("E101"),
        "{}",
        r.stdout
    );
}
