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
