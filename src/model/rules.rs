//! The rules of identifiers, codes and rates: what a slug may be, how a
//! 全国地方公共団体コード's check digit works, how a rate is written and
//! applied. Shared by validation, import and the schema; no dependencies.

/// Core keys every programme file may carry, besides declared ones.
pub const CORE_KEYS: &[&str] = &[
    "fiscal_year",
    "source",
    "page",
    "number",
    "name",
    "part",
    "summary",
    "implementer",
    "start",
    "continues",
    "aliases",
    "series",
    "notes",
];

/// Longest accepted name (characters).
pub const MAX_NAME_CHARS: usize = 500;
/// Longest accepted summary (characters). The source's own limit (300) is
/// a warning in `check`; this is the hard limit.
pub const MAX_SUMMARY_CHARS: usize = 20_000;

/// Whether `s` is a valid id / slug: lowercase ASCII letters, digits and
/// single hyphens, 1–100 characters, not starting or ending with a hyphen.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Checks the check digit of a 6-digit 全国地方公共団体コード.
pub fn valid_lg_code(code: &str) -> bool {
    let d: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 6 || code.len() != 6 {
        return false;
    }
    let s = d[0] * 6 + d[1] * 5 + d[2] * 4 + d[3] * 3 + d[4] * 2;
    let r = s % 11;
    let check = if r == 0 { 1 } else { (11 - r) % 10 };
    // Remainder 1 gives 10, written as 0.
    check == d[5]
}

/// Parses a rate `1/2`, `10/10` into (numerator, denominator).
pub fn parse_rate(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once('/')?;
    let a: u64 = a.trim().parse().ok()?;
    let b: u64 = b.trim().parse().ok()?;
    if b == 0 || a > b * 100 {
        return None;
    }
    Some((a, b))
}

/// `amount × num / den`, rounded half up, without overflow.
pub fn ratio_half_up(amount: u128, num: u64, den: u64) -> u128 {
    let num = u128::from(num);
    let den = u128::from(den);
    (amount * num * 2 + den) / (2 * den)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_government_codes() {
        assert!(valid_lg_code("131121")); // 世田谷区
        assert!(valid_lg_code("131016")); // 千代田区
        assert!(!valid_lg_code("131122"));
        assert!(!valid_lg_code("13112"));
    }

    #[test]
    fn half_up_rounding() {
        assert_eq!(ratio_half_up(11433, 1, 2), 5717);
        assert_eq!(ratio_half_up(85868, 1, 2), 42934);
        assert_eq!(ratio_half_up(61400, 10, 10), 61400);
        assert_eq!(
            ratio_half_up(u128::from(u64::MAX) * 4, 1, 2),
            u128::from(u64::MAX) * 2
        );
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("2024-general-08"));
        assert!(!is_valid_slug("../x"));
        assert!(!is_valid_slug("A"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug(""));
    }
}
