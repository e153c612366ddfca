//! The `lanyard` binary: a thin clap front over lanyard-core. Machine-readable output goes to
//! stdout, everything else to stderr; exit codes: 0 success, 1 failure, 2 usage, 3 a command
//! that is listed but not built yet.

mod cli;
mod commands;
mod errors;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use lanyard_core::{Context, Env};

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.command.json_errors();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lanyard: {err:#}");
            if json {
                println!("{}", errors::json(&err));
            }
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
    let ctx = Context::from_env(Env::from_process())?;
    ctx.dirs.ensure()?;
    let _log = lanyard_core::logging::init(&ctx.dirs, &ctx.env, "cli")?;
    // What a killed Lanyard left in ~/.aws goes now (not on credential_process's hot path: the
    // next edit of the file cleans it anyway).
    if !matches!(cli.command, Command::Credentials(_) | Command::Export(_)) {
        lanyard_core::config::files::tidy(&ctx);
    }
    commands::run(&ctx, cli.command)
}
