//! What `serve` adds to the site: the live-reload script in every HTML
//! response, and the overlay page that lists the content's problems.

use crate::diag::Diagnostic;

/// The live-reload script, served as `/__mieruka/livereload.js`.
pub const LIVERELOAD_JS: &str = r#"// mieruka serve: reload the page when the site changes (long polling).
(function () {
  "use strict";
  var version = null;
  function poll() {
    var url = "/__mieruka/poll" + (version === null ? "" : "?v=" + version);
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (version !== null && d.version !== version) {
          location.reload();
          return;
        }
        version = d.version;
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

/// The overlay page's style, served as `/__mieruka/overlay.css`.
pub(super) const OVERLAY_CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#fff8f6;color:#1a1a1a}\
main{max-width:60rem;margin:2rem auto;padding:0 1rem}h1{color:#a50e0e;font-size:1.4rem}\
pre{white-space:pre-wrap;background:#fff;border:1px solid #e0b4b4;border-radius:4px;padding:1rem;font-size:0.9rem;line-height:1.5}\n";

const SCRIPT_TAG: &str = "<script src=\"/__mieruka/livereload.js\"></script>";

/// Inserts the live-reload script before the last `</body>`.
pub fn inject_livereload(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    match html.windows(needle.len()).rposition(|w| w == needle) {
        Some(i) => {
            let mut out = Vec::with_capacity(html.len() + SCRIPT_TAG.len() + 1);
            out.extend_from_slice(&html[..i]);
            out.extend_from_slice(SCRIPT_TAG.as_bytes());
            out.push(b'\n');
            out.extend_from_slice(&html[i..]);
            out
        }
        None => {
            let mut out = html.to_vec();
            out.extend_from_slice(SCRIPT_TAG.as_bytes());
            out
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The overlay page showing `text`.
pub(super) fn overlay_text(text: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>mieruka serve: 内容に問題があります</title>\n<link rel=\"stylesheet\" href=\"/__mieruka/overlay.css\">\n</head>\n<body>\n<main>\n\
<h1 id=\"mieruka-errors\">内容に問題があります</h1>\n<p>ファイルを直して保存すると、このページは自動で読み込み直されます。</p>\n<pre>{}</pre>\n</main>\n</body>\n</html>\n",
        esc(text)
    )
}

/// The overlay page listing `diags` (sorted).
pub(super) fn overlay(diags: &[Diagnostic]) -> String {
    let (errors, warnings) = crate::diag::counts(diags);
    let text: Vec<String> = diags.iter().map(|d| d.render_human()).collect();
    overlay_text(&format!(
        "{errors} error(s), {warnings} warning(s):\n\n{}",
        text.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></body></html>\n";
        let out = String::from_utf8(inject_livereload(html)).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script src=\"/__mieruka/livereload.js\"></script>\n</body></html>\n");
    }

    /// The overlay's count is what it lists: every error and warning.
    #[test]
    fn the_count_is_what_the_overlay_lists() {
        use crate::diag::{Code, Diagnostics};
        let mut d = Diagnostics::new();
        d.push(Diagnostic::new(
            Code::E004,
            "content/a.yaml",
            2,
            1,
            "unknown field `x`",
        ));
        d.push(Diagnostic::new(
            Code::E004,
            "content/a.yaml",
            2,
            1,
            "unknown field `x`",
        ));
        d.push(Diagnostic::new(
            Code::W104,
            "content/_site.yaml",
            1,
            1,
            "no base_url",
        ));
        let sorted = d.sorted();
        let page = overlay(&sorted);
        assert!(page.contains("1 error(s), 1 warning(s):"), "{page}");
        assert_eq!(page.matches("error[E004]").count(), 1);
        assert_eq!(page.matches("warning[W104]").count(), 1);
    }
}
