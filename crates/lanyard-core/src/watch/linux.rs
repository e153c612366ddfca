//! The watch on Linux: inotify, asked only for changes — created, deleted, moved, written,
//! attributes — never for opens and reads. (The `notify` crate always subscribes to opens, so
//! every `aws` command that read `~/.aws/config`, and Lanyard's own reads at each tick, woke the
//! idle tray: issue 21.)

use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask, Watches};

/// What a watched folder reports: its entries created, deleted, moved in or out, written or
/// changed in their attributes, and the folder itself going.
const CHANGES: WatchMask = WatchMask::CREATE
    .union(WatchMask::DELETE)
    .union(WatchMask::MODIFY)
    .union(WatchMask::ATTRIB)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::DELETE_SELF)
    .union(WatchMask::MOVE_SELF);

/// Folders watched with inotify; a reader thread sends the paths that changed.
pub(super) struct Backend {
    watches: Watches,
    /// The folder of each watch (the reader names the paths with it).
    dirs: Arc<Mutex<HashMap<WatchDescriptor, PathBuf>>>,
    stop: Arc<AtomicBool>,
    /// How many times the reader woke with events (what an idle app must not do for reads).
    #[cfg_attr(not(test), allow(dead_code))]
    wakes: Arc<AtomicUsize>,
}

impl Backend {
    /// Starts the reader; each batch of events becomes one send of the paths they name.
    pub(super) fn new(tx: mpsc::Sender<Vec<PathBuf>>) -> Result<Self, String> {
        let mut inotify = Inotify::init().map_err(|e| e.to_string())?;
        let watches = inotify.watches();
        let dirs: Arc<Mutex<HashMap<WatchDescriptor, PathBuf>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let wakes = Arc::new(AtomicUsize::new(0));
        let (reader_dirs, reader_stop) = (Arc::clone(&dirs), Arc::clone(&stop));
        let reader_wakes = Arc::clone(&wakes);
        std::thread::Builder::new()
            .name("lanyard-inotify".into())
            .spawn(move || {
                let mut buffer = [0u8; 4096];
                loop {
                    let events = match inotify.read_events_blocking(&mut buffer) {
                        Ok(events) => events,
                        Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                        Err(e) => {
                            tracing::warn!(error = %e, "the file watch stopped");
                            return;
                        }
                    };
                    if reader_stop.load(Ordering::Relaxed) {
                        return;
                    }
                    reader_wakes.fetch_add(1, Ordering::Relaxed);
                    let dirs = reader_dirs.lock().unwrap_or_else(PoisonError::into_inner);
                    let mut paths = Vec::new();
                    for ev in events {
                        if ev.mask.contains(EventMask::Q_OVERFLOW) {
                            // Events were lost: every folder counts as changed.
                            paths.extend(dirs.values().cloned());
                        } else if ev.mask.contains(EventMask::IGNORED) {
                            continue;
                        } else if let Some(dir) = dirs.get(&ev.wd) {
                            paths.push(ev.name.map_or_else(|| dir.clone(), |n| dir.join(n)));
                        }
                    }
                    drop(dirs);
                    if !paths.is_empty() && tx.send(paths).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Backend {
            watches,
            dirs,
            stop,
            wakes,
        })
    }

    /// How many times the reader woke with events.
    #[cfg(test)]
    pub(super) fn wakes(&self) -> usize {
        self.wakes.load(Ordering::Relaxed)
    }

    /// Watches `dir`'s entries (not below).
    pub(super) fn watch(&mut self, dir: &Path) -> Result<(), String> {
        let wd = self.watches.add(dir, CHANGES).map_err(|e| e.to_string())?;
        self.dirs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(wd, dir.to_owned());
        Ok(())
    }

    /// Stops watching `dir`.
    pub(super) fn unwatch(&mut self, dir: &Path) {
        let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        let wd = dirs
            .iter()
            .find(|(_, d)| d.as_path() == dir)
            .map(|(wd, _)| wd.clone());
        if let Some(wd) = wd {
            dirs.remove(&wd);
            // Gone already when the folder was deleted: nothing to remove then.
            let _ = self.watches.remove(wd);
        }
    }
}

impl Drop for Backend {
    /// The reader wakes on the events that removing the watches gives, and ends.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let dirs = std::mem::take(&mut *self.dirs.lock().unwrap_or_else(PoisonError::into_inner));
        for wd in dirs.into_keys() {
            let _ = self.watches.remove(wd);
        }
    }
}
