//! The render thread: it serves one version of the content at a time. Each
//! page is rendered when first requested ([`Renderer::render_job`]) and
//! kept until the next change; the search index is built on the first
//! request for one of its files; files that are not rendered come from the
//! theme's and the project's static folders. While the content has errors,
//! every page is the overlay.

use super::overlay::overlay_text;
use super::state::{Content, Msg, Reply, Shared};
use crate::model::Site;
use crate::render::jobs::{Job, Renderer};
use crate::render::Theme;
use crate::search;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;

/// Files that are not rendered: the theme's static folder (under
/// `assets/`, or the built-in one) and the project's `static/`.
#[derive(Clone)]
pub(super) struct Statics {
    pub project: PathBuf,
    pub theme: Option<PathBuf>,
    pub builtin: Arc<HashMap<String, Arc<Vec<u8>>>>,
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

/// Serves what `rx` asks for, starting with the first content it is sent,
/// until every sender is gone.
pub(super) fn render_thread(
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    shared: Arc<Shared>,
    statics: Statics,
) {
    let thread = RenderThread {
        rx,
        tx,
        shared,
        statics,
    };
    let Ok(Msg::Replace(mut current)) = thread.rx.recv() else {
        return;
    };
    let mut generation = 0u64;
    loop {
        generation += 1;
        let next = match &current {
            Content::Error(html) => thread.serve_errors(html),
            Content::Site(site, theme) => thread.serve_site(site, theme, generation),
        };
        let Some(next) = next else { return };
        current = next;
    }
}

/// The render thread's channels and what it serves besides the pages.
struct RenderThread {
    rx: Receiver<Msg>,
    /// To itself: the search index, built on another thread.
    tx: Sender<Msg>,
    shared: Arc<Shared>,
    statics: Statics,
}

impl RenderThread {
    /// Serves the overlay page `html` for every page (static files still
    /// as they are) until new content comes; None when the server stops.
    fn serve_errors(&self, html: &str) -> Option<Content> {
        self.shared.publish(true);
        let body = Arc::new(html.as_bytes().to_vec());
        loop {
            match self.rx.recv() {
                Ok(Msg::Get(path, reply)) => {
                    let r = match self.statics.get(&path) {
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
                Ok(Msg::Replace(c)) => return Some(c),
                Ok(Msg::Search(..)) => {}
                Err(_) => return None,
            }
        }
    }

    /// Serves generation `generation` of the site until new content comes;
    /// None when the server stops. Requests for the search index wait
    /// until it is built.
    fn serve_site(&self, site: &Arc<Site>, theme: &Theme, generation: u64) -> Option<Content> {
        let mut pages = Pages::new(Renderer::new(site, theme), &self.statics);
        let mut search_started = false;
        let mut waiting: Vec<(String, Sender<Reply>)> = Vec::new();
        self.shared.publish(false);
        loop {
            match self.rx.recv() {
                Ok(Msg::Get(path, reply)) => {
                    if pages.waits_for_search(&path) {
                        if !search_started {
                            search_started = true;
                            self.build_search(site, generation);
                        }
                        waiting.push((path, reply));
                        continue;
                    }
                    reply.send(pages.respond(path)).ok();
                }
                Ok(Msg::Search(g, files)) if g == generation => {
                    pages.search = Some(
                        files
                            .into_iter()
                            .map(|f| (f.path, Arc::new(f.bytes)))
                            .collect(),
                    );
                    for (path, reply) in waiting.drain(..) {
                        reply.send(pages.respond(path)).ok();
                    }
                }
                Ok(Msg::Search(..)) => {}
                Ok(Msg::Replace(c)) => return Some(c),
                Err(_) => return None,
            }
        }
    }

    /// Builds the search index of `site` on another thread, which sends it
    /// back for `generation`.
    fn build_search(&self, site: &Arc<Site>, generation: u64) {
        let (site, tx) = (site.clone(), self.tx.clone());
        std::thread::spawn(move || {
            tx.send(Msg::Search(generation, search::build(&site))).ok();
        });
    }
}

/// The files of one version of the site: rendered on request and kept.
struct Pages<'a> {
    renderer: Renderer<'a>,
    statics: &'a Statics,
    /// The job that makes each path.
    plan: HashMap<String, Job>,
    /// The files rendered so far.
    cache: HashMap<String, Arc<Vec<u8>>>,
    /// The search index, once built.
    search: Option<HashMap<String, Arc<Vec<u8>>>>,
}

impl<'a> Pages<'a> {
    fn new(renderer: Renderer<'a>, statics: &'a Statics) -> Pages<'a> {
        let mut plan: HashMap<String, Job> = HashMap::new();
        for &job in renderer.jobs() {
            for p in renderer.paths(job) {
                plan.insert(p, job);
            }
        }
        Pages {
            renderer,
            statics,
            plan,
            cache: HashMap::new(),
            search: None,
        }
    }

    /// Whether `path` is a file of the search index, which is not built
    /// yet.
    fn waits_for_search(&self, path: &str) -> bool {
        path.starts_with(&format!("{}/", crate::urls::SEARCH_INDEX))
            && self.renderer.site.config.outputs.search
            && !self.plan.contains_key(path)
            && self.search.is_none()
    }

    /// The file at `path`; the 404 page when there is none.
    fn respond(&mut self, path: String) -> Reply {
        match self.find(&path) {
            Ok(Some(body)) => Reply {
                status: 200,
                path,
                body,
            },
            Ok(None) => self.not_found(),
            Err(e) => {
                eprintln!("error: rendering {path}: {e:#}");
                Reply {
                    status: 500,
                    path: "error.html".into(),
                    body: Arc::new(overlay_text(&format!("{e:#}")).into_bytes()),
                }
            }
        }
    }

    /// The file at `path`: rendered before, rendered now by its job (with
    /// the job's other files), from the search index, or a static file.
    fn find(&mut self, path: &str) -> anyhow::Result<Option<Arc<Vec<u8>>>> {
        if let Some(b) = self.cache.get(path) {
            return Ok(Some(b.clone()));
        }
        if let Some(&job) = self.plan.get(path) {
            for f in self.renderer.render_job(job)? {
                self.cache.insert(f.path, Arc::new(f.bytes));
            }
            // None: a job's optional file it did not write (sitemap.xml
            // without base_url).
            return Ok(self.cache.get(path).cloned());
        }
        if let Some(b) = self.search.as_ref().and_then(|s| s.get(path)) {
            return Ok(Some(b.clone()));
        }
        Ok(self.statics.get(path).map(Arc::new))
    }

    fn not_found(&self) -> Reply {
        let body = match self.renderer.render_job(Job::NotFound) {
            Ok(f) => f.into_iter().next().map(|f| f.bytes).unwrap_or_default(),
            Err(_) => b"not found".to_vec(),
        };
        Reply {
            status: 404,
            path: "404.html".into(),
            body: Arc::new(body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
