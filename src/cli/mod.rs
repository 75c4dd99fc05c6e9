//! The command line, a thin face over the library: `args` is what clap reads, `load` turns
//! passwords, identities and CA files into library values, and one function per command lives
//! in `offline` (`fields`, `verify`, `report`) or `live` (`test`, `echo-server`, `demo`).
//! It prints what the library renders; it formats nothing itself.

mod args;
mod cloudflare;
mod hints;
mod live;
mod load;
mod offline;
mod tokens;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{CommandFactory as _, Parser};

use args::Command;
pub use args::PasswordArgs;
pub use load::{load_cas, load_with_password};

/// Inspect and test mTLS client certificates exactly as Cloudflare, nginx and every other edge
/// that forwards them sees them.
#[derive(Debug, Parser)]
#[command(name = "certlens", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// Parses the process arguments and runs the command; returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Gui { file: None });
    let result = match command {
        Command::Gui { file } => gui_command(file),
        Command::Fields(args) => offline::fields(&args),
        Command::Verify(args) => offline::verify_command(&args),
        Command::Test(args) => live::test_command(&args),
        Command::Audit(args) => live::audit_command(&args),
        Command::Cloudflare(args) => cloudflare::cloudflare_command(&args),
        Command::Tokens(args) => tokens::tokens_command(&args),
        Command::EchoServer(args) => live::echo_server_command(&args),
        Command::Demo(args) => live::demo_command(&args),
        Command::Report(args) => offline::report_command(&args),
        Command::Completions { shell } => completions(shell),
        Command::Manpages { dir } => manpages(&dir),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // An error can quote a server or a file: it reaches the terminal escaped too.
            let message = format!("{error:#}");
            eprintln!(
                "certlens: {}",
                crate::report::escape::terminal_line(&message)
            );
            ExitCode::from(2)
        }
    }
}

/// `certlens completions SHELL`: the shell's completion script for every command and option.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "certlens", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}

/// `certlens manpages DIR`: `certlens.1`, and `certlens-COMMAND.1` for each command, as git
/// names its pages.
fn manpages(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let command = Cli::command();
    let mut pages = vec![("certlens".to_owned(), command.clone())];
    for sub in command.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = format!("certlens-{}", sub.get_name());
        let bin = format!("certlens {}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name).bin_name(bin)));
    }
    for (name, command) in pages {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Every long option of every command (`--server-ca`, …), without the dashes: the words only
/// the command line may use.
pub fn long_options() -> Vec<String> {
    fn collect(command: &clap::Command, out: &mut Vec<String>) {
        out.extend(
            command
                .get_arguments()
                .filter_map(|arg| arg.get_long().map(str::to_owned)),
        );
        for sub in command.get_subcommands() {
            collect(sub, out);
        }
    }
    let mut out = Vec::new();
    collect(&Cli::command(), &mut out);
    out.sort();
    out.dedup();
    out
}

/// Writes to standard output; a reader that went away (`| head`) is not an error.
pub(crate) fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}

/// True when a window can be opened (an X11 or Wayland display, or not Linux).
pub(crate) fn has_display() -> bool {
    !cfg!(target_os = "linux")
        || std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

fn gui_command(file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    if !has_display() {
        bail!(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); every window feature is also a command: see `certlens --help`"
        );
    }
    crate::gui::run(crate::gui::Startup {
        file,
        ..crate::gui::Startup::default()
    })
    .map_err(|e| anyhow::anyhow!(e))?;
    Ok(ExitCode::SUCCESS)
}
