//! `mieruka import` on any table: any bytes as a TSV or CSV table (UTF-8,
//! BOM, Shift_JIS or garbage) against the Tokyo content's declared model,
//! as a dry run. Problems are reported, never a panic, a hang or unbounded
//! memory.
//!
//! The first input byte picks the format (TSV named like the Tokyo source
//! file, so the sources are found by name; or CSV with both sources given).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mieruka::import::{import, Options, TableFormat};
use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let csv = pick & 1 == 1;
    let table = dir().path().join(if csv { "table.csv" } else { "tokyo-r6-chiiki-jinzai-plan.tsv" });
    std::fs::write(&table, bytes).unwrap();
    let mut args = Options::new(table);
    args.content = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../content"));
    args.out = Some(dir().path().join("out"));
    args.dry_run = true;
    if csv {
        args.format = Some(TableFormat::Csv);
        args.sources = vec!["tokyo-r6-model".into(), "tokyo-r6-general".into()];
    }
    let report = import(&args);
    for p in &report.problems {
        let _ = p.render();
    }
});
