//! The checksum manifest every built site carries: `mieruka-manifest.tsv`
//! at the site root lists every other file of the site with its size and
//! SHA-256, sorted by path.
//!
//! It serves three purposes: users verify a deployed copy against it
//! (`mieruka verify DIR`, or `sha256sum -c` on two of its columns); the
//! output guard recognises a folder mieruka made by it (and which files in
//! that folder are someone else's); and a rebuild knows what the previous
//! site held without reading it.
//!
//! The format (docs/format.md, "The built site"): UTF-8 text, LF line ends;
//! lines starting with `#` are comments; every other line is
//! `path<TAB>size<TAB>sha256` — a `/`-separated path relative to the site
//! root, the size in bytes in decimal, the SHA-256 of the bytes in lower-case
//! hex — sorted by path (byte order).

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest's file name, at the root of every built site.
pub const FILE: &str = "mieruka-manifest.tsv";

/// The first line of every manifest; its version number changes when the
/// format does.
const HEADER: &str = "# mieruka-manifest 1";

/// One file of a site: its size and SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes.
    pub sha256: [u8; 32],
}

impl Entry {
    /// The entry of `bytes`.
    pub fn of(bytes: &[u8]) -> Entry {
        Entry {
            size: bytes.len() as u64,
            sha256: Sha256::digest(bytes).into(),
        }
    }
}

/// The files of a site, by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Every file but the manifest itself, by `/`-separated path.
    pub files: BTreeMap<String, Entry>,
}

/// Whether a path can be written into a manifest line (no tab, line break
/// or other control character, which would split or hide a line).
pub fn is_listable(path: &str) -> bool {
    !path.is_empty() && !path.chars().any(char::is_control)
}

impl Manifest {
    /// The text of the manifest.
    pub fn render(&self) -> String {
        let mut s = String::with_capacity(64 + self.files.len() * 100);
        s.push_str(HEADER);
        s.push_str(
            "\n# Every file of this site but this one: path, size in bytes, SHA-256; sorted by path.\
             \n# Verify a copy: `mieruka verify DIR`, or in DIR:\
             \n#   grep -v '^#' mieruka-manifest.tsv | awk -F'\\t' '{print $3 \"  \" $1}' | sha256sum -c --quiet\n",
        );
        for (path, e) in &self.files {
            s.push_str(path);
            s.push('\t');
            s.push_str(&e.size.to_string());
            s.push('\t');
            push_hex(&mut s, &e.sha256);
            s.push('\n');
        }
        s
    }

    /// Reads a manifest's text; an error names the line.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, l)) if l.trim_end() == HEADER => {}
            _ => {
                return Err(format!(
                    "line 1: not a mieruka manifest (expected `{HEADER}`)"
                ))
            }
        }
        let mut files = BTreeMap::new();
        for (i, line) in lines {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let bad = || format!("line {}: expected path<TAB>size<TAB>sha256", i + 1);
            let mut parts = line.split('\t');
            let (Some(path), Some(size), Some(hash), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            let size: u64 = size.parse().map_err(|_| bad())?;
            let sha256 = parse_hex(hash).ok_or_else(bad)?;
            if !crate::output::is_safe_path(path) || path == FILE {
                return Err(format!(
                    "line {}: `{path}` is not a path inside the site",
                    i + 1
                ));
            }
            files.insert(path.to_string(), Entry { size, sha256 });
        }
        Ok(Manifest { files })
    }

    /// The manifest of the site in `dir`: `None` when it has none, an error
    /// when it cannot be read.
    pub fn read(dir: &Path) -> Option<Result<Manifest, String>> {
        let p = dir.join(FILE);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_file() => {}
            _ => return None,
        }
        Some(
            std::fs::read_to_string(&p)
                .map_err(|e| e.to_string())
                .and_then(|t| Manifest::parse(&t)),
        )
    }
}

fn push_hex(s: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
}

fn parse_hex(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = digit(b[2 * i])? << 4 | digit(b[2 * i + 1])?;
    }
    Some(out)
}

/// What `mieruka verify` found: a copy of a site compared with its manifest.
#[derive(Debug, Default)]
pub struct Verified {
    /// Files listed and found with the listed size and SHA-256.
    pub ok: usize,
    /// Listed but not found.
    pub missing: Vec<String>,
    /// Found with other bytes than listed.
    pub changed: Vec<String>,
    /// Found but not listed (nor the manifest itself).
    pub extra: Vec<String>,
}

impl Verified {
    /// Whether the copy is exactly the listed site.
    pub fn is_exact(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }
}

/// Compares the files of `dir` with its manifest. Symbolic links are not
/// followed (a link is reported as an extra file).
pub fn verify(dir: &Path) -> anyhow::Result<Verified> {
    use rayon::prelude::*;
    let manifest = match Manifest::read(dir) {
        None => anyhow::bail!(
            "{} has no {FILE}: it is not a site built by mieruka",
            dir.display()
        ),
        Some(Err(e)) => anyhow::bail!("{}: {e}", dir.join(FILE).display()),
        Some(Ok(m)) => m,
    };
    let found = list_files(dir)?;
    let mut v = Verified::default();
    let results: Vec<(&String, Option<bool>)> = manifest
        .files
        .par_iter()
        .map(|(path, e)| {
            let p = dir.join(path);
            let same = match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_file() => Some(
                    std::fs::read(&p)
                        .map(|b| Entry::of(&b) == *e)
                        .unwrap_or(false),
                ),
                _ => None,
            };
            (path, same)
        })
        .collect();
    for (path, same) in results {
        match same {
            Some(true) => v.ok += 1,
            Some(false) => v.changed.push(path.clone()),
            None => v.missing.push(path.clone()),
        }
    }
    v.extra = found
        .into_iter()
        .filter(|p| p != FILE && !manifest.files.contains_key(p))
        .collect();
    Ok(v)
}

/// Every file (and symbolic link) below `dir`, as sorted `/`-separated
/// relative paths; links are not followed.
pub fn list_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    use anyhow::Context;
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
    {
        let e = e.with_context(|| format!("reading {}", dir.display()))?;
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
        out.push(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        );
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let mut m = Manifest::default();
        m.files
            .insert("index.html".into(), Entry::of(b"<!doctype html>"));
        m.files.insert("a/b.json".into(), Entry::of(b""));
        let text = m.render();
        assert!(text.starts_with(HEADER));
        // Sorted by path, one line per file.
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(body.len(), 2);
        assert!(body[0].starts_with("a/b.json\t0\te3b0c44298fc1c149afbf4c8996fb924"));
        assert_eq!(Manifest::parse(&text).unwrap(), m);
    }

    #[test]
    fn a_bad_line_is_named() {
        let e = Manifest::parse(&format!("{HEADER}\nindex.html\t12\n")).unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = Manifest::parse(&format!("{HEADER}\n../x\t1\t{}\n", "0".repeat(64))).unwrap_err();
        assert!(e.contains("not a path inside the site"), "{e}");
        assert!(Manifest::parse("index.html\t1\tx\n").is_err());
    }
}
