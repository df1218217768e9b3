//! Paths into a YAML document (`subsidy.covers[1]`): what `locate` follows
//! and what diagnostics print.

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// An index into a sequence.
    Index(usize),
}

/// A path into a YAML document, e.g. `subsidy.covers[1]`.
pub type Path = Vec<Seg>;

/// Formats a path the way diagnostics print it (`subsidy.covers[1]`).
pub fn path_to_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}
