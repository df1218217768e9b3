//! Broken input: a clear error naming file and line, exit 1, output untouched.

use crate::support::*;

/// Builds once (good), breaks the content, builds again: must fail with a
/// message containing `expect`, and leave the first build's output intact.
fn assert_rejected(break_it: impl Fn(&SiteTest), expect: &[&str]) {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let before: Vec<(String, Vec<u8>)> = files(&t.out())
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(t.out().join(&f)).unwrap()))
        .collect();
    break_it(&t);
    let o = t.build();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for e in expect {
        assert!(err.contains(e), "stderr lacks {e:?}:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    let after: Vec<(String, Vec<u8>)> = files(&t.out())
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(t.out().join(&f)).unwrap()))
        .collect();
    assert!(before == after, "output changed after a failed build");
    // No temporary folders left behind.
    let leftovers: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn yaml_syntax_error() {
    assert_rejected(
        |t| {
            t.edit(
                &t.programme_file("2024-general-03"),
                "number: 3\n",
                "number: [3\n",
            )
        },
        &[
            "content/programmes/2024/2024-general-03.yaml:",
            "error[E001]",
        ],
    );
}

#[test]
fn wrong_type() {
    assert_rejected(
        |t| {
            t.edit(
                &t.programme_file("2024-general-03"),
                "cost: 10414",
                "cost: たくさん",
            )
        },
        &[
            "content/programmes/2024/2024-general-03.yaml:",
            "error[E008]",
            "is not a number",
        ],
    );
}

#[test]
fn wrong_type_is_located_at_its_line() {
    let t = SiteTest::tokyo();
    let f = t.programme_file("2024-general-03");
    let text = std::fs::read_to_string(&f).unwrap();
    let line = text.lines().position(|l| l.starts_with("number:")).unwrap() + 1;
    t.edit(&f, "number: 3\n", "number: three\n");
    let o = t.build();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("2024-general-03.yaml:{line}:9: error[E002]")),
        "{err}"
    );
}

#[test]
fn missing_field() {
    assert_rejected(
        |t| {
            let f = t.programme_file("2024-general-03");
            let s = std::fs::read_to_string(&f).unwrap();
            let s: String = s
                .lines()
                .filter(|l| !l.starts_with("name:"))
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(f, s).unwrap();
        },
        &["content/programmes/2024/2024-general-03.yaml:1:1: error[E003]: missing field `name`"],
    );
}

#[test]
fn unknown_municipality() {
    assert_rejected(
        |t| {
            t.edit(
                &t.programme_file("2024-general-08"),
                "municipality: 世田谷区",
                "municipality: 世田谷",
            )
        },
        &[
            "2024-general-08.yaml:",
            "error[E005]: unknown 実施区市町村 `世田谷`",
            "did you mean 世田谷区?",
        ],
    );
}

#[test]
fn duplicate_id() {
    assert_rejected(
        |t| {
            let from = t.programme_file("2024-general-03");
            let dir = t.content().join("programmes").join("2025");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::copy(from, dir.join("2024-general-03.yaml")).unwrap();
        },
        &["error[E006]: duplicate programme id `2024-general-03`"],
    );
}

#[test]
fn unknown_field_suggests_the_right_one() {
    assert_rejected(
        |t| t.edit(&t.programme_file("2024-general-03"), "summary:", "sumary:"),
        &[
            "error[E004]: unknown field `sumary`",
            "did you mean `summary`?",
        ],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let t = SiteTest::tokyo();
    t.edit(
        &t.programme_file("2024-general-01"),
        "municipality: 中央区",
        "municipality: 中央",
    );
    t.edit(
        &t.programme_file("2024-general-02"),
        "cost: 16687",
        "cost: -5",
    );
    t.edit(
        &t.programme_file("2024-general-03"),
        "number: 3\n",
        "number: [3\n",
    );
    let o = t.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("2024-general-01.yaml")
            && err.contains("2024-general-02.yaml")
            && err.contains("2024-general-03.yaml"),
        "{err}"
    );
}
