//! `mieruka check`: every problem in the content at once.

use super::report::print_diags;
use mieruka::diag::Code;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Treat warnings as errors (`--deny warnings`).
    #[arg(long, value_parser = ["warnings"])]
    deny: Option<String>,
    /// Also list every check that runs (its code and what it checks; the
    /// JSON output always carries them).
    #[arg(long)]
    list_checks: bool,
}

pub fn run(a: Args) -> ExitCode {
    let (diags, n_prog) = match mieruka::check(&a.content) {
        mieruka::Checked::Valid(site, w) => (w.sorted(), Some(site.programmes.len())),
        mieruka::Checked::Invalid(d) => (d.sorted(), None),
    };
    let (errors, warnings) = super::report::counts(&diags);
    let fail = errors > 0 || (a.deny.is_some() && warnings > 0);
    match a.format {
        Format::Json => {
            let v = serde_json::json!({
                "ok": !fail,
                "errors": errors,
                "warnings": warnings,
                "programmes": n_prog,
                "checks": Code::checks().map(|c| serde_json::json!({"code": c, "description": c.title()})).collect::<Vec<_>>(),
                "diagnostics": diags,
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Human => {
            print_diags(&diags);
            if a.list_checks {
                println!("checks run:");
                for code in Code::checks() {
                    println!("  {code}  {}", code.title());
                }
            }
            match n_prog {
                Some(n) => {
                    println!(
                        "{} programmes checked: {errors} error(s), {warnings} warning(s)",
                        mieruka::format::count(n as i64)
                    )
                }
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
