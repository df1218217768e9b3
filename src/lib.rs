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
pub mod config;
pub mod diag;
pub mod format;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod urls;
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
    /// Replace an output folder that mieruka did not make (or files in it
    /// that the previous build did not write). The guard's other rules
    /// still hold (`write::guard`).
    pub force: bool,
    /// Replaces `base_url` of `_site.yaml` (`--base-url`; checked with
    /// [`config::parse_base_url`]).
    pub base_url: Option<String>,
}

/// The theme folder to use: `<project_root>/themes/<name>`, else
/// `./themes/<name>`; `None` means the built-in default theme.
pub fn theme_dir(project_root: &Path, name: &str) -> Option<PathBuf> {
    [
        project_root.join("themes").join(name),
        PathBuf::from("themes").join(name),
    ]
    .into_iter()
    .find(|p| p.join("templates").is_dir())
}

impl BuildOptions {
    /// Options for a content folder, with the output and themes beside it.
    pub fn new(content: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        let content = content.into();
        let project_root = content
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        BuildOptions {
            content,
            out: out.into(),
            project_root,
            force: false,
            base_url: None,
        }
    }

    /// The settings of these options that replace the config's.
    pub fn overrides(&self) -> config::Overrides {
        config::Overrides {
            base_url: self.base_url.clone(),
        }
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
    /// Files of the site (static files and the manifest included) written
    /// anew, kept from the previous output, and removed from it.
    pub written: write::WriteStats,
    /// Warnings (errors abort the build).
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage.
    pub timings: Timings,
}

/// The outcome of loading and validating.
pub enum Checked {
    /// A valid site, with warnings.
    Valid(Box<model::Site>, Diagnostics),
    /// Problems; at least one is an error.
    Invalid(Diagnostics),
}

/// Reads a folder name from `_site.yaml` before the full load
/// (`programme_dir`, `theme`): `default` when unreadable or not a slug.
fn peek_folder(content: &Path, key: &str, default: &str) -> String {
    let p = content.join("_site.yaml");
    std::fs::read_to_string(&p)
        .ok()
        .and_then(|t| yaml::parse(&t).ok())
        .and_then(|v| v.get(key).and_then(|x| x.as_str()).map(str::to_string))
        .filter(|s| model::rules::is_valid_slug(s))
        .unwrap_or_else(|| default.into())
}

/// Reads the programme folder name from `_site.yaml` (before the full load).
pub fn programme_dir(content: &Path) -> String {
    peek_folder(content, "programme_dir", "programmes")
}

/// The folders a build of `opts` reads from, which its output must stay
/// clear of (the theme named in `_site.yaml`, read before the full load).
pub fn protected_folders(opts: &BuildOptions) -> write::guard::Protected {
    let theme = peek_folder(&opts.content, "theme", "default");
    let static_dir = opts.project_root.join("static");
    write::guard::Protected {
        content: opts.content.clone(),
        theme: theme_dir(&opts.project_root, &theme),
        static_dir: static_dir.is_dir().then_some(static_dir),
    }
}

/// Stages 1–3: load, validate and model the content folder.
pub fn check(content: &Path) -> Checked {
    let loaded = load::load(content, &programme_dir(content));
    match validate::validate(&loaded) {
        Ok((site, warnings)) => Checked::Valid(Box::new(site), warnings),
        Err(diags) => Checked::Invalid(diags),
    }
}

/// The site's theme: `themes/<name>/templates/`, or the built-in default.
pub fn load_theme(site: &model::Site, opts: &BuildOptions) -> Result<render::Theme> {
    match theme_dir(&opts.project_root, &site.config.theme) {
        Some(dir) => render::Theme::load(&dir.join("templates")),
        None if site.config.theme == "default" => render::Theme::builtin(),
        None => anyhow::bail!("theme `{}` not found under themes/", site.config.theme),
    }
}

/// Renders a valid site into files (no I/O but reading the theme).
pub fn render_site(site: &model::Site, opts: &BuildOptions) -> Result<Vec<output::OutputFile>> {
    let theme = load_theme(site, opts)?;
    let mut files = render::render(site, &theme)?;
    if site.config.outputs.search {
        files.extend(search::build(site));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Reports a build's progress (the CLI draws a bar from it). Every method
/// has an empty default, and `()` reports nothing.
pub trait Progress: Sync {
    /// A stage starts, with `total` units of work (0 when unknown).
    fn stage(&self, _name: &'static str, _total: u64) {}
    /// `n` more units of the current stage are done.
    fn advance(&self, _n: u64) {}
}

impl Progress for () {}

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings(pub Vec<(&'static str, std::time::Duration)>);

impl Timings {
    /// Runs `f` as stage `name`, recording its wall time.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let t = std::time::Instant::now();
        let r = f();
        self.0.push((name, t.elapsed()));
        r
    }
}

/// Stages 1–3 with their timings, with `overrides` in place of the
/// config's settings.
pub fn check_timed(
    content: &Path,
    overrides: &config::Overrides,
    timings: &mut Timings,
) -> Checked {
    let loaded = timings.time("load", || load::load(content, &programme_dir(content)));
    match timings.time("validate", || {
        validate::validate_cached(&loaded, None, overrides)
    }) {
        Ok((site, warnings)) => Checked::Valid(Box::new(site), warnings),
        Err(diags) => Checked::Invalid(diags),
    }
}

/// The whole build. Data problems come back as `Err(Diagnostics)` with
/// nothing written; infrastructure failures as `Ok(Err(..))`.
pub fn build(opts: &BuildOptions) -> std::result::Result<Result<BuildReport>, Diagnostics> {
    build_with(opts, &())
}

/// [`build`], reporting progress; the report carries the stage timings.
///
/// Pages are rendered in parallel and each file is written as soon as it is
/// made (into a temporary folder swapped in at the end), so memory holds the
/// model and the files in flight, not the whole site.
pub fn build_with(
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> std::result::Result<Result<BuildReport>, Diagnostics> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    // Before anything is read or written: may the output folder be replaced?
    if let Err(refusal) = write::guard::check(&opts.out, &protected_folders(opts), opts.force) {
        return Ok(Err(refusal.into()));
    }
    let mut timings = Timings::default();
    progress.stage("load", 0);
    let (site, warnings) = match check_timed(&opts.content, &opts.overrides(), &mut timings) {
        Checked::Valid(s, w) => (s, w),
        Checked::Invalid(d) => return Err(d),
    };
    Ok((|| {
        let theme = timings.time("templates", || load_theme(&site, opts))?;
        let mut writer = write::SiteWriter::begin(&opts.out)
            .with_context(|| format!("writing {}", opts.out.display()))?;
        let theme_dir = theme_dir(&opts.project_root, &site.config.theme);
        let (files, bytes) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let put = |f: &output::OutputFile| -> Result<()> {
            writer.write(f)?;
            files.fetch_add(1, Relaxed);
            bytes.fetch_add(f.bytes.len(), Relaxed);
            Ok(())
        };
        timings.time("static", || -> Result<()> {
            match &theme_dir {
                Some(dir) => writer.copy_static(&dir.join("static"), urls::ASSETS)?,
                None => render::builtin_static().iter().try_for_each(&put)?,
            }
            writer.copy_static(&opts.project_root.join("static"), "")
        })?;
        let renderer = timings.time("plan", || render::jobs::Renderer::new(&site, &theme));
        struct ToDisk<'s> {
            writer: &'s write::SiteWriter,
            put: &'s (dyn Fn(&output::OutputFile) -> Result<()> + Sync),
            files: &'s AtomicUsize,
            bytes: &'s AtomicUsize,
            progress: &'s dyn Progress,
        }
        impl render::jobs::Sink for ToDisk<'_> {
            fn put(&self, files: Vec<output::OutputFile>) -> Result<()> {
                files.iter().try_for_each(self.put)
            }
            fn stream(
                &self,
                path: &str,
                fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
            ) -> Result<()> {
                let n = self.writer.stream(path, fill)?;
                self.files.fetch_add(1, Relaxed);
                self.bytes.fetch_add(n, Relaxed);
                Ok(())
            }
            fn job_done(&self) {
                self.progress.advance(1);
            }
        }
        let sink = ToDisk {
            writer: &writer,
            put: &put,
            files: &files,
            bytes: &bytes,
            progress,
        };
        progress.stage("render", renderer.jobs().len() as u64 + 1);
        // The data files, the pages, then the search index, each on every
        // core and written as it is made (one after the other, so that their
        // working memory is never held at once).
        timings.time("data", || renderer.render_data(&sink))?;
        // Pages and the search index side by side (both parallel inside).
        let search_done = std::sync::atomic::AtomicBool::new(false);
        let (pages, index) = rayon::join(
            || {
                let t = std::time::Instant::now();
                let r = renderer.render_pages(&sink);
                if !search_done.load(Relaxed) {
                    // What is left is the search index.
                    progress.stage("search", 0);
                }
                (r, t.elapsed())
            },
            || {
                let t = std::time::Instant::now();
                let r = if site.config.outputs.search {
                    search::build_into(&site, &|f| put(&f))
                } else {
                    Ok(())
                };
                search_done.store(true, Relaxed);
                (r, t.elapsed())
            },
        );
        timings.0.push(("pages", pages.1));
        timings.0.push(("search", index.1));
        pages.0?;
        index.0?;
        progress.advance(1);
        // The previous build's previous site, removed beside the rendering.
        timings.time("sweep", || writer.wait_for_sweep());
        let swapped = timings
            .time("swap", || writer.finish())
            .with_context(|| format!("writing {}", opts.out.display()))?;
        // The previous site is left as `.NAME.stale-PID`: the next build
        // removes it while it renders (removing it here was a third of a
        // rebuild on disk; docs/performance.md, "Rebuilds").
        Ok(BuildReport {
            programmes: site.programmes.len(),
            files: files.into_inner(),
            bytes: bytes.into_inner(),
            written: swapped.stats,
            warnings: warnings.sorted(),
            timings,
        })
    })())
}
