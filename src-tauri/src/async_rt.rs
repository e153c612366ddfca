//! Tauri's tokio runtime, entered on threads that are not its own. zbus 5 (the single-instance
//! plugin's D-Bus name, the tray-host check) drives a connection on tokio only if a tokio
//! runtime is entered on the thread that creates it; otherwise it falls back to async-io, whose
//! `blocking` pool threads then wake twice a second for as long as the app runs.

use std::sync::OnceLock;

use tauri::async_runtime::RuntimeHandle;

/// A guard keeping Tauri's tokio runtime entered on this thread until dropped.
pub struct Entered {
    // Declared first so it drops before the handle it borrows.
    _guard: tokio::runtime::EnterGuard<'static>,
}

/// Enters Tauri's tokio runtime on the current thread until the guard drops. Never hold it
/// around `tauri::async_runtime::block_on` (tokio refuses to block inside its own context).
pub fn enter() -> Entered {
    // The runtime is global and lives for the whole process: so does its handle.
    static HANDLE: OnceLock<RuntimeHandle> = OnceLock::new();
    let handle = HANDLE.get_or_init(tauri::async_runtime::handle);
    Entered {
        _guard: handle.inner().enter(),
    }
}
