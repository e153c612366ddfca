//! The commands the window's pages call (Sessions, SSO sessions, Profiles and its editor,
//! Populate, Settings), each granted by name in capabilities/default.json. Each reads through lanyard-core or hands the
//! action to the sessions engine, as the tray does, so a sign-in started here shows its device
//! code and notifications exactly like one started from the tray. After a change on disk the
//! engine is told to reload, so the tray follows at once. An edit names the version of the config
//! file the window read; the last few texts read are kept ([`AppState::remember_text`]) so that a
//! conflict shows what changed since.
//!
//! One file per page: `sessions`, `profiles` (the list, the editor, the default switch, the test
//! and copy buttons), `sso_sessions` (the configure sso-session form), `wizard` (the configure sso
//! wizard's accounts and profile), `populate`, `settings`. What several pages share is here: the
//! session lookups, the answer to an edit, the words of an account listing's failure. Every
//! command is re-exported here (as `generate_handler!` names it, `api::<command>`).

mod populate;
mod profiles;
mod sessions;
mod settings;
mod sso_sessions;
mod wizard;

// Globs: each command's hidden `__cmd__` macro must be re-exported beside it.
pub use populate::*;
pub use profiles::*;
pub use sessions::*;
pub use settings::*;
pub use sso_sessions::*;
pub use wizard::*;

use lanyard_core::account_cache::AccountsError;
use lanyard_core::config::{ConfigFile, Edited, Outcome};
use lanyard_core::overview::display_name;
use lanyard_core::sessions::resolve::{all_sessions, KnownSession};
use lanyard_core::sessions::store::{SessionId, Storage};

use crate::dto::{EditOutcome, IpcError};
use crate::state::{AppState, Command};

/// The configured sessions, from the config alone (no token or keychain is read).
fn configured(state: &AppState) -> Result<Vec<KnownSession>, IpcError> {
    let file = ConfigFile::load_config(&state.ctx.env)?;
    Ok(all_sessions(&file.view()?))
}

/// The session the window names (as the overview names it).
fn find(state: &AppState, name: &str) -> Result<KnownSession, IpcError> {
    configured(state)?
        .into_iter()
        .find(|s| display_name(s) == name)
        .ok_or_else(|| not_found(name))
}

/// The sso-session `name`, None when it has no (complete) section.
fn sso_session(state: &AppState, name: &str) -> Result<Option<KnownSession>, IpcError> {
    Ok(configured(state)?
        .into_iter()
        .find(|s| matches!(&s.config.id, SessionId::Session(n) if n == name)))
}

/// No session of that name (the window words it by the code `not_found`).
fn not_found(name: &str) -> IpcError {
    IpcError::new("not_found", format!("no session named {name}"))
}

/// The storage of sso-session `name`, None when it has no section.
fn sso_session_storage(state: &AppState, name: &str) -> Result<Option<Storage>, IpcError> {
    Ok(sso_session(state, name)?.map(|s| s.storage))
}

/// Remembers the text an edit answered with and, when it wrote, tells the engine to reload.
fn answer(state: &AppState, edited: Edited) -> EditOutcome {
    let version = match &edited.outcome {
        Outcome::Preview { version, .. }
        | Outcome::Invalid { version, .. }
        | Outcome::Saved { version, .. }
        | Outcome::Conflict { version, .. } => version.clone(),
    };
    state.remember_text(&version, edited.text);
    if matches!(edited.outcome, Outcome::Saved { .. }) {
        state.send(Command::Reload);
    }
    edited.outcome.into()
}

/// An account listing's failure, with the codes the window branches on (a token the portal
/// refuses: `not_signed_in`).
fn accounts_error(e: AccountsError) -> IpcError {
    match e {
        AccountsError::Session(s) => s.into(),
        AccountsError::Portal(p) if p.is_unauthorized() => {
            IpcError::new("not_signed_in", p.to_string())
        }
        AccountsError::Portal(p) => IpcError::new(p.code(), p.to_string()),
        AccountsError::Core(c) => c.into(),
        other => IpcError::new("portal", other.to_string()),
    }
}

#[cfg(test)]
mod tests;
