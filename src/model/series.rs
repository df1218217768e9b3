//! Fiscal years and series: how a record of one year is recognised as the
//! same programme in another (the declared key, folded), the id a new
//! series gets, and how a fiscal year is written.
//!
//! A *record* is one programme in one fiscal year (one row of one year's
//! table, one programme file). A *series* is the same programme across
//! years. Which records form a series is declared — the `series.key` of
//! `_site.yaml`, and the editor's judgements in `_series.yaml` — never
//! guessed; the importer and validation both use [`fold`] and [`key_of`].

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// A text as compared for series keys: NFKC (full-width letters and
/// digits become ASCII, half-width kana full-width), with every white-space
/// character removed (`とうきょう　すくわく` = `とうきょうすくわく`).
pub fn fold(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The key of a record: its key fields' values, folded, joined by U+001F
/// (which no folded value holds: control characters are refused).
pub fn key_of<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values
        .into_iter()
        .map(fold)
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// The id a new series gets from its first record's key: `s` and eight
/// lower-case base-32 characters of the key's SHA-256 (40 bits; the
/// importer lengthens it in the rare case that it is taken). Stored in the
/// programme files from then on, so a later change of name keeps the id.
pub fn mint_id(key: &str, len: usize) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let hash = Sha256::digest(key.as_bytes());
    let mut out = String::from("s");
    let mut bits: u64 = 0;
    let mut have = 0;
    for &b in hash.iter() {
        bits = bits << 8 | u64::from(b);
        have += 8;
        while have >= 5 && out.len() <= len {
            have -= 5;
            out.push(ALPHABET[((bits >> have) & 31) as usize] as char);
        }
        if out.len() > len {
            break;
        }
    }
    out
}

/// The Japanese era name and year of a fiscal year (April–March), as
/// budget documents write it: 2019 is 令和元年度 (the year the era began),
/// 2018 平成30年度.
pub fn wareki(year: i32) -> String {
    let (era, first) = match year {
        2019.. => ("令和", 2019),
        1989.. => ("平成", 1989),
        1926.. => ("昭和", 1926),
        1912.. => ("大正", 1912),
        _ => ("明治", 1868),
    };
    match year - first + 1 {
        1 => format!("{era}元年度"),
        n => format!("{era}{n}年度"),
    }
}

/// A fiscal year written as the site declares (`year_label`: a template
/// with `{year}` and `{wareki}`; default `{year}年度`).
pub fn year_label(template: Option<&str>, year: i32) -> String {
    match template {
        Some(t) => t
            .replace("{year}", &year.to_string())
            .replace("{wareki}", &wareki(year)),
        None => format!("{year}年度"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_width_and_space() {
        assert_eq!(
            fold("とうきょう　すくわく ＡＢＣ１"),
            "とうきょうすくわくABC1"
        );
        assert_eq!(
            key_of(["子供政策連携室", " 補助金 "]),
            "子供政策連携室\u{1f}補助金"
        );
        assert_ne!(key_of(["a", "bc"]), key_of(["ab", "c"]));
    }

    #[test]
    fn ids_are_stable_short_and_url_safe() {
        let id = mint_id("子供政策連携室\u{1f}ファミリー・アテンダント事業補助金", 8);
        assert_eq!(id.len(), 9);
        assert_eq!(
            id,
            mint_id("子供政策連携室\u{1f}ファミリー・アテンダント事業補助金", 8)
        );
        assert!(crate::model::rules::is_valid_slug(&id), "{id}");
        assert!(mint_id("x", 10).starts_with(&mint_id("x", 8)));
        assert_ne!(mint_id("x", 8), mint_id("y", 8));
    }

    #[test]
    fn fiscal_years_in_the_japanese_era() {
        assert_eq!(wareki(2024), "令和6年度");
        assert_eq!(wareki(2025), "令和7年度");
        assert_eq!(wareki(2019), "令和元年度");
        assert_eq!(wareki(2018), "平成30年度");
        assert_eq!(wareki(1989), "平成元年度");
        assert_eq!(
            year_label(Some("{wareki}（{year}年度）"), 2024),
            "令和6年度（2024年度）"
        );
        assert_eq!(year_label(None, 2024), "2024年度");
    }
}
