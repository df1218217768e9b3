//! What the render stages produce: files as (path, bytes), in memory.

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the site root, `/`-separated, never absolute and
    /// never containing `..`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file; panics in debug builds on an unsafe path (a bug, not input:
    /// every path is built from validated slugs).
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        let path = path.into();
        debug_assert!(is_safe_path(&path), "unsafe output path {path}");
        OutputFile {
            path,
            bytes: bytes.into(),
        }
    }
}

/// Whether a relative output path is safe to join to the output folder.
pub fn is_safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains('\0')
        && p.split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}
