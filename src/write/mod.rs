//! Stage 5, write: put the built files on disk, atomically, with a
//! checksum manifest, into a folder the output guard has cleared.
//!
//! The site is written into a temporary sibling of the output folder
//! (`.public.tmp-<pid>`, marked as mieruka's by a `.mieruka-staging` file),
//! static files are copied in, the manifest of every file is written
//! (`manifest.rs`), and only then is it swapped into place: the old folder is
//! renamed aside, the new one renamed in, the old one removed. A build that
//! fails or is killed before the swap leaves the previous output untouched;
//! the next build removes the temporary folders of dead builds (only those
//! that carry the mark or a manifest: nothing it did not make).
//! `guard.rs` decides, before anything is written, whether the output folder
//! may be replaced at all.

pub mod guard;
pub mod manifest;

use crate::output::{is_safe_path, OutputFile};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The file that marks a temporary folder as a build's own, so that the
/// cleanup of dead builds never removes a folder mieruka did not make.
const STAGING_MARK: &str = ".mieruka-staging";

/// A site being written: files go into a temporary sibling of the output
/// folder as they come (from any thread), and [`SiteWriter::finish`] writes
/// the manifest and swaps it in. Dropped unfinished, it removes the
/// temporary folder and leaves the previous output as it was.
///
/// The output folder must have been cleared by [`guard::check`] first.
pub struct SiteWriter {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: PathBuf,
    done: bool,
    /// Folders (relative to `tmp`) made so far: a file's folder is made
    /// before the file is opened, once (a site of 100,000 programmes has
    /// 200,000 folders, and opening first to learn that one is missing
    /// cost a failed open each).
    made: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Every file written, for the manifest (a later write of a path wins).
    written: std::sync::Mutex<std::collections::HashMap<String, manifest::Entry>>,
}

impl SiteWriter {
    /// Creates the temporary folder (removing stale ones of dead builds).
    pub fn begin(out: &Path) -> Result<SiteWriter> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        clean_stale(&parent, &name);
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() && is_ours(&tmp) {
            std::fs::remove_dir_all(&tmp).ok();
        }
        std::fs::create_dir(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        std::fs::write(tmp.join(STAGING_MARK), b"")
            .with_context(|| format!("creating {}", tmp.display()))?;
        Ok(SiteWriter {
            out: out.to_path_buf(),
            parent,
            name,
            tmp,
            done: false,
            made: Default::default(),
            written: Default::default(),
        })
    }

    fn record(&self, path: &str, entry: manifest::Entry) {
        if let Ok(mut w) = self.written.lock() {
            w.insert(path.to_string(), entry);
        }
    }

    /// Writes one file (its folder is created when missing).
    pub fn write(&self, f: &OutputFile) -> Result<()> {
        let p = self.prepare(&f.path)?;
        std::fs::write(&p, &f.bytes).with_context(|| format!("writing {}", p.display()))?;
        self.record(&f.path, manifest::Entry::of(&f.bytes));
        Ok(())
    }

    /// Writes one file through a buffered writer given to `fill`; returns
    /// the bytes written.
    pub fn stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<usize> {
        use sha2::Digest;
        use std::io::Write;
        let p = self.prepare(path)?;
        let file = std::fs::File::create(&p).with_context(|| format!("writing {}", p.display()))?;
        /// Counts and hashes what goes through it.
        struct Tally<W>(W, usize, sha2::Sha256);
        impl<W: Write> Write for Tally<W> {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                let n = self.0.write(b)?;
                self.1 += n;
                self.2.update(&b[..n]);
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                self.0.flush()
            }
        }
        let mut w = Tally(
            std::io::BufWriter::with_capacity(1 << 16, file),
            0,
            sha2::Sha256::new(),
        );
        fill(&mut w)
            .and_then(|_| w.flush())
            .with_context(|| format!("writing {}", p.display()))?;
        let Tally(_, n, hasher) = w;
        self.record(
            path,
            manifest::Entry {
                size: n as u64,
                sha256: hasher.finalize().into(),
            },
        );
        Ok(n)
    }

    /// Checks `path` and makes its folder unless made already; returns
    /// where the file goes.
    fn prepare(&self, path: &str) -> Result<PathBuf> {
        if !is_safe_path(path) || !manifest::is_listable(path) || path == manifest::FILE {
            bail!("refusing to write unsafe path {path:?}");
        }
        if let Some((dir, _)) = path.rsplit_once('/') {
            let known = self.made.lock().map(|m| m.contains(dir)).unwrap_or(false);
            if !known {
                let d = self.tmp.join(dir);
                std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_string());
                }
            }
        }
        Ok(self.tmp.join(path))
    }

    /// Copies a static folder in, under `prefix` (dot files are skipped).
    pub fn copy_static(&self, dir: &Path, prefix: &str) -> Result<()> {
        if !dir.is_dir() {
            return Ok(());
        }
        for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
            let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
            // Dot files (.gitkeep, .DS_Store) are not part of the site.
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let mut path = prefix.to_string();
            for c in rel.components() {
                let Some(c) = c.as_os_str().to_str() else {
                    bail!(
                        "{}: the file name is not UTF-8; rename it",
                        entry.path().display()
                    );
                };
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(c);
            }
            if !manifest::is_listable(&path) || path == manifest::FILE {
                bail!(
                    "{}: a file of the site cannot be named {path:?} (control characters, or the manifest's name); rename it",
                    entry.path().display()
                );
            }
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("copying {}", entry.path().display()))?;
            self.write(&OutputFile { path, bytes })?;
        }
        Ok(())
    }

    /// Writes the manifest and swaps the new site in: the old folder is
    /// renamed aside, the new one renamed in, the old one removed.
    pub fn finish(mut self) -> Result<()> {
        let manifest = manifest::Manifest {
            files: std::mem::take(
                &mut *self
                    .written
                    .lock()
                    .map_err(|_| anyhow::anyhow!("a writer thread failed"))?,
            )
            .into_iter()
            .collect(),
        };
        let m = self.tmp.join(manifest::FILE);
        std::fs::write(&m, manifest.render())
            .with_context(|| format!("writing {}", m.display()))?;
        // The manifest marks the folder as mieruka's from now on.
        std::fs::remove_file(self.tmp.join(STAGING_MARK)).ok();
        self.done = true;
        let (out, parent, name, tmp) = (&self.out, &self.parent, &self.name, &self.tmp);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if out.exists() {
            std::fs::rename(out, &old)
                .with_context(|| format!("moving the previous {} aside", out.display()))?;
        }
        if let Err(e) = std::fs::rename(tmp, out) {
            if old.exists() {
                std::fs::rename(&old, out).ok();
            }
            std::fs::remove_dir_all(tmp).ok();
            return Err(e).with_context(|| format!("moving the new site into {}", out.display()));
        }
        if old.exists() {
            remove_tree(&old);
        }
        Ok(())
    }
}

/// Whether a leftover folder is a build's own: it carries the staging mark
/// or a manifest.
fn is_ours(dir: &Path) -> bool {
    [STAGING_MARK, manifest::FILE]
        .iter()
        .any(|f| std::fs::symlink_metadata(dir.join(f)).is_ok_and(|m| m.is_file()))
}

/// Removes a folder and everything in it, the subfolders of its subfolders
/// in parallel (a site of 100,000 programmes is 300,000 files, and removing
/// them is most of the swap).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let mut parts: Vec<PathBuf> = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        match (e.file_type(), std::fs::read_dir(&p)) {
            (Ok(t), Ok(rd)) if t.is_dir() => parts.extend(rd.flatten().map(|e| e.path())),
            _ => parts.push(p),
        }
    }
    parts.par_iter().for_each(|p| {
        if p.is_dir() && !p.is_symlink() {
            std::fs::remove_dir_all(p).ok();
        } else {
            std::fs::remove_file(p).ok();
        }
    });
    std::fs::remove_dir_all(dir).ok();
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.done {
            std::fs::remove_dir_all(&self.tmp).ok();
        }
    }
}

/// Removes `.NAME.tmp-*` / `.NAME.old-*` left by killed builds whose process
/// is gone. A build killed between its two renames left no `NAME` but an
/// `.NAME.old-*`: that previous output is put back first.
fn clean_stale(parent: &Path, name: &str) {
    let out = parent.join(name);
    if !out.exists() {
        let mut olds: Vec<PathBuf> = std::fs::read_dir(parent)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .strip_prefix(&format!(".{name}.old-"))
                    .and_then(|pid| pid.parse::<u32>().ok())
                    .is_some_and(|p| !Path::new(&format!("/proc/{p}")).exists())
                    && is_ours(&e.path())
            })
            .map(|e| e.path())
            .collect();
        olds.sort();
        if let Some(old) = olds.pop() {
            std::fs::rename(&old, &out).ok();
        }
    }
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    for e in rd.flatten() {
        let f = e.file_name().to_string_lossy().to_string();
        for kind in ["tmp", "old"] {
            let prefix = format!(".{name}.{kind}-");
            if let Some(pid) = f.strip_prefix(&prefix) {
                let alive = pid.parse::<u32>().ok().is_some_and(|p| {
                    p != std::process::id() && Path::new(&format!("/proc/{p}")).exists()
                });
                if !alive && is_ours(&e.path()) {
                    std::fs::remove_dir_all(e.path()).ok();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_killed_between_the_renames_gets_its_previous_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // What a build killed after moving the old output aside leaves: no
        // `public`, the old one under a dead process's name.
        let old = dir.path().join(".public.old-999999999");
        std::fs::create_dir_all(old.join("a/b")).unwrap();
        std::fs::write(old.join("a/b/index.html"), "previous").unwrap();
        std::fs::write(old.join(manifest::FILE), "# mieruka-manifest 1\n").unwrap();
        // A folder that only looks like one is not ours: left alone.
        let foreign = dir.path().join(".public.old-999999998");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let w = SiteWriter::begin(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "previous",
            "restored before the new build starts"
        );
        assert!(!old.exists());
        // A failed build leaves it as it was.
        drop(w);
        assert!(out.join("a/b/index.html").exists());
        // A finished one replaces it, and the old tree is removed.
        let w = SiteWriter::begin(&out).unwrap();
        w.write(&OutputFile::new("x/index.html", "new")).unwrap();
        w.finish().unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("x/index.html")).unwrap(),
            "new"
        );
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".public.old-999999998", "public"],
            "only `public` and the foreign folder are left"
        );
        assert!(out.join(manifest::FILE).is_file());
    }
}
