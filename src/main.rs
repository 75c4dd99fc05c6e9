//! The `certlens` command: parse the command line and hand over to the library.

fn main() -> std::process::ExitCode {
    certlens::contain::install_quiet_panic_hook();
    certlens::cli::run()
}
