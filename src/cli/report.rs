//! How the CLI shows diagnostics.

use mieruka::diag::Diagnostic;

/// Prints diagnostics to stderr, each as `file:line:column: …` with its
/// source line and help.
pub fn print_diags(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{}", d.render_human());
    }
}
