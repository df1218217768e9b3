//! Number and date formatting shared by pages, charts, checks and CSV.

/// 18997 → "18,997".
pub fn group_digits(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count as pages and messages write it: 1720 → "1,720" (negative counts
/// keep their sign).
pub fn count(n: i64) -> String {
    let s = group_digits(u128::from(n.unsigned_abs()));
    if n < 0 {
        format!("-{s}")
    } else {
        s
    }
}

/// Whether a measure's unit is an amount of money (円, 千円, 百万円).
pub fn is_money(unit: &str) -> bool {
    matches!(unit, "円" | "千円" | "百万円")
}

/// The same amount in the units people think in, beside a figure in yen or
/// thousands of yen (the unit declared for the measure): 39,431千円 →
/// "約3,943万円", 1,880,000千円 → "18.8億円", 3,000,000,000千円 → "3兆円".
/// 万円 to one unit and 億円, 兆円 to one decimal, each rounded half up,
/// with 約 when the rounding dropped something. `None` for other units, for
/// amounts below 1万円 and where the reading would only repeat the figure
/// (an amount in 円 below 10万円).
pub fn reading(amount: u128, unit: &str) -> Option<String> {
    let yen = match unit {
        "円" => amount,
        "千円" => amount.checked_mul(1_000)?,
        "百万円" => amount.checked_mul(1_000_000)?,
        _ => return None,
    };
    if yen < 10_000 || (unit == "円" && yen < 100_000) {
        return None;
    }
    // (unit size, word, decimals), smallest first: the first unit whose
    // rounded figure stays below 10,000 of it (99,999千円 is 約1億円, not
    // 約10,000万円).
    const UNITS: [(u128, &str, u32); 3] = [
        (10_000, "万円", 0),
        (100_000_000, "億円", 1),
        (1_000_000_000_000, "兆円", 1),
    ];
    let (mut size, mut word, mut decimals) = UNITS[2];
    for (s, w, d) in UNITS {
        let step = s / 10u128.pow(d);
        if (yen + step / 2) / step < 10_000 * 10u128.pow(d) {
            (size, word, decimals) = (s, w, d);
            break;
        }
    }
    let step = size / 10u128.pow(decimals);
    let rounded = (yen + step / 2) / step; // in units of `step`
    let about = if rounded * step == yen { "" } else { "約" };
    let whole = rounded / 10u128.pow(decimals);
    let frac = rounded % 10u128.pow(decimals);
    let number = if decimals > 0 && frac > 0 {
        format!("{}.{frac}", group_digits(whole))
    } else {
        group_digits(whole)
    };
    Some(format!("{about}{number}{word}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1720), "1,720");
        assert_eq!(count(-1234), "-1,234");
    }

    #[test]
    fn readings_in_man_oku_and_cho() {
        assert_eq!(reading(39_431, "千円").as_deref(), Some("約3,943万円"));
        assert_eq!(reading(61_400, "千円").as_deref(), Some("6,140万円"));
        assert_eq!(reading(1_880_000, "千円").as_deref(), Some("18.8億円"));
        assert_eq!(reading(1_884_999, "千円").as_deref(), Some("約18.8億円"));
        assert_eq!(reading(1_885_000, "千円").as_deref(), Some("約18.9億円"));
        assert_eq!(reading(100_000, "千円").as_deref(), Some("1億円"));
        assert_eq!(reading(99_999, "千円").as_deref(), Some("約1億円"));
        assert_eq!(reading(3_000_000_000, "千円").as_deref(), Some("3兆円"));
        assert_eq!(reading(10, "千円").as_deref(), Some("1万円"));
        assert_eq!(reading(9, "千円"), None, "below 1万円");
        assert_eq!(reading(50_000, "円"), None, "would repeat the figure");
        assert_eq!(reading(250_000, "円").as_deref(), Some("25万円"));
        assert_eq!(reading(5, "百万円").as_deref(), Some("500万円"));
        assert_eq!(reading(1_000, "人"), None, "not an amount of money");
    }
    #[test]
    fn groups() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(396), "396");
        assert_eq!(group_digits(18997), "18,997");
        assert_eq!(group_digits(539118), "539,118");
        assert_eq!(group_digits(1234567), "1,234,567");
    }
}
