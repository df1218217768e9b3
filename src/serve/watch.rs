//! Keeping the content current: the first load, a file watcher (notify) on
//! the content folder, the theme and `static/`, and a rebuild per batch of
//! changes. An edited programme file is re-read alone, and validation
//! parses again only the files whose text changed
//! ([`validate::ParseCache`]).

use super::overlay::{overlay, overlay_text};
use super::pages::Statics;
use super::state::{Content, Msg};
use crate::diag::Diagnostics;
use crate::load::{self, Loaded};
use crate::model::Site;
use crate::render::Theme;
use crate::{theme_dir, validate, BuildOptions};
use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Changes closer together than this are one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// A running file watcher and its events.
pub(super) struct Watching {
    watcher: notify::RecommendedWatcher,
    roots: Vec<PathBuf>,
    events: Receiver<notify::Result<notify::Event>>,
}

/// Keeps what rebuilding needs between changes.
pub(super) struct Builder {
    /// Content folder and project root.
    build: BuildOptions,
    /// Print only problems.
    quiet: bool,
    /// The content folder, canonical (as the watcher reports paths).
    content: PathBuf,
    programme_dir: String,
    loaded: Loaded,
    cache: validate::ParseCache,
    theme: Option<Arc<Theme>>,
    theme_name: String,
}

impl Builder {
    pub(super) fn new(build: BuildOptions, quiet: bool) -> Result<Builder> {
        let content = build
            .content
            .canonicalize()
            .with_context(|| format!("content folder {}", build.content.display()))?;
        Ok(Builder {
            content,
            programme_dir: String::new(),
            loaded: Loaded::default(),
            cache: validate::ParseCache::default(),
            theme: None,
            theme_name: String::new(),
            build,
            quiet,
        })
    }

    fn theme_dir(&self) -> Option<PathBuf> {
        let name = if self.theme_name.is_empty() {
            "default"
        } else {
            &self.theme_name
        };
        theme_dir(&self.build.project_root, name)
    }

    /// The files that are not rendered, for the render thread.
    pub(super) fn statics(&self) -> Statics {
        let builtin = crate::render::builtin_static()
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect();
        Statics {
            project: self.build.project_root.join("static"),
            theme: self.theme_dir().map(|d| d.join("static")),
            builtin: Arc::new(builtin),
        }
    }

    /// Brings the loaded files up to date with `changed` (a full reload when
    /// anything but an existing programme file changed), validates, and
    /// returns what the pages are now made from.
    pub(super) fn rebuild(&mut self, changed: &[PathBuf], full: bool) -> Content {
        let t = Instant::now();
        self.reload(changed, full);
        match validate::validate_cached(
            &self.loaded,
            Some(&mut self.cache),
            &self.build.overrides(),
        ) {
            Err(diags) => invalid(diags),
            Ok((site, warnings)) => self.valid(site, warnings, t),
        }
    }

    /// Re-reads the changed programme files, or everything when `full` or
    /// when one of them cannot be re-read alone.
    fn reload(&mut self, changed: &[PathBuf], full: bool) {
        let mut full = full;
        if !full {
            for p in changed {
                if !self.reread(p) {
                    full = true;
                    break;
                }
            }
        }
        if full {
            self.programme_dir = crate::programme_dir(&self.build.content);
            self.loaded = load::load(&self.build.content, &self.programme_dir);
        }
    }

    /// The content of a site that validated (`t`: when the rebuild
    /// started): its warnings printed, its theme loaded if it changed.
    fn valid(&mut self, site: Site, warnings: Diagnostics, t: Instant) -> Content {
        if !self.quiet {
            for d in warnings.sorted() {
                anstream::eprintln!("{}", d.render(true));
            }
        }
        if self.theme.is_none() || self.theme_name != site.config.theme {
            self.theme_name = site.config.theme.clone();
            if let Err(e) = self.load_theme() {
                eprintln!("error: {e:#}");
                return Content::Error(overlay_text(&format!("{e:#}")));
            }
        }
        if !self.quiet {
            println!(
                "rebuilt in {} ms: {} programmes",
                t.elapsed().as_millis(),
                site.programmes.len()
            );
        }
        Content::Site(Arc::new(site), self.theme.clone().expect("theme loaded"))
    }

    fn load_theme(&mut self) -> Result<()> {
        let theme = match self.theme_dir() {
            Some(dir) => Theme::load(&dir.join("templates"))?,
            None if self.theme_name == "default" => Theme::builtin()?,
            None => anyhow::bail!("theme `{}` not found under themes/", self.theme_name),
        };
        self.theme = Some(Arc::new(theme));
        Ok(())
    }

    /// Re-reads one changed programme file that was already loaded; false
    /// when the change needs a full reload.
    fn reread(&mut self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.content) else {
            return false;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if self.programme_dir.is_empty() || !rel.starts_with(&format!("{}/", self.programme_dir)) {
            return false;
        }
        let Some(i) = self.loaded.programmes.iter().position(|f| f.rel == rel) else {
            return false;
        };
        if !path.is_file() {
            return false;
        }
        let display = self.loaded.programmes[i].display.clone();
        match load::read_one(path, &display, &rel) {
            Ok(f) => {
                self.loaded.programmes[i] = f;
                true
            }
            Err(_) => false,
        }
    }

    /// Starts watching the content, theme and static folders (before the
    /// first load, so no change is missed).
    pub(super) fn start_watching(&self) -> Result<Watching> {
        let (etx, erx) = channel::<notify::Result<notify::Event>>();
        let mut watcher = notify::recommended_watcher(etx).context("starting the file watcher")?;
        let mut roots = vec![self.content.clone()];
        if let Some(d) = self.theme_dir() {
            roots.push(d.canonicalize().unwrap_or(d));
        }
        let st = self.build.project_root.join("static");
        if st.is_dir() {
            roots.push(st.canonicalize().unwrap_or(st));
        }
        for r in &roots {
            watcher
                .watch(r, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", r.display()))?;
        }
        Ok(Watching {
            watcher,
            roots,
            events: erx,
        })
    }

    /// Rebuilds on every change seen by `watching`, and sends the new
    /// content to the render thread.
    pub(super) fn watch(mut self, tx: Sender<Msg>, watching: Watching) -> Result<()> {
        let Watching {
            mut watcher,
            roots,
            events,
        } = watching;
        let templates = self.watch_theme(&mut watcher, &roots)?;
        while let Some(changed) = next_changes(&events) {
            let content: Vec<PathBuf> = changed
                .iter()
                .filter(|p| p.starts_with(&self.content))
                .cloned()
                .collect();
            let theme_changed = templates
                .as_ref()
                .is_some_and(|t| changed.iter().any(|p| p.starts_with(t)));
            if content.is_empty() && !theme_changed {
                // Static files only: reload the browsers (they are read per request).
                tx.send(Msg::Replace(self.current())).ok();
                continue;
            }
            if theme_changed {
                self.theme = None;
            }
            let c = self.rebuild(&content, false);
            tx.send(Msg::Replace(c)).ok();
        }
        Ok(())
    }

    /// Watches the theme too when it is outside `roots` (it is known once
    /// the site config has been read); returns its templates folder.
    fn watch_theme(
        &self,
        watcher: &mut notify::RecommendedWatcher,
        roots: &[PathBuf],
    ) -> Result<Option<PathBuf>> {
        let theme = self.theme_dir().map(|d| d.canonicalize().unwrap_or(d));
        if let Some(t) = theme
            .as_ref()
            .filter(|t| !roots.iter().any(|r| t.starts_with(r)))
        {
            watcher
                .watch(t, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", t.display()))?;
        }
        Ok(theme.map(|d| d.join("templates")))
    }

    /// The current content again (after a static file changed).
    fn current(&mut self) -> Content {
        self.rebuild(&[], false)
    }
}

/// The content of a site with errors: they are printed, and the overlay
/// lists them.
fn invalid(diags: Diagnostics) -> Content {
    let sorted = diags.sorted();
    let (n, _) = crate::diag::counts(&sorted);
    for d in &sorted {
        anstream::eprintln!("{}", d.render(true));
    }
    let style = anstyle::AnsiColor::Red.on_default().bold();
    anstream::eprintln!(
        "{style}error{style:#}: {n} problem(s) in the content; the browser shows them until they are fixed"
    );
    Content::Error(overlay(&sorted))
}

/// The next batch of changed paths, sorted: waits for a relevant event,
/// then collects until the files have been quiet for DEBOUNCE. None when
/// the watcher has stopped.
fn next_changes(events: &Receiver<notify::Result<notify::Event>>) -> Option<Vec<PathBuf>> {
    loop {
        let mut changed = relevant(events.recv().ok()?);
        if changed.is_empty() {
            continue;
        }
        while let Ok(more) = events.recv_timeout(DEBOUNCE) {
            changed.extend(relevant(more));
        }
        changed.sort();
        changed.dedup();
        return Some(changed);
    }
}

/// The paths of an event that changes files. Reading a file is an event
/// too (inotify reports opens): only writes, creations, removals and
/// renames count.
fn relevant(r: notify::Result<notify::Event>) -> Vec<PathBuf> {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match r {
        Ok(e) => match e.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Create(_)
            | EventKind::Modify(_)
            | EventKind::Remove(_)
            | EventKind::Any
            | EventKind::Other => e.paths,
            EventKind::Access(_) => Vec::new(),
        },
        Err(e) => {
            eprintln!("warning: file watcher: {e}");
            Vec::new()
        }
    }
}
