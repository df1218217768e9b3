//! Any text as a content file: the YAML front door (`yaml::parse`, with its
//! depth and alias-expansion bounds, duplicate-key and position recovery),
//! typed views of the value (site config, sources, registry), `yaml::locate`
//! for every path in it, and the Markdown sanitiser on the same text. Fast
//! (no file I/O), so it reaches far more inputs than `content_loader`.
//!
//! Checked beyond "no panic, no hang": positions are 1-based and inside
//! the text; sanitised Markdown has no tag but the Markdown ones and no
//! script URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mieruka::config::{Registry, SiteConfig, Source};
use mieruka::render::markdown::{is_safe_url, plain_text, to_html};
use mieruka::yaml::{self, Seg, Value};

const TAGS: &[&str] = &[
    "p", "a", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "del", "br", "hr", "table", "thead",
    "tbody", "tr", "th", "td", "input",
];

fn paths(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    if out.len() >= 200 {
        return;
    }
    out.push(path.clone());
    match v {
        Value::Mapping(m) => {
            for (k, x) in m {
                if let Some(k) = k.as_str() {
                    path.push(Seg::Key(k.to_string()));
                    paths(x, path, out);
                    path.pop();
                }
            }
        }
        Value::Sequence(s) => {
            for (i, x) in s.iter().enumerate() {
                path.push(Seg::Index(i));
                paths(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Lines as YAML counts them (CR, LF, CRLF, NEL, LS and PS all break);
    // the loader turns lone CRs into LF before parsing.
    let text = &text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = text.split(['\n', '\u{85}', '\u{2028}', '\u{2029}']).count();
    match yaml::parse(text) {
        Ok(v) => {
            let _ = yaml::deserialize::<SiteConfig>(v.clone(), text);
            let _ = yaml::deserialize::<Vec<Source>>(v.clone(), text);
            if let Err(e) = yaml::deserialize::<Registry>(v.clone(), text) {
                assert!(e.line >= 1 && e.column >= 1 && e.line <= lines + 1, "{e:?}");
            }
            let mut all = Vec::new();
            paths(&v, &mut Vec::new(), &mut all);
            for p in &all {
                let (l, c) = yaml::locate(text, p);
                assert!(l >= 1 && c >= 1 && l <= lines + 1, "{p:?} at {l}:{c}");
            }
        }
        Err(e) => assert!(e.line >= 1 && e.column >= 1 && e.line <= lines + 1, "{e:?}"),
    }
    let html = to_html(text);
    let _ = plain_text(text);
    // Every tag is a Markdown one; every link target is safe. (Text may
    // hold `href="` itself: `"` needs no escaping outside attributes.)
    let mut rest = html.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(TAGS.contains(&name.as_str()), "tag <{name}> in {html:?}");
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(h) = tag.find(" href=\"") {
            let v = &tag[h + 7..];
            let url = unescape(&v[..v.find('"').unwrap_or(v.len())]);
            let lower: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
            assert!(!lower.starts_with("javascript:") && !lower.starts_with("data:") && !lower.starts_with("vbscript:"), "{url:?}");
            assert!(is_safe_url(&url) || url.contains('%'), "unsafe {url:?} in {html:?}");
        }
    }
});
