//! The `mieruka` command: parse arguments, call the library, map the outcome
//! to an exit code (0 ok, 1 data problems, 2 usage or infrastructure failure).

use clap::{Parser, Subcommand, ValueEnum};
use mieruka::diag::{Diagnostic, Severity};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "mieruka", version, about = "Static site generator for public programme disclosure (見える化)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check the content, then build the site into the output folder.
    Build {
        /// Content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Output folder (replaced atomically).
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Print nothing but problems.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Report every problem in the content at once; exit 1 on errors.
    Check {
        /// Content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Treat warnings as errors (`--deny warnings`).
        #[arg(long, value_parser = ["warnings"])]
        deny: Option<String>,
    },
    /// Turn an official programme table (TSV/CSV) into programme files.
    Import(mieruka::import::ImportArgs),
}

fn print_diags(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{}", d.render_human());
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { content, out, quiet } => {
            let opts = mieruka::BuildOptions::new(content, out);
            match mieruka::build(&opts) {
                Err(diags) => {
                    let n = diags.error_count();
                    print_diags(&diags.sorted());
                    eprintln!("error: {n} problem(s) in the content; nothing was written (previous output kept)");
                    ExitCode::from(1)
                }
                Ok(Err(e)) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
                Ok(Ok(report)) => {
                    print_diags(&report.warnings);
                    if !quiet {
                        println!(
                            "built {} programmes: {} pages and data files ({} bytes) into {}",
                            report.programmes,
                            report.files,
                            report.bytes,
                            opts.out.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
            }
        }
        Command::Check { content, format, deny } => {
            let (diags, n_prog) = match mieruka::check(&content) {
                mieruka::Checked::Valid(site, w) => (w.sorted(), Some(site.programmes.len())),
                mieruka::Checked::Invalid(d) => (d.sorted(), None),
            };
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = diags.len() - errors;
            let fail = errors > 0 || (deny.is_some() && warnings > 0);
            match format {
                Format::Json => {
                    let v = serde_json::json!({
                        "ok": !fail,
                        "errors": errors,
                        "warnings": warnings,
                        "programmes": n_prog,
                        "checks": mieruka::checks::CHECKS.iter().map(|(c, d)| serde_json::json!({"code": c, "description": d})).collect::<Vec<_>>(),
                        "diagnostics": diags,
                    });
                    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                }
                Format::Human => {
                    print_diags(&diags);
                    println!("checks run:");
                    for (code, desc) in mieruka::checks::CHECKS {
                        println!("  {code}  {desc}");
                    }
                    match n_prog {
                        Some(n) => println!("{n} programmes checked: {errors} error(s), {warnings} warning(s)"),
                        None => println!("{errors} error(s), {warnings} warning(s)"),
                    }
                }
            }
            if fail {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Import(args) => mieruka::import::run(args),
    }
}
