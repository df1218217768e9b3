//! `mieruka serve`: the site from memory, rebuilt on every change.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Port (0: any free port).
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// The address the pages are written for, in place of `base_url` in
    /// `_site.yaml` (http or https). The site is served under its folder
    /// (`--base-url http://127.0.0.1:1111/sub/` serves it at `/sub/`).
    #[arg(long, value_name = "URL", value_parser = mieruka::config::parse_base_url)]
    base_url: Option<String>,
    /// Print nothing but the address and problems.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(a: Args) -> ExitCode {
    let mut build = mieruka::BuildOptions::new(a.content, "public");
    build.base_url = a.base_url;
    let opts = mieruka::serve::ServeOptions {
        build,
        bind: a.bind,
        port: a.port,
        quiet: a.quiet,
    };
    match mieruka::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            super::report::print_error(&format!("{e:#}"));
            ExitCode::from(2)
        }
    }
}
