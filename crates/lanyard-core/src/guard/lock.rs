//! The per-file lock every Lanyard writer takes, and what it remembers of Lanyard's last write.

use std::fs::{self, File};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::{clean_stale_temps, Record, Sig};
use crate::base_error::{BaseError, Result};

/// An exclusive advisory lock on one target file, held by one Lanyard writer (CLI, tray or
/// window, any thread) at a time; released on drop, and by the OS when the process dies, so a
/// stale lock never blocks. The lock file lives in Lanyard's locks folder, named after the
/// target's absolute path.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// Blocks until this process holds the lock for `target`.
    pub fn acquire(locks_dir: &Path, target: &Path) -> Result<FileLock> {
        let (file, path) = Self::open(locks_dir, target)?;
        file.lock()
            .map_err(|e| BaseError::io("cannot lock", &path, e))?;
        Ok(FileLock { file, path })
    }

    /// The lock for `target` if no one holds it now; `None` when someone does.
    pub fn try_acquire(locks_dir: &Path, target: &Path) -> Result<Option<FileLock>> {
        let (file, path) = Self::open(locks_dir, target)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock { file, path })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(BaseError::io("cannot lock", &path, e)),
        }
    }

    fn open(locks_dir: &Path, target: &Path) -> Result<(File, PathBuf)> {
        let path = locks_dir.join(format!("file-{}.lock", key_of(target)));
        Ok((crate::fsio::open_lock_file(&path)?, path))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records the file at `target`, as it is now, as written by this lock holder (so that the
    /// next holder trusts it without waiting). [`replace`] does this itself.
    pub fn remember_written(&self, target: &Path) {
        self.wrote(fs::metadata(target).ok().map(|m| Sig::of(&m)));
    }

    /// Records `written` as the state the last Lanyard write left the file in.
    pub(super) fn wrote(&self, written: Option<Sig>) {
        self.set_record(&Record {
            written,
            good_len: written.map(|s| s.len),
        });
    }

    pub(super) fn record(&self) -> Record {
        let mut text = String::new();
        let mut f = &self.file;
        if f.rewind().is_err() || f.read_to_string(&mut text).is_err() {
            return Record::default();
        }
        serde_json::from_str(&text).unwrap_or_default()
    }

    pub(super) fn set_record(&self, r: &Record) {
        // Only lock holders read it, so an in-place rewrite is safe; losing it only costs a wait.
        let bytes = serde_json::to_vec(r).unwrap_or_default();
        let mut f = &self.file;
        let _ = f
            .set_len(0)
            .and_then(|()| f.rewind())
            .and_then(|()| f.write_all(&bytes));
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// The lock key of a file: its absolute path with the folder's links resolved, hashed.
fn key_of(target: &Path) -> String {
    use sha1::Digest;
    let abs = fs::canonicalize(target).unwrap_or_else(|_| {
        let name = target.file_name().map(PathBuf::from).unwrap_or_default();
        match target.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => fs::canonicalize(dir)
                .unwrap_or_else(|_| dir.to_owned())
                .join(name),
            None => std::env::current_dir().unwrap_or_default().join(name),
        }
    });
    hex::encode(&sha1::Sha1::digest(abs.to_string_lossy().as_bytes())[..10])
}

/// Whether the file at `path` is still as the last Lanyard write under `lock` left it.
pub fn still_ours(lock: &FileLock, path: &Path) -> bool {
    let now = fs::metadata(path).ok().map(|m| Sig::of(&m));
    now.is_some() && now == lock.record().written
}

/// Removes the temp files killed writers left beside `target` (`.NAME.lanyard-PID-N.tmp`) when
/// no Lanyard writer holds its lock now: a write under way keeps its own. Best effort.
pub fn tidy(locks_dir: &Path, target: &Path) {
    match FileLock::try_acquire(locks_dir, target) {
        Ok(Some(_lock)) => clean_stale_temps(target),
        Ok(None) => {}
        Err(e) => tracing::debug!(error = %e, "cannot tidy temp files"),
    }
}
