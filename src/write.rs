//! Stage 5, write: put the built files on disk, atomically.
//!
//! The site is written into a temporary sibling of the output folder
//! (`.public.tmp-<pid>`), static files are copied in, and only then is it
//! swapped into place: the old folder is renamed aside, the new one renamed
//! in, the old one removed. A build that fails or is killed before the swap
//! leaves the previous output untouched; stale temporary folders from killed
//! builds are removed by the next build.

use crate::output::{is_safe_path, OutputFile};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Writes `files` plus the contents of `static_dirs` (later ones win) to
/// `out`, atomically.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    static_dirs: &[(PathBuf, String)],
) -> Result<()> {
    let w = SiteWriter::begin(out)?;
    for (dir, prefix) in static_dirs {
        w.copy_static(dir, prefix)?;
    }
    // Parallel writes: the files are independent.
    use rayon::prelude::*;
    files.par_iter().try_for_each(|f| w.write(f))?;
    w.finish()
}

/// A site being written: files go into a temporary sibling of the output
/// folder as they come (from any thread), and [`SiteWriter::finish`] swaps
/// it in. Dropped unfinished, it removes the temporary folder and leaves the
/// previous output as it was.
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
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).ok();
        }
        std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(SiteWriter {
            out: out.to_path_buf(),
            parent,
            name,
            tmp,
            done: false,
            made: Default::default(),
        })
    }

    /// Writes one file (its folder is created when missing).
    pub fn write(&self, f: &OutputFile) -> Result<()> {
        let p = self.prepare(&f.path)?;
        std::fs::write(&p, &f.bytes).with_context(|| format!("writing {}", p.display()))
    }

    /// Writes one file through a buffered writer given to `fill`; returns
    /// the bytes written.
    pub fn stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<usize> {
        use std::io::Write;
        let p = self.prepare(path)?;
        let file = std::fs::File::create(&p).with_context(|| format!("writing {}", p.display()))?;
        struct Counting<W>(W, usize);
        impl<W: Write> Write for Counting<W> {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                let n = self.0.write(b)?;
                self.1 += n;
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                self.0.flush()
            }
        }
        let mut w = Counting(std::io::BufWriter::with_capacity(1 << 16, file), 0);
        fill(&mut w)
            .and_then(|_| w.flush())
            .with_context(|| format!("writing {}", p.display()))?;
        Ok(w.1)
    }

    /// Checks `path` and makes its folder unless made already; returns
    /// where the file goes.
    fn prepare(&self, path: &str) -> Result<PathBuf> {
        if !is_safe_path(path) {
            bail!("refusing to write unsafe path {path}");
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

    /// Copies a static folder in, under `prefix`.
    pub fn copy_static(&self, dir: &Path, prefix: &str) -> Result<()> {
        copy_static(dir, &self.tmp, prefix)
    }

    /// Swaps the new site in: the old folder is renamed aside, the new one
    /// renamed in, the old one removed.
    pub fn finish(mut self) -> Result<()> {
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
                if !alive {
                    std::fs::remove_dir_all(e.path()).ok();
                }
            }
        }
    }
}

fn copy_static(dir: &Path, dest: &Path, prefix: &str) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        // Dot files (.gitkeep, .DS_Store) are not part of the site.
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let target = if prefix.is_empty() {
            dest.join(rel)
        } else {
            dest.join(prefix).join(rel)
        };
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(entry.path(), &target)
            .with_context(|| format!("copying {}", entry.path().display()))?;
    }
    Ok(())
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
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "only `public` is left");
    }
}
