//! Hardening (issue 10): hostile content, untrusted strings in every output
//! file, interrupted builds, determinism, and round trips of number and date
//! parsing. Every run of the binary here is bounded in time and memory
//! (address space limited with setrlimit, peak RSS read with wait4).
//!
//! The hostile corpus is tests/fixtures/hostile: a small valid site (`base/`)
//! and one case per folder in `cases/`, overlaid on it (a `DELETE` file lists
//! base files to remove); some cases are generated here at run time (a 5 MB
//! summary, 10,000-deep nesting, symbolic link loops, a FIFO). Each case's
//! full `mieruka check` output is compared with `cases/<name>.expected`;
//! review changes, then refresh with
//! `UPDATE_EXPECT=1 cargo test --release --test integration hardening::hostile`.

// setrlimit, wait4 and mkfifo bound the child processes of these tests.
#![allow(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{copy_dir, files, repo};

fn hostile() -> PathBuf {
    repo().join("tests/fixtures/hostile")
}

/// Every file below `dir` with a hash of its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, u64> {
    use std::hash::{Hash, Hasher};
    files(dir)
        .into_iter()
        .map(|f| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(dir.join(&f)).unwrap().hash(&mut h);
            (f, h.finish())
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Bounded runs of the binary

/// Address space a run of the binary may use (hostile cases).
const MEM_LIMIT: u64 = 1 << 30;
/// Time a run on one hostile case may take (debug builds included).
const TIME_LIMIT: Duration = Duration::from_secs(30);
/// Peak resident memory a run on one hostile case may reach.
const RSS_LIMIT_KB: i64 = 300 * 1024;

struct Outcome {
    /// Exit code, or None when killed by a signal.
    code: Option<i32>,
    signal: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    max_rss_kb: i64,
    timed_out: bool,
}

impl Outcome {
    fn describe(&self) -> String {
        format!(
            "exit {:?}, signal {:?}, {:.2} s, peak RSS {} MB{}\n--- stderr\n{}",
            self.code,
            self.signal,
            self.elapsed.as_secs_f64(),
            self.max_rss_kb / 1024,
            if self.timed_out {
                ", TIMED OUT (killed)"
            } else {
                ""
            },
            self.stderr.chars().take(3000).collect::<String>()
        )
    }
}

/// A running child process, with its pid for wait4/kill.
struct Running {
    pid: libc::pid_t,
    start: Instant,
    out: tempfile::TempDir,
}

#[allow(clippy::zombie_processes)] // reaped with wait4 in `Running`
fn spawn(mut cmd: Command, mem_limit: u64) -> Running {
    let out = tempfile::tempdir().unwrap();
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(out.path().join("stdout")).unwrap())
        .stderr(std::fs::File::create(out.path().join("stderr")).unwrap());
    // SAFETY: setrlimit is async-signal-safe and nothing is allocated.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: mem_limit,
                rlim_max: mem_limit,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn mieruka");
    // The child is reaped with wait4 below (to read its own peak RSS), not
    // through `Child`, which is simply dropped (dropping neither waits nor kills).
    Running {
        pid: child.id() as libc::pid_t,
        start,
        out,
    }
}

impl Running {
    /// Whether the process has finished (reaping it), without blocking.
    fn try_finish(&self) -> Option<(i32, libc::rusage)> {
        let mut status = 0;
        // SAFETY: plain syscall on our own child.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(self.pid, &mut status, libc::WNOHANG, &mut ru) };
        assert!(r >= 0, "wait4: {}", std::io::Error::last_os_error());
        (r == self.pid).then_some((status, ru))
    }

    fn kill(&self) {
        // SAFETY: plain syscall on our own (not yet reaped) child.
        unsafe { libc::kill(self.pid, libc::SIGKILL) };
    }

    /// Waits up to `limit` (then kills) and collects the outcome.
    fn wait(self, limit: Duration) -> Outcome {
        let mut timed_out = false;
        let (status, ru) = loop {
            if let Some(x) = self.try_finish() {
                break x;
            }
            if !timed_out && self.start.elapsed() > limit {
                self.kill();
                timed_out = true;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let exited = libc::WIFEXITED(status);
        Outcome {
            code: exited.then(|| libc::WEXITSTATUS(status)),
            signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
            stdout: String::from_utf8_lossy(
                &std::fs::read(self.out.path().join("stdout")).unwrap(),
            )
            .to_string(),
            stderr: String::from_utf8_lossy(
                &std::fs::read(self.out.path().join("stderr")).unwrap(),
            )
            .to_string(),
            elapsed: self.start.elapsed(),
            max_rss_kb: ru.ru_maxrss,
            timed_out,
        }
    }
}

fn mieruka(dir: &Path, args: &[&str], threads: &str) -> Command {
    let mut c = crate::support::command(dir, args);
    c.env("RAYON_NUM_THREADS", threads);
    c
}

/// Runs `mieruka <args>` in `dir` within the hostile-case bounds.
fn run_bounded(dir: &Path, args: &[&str]) -> Outcome {
    spawn(mieruka(dir, args, "2"), MEM_LIMIT).wait(TIME_LIMIT)
}

// ---------------------------------------------------------------------------
// Hostile corpus

/// Cases generated at run time (too big, or not storable in git).
const GENERATED: &[&str] = &[
    "e001-alias-string-bomb",
    "e001-nesting-10000-block",
    "e001-nesting-10000-flow",
    "e001-nesting-10000-hidden-by-quote",
    "e001-nesting-1000-indented",
    "e004-100000-unknown-keys",
    "e005-100000-unknown-themes",
    "e008-summary-over-20000-chars",
    "e013-fifo",
    "e013-registry-3mb",
    "e013-summary-5mb",
    "e013-symlink-loop",
    "e013-symlink-to-outside",
];

const HEAD: &str = "fiscal_year: 2024\nsource: plan\nnumber: 4\nscheme: general\nmunicipality: 新宿区\nname: 事業04\ncategory: labour\nthemes: [youth]\n";
const TAIL: &str = "cost: 0\nsubsidy: 0\n";

fn generate(name: &str, content: &Path) {
    let p = content.join("programmes/2024");
    let write = |rel: &str, text: &str| std::fs::write(p.join(rel), text).unwrap();
    match name {
        "e001-alias-string-bomb" => {
            // 2,000 uses of a 1 MB string: 2 GB once expanded.
            let uses = vec!["*s"; 2000].join(", ");
            write(
                "a-04.yaml",
                &format!(
                    "{HEAD}{TAIL}summary: &s \"{}\"\nnotes: [{uses}]\n",
                    "x".repeat(1_000_000)
                ),
            );
        }
        "e001-nesting-10000-flow" => {
            write(
                "a-04.yaml",
                &format!(
                    "{HEAD}{TAIL}summary: {}{}\n",
                    "[".repeat(10_000),
                    "]".repeat(10_000)
                ),
            );
        }
        "e001-nesting-10000-hidden-by-quote" => {
            // `x"` is a plain scalar: a depth check that guesses at quotes
            // misses the nesting after it, and the parse takes minutes.
            write(
                "a-04.yaml",
                &format!(
                    "{HEAD}{TAIL}summary: [x\", {}{}]\n",
                    "[".repeat(10_000),
                    "]".repeat(10_000)
                ),
            );
        }
        "e001-nesting-10000-block" => {
            write(
                "a-04.yaml",
                &format!("{HEAD}{TAIL}summary:\n  {}x\n", "- ".repeat(10_000)),
            );
        }
        "e001-nesting-1000-indented" => {
            let body: String = (0..1000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i + 1)))
                .collect();
            write("a-04.yaml", &format!("{HEAD}{TAIL}summary:\n{body}"));
        }
        "e004-100000-unknown-keys" => {
            let body: String = (0..100_000).map(|i| format!("k{i}: 1\n")).collect();
            write("a-04.yaml", &format!("{HEAD}{TAIL}{body}"));
        }
        "e005-100000-unknown-themes" => {
            let themes: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
            write(
                "a-04.yaml",
                &format!(
                    "{}{TAIL}themes: [{}]\n",
                    HEAD.replace("themes: [youth]\n", ""),
                    themes.join(", ")
                ),
            );
        }
        "e008-summary-over-20000-chars" => {
            write(
                "a-04.yaml",
                &format!("{HEAD}{TAIL}summary: {}\n", "長".repeat(20_001)),
            );
        }
        "e013-summary-5mb" => {
            write(
                "a-04.yaml",
                &format!("{HEAD}{TAIL}summary: {}\n", "x".repeat(5 * 1024 * 1024)),
            );
        }
        "e013-registry-3mb" => {
            let mut t = std::fs::read_to_string(content.join("_themes.yaml")).unwrap();
            t.push_str(&format!(
                "- slug: big\n  name: 大\n  description: {}\n",
                "x".repeat(3 * 1024 * 1024)
            ));
            std::fs::write(content.join("_themes.yaml"), t).unwrap();
        }
        "e013-symlink-loop" => {
            // A folder linking to its parent, and the content folder to itself.
            std::os::unix::fs::symlink("..", p.join("loop")).unwrap();
            std::os::unix::fs::symlink(".", content.join("programmes/self")).unwrap();
            std::os::unix::fs::symlink(".", content.join("self")).unwrap();
        }
        "e013-symlink-to-outside" => {
            std::os::unix::fs::symlink("/etc/passwd", p.join("a-04.yaml")).unwrap();
            std::os::unix::fs::symlink("/etc/hostname", content.join("_extra.yaml")).unwrap();
        }
        "e013-fifo" => {
            // Reading a FIFO would block forever.
            let path = std::ffi::CString::new(p.join("a-04.yaml").to_str().unwrap()).unwrap();
            // SAFETY: plain syscall with a valid C string.
            assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
        }
        other => panic!("no generator for {other}"),
    }
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(hostile().join("cases"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.extend(GENERATED.iter().map(|s| s.to_string()));
    names.sort();
    names
}

/// Sets up one case in a fresh project folder.
fn setup_case(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&hostile().join("base"), dir.path());
    let content = dir.path().join("content");
    let case = hostile().join("cases").join(name);
    if case.is_dir() {
        for e in walkdir::WalkDir::new(&case).sort_by_file_name() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(&case).unwrap();
            if rel == Path::new("DELETE") {
                for f in std::fs::read_to_string(e.path()).unwrap().lines() {
                    std::fs::remove_file(content.join(f)).unwrap();
                }
            } else if e.file_type().is_dir() {
                std::fs::create_dir_all(content.join(rel)).unwrap();
            } else {
                std::fs::copy(e.path(), content.join(rel)).unwrap();
            }
        }
    } else {
        generate(name, &content);
    }
    dir
}

/// Whether every diagnostic headline names a file, line and column.
fn headlines_are_positioned(stderr: &str) -> Result<(), String> {
    for line in stderr
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
    {
        let head = line
            .split(": error[")
            .next()
            .unwrap()
            .split(": warning[")
            .next()
            .unwrap();
        let mut parts = head.rsplitn(3, ':');
        let col = parts.next().unwrap_or("");
        let row = parts.next().unwrap_or("");
        let file = parts.next().unwrap_or("");
        if !file.starts_with("content")
            || row.parse::<usize>().map_or(true, |n| n == 0)
            || col.parse::<usize>().map_or(true, |n| n == 0)
        {
            return Err(format!("not file:line:column: {line}"));
        }
    }
    Ok(())
}

#[test]
fn hostile_corpus_is_met_by_clear_errors_within_time_and_memory() {
    let names = case_names();
    assert!(names.len() >= 40, "only {} cases", names.len());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    let mut biggest = (0i64, String::new());
    for name in &names {
        let dir = setup_case(name);
        let o = run_bounded(dir.path(), &["check", "--content", "content"]);
        if o.elapsed > slowest.0 {
            slowest = (o.elapsed, name.clone());
        }
        if o.max_rss_kb > biggest.0 {
            biggest = (o.max_rss_kb, name.clone());
        }
        // `ok-…` and warning cases (`w106-…`) are accepted and build.
        let warned = name.starts_with('w');
        let accepted = name.starts_with("ok-") || warned;
        let want_code = if accepted { 0 } else { 1 };
        if o.timed_out || o.code != Some(want_code) || o.max_rss_kb > RSS_LIMIT_KB {
            failures.push(format!(
                "{name}: want exit {want_code} within {TIME_LIMIT:?} and {} MB: {}",
                RSS_LIMIT_KB / 1024,
                o.describe()
            ));
            continue;
        }
        if !accepted || warned {
            let code = name.split('-').next().unwrap().to_uppercase();
            let want = if warned { "warning" } else { "error" };
            if !o.stderr.contains(&format!("{want}[{code}]")) {
                failures.push(format!("{name}: no {want}[{code}]:\n{}", o.stderr));
            }
        }
        if let Err(e) = headlines_are_positioned(&o.stderr) {
            failures.push(format!("{name}: {e}"));
        }
        let expected = hostile().join("cases").join(format!("{name}.expected"));
        if update {
            std::fs::write(&expected, &o.stderr).unwrap();
        } else {
            let want = std::fs::read_to_string(&expected).unwrap_or_default();
            if want != o.stderr {
                failures.push(format!(
                    "{name}: output differs from {name}.expected:\n--- want\n{want}\n--- got\n{}",
                    o.stderr
                ));
            }
        }
        if accepted {
            // Accepted content also builds.
            let b = run_bounded(
                dir.path(),
                &[
                    "build",
                    "--quiet",
                    "--content",
                    "content",
                    "--out",
                    "public",
                ],
            );
            if b.code != Some(0) {
                failures.push(format!("{name}: build failed: {}", b.describe()));
            }
        }
    }
    eprintln!(
        "{} hostile cases; slowest {} ({:.2} s), largest peak RSS {} ({} MB)",
        names.len(),
        slowest.1,
        slowest.0.as_secs_f64(),
        biggest.1,
        biggest.0 / 1024
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_and_no_temporary_folder() {
    let dir = setup_case("ok-crlf");
    let d = dir.path();
    let args = [
        "build",
        "--quiet",
        "--content",
        "content",
        "--out",
        "public",
    ];
    assert_eq!(run_bounded(d, &args).code, Some(0));
    let before = snapshot(&d.join("public"));
    generate("e001-nesting-10000-hidden-by-quote", &d.join("content"));
    let o = run_bounded(d, &args);
    assert_eq!(o.code, Some(1), "{}", o.describe());
    assert!(o.stderr.contains("nothing was written"), "{}", o.stderr);
    assert_eq!(
        before,
        snapshot(&d.join("public")),
        "the previous site changed"
    );
    let left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

// ---------------------------------------------------------------------------
// Untrusted content in every output file

/// Payloads planted in every string field. Each field gets all of them, in
/// a rotated order, so that every payload also starts some field (CSV
/// formula injection needs the first character).
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "{{ 7*7 }}",
    "]]>",
    "'><svg onload=alert(1)>",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\u{2028}\u{2029}",
    "<!--",
    "{% raw %}",
];

/// The payload text for field number `n` (unique per field: names must be).
fn payload(n: usize) -> String {
    let mut s = String::new();
    for i in 0..PAYLOADS.len() {
        s.push_str(PAYLOADS[(n + i) % PAYLOADS.len()]);
        s.push(' ');
    }
    s.push_str(&format!("#{n}"));
    s
}

/// A YAML double-quoted scalar (U+2028/2029 escaped: YAML reads them as
/// line breaks).
fn yq(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Replaces every `@@` in `template` with a fresh payload.
fn plant(template: &str, n: &mut usize) -> String {
    let mut out = String::new();
    let mut parts = template.split("@@");
    out.push_str(parts.next().unwrap());
    for p in parts {
        out.push_str(&yq(&payload(*n)));
        *n += 1;
        out.push_str(p);
    }
    out
}

const XSS_SITE: &str = r#"title: @@
description: @@
language: ja
base_url: "https://example.jp/x\"><script>alert(1)</script>/"
publisher: @@
as_of: "2024-04-01"
item_label: @@
summary_max_chars: 100000
dimensions:
  - key: municipality
    label: @@
    registry: _municipalities.yaml
    path: municipalities
    local_government_codes: true
    ruby: true
    same_within_group: true
    chart: true
  - key: themes
    label: @@
    multiple: true
    required: false
    registry: _themes.yaml
    path: themes
    chart: true
  - key: category
    label: @@
    path: categories
    chart: true
    values:
      - slug: labour
        name: @@
        description: @@
        applies: [employed, hiring_companies]
      - slug: retention
        name: @@
        description: @@
        applies: [supported_companies]
  - key: scheme
    label: @@
    path: schemes
    same_within_group: true
    values:
      - slug: model
        name: @@
        description: @@
        rate: 10/10
      - slug: general
        name: @@
        description: @@
        rate: 1/2
measures:
  - key: cost
    label: @@
    unit: @@
    description: @@
  - key: subsidy
    label: @@
    unit: @@
    shared: true
    description: @@
  - key: employed
    path: targets.employed
    label: @@
    unit: @@
  - key: hiring_companies
    path: targets.hiring_companies
    label: @@
    unit: @@
  - key: supported_companies
    path: targets.supported_companies
    label: @@
    unit: @@
rules:
  - kind: max_ratio
    measure: subsidy
    of: cost
    rate_from: scheme
"#;

const XSS_MUNICIPALITIES: &str = r#"- slug: shinjuku-ku
  name: @@
  code: "131041"
  reading: @@
  region: @@
  description: @@
  bodies: [@@]
- slug: setagaya-ku
  name: @@
  code: "131121"
  reading: @@
  region: @@
  description: @@
"#;

const XSS_THEMES: &str = r#"- slug: youth
  name: @@
  description: @@
  official: false
- slug: foreign-talent
  name: @@
  description: @@
  official: true
"#;

const XSS_SOURCES: &str = r#"- id: plan
  title: @@
  short_title: @@
  publisher: @@
  fiscal_year: 2024
  fiscal_year_label: @@
  url: "javascript:alert(1)//https://example.jp/"
  file: @@
  table: 1
  note: @@
  declared_totals:
    cost: 3000
    subsidy: 1500
"#;

/// Markdown that tries every way out: raw HTML, script links, images,
/// autolinks, reference links, HTML entities.
const XSS_MARKDOWN: &str = "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](  javascript:alert(1)) [w](data:text/html,<script>alert(1)</script>) \
<javascript:alert(1)> ![i](javascript:alert(1)) [r][ref] <a href=\"javascript:alert(1)\">a</a> <img src=x onerror=alert(1)> \
&lt;script&gt;alert(1)&lt;/script&gt; [e](&#106;avascript:alert(1)) [v](vbscript:msgbox(1))\n\n<script>alert(1)</script>\n\n<svg onload=alert(1)>\n\n[ref]: javascript:alert(1)\n";

fn xss_programme(
    n: &mut usize,
    number: u32,
    cost: &str,
    subsidy: &str,
    municipality: &str,
) -> String {
    let head = plant(
        "fiscal_year: 2024\nsource: plan\nscheme: general\ncategory: labour\nthemes: [youth, foreign-talent]\nname: @@\npart: @@\nimplementer: @@\nnotes: [@@, @@]\n",
        n,
    );
    let summary = format!("{}\n\n{XSS_MARKDOWN}", payload(*n));
    *n += 1;
    format!(
        "{head}number: {number}\nmunicipality: {municipality}\nsummary: {}\ncost: {cost}\nsubsidy: {subsidy}\ntargets:\n  employed: 5\n  hiring_companies: 2\n  supported_companies: ~\nstart: 2024-04-01\n",
        yq(&summary)
    )
}

/// A project whose every string field carries the payloads.
fn xss_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    std::fs::create_dir_all(c.join("programmes/2024")).unwrap();
    let mut n = 0;
    std::fs::write(c.join("_site.yaml"), plant(XSS_SITE, &mut n)).unwrap();
    std::fs::write(
        c.join("_municipalities.yaml"),
        plant(XSS_MUNICIPALITIES, &mut n),
    )
    .unwrap();
    std::fs::write(c.join("_themes.yaml"), plant(XSS_THEMES, &mut n)).unwrap();
    std::fs::write(c.join("_sources.yaml"), plant(XSS_SOURCES, &mut n)).unwrap();
    let p = c.join("programmes/2024");
    std::fs::write(
        p.join("a-01.yaml"),
        xss_programme(&mut n, 1, "1000", "500", "shinjuku-ku") + "aliases: [old-a-01]\n",
    )
    .unwrap();
    std::fs::write(
        p.join("a-02.yaml"),
        xss_programme(
            &mut n,
            2,
            "1200",
            "{amount: 1000, covers: [a-03]}",
            "setagaya-ku",
        ),
    )
    .unwrap();
    std::fs::write(
        p.join("a-03.yaml"),
        xss_programme(&mut n, 3, "800", "{covered_by: a-02}", "setagaya-ku"),
    )
    .unwrap();
    dir
}

/// One tag of an HTML document: name (lowercase, `/x` for end tags) and
/// attributes (lowercase names, entity-decoded values).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// For `<script>`: the text up to `</script`.
    script_body: Option<String>,
    /// Written `<x … />`.
    self_closing: bool,
}

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tokenizer good enough to find every tag a browser would see: `<`
/// followed by a letter, `/` or `!` opens markup; quoted attribute values
/// may hold `>`; script and style bodies are raw text.
fn html_tags(html: &str) -> Result<Vec<Tag>, String> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        if next == b'!' {
            if html[i..].starts_with("<!--") {
                let end = html[i + 4..].find("-->").ok_or("unclosed comment")?;
                tags.push(Tag {
                    name: "!--".into(),
                    attrs: vec![],
                    script_body: None,
                    self_closing: false,
                });
                i += 4 + end + 3;
            } else {
                let end = html[i..].find('>').ok_or("unclosed <!")?;
                tags.push(Tag {
                    name: html[i + 1..i + end]
                        .split_whitespace()
                        .next()
                        .unwrap_or("!")
                        .to_lowercase(),
                    attrs: vec![],
                    script_body: None,
                    self_closing: false,
                });
                i += end + 1;
            }
            continue;
        }
        if !(next.is_ascii_alphabetic() || next == b'/') {
            i += 1;
            continue;
        }
        // Tag name.
        let mut j = i + 1;
        while j < b.len()
            && !b[j].is_ascii_whitespace()
            && b[j] != b'>'
            && !(b[j] == b'/' && j > i + 1)
        {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let self_closing;
        // Attributes.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() {
                return Err(format!("unclosed tag <{name}"));
            }
            if b[j] == b'>' {
                self_closing = b[j - 1] == b'/';
                j += 1;
                break;
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let an = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let end = html[j + 1..]
                        .find(q as char)
                        .ok_or(format!("unclosed attribute in <{name}"))?;
                    value = decode_entities(&html[j + 1..j + 1 + end]);
                    j += end + 2;
                } else {
                    let s = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode_entities(&html[s..j]);
                }
            }
            attrs.push((an, value));
        }
        let mut script_body = None;
        if name == "script" || name == "style" {
            let end = html[j..]
                .to_ascii_lowercase()
                .find(&format!("</{name}"))
                .ok_or(format!("unclosed <{name}>"))?;
            script_body = Some(html[j..j + end].to_string());
            j += end;
        }
        tags.push(Tag {
            name,
            attrs,
            script_body,
            self_closing,
        });
        i = j;
    }
    Ok(tags)
}

/// Whether a URL attribute would run script.
fn dangerous_url(v: &str) -> bool {
    let v: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:")
}

const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "srcdoc",
    "background",
];
/// Tags the Markdown renderer may produce beyond those of a clean build.
const MARKDOWN_TAGS: &[&str] = &[
    "p",
    "a",
    "strong",
    "em",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "del",
    "br",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

/// Problems in one HTML (or SVG) text: tags or attributes a clean build
/// does not have, event handlers, script URLs, inline scripts.
fn html_problems(
    text: &str,
    allowed_tags: &BTreeSet<String>,
    allowed_attrs: &BTreeSet<String>,
) -> Vec<String> {
    let mut p = Vec::new();
    let tags = match html_tags(text) {
        Ok(t) => t,
        Err(e) => return vec![e],
    };
    for t in &tags {
        let base = t.name.trim_start_matches('/');
        if !allowed_tags.contains(base) && !MARKDOWN_TAGS.contains(&base) {
            p.push(format!("unexpected tag <{}> {:?}", t.name, t.attrs));
        }
        for (a, v) in &t.attrs {
            if a.starts_with("on") {
                p.push(format!("event handler {a}={v:?} on <{}>", t.name));
            }
            // Redirect pages (aliases): <meta http-equiv="refresh" content="0; url=…">.
            let refresh = base == "meta" && (a == "http-equiv" && v == "refresh" || a == "content");
            if refresh
                && a == "content"
                && v.to_ascii_lowercase()
                    .split("url=")
                    .nth(1)
                    .is_some_and(dangerous_url)
            {
                p.push(format!("script URL in refresh {v:?}"));
            }
            let link_title = base == "a" && a == "title";
            if !allowed_attrs.contains(a) && !link_title && !refresh {
                p.push(format!("unexpected attribute {a}={v:?} on <{}>", t.name));
            }
            if URL_ATTRS.contains(&a.as_str()) && dangerous_url(v) {
                p.push(format!("script URL {a}={v:?} on <{}>", t.name));
            }
        }
        if t.name == "script" {
            let body = t.script_body.as_deref().unwrap_or("");
            if !body.trim().is_empty() || !t.attrs.iter().any(|(a, _)| a == "src") {
                p.push(format!("inline script: {body:?}"));
            }
        }
    }
    let lower = text.to_ascii_lowercase();
    for raw in [
        "<script>alert",
        "<img src=x",
        "<svg onload",
        "<a href=\"javascript",
    ] {
        if lower.contains(raw) {
            p.push(format!("raw payload {raw:?}"));
        }
    }
    p
}

/// Tag and attribute names of every HTML and SVG file of a clean build.
fn vocabulary(out: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut tags = BTreeSet::new();
    let mut attrs = BTreeSet::new();
    for f in files(out) {
        if f.ends_with(".html") || f.ends_with(".svg") {
            for t in html_tags(&std::fs::read_to_string(out.join(&f)).unwrap()).unwrap() {
                tags.insert(t.name.trim_start_matches('/').to_string());
                attrs.extend(t.attrs.into_iter().map(|(a, _)| a));
            }
        }
    }
    (tags, attrs)
}

/// Checks every output file by type; returns the problems found.
fn scan_output(out: &Path, clean: &(BTreeSet<String>, BTreeSet<String>)) -> Vec<String> {
    let mut problems = Vec::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for f in files(out) {
        let bytes = std::fs::read(out.join(&f)).unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let ext = f.rsplit('.').next().unwrap_or("");
        *kinds
            .entry(if f.starts_with("assets/") {
                "asset".to_string()
            } else {
                ext.to_string()
            })
            .or_default() += 1;
        let mut report = |what: String| problems.push(format!("{f}: {what}"));
        match ext {
            "html" => {
                for p in html_problems(&text, &clean.0, &clean.1) {
                    report(p);
                }
            }
            "svg" | "xml" => match roxmltree::Document::parse(&text) {
                Ok(doc) => {
                    for n in doc.descendants().filter(|n| n.is_element()) {
                        let tag = n.tag_name().name().to_ascii_lowercase();
                        if !clean.0.contains(&tag) && ext == "svg" {
                            report(format!("unexpected element <{tag}>"));
                        }
                        for a in n.attributes() {
                            let an = a.name().to_ascii_lowercase();
                            if an.starts_with("on") {
                                report(format!("event handler {an} on <{tag}>"));
                            }
                            if URL_ATTRS.contains(&an.as_str()) && dangerous_url(a.value()) {
                                report(format!("script URL {an}={:?}", a.value()));
                            }
                        }
                        if ext == "xml"
                            && ![
                                "feed", "title", "id", "link", "updated", "author", "name",
                                "entry", "summary", "urlset", "url", "loc",
                            ]
                            .contains(&tag.as_str())
                        {
                            report(format!("unexpected element <{tag}>"));
                        }
                    }
                }
                Err(e) => report(format!("not well-formed: {e}")),
            },
            "json" => {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                    report(format!("not JSON: {e}"));
                }
            }
            "js" if !f.starts_with("assets/") => {
                let lower = text.to_ascii_lowercase();
                for bad in ["</script", "<!--", "<script"] {
                    if lower.contains(bad) {
                        report(format!("contains {bad:?}"));
                    }
                }
                if text.contains('\u{2028}') || text.contains('\u{2029}') {
                    report("raw U+2028/U+2029".into());
                }
                // mierukaSearch.f("version",…); the arguments are JSON.
                let args = text
                    .find('(')
                    .zip(text.rfind(')'))
                    .map(|(a, b)| format!("[{}]", &text[a + 1..b]));
                if args.is_none_or(|j| serde_json::from_str::<serde_json::Value>(&j).is_err()) {
                    report("arguments are not JSON".into());
                }
            }
            "csv" => {
                let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                let mut r = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(body);
                for (row, rec) in r.records().enumerate() {
                    match rec {
                        Ok(rec) => {
                            for cell in rec.iter() {
                                if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                                    report(format!("formula cell in row {}: {cell:?}", row + 1));
                                }
                            }
                        }
                        Err(e) => report(format!("not CSV: {e}")),
                    }
                }
            }
            _ => {}
        }
    }
    for k in ["html", "json", "csv", "js", "xml"] {
        if !kinds.contains_key(k) {
            problems.push(format!("no .{k} file was checked: {kinds:?}"));
        }
    }
    problems
}

#[test]
fn payloads_in_every_string_field_survive_in_no_output_file() {
    // The vocabulary of a clean build of a similar site.
    let clean = tempfile::tempdir().unwrap();
    copy_dir(&hostile().join("base"), clean.path());
    let o = run_bounded(
        clean.path(),
        &[
            "build",
            "--quiet",
            "--content",
            "content",
            "--out",
            "public",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.describe());
    let vocab = vocabulary(&clean.path().join("public"));
    assert!(
        vocab.0.contains("a") && vocab.0.contains("script") && vocab.0.contains("svg"),
        "{:?}",
        vocab.0
    );

    let t = xss_project();
    let o = run_bounded(
        t.path(),
        &[
            "build",
            "--quiet",
            "--content",
            "content",
            "--out",
            "public",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.describe());
    let out = t.path().join("public");
    let problems = scan_output(&out, &vocab);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );

    // The payloads are shown, as text, not dropped: the page shows them
    // literally (no template evaluation of `{{ 7*7 }}`), and the data
    // files carry them exactly.
    let page = std::fs::read_to_string(out.join("programmes/a-01/index.html")).unwrap();
    let visible = decode_entities(&page);
    assert!(
        visible.contains("{{ 7*7 }}") && visible.contains("<script>alert(1)</script>"),
        "payload not shown as text"
    );
    assert!(
        !page.contains(">x</a>") && !page.contains(">y</a>"),
        "a script link survived"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/programmes.json")).unwrap()).unwrap();
    let names: Vec<&str> = json["programmes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("</script><script>alert(1)</script>") && n.contains('\u{2028}')),
        "{names:?}"
    );
    let csv = std::fs::read_to_string(out.join("data/programmes.utf8.csv")).unwrap();
    assert!(
        csv.contains("'=cmd|") || csv.contains("'+1+cmd") || csv.contains("'@SUM"),
        "formula cells are kept, neutralised"
    );
    // The source's javascript: URL is dropped.
    assert!(
        !page
            .to_ascii_lowercase()
            .contains("javascript:alert(1)//https"),
        "source url kept"
    );
}

#[test]
fn config_strings_that_would_break_out_are_refused() {
    // as_of is written into feed.xml unquoted: it must be a date.
    let dir = setup_case("ok-crlf");
    let site = dir.path().join("content/_site.yaml");
    let s = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        s.replace(
            "as_of: \"2024-04-01\"",
            "as_of: \"</updated><script>alert(1)</script>\"",
        ),
    )
    .unwrap();
    let o = run_bounded(dir.path(), &["check", "--content", "content"]);
    assert_eq!(o.code, Some(1), "{}", o.describe());
    assert!(
        o.stderr
            .contains("error[E015]: as_of `</updated><script>alert(1)</script>` is not a date"),
        "{}",
        o.stderr
    );
}

// ---------------------------------------------------------------------------
// Text that cannot break a page (issue 17)

/// Elements without an end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The charts of a page: each `<svg>…</svg>` written into it.
fn inline_svgs(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("<svg").filter_map(move |(i, _)| {
        let end = html[i..].find("</svg>")? + "</svg>".len();
        Some(&html[i..i + end])
    })
}

/// Why an output file is not what its type requires, if it is not: XML and
/// SVG well-formed (roxmltree), JSON valid, the search index's script an
/// array of JSON arguments, CSV readable, HTML tokenised with every element
/// closed in order; and no text file holding a control character other than
/// tab and line ends, or a noncharacter.
fn format_problems(path: &str, bytes: &[u8]) -> Vec<String> {
    let mut p = Vec::new();
    let Ok(text) = std::str::from_utf8(bytes) else {
        return vec![format!("{path}: not UTF-8")];
    };
    if let Some(c) = text.chars().find(|&c| {
        let u = c as u32;
        (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
            || (0x7F..=0x9F).contains(&u)
            || (0xFDD0..=0xFDEF).contains(&u)
            || u & 0xFFFE == 0xFFFE
    }) {
        p.push(format!("{path}: holds U+{:04X}", c as u32));
    }
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "xml" | "svg" => {
            if let Err(e) = roxmltree::Document::parse(text) {
                p.push(format!("{path}: not well-formed XML: {e}"));
            }
        }
        "json" => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                p.push(format!("{path}: not JSON: {e}"));
            }
        }
        "js" => {
            let args = text
                .find('(')
                .zip(text.rfind(')'))
                .map(|(a, b)| format!("[{}]", &text[a + 1..b]));
            if args.is_none_or(|j| serde_json::from_str::<serde_json::Value>(&j).is_err()) {
                p.push(format!("{path}: arguments are not JSON"));
            }
            if text.to_ascii_lowercase().contains("</script") {
                p.push(format!("{path}: holds </script"));
            }
        }
        "csv" => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            for rec in csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(body)
                .records()
            {
                if let Err(e) = rec {
                    p.push(format!("{path}: not CSV: {e}"));
                }
            }
        }
        "html" => match html_tags(text) {
            Err(e) => p.push(format!("{path}: {e}")),
            Ok(_) if !inline_svgs(text).all(|svg| roxmltree::Document::parse(svg).is_ok()) => {
                p.push(format!(
                    "{path}: a chart (inline <svg>) is not well-formed XML"
                ));
            }
            Ok(tags) => {
                let mut open: Vec<String> = Vec::new();
                for t in tags {
                    if t.name.starts_with('!') || t.self_closing {
                        continue;
                    }
                    if let Some(end) = t.name.strip_prefix('/') {
                        match open.pop() {
                            Some(o) if o == end => {}
                            o => {
                                p.push(format!(
                                    "{path}: </{end}> closes <{}>",
                                    o.unwrap_or_default()
                                ));
                                break;
                            }
                        }
                    } else if !VOID_ELEMENTS.contains(&t.name.as_str()) {
                        open.push(t.name);
                    }
                }
                if !open.is_empty() {
                    p.push(format!("{path}: unclosed {open:?}"));
                }
            }
        },
        _ => {}
    }
    p
}

/// Every occurrence of one of `names` in the text of `html` that is not
/// isolated: inside a `<bdi>` (the element that keeps a bidi override in a
/// name from reordering the text around it), or, in text built around the
/// name (a caption), between U+2068 and U+2069 (the same isolation as
/// characters). Attribute values, `<title>` and `<textarea>` hold plain
/// text (no element can isolate there); inline `<svg>` charts lay out each
/// `<text>` on its own: all are left out.
fn names_outside_bdi(html: &str, names: &[String]) -> Vec<String> {
    // The page's text, character by character, with the bdi depth.
    let mut stream: Vec<(char, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        for c in decode_entities(&rest[..i]).chars() {
            stream.push((c, depth));
        }
        let tag = &rest[i..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &tag[end..];
        match name.as_str() {
            "bdi" => depth += 1,
            "/bdi" => depth = depth.saturating_sub(1),
            "title" | "textarea" | "svg" => {
                let close = format!("</{name}");
                let at = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
                rest = &rest[at..];
            }
            _ => stream.push(('\u{1}', depth)),
        }
    }
    for c in decode_entities(rest).chars() {
        stream.push((c, depth));
    }
    let text: Vec<char> = stream.iter().map(|(c, _)| *c).collect();
    let mut out = Vec::new();
    for n in names {
        let n: Vec<char> = n.chars().collect();
        if n.is_empty() {
            continue;
        }
        for i in 0..text.len().saturating_sub(n.len() - 1) {
            let isolated =
                i > 0 && text[i - 1] == '\u{2068}' && text.get(i + n.len()) == Some(&'\u{2069}');
            if text[i..i + n.len()] == n[..]
                && !isolated
                && stream[i..i + n.len()].iter().any(|(_, d)| *d == 0)
            {
                let name: String = n.iter().collect();
                out.push(format!("{name:?} at character {i}"));
            }
        }
    }
    out
}

/// A YAML double-quoted scalar holding exactly `s`: every character YAML
/// would not keep as written (line breaks, controls, U+FEFF, characters the
/// reader refuses) escaped — except refused characters when `raw`, which
/// go in as they are (the YAML reader then refuses them).
fn yaml_quoted(s: &str, raw: bool) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        let u = c as u32;
        let printable = matches!(u, 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
            && !matches!(u, 0x2028 | 0x2029 | 0xFEFF);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ if raw && (u < 0x20 && c != '\n' && c != '\r' || (0x7F..=0x9F).contains(&u)) => {
                out.push(c)
            }
            _ if printable => out.push(c),
            _ if u <= 0xFFFF => out.push_str(&format!("\\u{u:04X}")),
            _ => out.push_str(&format!("\\U{u:08X}")),
        }
    }
    out.push('"');
    out
}

/// The texts a case plants, each in its own field.
#[derive(Debug, Clone)]
struct Planted {
    name: String,
    summary: String,
    part: String,
    note: String,
    municipality: String,
    title: String,
}

impl Planted {
    fn all(&self) -> [&str; 6] {
        [
            &self.name,
            &self.summary,
            &self.part,
            &self.note,
            &self.municipality,
            &self.title,
        ]
    }
}

/// A project: the hostile base site with `t` planted (written as YAML
/// escapes, or with refused characters raw when `raw`).
fn planted_project(t: &Planted, raw: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&hostile().join("base"), dir.path());
    let c = dir.path().join("content");
    let q = |s: &str| yaml_quoted(s, raw);
    let site = std::fs::read_to_string(c.join("_site.yaml")).unwrap();
    let (head, rest) = site.split_once("\ntitle: ").unwrap();
    let rest = rest.split_once('\n').unwrap().1;
    std::fs::write(
        c.join("_site.yaml"),
        format!("{head}\ntitle: {}\n{rest}", q(&t.title)),
    )
    .unwrap();
    let reg = std::fs::read_to_string(c.join("_municipalities.yaml")).unwrap();
    std::fs::write(
        c.join("_municipalities.yaml"),
        reg.replacen("name: 新宿区", &format!("name: {}", q(&t.municipality)), 1),
    )
    .unwrap();
    let p = c.join("programmes/2024/a-01.yaml");
    let prog = std::fs::read_to_string(&p).unwrap();
    let prog = prog
        .replace("municipality: 新宿区", "municipality: shinjuku-ku")
        .replace("name: 事業01", &format!("name: {}", q(&t.name)))
        .replace(
            "summary: 事業の説明。",
            &format!("summary: {}", q(&t.summary)),
        );
    std::fs::write(
        &p,
        format!("{prog}part: {}\nnotes: [{}]\n", q(&t.part), q(&t.note)),
    )
    .unwrap();
    dir
}

/// Text made to break outputs: markup, CDATA ends, quotes, template syntax,
/// bidi and invisible characters, line separators, YAML indicators.
const NASTY: &[&str] = &[
    "<",
    ">",
    "&",
    "]]>",
    "\"",
    "'",
    "`",
    "\\",
    "</script>",
    "<script>alert(1)</script>",
    "</title>",
    "</bdi>",
    "<!--",
    "-->",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "&amp;",
    "&#0;",
    "=cmd|",
    "+",
    "-",
    "@",
    "#",
    ": ",
    "- ",
    "---",
    "*a",
    "&a",
    "!!str",
    "|",
    "\t",
    "\n",
    "\n\n",
    "\u{202E}",
    "\u{202D}",
    "\u{202B}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200E}",
    "\u{200F}",
    "\u{061C}",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{00AD}",
    "\u{FE0F}",
    "\u{E0100}",
    "\u{E0041}",
    "\u{2028}",
    "\u{2029}",
    "\u{00A0}",
    "\u{3000}",
    "\u{FF1A}",
    "\u{0301}",
    "👨\u{200D}👩\u{200D}👧",
    "葛\u{E0100}",
    "مرحبا",
    "שלום",
    "ｶﾀｶﾅ",
    "𠮷",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "**",
    "_",
];
/// Characters `check` refuses (E016).
const REFUSED: &[char] = &[
    '\0',
    '\u{7}',
    '\u{8}',
    '\u{b}',
    '\u{c}',
    '\r',
    '\u{1b}',
    '\u{1f}',
    '\u{7f}',
    '\u{80}',
    '\u{85}',
    '\u{9b}',
    '\u{9f}',
    '\u{FDD0}',
    '\u{FFFE}',
    '\u{FFFF}',
    '\u{10FFFF}',
];

mod text_formats {
    use super::*;
    use proptest::prelude::*;

    fn text(refused: bool) -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => any::<char>().prop_map(String::from),
            3 => "[a-zA-Z0-9あ-ん事業区 ]{1,4}",
            4 => prop::sample::select(NASTY).prop_map(str::to_string),
            if refused { 2 } else { 0 } => prop::sample::select(REFUSED).prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..8).prop_map(move |v| {
            let s: String = v.concat();
            if refused {
                s
            } else {
                // Only what `check` accepts.
                s.chars()
                    .filter(|&c| !mieruka::diag::chars::is_refused(c))
                    .collect()
            }
        })
    }

    fn planted() -> impl Strategy<Value = (Planted, bool, bool)> {
        // Three cases in four plant only accepted text, so that most build.
        prop_oneof![3 => Just(false), 1 => Just(true)].prop_flat_map(|refused| {
            (
                (
                    text(refused),
                    text(refused),
                    text(refused),
                    text(refused),
                    text(refused),
                    text(refused),
                ),
                Just(refused),
                any::<bool>(),
            )
                .prop_map(
                    |((name, summary, part, note, municipality, title), refused, raw)| {
                        (
                            Planted {
                                name,
                                summary,
                                part,
                                note,
                                municipality,
                                title,
                            },
                            refused,
                            raw,
                        )
                    },
                )
        })
    }

    proptest! {
        // Each case checks and renders a small site in-process (a few ms in
        // a release build).
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Any text `check` accepts gives well-formed XML (feed, sitemap,
        /// every chart), valid JSON and parseable HTML; any it refuses is
        /// refused with positioned errors (E016 for a refused character)
        /// and nothing is written.
        #[test]
        fn accepted_text_yields_valid_outputs_and_refused_text_writes_nothing(
            (t, refused, raw) in planted()
        ) {
            let dir = planted_project(&t, raw);
            let content = dir.path().join("content");
            let has_refused = t.all().iter().any(|s| s.chars().any(mieruka::diag::chars::is_refused));
            prop_assert!(refused || !has_refused);
            match mieruka::check(&content) {
                mieruka::Checked::Valid(site, _) => {
                    prop_assert!(!has_refused, "a refused character was accepted: {:?}", t);
                    let opts = mieruka::BuildOptions::new(&content, dir.path().join("public"));
                    let files = mieruka::render_site(&site, &opts).unwrap();
                    let mut kinds = BTreeSet::new();
                    let mut problems = Vec::new();
                    for f in &files {
                        kinds.insert(f.path.rsplit('.').next().unwrap_or("").to_string());
                        if inline_svgs(std::str::from_utf8(&f.bytes).unwrap_or("")).next().is_some() {
                            kinds.insert("svg".into());
                        }
                        problems.extend(format_problems(&f.path, &f.bytes));
                    }
                    prop_assert!(problems.is_empty(), "{:?}\n{}", t, problems.join("\n"));
                    for k in ["html", "svg", "xml", "json", "csv", "js"] {
                        prop_assert!(kinds.contains(k), "no .{} file: {:?}", k, kinds);
                    }
                    prop_assert!(files.iter().any(|f| f.path == "feed.xml"));
                    prop_assert!(files.iter().any(|f| f.path == "sitemap.xml"));
                    // The name reaches the data exactly as written.
                    let json = files.iter().find(|f| f.path == "data/programmes.json").unwrap();
                    let v: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
                    let a01 = v["programmes"].as_array().unwrap().iter().find(|p| p["id"] == "a-01").unwrap();
                    prop_assert_eq!(a01["name"].as_str(), Some(t.name.as_str()));
                }
                mieruka::Checked::Invalid(diags) => {
                    let all = diags.sorted();
                    let errors: Vec<_> = all.iter().filter(|d| d.severity == mieruka::diag::Severity::Error).collect();
                    prop_assert!(!errors.is_empty());
                    for d in &errors {
                        prop_assert!(d.line >= 1 && d.column >= 1 && d.file.contains("content/"), "{}", d.headline());
                    }
                    if has_refused {
                        prop_assert!(errors.iter().any(|d| d.code == mieruka::diag::Code::E016), "{:?}\n{:?}", t, errors);
                    } else {
                        // Accepted characters, refused for another reason:
                        // an empty name (E008) or a registry name that is
                        // another's (E006).
                        for d in &errors {
                            prop_assert!([mieruka::diag::Code::E006, mieruka::diag::Code::E008].contains(&d.code), "{:?}\n{}", t, d.headline());
                        }
                    }
                    let out = dir.path().join("public");
                    let built = mieruka::build(&mieruka::BuildOptions::new(&content, &out));
                    prop_assert!(built.is_err());
                    prop_assert!(!out.exists(), "a refused site was written");
                }
            }
        }
    }
}

#[test]
fn the_text_site_builds_into_valid_files_with_every_name_isolated() {
    let content = repo().join("tests/fixtures/text-site/content");
    let (site, warnings) = match mieruka::check(&content) {
        mieruka::Checked::Valid(s, w) => (s, w.sorted()),
        mieruka::Checked::Invalid(d) => panic!(
            "{}",
            d.sorted()
                .iter()
                .map(|d| d.render_human())
                .collect::<String>()
        ),
    };
    // Accepted with warnings, each a W106 (and no others).
    assert!(warnings.len() >= 15, "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.code == mieruka::diag::Code::W106),
        "{warnings:?}"
    );
    let out = tempfile::tempdir().unwrap();
    let opts = mieruka::BuildOptions::new(&content, out.path().join("public"));
    let files = mieruka::render_site(&site, &opts).unwrap();
    let problems: Vec<String> = files
        .iter()
        .flat_map(|f| format_problems(&f.path, &f.bytes))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every name, title, part and implementer, wherever a page shows it
    // in its text, sits in a <bdi>.
    let mut names: Vec<String> = Vec::new();
    for p in &site.programmes {
        names.push(p.name.clone());
        names.extend(p.part.clone());
        names.extend(p.implementer.clone());
    }
    for d in &site.dims {
        names.extend(d.entries.iter().map(|e| e.name.clone()));
    }
    for s in &site.sources {
        names.extend([s.title.clone(), s.publisher.clone()]);
        names.extend(s.short_title.clone());
    }
    names.push(site.config.publisher.clone());
    // Only the hostile ones (a plain 一般事業 also appears in sentences).
    names.retain(|n| {
        n.chars()
            .any(|c| mieruka::diag::chars::invisible(c).is_some())
            || n.contains('<')
    });
    assert!(names.len() >= 10, "{names:?}");
    let mut pages = 0;
    let mut outside = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        pages += 1;
        let html = std::str::from_utf8(&f.bytes).unwrap();
        for o in names_outside_bdi(html, &names) {
            outside.push(format!("{}: {o}", f.path));
        }
    }
    assert!(pages >= 20, "{pages} pages");
    assert!(outside.is_empty(), "{}", outside.join("\n"));
    // The checker itself sees a name outside <bdi>.
    assert_eq!(
        names_outside_bdi(
            "<p>a <b>x\u{202E}y</b> <bdi>x\u{202E}y</bdi> \u{2068}x\u{202E}y\u{2069}</p>",
            &["x\u{202E}y".into()]
        )
        .len(),
        1
    );
}

/// Opens every page of the XSS site in headless Chromium (when node,
/// playwright-core and Chromium are installed) and fails on any dialog.
#[test]
fn no_dialog_opens_in_a_real_browser() {
    let node_modules = repo().join("tests/standards/node_modules");
    let chromium = Path::new("/usr/bin/chromium");
    let has_node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_modules.join("playwright-core").is_dir() || !chromium.exists() || !has_node {
        eprintln!("skipped: needs node, tests/standards/node_modules/playwright-core and /usr/bin/chromium");
        return;
    }
    let t = xss_project();
    let o = run_bounded(
        t.path(),
        &[
            "build",
            "--quiet",
            "--content",
            "content",
            "--out",
            "public",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.describe());
    let out = t.path().join("public");
    let pages: Vec<String> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".svg") || f.ends_with(".xml"))
        .collect();
    let script = r#"
const { chromium } = require('playwright-core');
const path = require('path');
(async () => {
  const [root, ...pages] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const dialogs = [];
  for (const p of pages) {
    // A fresh tab per file: a redirect page's meta refresh must not
    // interrupt the next file's navigation.
    const page = await browser.newPage();
    page.on('dialog', async d => { dialogs.push(page.url() + ': ' + d.type() + ' ' + d.message()); await d.dismiss(); });
    await page.goto('file://' + path.join(root, p), { waitUntil: 'load' });
    // Run the search page's script against the planted index.
    if (p === 'search/index.html') {
      for (const q of ['alert', '<script>', 'javascript', '7*7']) {
        await page.goto('file://' + path.join(root, p) + '?q=' + encodeURIComponent(q), { waitUntil: 'load' });
        await page.waitForTimeout(300);
      }
    }
    await page.waitForTimeout(50);
    await page.close();
  }
  await browser.close();
  console.log(JSON.stringify(dialogs));
})().catch(e => { console.error(e); process.exit(2); });
"#;
    let js = t.path().join("dialogs.cjs");
    std::fs::write(&js, script).unwrap();
    let mut cmd = Command::new("node");
    cmd.arg(&js)
        .arg(&out)
        .args(&pages)
        .env("NODE_PATH", &node_modules);
    let o = spawn(cmd, u64::MAX).wait(Duration::from_secs(300));
    assert_eq!(o.code, Some(0), "{}", o.describe());
    assert_eq!(o.stdout.trim(), "[]", "dialogs opened: {}", o.stdout);
}

// ---------------------------------------------------------------------------
// Interrupted builds

/// The Tokyo content, copied `copies` times under new ids (declared totals
/// scaled), in a project folder.
fn large_project(copies: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("content");
    let c = dir.path().join("content");
    std::fs::create_dir_all(c.join("programmes/2024")).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), c.join(e.file_name())).unwrap();
        }
    }
    let progs: Vec<(String, String)> = files(&src.join("programmes"))
        .into_iter()
        .map(|f| {
            let id = f
                .rsplit('/')
                .next()
                .unwrap()
                .trim_end_matches(".yaml")
                .to_string();
            (
                id,
                std::fs::read_to_string(src.join("programmes").join(&f)).unwrap(),
            )
        })
        .collect();
    for k in 0..copies {
        let d = c.join(format!("programmes/2024/c{k:04}"));
        std::fs::create_dir_all(&d).unwrap();
        for (id, text) in &progs {
            let mut t = text.clone();
            for (other, _) in &progs {
                t = t.replace(other.as_str(), &format!("{other}-c{k}"));
            }
            std::fs::write(d.join(format!("{id}-c{k}.yaml")), t).unwrap();
        }
    }
    // Scale the declared totals.
    let sources = std::fs::read_to_string(c.join("_sources.yaml")).unwrap();
    let mut in_totals = false;
    let scaled: String = sources
        .lines()
        .map(|l| {
            if l.trim_start() == "declared_totals:" {
                in_totals = true;
            } else if !l.starts_with("    ") {
                in_totals = false;
            } else if in_totals {
                if let Some((k, v)) = l.split_once(": ") {
                    if let Ok(n) = v.trim().parse::<u64>() {
                        return format!("{k}: {}\n", n * copies as u64);
                    }
                }
            }
            format!("{l}\n")
        })
        .collect();
    std::fs::write(c.join("_sources.yaml"), scaled).unwrap();
    dir
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

#[test]
fn a_build_killed_mid_way_loses_nothing() {
    // ~20,000 programmes (33 × 607): the build takes long enough to be
    // killed while it writes (MIERUKA_KILL_TEST_COPIES makes it smaller).
    let copies: usize = std::env::var("MIERUKA_KILL_TEST_COPIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(607);
    let t = large_project(copies);
    let d = t.path();
    let args = [
        "build",
        "--quiet",
        "--content",
        "content",
        "--out",
        "public",
    ];
    let first = spawn(mieruka(d, &args, "2"), u64::MAX).wait(Duration::from_secs(900));
    assert_eq!(first.code, Some(0), "{}", first.describe());
    let before = snapshot(&d.join("public"));
    assert!(before.len() > copies * 33, "{} files", before.len());

    // Kill the second build once it has started writing its temporary folder.
    let second = spawn(mieruka(d, &args, "2"), u64::MAX);
    let tmp = d.join(format!(".public.tmp-{}", second.pid));
    let killed_while_writing = loop {
        if let Some((status, _)) = second.try_finish() {
            panic!("the build finished (status {status}) before it could be killed");
        }
        // More than the staging mark: pages are being written.
        if tmp.is_dir() && std::fs::read_dir(&tmp).map(|r| r.count()).unwrap_or(0) > 1 {
            std::thread::sleep(Duration::from_millis(200));
            second.kill();
            break true;
        }
        assert!(
            second.start.elapsed() < Duration::from_secs(900),
            "no temporary folder appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let o = second.wait(Duration::from_secs(60));
    assert!(killed_while_writing);
    assert_eq!(o.signal, Some(libc::SIGKILL), "{}", o.describe());
    assert!(
        tmp.is_dir(),
        "the killed build's temporary folder is left ({:?})",
        leftovers(d)
    );
    assert!(
        before == snapshot(&d.join("public")),
        "the previous site changed after a killed build"
    );

    // The next build removes the dead build's folder and swaps in cleanly,
    // leaving only the previous site under its stale name.
    let third = spawn(mieruka(d, &args, "2"), u64::MAX);
    let stale = format!(".public.stale-{}", third.pid);
    let third = third.wait(Duration::from_secs(900));
    assert_eq!(third.code, Some(0), "{}", third.describe());
    assert_eq!(leftovers(d), [stale]);
    assert!(
        before == snapshot(&d.join("public")),
        "the rebuilt site differs"
    );
    eprintln!(
        "{} programmes, {} files: build {:.1} s, peak RSS {} MB",
        copies * 33,
        before.len(),
        first.elapsed.as_secs_f64(),
        first.max_rss_kb / 1024
    );
}

// ---------------------------------------------------------------------------
// Determinism

/// Copies `from` into `to` creating files in the given order.
fn copy_in_order(from: &Path, to: &Path, order: impl Fn(&mut Vec<String>)) {
    let mut fs = files(from);
    order(&mut fs);
    for f in fs {
        let target = to.join(&f);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&f), target).unwrap();
    }
}

#[test]
fn builds_are_byte_identical_whatever_the_threads_or_file_order() {
    let mut builds: Vec<(String, BTreeMap<String, u64>)> = Vec::new();
    type Order = (&'static str, fn(&mut Vec<String>));
    let orders: [Order; 3] = [
        ("sorted", |_| {}),
        ("reversed", |v| v.reverse()),
        ("interleaved", |v| {
            let (a, b): (Vec<_>, Vec<_>) = v.drain(..).enumerate().partition(|(i, _)| i % 2 == 0);
            v.extend(
                b.into_iter()
                    .map(|x| x.1)
                    .chain(a.into_iter().rev().map(|x| x.1)),
            );
        }),
    ];
    for (order_name, order) in orders {
        for threads in ["1", "2", "4"] {
            if order_name != "sorted" && threads == "2" {
                continue;
            }
            let dir = tempfile::tempdir().unwrap();
            copy_in_order(&repo().join("content"), &dir.path().join("content"), order);
            copy_dir(&repo().join("themes"), &dir.path().join("themes"));
            copy_dir(&repo().join("static"), &dir.path().join("static"));
            let o = spawn(
                mieruka(
                    dir.path(),
                    &[
                        "build",
                        "--quiet",
                        "--content",
                        "content",
                        "--out",
                        "public",
                    ],
                    threads,
                ),
                u64::MAX,
            )
            .wait(Duration::from_secs(300));
            assert_eq!(o.code, Some(0), "{}", o.describe());
            builds.push((
                format!("{order_name} order, RAYON_NUM_THREADS={threads}"),
                snapshot(&dir.path().join("public")),
            ));
        }
    }
    let (first_name, first) = &builds[0];
    assert!(first.len() > 50);
    for (name, b) in &builds[1..] {
        let differ: Vec<&String> = first
            .iter()
            .filter(|(f, h)| b.get(*f) != Some(h))
            .map(|(f, _)| f)
            .collect();
        let extra: Vec<&String> = b.keys().filter(|f| !first.contains_key(*f)).collect();
        assert!(
            differ.is_empty() && extra.is_empty(),
            "{name} differs from {first_name}: {differ:?} {extra:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Round trips of number and date parsing (proptest)

mod round_trips {
    use mieruka::import::cell::{figure, Figure};
    use mieruka::import::convert::group;
    use mieruka::import::era::{days_in_month, parse_date, Ymd};
    use mieruka::model::Date;
    use proptest::prelude::*;

    fn fullwidth(s: &str) -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap()
                } else if c == ',' {
                    '，'
                } else {
                    c
                }
            })
            .collect()
    }

    fn date_in(from: (i32, u32, u32), to: (i32, u32, u32)) -> impl Strategy<Value = Ymd> {
        (from.0..=to.0, 1u32..=12, 1u32..=31).prop_filter_map(
            "a real date in range",
            move |(y, m, d)| {
                let ymd = Ymd {
                    year: y,
                    month: m,
                    day: d,
                };
                let lo = Ymd {
                    year: from.0,
                    month: from.1,
                    day: from.2,
                };
                let hi = Ymd {
                    year: to.0,
                    month: to.1,
                    day: to.2,
                };
                (d <= days_in_month(y, m) && ymd >= lo && ymd <= hi).then_some(ymd)
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn figures_read_back(n: u64) {
            prop_assert_eq!(figure(&n.to_string()), Ok(Figure::Value(n)));
            prop_assert_eq!(figure(&group(n)), Ok(Figure::Value(n)));
            prop_assert_eq!(figure(&fullwidth(&group(n))), Ok(Figure::Value(n)));
            prop_assert_eq!(figure(&format!(" {} ", group(n))), Ok(Figure::Value(n)));
        }

        #[test]
        fn figures_beyond_u64_or_negative_are_refused(n in (u128::from(u64::MAX) + 1)..=u128::MAX, m in 1u64..) {
            let e = figure(&n.to_string()).unwrap_err();
            prop_assert!(e.contains("too large"), "{}", e);
            let e = figure(&format!("-{m}")).unwrap_err();
            prop_assert!(e.contains("negative"), "{}", e);
            let e = figure(&format!("△{}", group(m))).unwrap_err();
            prop_assert!(e.contains("negative"), "{}", e);
        }

        #[test]
        fn yaml_amounts_read_back(n: u64) {
            let v = mieruka::yaml::parse(&format!("cost: {n}\n")).unwrap();
            prop_assert_eq!(v.get("cost").and_then(|x| x.as_u64()), Some(n));
        }

        #[test]
        fn yaml_numbers_beyond_u64_are_refused(n in (u128::from(u64::MAX) + 1)..=u128::MAX) {
            let v = mieruka::yaml::parse(&format!("cost: {n}\n"));
            prop_assert!(v.as_ref().map_or(true, |v| v.get("cost").and_then(|x| x.as_u64()).is_none()), "{:?}", v);
        }

        #[test]
        fn iso_dates_read_back(d in date_in((1000, 1, 1), (9999, 12, 31))) {
            let iso = d.iso();
            let parsed = Date::parse_iso(&iso).unwrap();
            prop_assert_eq!((parsed.year, parsed.month, parsed.day), (d.year, d.month, d.day));
            prop_assert_eq!(parsed.iso(), iso.clone());
            prop_assert_eq!(parse_date(&iso).unwrap().date, d);
            prop_assert_eq!(parse_date(&format!("{}年{}月{}日", d.year, d.month, d.day)).unwrap().date, d);
            prop_assert_eq!(parse_date(&format!("{}/{}/{}", d.year, d.month, d.day)).unwrap().date, d);
        }

        #[test]
        fn impossible_days_are_refused(y in 1000i32..=9999, m in 1u32..=12, extra in 1u32..=10) {
            let d = days_in_month(y, m) + extra;
            let iso = format!("{y:04}-{m:02}-{:02}", d.min(99));
            let ja = format!("{y}年{m}月{d}日");
            prop_assert!(Date::parse_iso(&iso).is_none(), "{}", iso);
            prop_assert!(parse_date(&ja).is_err(), "{}", ja);
        }

        #[test]
        fn era_dates_read_back(d in date_in((1926, 12, 25), (2099, 12, 31))) {
            let (name, abbr, first) = if d >= (Ymd { year: 2019, month: 5, day: 1 }) {
                ("令和", 'R', 2019)
            } else if d >= (Ymd { year: 1989, month: 1, day: 8 }) {
                ("平成", 'H', 1989)
            } else {
                ("昭和", 'S', 1926)
            };
            let n = d.year - first + 1;
            let y = if n == 1 { "元".to_string() } else { n.to_string() };
            prop_assert_eq!(parse_date(&format!("{name}{y}年{}月{}日", d.month, d.day)).unwrap().date, d);
            prop_assert_eq!(parse_date(&format!("{abbr}{n}.{}.{}", d.month, d.day)).unwrap().date, d);
            prop_assert_eq!(parse_date(&fullwidth(&format!("{name}{n}年{}月{}日", d.month, d.day))).unwrap().date, d);
            let month_only = parse_date(&format!("{name}{y}年{}月", d.month)).unwrap();
            prop_assert!(!month_only.day_given);
        }

        #[test]
        fn any_text_is_a_date_or_an_error(s in "\\PC{0,30}") {
            if let Ok(p) = parse_date(&s) {
                prop_assert!(p.date.day >= 1 && p.date.day <= days_in_month(p.date.year, p.date.month));
            }
            let _ = figure(&s);
            let _ = Date::parse_iso(&s);
        }
    }
}
