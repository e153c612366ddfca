//! The watch on macOS and Windows: the `notify` crate (FSEvents, ReadDirectoryChangesW), which
//! there reports changes only; access events are dropped all the same.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// Folders watched through `notify`; its thread sends the paths that changed.
pub(super) struct Backend {
    watcher: RecommendedWatcher,
}

impl Backend {
    /// Starts the watcher; each change becomes one send of the paths it names.
    pub(super) fn new(tx: mpsc::Sender<Vec<PathBuf>>) -> Result<Self, String> {
        let watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            if let Ok(ev) = ev {
                if !matches!(ev.kind, notify::EventKind::Access(_)) && !ev.paths.is_empty() {
                    let _ = tx.send(ev.paths);
                }
            }
        })
        .map_err(|e| e.to_string())?;
        Ok(Backend { watcher })
    }

    /// Watches `dir`'s entries (not below).
    pub(super) fn watch(&mut self, dir: &Path) -> Result<(), String> {
        self.watcher
            .watch(dir, RecursiveMode::NonRecursive)
            .map_err(|e| e.to_string())
    }

    /// Stops watching `dir`.
    pub(super) fn unwatch(&mut self, dir: &Path) {
        let _ = self.watcher.unwatch(dir);
    }
}
