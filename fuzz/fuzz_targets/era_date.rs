//! The importer's date parser (和暦 and Gregorian forms): never panics, and
//! every date it accepts is a real calendar date that reads back the same
//! from its ISO form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mieruka::import::era::{days_in_month, parse_date};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = parse_date(text) {
        let d = p.date;
        assert!((1..=12).contains(&d.month), "{text:?} → {d:?}");
        assert!(d.day >= 1 && d.day <= days_in_month(d.year, d.month), "{text:?} → {d:?}");
        // Years beyond four digits have no ISO form the parser reads back
        // (see docs/fuzzing.md: 令和999999年 is accepted as year 1002017).
        if !(1000..=9999).contains(&d.year) {
            return;
        }
        let again = parse_date(&d.iso()).unwrap_or_else(|e| panic!("{text:?} → {} does not parse back: {e}", d.iso()));
        assert_eq!(again.date, d, "{text:?}");
        assert!(again.day_given);
    }
});
