//! `mieruka check` on a fixture corpus: one defect per case, every
//! diagnostic's full text compared with `<case>.expected` (review changes,
//! then refresh with `UPDATE_EXPECT=1 cargo test --test integration check`).

use crate::support::*;
use std::path::Path;

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/check")
}

fn run_check(content_parent: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "--content", "content"];
    args.extend(extra);
    command(content_parent, &args).output().unwrap()
}

#[test]
fn the_base_fixture_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture().join("base"), dir.path());
    let o = run_check(dir.path(), &["--deny", "warnings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("3 programmes checked: 0 error(s), 0 warning(s)"),
        "{out}"
    );
    assert!(
        !out.contains("checks run:"),
        "the list of checks only on request: {out}"
    );
    let o = run_check(dir.path(), &["--list-checks"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("E010  recomputed totals equal each source's declared totals"),
        "--list-checks says which checks ran: {out}"
    );
}

/// A defect's report in the terminal's colours when asked for
/// (`CLICOLOR_FORCE`, as a pager wants), never with `NO_COLOR`, and plain
/// when stderr is not a terminal (as here, captured).
#[test]
fn colour_only_in_a_terminal_and_never_with_no_color() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture().join("base"), dir.path());
    let site = dir.path().join("content/_site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}\nunknown_setting: 1\n")).unwrap();
    let run = |env: &[(&str, &str)]| {
        let mut c = command(dir.path(), &["check", "--content", "content"]);
        c.env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        stderr(&o)
    };
    let plain = run(&[]);
    assert!(plain.contains("error[E004]"), "{plain}");
    assert!(
        !plain.contains('\x1b'),
        "no escape codes when not a terminal: {plain:?}"
    );
    let forced = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.contains("\x1b[") && forced.contains("error[E004]"),
        "styled when forced: {forced:?}"
    );
    let stripped: String = {
        // The same text once the styles are taken out.
        let mut s = String::new();
        let mut rest = forced.as_str();
        while let Some(i) = rest.find('\x1b') {
            s.push_str(&rest[..i]);
            rest = &rest[i..];
            let end = rest.find('m').map_or(rest.len(), |e| e + 1);
            rest = &rest[end..];
        }
        s.push_str(rest);
        s
    };
    assert_eq!(stripped, plain, "colour changes nothing but colour");
    let no_color = run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!no_color.contains('\x1b'), "NO_COLOR wins: {no_color:?}");
}

/// A content folder that does not exist is one problem, not a cascade of
/// what is missing inside it.
#[test]
fn a_missing_content_folder_is_one_problem() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["check", "--content", "nowhere"][..],
        &["build", "--content", "nowhere", "--out", "site"][..],
    ] {
        let o = command(dir.path(), args).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.matches("error[").count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("nowhere:1:1: error[E013]: content folder not found"),
            "{err}"
        );
        assert!(!err.contains("_site.yaml"), "{err}");
        assert!(!dir.path().join("site").exists());
    }
    let o = command(
        dir.path(),
        &["build", "--content", "nowhere", "--out", "site"],
    )
    .output()
    .unwrap();
    assert!(
        stderr(&o).contains("error: 1 problem(s) in the content"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn each_defect_is_reported_as_expected() {
    let cases = fixture().join("cases");
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 25, "only {} cases", names.len());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for name in &names {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture().join("base"), dir.path());
        copy_dir(&cases.join(name), &dir.path().join("content"));
        let o = run_check(dir.path(), &[]);
        let text = stderr(&o);
        let code = name.split('-').next().unwrap().to_uppercase();
        codes.insert(code.clone());
        let is_warning = code.starts_with('W');
        if !text.contains(&format!("[{code}]")) {
            failures.push(format!("{name}: no [{code}] diagnostic:\n{text}"));
        }
        let want_exit = if is_warning { 0 } else { 1 };
        if o.status.code() != Some(want_exit) {
            failures.push(format!(
                "{name}: exit {:?}, want {want_exit}",
                o.status.code()
            ));
        }
        if is_warning && run_check(dir.path(), &["--deny", "warnings"]).status.code() != Some(1) {
            failures.push(format!("{name}: --deny warnings did not fail"));
        }
        let expected_path = cases.join(format!("{name}.expected"));
        if update {
            std::fs::write(&expected_path, &text).unwrap();
        } else {
            let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if want != text {
                failures.push(format!("{name}: output differs from {name}.expected:\n--- want\n{want}\n--- got\n{text}"));
            }
        }
    }
    assert!(codes.len() >= 18, "{codes:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn json_format_lists_every_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture().join("base"), dir.path());
    copy_dir(
        &fixture().join("cases/e005-unknown-municipality"),
        &dir.path().join("content"),
    );
    let o = run_check(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], false);
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(d[0]["code"], "E005");
    assert_eq!(d[0]["file"], "content/programmes/2024/a-02.yaml");
    assert_eq!(d[0]["line"], 5);
    assert_eq!(d[0]["help"], "did you mean 世田谷区?");
}

#[test]
fn raising_setagayas_shared_subsidy_names_file_rule_and_numbers() {
    let t = SiteTest::tokyo();
    t.edit(
        &t.programme_file("2024-general-08"),
        "amount: 42933",
        "amount: 50000",
    );
    let o = t.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/programmes/2024/2024-general-08.yaml:"),
        "{err}"
    );
    assert!(err.contains("error[E011]: 補助金申請額 50,000千円 exceeds 1/2 × 事業額 of the group of 3 programmes"), "{err}");
    assert!(err.contains("1/2 × 85,868 = 42,934千円"), "{err}");
    assert!(err.contains("error[E010]: source `tokyo-r6-general`: 補助金申請額 recomputed from 29 programmes is 276,628千円, but the source declares 269,561千円"), "{err}");
}

#[test]
fn the_real_content_passes_check() {
    let o = command(&repo(), &["check", "--content", "content"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("33 programmes checked: 0 error(s)"), "{out}");
}

#[test]
fn a_source_known_to_be_wrong_is_published_with_its_differences_shown() {
    let t = SiteTest::tokyo();
    let sources = t.content().join("_sources.yaml");
    t.edit(&sources, "    cost: 539118", "    cost: 539000");
    let o = t.build();
    assert_eq!(
        o.status.code(),
        Some(1),
        "a differing total is an error by default"
    );
    assert!(stderr(&o).contains("error[E010]"));
    t.edit(
        &sources,
        "  short_title: 一般事業\n",
        "  short_title: 一般事業\n  accept_total_differences: true\n",
    );
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[W105]"));
    let home = visible_text(&t.page("index.html"));
    assert!(
        home.contains("事業額：出典の合計 539,000千円、各行の再計算 539,118千円（差 +118千円）"),
        "{home}"
    );
    assert!(home.contains("不一致（差 +118）"));
}

#[test]
fn accepting_a_total_difference_is_proposed_only_when_nothing_explains_it() {
    // A file not read, a missing row, a missing figure: the help names it
    // and does not propose `accept_total_differences`.
    for (case, cause) in [
        ("e010-unread-file", "were not read (W107"),
        ("e010-row-missing", "rows 3, 4 (整理番号) are missing"),
        ("e011-cost-missing", "事業額 is not given in a-01"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture().join("base"), dir.path());
        copy_dir(
            &fixture().join("cases").join(case),
            &dir.path().join("content"),
        );
        let err = stderr(&run_check(dir.path(), &[]));
        assert!(err.contains("error[E010]"), "{case}: {err}");
        assert!(err.contains(cause), "{case}: {err}");
        assert!(!err.contains("accept_total_differences"), "{case}: {err}");
    }
    // With nothing to explain it, the help offers the way to publish it.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture().join("base"), dir.path());
    copy_dir(
        &fixture().join("cases/e010-declared-total"),
        &dir.path().join("content"),
    );
    let err = stderr(&run_check(dir.path(), &[]));
    assert!(err.contains("accept_total_differences: true"), "{err}");
}
