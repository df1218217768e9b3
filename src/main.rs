//! The `mieruka` command: parses arguments and runs one command of
//! [`cli`], which calls the library and maps the outcome to an exit code
//! (0 ok, 1 content problems, 2 usage or infrastructure failure).

mod cli;

// mimalloc: faster than the system allocator for the build's many small
// allocations across threads, and it returns freed memory, which keeps the
// peak of a large build lower (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
