//! How the CLI shows diagnostics: styled on a terminal, plain otherwise.
//!
//! Everything goes through anstream, which keeps the styles only when the
//! stream is a terminal and `NO_COLOR` is not set (`CLICOLOR_FORCE=1` keeps
//! them for a pager), as clap's own messages do.

pub use mieruka::diag::counts;
use mieruka::diag::Diagnostic;

/// Prints diagnostics to stderr, each as `file:line:column: …` with its
/// source line and help.
pub fn print_diags(diags: &[Diagnostic]) {
    for d in diags {
        anstream::eprintln!("{}", d.render(true));
    }
}

/// Prints `error: <message>` to stderr, the word in the errors' colour.
pub fn print_error(message: &str) {
    let style = anstyle::AnsiColor::Red.on_default().bold();
    anstream::eprintln!("{style}error{style:#}: {message}");
}
