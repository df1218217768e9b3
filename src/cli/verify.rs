//! `mieruka verify DIR`: a built site, or a copy of it, against its
//! checksum manifest. Exit 0 when the copy is exactly the built site, 1
//! when files are missing, changed or extra, 2 when it cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The site's folder.
    #[arg(default_value = "public")]
    dir: PathBuf,
}

pub fn run(a: Args) -> ExitCode {
    let dir = &a.dir;
    match mieruka::write::manifest::verify(dir) {
        Err(e) => {
            super::report::print_error(&format!("{e:#}"));
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
