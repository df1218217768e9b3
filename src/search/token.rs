//! Tokens, on folded text (see [`super::fold`]); mirrored in search.js.
//!
//! Folded text is cut into runs: a *Japanese run* (kana, the long-vowel
//! mark, CJK ideographs, 々〆〇) or a *word run* (any other letter or digit,
//! e.g. Latin words and numbers); everything else separates runs.
//!
//! Keys of a document: every character, character bigram and character
//! trigram inside each Japanese run, and every word run as a whole (words
//! longer than [`MAX_WORD`] characters are cut).
//!
//! Keys of a query: the query is split at spaces into terms; a term
//! matches a document when all of its runs do. A Japanese run of one, two
//! or three characters is one key, which is exact (a document has the key
//! exactly when the run occurs in one of its fields); a longer Japanese run
//! is a phrase: its own key when it is a frequent n-gram (up to
//! [`MAX_GRAM`] characters, indexed when at least a minimum number of
//! documents have it), else trigrams that must occur at the right distances
//! from each other (trigram keys carry positions); a word run is its word.

/// Longest word key, in characters.
pub const MAX_WORD: usize = 32;

/// Whether `c` (folded) belongs to a Japanese run.
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007 | 0x303B | 0x3041..=0x309F | 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether `c` (folded) belongs to a word run.
pub fn is_word(c: char) -> bool {
    !is_japanese(c) && c.is_alphanumeric()
}

/// A run of folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run<'a> {
    /// Kana and kanji.
    Japanese(&'a str),
    /// Letters and digits of other scripts.
    Word(&'a str),
}

/// The runs of folded text `s`, in order.
pub fn runs(s: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut cur: Option<(bool, usize)> = None; // (japanese, start)
    for (i, c) in s.char_indices() {
        let class = if is_japanese(c) {
            Some(true)
        } else if is_word(c) {
            Some(false)
        } else {
            None
        };
        match (cur, class) {
            (Some((j, _)), Some(k)) if j == k => {}
            (Some((j, st)), _) => {
                out.push(if j {
                    Run::Japanese(&s[st..i])
                } else {
                    Run::Word(&s[st..i])
                });
                cur = class.map(|k| (k, i));
            }
            (None, _) => cur = class.map(|k| (k, i)),
        }
    }
    if let Some((j, st)) = cur {
        out.push(if j {
            Run::Japanese(&s[st..])
        } else {
            Run::Word(&s[st..])
        });
    }
    out
}

/// A word key: the word cut to [`MAX_WORD`] characters.
pub fn word_key(w: &str) -> &str {
    match w.char_indices().nth(MAX_WORD) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

/// Calls `f(key, position)` with every key of folded text `s` (repeats
/// included); the position is the key's first character, counted in
/// characters from the start of `s`.
pub fn for_each_key<'a>(s: &'a str, mut f: impl FnMut(&'a str, u32)) {
    let mut pos = 0u32; // characters before the current run
    let mut last = 0usize; // byte offset matching pos
    let mut idx: Vec<usize> = Vec::new();
    for run in runs(s) {
        let (Run::Word(r) | Run::Japanese(r)) = run;
        let start = r.as_ptr() as usize - s.as_ptr() as usize;
        pos += s[last..start].chars().count() as u32;
        last = start;
        match run {
            Run::Word(w) => f(word_key(w), pos),
            Run::Japanese(j) => {
                idx.clear();
                idx.extend(j.char_indices().map(|(i, _)| i));
                idx.push(j.len());
                let n = idx.len() - 1;
                for a in 0..n {
                    for len in 1..=3 {
                        if a + len <= n {
                            f(&j[idx[a]..idx[a + len]], pos + a as u32);
                        }
                    }
                }
            }
        }
    }
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
/// inside the Japanese runs of folded text `s`.
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
    let mut pos = 0u32;
    let mut last = 0usize;
    let mut idx: Vec<usize> = Vec::new();
    for run in runs(s) {
        let Run::Japanese(j) = run else { continue };
        let start = j.as_ptr() as usize - s.as_ptr() as usize;
        pos += s[last..start].chars().count() as u32;
        last = start;
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

/// A Japanese run of a query longer than three characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The run. When it has at most [`MAX_GRAM`] characters it may be a key
    /// of its own (frequent n-grams are indexed); its document list is then
    /// exact.
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
    /// Keys a document must have (words and runs of up to three
    /// characters; sorted, distinct).
    pub keys: Vec<String>,
    /// Japanese runs longer than three characters.
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

/// The terms of a query (raw text): folded, split at spaces, terms without
/// any run dropped, repeated terms once.
pub fn query_terms(q: &str) -> Vec<Term> {
    let folded = super::fold::normalize(q);
    let mut out: Vec<Term> = Vec::new();
    for t in folded.split(' ').filter(|t| !t.is_empty()) {
        let mut keys: Vec<String> = Vec::new();
        let mut phrases: Vec<Phrase> = Vec::new();
        for run in runs(t) {
            match run {
                Run::Word(w) => keys.push(word_key(w).to_string()),
                Run::Japanese(j) => {
                    let cs: Vec<char> = j.chars().collect();
                    if cs.len() <= 3 {
                        keys.push(j.to_string());
                    } else if !phrases.iter().any(|p| p.run == j) {
                        let cover = cover(cs.len())
                            .into_iter()
                            .map(|o| (cs[o..o + 3].iter().collect(), o as u32))
                            .collect();
                        phrases.push(Phrase {
                            run: j.to_string(),
                            cover,
                        });
                    }
                }
            }
        }
        keys.sort();
        keys.dedup();
        if (!keys.is_empty() || !phrases.is_empty()) && !out.iter().any(|o| o.text == t) {
            out.push(Term {
                text: t.to_string(),
                keys,
                phrases,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_scripts() {
        assert_eq!(
            runs("dx推進 it系"),
            vec![
                Run::Word("dx"),
                Run::Japanese("推進"),
                Run::Word("it"),
                Run::Japanese("系")
            ]
        );
        assert_eq!(
            runs("東京・世田谷"),
            vec![Run::Japanese("東京"), Run::Japanese("世田谷")]
        );
    }

    #[test]
    fn keys_are_grams_up_to_three() {
        assert_eq!(
            doc_keys("東京都"),
            vec!["京", "京都", "東", "東京", "東京都", "都"]
        );
        assert_eq!(doc_keys("tiktok 2024年"), vec!["2024", "tiktok", "年"]);
        let mut at = Vec::new();
        for_each_key("ab 東京都", |k, p| at.push((k.to_string(), p)));
        assert!(
            at.contains(&("東京都".to_string(), 3))
                && at.contains(&("都".to_string(), 5))
                && at.contains(&("ab".to_string(), 0))
        );
    }

    #[test]
    fn long_runs_are_covered_by_trigrams() {
        let t = query_terms("京都府");
        assert_eq!(t[0].keys, vec!["京都府"]);
        let t = query_terms("就職氷河期");
        assert!(t[0].keys.is_empty());
        assert_eq!(t[0].phrases[0].run, "就職氷河期");
        assert_eq!(
            t[0].phrases[0].cover,
            vec![("就職氷".to_string(), 0), ("氷河期".to_string(), 2)]
        );
        assert_eq!(cover(4), vec![0, 1]);
        assert_eq!(cover(6), vec![0, 3]);
        assert_eq!(cover(8), vec![0, 3, 5]);
        assert_eq!(cover(9), vec![0, 3, 6]);
    }
}
