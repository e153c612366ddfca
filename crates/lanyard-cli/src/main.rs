//! The `lanyard` binary: a thin clap front over lanyard-core. Machine-readable output goes to
//! stdout, everything else to stderr; exit codes: 0 success, 1 failure, 2 usage, 3 a command
//! that is listed but not built yet.

mod cli;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use lanyard_core::{Dirs, Env};

use cli::{Cli, Command};

/// Exit code of a command that exists in the CLI surface but is not built yet.
const EXIT_NOT_IMPLEMENTED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lanyard: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Completions { shell } = cli.command {
        let mut cmd = Cli::command();
        clap_complete::generate(shell, &mut cmd, "lanyard", &mut std::io::stdout());
        return Ok(ExitCode::SUCCESS);
    }
    let env = Env::from_process();
    let dirs = Dirs::from_env(&env)?;
    dirs.ensure()?;
    let _log = lanyard_core::logging::init(&dirs, &env, "cli")?;
    tracing::debug!(command = cli.command.name(), "lanyard started");
    eprintln!("lanyard {}: not implemented yet", cli.command.name());
    Ok(ExitCode::from(EXIT_NOT_IMPLEMENTED))
}
