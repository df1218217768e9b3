//! The content loader and validator, and the renderer when the content is
//! valid: any bytes in any one content file of a small site (a programme,
//! `_site.yaml`, `_sources.yaml` or a registry) must give diagnostics or a
//! site, never a panic, a hang or unbounded memory.
//!
//! The first input byte picks the file; the rest is its content, written to
//! disk so that the real loader (UTF-8 and Shift_JIS detection, size limit,
//! BOM) reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const BASE: &[(&str, &str)] = &[
    ("_site.yaml", include_str!("../../tests/fixtures/check/base/content/_site.yaml")),
    ("_sources.yaml", include_str!("../../tests/fixtures/check/base/content/_sources.yaml")),
    ("_municipalities.yaml", include_str!("../../tests/fixtures/check/base/content/_municipalities.yaml")),
    ("_themes.yaml", include_str!("../../tests/fixtures/check/base/content/_themes.yaml")),
    ("programmes/2024/a-01.yaml", include_str!("../../tests/fixtures/check/base/content/programmes/2024/a-01.yaml")),
    ("programmes/2024/a-02.yaml", include_str!("../../tests/fixtures/check/base/content/programmes/2024/a-02.yaml")),
    ("programmes/2024/a-03.yaml", include_str!("../../tests/fixtures/check/base/content/programmes/2024/a-03.yaml")),
];
/// Files the input may replace (the last is a new programme).
const TARGETS: &[&str] = &[
    "programmes/2024/a-04.yaml",
    "programmes/2024/a-01.yaml",
    "_site.yaml",
    "_sources.yaml",
    "_municipalities.yaml",
    "_themes.yaml",
];

fn site() -> &'static (tempfile::TempDir, PathBuf) {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for (rel, text) in BASE {
            let p = content.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        (dir, content)
    })
}

fn restore(content: &Path, rel: &str) {
    match BASE.iter().find(|(r, _)| *r == rel) {
        Some((_, text)) => std::fs::write(content.join(rel), text).unwrap(),
        None => std::fs::remove_file(content.join(rel)).unwrap(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let (dir, content) = site();
    let rel = TARGETS[usize::from(pick) % TARGETS.len()];
    std::fs::write(content.join(rel), bytes).unwrap();
    if let mieruka::Checked::Valid(site, _warnings) = mieruka::check(content) {
        let opts = mieruka::BuildOptions::new(content.clone(), dir.path().join("public"));
        // A theme named in the input may not exist: an error, not a panic.
        let _ = mieruka::render_site(&site, &opts);
    }
    restore(content, rel);
});
