//! Stage 5, write: put the built files on disk, atomically, with a
//! checksum manifest, into a folder the output guard has cleared.
//!
//! The site is written into a temporary sibling of the output folder
//! (`.public.tmp-<pid>`, marked as mieruka's by a `.mieruka-staging` file),
//! static files are copied in, the manifest of every file is written
//! (`manifest.rs`), and only then is it swapped into place: on Linux the two
//! folders are exchanged in one step (`renameat2(RENAME_EXCHANGE)`), else the
//! old folder is renamed aside and the new one renamed in. The previous site
//! is left as `.public.stale-<pid>`; the next build removes it while it
//! renders.
//!
//! A rebuild keeps what did not change: a file whose size and SHA-256 equal
//! the previous manifest's entry for its path is hard-linked from the live
//! site rather than written, so it keeps its bytes, inode and modification
//! time. The previous files are trusted to their manifest (only their size
//! is checked); `mieruka verify` checks them. A staged link shares its inode
//! with the live site: nothing is ever written through it (a later write of
//! the path unlinks it first).
//!
//! A build that fails or is killed before the swap leaves the previous
//! output untouched; the next build removes the temporary folders of dead
//! builds (only those that carry the mark or a manifest: nothing it did not
//! make). `guard.rs` decides, before anything is written, whether the output
//! folder may be replaced at all.

pub mod guard;
pub mod manifest;

use crate::output::{is_safe_path, OutputFile};
use anyhow::{bail, Context, Result};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
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
    /// Every file written, for the manifest (a later write of a path
    /// wins), and whether it is the previous output's file kept.
    written: std::sync::Mutex<std::collections::HashMap<String, (manifest::Entry, bool)>>,
    /// The previous output's manifest (empty when it had none or it could
    /// not be read), and its own entry.
    previous: manifest::Manifest,
    previous_manifest: Option<manifest::Entry>,
    /// False once a hard link failed for a reason that would fail again
    /// (another file system, no permission): everything is written then.
    link_ok: AtomicBool,
    /// Numbers the temporary names of links made for streamed files.
    links: AtomicUsize,
    /// Removes the leftovers of earlier builds while this one renders.
    sweeper: Option<std::thread::JoinHandle<()>>,
}

/// What a finished write did: files written anew, files of the previous
/// output kept (hard-linked, same bytes and modification time), and files
/// of the previous output that the new one does not have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written anew (the manifest included).
    pub written: usize,
    /// Files of the previous output kept as they were (the manifest
    /// included when it did not change).
    pub kept: usize,
    /// Files the previous output's manifest listed that the new site does
    /// not have.
    pub removed: usize,
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
        let leftovers = clean_stale(&parent, &name);
        // The previous build's previous site (and a dead build's folders)
        // are removed beside the rendering, not before it.
        let sweeper = (!leftovers.is_empty()).then(|| {
            std::thread::spawn(move || {
                for d in leftovers {
                    remove_tree_quietly(&d);
                }
            })
        });
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() && is_ours(&tmp) {
            std::fs::remove_dir_all(&tmp).ok();
        }
        std::fs::create_dir(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        std::fs::write(tmp.join(STAGING_MARK), b"")
            .with_context(|| format!("creating {}", tmp.display()))?;
        // The previous output's manifest says which files a rebuild may
        // keep. The guard has decided that the folder is ours; a manifest
        // that cannot be read keeps nothing.
        let m = out.join(manifest::FILE);
        let text = std::fs::symlink_metadata(&m)
            .is_ok_and(|md| md.is_file())
            .then(|| std::fs::read(&m).ok())
            .flatten();
        let previous_manifest = text.as_deref().map(manifest::Entry::of);
        let previous = text
            .and_then(|t| String::from_utf8(t).ok())
            .and_then(|t| manifest::Manifest::parse(&t).ok())
            .unwrap_or_default();
        Ok(SiteWriter {
            out: out.to_path_buf(),
            parent,
            name,
            tmp,
            done: false,
            made: Default::default(),
            written: Default::default(),
            previous,
            previous_manifest,
            link_ok: AtomicBool::new(true),
            links: AtomicUsize::new(0),
            sweeper,
        })
    }

    fn record(&self, path: &str, entry: manifest::Entry, kept: bool) {
        if let Ok(mut w) = self.written.lock() {
            w.insert(path.to_string(), (entry, kept));
        }
    }

    /// The previous output's file at `path` when it can be kept for
    /// `entry`: its manifest lists the same size and SHA-256, and the file
    /// is there, a regular file of that size. Its bytes are not read: a
    /// file edited by hand in the output, keeping its size, is trusted to
    /// the manifest (`mieruka verify` finds it).
    fn keepable(&self, path: &str, entry: &manifest::Entry) -> Option<PathBuf> {
        if !self.link_ok.load(Relaxed) || self.previous.files.get(path) != Some(entry) {
            return None;
        }
        let old = self.out.join(path);
        match std::fs::symlink_metadata(&old) {
            Ok(m) if m.is_file() && m.len() == entry.size => Some(old),
            _ => None,
        }
    }

    /// Hard-links the previous output's file `old` to `at`; false when it
    /// cannot (the file is written then). A failure that would repeat
    /// (another file system, no permission, no hard links) stops linking.
    /// A file already at `at` (a path written twice: the later write wins)
    /// is unlinked first.
    fn link(&self, old: &Path, at: &Path) -> bool {
        let mut linked = std::fs::hard_link(old, at);
        if matches!(&linked, Err(e) if e.kind() == ErrorKind::AlreadyExists)
            && std::fs::remove_file(at).is_ok()
        {
            linked = std::fs::hard_link(old, at);
        }
        match linked {
            Ok(()) => true,
            Err(e) => {
                if e.kind() != ErrorKind::NotFound && e.kind() != ErrorKind::AlreadyExists {
                    self.link_ok.store(false, Relaxed);
                }
                false
            }
        }
    }

    /// Writes one file (its folder is created when missing), or keeps the
    /// previous output's when it has the same bytes.
    pub fn write(&self, f: &OutputFile) -> Result<()> {
        let p = self.prepare(&f.path)?;
        let entry = manifest::Entry::of(&f.bytes);
        if let Some(old) = self.keepable(&f.path, &entry) {
            if self.link(&old, &p) {
                self.record(&f.path, entry, true);
                return Ok(());
            }
        }
        create_new(&p)
            .and_then(|mut file| std::io::Write::write_all(&mut file, &f.bytes))
            .with_context(|| format!("writing {}", p.display()))?;
        self.record(&f.path, entry, false);
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
        let file = create_new(&p).with_context(|| format!("writing {}", p.display()))?;
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
        let entry = manifest::Entry {
            size: n as u64,
            sha256: hasher.finalize().into(),
        };
        // The same bytes as the previous output's file: the written file is
        // replaced by a link to it (made beside it first, so that a link
        // that fails leaves the written file).
        let mut kept = false;
        if let Some(old) = self.keepable(path, &entry) {
            let side = self.tmp.join(format!(
                ".mieruka-link-{}",
                self.links.fetch_add(1, Relaxed)
            ));
            if self.link(&old, &side) {
                kept = std::fs::rename(&side, &p).is_ok();
                if !kept {
                    std::fs::remove_file(&side).ok();
                }
            }
        }
        self.record(path, entry, kept);
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

    /// Waits until the leftovers of earlier builds (the previous build's
    /// previous site) are removed; [`SiteWriter::finish`] does it first.
    pub fn wait_for_sweep(&mut self) {
        if let Some(s) = self.sweeper.take() {
            s.join().ok();
        }
    }

    /// Writes the manifest and swaps the new site in. On Linux the two
    /// folders are exchanged in one step (`renameat2` with
    /// `RENAME_EXCHANGE`), so the output path never goes missing; elsewhere,
    /// or where the file system refuses it, the old folder is renamed
    /// aside and the new one renamed in. The previous site is then left
    /// under a temporary name: [`Swapped::remove_old`] removes it.
    pub fn finish(mut self) -> Result<Swapped> {
        let files: std::collections::HashMap<String, (manifest::Entry, bool)> = std::mem::take(
            &mut *self
                .written
                .lock()
                .map_err(|_| anyhow::anyhow!("a writer thread failed"))?,
        );
        let mut stats = WriteStats {
            removed: self
                .previous
                .files
                .keys()
                .filter(|p| !files.contains_key(*p))
                .count(),
            ..WriteStats::default()
        };
        for (_, kept) in files.values() {
            if *kept {
                stats.kept += 1;
            } else {
                stats.written += 1;
            }
        }
        let manifest = manifest::Manifest {
            files: files.into_iter().map(|(p, (e, _))| (p, e)).collect(),
        };
        let text = manifest.render();
        let m = self.tmp.join(manifest::FILE);
        let entry = manifest::Entry::of(text.as_bytes());
        let same = self.previous_manifest == Some(entry)
            && std::fs::symlink_metadata(self.out.join(manifest::FILE))
                .is_ok_and(|md| md.is_file() && md.len() == entry.size)
            && self.link(&self.out.join(manifest::FILE), &m);
        if same {
            stats.kept += 1;
        } else {
            std::fs::write(&m, text).with_context(|| format!("writing {}", m.display()))?;
            stats.written += 1;
        }
        // The manifest marks the folder as mieruka's from now on.
        std::fs::remove_file(self.tmp.join(STAGING_MARK)).ok();
        self.done = true;
        // At most one previous site is left beside the output.
        self.wait_for_sweep();
        let (out, parent, name, tmp) = (&self.out, &self.parent, &self.name, &self.tmp);
        if out.exists() && exchange(tmp, out).is_ok() {
            // The previous site is now where the new one was written: it is
            // left under a name the next build removes (a removal here would
            // be most of a rebuild's time on disk).
            let stale = parent.join(format!(".{name}.stale-{}", std::process::id()));
            let old = match std::fs::rename(tmp, &stale) {
                Ok(()) => stale,
                Err(_) => tmp.clone(),
            };
            return Ok(Swapped {
                stats,
                old: Some(old),
            });
        }
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
        Ok(Swapped {
            stats,
            old: old.exists().then_some(old),
        })
    }
}

/// A site swapped in: what was written, and where the previous site is
/// until [`Swapped::remove_old`] removes it.
#[derive(Debug)]
pub struct Swapped {
    /// Files written, kept and removed.
    pub stats: WriteStats,
    /// The previous site, under a temporary name (`.NAME.stale-PID` after
    /// an exchange, `.NAME.old-PID` after renames); `None` on a first
    /// build.
    pub old: Option<PathBuf>,
}

impl Swapped {
    /// Removes the previous site now. Left in place, the next build removes
    /// it while it renders: it carries its manifest.
    pub fn remove_old(&self) {
        if let Some(old) = &self.old {
            remove_tree(old);
        }
    }
}

/// Creates a new file at `p`; a file already there (written earlier in this
/// build, or a hard link to the previous output's) is unlinked first, never
/// truncated: truncating a link would change the live site's file.
fn create_new(p: &Path) -> std::io::Result<std::fs::File> {
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
    };
    match open() {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            std::fs::remove_file(p)?;
            open()
        }
        r => r,
    }
}

/// Exchanges two folders in one step (`renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Exchanging is Linux's: elsewhere the folders are renamed one by one.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(ErrorKind::Unsupported.into())
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
        if is_mark(&e.file_name()) {
            continue;
        }
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

/// Whether a file name is one that makes a folder mieruka's (the staging
/// mark, the manifest): removed last, so that a removal cut short leaves a
/// folder that the next build still knows as its own.
fn is_mark(name: &std::ffi::OsStr) -> bool {
    name == STAGING_MARK || name == manifest::FILE
}

/// Removes a folder and everything in it on one thread (beside the
/// rendering, which has the cores), its marks last.
fn remove_tree_quietly(dir: &Path) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if is_mark(&e.file_name()) {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(e.path()).ok(),
            _ => std::fs::remove_file(e.path()).ok(),
        };
    }
    std::fs::remove_dir_all(dir).ok();
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.done {
            std::fs::remove_dir_all(&self.tmp).ok();
        }
    }
}

/// Finds what earlier builds left beside the output: `.NAME.tmp-*` /
/// `.NAME.old-*` of killed builds whose process is gone, and the previous
/// sites `.NAME.stale-*` that finished builds left; returns those that are
/// mieruka's (marked, or holding a manifest) for removal. A build killed
/// between its two renames left no `NAME` but an `.NAME.old-*`: that
/// previous output is put back first.
fn clean_stale(parent: &Path, name: &str) -> Vec<PathBuf> {
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
    let mut found = Vec::new();
    let Ok(rd) = std::fs::read_dir(parent) else {
        return found;
    };
    for e in rd.flatten() {
        let f = e.file_name().to_string_lossy().to_string();
        for kind in ["tmp", "old", "stale"] {
            let prefix = format!(".{name}.{kind}-");
            if let Some(pid) = f.strip_prefix(&prefix) {
                let own = pid.parse::<u32>().ok() == Some(std::process::id());
                if own && kind == "tmp" {
                    continue; // this build's folder: made anew by `begin`
                }
                // A finished build's previous site goes whoever left it.
                let alive = kind != "stale"
                    && !own
                    && pid
                        .parse::<u32>()
                        .ok()
                        .is_some_and(|p| Path::new(&format!("/proc/{p}")).exists());
                if !alive && is_ours(&e.path()) {
                    found.push(e.path());
                }
            }
        }
    }
    found
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
        w.finish().unwrap().remove_old();
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

    fn ino(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).unwrap().ino()
    }

    fn stream_text(w: &SiteWriter, path: &str, text: &str) {
        w.stream(path, &mut |o| o.write_all(text.as_bytes()))
            .unwrap();
    }

    #[test]
    fn a_later_write_of_a_kept_path_replaces_the_link_and_never_the_live_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let w = SiteWriter::begin(&out).unwrap();
        w.write(&OutputFile::new("a/index.html", "same")).unwrap();
        stream_text(&w, "b.csv", "same");
        w.finish().unwrap().remove_old();

        let w = SiteWriter::begin(&out).unwrap();
        // The same bytes: the live file is linked into the new site.
        w.write(&OutputFile::new("a/index.html", "same")).unwrap();
        stream_text(&w, "b.csv", "same");
        for f in ["a/index.html", "b.csv"] {
            assert_eq!(ino(&w.tmp.join(f)), ino(&out.join(f)), "{f} is kept");
        }
        // A later write of the same path wins, in a file of its own: the
        // live site (sharing the kept file) is untouched.
        w.write(&OutputFile::new("a/index.html", "other")).unwrap();
        stream_text(&w, "b.csv", "other, and longer");
        for f in ["a/index.html", "b.csv"] {
            assert_eq!(std::fs::read_to_string(out.join(f)).unwrap(), "same");
            assert_ne!(ino(&w.tmp.join(f)), ino(&out.join(f)));
        }
        // Kept again, then written again, then kept: the last one wins.
        w.write(&OutputFile::new("a/index.html", "same")).unwrap();
        assert_eq!(
            ino(&w.tmp.join("a/index.html")),
            ino(&out.join("a/index.html"))
        );
        w.write(&OutputFile::new("a/index.html", "last")).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "same"
        );
        let swapped = w.finish().unwrap();
        assert_eq!(
            swapped.stats,
            WriteStats {
                written: 3,
                kept: 0,
                removed: 0
            }
        );
        swapped.remove_old();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "last"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b.csv")).unwrap(),
            "other, and longer"
        );
        assert!(manifest::verify(&out).unwrap().is_exact());
    }

    #[test]
    fn a_rebuild_keeps_unchanged_files_and_drops_removed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = |files: &[(&str, &str)]| {
            let w = SiteWriter::begin(&out).unwrap();
            for (p, t) in files {
                w.write(&OutputFile::new(*p, *t)).unwrap();
            }
            w.finish().unwrap()
        };
        site(&[("a/index.html", "a"), ("b/index.html", "b"), ("c.txt", "c")]);
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        std::fs::File::options()
            .write(true)
            .open(out.join("a/index.html"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let a = ino(&out.join("a/index.html"));
        let swapped = site(&[("a/index.html", "a"), ("c.txt", "changed")]);
        assert_eq!(
            swapped.stats,
            WriteStats {
                written: 2, // c.txt and the manifest
                kept: 1,
                removed: 1
            }
        );
        assert_eq!(ino(&out.join("a/index.html")), a);
        assert_eq!(
            std::fs::metadata(out.join("a/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            old
        );
        assert!(!out.join("b").exists());
        assert!(manifest::verify(&out).unwrap().is_exact());
        // The previous site is left beside the output under a stale name...
        let stale = swapped.old.clone().unwrap();
        assert!(stale
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".public.stale-"));
        assert!(stale.join("b/index.html").is_file());
        // ...which the next build removes; nothing changed: the manifest too
        // is kept.
        let swapped = site(&[("a/index.html", "a"), ("c.txt", "changed")]);
        assert_eq!(
            swapped.stats,
            WriteStats {
                written: 0,
                kept: 3,
                removed: 0
            }
        );
        assert!(!stale.join("b").exists());
        swapped.remove_old();
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "only `public` is left");
    }
}
