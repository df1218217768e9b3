//! The one owner of the site's paths and addresses.
//!
//! Every file of a built site has a path relative to the site root,
//! `/`-separated (`programmes/2024-general-08/index.html`); pages link to
//! each other relatively (the page's `root` prefix, `../../`, plus the
//! path), so a site works in any folder and from `file://`. With an absolute
//! `base_url`, the same paths also give absolute addresses (canonical links,
//! the sitemap, the feed, permalinks), with `index.html` left out.
//!
//! The page plan (`render::jobs`) and every page, chart, data file and
//! feed ask this module for paths; none builds one by hand, so the plan and
//! the links cannot disagree.

use crate::model::Site;

/// The home page.
pub const HOME: &str = "index.html";
/// The list of every programme (or of the sources, when split).
pub const PROGRAMMES: &str = "programmes/index.html";
/// The open-data page.
pub const DATA_PAGE: &str = "data/index.html";
/// The JSON Schema of the programme records.
pub const SCHEMA: &str = "data/schema.json";
/// The search page.
pub const SEARCH: &str = "search/index.html";
/// The accessibility statement.
pub const ACCESSIBILITY: &str = "accessibility/index.html";
/// The glossary: the declared measures and dimensions explained.
pub const GLOSSARY: &str = "glossary/index.html";
/// The page servers show for a missing address.
pub const NOT_FOUND: &str = "404.html";
/// The sitemap (or the index of its parts).
pub const SITEMAP: &str = "sitemap.xml";
/// The Atom feed.
pub const FEED: &str = "feed.xml";
/// robots.txt.
pub const ROBOTS: &str = "robots.txt";
/// The folder the theme's static files go into.
pub const ASSETS: &str = "assets";
/// The folder of the search index's files (`search/p/…`, `search/meta.js`;
/// their layout is the search index's own, docs/search.md).
pub const SEARCH_INDEX: &str = "search";
/// The folder of the embeddable cards.
pub const EMBED: &str = "embed";
/// The base name of the whole list's data files (`.csv`, `.utf8.csv`, `.json`).
pub const DATA_ALL: &str = "data/programmes";
/// The base name of the sources files (`.csv`, `.utf8.csv`, `.json`): each
/// source with its declared and recomputed totals.
pub const DATA_SOURCES: &str = "data/sources";

/// Relative prefix from a page at `path` back to the site root (`""` at the
/// root, `../../` two folders down).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Path of page `page` (0-based) of a list whose first page is
/// `dir/index.html`: `dir/page/2/index.html` for the second.
pub fn page(dir: &str, page: usize) -> String {
    if page == 0 {
        format!("{dir}/index.html")
    } else {
        format!("{dir}/page/{}/index.html", page + 1)
    }
}

/// The relative link from the page at `from` to the file at `to` (both
/// relative to the site root): `../b/index.html` between two programmes.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The address form of a path: `index.html` left out (`programmes/x/`).
pub fn pretty(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// Paths and addresses of one site.
#[derive(Clone, Copy)]
pub struct Urls<'a> {
    site: &'a Site,
}

impl<'a> Urls<'a> {
    /// The paths of `site`.
    pub fn new(site: &'a Site) -> Self {
        Urls { site }
    }

    /// The absolute base URL (ending in `/`) when `base_url` is an http(s)
    /// URL; `None` otherwise (the site then has only relative links).
    pub fn base(&self) -> Option<String> {
        let b = self.site.config.base_url.as_deref()?.trim();
        if !(b.starts_with("https://") || b.starts_with("http://")) {
            return None;
        }
        Some(if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        })
    }

    /// The absolute address of a path, when the base URL is known.
    pub fn absolute(&self, path: &str) -> Option<String> {
        self.base().map(|b| format!("{b}{}", pretty(path)))
    }

    /// The folder of a programme page by id (`programmes/<id>`).
    pub fn programme_dir_of(id: &str) -> String {
        format!("programmes/{id}")
    }

    /// Whether records are joined into series (`series:` in `_site.yaml`):
    /// then a record's page is under its series' permalink.
    fn by_series(&self) -> bool {
        self.site.config.series.is_some()
    }

    /// The folder of a record's page: `programmes/<id>`, or with series
    /// `programmes/<series>/<fiscal year>`.
    fn record_dir(&self, p: usize) -> String {
        let pr = &self.site.programmes[p];
        if self.by_series() {
            format!(
                "{}/{}",
                Self::programme_dir_of(&self.site.series[pr.series].id),
                pr.fiscal_year
            )
        } else {
            Self::programme_dir_of(&pr.id)
        }
    }

    /// A programme's page (one record: one programme in one fiscal year).
    pub fn programme(&self, p: usize) -> String {
        format!("{}/index.html", self.record_dir(p))
    }

    /// A series' page, the permalink that outlives every year
    /// (`programmes/<series>/`), when the site declares series.
    pub fn series(&self, s: usize) -> Option<String> {
        self.by_series().then(|| {
            format!(
                "{}/index.html",
                Self::programme_dir_of(&self.site.series[s].id)
            )
        })
    }

    /// The page at a record's own id (`programmes/<id>/`) when its page is
    /// under its series: a redirect, so that an id keeps working.
    pub fn record_redirect(&self, p: usize) -> Option<String> {
        self.by_series()
            .then(|| self.alias(&self.site.programmes[p].id))
    }

    /// The page at an old id of a programme (an alias), which redirects.
    pub fn alias(&self, alias: &str) -> String {
        format!("{}/index.html", Self::programme_dir_of(alias))
    }

    /// A programme's embeddable card.
    pub fn embed(&self, p: usize) -> String {
        let dir = self.record_dir(p);
        let rest = dir.strip_prefix("programmes/").unwrap_or(&dir);
        format!("{EMBED}/programmes/{rest}/index.html")
    }

    /// A programme's permalink: absolute with a base URL, else the
    /// address relative to the site root.
    pub fn permalink(&self, p: usize) -> String {
        self.link(&self.programme(p))
    }

    /// The address of a page: absolute with a base URL, else relative to
    /// the site root.
    pub fn link(&self, path: &str) -> String {
        self.absolute(path)
            .unwrap_or_else(|| pretty(path).to_string())
    }

    /// The page of one fiscal year of a site of several (`years/<fy>/`).
    pub fn year(&self, fy: i32) -> String {
        format!("years/{fy}/index.html")
    }

    /// The page of one fiscal year of a dimension value
    /// (`<path>/<slug>/<fy>/`), in a site of several years.
    pub fn value_year(&self, d: usize, e: usize, fy: i32) -> Option<String> {
        self.value_dir(d, e)
            .map(|dir| format!("{dir}/{fy}/index.html"))
    }

    /// A programme's own JSON document (`data/programmes/<id>.json`), at
    /// its record id, which stays when a later year is added.
    pub fn programme_data(&self, p: usize) -> String {
        format!("{DATA_ALL}/{}.json", self.site.programmes[p].id)
    }

    /// A source's table file, published unchanged (`data/sources/<file>`).
    pub fn source_table(name: &str) -> String {
        format!("{DATA_SOURCES}/{name}")
    }

    /// A dimension value's Atom feed (`<path>/<slug>/feed.xml`).
    pub fn value_feed(&self, d: usize, e: usize) -> Option<String> {
        self.value_dir(d, e).map(|dir| format!("{dir}/feed.xml"))
    }

    /// The base name of the changes files between two years
    /// (`data/changes/<previous>-<year>`).
    pub fn changes_base(previous: i32, year: i32) -> String {
        format!("data/changes/{previous}-{year}")
    }

    /// The list page of a dimension with pages (`path:` in `_site.yaml`).
    pub fn dimension(&self, d: usize) -> Option<String> {
        self.dimension_page(d, 0)
    }

    /// Page `page` (0-based) of a dimension's list of values
    /// (`<path>/page/2/index.html` for the second).
    pub fn dimension_page(&self, d: usize, page: usize) -> Option<String> {
        let path = self.site.dims[d].decl.path.as_deref()?;
        Some(self::page(path, page))
    }

    /// The folder of a dimension value's pages (`<path>/<slug>`).
    pub fn value_dir(&self, d: usize, e: usize) -> Option<String> {
        let dim = &self.site.dims[d];
        let path = dim.decl.path.as_deref()?;
        Some(format!("{path}/{}", dim.entries[e].slug))
    }

    /// The first page of a dimension value.
    pub fn value(&self, d: usize, e: usize) -> Option<String> {
        self.value_dir(d, e).map(|dir| format!("{dir}/index.html"))
    }

    /// The folder of a source's pages (`sources/<id>`), when the
    /// programme list is split by source.
    pub fn source_dir(&self, s: usize) -> String {
        format!("sources/{}", self.site.sources[s].id)
    }

    /// The base name of a list's data files: the whole list, or a
    /// dimension value's (`data/<path>/<slug>`).
    pub fn data_base(&self, value: Option<(usize, usize)>) -> String {
        match value.and_then(|(d, e)| self.value_dir(d, e)) {
            Some(dir) => format!("data/{dir}"),
            None => DATA_ALL.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_roots() {
        assert_eq!(page("municipalities/x", 0), "municipalities/x/index.html");
        assert_eq!(
            page("municipalities/x", 1),
            "municipalities/x/page/2/index.html"
        );
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("programmes/a/index.html"), "../../");
        assert_eq!(pretty("programmes/a/index.html"), "programmes/a/");
        assert_eq!(pretty("feed.xml"), "feed.xml");
        assert_eq!(
            relative("programmes/a/index.html", "programmes/b/index.html"),
            "../b/index.html"
        );
        assert_eq!(
            relative("index.html", "programmes/b/index.html"),
            "programmes/b/index.html"
        );
        assert_eq!(relative("a/b/c/index.html", "a/x.html"), "../../x.html");
        assert_eq!(relative("a/index.html", "a/index.html"), "index.html");
    }
}
