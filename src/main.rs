//! The `mieruka` command: parse arguments, call the library, map the outcome
//! to an exit code (0 ok, 1 data problems, 2 usage or infrastructure failure).

use clap::{Parser, Subcommand, ValueEnum};
use mieruka::diag::{Diagnostic, Severity};
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc: faster than the system allocator for the build's many small
// allocations across threads, and it returns freed memory, which keeps the
// peak of a large build lower (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// Print nothing but problems.
        #[arg(long, short)]
        quiet: bool,
        /// Also print the time spent in each stage.
        #[arg(long, short, conflicts_with = "quiet")]
        verbose: bool,
    },
    /// Check a built site (or a copy of it) against its checksum manifest,
    /// mieruka-manifest.tsv: every file present, unchanged, and nothing else.
    Verify {
        /// The site's folder.
        #[arg(default_value = "public")]
        dir: PathBuf,
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
    /// Serve the site on 127.0.0.1 with live reload, rebuilding on every change.
    Serve {
        /// Content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port (0: any free port).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Print nothing but the address and problems.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Turn an official programme table (TSV/CSV) into programme files.
    Import(mieruka::import::ImportArgs),
}

/// A progress bar on stderr: drawn only when stderr is a terminal, and only
/// once the build has taken a second.
struct Bar {
    pb: indicatif::ProgressBar,
    done: std::sync::Arc<std::sync::Mutex<bool>>,
}

impl Bar {
    fn new() -> Bar {
        let pb = indicatif::ProgressBar::hidden();
        let done = std::sync::Arc::new(std::sync::Mutex::new(false));
        let (p, d) = (pb.clone(), done.clone());
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(1));
            let done = d.lock().unwrap_or_else(|e| e.into_inner());
            if !*done {
                p.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                p.enable_steady_tick(std::time::Duration::from_millis(120));
            }
        });
        Bar { pb, done }
    }
    fn finish(&self) {
        *self.done.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.pb.finish_and_clear();
    }
}

impl mieruka::Progress for Bar {
    fn stage(&self, name: &'static str, total: u64) {
        let style = if total > 0 {
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg:8} [{bar:32}] {pos}/{len} {elapsed}",
            )
        } else {
            indicatif::ProgressStyle::with_template("{spinner} {msg:8} {elapsed}")
        };
        if let Ok(st) = style {
            self.pb.set_style(st.progress_chars("=> "));
        }
        self.pb.set_length(total);
        self.pb.set_position(0);
        self.pb.set_message(name);
    }
    fn advance(&self, n: u64) {
        self.pb.inc(n);
    }
}

fn print_diags(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{}", d.render_human());
    }
}

/// `mieruka verify DIR`: exit 0 when the copy is exactly the built site,
/// 1 when files are missing, changed or extra, 2 when it cannot be read.
fn verify(dir: &std::path::Path) -> ExitCode {
    match mieruka::write::manifest::verify(dir) {
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        Ok(v) => {
            for (what, list) in [
                ("missing", &v.missing),
                ("changed", &v.changed),
                ("not in the manifest", &v.extra),
            ] {
                for p in list {
                    println!("{what}: {p}");
                }
            }
            println!(
                "{}: {} file(s) as listed, {} missing, {} changed, {} not in the manifest",
                dir.display(),
                v.ok,
                v.missing.len(),
                v.changed.len(),
                v.extra.len()
            );
            if v.is_exact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            content,
            out,
            force,
            quiet,
            verbose,
        } => {
            let mut opts = mieruka::BuildOptions::new(content, out);
            opts.force = force;
            let bar =
                (!quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(Bar::new);
            let result = match &bar {
                Some(b) => mieruka::build_with(&opts, b),
                None => mieruka::build_with(&opts, &()),
            };
            if let Some(b) = &bar {
                b.finish();
            }
            match result {
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
                    if verbose {
                        for (stage, d) in &report.timings.0 {
                            println!("  {stage:<10} {:>8.3} s", d.as_secs_f64());
                        }
                    }
                    ExitCode::SUCCESS
                }
            }
        }
        Command::Check {
            content,
            format,
            deny,
        } => {
            let (diags, n_prog) = match mieruka::check(&content) {
                mieruka::Checked::Valid(site, w) => (w.sorted(), Some(site.programmes.len())),
                mieruka::Checked::Invalid(d) => (d.sorted(), None),
            };
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
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
                        Some(n) => println!(
                            "{n} programmes checked: {errors} error(s), {warnings} warning(s)"
                        ),
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
        Command::Serve {
            content,
            bind,
            port,
            quiet,
        } => {
            let opts = mieruka::serve::ServeOptions {
                build: mieruka::BuildOptions::new(content, "public"),
                bind,
                port,
                quiet,
            };
            match mieruka::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Import(args) => mieruka::import::run(args),
        Command::Verify { dir } => verify(&dir),
    }
}
