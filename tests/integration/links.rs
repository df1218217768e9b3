//! Every internal link and asset in the output resolves to a file.

use crate::support::*;
use std::path::Path;

/// All href/src attribute values in an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(j) = rest.find('"') {
                out.push(rest[..j].replace("&amp;", "&"));
                rest = &rest[j..];
            }
        }
    }
    out
}

pub fn check_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for f in files(site).into_iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(site.join(&f)).unwrap();
        let dir = site.join(&f).parent().unwrap().to_path_buf();
        for l in links(&html) {
            if l.starts_with("http://")
                || l.starts_with("https://")
                || l.starts_with("mailto:")
                || l.starts_with('#')
            {
                continue;
            }
            assert!(!l.starts_with('/'), "{f}: absolute link {l}");
            let path = l.split(['#', '?']).next().unwrap();
            if path.is_empty() {
                continue;
            }
            let target = dir.join(path);
            let ok = if path.ends_with('/') {
                target.join("index.html").is_file()
            } else {
                target.is_file()
            };
            if !ok {
                broken.push(format!("{f} -> {l}"));
            }
        }
    }
    broken
}

#[test]
fn every_internal_link_resolves() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let broken = check_links(&t.out());
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    // And there are plenty of links to check.
    let n: usize = files(&t.out())
        .iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| links(&t.page(f)).len())
        .sum();
    assert!(n > 1000, "only {n} links");
}

#[test]
fn links_are_relative_so_the_site_works_in_any_folder() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    for f in files(&t.out()).into_iter().filter(|f| f.ends_with(".html")) {
        for l in links(&t.page(&f)) {
            assert!(!l.starts_with('/'), "{f}: {l}");
        }
    }
}
