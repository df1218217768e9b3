//! The command line: what the user typed (clap), one module per command,
//! each turning a library outcome into messages and an exit code
//! (0 ok, 1 content problems, 2 usage or infrastructure failure).

mod build;
mod check;
mod import;
mod progress;
mod report;
mod serve;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mieruka",
    version,
    about = "Static site generator for public programme disclosure (見える化)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the content, then build the site into the output folder.
    Build(build::Args),
    /// Report every problem in the content at once; exit 1 on errors.
    Check(check::Args),
    /// Serve the site on 127.0.0.1 with live reload, rebuilding on every change.
    Serve(serve::Args),
    /// Turn an official programme table (TSV/CSV) into programme files.
    Import(import::Args),
    /// Check a built site, or a copy of it, against its checksum manifest.
    ///
    /// Every file listed in mieruka-manifest.tsv must be present and
    /// unchanged, and nothing else may be there.
    Verify(verify::Args),
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    match Cli::parse().command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Import(a) => import::run(a),
        Command::Verify(a) => verify::run(a),
    }
}
