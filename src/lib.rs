//! mieruka (見える化): a static site generator for public programme disclosure.
//!
//! One YAML file per programme in, a complete static site out. The build is a
//! pipeline of stages, each data in and data out:
//!
//! ```text
//! load (files → text) → validate (text → Site | Diagnostics) → render (Site → pages)
//!   → write (pages + static → public/, atomically)
//! ```
//!
//! See ARCHITECTURE.md for the invariants.

pub mod charts;
pub mod checks;
pub mod config;
pub mod diag;
pub mod import;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod schema;
pub mod search;
pub mod validate;
pub mod write;
pub mod yaml;

use anyhow::{Context, Result};
use diag::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder (default `content`).
    pub content: PathBuf,
    /// The output folder (default `public`).
    pub out: PathBuf,
    /// Folder holding `themes/` and `static/` (default: the content
    /// folder's parent).
    pub project_root: PathBuf,
}

/// The theme folder to use: `<project_root>/themes/<name>`, else
/// `./themes/<name>`; `None` means the built-in default theme.
pub fn theme_dir(project_root: &Path, name: &str) -> Option<PathBuf> {
    [project_root.join("themes").join(name), PathBuf::from("themes").join(name)]
        .into_iter()
        .find(|p| p.join("templates").is_dir())
}

impl BuildOptions {
    /// Options for a content folder, with the output and themes beside it.
    pub fn new(content: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        let content = content.into();
        let project_root = content.parent().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        BuildOptions { content, out: out.into(), project_root }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Number of programmes.
    pub programmes: usize,
    /// Files written (generated; static files not counted).
    pub files: usize,
    /// Bytes of generated files.
    pub bytes: usize,
    /// Warnings (errors abort the build).
    pub warnings: Vec<Diagnostic>,
}

/// The outcome of loading and validating.
pub enum Checked {
    /// A valid site, with warnings.
    Valid(Box<model::Site>, Diagnostics),
    /// Problems; at least one is an error.
    Invalid(Diagnostics),
}

/// Reads the programme folder name from `_site.yaml` (before the full load).
fn programme_dir(content: &Path) -> String {
    let p = content.join("_site.yaml");
    std::fs::read_to_string(&p)
        .ok()
        .and_then(|t| yaml::parse(&t).ok())
        .and_then(|v| v.get("programme_dir").and_then(|x| x.as_str()).map(str::to_string))
        .filter(|s| validate::is_valid_slug(s))
        .unwrap_or_else(|| "programmes".into())
}

/// Stages 1–3: load, validate and model the content folder.
pub fn check(content: &Path) -> Checked {
    let loaded = load::load(content, &programme_dir(content));
    match validate::validate(&loaded) {
        Ok((site, warnings)) => Checked::Valid(Box::new(site), warnings),
        Err(diags) => Checked::Invalid(diags),
    }
}

/// Renders a valid site into files (no I/O but reading the theme).
pub fn render_site(site: &model::Site, opts: &BuildOptions) -> Result<Vec<output::OutputFile>> {
    let theme = match theme_dir(&opts.project_root, &site.config.theme) {
        Some(dir) => render::Theme::load(&dir.join("templates"))?,
        None if site.config.theme == "default" => render::Theme::builtin()?,
        None => anyhow::bail!("theme `{}` not found under themes/", site.config.theme),
    };
    let mut files = render::render(site, &theme)?;
    files.extend(search::build(site));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The whole build. Data problems come back as `Err(Diagnostics)` with
/// nothing written; infrastructure failures as `Ok(Err(..))`.
pub fn build(opts: &BuildOptions) -> std::result::Result<Result<BuildReport>, Diagnostics> {
    let (site, warnings) = match check(&opts.content) {
        Checked::Valid(s, w) => (s, w),
        Checked::Invalid(d) => return Err(d),
    };
    Ok((|| {
        let files = render_site(&site, opts)?;
        let mut files = files;
        let mut static_dirs = vec![(opts.project_root.join("static"), String::new())];
        match theme_dir(&opts.project_root, &site.config.theme) {
            Some(dir) => static_dirs.insert(0, (dir.join("static"), "assets".to_string())),
            None => files.extend(render::builtin_static()),
        }
        write::write_site(&opts.out, &files, &static_dirs).with_context(|| format!("writing {}", opts.out.display()))?;
        Ok(BuildReport {
            programmes: site.programmes.len(),
            files: files.len(),
            bytes: files.iter().map(|f| f.bytes.len()).sum(),
            warnings: warnings.sorted(),
        })
    })())
}
