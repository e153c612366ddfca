//! The tray process, seen from the window process: the way back over the link ([`crate::link`],
//! the window process's stdout) that a language switch, the pages' actions and reloads take. The
//! window process ([`crate::window_app`]) sets it up; its commands write to it.

use std::fs::File;
use std::sync::{Mutex, PoisonError};

use tauri::{AppHandle, Manager, Runtime};

use crate::link::{self, ToTray};

/// The way back to the tray process (managed state of the window process; empty when alone).
#[derive(Debug, Default)]
pub struct TrayLink {
    out: Mutex<Option<File>>,
}

impl TrayLink {
    /// The way back through `out` (`None`: running alone).
    pub fn new(out: Option<File>) -> Self {
        TrayLink {
            out: Mutex::new(out),
        }
    }
}

/// Tells the tray process `message` (nothing when running alone).
pub fn tell_tray<R: Runtime>(app: &AppHandle<R>, message: &ToTray) {
    let Some(link) = app.try_state::<TrayLink>() else {
        return;
    };
    let mut out = link.out.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(o) = out.as_mut() {
        if let Err(e) = link::write(o, message) {
            tracing::warn!(error = %e, "cannot reach the tray process");
            *out = None;
        }
    }
}
