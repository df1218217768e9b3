//! `mieruka build`: check the content, then write the site.

use super::progress::Bar;
use super::report::{counts, print_diags, print_error};
use mieruka::format::count;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Output folder, replaced atomically. It must be new, empty, or a
    /// site mieruka built (it holds mieruka-manifest.tsv); never the
    /// content, theme or static folder, a repository root, the home or
    /// current directory.
    #[arg(long, default_value = "public")]
    out: PathBuf,
    /// Replace an output folder that mieruka did not make, or files in
    /// it that the previous build did not write (they are deleted). The
    /// other rules still hold.
    #[arg(long)]
    force: bool,
    /// The address the site will be served from (http or https), in place
    /// of `base_url` in `_site.yaml`: for a preview deploy, or when the
    /// address is known only at deploy time. Permalinks, citations, the
    /// embed code, the sitemap, the feed and the 404 page's links use it.
    #[arg(long, value_name = "URL", value_parser = mieruka::config::parse_base_url)]
    base_url: Option<String>,
    /// Print nothing but problems.
    #[arg(long, short)]
    quiet: bool,
    /// Also print the time spent in each stage.
    #[arg(long, short, conflicts_with = "quiet")]
    verbose: bool,
}

pub fn run(a: Args) -> ExitCode {
    let mut opts = mieruka::BuildOptions::new(a.content, a.out);
    opts.force = a.force;
    opts.base_url = a.base_url;
    let bar = (!a.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(Bar::new);
    let result = match &bar {
        Some(b) => mieruka::build_with(&opts, b),
        None => mieruka::build_with(&opts, &()),
    };
    if let Some(b) = &bar {
        b.finish();
    }
    match result {
        Err(diags) => {
            let sorted = diags.sorted();
            print_diags(&sorted);
            let (n, _) = counts(&sorted);
            print_error(&format!(
                "{n} problem(s) in the content; nothing was written (previous output kept)"
            ));
            ExitCode::from(1)
        }
        Ok(Err(e)) => {
            print_error(&format!("{e:#}"));
            ExitCode::from(2)
        }
        Ok(Ok(report)) => {
            print_diags(&report.warnings);
            if !a.quiet {
                println!(
                    "built {} programmes: {} pages and data files ({} bytes) into {}",
                    count(report.programmes as i64),
                    count(report.files as i64),
                    count(report.bytes as i64),
                    opts.out.display()
                );
            }
            if a.verbose {
                let w = &report.written;
                println!(
                    "  files: {} written, {} kept from the previous build (unchanged), {} removed",
                    w.written, w.kept, w.removed
                );
                for (stage, d) in &report.timings.0 {
                    println!("  {stage:<10} {:>8.3} s", d.as_secs_f64());
                }
            }
            ExitCode::SUCCESS
        }
    }
}
