//! Every internal link and asset in the output resolves to a file.

use crate::support::*;

#[test]
fn every_internal_link_resolves() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let broken = broken_links(&t.out());
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
    // All but the 404 page, which a server shows at any depth (web.rs).
    for f in files(&t.out())
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
    {
        for l in links(&t.page(&f)) {
            assert!(!l.starts_with('/'), "{f}: {l}");
        }
    }
}
