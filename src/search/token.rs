//! Tokens, on folded text (see [`super::fold`]); mirrored in search.js.
//!
//! Folded text is cut into *runs*: maximal stretches of characters that are
//! not a separator (a space, or a control character such as the newline
//! between fields). A run holds Japanese, Latin, digits and punctuation
//! alike (`dx推進`, `10/10`, `1ict化`), so any stretch of a run can be
//! searched for.
//!
//! Keys of a document: every character, character bigram and character
//! trigram inside each run (trigrams with their positions), and the
//! frequent n-grams of 4 to [`MAX_GRAM`] characters that have no
//! punctuation (letters, digits, kana and kanji only).
//!
//! Keys of a query: the query is split at separators into terms; a term
//! matches a document when one of the document's fields contains it (a
//! plain substring). A term of one, two or three characters is one key,
//! which is exact (a document has the key exactly when the term occurs in
//! one of its fields); a longer term is a phrase: its own key when it is a
//! frequent n-gram (indexed when at least a minimum number of documents
//! have it), else trigrams that must occur at the right distances from each
//! other (trigram keys carry positions). A term without any letter, digit,
//! kana or kanji (`・・`) is dropped.

/// Whether `c` (folded) is Japanese: kana, the long-vowel mark, CJK
/// ideographs, 々〆〇.
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007 | 0x303B | 0x3041..=0x309F | 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether `c` (folded) is a letter or digit of another script.
pub fn is_word(c: char) -> bool {
    !is_japanese(c) && c.is_alphanumeric()
}

/// Whether `c` (folded) separates runs: a space or a control character
/// (the newline between fields).
pub fn is_separator(c: char) -> bool {
    c == ' ' || c.is_control()
}

/// Whether a term with `s` can be searched for: it has a letter, digit,
/// kana or kanji.
pub fn is_searchable(s: &str) -> bool {
    s.chars().any(|c| is_japanese(c) || is_word(c))
}

/// The runs of folded text `s`, in order, with the position (in
/// characters from the start of `s`) of each one's first character.
pub fn runs(s: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(u32, usize)> = None;
    for (pos, (i, c)) in s.char_indices().enumerate() {
        if is_separator(c) {
            if let Some((p, b)) = start.take() {
                out.push((p, &s[b..i]));
            }
        } else if start.is_none() {
            start = Some((pos as u32, i));
        }
    }
    if let Some((p, b)) = start {
        out.push((p, &s[b..]));
    }
    out
}

/// Calls `f(key, position)` with every key of folded text `s` (repeats
/// included): the characters, bigrams and trigrams of its runs; the
/// position is the key's first character, counted in characters from the
/// start of `s`.
pub fn for_each_key<'a>(s: &'a str, f: impl FnMut(&'a str, u32)) {
    for_each_ngram(s, 1, 3, f);
}

/// The distinct keys of folded text `s`, sorted.
pub fn doc_keys(s: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for_each_key(s, |k, _| v.push(k.to_string()));
    v.sort();
    v.dedup();
    v
}

/// Calls `f(ngram, position)` with every n-gram of `min..=max` characters
/// inside the runs of folded text `s`.
pub fn for_each_ngram<'a>(s: &'a str, min: usize, max: usize, mut f: impl FnMut(&'a str, u32)) {
    for_each_ngram_while(s, min, max, |g, p| {
        f(g, p);
        true
    });
}

/// Like [`for_each_ngram`], shortest first at each position; when `f`
/// returns false, the longer n-grams at that position are skipped.
pub fn for_each_ngram_while<'a>(
    s: &'a str,
    min: usize,
    max: usize,
    mut f: impl FnMut(&'a str, u32) -> bool,
) {
    let mut idx: Vec<usize> = Vec::new();
    for (pos, j) in runs(s) {
        idx.clear();
        idx.extend(j.char_indices().map(|(i, _)| i));
        idx.push(j.len());
        let n = idx.len() - 1;
        for a in 0..n {
            for len in min..=max {
                if a + len > n || !f(&j[idx[a]..idx[a + len]], pos + a as u32) {
                    break;
                }
            }
        }
    }
}

/// A term of a query longer than three characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The term. When it has at most [`MAX_GRAM`] characters it may be a
    /// key of its own (frequent n-grams are indexed); its document list is
    /// then exact.
    pub run: String,
    /// Otherwise: trigrams with their offsets in the run, chosen to cover it
    /// (offsets 0, 3, 6, … and the last). A document has the run exactly
    /// when, for one position `p`, each trigram occurs at `p + offset`.
    pub cover: Vec<(String, u32)>,
}

/// Longest indexed n-gram, in characters.
pub const MAX_GRAM: usize = 8;

/// One query term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term, folded.
    pub text: String,
    /// Keys a document must have: the term itself when it has at most three
    /// characters, else none.
    pub keys: Vec<String>,
    /// The term when it is longer than three characters.
    pub phrases: Vec<Phrase>,
}

/// The trigrams covering a run of `n > 3` characters: their offsets.
pub fn cover(n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..=n - 3).step_by(3).collect();
    if *v.last().unwrap_or(&0) != n - 3 {
        v.push(n - 3);
    }
    v
}

/// The terms of a query (raw text): folded, split at separators, terms
/// without a letter, digit, kana or kanji dropped, repeated terms once.
pub fn query_terms(q: &str) -> Vec<Term> {
    let folded = super::fold::normalize(q);
    let mut out: Vec<Term> = Vec::new();
    for (_, t) in runs(&folded) {
        if !is_searchable(t) || out.iter().any(|o| o.text == t) {
            continue;
        }
        let cs: Vec<char> = t.chars().collect();
        let (keys, phrases) = if cs.len() <= 3 {
            (vec![t.to_string()], vec![])
        } else {
            let cover = cover(cs.len())
                .into_iter()
                .map(|o| (cs[o..o + 3].iter().collect(), o as u32))
                .collect();
            (
                vec![],
                vec![Phrase {
                    run: t.to_string(),
                    cover,
                }],
            )
        };
        out.push(Term {
            text: t.to_string(),
            keys,
            phrases,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_at_separators_only() {
        assert_eq!(runs("dx推進 it系"), vec![(0, "dx推進"), (5, "it系")]);
        assert_eq!(runs("東京・世田谷"), vec![(0, "東京・世田谷")]);
        assert_eq!(runs(" 10/10\n1ict化 "), vec![(1, "10/10"), (7, "1ict化")]);
    }

    #[test]
    fn keys_are_grams_up_to_three() {
        assert_eq!(
            doc_keys("東京都"),
            vec!["京", "京都", "東", "東京", "東京都", "都"]
        );
        assert_eq!(
            doc_keys("ab 1/2"),
            vec!["/", "/2", "1", "1/", "1/2", "2", "a", "ab", "b"]
        );
        let mut at = Vec::new();
        for_each_key("ab 東京都", |k, p| at.push((k.to_string(), p)));
        assert!(
            at.contains(&("東京都".to_string(), 3))
                && at.contains(&("都".to_string(), 5))
                && at.contains(&("ab".to_string(), 0))
        );
    }

    #[test]
    fn long_terms_are_covered_by_trigrams() {
        let t = query_terms("京都府");
        assert_eq!(t[0].keys, vec!["京都府"]);
        let t = query_terms("就職氷河期");
        assert!(t[0].keys.is_empty());
        assert_eq!(t[0].phrases[0].run, "就職氷河期");
        assert_eq!(
            t[0].phrases[0].cover,
            vec![("就職氷".to_string(), 0), ("氷河期".to_string(), 2)]
        );
        let t = query_terms("10/10");
        assert_eq!(
            t[0].phrases[0].cover,
            vec![("10/".to_string(), 0), ("/10".to_string(), 2)]
        );
        assert!(query_terms("・・ 　").is_empty());
        assert_eq!(cover(4), vec![0, 1]);
        assert_eq!(cover(6), vec![0, 3]);
        assert_eq!(cover(8), vec![0, 3, 5]);
        assert_eq!(cover(9), vec![0, 3, 6]);
    }
}
