//! The main window. It is not created from tauri.conf.json (`create: false`) but here, from that
//! same configuration, so `--hidden` starts without it and Open Lanyard can create it again
//! after closing destroyed it (the webview's memory is freed while the app sits in the tray).

use tauri::{AppHandle, Manager, Runtime, WebviewWindow, WebviewWindowBuilder};

/// The label of the main window (tauri.conf.json and capabilities/default.json use it too).
pub const MAIN: &str = "main";

/// Brings the main window to the front, creating it if it does not exist.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    if let Some(window) = app.get_webview_window(MAIN) {
        window.unminimize()?;
        window.show()?;
        window.set_focus()?;
        return Ok(window);
    }
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let window = WebviewWindowBuilder::from_config(app, config)?.build()?;
    window.set_focus()?;
    tracing::info!("main window created");
    Ok(window)
}
