//! The discovery files: sitemap.xml (with a base URL; an index of parts
//! beyond 50,000 addresses), feed.xml (Atom) and robots.txt.

use crate::model::Site;
use crate::output::OutputFile;
use crate::urls::{self, Urls};

/// Most URLs in one sitemap file (the sitemaps.org limit).
pub const SITEMAP_URLS: usize = 50_000;
/// Most entries in the feed (the newest fiscal years first).
pub const FEED_ENTRIES: usize = 500;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// sitemap.xml (only with a base URL), feed.xml (Atom) and robots.txt.
pub fn discovery_files(site: &Site, pages: &[String]) -> Vec<OutputFile> {
    let base = Urls::new(site).base();
    let mut out = match &base {
        Some(b) => sitemaps(b, pages),
        None => Vec::new(),
    };
    let all = crate::model::totals::source_order(site, &site.all());
    out.push(feed(
        site,
        base.as_deref(),
        &Feed {
            path: urls::FEED,
            title: &site.config.title,
            page: urls::HOME,
            set: &all,
        },
    ));
    out.push(robots(base.as_deref()));
    out
}

/// sitemap.xml: one file while the sitemaps.org limit (50,000 URLs)
/// allows it, else an index of numbered files.
fn sitemaps(b: &str, pages: &[String]) -> Vec<OutputFile> {
    let mut out = Vec::new();
    // One file while the sitemaps.org limit (50,000 URLs) allows it, else
    // an index of numbered files.
    let urls: Vec<&String> = pages
        .iter()
        .filter(|p| {
            p.ends_with(".html")
                && !p.starts_with(&format!("{}/", urls::EMBED))
                && p.as_str() != urls::NOT_FOUND
        })
        .collect();
    let urlset = |urls: &[&String]| {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in urls {
            let url = format!("{b}{}", urls::pretty(p));
            s.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&url)));
        }
        s.push_str("</urlset>\n");
        s
    };
    if urls.len() <= SITEMAP_URLS {
        out.push(OutputFile::new(urls::SITEMAP, urlset(&urls)));
    } else {
        let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (i, chunk) in urls.chunks(SITEMAP_URLS).enumerate() {
            let name = format!("sitemap-{}.xml", i + 1);
            index.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                xml_escape(&format!("{b}{name}"))
            ));
            out.push(OutputFile::new(name, urlset(chunk)));
        }
        index.push_str("</sitemapindex>\n");
        out.push(OutputFile::new(urls::SITEMAP, index));
    }
    out
}

/// What an Atom feed lists.
pub struct Feed<'a> {
    /// The feed's own path (`feed.xml`, `<path>/<slug>/feed.xml`).
    pub path: &'a str,
    /// Its title.
    pub title: &'a str,
    /// The page it is the feed of.
    pub page: &'a str,
    /// The programmes, in source order.
    pub set: &'a [usize],
}

/// A dimension value's feed: its programmes, titled with the value's name,
/// linked from its page (`<path>/<slug>/feed.xml`).
pub fn value_feed(site: &Site, d: usize, e: usize) -> Option<OutputFile> {
    let u = Urls::new(site);
    let path = u.value_feed(d, e)?;
    let page = u.value(d, e)?;
    let set = crate::model::totals::source_order(site, &site.dims[d].programmes[e]);
    let title = format!(
        "{}（{}）| {}",
        site.dims[d].entries[e].name, site.dims[d].decl.label, site.config.title
    );
    Some(feed(
        site,
        Urls::new(site).base().as_deref(),
        &Feed {
            path: &path,
            title: &title,
            page: &page,
            set: &set,
        },
    ))
}

/// An Atom feed of `f.set` (the newest fiscal years first when cut at
/// FEED_ENTRIES). Without a base URL its links are relative to the feed.
pub fn feed(site: &Site, base: Option<&str>, f_: &Feed) -> OutputFile {
    let u = Urls::new(site);
    let updated = format!(
        "{}T00:00:00Z",
        site.config
            .as_of
            .clone()
            .unwrap_or_else(|| "2000-01-01".into())
    );
    let link = |rel: &str| match &base {
        Some(b) => format!("{b}{rel}"),
        None => urls::relative(f_.path, rel),
    };
    let id_of = |rel: &str| match &base {
        Some(b) => format!("{b}{rel}"),
        None => format!("tag:mieruka,2024:{}", rel),
    };
    let mut f = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    f.push_str(&xml_escape(&site.config.language));
    f.push_str("\">\n");
    f.push_str(&format!("  <title>{}</title>\n", xml_escape(f_.title)));
    f.push_str(&format!("  <id>{}</id>\n", xml_escape(&id_of(f_.path))));
    f.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        xml_escape(&link(f_.path))
    ));
    f.push_str(&format!(
        "  <link href=\"{}\"/>\n",
        xml_escape(&link(f_.page))
    ));
    f.push_str(&format!("  <updated>{updated}</updated>\n"));
    f.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(if site.config.publisher.is_empty() {
            "mieruka"
        } else {
            &site.config.publisher
        })
    ));
    let mut entries = f_.set.to_vec();
    if entries.len() > FEED_ENTRIES {
        // The newest fiscal years only (in source order within a year).
        entries.sort_by_key(|&p| std::cmp::Reverse(site.programmes[p].fiscal_year));
        entries.truncate(FEED_ENTRIES);
    }
    for p in entries {
        let pr = &site.programmes[p];
        let rel = u.programme(p);
        f.push_str("  <entry>\n");
        f.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&site.programme_title(p))
        ));
        f.push_str(&format!(
            "    <id>{}</id>\n",
            xml_escape(&id_of(urls::pretty(&rel)))
        ));
        f.push_str(&format!(
            "    <link href=\"{}\"/>\n",
            xml_escape(&link(&rel))
        ));
        f.push_str(&format!("    <updated>{updated}</updated>\n"));
        let text = crate::markdown::plain_text(&pr.summary);
        f.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&text)));
        f.push_str("  </entry>\n");
    }
    f.push_str("</feed>\n");
    OutputFile::new(f_.path, f)
}

/// robots.txt: everything allowed, the sitemap named when there is one.
fn robots(base: Option<&str>) -> OutputFile {
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = &base {
        robots.push_str(&format!("Sitemap: {b}{}\n", urls::SITEMAP));
    }
    OutputFile::new(urls::ROBOTS, robots)
}
