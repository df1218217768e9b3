//! Stage 1, load: read the content folder into memory. The only stage (with
//! `write`) that touches the file system.
//!
//! The walk is sorted (walkdir `sort_by_file_name`), never follows symbolic
//! links (so a link loop cannot hang it), and never stops at the first bad
//! file: unreadable, non-UTF-8 or oversized files become diagnostics.

use crate::diag::{Code, Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Largest content file read (bytes); larger ones are refused (E013).
pub const MAX_FILE_BYTES: u64 = crate::yaml::MAX_DOCUMENT_BYTES as u64;
/// Most programme files read from one content folder.
pub const MAX_FILES: usize = 2_000_000;

/// A file's text and the name diagnostics use for it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown in diagnostics, relative to the working directory when
    /// the content folder is given relatively (`content/programmes/x.yaml`).
    pub display: String,
    /// Path relative to the content folder, with `/` separators.
    pub rel: String,
    /// The text, BOM removed, CRLF kept (YAML accepts it), a lone CR made LF.
    pub text: String,
}

/// Everything read from a content folder.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// `_site.yaml`.
    pub site: Option<SourceFile>,
    /// `_sources.yaml`.
    pub sources: Option<SourceFile>,
    /// Other top-level `_*.yaml` files (registries), by file name.
    pub registries: Vec<SourceFile>,
    /// Programme files, sorted by relative path.
    pub programmes: Vec<SourceFile>,
    /// Problems met while reading.
    pub diagnostics: Diagnostics,
    /// The content folder read.
    pub dir: PathBuf,
    /// The content folder itself was not found (one problem, E013: nothing
    /// in it is reported missing as well).
    pub folder_missing: bool,
}

/// Reads `content_dir`. `programme_dir` is the sub-folder holding programme
/// files (from the site config; read `_site.yaml` first with [`read_one`]).
pub fn load(content_dir: &Path, programme_dir: &str) -> Loaded {
    let mut loaded = Loaded {
        dir: content_dir.to_path_buf(),
        ..Loaded::default()
    };
    let w = Walk::new(content_dir);
    if !content_dir.is_dir() {
        loaded.diagnostics.push(
            Diagnostic::new(Code::E013, &w.root, 1, 1, "content folder not found")
                .with_help("pass --content DIR, or run from the folder that holds content/"),
        );
        loaded.folder_missing = true;
        return loaded;
    }
    if !w.read_top(&mut loaded) {
        return loaded;
    }
    let paths = w.programme_paths(programme_dir, &mut loaded.diagnostics);
    look_outside(content_dir, programme_dir, &mut loaded.diagnostics);
    let results: Vec<Result<SourceFile, Diagnostic>> = paths
        .par_iter()
        .map(|(p, rel)| read_one(p, &w.display(rel), rel))
        .collect();
    for r in results {
        match r {
            Ok(f) => loaded.programmes.push(f),
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    loaded
}

/// A source's table file, published unchanged at `data/sources/<name>`.
#[derive(Debug, Clone)]
pub struct SourceTable {
    /// The file name (the source's `file`).
    pub name: String,
    /// Its bytes.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// The largest table file offered for download.
const MAX_TABLE_BYTES: u64 = 64 << 20;

/// Each source's table file (its `file:`), when it is found in the content
/// folder or in `data/` beside it (the layout of this repository and of
/// examples/: `content/` and `data/` side by side): a plain file, not a
/// link, of at most 64 MiB, whose name is of letters, digits, `.`, `_`
/// and `-` (so that it is the same in a URL). Otherwise `None`: the site
/// names the file but offers no download.
pub fn source_tables(dir: &Path, files: &[Option<&str>]) -> Vec<Option<SourceTable>> {
    let plain = |n: &str| {
        !n.is_empty()
            && !n.starts_with('.')
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    let mut seen: std::collections::HashMap<&str, Option<SourceTable>> = Default::default();
    files
        .iter()
        .map(|f| {
            let name = (*f).filter(|n| plain(n))?;
            seen.entry(name)
                .or_insert_with(|| {
                    let beside = dir.parent().map(|p| p.join("data").join(name));
                    [Some(dir.join(name)), beside]
                        .into_iter()
                        .flatten()
                        .find_map(|p| {
                            let m = std::fs::symlink_metadata(&p).ok()?;
                            (m.is_file() && m.len() <= MAX_TABLE_BYTES)
                                .then(|| std::fs::read(&p).ok())
                                .flatten()
                        })
                        .map(|bytes| SourceTable {
                            name: name.to_string(),
                            bytes: std::sync::Arc::new(bytes),
                        })
                })
                .clone()
        })
        .collect()
}

/// A content folder being read, and how its files are named in messages.
struct Walk<'a> {
    dir: &'a Path,
    /// The folder as diagnostics name it (`content`).
    root: String,
}

impl<'a> Walk<'a> {
    fn new(dir: &'a Path) -> Self {
        Walk {
            dir,
            root: dir.to_string_lossy().trim_end_matches('/').to_string(),
        }
    }

    /// A file's name in diagnostics.
    fn display(&self, rel: &str) -> String {
        format!("{}/{rel}", self.root)
    }

    /// E013: a symbolic link where a content file is read.
    fn link_refused(&self, rel: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E013,
            &self.display(rel),
            1,
            1,
            "symbolic links are not followed in content/",
        )
        .with_help("copy the file into content/ instead of linking it")
    }

    /// The top-level files: `_site.yaml`, `_sources.yaml` and the
    /// registries. False when the folder cannot be read at all.
    fn read_top(&self, loaded: &mut Loaded) -> bool {
        let mut top: Vec<PathBuf> = match std::fs::read_dir(self.dir) {
            Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
            Err(e) => {
                loaded.diagnostics.push(Diagnostic::new(
                    Code::E013,
                    &self.root,
                    1,
                    1,
                    format!("cannot read folder: {e}"),
                ));
                return false;
            }
        };
        top.sort();
        for p in top {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if !name.starts_with('_') || !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                self.near_miss_at_top(&p, &name, &mut loaded.diagnostics);
                continue;
            }
            // Links are never followed (as below); only regular files are read.
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                loaded.diagnostics.push(self.link_refused(&name));
                continue;
            }
            if !meta.is_file() {
                continue;
            }
            match read_one(&p, &self.display(&name), &name) {
                Ok(f) => match name.as_str() {
                    "_site.yaml" | "_site.yml" => loaded.site = Some(f),
                    "_sources.yaml" | "_sources.yml" => loaded.sources = Some(f),
                    _ => loaded.registries.push(f),
                },
                Err(d) => loaded.diagnostics.push(d),
            }
        }
        true
    }

    /// W107: `_sources.YAML`, `_site.yaml ` would be silently missing.
    fn near_miss_at_top(&self, p: &Path, name: &str, diags: &mut Diagnostics) {
        if !name.starts_with('_') || !std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()) {
            return;
        }
        let lower = name.to_lowercase();
        let lower = lower.trim_end();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            diags.push(
                Diagnostic::new(
                    Code::W107,
                    &self.display(name),
                    1,
                    1,
                    format!("not read: {}", not_read(name).unwrap_or_default()),
                )
                .with_help("the content folder's files are read when named `_<name>.yaml` exactly (lower-case extension, no trailing space)"),
            );
        }
    }

    /// The programme files under `programme_dir`: a sorted walk that does
    /// not follow links, naming every file it does not read.
    fn programme_paths(
        &self,
        programme_dir: &str,
        diags: &mut Diagnostics,
    ) -> Vec<(PathBuf, String)> {
        let prog_root = self.dir.join(programme_dir);
        let mut paths: Vec<(PathBuf, String)> = Vec::new();
        if !prog_root.is_dir() {
            return paths;
        }
        for entry in WalkDir::new(&prog_root)
            .follow_links(false)
            .sort_by_file_name()
        {
            match entry {
                Ok(e) => {
                    if let Some(found) = self.programme_entry(&e, programme_dir, diags) {
                        paths.push(found);
                    }
                }
                Err(e) => {
                    let where_ = e.path().map(|p| rel_path(self.dir, p)).unwrap_or_default();
                    diags.push(Diagnostic::new(
                        Code::E013,
                        &self.display(&where_),
                        1,
                        1,
                        format!("cannot read: {e}"),
                    ));
                }
            }
            if paths.len() > MAX_FILES {
                diags.push(Diagnostic::new(
                    Code::E013,
                    &self.root,
                    1,
                    1,
                    format!("more than {MAX_FILES} programme files"),
                ));
                break;
            }
        }
        paths
    }

    /// One entry of the programme folder: a programme file to read, or
    /// nothing (a folder, a refused link, a file not read — reported).
    fn programme_entry(
        &self,
        e: &walkdir::DirEntry,
        programme_dir: &str,
        diags: &mut Diagnostics,
    ) -> Option<(PathBuf, String)> {
        let p = e.path();
        let is_yaml = p.extension().is_some_and(|x| x == "yaml" || x == "yml");
        // A link to a YAML file or to a folder (perhaps a loop) would
        // silently add or drop programmes: refused.
        let links_folder = || std::fs::metadata(p).map(|m| m.is_dir()).unwrap_or(false);
        let rel = || rel_path(self.dir, p);
        if e.file_type().is_symlink() && (is_yaml || links_folder()) {
            diags.push(self.link_refused(&rel()));
            return None;
        }
        if e.file_type().is_file() && is_yaml {
            return Some((p.to_path_buf(), rel()));
        }
        if e.file_type().is_file() {
            // Read nothing silently: a file here that is not read is named
            // (`.YAML`, `x.yaml `, `x.yaml.bak`).
            if let Some(why) = not_read(&e.file_name().to_string_lossy()) {
                diags.push(
                    Diagnostic::new(Code::W107, &self.display(&rel()), 1, 1, format!("not read: {why}"))
                        .with_help(format!(
                            "only files named `*.yaml` or `*.yml` under {programme_dir}/ are programmes; rename it to be read, or move it out of {programme_dir}/"
                        )),
                );
            }
        } else if is_yaml && !e.file_type().is_dir() {
            // A FIFO, socket or device: reading it could block forever.
            diags.push(Diagnostic::new(
                Code::E013,
                &self.display(&rel()),
                1,
                1,
                "not a regular file",
            ));
        }
        None
    }
}

/// Files that may sit among programme files without being reported:
/// version-control and desktop housekeeping, and a README.
const HOUSEKEEPING: &[&str] = &[
    ".gitkeep",
    ".keep",
    ".gitignore",
    ".gitattributes",
    ".DS_Store",
    "Thumbs.db",
    "desktop.ini",
    "README",
    "README.md",
    "README.txt",
];

/// Why a file in the programme folder is not read, in words; `None` for
/// housekeeping files (and for what is read).
fn not_read(name: &str) -> Option<String> {
    if HOUSEKEEPING.contains(&name) {
        return None;
    }
    let lower = name.to_lowercase();
    let trimmed = lower.trim_end();
    if trimmed != lower && (trimmed.ends_with(".yaml") || trimmed.ends_with(".yml")) {
        return Some("the name ends with white space after `.yaml`".into());
    }
    if (lower.ends_with(".yaml") || lower.ends_with(".yml"))
        && !(name.ends_with(".yaml") || name.ends_with(".yml"))
    {
        return Some(format!(
            "the extension must be lower case (`.yaml` or `.yml`), not `{}`",
            name.rsplit('.').next().unwrap_or("")
        ));
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            Some(format!("`.{ext}` is not a programme file's extension"))
        }
        _ => Some("a programme file's name ends in `.yaml` or `.yml`".into()),
    }
}

/// Most files outside the programme folder looked into for programme keys.
const MAX_LOOKED_AT: usize = 10_000;

/// Reports YAML files outside the programme folder that look like
/// programme files (they are not read as such): a `fiscal_year:` line and a
/// `name:` or `source:` line at the top level. Registries (`_*.yaml` at the
/// top), dot folders and the programme folder are not looked into.
fn look_outside(content_dir: &Path, programme_dir: &str, diags: &mut Diagnostics) {
    let display_root = content_dir
        .to_string_lossy()
        .trim_end_matches('/')
        .to_string();
    let mut looked = 0;
    let walk = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            let skipped = n.starts_with('.') || (e.depth() == 1 && n == programme_dir);
            !(e.file_type().is_dir() && skipped)
        });
    for e in walk.flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy().to_lowercase();
        let name = name.trim_end();
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        if e.depth() == 1 && name.starts_with('_') {
            continue;
        }
        looked += 1;
        if looked > MAX_LOOKED_AT {
            break;
        }
        let mut head = Vec::new();
        let read = std::fs::File::open(e.path()).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, 64 * 1024), &mut head)
        });
        if read.is_err() {
            continue;
        }
        let text = String::from_utf8_lossy(&head);
        let has = |key: &str| text.lines().any(|l| l.starts_with(key));
        if has("fiscal_year:") && (has("name:") || has("source:")) {
            let rel = rel_path(content_dir, e.path());
            diags.push(
                Diagnostic::new(Code::W107,
                    &format!("{display_root}/{rel}"),
                    1,
                    1,
                    format!("looks like a programme file, but is not read: programme files are read only under {programme_dir}/"),
                )
                .with_help(format!("move it under {programme_dir}/ (e.g. {programme_dir}/<fiscal year>/<id>.yaml) to publish it, or out of the content folder")),
            );
        }
    }
}

fn rel_path(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads one file as UTF-8 text, refusing oversized, empty or non-UTF-8 files.
pub fn read_one(path: &Path, display: &str, rel: &str) -> Result<SourceFile, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::new(Code::E013, display, 1, 1, format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Code::E013,
            display,
            1,
            1,
            format!(
                "file is {} bytes; the largest accepted is {MAX_FILE_BYTES} bytes",
                meta.len()
            ),
        )
        .with_help("split the text, or see docs/limits.md"));
    }
    // Read at most one byte past the limit: the file may have grown since.
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize + 1);
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes)
        })
        .map_err(|e| Diagnostic::new(Code::E013, display, 1, 1, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Code::E013,
            display,
            1,
            1,
            format!("file is larger than {MAX_FILE_BYTES} bytes"),
        )
        .with_help("split the text, or see docs/limits.md"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = String::from_utf8_lossy(good);
            let line = good.matches('\n').count() + 1;
            let column = good
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count())
                .unwrap_or(0)
                + 1;
            let sjis = encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(e.as_bytes())
                .is_some();
            let mut d =
                Diagnostic::new(Code::E013, display, line, column, "file is not valid UTF-8");
            d = d.with_help(if sjis {
                "it looks like Shift_JIS: save it as UTF-8 (e.g. `iconv -f SHIFT_JIS -t UTF-8`)"
            } else {
                "save the file as UTF-8"
            });
            return Err(d);
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    // A lone CR (old Mac line ends) is a line break to YAML and to editors,
    // but not to `str::lines`: make it LF so every position agrees.
    let text = if text.contains('\r') && text.replace("\r\n", "").contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::new(Code::E013, display, 1, 1, "file is empty"));
    }
    Ok(SourceFile {
        display: display.to_string(),
        rel: rel.to_string(),
        text,
    })
}
