//! `mieruka serve`: the real binary on a copy of the Tokyo content, driven
//! over HTTP on 127.0.0.1. A test edits a programme file and sees the served
//! page change, and the live-reload poll answer with a new version.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::{copy_dir, repo};

/// A running `mieruka serve` on a copy of the project; killed on drop.
struct Server {
    dir: tempfile::TempDir,
    child: Child,
    port: u16,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content", "themes", "static"] {
            copy_dir(&repo().join(d), &dir.path().join(d));
        }
        let mut child = crate::support::command(
            dir.path(),
            &["serve", "--content", "content", "--port", "0", "--quiet"],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { dir, child, port }
    }

    fn file(&self, id: &str) -> PathBuf {
        self.dir
            .path()
            .join("content/programmes")
            .join(&id[..4])
            .join(format!("{id}.yaml"))
    }

    fn client(&self) -> Client {
        Client { port: self.port }
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        self.client().get(path)
    }

    fn version(&self, since: Option<u64>) -> (u64, bool) {
        self.client().version(since)
    }

    fn settled_version(&self, v: u64, error: bool) -> (u64, bool) {
        self.client().settled_version(v, error)
    }
}

/// An HTTP client of the server (can move to another thread).
struct Client {
    port: u16,
}

impl Client {
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

    fn version(&self, since: Option<u64>) -> (u64, bool) {
        let path = match since {
            Some(v) => format!("/__mieruka/poll?v={v}"),
            None => "/__mieruka/poll".to_string(),
        };
        let (status, _, body) = self.get(&path);
        assert_eq!(status, 200, "{body}");
        let v = body
            .split("\"version\":")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        (v, body.contains("\"error\":true"))
    }

    /// Waits (long poll) for the version after `v`.
    fn next_version(&self, v: u64) -> (u64, bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (n, err) = self.version(Some(v));
            if n != v || Instant::now() > deadline {
                return (n, err);
            }
        }
    }

    /// Waits for a version after `v` whose error state is `error` (a save
    /// seen half-written, as an empty file, is one version more).
    fn settled_version(&self, v: u64, error: bool) -> (u64, bool) {
        let mut v = v;
        for _ in 0..5 {
            let (n, err) = self.next_version(v);
            if err == error || n == v {
                return (n, err);
            }
            v = n;
        }
        (v, !error)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

const ID: &str = "2024-general-08";
const PAGE: &str = "/programmes/2024-general-08/";
const NAME: &str = "建設業人材確保・区内中小企業等人材マッチング及び定着促進事業";

#[test]
fn an_edited_programme_file_changes_the_served_page() {
    let s = Server::start();
    let (status, head, body) = s.get(PAGE);
    assert_eq!(status, 200);
    assert!(body.contains(NAME));
    assert!(
        head.to_ascii_lowercase()
            .contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
    let (v, err) = s.version(None);
    assert!(!err);

    // The browser's long poll is waiting when the file is saved.
    let poll = {
        let c = s.client();
        std::thread::spawn(move || {
            let r = c.settled_version(v, false);
            (r, Instant::now())
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let saved = Instant::now();
    edit(
        &s.file(ID),
        &format!("name: {NAME}"),
        "name: 世田谷区人材マッチング事業（編集後）",
    );
    let ((v2, err), told) = poll.join().unwrap();
    assert!(v2 > v && !err, "version {v} → {v2}, error {err}");
    let (status, _, body) = s.get(PAGE);
    let shown = Instant::now();
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1><bdi>世田谷区人材マッチング事業（編集後）</bdi>"),
        "the page still shows the old name"
    );
    assert!(!body.contains(&format!("<h1><bdi>{NAME}")));
    eprintln!(
        "serve: reload signalled {} ms and the new page served {} ms after saving",
        told.duration_since(saved).as_millis(),
        shown.duration_since(saved).as_millis()
    );
    // Lists that show the programme change too.
    let (_, _, list) = s.get("/municipalities/setagaya-ku/");
    assert!(list.contains("世田谷区人材マッチング事業（編集後）"));
}

#[test]
fn pages_get_the_live_reload_script_as_a_same_origin_file() {
    let s = Server::start();
    let (_, _, body) = s.get("/");
    assert!(body.contains("<script src=\"/__mieruka/livereload.js\"></script>\n</body>"));
    assert!(!body.contains("<script>"), "no inline script");
    let (status, head, js) = s.get("/__mieruka/livereload.js");
    assert_eq!(status, 200);
    assert!(head
        .to_ascii_lowercase()
        .contains("content-type: text/javascript"));
    assert!(js.contains("/__mieruka/poll"));
    // Other files are served as they are built.
    let (status, head, css) = s.get("/assets/style.css");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("text/css") && !css.contains("livereload"));
    let (status, _, csv) = s.get("/data/programmes.utf8.csv");
    assert_eq!(status, 200);
    assert!(csv.starts_with("id,"));
    let (status, _, _) = s.get("/no/such/page/");
    assert_eq!(status, 404);
    let (status, head, _) = s.get("/programmes/2024-general-08");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /programmes/2024-general-08/"));
}

#[test]
fn content_errors_show_as_an_overlay_until_fixed() {
    let s = Server::start();
    let (v, _) = s.version(None);
    let path = s.file(ID);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replace("cost: 39431", "cost: 39,431円")).unwrap();
    let (v2, err) = s.settled_version(v, true);
    assert!(v2 > v && err, "the poll reports the error");
    let (status, _, body) = s.get(PAGE);
    assert_eq!(status, 500);
    assert!(body.contains("内容に問題があります"), "{body}");
    assert!(body.contains("E00"), "the diagnostic code is shown: {body}");
    assert!(body.contains("2024-general-08.yaml"));
    assert!(
        body.contains("/__mieruka/livereload.js"),
        "the overlay reloads itself when fixed"
    );
    std::fs::write(&path, &good).unwrap();
    let (v3, err) = s.settled_version(v2, false);
    assert!(v3 > v2 && !err);
    let (status, _, body) = s.get(PAGE);
    assert_eq!(status, 200);
    assert!(body.contains(NAME));
}

#[test]
fn build_output_never_has_the_live_reload_script() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["content", "themes", "static"] {
        copy_dir(&repo().join(d), &dir.path().join(d));
    }
    let out = crate::support::command(dir.path(), &["build", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut stack = vec![dir.path().join("public")];
    let mut pages = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                pages += 1;
                let t = std::fs::read_to_string(&p).unwrap();
                assert!(
                    !t.contains("__mieruka") && !t.contains("livereload"),
                    "{}",
                    p.display()
                );
            }
        }
    }
    assert!(pages > 30);
}
