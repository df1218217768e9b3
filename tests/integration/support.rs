//! Test helper: a content folder in a temp dir, the real binary run on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../common/mod.rs"]
mod common;
pub use common::{broken_links, copy_dir, files, links, repo, visible_text};

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

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}
