//! Single flight across processes: one login or refresh per session at a time, held as an
//! exclusive advisory lock on `<data dir>/locks/<key>.lock`. A process that waited re-reads
//! the cache afterwards and reuses what the holder produced (DESIGN.md, `sessions`).

use std::fs::File;
use std::path::{Path, PathBuf};

use super::error::{Result, SessionsError};

/// A held lock; released when dropped (or when the process dies — the OS drops it).
#[derive(Debug)]
pub struct SessionLock {
    file: File,
    path: PathBuf,
}

impl SessionLock {
    /// Blocks until this process holds the lock for `key` (a cache file stem).
    pub fn acquire(locks_dir: &Path, key: &str) -> Result<Self> {
        let path = locks_dir.join(format!("{key}.lock"));
        let file = crate::fsio::open_lock_file(&path)?;
        file.lock()
            .map_err(|e| SessionsError::io("cannot lock", &path, e))?;
        Ok(SessionLock { file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn only_one_holder_at_a_time() {
        let dir = tempfile::tempdir().expect("tempdir");
        let inside = Arc::new(AtomicUsize::new(0));
        let max_inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let dir = dir.path().to_owned();
                let inside = inside.clone();
                let max_inside = max_inside.clone();
                std::thread::spawn(move || {
                    // Each thread opens its own file handle, as separate processes would.
                    let _lock = SessionLock::acquire(&dir, "k").expect("lock");
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    max_inside.fetch_max(now, Ordering::SeqCst);
                    // Long enough that unlocked holders would certainly overlap.
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    inside.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for t in threads {
            t.join().expect("join");
        }
        assert_eq!(max_inside.load(Ordering::SeqCst), 1);
    }
}
