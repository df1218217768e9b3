//! The HTTP side of `serve`: one thread per request, which answers the
//! server's own files (`/__mieruka/…`) itself and asks the render thread
//! for every other path.

use super::overlay::{inject_livereload, LIVERELOAD_JS, OVERLAY_CSS};
use super::state::{Msg, Reply, Shared};
use std::sync::mpsc::{channel, Sender};
use std::time::Duration;

/// How long a poll waits for a change before answering anyway.
const POLL_WAIT: Duration = Duration::from_secs(25);

const TEXT: &str = "text/plain; charset=utf-8";

/// Answers one request. `mount` is the folder the site is served under
/// (`/`, or the folder of `--base-url`, ending in `/`).
pub(super) fn handle(req: tiny_http::Request, tx: &Sender<Msg>, shared: &Shared, mount: &str) {
    if !matches!(
        req.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return send(req, 405, TEXT, b"method not allowed".to_vec(), &[]);
    }
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let path = percent_decode(path);
    if let Some((ctype, body)) = own_file(&path, query, shared) {
        return send(req, 200, ctype, body, &[]);
    }
    match path.strip_prefix(mount.trim_end_matches('/')) {
        Some(rest) if rest.starts_with('/') => serve_page(req, rest, mount, tx),
        // The folder without its slash, or the server's root: to the site.
        Some("") => send(req, 301, TEXT, Vec::new(), &[("Location", mount)]),
        _ if path == "/" => send(req, 302, TEXT, Vec::new(), &[("Location", mount)]),
        // Outside the site's folder: the site's 404 page.
        _ => match ask(tx, "404.html".into()) {
            Some(r) => send(
                req,
                404,
                content_type(&r.path),
                inject_livereload(&r.body),
                &[],
            ),
            None => send(req, 503, TEXT, b"shutting down".to_vec(), &[]),
        },
    }
}

/// The server's own files: the live-reload script, the overlay's style,
/// and the poll (which waits for a new version when given one).
fn own_file(path: &str, query: &str, shared: &Shared) -> Option<(&'static str, Vec<u8>)> {
    match path {
        "/__mieruka/livereload.js" => {
            Some((content_type(".js"), LIVERELOAD_JS.as_bytes().to_vec()))
        }
        "/__mieruka/overlay.css" => Some((content_type(".css"), OVERLAY_CSS.as_bytes().to_vec())),
        "/__mieruka/poll" => {
            let since: Option<u64> = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(|v| v.parse().ok());
            let (version, error) = shared.wait_for_change(since, POLL_WAIT);
            let body = format!("{{\"version\":{version},\"error\":{error}}}");
            Some(("application/json", body.into_bytes()))
        }
        _ => None,
    }
}

/// A page or file of the site (`path` from the site's folder, starting
/// with `/`), from the render thread; HTML gets the live-reload script.
fn serve_page(req: tiny_http::Request, path: &str, mount: &str, tx: &Sender<Msg>) {
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let get = |rel: String| ask(tx, rel);
    let Some(reply) = get(rel.clone()) else {
        return send(req, 503, TEXT, b"shutting down".to_vec(), &[]);
    };
    // `/programmes/x` → `/programmes/x/` when that page exists.
    if reply.status == 404 && !rel.rsplit('/').next().unwrap_or("").contains('.') {
        if let Some(r) = get(format!("{rel}/index.html")) {
            if r.status == 200 {
                let to = format!("{mount}{}/", rel.trim_end_matches('/'));
                return send(req, 301, TEXT, Vec::new(), &[("Location", &to)]);
            }
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

/// The render thread's reply for the file at `rel`.
fn ask(tx: &Sender<Msg>, rel: String) -> Option<Reply> {
    let (rtx, rrx) = channel();
    tx.send(Msg::Get(rel, rtx)).ok()?;
    rrx.recv().ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded() {
        assert_eq!(percent_decode("/a%20b/"), "/a b/");
        assert_eq!(percent_decode("/%E4%BA%8B/"), "/事/");
        assert_eq!(percent_decode("/100%"), "/100%");
    }
}
