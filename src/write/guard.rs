//! The output guard: `build` replaces its output folder, so before anything
//! is written it makes sure that folder holds nothing but a site mieruka
//! made.
//!
//! Two groups of rules (docs/limits.md, "The output folder"):
//!
//! - **never**, whatever the flags: the output folder is, contains or lies
//!   inside the content folder, the theme or `static/` in use; it is a
//!   repository root (has `.git`), the user's home, `/`, the current
//!   directory or one of its parents; it is a symbolic link or a file.
//! - **not without `--force`**: a folder that is not empty and has no
//!   manifest (`mieruka-manifest.tsv`, written into every site), or whose
//!   manifest does not list every file in it (someone added files).
//!
//! The guard only reads; every refusal names its rule and how to go on.

use super::manifest::{self, Manifest};
use std::path::{Component, Path, PathBuf};

/// The folders a build reads from, which its output must stay clear of.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// The content folder.
    pub content: PathBuf,
    /// The theme folder in use, when the site uses one from disk.
    pub theme: Option<PathBuf>,
    /// The project's `static/` folder, when there is one.
    pub static_dir: Option<PathBuf>,
}

/// Which rule refused the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// It is, contains or lies inside the content folder.
    Content,
    /// It is, contains or lies inside the theme folder in use.
    Theme,
    /// It is, contains or lies inside the `static/` folder in use.
    Static,
    /// It holds a `.git`: a repository's root.
    Repository,
    /// It is the user's home folder or contains it.
    Home,
    /// It is the file system's root.
    Root,
    /// It is the current directory or contains it.
    CurrentDir,
    /// It is a symbolic link.
    Symlink,
    /// It is a file, not a folder.
    NotAFolder,
    /// It is not empty and holds no manifest (`--force` replaces it).
    NotOurs,
    /// It holds files its manifest does not list (`--force` replaces them).
    ForeignFiles,
}

impl Rule {
    /// Whether `--force` lets the build replace the folder anyway.
    pub fn force_overrides(self) -> bool {
        matches!(self, Rule::NotOurs | Rule::ForeignFiles)
    }
}

/// Why the output folder was refused; its Display is the whole message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("refusing to write the site into `{out}`: {reason}\n  help: {help}")]
pub struct Refusal {
    /// The rule.
    pub rule: Rule,
    /// The output folder as given.
    pub out: String,
    /// What is wrong, in words.
    pub reason: String,
    /// How to go on.
    pub help: String,
}

/// Checks `out` against every rule; `force` lifts only the rules whose
/// [`Rule::force_overrides`] is true. Reads, never writes.
pub fn check(out: &Path, protected: &Protected, force: bool) -> Result<(), Refusal> {
    let refuse = |rule: Rule, reason: String, help: &str| Refusal {
        rule,
        out: out.display().to_string(),
        reason,
        help: help.to_string(),
    };
    let meta = std::fs::symlink_metadata(out).ok();
    if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        let to = std::fs::read_link(out)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        return Err(refuse(
            Rule::Symlink,
            format!("it is a symbolic link (to `{to}`); building would replace the link itself"),
            "give the folder it points to as --out",
        ));
    }
    if let Some((rule, reason)) = where_it_lies(&resolve(out), protected) {
        return Err(refuse(rule, reason, OTHER_FOLDER));
    }
    let Some(meta) = meta else {
        return Ok(()); // a new folder
    };
    if !meta.is_dir() {
        return Err(refuse(
            Rule::NotAFolder,
            "it is a file, not a folder".into(),
            "choose a folder for the site (a new one is made)",
        ));
    }
    if std::fs::symlink_metadata(out.join(".git")).is_ok() {
        return Err(refuse(
            Rule::Repository,
            "it holds `.git`: it is the root of a repository".into(),
            "build into a folder inside it instead, e.g. --out public (and list it in .gitignore)",
        ));
    }
    if force {
        return Ok(());
    }
    what_it_holds(out).map_err(|(rule, reason, help)| refuse(rule, reason, help))
}

/// The help of the rules about where the folder lies.
const OTHER_FOLDER: &str = "choose a folder of its own for the site, e.g. --out public";

/// The rules about where the (resolved) output folder lies: the root, the
/// home folder, the folders the build reads, the current directory.
fn where_it_lies(target: &Path, protected: &Protected) -> Option<(Rule, String)> {
    if target.parent().is_none() {
        return Some((Rule::Root, "it is the root of the file system".into()));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| resolve(Path::new(&h)));
    if let Some(home) = home.filter(|h| h.starts_with(target)) {
        let reason = if home == target {
            "it is your home folder".to_string()
        } else {
            format!("it contains your home folder (`{}`)", home.display())
        };
        return Some((Rule::Home, reason));
    }
    let folders = [
        (Rule::Content, "content folder", Some(&protected.content)),
        (Rule::Theme, "theme folder", protected.theme.as_ref()),
        (
            Rule::Static,
            "static/ folder",
            protected.static_dir.as_ref(),
        ),
    ];
    for (rule, what, dir) in folders {
        let Some(dir) = dir else { continue };
        let dir = resolve(dir);
        let relation = if dir == target {
            "it is the"
        } else if dir.starts_with(target) {
            "it contains the"
        } else if target.starts_with(&dir) {
            "it lies inside the"
        } else {
            continue;
        };
        return Some((
            rule,
            format!(
                "{relation} {what} (`{}`), and a build replaces its output folder",
                dir.display()
            ),
        ));
    }
    let cwd = std::env::current_dir().ok().map(|p| resolve(&p));
    if let Some(cwd) = cwd.filter(|c| c.starts_with(target)) {
        let reason = if cwd == target {
            "it is the current directory".to_string()
        } else {
            format!("it contains the current directory (`{}`)", cwd.display())
        };
        return Some((Rule::CurrentDir, reason));
    }
    None
}

/// The rules about what an existing folder holds: nothing, or a site
/// mieruka built whose manifest lists every file in it.
fn what_it_holds(out: &Path) -> Result<(), (Rule, String, &'static str)> {
    const FORCE_ALL: &str = "build into a new or empty folder, or pass --force to replace the folder and everything in it (the other rules still hold)";
    match Manifest::read(out) {
        None => {
            let entries = listing(out);
            if entries.is_empty() {
                return Ok(());
            }
            Err((
                Rule::NotOurs,
                format!(
                    "it is not empty ({}) and holds no {} — it was not made by mieruka, and a build would delete what is in it",
                    sample(&entries),
                    manifest::FILE
                ),
                "build into a new or empty folder; if this is the output of an earlier mieruka (before 0.2, \
                 which wrote no manifest) or you mean to replace it and everything in it, pass --force \
                 (the other rules still hold)",
            ))
        }
        Some(Err(e)) => Err((
            Rule::NotOurs,
            format!("its {} cannot be read ({e})", manifest::FILE),
            FORCE_ALL,
        )),
        Some(Ok(m)) => {
            let foreign: Vec<String> = manifest::list_files(out)
                .map_err(|e| {
                    (
                        Rule::NotOurs,
                        format!("it cannot be read: {e:#}"),
                        OTHER_FOLDER,
                    )
                })?
                .into_iter()
                .filter(|p| p != manifest::FILE && !m.files.contains_key(p))
                .collect();
            if foreign.is_empty() {
                return Ok(());
            }
            Err((
                Rule::ForeignFiles,
                format!(
                    "it holds {} file(s) the previous build did not write ({}), which a build would delete",
                    foreign.len(),
                    sample(&foreign)
                ),
                "put files that belong in the site into static/ (copied into every build); \
                 or move them out; or pass --force to delete them",
            ))
        }
    }
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// The first few names of a list, for a message.
fn sample(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if names.len() > SHOWN {
        s.push(format!("and {} more", names.len() - SHOWN));
    }
    s.join(", ")
}

/// An absolute path with `.`, `..` and symbolic links resolved as far as
/// the path exists; the part that does not exist yet is normalised as
/// written (it can hold no link).
pub fn resolve(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // The longest existing prefix, canonicalised.
    let comps: Vec<Component> = abs.components().collect();
    for cut in (0..=comps.len()).rev() {
        let head: PathBuf = comps[..cut].iter().collect();
        if head.as_os_str().is_empty() {
            continue;
        }
        if let Ok(mut base) = head.canonicalize() {
            for c in &comps[cut..] {
                match c {
                    Component::ParentDir => {
                        base.pop();
                    }
                    Component::Normal(n) => base.push(n),
                    _ => {}
                }
            }
            return base;
        }
    }
    abs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_do_not_exist_yet_resolve_as_written() {
        let d = tempfile::tempdir().unwrap();
        let base = d.path().canonicalize().unwrap();
        assert_eq!(resolve(&d.path().join("a/b/../c")), base.join("a/c"));
        assert_eq!(resolve(&d.path().join("./x/.")), base.join("x"));
        std::os::unix::fs::symlink(d.path().join("real"), d.path().join("link")).unwrap();
        std::fs::create_dir(d.path().join("real")).unwrap();
        assert_eq!(resolve(&d.path().join("link/out")), base.join("real/out"));
    }

    #[test]
    fn only_the_foreign_files_rules_give_way_to_force() {
        for r in [Rule::NotOurs, Rule::ForeignFiles] {
            assert!(r.force_overrides());
        }
        for r in [
            Rule::Content,
            Rule::Theme,
            Rule::Static,
            Rule::Repository,
            Rule::Home,
            Rule::Root,
            Rule::CurrentDir,
            Rule::Symlink,
            Rule::NotAFolder,
        ] {
            assert!(!r.force_overrides(), "{r:?}");
        }
    }
}
