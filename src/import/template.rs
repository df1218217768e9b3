//! Templates: text with `{placeholders}`, for ids (`{fiscal_year}-{row:03}`),
//! slugs of added values and fields fed by a template. The values of the
//! placeholders come from the caller (`fill`'s lookup); this file knows
//! the syntax and the formats.

use super::cell::squash;

/// Help for templates.
pub const TEMPLATE_HELP: &str = "a template is text with {placeholders}: {row} (the data row, 1 = first), {fiscal_year}, {source}, a key of the source's `defaults`, {HEADER} (a cell of the row), and for slugs {value} and {n}; {a|b} is a, or b when a has no value; add :03 to zero-pad, :slug for an ASCII slug, :hash for 8 hex digits; {{ and }} are braces";

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Lit(String),
    /// A placeholder (its names: the first that has a value is used) and
    /// its format.
    Var(Vec<String>, Format),
}

/// How a placeholder's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// As it is (trimmed).
    Plain,
    /// Zero-padded to this width (the value must be digits).
    Pad(usize),
    /// Lowercase ASCII letters and digits joined by hyphens.
    Slug,
    /// 8 hex digits of a stable hash of the value.
    Hash,
}

/// Splits a template into pieces.
pub fn parse_template(t: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '}' => return Err("a `}` without its `{` (write }} for a brace)".into()),
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => return Err("a `{` without its `}`".into()),
                        Some(x) => inner.push(x),
                    }
                }
                let (name, fmt) = match inner.rsplit_once(':') {
                    Some((n, f)) => {
                        let f = f.trim();
                        let fmt = if f == "slug" {
                            Format::Slug
                        } else if f == "hash" {
                            Format::Hash
                        } else if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) {
                            Format::Pad(f.parse().map_err(|_| format!("width `{f}` is too large"))?)
                        } else {
                            return Err(format!(
                                "unknown format `:{f}` (known: :03, :slug, :hash)"
                            ));
                        };
                        (n.trim().to_string(), fmt)
                    }
                    None => (inner.trim().to_string(), Format::Plain),
                };
                let names: Vec<String> = name.split('|').map(|n| n.trim().to_string()).collect();
                if names.iter().any(String::is_empty) {
                    return Err("an empty placeholder {}".into());
                }
                if !lit.is_empty() {
                    out.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                out.push(Piece::Var(names, fmt));
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Ok(out)
}

/// Formats one placeholder value.
pub fn format_value(v: &str, f: Format) -> Result<String, String> {
    let t = v.trim();
    match f {
        Format::Plain => Ok(t.to_string()),
        Format::Pad(w) => {
            let d = squash(t);
            if d.is_empty() || !d.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "「{t}」 is not a number, so it cannot be zero-padded"
                ));
            }
            let d = d.trim_start_matches('0');
            let d = if d.is_empty() { "0" } else { d };
            Ok(format!("{d:0>w$}"))
        }
        Format::Slug => {
            let mut s = String::new();
            for c in squash_keep_spaces(t).chars() {
                if c.is_ascii_alphanumeric() {
                    s.push(c.to_ascii_lowercase());
                } else if !s.ends_with('-') && !s.is_empty() {
                    s.push('-');
                }
            }
            let s = s.trim_end_matches('-').to_string();
            if s.is_empty() {
                Err(format!(
                    "「{t}」 has no ASCII letters or digits for a slug (use :hash, or {{n}})"
                ))
            } else {
                Ok(s)
            }
        }
        Format::Hash => Ok(format!("{:08x}", fnv1a(squash(t).as_bytes()) as u32)),
    }
}

fn squash_keep_spaces(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

/// FNV-1a, 64 bits: a small, stable hash (ids must not change between
/// builds or Rust versions).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Fills a template; `lookup` gives a placeholder's value (None: unknown).
pub fn fill(pieces: &[Piece], lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(s),
            Piece::Var(names, f) => {
                let (name, v) = names
                    .iter()
                    .find_map(|n| lookup(n).map(|v| (n, v)))
                    .ok_or_else(|| format!("unknown placeholder {{{}}}", names.join("|")))?;
                out.push_str(&format_value(&v, *f).map_err(|e| format!("{{{name}}}: {e}"))?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let p = parse_template("{fiscal_year}-{row:03}").unwrap();
        let look = |n: &str| match n {
            "fiscal_year" => Some("2025".to_string()),
            "row" => Some("7".to_string()),
            _ => None,
        };
        assert_eq!(fill(&p, &look).unwrap(), "2025-007");
        // Alternatives: the first name with a value.
        let p = parse_template("{scheme|source}-{row:02}").unwrap();
        let look2 = |n: &str| (n == "source" || n == "row").then(|| "7".to_string());
        assert_eq!(fill(&p, &look2).unwrap(), "7-07");
        assert!(parse_template("{a|}").is_err());
        assert_eq!(
            fill(&parse_template("x{{y}}").unwrap(), &look).unwrap(),
            "x{y}"
        );
        assert!(fill(&parse_template("{nope}").unwrap(), &look)
            .unwrap_err()
            .contains("nope"));
        assert!(parse_template("{a").is_err());
        assert!(parse_template("a}").is_err());
        assert!(parse_template("{a:zz}").is_err());
        assert_eq!(
            format_value("Ｇｅｎｅｒａｌ Fund 02", Format::Slug).unwrap(),
            "general-fund-02"
        );
        assert!(format_value("総務費", Format::Slug).is_err());
        assert_eq!(
            format_value("総務費", Format::Hash).unwrap(),
            format_value(" 総務費 ", Format::Hash).unwrap()
        );
        assert_eq!(format_value("総務費", Format::Hash).unwrap().len(), 8);
        assert_eq!(format_value("１ ", Format::Pad(2)).unwrap(), "01");
        assert!(format_value("x", Format::Pad(2)).is_err());
    }
}
