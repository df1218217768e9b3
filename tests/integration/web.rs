//! What web teams and the press use: the site's address per deploy
//! (`--base-url`), embeds and citations that work where they are pasted,
//! and a 404 page that works at any depth.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::support::*;

const PAGE: &str = "programmes/2024-general-08/index.html";

#[test]
fn build_base_url_gives_absolute_citations_snippets_and_a_sitemap() {
    let t = SiteTest::tokyo();
    // The flag wins over `_site.yaml`.
    t.edit(
        &t.content().join("_site.yaml"),
        "language: ja\n",
        "language: ja\nbase_url: https://example.jp/production/\n",
    );
    let o = t.run(&[
        "build",
        "--quiet",
        "--base-url",
        "https://preview.example.net/pr-7",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("W104"), "{}", stderr(&o));
    let page = t.page(PAGE);
    let abs = "https://preview.example.net/pr-7/programmes/2024-general-08/";
    assert!(page.contains(&format!("掲載：{abs}</textarea>")), "{page}");
    assert!(page.contains(&format!(
        "固定リンク：<a href=\"{abs}\" id=\"permalink\" data-copy=\"固定リンク\">"
    )));
    assert!(page.contains(
        "&lt;iframe src=&quot;https://preview.example.net/pr-7/embed/programmes/2024-general-08/&quot;"
    ));
    // The iframe fits its card: a fallback height, and the host script that
    // sizes it to what the card reports (tests/browser/embed.test.js).
    assert!(page.contains(
        "height=&quot;560&quot; loading=&quot;lazy&quot; data-mieruka-embed&gt;&lt;/iframe&gt;\n\
         &lt;script src=&quot;https://preview.example.net/pr-7/assets/embed-host.js&quot; async&gt;&lt;/script&gt;</textarea>"
    ), "{page}");
    assert!(page.contains("<script src=\"../../assets/copy.js\" defer></script>"));
    let card = t.page("embed/programmes/2024-general-08/index.html");
    assert!(card.contains("<script src=\"../../../assets/embed.js\" defer></script>"));
    for js in ["embed.js", "embed-host.js", "copy.js"] {
        assert!(t.out().join("assets").join(js).is_file(), "{js}");
    }
    assert!(!page.contains("example.jp/production"));
    let sitemap = t.page("sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{abs}</loc>")));
}

#[test]
fn an_invalid_base_url_is_a_usage_error_and_nothing_is_written() {
    let t = SiteTest::tokyo();
    for bad in [
        "ftp://example.jp/",
        "example.jp/m/",
        "https://",
        "https://example.jp/?q",
    ] {
        let o = t.run(&["build", "--base-url", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--base-url"), "{}", stderr(&o));
        assert!(!t.out().exists());
        let o = t.run(&["serve", "--base-url", bad, "--port", "0"]);
        assert_eq!(o.status.code(), Some(2), "serve {bad}: {}", stderr(&o));
    }
    let o = t.run(&["build", "--base-url", "ftp://example.jp/"]);
    assert!(
        stderr(&o).contains("is not an absolute http(s) URL"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn without_a_base_url_no_page_offers_a_snippet_or_citation_that_cannot_work() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success());
    let w104 = stderr(&o);
    assert!(
        w104.contains("warning[W104]") && w104.contains("no embed code and no citation"),
        "{w104}"
    );
    assert!(w104.contains("--base-url"), "{w104}");
    for f in files(&t.out()).iter().filter(|f| f.ends_with(".html")) {
        let html = t.page(f);
        assert!(!html.contains("&lt;iframe"), "{f} offers a snippet");
        assert!(!html.contains("cite-text"), "{f} offers a citation");
        assert!(!html.contains("掲載："), "{f} offers a citation");
        assert!(!html.contains("copy.js"), "{f} offers copy buttons");
    }
    let page = visible_text(&t.page(PAGE));
    assert!(
        page.contains("埋め込みコードと引用には、サイトの公開アドレス（base_url）が必要です"),
        "{page}"
    );
    assert!(page.contains("--base-url"), "{page}");
    // The card itself is still there, and linked as a sample.
    assert!(t
        .page(PAGE)
        .contains("href=\"../../embed/programmes/2024-general-08/index.html\">埋め込み表示の見本"));
}

#[test]
fn the_404_page_links_absolutely_or_from_the_root_never_relatively() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let nf = t.page("404.html");
    assert!(nf.contains("<link rel=\"stylesheet\" href=\"/assets/style.css\">"));
    for l in links(&nf).iter().filter(|l| !l.starts_with('#')) {
        assert!(l.starts_with('/') || l.starts_with("https://"), "{l}");
    }
    let o = t.run(&["build", "--quiet", "--base-url", "https://example.jp/m/"]);
    assert!(o.status.success());
    let nf = t.page("404.html");
    assert!(nf.contains("<link rel=\"stylesheet\" href=\"https://example.jp/m/assets/style.css\">"));
    for l in links(&nf).iter().filter(|l| !l.starts_with('#')) {
        assert!(l.starts_with("https://"), "{l}");
    }
}

/// A port free a moment ago (serve must know it before it starts, to be
/// given a base URL with it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `mieruka serve` of a copy of the Tokyo site; killed on drop.
struct Serve {
    _t: SiteTest,
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Serve {
    fn start(extra: &[&str], port: u16) -> Serve {
        let t = SiteTest::tokyo();
        let port_s = port.to_string();
        let mut args = vec!["serve", "--quiet", "--port", &port_s];
        args.extend_from_slice(extra);
        let mut child = command(t.dir.path(), &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("serving "), "{line:?}");
        Serve { _t: t, child, port }
    }

    /// GET: (status, head, body).
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }
}

/// The stylesheet a page links to.
fn stylesheet(html: &str) -> String {
    html.split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no stylesheet in {html}"))
        .to_string()
}

#[test]
fn serve_in_a_subfolder_answers_a_deep_missing_url_with_a_404_page_whose_links_resolve() {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/sub/");
    let s = Serve::start(&["--base-url", &base], port);
    let (status, _, index) = s.get("/sub/");
    assert_eq!(status, 200);
    assert!(index.contains("<link rel=\"stylesheet\" href=\"assets/style.css\">"));
    let (status, head, body) = s.get("/sub/programmes/no/such/deep/page/");
    assert_eq!(status, 404, "{head}");
    assert!(body.contains("ページが見つかりません"));
    let css = stylesheet(&body);
    assert_eq!(css, format!("{base}assets/style.css"));
    // Fetch it as the browser would, from the address it names.
    let (status, head, css_body) = s.get(
        css.strip_prefix(&format!("http://127.0.0.1:{port}"))
            .unwrap(),
    );
    assert_eq!(status, 200, "{head}");
    assert!(head.to_ascii_lowercase().contains("text/css"));
    assert!(css_body.contains("font"), "a stylesheet");
    // Every other link of the 404 page resolves too.
    for l in links(&body)
        .iter()
        .filter(|l| l.starts_with(&base) && !l.contains("/__mieruka/"))
    {
        let path = l.strip_prefix(&format!("http://127.0.0.1:{port}")).unwrap();
        assert_eq!(s.get(path).0, 200, "{l}");
    }
    // The server's root leads to the site; outside it, the 404 page.
    let (status, head, _) = s.get("/");
    assert_eq!(status, 302);
    assert!(head.contains("Location: /sub/"), "{head}");
    let (status, _, body) = s.get("/elsewhere/x.html");
    assert_eq!(status, 404);
    assert_eq!(stylesheet(&body), format!("{base}assets/style.css"));
    let (status, head, _) = s.get("/sub/programmes/2024-general-08");
    assert_eq!(status, 301);
    assert!(
        head.contains("Location: /sub/programmes/2024-general-08/"),
        "{head}"
    );
}

#[test]
fn serve_without_a_base_url_answers_a_deep_missing_url_with_root_relative_links() {
    let port = free_port();
    let s = Serve::start(&[], port);
    let (status, _, body) = s.get("/programmes/no/such/deep/page/");
    assert_eq!(status, 404);
    assert_eq!(stylesheet(&body), "/assets/style.css");
    assert_eq!(s.get("/assets/style.css").0, 200);
}

/// The first `n` bytes of a file of the built site, as text.
fn head_of(t: &SiteTest, rel: &str, n: usize) -> String {
    let b = std::fs::read(t.out().join(rel)).unwrap();
    String::from_utf8_lossy(&b[..n.min(b.len())]).into_owned()
}

#[test]
fn the_licence_is_in_the_footer_on_the_data_page_and_in_every_json_file() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let url = "https://creativecommons.org/licenses/by/4.0/deed.ja";
    let link = format!("<a href=\"{url}\" rel=\"license\">CC BY 4.0（");
    let mut footers = 0;
    for f in files(&t.out()).iter().filter(|f| f.ends_with(".html")) {
        let html = t.page(f);
        if let Some(footer) = html.split("<footer class=\"site-footer\">").nth(1) {
            assert!(footer.contains(&link), "{f}: no licence in the footer");
            footers += 1;
        }
    }
    assert!(footers > 50, "{footers}");
    let data = visible_text(&t.page("data/index.html"));
    assert!(data.contains("ライセンス：CC BY 4.0（"), "{data}");
    assert!(data.contains("JSONファイルにも \"license\""), "{data}");
    let jsons: Vec<String> = files(&t.out())
        .into_iter()
        .filter(|f| f.starts_with("data/") && f.ends_with(".json") && f != "data/schema.json")
        .collect();
    assert!(jsons.len() > 10, "{jsons:?}");
    for f in &jsons {
        let v: serde_json::Value =
            serde_json::from_str(&t.page(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(v["license"]["url"], url, "{f}");
        assert!(
            v["license"]["name"]
                .as_str()
                .unwrap()
                .starts_with("CC BY 4.0"),
            "{f}"
        );
    }
    assert!(head_of(&t, "data/programmes.json", 400).contains("\"license\": {"));

    // Without `license:`, no mention anywhere and the JSON as before.
    let site = t.content().join("_site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let start = text.find("license:\n").unwrap();
    let end = start
        + text[start..]
            .find("\npublisher:")
            .unwrap_or_else(|| text[start..].find("\nas_of:").unwrap());
    std::fs::write(&site, format!("{}{}", &text[..start], &text[end + 1..])).unwrap();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    for f in files(&t.out()) {
        if f.ends_with(".html") || f.ends_with(".json") {
            let s = std::fs::read_to_string(t.out().join(&f)).unwrap_or_default();
            assert!(!s.contains("license"), "{f}");
            assert!(!s.contains("ライセンス"), "{f}");
        }
    }
}

#[test]
fn a_licence_url_must_be_http() {
    let t = SiteTest::tokyo();
    t.edit(
        &t.content().join("_site.yaml"),
        "url: https://creativecommons.org/licenses/by/4.0/deed.ja",
        "url: javascript:alert(1)",
    );
    let o = t.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        out.contains("error[E015]") && out.contains("license url"),
        "{out}"
    );
}

#[test]
fn a_source_without_url_or_file_is_a_warning() {
    let t = SiteTest::tokyo();
    t.edit(
        &t.content().join("_sources.yaml"),
        "  file: tokyo-r6-chiiki-jinzai-plan.tsv\n  table: 2\n",
        "  table: 2\n",
    );
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning[W108]"), "{err}");
    assert!(
        err.contains("source `tokyo-r6-general` has neither a `url` nor a `file`"),
        "{err}"
    );
    assert_eq!(err.matches("W108").count(), 1, "{err}");
    // With a url, no warning.
    t.edit(
        &t.content().join("_sources.yaml"),
        "  table: 2\n",
        "  table: 2\n  url: https://www.metro.tokyo.lg.jp/\n",
    );
    let o = t.build();
    assert!(!stderr(&o).contains("W108"), "{}", stderr(&o));
}

#[test]
fn the_local_government_code_is_a_column_of_the_downloads() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    // Tools' CSV: the code beside the municipality, from the registry.
    let csv = t.page("data/programmes.utf8.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let m = header.iter().position(|h| *h == "municipality").unwrap();
    assert_eq!(header[m + 1], "municipality_code", "{header:?}");
    let row = csv
        .lines()
        .find(|l| l.starts_with("2024-general-08,"))
        .unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[m], "世田谷区");
    assert_eq!(cells[m + 1], "131121", "{row}");
    // Every programme has its municipality's code (all 33 have one).
    assert_eq!(
        csv.lines()
            .skip(1)
            .filter(|l| l.split(',').nth(m + 1).is_some_and(|c| c.len() == 6))
            .count(),
        33
    );
    // Excel's CSV says what the column is.
    let excel = std::fs::read(t.out().join("data/programmes.csv")).unwrap();
    let excel = String::from_utf8_lossy(&excel);
    assert!(excel.contains(",実施区市町村,実施区市町村（全国地方公共団体コード）,"));
    // JSON, in the whole list and in a municipality's file.
    for f in [
        "data/programmes.json",
        "data/municipalities/setagaya-ku.json",
    ] {
        let v: serde_json::Value = serde_json::from_str(&t.page(f)).unwrap();
        let p = v["programmes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "2024-general-08")
            .unwrap();
        assert_eq!(p["municipality_code"], "131121", "{f}");
    }
    // The data page documents it; dimensions without codes get no column.
    let data = visible_text(&t.page("data/index.html"));
    assert!(
        data.contains("municipality_code：実施区市町村の全国地方公共団体コード"),
        "{data}"
    );
    assert!(!csv.lines().next().unwrap().contains("themes_code"));
}

#[test]
fn a_key_may_not_take_the_place_of_a_code_column() {
    let t = SiteTest::tokyo();
    t.edit(
        &t.content().join("_site.yaml"),
        "  - key: cost\n",
        "  - key: municipality_code\n    label: コード\n    unit: 件\n    sum: false\n  - key: cost\n",
    );
    let o = t.run(&["check"]);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("error[E015]")
            && out.contains("key `municipality_code` is taken by the code column"),
        "{out}"
    );
}
