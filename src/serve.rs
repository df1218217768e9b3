//! `mieruka serve`: a development server with instant rebuilds.
//!
//! Listens on 127.0.0.1 by default. Nothing is written to disk: the content
//! is loaded and validated once, and each page is rendered when it is first
//! requested ([`Renderer::render_job`]) and kept until the next change. A
//! watcher (notify) sees changes under the content folder, the theme and
//! `static/`; an edited programme file is re-read alone, and validation
//! parses again only the files whose text changed
//! ([`validate::ParseCache`]), so a rebuild costs the cross-file checks and
//! the indexes, not a full build. The search index is built only when a
//! search file is requested.
//!
//! Live reload: every HTML response gets `<script
//! src="/__mieruka/livereload.js">` before `</body>` (a same-origin file, so
//! `Content-Security-Policy: default-src 'self'` still holds; `build` never
//! adds it). The script long-polls `/__mieruka/poll?v=N`, which answers when
//! the site's version differs from N; the page then reloads. When the content
//! has errors they are printed in the terminal and every page is replaced by
//! an overlay page listing them, until the files are fixed.

use crate::load::{self, Loaded};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::jobs::{Job, Renderer};
use crate::render::Theme;
use crate::{search, theme_dir, validate, BuildOptions};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Content folder and project root (`out` is not used).
    pub build: BuildOptions,
    /// Address to listen on (default 127.0.0.1).
    pub bind: String,
    /// Port (0: any free port; the address is printed).
    pub port: u16,
    /// Print only problems.
    pub quiet: bool,
}

/// The live-reload script, served as `/__mieruka/livereload.js`.
pub const LIVERELOAD_JS: &str = r#"// mieruka serve: reload the page when the site changes (long polling).
(function () {
  "use strict";
  var version = null;
  function poll() {
    var url = "/__mieruka/poll" + (version === null ? "" : "?v=" + version);
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (version !== null && d.version !== version) {
          location.reload();
          return;
        }
        version = d.version;
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

const OVERLAY_CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#fff8f6;color:#1a1a1a}\
main{max-width:60rem;margin:2rem auto;padding:0 1rem}h1{color:#a50e0e;font-size:1.4rem}\
pre{white-space:pre-wrap;background:#fff;border:1px solid #e0b4b4;border-radius:4px;padding:1rem;font-size:0.9rem;line-height:1.5}\n";

const SCRIPT_TAG: &str = "<script src=\"/__mieruka/livereload.js\"></script>";

/// How long a poll waits for a change before answering anyway.
const POLL_WAIT: Duration = Duration::from_secs(25);
/// Changes closer together than this are one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// The version the browsers poll, bumped after each rebuild is in place.
struct Shared {
    state: Mutex<(u64, bool)>,
    changed: Condvar,
}

impl Shared {
    fn publish(&self, error: bool) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 += 1;
        s.1 = error;
        self.changed.notify_all();
    }
}

/// What the pages are made from.
enum Content {
    Site(Arc<Site>, Arc<Theme>),
    /// The overlay page (HTML) listing the problems.
    Error(String),
}

struct Reply {
    status: u16,
    path: String,
    body: Arc<Vec<u8>>,
}

enum Msg {
    Get(String, Sender<Reply>),
    Replace(Content),
    Search(u64, Vec<OutputFile>),
}

/// Files that are not rendered: the theme's static folder (under
/// `assets/`, or the built-in one) and the project's `static/`.
#[derive(Clone)]
struct Statics {
    project: PathBuf,
    theme: Option<PathBuf>,
    builtin: Arc<HashMap<String, Arc<Vec<u8>>>>,
}

impl Statics {
    fn get(&self, path: &str) -> Option<Vec<u8>> {
        if path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return None;
        }
        if let Ok(b) = std::fs::read(self.project.join(path)) {
            return Some(b);
        }
        let rest = path
            .strip_prefix(crate::urls::ASSETS)
            .and_then(|r| r.strip_prefix('/'))?;
        match &self.theme {
            Some(t) => std::fs::read(t.join(rest)).ok(),
            None => self.builtin.get(path).map(|b| b.to_vec()),
        }
    }
}

/// Runs the server until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<()> {
    let t0 = Instant::now();
    let mut builder = Builder::new(opts.clone())?;
    let watching = builder.start_watching()?;
    let first = builder.rebuild(&[], true);
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port))
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("listening on {}:{}", opts.bind, opts.port))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_else(|| format!("{}:{}", opts.bind, opts.port));

    let shared = Arc::new(Shared {
        state: Mutex::new((0, false)),
        changed: Condvar::new(),
    });
    let (tx, rx) = channel::<Msg>();
    let statics = builder.statics();
    tx.send(Msg::Replace(first)).ok();
    {
        let (shared, tx2) = (shared.clone(), tx.clone());
        std::thread::Builder::new()
            .name("render".into())
            .spawn(move || render_thread(rx, tx2, shared, statics))?;
    }
    {
        let (shared, tx) = (shared.clone(), tx.clone());
        std::thread::Builder::new()
            .name("http".into())
            .spawn(move || {
                for req in server.incoming_requests() {
                    let (shared, tx) = (shared.clone(), tx.clone());
                    std::thread::spawn(move || handle(req, &tx, &shared));
                }
            })?;
    }
    // Serve the first build before announcing it.
    let (rtx, rrx) = channel();
    tx.send(Msg::Get("index.html".into(), rtx)).ok();
    rrx.recv().ok();
    println!(
        "serving http://{addr}/ (ready in {} ms; Ctrl-C to stop)",
        t0.elapsed().as_millis()
    );
    builder.watch(tx, watching)
}

/// A running file watcher and its events.
struct Watching {
    watcher: notify::RecommendedWatcher,
    roots: Vec<PathBuf>,
    events: Receiver<notify::Result<notify::Event>>,
}

/// Keeps what rebuilding needs between changes.
struct Builder {
    opts: ServeOptions,
    content: PathBuf,
    programme_dir: String,
    loaded: Loaded,
    cache: validate::ParseCache,
    theme: Option<Arc<Theme>>,
    theme_name: String,
}

impl Builder {
    fn new(opts: ServeOptions) -> Result<Builder> {
        let content = opts
            .build
            .content
            .canonicalize()
            .with_context(|| format!("content folder {}", opts.build.content.display()))?;
        Ok(Builder {
            content,
            programme_dir: String::new(),
            loaded: Loaded::default(),
            cache: validate::ParseCache::default(),
            theme: None,
            theme_name: String::new(),
            opts,
        })
    }

    fn theme_dir(&self) -> Option<PathBuf> {
        let name = if self.theme_name.is_empty() {
            "default"
        } else {
            &self.theme_name
        };
        theme_dir(&self.opts.build.project_root, name)
    }

    fn statics(&self) -> Statics {
        let builtin = crate::render::builtin_static()
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect();
        Statics {
            project: self.opts.build.project_root.join("static"),
            theme: self.theme_dir().map(|d| d.join("static")),
            builtin: Arc::new(builtin),
        }
    }

    /// Brings the loaded files up to date with `changed` (a full reload when
    /// anything but an existing programme file changed), validates, and
    /// returns what the pages are now made from.
    fn rebuild(&mut self, changed: &[PathBuf], full: bool) -> Content {
        let t = Instant::now();
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
            self.programme_dir = crate::programme_dir(&self.opts.build.content);
            self.loaded = load::load(&self.opts.build.content, &self.programme_dir);
        }
        let result = validate::validate_cached(&self.loaded, Some(&mut self.cache));
        let content = match result {
            Err(diags) => {
                let n = diags.error_count();
                let sorted = diags.sorted();
                for d in &sorted {
                    eprintln!("{}", d.render_human());
                }
                eprintln!("error: {n} problem(s) in the content; the browser shows them until they are fixed");
                Content::Error(overlay(&sorted))
            }
            Ok((site, warnings)) => {
                if !self.opts.quiet {
                    for d in warnings.sorted() {
                        eprintln!("{}", d.render_human());
                    }
                }
                if self.theme.is_none() || self.theme_name != site.config.theme {
                    self.theme_name = site.config.theme.clone();
                    if let Err(e) = self.load_theme() {
                        eprintln!("error: {e:#}");
                        return Content::Error(overlay_text(&format!("{e:#}")));
                    }
                }
                if !self.opts.quiet {
                    println!(
                        "rebuilt in {} ms: {} programmes",
                        t.elapsed().as_millis(),
                        site.programmes.len()
                    );
                }
                Content::Site(Arc::new(site), self.theme.clone().expect("theme loaded"))
            }
        };
        content
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

    /// Watches the content, theme and static folders; rebuilds on change.
    /// Starts watching (before the first load, so no change is missed).
    fn start_watching(&self) -> Result<Watching> {
        use notify::{RecursiveMode, Watcher};
        let (etx, erx) = channel::<notify::Result<notify::Event>>();
        let mut watcher = notify::recommended_watcher(etx).context("starting the file watcher")?;
        let mut roots = vec![self.content.clone()];
        if let Some(d) = self.theme_dir() {
            roots.push(d.canonicalize().unwrap_or(d));
        }
        let st = self.opts.build.project_root.join("static");
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

    /// Rebuilds on every change seen by `watching`.
    fn watch(mut self, tx: Sender<Msg>, watching: Watching) -> Result<()> {
        use notify::{RecursiveMode, Watcher};
        let Watching {
            mut watcher,
            roots,
            events: erx,
        } = watching;
        // The theme is known once the site config has been read.
        let theme = self.theme_dir().map(|d| d.canonicalize().unwrap_or(d));
        if let Some(t) = theme
            .as_ref()
            .filter(|t| !roots.iter().any(|r| t.starts_with(r)))
        {
            watcher
                .watch(t, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", t.display()))?;
        }
        let templates = theme.map(|d| d.join("templates"));
        // Reading a file is an event too (inotify reports opens): only
        // writes, creations, removals and renames count.
        let relevant = |r: notify::Result<notify::Event>| -> Vec<PathBuf> {
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
        };
        while let Ok(first) = erx.recv() {
            let mut events = relevant(first);
            if events.is_empty() {
                continue;
            }
            // Collect until the files have been quiet for DEBOUNCE.
            while let Ok(more) = erx.recv_timeout(DEBOUNCE) {
                events.extend(relevant(more));
            }
            events.sort();
            events.dedup();
            let content: Vec<PathBuf> = events
                .iter()
                .filter(|p| p.starts_with(&self.content))
                .cloned()
                .collect();
            let theme_changed = templates
                .as_ref()
                .is_some_and(|t| events.iter().any(|p| p.starts_with(t)));
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

    /// The current content again (after a static file changed).
    fn current(&mut self) -> Content {
        self.rebuild(&[], false)
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn overlay_text(text: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>mieruka serve: 内容に問題があります</title>\n<link rel=\"stylesheet\" href=\"/__mieruka/overlay.css\">\n</head>\n<body>\n<main>\n\
<h1 id=\"mieruka-errors\">内容に問題があります</h1>\n<p>ファイルを直して保存すると、このページは自動で読み込み直されます。</p>\n<pre>{}</pre>\n</main>\n</body>\n</html>\n",
        esc(text)
    )
}

fn overlay(diags: &[crate::diag::Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    let text: Vec<String> = diags.iter().map(|d| d.render_human()).collect();
    overlay_text(&format!("{errors} problem(s):\n\n{}", text.join("\n")))
}

/// What the render thread serves: one site version at a time.
fn render_thread(rx: Receiver<Msg>, tx: Sender<Msg>, shared: Arc<Shared>, statics: Statics) {
    let Ok(Msg::Replace(mut current)) = rx.recv() else {
        return;
    };
    let mut generation = 0u64;
    loop {
        generation += 1;
        let next = match &current {
            Content::Error(html) => {
                shared.publish(true);
                let body = Arc::new(html.clone().into_bytes());
                loop {
                    match rx.recv() {
                        Ok(Msg::Get(path, reply)) => {
                            let r = match statics.get(&path) {
                                Some(b) if !path.ends_with(".html") => Reply {
                                    status: 200,
                                    path,
                                    body: Arc::new(b),
                                },
                                _ => Reply {
                                    status: 500,
                                    path: "error.html".into(),
                                    body: body.clone(),
                                },
                            };
                            reply.send(r).ok();
                        }
                        Ok(Msg::Replace(c)) => break c,
                        Ok(Msg::Search(..)) => {}
                        Err(_) => return,
                    }
                }
            }
            Content::Site(site, theme) => {
                let renderer = Renderer::new(site, theme);
                let mut plan: HashMap<String, Job> = HashMap::new();
                for &job in renderer.jobs() {
                    for p in renderer.paths(job) {
                        plan.insert(p, job);
                    }
                }
                let mut cache: HashMap<String, Arc<Vec<u8>>> = HashMap::new();
                let mut search: Option<HashMap<String, Arc<Vec<u8>>>> = None;
                let mut search_started = false;
                let mut waiting: Vec<(String, Sender<Reply>)> = Vec::new();
                shared.publish(false);
                let respond = |path: String,
                               cache: &mut HashMap<String, Arc<Vec<u8>>>,
                               search: &Option<HashMap<String, Arc<Vec<u8>>>>|
                 -> Reply {
                    if let Some(b) = cache.get(&path) {
                        return Reply {
                            status: 200,
                            path,
                            body: b.clone(),
                        };
                    }
                    if let Some(&job) = plan.get(&path) {
                        match renderer.render_job(job) {
                            Ok(files) => {
                                for f in files {
                                    cache.insert(f.path, Arc::new(f.bytes));
                                }
                                if let Some(b) = cache.get(&path) {
                                    return Reply {
                                        status: 200,
                                        path,
                                        body: b.clone(),
                                    };
                                }
                                // A job's optional file it did not write (sitemap.xml without base_url).
                            }
                            Err(e) => {
                                eprintln!("error: rendering {path}: {e:#}");
                                return Reply {
                                    status: 500,
                                    path: "error.html".into(),
                                    body: Arc::new(overlay_text(&format!("{e:#}")).into_bytes()),
                                };
                            }
                        }
                    } else if let Some(b) = search.as_ref().and_then(|s| s.get(&path)) {
                        return Reply {
                            status: 200,
                            path,
                            body: b.clone(),
                        };
                    } else if let Some(b) = statics.get(&path) {
                        return Reply {
                            status: 200,
                            path,
                            body: Arc::new(b),
                        };
                    }
                    let body = match renderer.render_job(Job::NotFound) {
                        Ok(f) => f.into_iter().next().map(|f| f.bytes).unwrap_or_default(),
                        Err(_) => b"not found".to_vec(),
                    };
                    Reply {
                        status: 404,
                        path: "404.html".into(),
                        body: Arc::new(body),
                    }
                };
                loop {
                    match rx.recv() {
                        Ok(Msg::Get(path, reply)) => {
                            if path.starts_with(&format!("{}/", crate::urls::SEARCH_INDEX))
                                && site.config.outputs.search
                                && !plan.contains_key(&path)
                                && search.is_none()
                            {
                                if !search_started {
                                    search_started = true;
                                    let (site, tx, g) = (site.clone(), tx.clone(), generation);
                                    std::thread::spawn(move || {
                                        tx.send(Msg::Search(g, search::build(&site))).ok();
                                    });
                                }
                                waiting.push((path, reply));
                                continue;
                            }
                            reply.send(respond(path, &mut cache, &search)).ok();
                        }
                        Ok(Msg::Search(g, files)) if g == generation => {
                            search = Some(
                                files
                                    .into_iter()
                                    .map(|f| (f.path, Arc::new(f.bytes)))
                                    .collect(),
                            );
                            for (path, reply) in waiting.drain(..) {
                                reply.send(respond(path, &mut cache, &search)).ok();
                            }
                        }
                        Ok(Msg::Search(..)) => {}
                        Ok(Msg::Replace(c)) => break c,
                        Err(_) => return,
                    }
                }
            }
        };
        current = next;
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Inserts the live-reload script before the last `</body>`.
pub fn inject_livereload(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    match html.windows(needle.len()).rposition(|w| w == needle) {
        Some(i) => {
            let mut out = Vec::with_capacity(html.len() + SCRIPT_TAG.len() + 1);
            out.extend_from_slice(&html[..i]);
            out.extend_from_slice(SCRIPT_TAG.as_bytes());
            out.push(b'\n');
            out.extend_from_slice(&html[i..]);
            out
        }
        None => {
            let mut out = html.to_vec();
            out.extend_from_slice(SCRIPT_TAG.as_bytes());
            out
        }
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn send(req: tiny_http::Request, status: u16, ctype: &str, body: Vec<u8>, extra: &[(&str, &str)]) {
    let mut resp = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("Content-Security-Policy", "default-src 'self'"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    for (k, v) in extra {
        resp.add_header(header(k, v));
    }
    req.respond(resp).ok();
}

fn handle(req: tiny_http::Request, tx: &Sender<Msg>, shared: &Shared) {
    if !matches!(
        req.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return send(
            req,
            405,
            "text/plain; charset=utf-8",
            b"method not allowed".to_vec(),
            &[],
        );
    }
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let path = percent_decode(path);
    match path.as_str() {
        "/__mieruka/livereload.js" => {
            return send(
                req,
                200,
                content_type(".js"),
                LIVERELOAD_JS.as_bytes().to_vec(),
                &[],
            )
        }
        "/__mieruka/overlay.css" => {
            return send(
                req,
                200,
                content_type(".css"),
                OVERLAY_CSS.as_bytes().to_vec(),
                &[],
            )
        }
        "/__mieruka/poll" => {
            let since: Option<u64> = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(|v| v.parse().ok());
            let mut s = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(v) = since {
                let deadline = Instant::now() + POLL_WAIT;
                while s.0 == v {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    s = shared
                        .changed
                        .wait_timeout(s, left)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
            let body = format!("{{\"version\":{},\"error\":{}}}", s.0, s.1);
            drop(s);
            return send(req, 200, "application/json", body.into_bytes(), &[]);
        }
        _ => {}
    }
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let get = |rel: String| -> Option<Reply> {
        let (rtx, rrx) = channel();
        tx.send(Msg::Get(rel, rtx)).ok()?;
        rrx.recv().ok()
    };
    let Some(mut reply) = get(rel.clone()) else {
        return send(
            req,
            503,
            "text/plain; charset=utf-8",
            b"shutting down".to_vec(),
            &[],
        );
    };
    // `/programmes/x` → `/programmes/x/` when that page exists.
    if reply.status == 404 && !rel.rsplit('/').next().unwrap_or("").contains('.') {
        if let Some(r) = get(format!("{rel}/index.html")) {
            if r.status == 200 {
                let to = format!("{}/", path.trim_end_matches('/'));
                return send(
                    req,
                    301,
                    "text/plain; charset=utf-8",
                    Vec::new(),
                    &[("Location", &to)],
                );
            }
            reply = Reply {
                status: reply.status,
                ..reply
            };
        }
    }
    let ctype = content_type(&reply.path);
    let body = if ctype.starts_with("text/html") {
        inject_livereload(&reply.body)
    } else {
        reply.body.to_vec()
    };
    send(req, reply.status, ctype, body, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></body></html>\n";
        let out = String::from_utf8(inject_livereload(html)).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script src=\"/__mieruka/livereload.js\"></script>\n</body></html>\n");
    }

    #[test]
    fn paths_are_decoded() {
        assert_eq!(percent_decode("/a%20b/"), "/a b/");
        assert_eq!(percent_decode("/%E4%BA%8B/"), "/事/");
        assert_eq!(percent_decode("/100%"), "/100%");
    }

    #[test]
    fn statics_refuse_dot_segments() {
        let s = Statics {
            project: PathBuf::from("."),
            theme: None,
            builtin: Arc::new(HashMap::new()),
        };
        assert!(s.get("../etc/passwd").is_none());
        assert!(s.get("a//b").is_none());
    }
}
