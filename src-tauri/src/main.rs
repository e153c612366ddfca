//! lanyard-app: the desktop app. For now a window over the embedded UI; the desktop-shell issue
//! adds the tray, the plugins and the test harness. Commands stay one-line calls into lanyard-core.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use lanyard_core::{Dirs, Env};

fn main() -> anyhow::Result<()> {
    let env = Env::from_process();
    let dirs = Dirs::from_env(&env)?;
    dirs.ensure()?;
    let _log = lanyard_core::logging::init(&dirs, &env, "app")?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "lanyard-app starting");
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .map_err(|e| anyhow::anyhow!("the app stopped with an error: {e}"))
}
