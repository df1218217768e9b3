//! `mieruka serve`: a development server with instant rebuilds.
//!
//! Listens on 127.0.0.1 by default. Nothing is written to disk: the content
//! is loaded and validated once, and each page is rendered when it is first
//! requested (`Renderer::render_job`) and kept until the next change. A
//! watcher (notify) sees changes under the content folder, the theme and
//! `static/`; an edited programme file is re-read alone, and validation
//! parses again only the files whose text changed
//! (`validate::ParseCache`), so a rebuild costs the cross-file checks and
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
//!
//! Four threads: `run` keeps the content current (watch.rs), the render
//! thread serves one version of it (pages.rs), the HTTP thread starts one
//! thread per request (http.rs), and the search index is built on its own.
//! They talk through the messages of state.rs; overlay.rs holds what
//! `serve` adds to the pages.

mod http;
mod overlay;
mod pages;
mod state;
mod watch;

pub use overlay::{inject_livereload, LIVERELOAD_JS};

use crate::BuildOptions;
use anyhow::{Context, Result};
use state::{Msg, Shared};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::Instant;
use watch::Builder;

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

/// Runs the server until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<()> {
    let t0 = Instant::now();
    let mut builder = Builder::new(opts.build.clone(), opts.quiet)?;
    let watching = builder.start_watching()?;
    let first = builder.rebuild(&[], true);
    let (server, addr) = listen(&opts)?;
    let shared = Arc::new(Shared::new());
    let (tx, rx) = channel::<Msg>();
    let statics = builder.statics();
    tx.send(Msg::Replace(first)).ok();
    spawn_render(rx, tx.clone(), shared.clone(), statics)?;
    let mount = opts
        .build
        .base_url
        .as_deref()
        .map_or_else(|| "/".to_string(), crate::config::base_path);
    spawn_http(server, tx.clone(), shared, mount.clone())?;
    // Serve the first build before announcing it.
    let (rtx, rrx) = channel();
    tx.send(Msg::Get("index.html".into(), rtx)).ok();
    rrx.recv().ok();
    println!(
        "serving http://{addr}{mount} (ready in {} ms; Ctrl-C to stop)",
        t0.elapsed().as_millis()
    );
    builder.watch(tx, watching)
}

/// The HTTP server on the address of `opts`, and that address as bound
/// (with the port chosen when `opts.port` is 0).
fn listen(opts: &ServeOptions) -> Result<(tiny_http::Server, String)> {
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port))
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("listening on {}:{}", opts.bind, opts.port))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_else(|| format!("{}:{}", opts.bind, opts.port));
    Ok((server, addr))
}

/// Starts the render thread (see pages.rs).
fn spawn_render(
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    shared: Arc<Shared>,
    statics: pages::Statics,
) -> Result<()> {
    std::thread::Builder::new()
        .name("render".into())
        .spawn(move || pages::render_thread(rx, tx, shared, statics))?;
    Ok(())
}

/// Starts the HTTP thread, which answers each request on a thread of its
/// own (see http.rs).
fn spawn_http(
    server: tiny_http::Server,
    tx: Sender<Msg>,
    shared: Arc<Shared>,
    mount: String,
) -> Result<()> {
    std::thread::Builder::new()
        .name("http".into())
        .spawn(move || {
            for req in server.incoming_requests() {
                let (shared, tx, mount) = (shared.clone(), tx.clone(), mount.clone());
                std::thread::spawn(move || http::handle(req, &tx, &shared, &mount));
            }
        })?;
    Ok(())
}
