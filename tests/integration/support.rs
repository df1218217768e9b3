//! The test helpers of the one integration binary: running the real
//! binary ([`command`], [`mieruka_in`]), a project copy in a temp dir
//! ([`SiteTest`]), and readers of built sites (files, links, visible text).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A project copy in a temp dir: content/ (+ themes/ and static/ of the repo).
pub struct SiteTest {
    pub dir: tempfile::TempDir,
}

impl SiteTest {
    /// Copies the real Tokyo content.
    pub fn tokyo() -> SiteTest {
        let t = SiteTest {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_dir(&repo().join("content"), &t.content());
        copy_dir(&repo().join("themes"), &t.dir.path().join("themes"));
        copy_dir(&repo().join("static"), &t.dir.path().join("static"));
        t
    }
    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }
    pub fn programme_file(&self, id: &str) -> PathBuf {
        let year = &id[..4];
        self.content()
            .join("programmes")
            .join(year)
            .join(format!("{id}.yaml"))
    }
    /// Replaces text in a content file (asserting it was there).
    pub fn edit(&self, path: &Path, from: &str, to: &str) {
        let s = std::fs::read_to_string(path).unwrap();
        assert!(
            s.contains(from),
            "{} does not contain {from:?}",
            path.display()
        );
        std::fs::write(path, s.replacen(from, to, 1)).unwrap();
    }
    /// Runs `mieruka <args>` in the project dir.
    pub fn run(&self, args: &[&str]) -> Output {
        command(self.dir.path(), args).output().unwrap()
    }
    pub fn build(&self) -> Output {
        self.run(&["build", "--quiet"])
    }
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree (files and folders, in name order); a missing
/// `from` copies nothing.
pub fn copy_dir(from: &Path, to: &Path) {
    if !from.exists() {
        return;
    }
    for e in walkdir::WalkDir::new(from).sort_by_file_name() {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    v.sort();
    v
}

/// Text with tags removed and whitespace collapsed (what a reader sees):
/// an inline element (`bdi`, `span`, `a`, `ruby`, `rt`…) joins the text
/// around it, any other tag separates.
pub fn visible_text(html: &str) -> String {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "bdi", "bdo", "code", "em", "i", "kbd", "mark", "q", "rp", "rt", "ruby",
        "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    ];
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(t), '>') => {
                let name: String = t
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if !INLINE.contains(&name.as_str()) {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(t), c) => t.push(c),
            (None, c) => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All href/src attribute values in an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(j) = rest.find('"') {
                out.push(rest[..j].replace("&amp;", "&"));
                rest = &rest[j..];
            }
        }
    }
    out
}

/// Internal links of every page of `site` that do not resolve to a file
/// (`page -> link`); panics on an absolute link (every link is relative).
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for f in files(site).into_iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(site.join(&f)).unwrap();
        let dir = site.join(&f).parent().unwrap().to_path_buf();
        for l in links(&html) {
            if l.starts_with("http://")
                || l.starts_with("https://")
                || l.starts_with("mailto:")
                || l.starts_with('#')
            {
                continue;
            }
            // Only the 404 page, shown at any depth, links from the root of
            // the host (without a base URL).
            assert!(
                !l.starts_with('/') || f == "404.html",
                "{f}: absolute link {l}"
            );
            let path = l.split(['#', '?']).next().unwrap();
            if path.is_empty() {
                continue;
            }
            let target = match path.strip_prefix('/') {
                Some(from_root) => site.join(from_root),
                None => dir.join(path),
            };
            let ok = if path.ends_with('/') {
                target.join("index.html").is_file()
            } else {
                target.is_file()
            };
            if !ok {
                broken.push(format!("{f} -> {l}"));
            }
        }
    }
    broken
}

/// What a run of the mieruka binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == 0
    }
}

/// The one way tests run the mieruka binary: `mieruka ARGS` in `dir`, on
/// two threads (as CI has). Callers add what they need (a HOME, limits).
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mieruka"));
    c.args(args).current_dir(dir).env("RAYON_NUM_THREADS", "2");
    c
}

/// Runs `mieruka ARGS` in `dir` to its end.
pub fn mieruka_in(dir: &Path, args: &[&str]) -> Run {
    let out = command(dir, args).output().expect("run mieruka");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
