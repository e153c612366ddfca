//! Dispatch of each parsed command to its module: one arm per command of DESIGN.md's CLI surface.

use std::process::ExitCode;

use lanyard_core::Context;

use crate::cli::{Command, ProfilesCommand};

mod accounts;
mod config;
mod configure;
mod credentials;
mod doctor;
mod populate;
mod profiles;
mod session;
mod switch;
mod wizard;

/// Runs one command.
pub(crate) fn run(ctx: &Context, command: Command) -> anyhow::Result<ExitCode> {
    tracing::debug!(command = command.name(), "running");
    match command {
        Command::Login(a) => session::login(ctx, a),
        Command::Logout(t) => session::logout(ctx, t),
        Command::Status(a) => session::status(ctx, a),
        Command::Token(a) => session::token(ctx, a),
        Command::Doctor(a) => doctor::run(ctx, a),
        Command::Credentials(a) => credentials::credentials(ctx, a),
        Command::Export(a) => credentials::export(ctx, a),
        Command::Whoami(a) => credentials::whoami(ctx, a),
        Command::Console(a) => credentials::console(ctx, a),
        Command::Config(c) => config::run(ctx, c),
        Command::Configure(c) => configure::run(ctx, c),
        Command::Profiles(
            p @ (ProfilesCommand::List(_)
            | ProfilesCommand::Show { .. }
            | ProfilesCommand::Set { .. }
            | ProfilesCommand::Unset { .. }
            | ProfilesCommand::Remove { .. }
            | ProfilesCommand::Rename { .. }
            | ProfilesCommand::Migrate { .. }
            | ProfilesCommand::Use { .. }),
        ) => profiles::run(ctx, p),
        Command::Accounts(c) => accounts::run(ctx, c),
        Command::Populate(a) => populate::populate(ctx, a),
        // Printed by main before a context exists; nothing to run here.
        Command::Completions { .. } => Ok(ExitCode::SUCCESS),
    }
}
