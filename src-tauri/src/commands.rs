//! The commands the window may call (each one granted by name in capabilities/default.json),
//! served by the window process ([`crate::window_app`]). Each is one line into the state it reads
//! or the module that acts.

use lanyard_core::browser;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

pub use crate::dto::IpcError;
use crate::i18n::Language;
use crate::link::ToTray;
use crate::state::{AppInfo, AppState, DeviceCode};
use crate::tray_link;

/// No device sign-in of that session is waiting (it ended meanwhile).
fn no_device_sign_in(session: &str) -> IpcError {
    IpcError::new(
        "no_device_sign_in",
        format!("no device sign-in of {session} is waiting"),
    )
}

/// Version, language and tray availability, read once when the window loads.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// Switches the language: saved in the settings file (`LANYARD_LANG`, when set, still wins at
/// the next start); the window switches itself and the tray process follows (told over the link,
/// and its settings watcher).
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub fn set_language<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    language: Language,
) -> Result<(), IpcError> {
    lanyard_core::settings::update(
        &state.ctx.dirs,
        &[lanyard_core::settings::Change::Language(Some(
            language.tag().to_owned(),
        ))],
    )?;
    state.set_language(language);
    tray_link::tell_tray(&app, &ToTray::Language { language });
    Ok(())
}

/// The device sign-ins waiting for their code, for a window opened after they started.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn device_sign_ins(state: State<'_, AppState>) -> Vec<DeviceCode> {
    state.device_codes()
}

/// Puts the user code of `session`'s waiting device sign-in on the clipboard.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub fn copy_device_code<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session: String,
) -> Result<(), IpcError> {
    let code = state
        .device_code(&session)
        .ok_or_else(|| no_device_sign_in(&session))?;
    app.clipboard()
        .write_text(code.user_code)
        .map_err(|e| IpcError::new("clipboard", e.to_string()))
}

/// Opens the verification page of `session`'s waiting device sign-in (code filled in) in the
/// browser, as lanyard-core opens every page (`BROWSER`, WSL, the desktop's opener).
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn open_device_verification(
    state: State<'_, AppState>,
    session: String,
) -> Result<(), IpcError> {
    let code = state
        .device_code(&session)
        .ok_or_else(|| no_device_sign_in(&session))?;
    browser::safe_to_open(&code.verification_uri_complete)
        .map_err(|e| IpcError::new(e.code(), e.to_string()))?;
    if browser::open(&state.ctx.env, &code.verification_uri_complete) {
        Ok(())
    } else {
        Err(IpcError::new("no_browser", "no browser could be opened"))
    }
}

/// The commands registered with `generate_handler!` in [`crate::run`] and declared by build.rs
/// (those of the pages are in [`crate::api`]): the one list in commands.in.
pub const COMMANDS: &[&str] = &include!("commands.in");

/// What the window may use beyond its commands: listening to the app's events (device code,
/// sign-in done, populate progress).
pub const EVENT_PERMISSIONS: [&str; 2] = ["core:event:allow-listen", "core:event:allow-unlisten"];

#[cfg(test)]
mod tests {
    use super::{COMMANDS, EVENT_PERMISSIONS};

    /// The window's capability grants exactly our commands and listening to events, nothing
    /// else of core and nothing of the plugins:
    /// widening it must be a deliberate edit of this test too.
    #[test]
    fn main_window_may_call_only_the_app_commands() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).expect("json");
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
        let granted: Vec<&str> = cap["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .map(|p| p.as_str().expect("plain permission ids"))
            .collect();
        let wanted: Vec<String> = COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .chain(EVENT_PERMISSIONS.iter().map(|p| (*p).to_owned()))
            .collect();
        assert_eq!(granted, wanted);
    }
}
