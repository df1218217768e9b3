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

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn groups() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(396), "396");
        assert_eq!(group_digits(18997), "18,997");
        assert_eq!(group_digits(539118), "539,118");
        assert_eq!(group_digits(1234567), "1,234,567");
    }
}
