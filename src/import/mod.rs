//! `mieruka import`: official programme tables (TSV/CSV) → programme files.
//! (Being written; see issue 3.)

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `mieruka import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The table to read.
    pub table: PathBuf,
}

/// Runs the import.
pub fn run(args: ImportArgs) -> ExitCode {
    eprintln!("import of {} is not implemented yet", args.table.display());
    ExitCode::from(2)
}
