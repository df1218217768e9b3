//! The shape of the index files: the format's constants, which bucket a key
//! goes to, JSON made safe inside a classic script, and the encodings of a
//! key's data (a bucket entry, an own file, facet counts). Shared by the
//! files (`files.rs`) and the facets (`facet.rs`); names nothing of theirs.

use super::codec;
use super::invert::Positions;
use serde_json::Value;

/// Index format; bump when files change shape.
pub const FORMAT: u32 = 2;
/// Target size of a bucket file, in bytes.
pub const BUCKET_TARGET: usize = 1024;
/// Key data longer than this (in bytes) goes to a file of its own, with
/// facet counts.
pub const OWN_FILE: usize = 400;
/// A key in at least this many documents also gets a file of its own (so
/// that its facet counts are precomputed).
pub const COUNTS_MIN_DF: usize = 64;
/// Documents per facet file.
pub const CHUNK: usize = 4096;
/// Documents per folder of `d/`.
pub const DOC_DIR: usize = 1024;

/// FNV-1a (32-bit) over the code points of `s`; search.js computes the same.
pub fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in s.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The bucket of `key` among `buckets` (a power of two).
pub fn bucket_of(key: &str, buckets: usize) -> usize {
    (hash(key) as usize) & (buckets - 1)
}

/// JSON made safe inside a classic script: `<`, U+2028 and U+2029 escaped
/// (they can only occur inside strings).
pub fn script_json(v: &Value) -> String {
    script_safe(serde_json::to_string(v).unwrap_or_else(|_| "null".into()))
}

/// [`script_json`] of a string.
pub(super) fn script_str(s: &str) -> String {
    script_safe(serde_json::to_string(s).unwrap_or_else(|_| "null".into()))
}

fn script_safe(s: String) -> String {
    if !s.contains(['<', '\u{2028}', '\u{2029}']) {
        return s;
    }
    s.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Facet counts of one facet: `0` then every count (dense), or `1` then
/// pairs (distance from the previous non-zero value, count), whichever is
/// shorter.
pub fn encode_counts(c: &[u64]) -> String {
    // The sparse form's pairs: (distance from the previous non-zero value,
    // count). Both lengths first, then only the shorter form is written.
    let pairs = || {
        let mut last: i64 = -1;
        c.iter()
            .enumerate()
            .filter(|(_, &v)| v > 0)
            .map(move |(i, &v)| {
                let gap = (i as i64 - last - 1) as u64;
                last = i as i64;
                (gap, v)
            })
    };
    let dense_len = 1 + c.iter().map(|&v| codec::num_len(v)).sum::<usize>();
    let sparse_len = 1 + pairs()
        .map(|(g, v)| codec::num_len(g) + codec::num_len(v))
        .sum::<usize>();
    let mut out = String::with_capacity(dense_len.min(sparse_len));
    if sparse_len < dense_len {
        codec::put_num(&mut out, 1);
        for (g, v) in pairs() {
            codec::put_num(&mut out, g);
            codec::put_num(&mut out, v);
        }
    } else {
        codec::put_num(&mut out, 0);
        for &v in c {
            codec::put_num(&mut out, v);
        }
    }
    out
}

/// The positions of a key's occurrences, encoded (empty when it has none).
fn positions_code(positions: &Positions) -> String {
    if positions.counts.is_empty() {
        String::new()
    } else {
        codec::encode_positions(&positions.per_doc())
    }
}

/// A key's data as a bucket entry (without quotes), from its documents,
/// title positions and positions: `docs`, then `.title` when it has title
/// documents or positions, then `.positions`.
pub(super) fn small_data(docs: &[u32], title: &[u32], positions: &Positions) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        codec::encode_posting(title)
    };
    let positions = positions_code(positions);
    let mut small = codec::encode_posting(docs);
    if !title.is_empty() || !positions.is_empty() {
        small.push('.');
        small.push_str(&title);
    }
    if !positions.is_empty() {
        small.push('.');
        small.push_str(&positions);
    }
    small
}

/// A key's own file data, `[df, docs, title, counts]` (`counts`: per facet,
/// the [`encode_counts`] of its documents per value), and its positions.
pub(super) fn own_data(
    d: &[u32],
    title: &[u32],
    positions: &Positions,
    counts: &[String],
) -> (String, String) {
    let positions = positions_code(positions);
    // The codes use only the URL-safe base64 alphabet: nothing to escape,
    // so the JSON is written directly (the same bytes as serde_json's).
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!("\"{}\"", counts.join("\",\""))
    };
    let full = format!(
        "[{},\"{}\",\"{}\",[{counts}]]",
        d.len(),
        codec::encode_posting(d),
        codec::encode_posting(title),
    );
    (full, positions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn script_json_is_safe() {
        let s = script_json(&json!(["</script><!--", "a\u{2028}b\u{2029}"]));
        assert!(!s.contains('<') && !s.contains('\u{2028}') && !s.contains('\u{2029}'));
        assert_eq!(
            serde_json::from_str::<Value>(&s).unwrap(),
            json!(["</script><!--", "a\u{2028}b\u{2029}"])
        );
    }

    #[test]
    fn counts_pick_the_shorter_form() {
        assert!(encode_counts(&[3, 4, 5]).starts_with('A'));
        let mut sparse = vec![0u64; 400];
        sparse[7] = 2;
        sparse[300] = 1;
        let e = encode_counts(&sparse);
        assert!(e.starts_with('B') && e.len() < 10, "{e}");
    }

    /// The same as writing both forms and keeping the shorter (dense on a
    /// tie), as the counts were first made.
    #[test]
    fn counts_equal_the_shorter_of_both_forms() {
        let reference = |c: &[u64]| {
            let dense = codec::nums(std::iter::once(0).chain(c.iter().copied()));
            let mut pairs = vec![1u64];
            let mut last: i64 = -1;
            for (i, &v) in c.iter().enumerate() {
                if v > 0 {
                    pairs.push((i as i64 - last - 1) as u64);
                    pairs.push(v);
                    last = i as i64;
                }
            }
            let sparse = codec::nums(pairs);
            if sparse.len() < dense.len() {
                sparse
            } else {
                dense
            }
        };
        let mut x: u64 = 7;
        for len in [0usize, 1, 2, 5, 40, 417] {
            for density in [0u64, 1, 3, 10, 100] {
                let c: Vec<u64> = (0..len)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        if (x >> 33) % 100 < density {
                            (x >> 40) % 5000
                        } else {
                            0
                        }
                    })
                    .collect();
                assert_eq!(encode_counts(&c), reference(&c), "{c:?}");
            }
        }
    }

    #[test]
    fn hash_is_fnv1a_over_code_points() {
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
    }
}
