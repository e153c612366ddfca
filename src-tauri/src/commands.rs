//! The commands the window may call (each one granted by name in capabilities/default.json).
//! Each is one line into the state it reads or the module that acts.

use tauri::{AppHandle, Runtime, State};

use crate::i18n::Language;
use crate::state::{AppInfo, AppState};
use crate::tray;

/// An error crossing IPC: the UI branches on `code`, and shows `message` only as detail.
#[derive(Debug, serde::Serialize)]
pub struct IpcError {
    code: &'static str,
    message: String,
}

impl From<tauri::Error> for IpcError {
    fn from(e: tauri::Error) -> Self {
        IpcError {
            code: "app",
            message: e.to_string(),
        }
    }
}

/// Version, language and tray availability, read once when the window loads.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// Switches the language of the tray (the window switches itself) until the app quits.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub fn set_language<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    language: Language,
) -> Result<(), IpcError> {
    state.set_language(language);
    Ok(tray::rebuild(&app)?)
}

/// The commands registered with `generate_handler!` in [`crate::run`] and declared in build.rs.
pub const COMMANDS: [&str; 2] = ["app_info", "set_language"];

#[cfg(test)]
mod tests {
    use super::COMMANDS;

    /// The window's capability grants exactly our commands, nothing of core or the plugins:
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
            .collect();
        assert_eq!(granted, wanted);
    }
}
