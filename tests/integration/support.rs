//! Test helper: a content folder in a temp dir, the real binary run on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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
        Command::new(env!("CARGO_BIN_EXE_mieruka"))
            .args(args)
            .current_dir(self.dir.path())
            .env("RAYON_NUM_THREADS", "2")
            .output()
            .unwrap()
    }
    pub fn build(&self) -> Output {
        self.run(&["build", "--quiet"])
    }
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    if !from.exists() {
        return;
    }
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
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

/// Text with tags removed and whitespace collapsed (what a reader sees).
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
