//! The Sessions page's commands: the overview, sign in (one or all), cancel, sign out, refresh now.

use lanyard_core::overview::{load_session_net, overview, sign_in_service, SessionStatus};
use lanyard_core::settings::Settings;
use tauri::State;

use super::find;
use crate::dto::{IpcError, SessionsOverview};
use crate::engine;
use crate::state::{AppState, Command};
use crate::tray_model::TrayAction;

/// Every session with its state now (never a token: see [`crate::dto::SessionDto`]).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub fn sessions_overview(state: State<'_, AppState>) -> Result<SessionsOverview, IpcError> {
    Ok(SessionsOverview::of(&statuses(&state)?))
}

/// Starts signing in to `session` (browser or device code, as the session is configured); the
/// device code arrives as the `device-code` event, the end as `sign-in-done`.
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn sign_in(state: State<'_, AppState>, session: String) {
    state.send(Command::Action(TrayAction::SignIn(session)));
}

/// Stops a sign-in that is waiting for its browser page or device code (`sign-in-done` follows,
/// with the code `cancelled`).
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn cancel_sign_in(state: State<'_, AppState>, session: String) {
    state.send(Command::Action(TrayAction::CancelSignIn(session)));
}

/// Signs in to every session that is signed out or expired.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn sign_in_all(state: State<'_, AppState>) {
    state.send(Command::Action(TrayAction::SignInAll));
}

/// Signs out of `session` (its token revoked and removed, with its role credentials).
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn sign_out(state: State<'_, AppState>, session: String) {
    state.send(Command::Action(TrayAction::SignOut(session)));
}

/// Refreshes `session`'s token now, whatever its time left ("Refresh now").
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn refresh_session(state: State<'_, AppState>, session: String) -> Result<(), IpcError> {
    let s = find(&state, &session)?;
    let net = load_session_net(&state.ctx, &s)?;
    sign_in_service(&state.ctx, &net, &s)?
        .refresh(&s.config)
        .await?;
    state.send(Command::Reload);
    Ok(())
}

/// The sessions assessed as the engine assesses them (the settings file's policy).
fn statuses(state: &AppState) -> Result<Vec<SessionStatus>, IpcError> {
    let (file, _) = Settings::load(&state.ctx.dirs);
    let policy = engine::settings(&state.ctx.env, &file).policy();
    Ok(overview(&state.ctx, policy, &file)?)
}
