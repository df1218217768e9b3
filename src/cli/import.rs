//! `mieruka import`: an official table (TSV/CSV) → programme files. The
//! library reads, converts and writes ([`mieruka::import::import`]); this
//! file turns its report into lines and an exit code.

use mieruka::import::series::{figure, YearReport};
use mieruka::import::{FileStatus, Options, Report, TableFormat};
use std::path::PathBuf;
use std::process::ExitCode;

/// How the table's cells are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tab-separated.
    Tsv,
    /// Comma-separated (as Excel writes "CSV UTF-8" or "CSV").
    Csv,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The table to read (TSV or CSV; UTF-8, UTF-8 with BOM, or Shift_JIS).
    table: PathBuf,
    /// Source id from _sources.yaml, one per table in the file, in file order
    /// (repeat for several tables). Default: the sources whose `file` is the
    /// table's file name, in the order of their `table`.
    #[arg(long = "source", value_name = "ID")]
    sources: Vec<String>,
    /// Content folder (holding _site.yaml, _sources.yaml and the registries).
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Where programme files go (default: <content>/<programme_dir>); files are
    /// written to <out>/<fiscal_year>/<id>.yaml.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Table format (default: by extension: .csv → csv, otherwise tsv).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Report what would be written, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// A mapping file (YAML) saying which header feeds which field, for a
    /// list with one programme per row. Without it, the table is read in
    /// the layout of the Tokyo plan (header row starting with 整理番号).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
}

pub fn run(a: Args) -> ExitCode {
    let opts = Options {
        table: a.table,
        sources: a.sources,
        content: a.content,
        out: a.out,
        format: a.format.map(|f| match f {
            Format::Tsv => TableFormat::Tsv,
            Format::Csv => TableFormat::Csv,
        }),
        dry_run: a.dry_run,
        mapping: a.mapping,
    };
    let report = mieruka::import::import(&opts);
    print(&report, opts.dry_run)
}

/// Prints the report: information, problems, then what was (or would be)
/// written; exit 1 on any error.
fn print(report: &Report, dry_run: bool) -> ExitCode {
    for i in &report.info {
        println!("{i}");
    }
    for p in &report.problems {
        eprintln!("{}", p.render());
    }
    let errors = report.error_count();
    if errors > 0 {
        super::report::print_error(&format!("{errors} problem(s); nothing was written"));
        return ExitCode::from(1);
    }
    let verb = |status: FileStatus| match (status, dry_run) {
        (FileStatus::Created, false) => Some("created"),
        (FileStatus::Changed, false) => Some("changed"),
        (FileStatus::Created, true) => Some("would create"),
        (FileStatus::Changed, true) => Some("would change"),
        (FileStatus::Unchanged, _) => None,
    };
    for (path, status) in &report.files {
        if let Some(v) = verb(*status) {
            println!("{v} {}", path.display());
        }
    }
    for (path, n, status) in &report.registries {
        if let Some(v) = verb(*status) {
            println!("{v} {} ({n} new value(s))", path.display());
        }
    }
    println!(
        "{} programmes: {} created, {} changed, {} unchanged{}",
        report.files.len(),
        report.count(FileStatus::Created),
        report.count(FileStatus::Changed),
        report.count(FileStatus::Unchanged),
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    for y in &report.series {
        print_series(y);
    }
    ExitCode::SUCCESS
}

/// The series report of one imported year against the previous one.
fn print_series(y: &YearReport) {
    println!();
    println!(
        "series: fiscal year {} against {}: {} continued, {} continued by judgement, {} new, {} absent, {} ambiguous",
        y.year,
        y.previous,
        y.continued.len(),
        y.judged.len(),
        y.new.len(),
        y.absent.len(),
        y.ambiguous.len()
    );
    let amounts = |a: Option<u64>, b: Option<u64>| match &y.measure {
        Some((label, unit)) => format!("  ({label} {} → {} {unit})", figure(a), figure(b)),
        None => String::new(),
    };
    for c in &y.continued {
        println!(
            "  continued   {} → {}  {}{}",
            c.from.id,
            c.to.id,
            c.to.name,
            amounts(c.from.amount, c.to.amount)
        );
    }
    for c in &y.judged {
        println!(
            "  continued by judgement ({})  {} → {}  {} → {}{}",
            y.editorial,
            c.from.id,
            c.to.id,
            c.from.name,
            c.to.name,
            amounts(c.from.amount, c.to.amount)
        );
    }
    for r in &y.new {
        println!("  new         {}  {}", r.id, r.name);
    }
    for r in &y.absent {
        println!(
            "  absent      {}  {}  (not in this year's list)",
            r.id, r.name
        );
    }
    for a in &y.ambiguous {
        println!(
            "  ambiguous   {} ↔ {}  {} ↔ {}  (same key fields but the name; names share {}/{} bigrams = {:.2}): not joined",
            a.old.id,
            a.new.id,
            a.old.name,
            a.new.name,
            a.shared,
            a.of,
            a.containment()
        );
        println!(
            "    if {} continues {}, add to {}:",
            a.new.id, a.old.id, y.editorial
        );
        for l in a.entry().lines() {
            println!("      {l}");
        }
    }
}
