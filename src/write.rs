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
pub fn write_site(out: &Path, files: &[OutputFile], static_dirs: &[(PathBuf, String)]) -> Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    clean_stale(parent, &name);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).ok();
    }
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let result = (|| -> Result<()> {
        for (dir, prefix) in static_dirs {
            copy_static(dir, &tmp, prefix)?;
        }
        // Parallel writes: the files are independent.
        use rayon::prelude::*;
        let mut dirs: Vec<PathBuf> = files.iter().filter_map(|f| tmp.join(&f.path).parent().map(Path::to_path_buf)).collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        }
        files.par_iter().try_for_each(|f| -> Result<()> {
            if !is_safe_path(&f.path) {
                bail!("refusing to write unsafe path {}", f.path);
            }
            let p = tmp.join(&f.path);
            std::fs::write(&p, &f.bytes).with_context(|| format!("writing {}", p.display()))
        })?;
        Ok(())
    })();
    if let Err(e) = result {
        std::fs::remove_dir_all(&tmp).ok();
        return Err(e);
    }
    // Swap.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old).with_context(|| format!("moving the previous {} aside", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        if old.exists() {
            std::fs::rename(&old, out).ok();
        }
        std::fs::remove_dir_all(&tmp).ok();
        return Err(e).with_context(|| format!("moving the new site into {}", out.display()));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).ok();
    }
    Ok(())
}

/// Removes `.NAME.tmp-*` / `.NAME.old-*` left by killed builds whose process
/// is gone.
fn clean_stale(parent: &Path, name: &str) {
    let Ok(rd) = std::fs::read_dir(parent) else { return };
    for e in rd.flatten() {
        let f = e.file_name().to_string_lossy().to_string();
        for kind in ["tmp", "old"] {
            let prefix = format!(".{name}.{kind}-");
            if let Some(pid) = f.strip_prefix(&prefix) {
                let alive = pid.parse::<u32>().ok().is_some_and(|p| p != std::process::id() && Path::new(&format!("/proc/{p}")).exists());
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
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let target = if prefix.is_empty() { dest.join(rel) } else { dest.join(prefix).join(rel) };
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(entry.path(), &target).with_context(|| format!("copying {}", entry.path().display()))?;
    }
    Ok(())
}
