//! The Settings page's commands: read the settings file, write its changes (and the login start).

use lanyard_core::settings::{self, Change, Settings};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;

use crate::dto::{IpcError, SettingChange, SettingsDto};
use crate::state::{AppState, Command};

/// The settings file as it is now (defaults where it has nothing or cannot be read).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn get_settings(state: State<'_, AppState>) -> SettingsDto {
    SettingsDto::from(&Settings::load(&state.ctx.dirs).0)
}

/// Writes `changes` to the settings file (comments and unknown keys kept) and returns the
/// result; turning autostart on or off also registers or removes the login start.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub fn update_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    changes: Vec<SettingChange>,
) -> Result<SettingsDto, IpcError> {
    let changes: Vec<Change> = changes.into_iter().map(Change::from).collect();
    let saved = settings::update(&state.ctx.dirs, &changes)?;
    if let Some(on) = changes.iter().rev().find_map(|c| match c {
        Change::Autostart(on) => Some(*on),
        _ => None,
    }) {
        let launch = app.autolaunch();
        let done = if on {
            launch.enable()
        } else {
            launch.disable()
        };
        done.map_err(|e| IpcError::new("autostart", e.to_string()))?;
    }
    state.send(Command::Reload);
    Ok(SettingsDto::from(&saved))
}
