//! Dispatch of each parsed command to its module. A command that is listed but not built yet
//! returns [`not_implemented`]; the issue that owns it replaces that line with a call into its
//! own module here.

use std::process::ExitCode;

use lanyard_core::Context;

use crate::cli::{Command, ConfigureCommand, ProfilesCommand};

mod accounts;
mod config;
mod configure;
mod credentials;
mod doctor;
mod populate;
mod profiles;
mod session;
mod switch;

/// Exit code of a command that exists in the CLI surface but is not built yet.
pub(crate) const EXIT_NOT_IMPLEMENTED: u8 = 3;

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
        Command::Configure(c @ ConfigureCommand::SsoSession(_)) => configure::run(ctx, c),
        Command::Profiles(
            p @ (ProfilesCommand::List(_)
            | ProfilesCommand::Show { .. }
            | ProfilesCommand::Set { .. }
            | ProfilesCommand::Unset { .. }
            | ProfilesCommand::Remove { .. }
            | ProfilesCommand::Rename { .. }
            | ProfilesCommand::Migrate { .. }),
        ) => profiles::run(ctx, p),
        Command::Profiles(ProfilesCommand::Use { name, restore }) => {
            switch::run(ctx, name.as_deref(), restore)
        }
        Command::Accounts(c) => accounts::run(ctx, c),
        Command::Populate(a) => populate::populate(ctx, a),
        // Each issue that builds a command adds its arm here, ahead of this fallback.
        other => Ok(not_implemented(other.name())),
    }
}

/// Says a command is not built yet, on stderr, and returns exit code 3.
pub(crate) fn not_implemented(name: &str) -> ExitCode {
    eprintln!("lanyard {name}: not implemented yet");
    ExitCode::from(EXIT_NOT_IMPLEMENTED)
}
