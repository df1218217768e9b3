//! The one normalisation ("fold v1") shared by the indexer and the browser.
//!
//! `themes/default/js/search.js` (shipped minified as `static/search.js`) implements the same function
//! (`fold`); `tests/search-vectors.json` holds cases that the Rust tests and
//! the JS tests both run, so the two cannot drift apart.
//!
//! The text is cut into clusters (a character and the combining or voicing
//! marks after it); each cluster is folded on its own, which keeps a map
//! from folded text back to the original (the browser needs it to highlight)
//! and gives the same result on both sides. Per cluster:
//!
//! 1. NFKC (full-width Latin and digits, half-width katakana with their
//!    voicing marks, ㈱ → (株), ① → 1);
//! 2. lower case (per character, no locale);
//! 3. per character: katakana → hiragana (U+30A1–U+30F6 down by 0x60,
//!    ヽヾ → ゝゞ); the wave-dash family (〜 ～ ∼ 〰 ~) → `~`; the
//!    hyphen/dash/minus family → `-`; and either of those right after a kana
//!    or `ー` → `ー` (a long-vowel mark written with a dash or wave dash);
//!    zero-width characters and variation selectors are dropped; white
//!    space becomes one space, never at either end.

use unicode_normalization::UnicodeNormalization;

/// Version tag of these rules, written into the index's meta file.
pub const FOLD_VERSION: &str = "fold-v1";

/// Whether `c` attaches to the character before it (a cluster continues).
pub fn is_joiner(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x3099 | 0x309A | 0xFF9E | 0xFF9F | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

fn is_space(c: char) -> bool {
    matches!(c as u32, 0x09..=0x0D | 0x20 | 0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000)
}

fn is_dropped(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200D | 0x2060 | 0xFEFF | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

/// Kana (after folding) or the long-vowel mark: a dash after one of these
/// is a long-vowel mark.
fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x3096 | 0x309D | 0x309E | 0x30F7..=0x30FA | 0x30FC)
}

fn fold_char(c: char) -> Option<char> {
    let u = c as u32;
    Some(match u {
        0x30A1..=0x30F6 => char::from_u32(u - 0x60).unwrap_or(c),
        0x30FD | 0x30FE => char::from_u32(u - 0x60).unwrap_or(c),
        0x301C | 0x3030 | 0x223C | 0x7E => '~',
        0x2010..=0x2015 | 0x2212 | 0x2043 | 0x2D => '-',
        _ if is_dropped(c) => return None,
        _ => c,
    })
}

/// Whether `c` alone is its own NFKC form and, but for ASCII capitals, its
/// own lower case: plain ASCII, kana, the long-vowel mark and the common
/// CJK ideographs — most of a Japanese text, folded without the
/// normaliser (a test checks every one of them against it).
fn is_stable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC | 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Folds `s`, calling `emit(folded_char, original_byte_start, original_byte_end)`
/// for every output character (the span is the cluster it came from).
pub fn fold_with(s: &str, emit: impl FnMut(char, usize, usize)) {
    struct State<E> {
        emit: E,
        pending_space: bool,
        any: bool,
        prev: Option<char>,
    }
    impl<E: FnMut(char, usize, usize)> State<E> {
        /// One character of a cluster's normal form, lower-cased.
        fn step(&mut self, l: char, start: usize, end: usize) {
            if is_space(l) {
                self.pending_space = self.any;
                return;
            }
            let Some(mut f) = fold_char(l) else { return };
            if (f == '-' || f == '~') && !self.pending_space && self.prev.is_some_and(is_kana) {
                f = 'ー';
            }
            if self.pending_space {
                (self.emit)(' ', start, start);
                self.pending_space = false;
            }
            (self.emit)(f, start, end);
            self.prev = Some(f);
            self.any = true;
        }
    }
    let mut st = State {
        emit,
        pending_space: false,
        any: false,
        prev: None,
    };
    let mut it = s.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((start, c)) = it.next() {
        let joined = it.peek().is_some_and(|&(_, n)| is_joiner(n));
        if !joined && is_stable(c) {
            st.step(c.to_ascii_lowercase(), start, start + c.len_utf8());
        } else {
            cluster.clear();
            cluster.push(c);
            let mut end = start + c.len_utf8();
            while let Some(&(i, n)) = it.peek() {
                if !is_joiner(n) {
                    break;
                }
                cluster.push(n);
                end = i + n.len_utf8();
                it.next();
            }
            for n in cluster.nfkc() {
                for l in n.to_lowercase() {
                    st.step(l, start, end);
                }
            }
        }
        if st.pending_space {
            st.prev = None;
        }
    }
}

/// The folded form of `s` (see the module documentation).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_with(s, |c, _, _| out.push(c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_kana() {
        assert_eq!(normalize("ＤＸ推進　ﾏｯﾁﾝｸﾞ"), "dx推進 まっちんぐ");
        assert_eq!(normalize("ｲﾝﾀｰﾝｼｯﾌﾟ"), normalize("インターンシップ"));
        assert_eq!(normalize("TikTok"), "tiktok");
        assert_eq!(normalize("１８，９９７"), "18,997");
        assert_eq!(normalize("㈱"), "(株)");
    }

    #[test]
    fn dashes_and_waves() {
        assert_eq!(normalize("10〜20"), "10~20");
        assert_eq!(normalize("10～20"), "10~20");
        assert_eq!(normalize("インタ―ン"), "いんたーん");
        assert_eq!(normalize("A－B"), "a-b");
        assert_eq!(normalize("すご〜い"), "すごーい");
    }

    /// The characters folded without the normaliser are exactly those the
    /// normaliser and lower-casing would leave as they are (ASCII capitals
    /// but lower-cased).
    #[test]
    fn stable_characters_need_no_normaliser() {
        for u in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            if !is_stable(c) {
                continue;
            }
            let nfkc: String = c.to_string().nfkc().collect();
            assert_eq!(nfkc, c.to_string(), "U+{u:04X} is not its own NFKC form");
            let lower: String = c.to_lowercase().collect();
            assert_eq!(lower, c.to_ascii_lowercase().to_string(), "U+{u:04X}");
        }
    }

    #[test]
    fn spaces_are_collapsed_and_trimmed() {
        assert_eq!(normalize("  女性\u{3000}\n 再就職 "), "女性 再就職");
        assert_eq!(normalize("\u{200B}a\u{FEFF}b"), "ab");
    }
}
