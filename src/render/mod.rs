//! Stage 4, render: the immutable [`Site`] in, pages and data files out
//! (as [`OutputFile`]s).
//!
//! `jobs.rs` plans the site as jobs whose output paths are known before
//! rendering and renders them in parallel; `pages/` builds each page's
//! template values; `theme.rs` holds the compiled templates; `view.rs` the
//! Serialize-only types templates see; `data.rs` the CSV and JSON files;
//! `sources.rs` the sources files (declared and recomputed totals);
//! `discovery.rs` the sitemap, the feeds and robots.txt. Templates see only view
//! types; every string is escaped by tera's autoescape, except Markdown
//! that [`markdown`](crate::markdown) has made safe.

pub mod changes;
pub mod data;
pub mod discovery;
pub mod jobs;
mod pages;
pub mod sources;
pub(crate) mod theme;
pub(crate) mod view;

pub use theme::{builtin_static, Theme};

use crate::model::Site;
use crate::output::OutputFile;
use anyhow::Result;

/// Renders every page (in memory, sorted by path). `build` streams the same
/// files to disk instead, job by job (see [`jobs`]).
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>> {
    jobs::Renderer::new(site, theme).render_all()
}
