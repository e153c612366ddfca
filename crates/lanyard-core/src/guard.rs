//! Writing files that other programs write too (`~/.aws/config`, `~/.aws/credentials`): one
//! advisory lock per file shared by every Lanyard process, a read trusted for an edit only once
//! the file is stable (never another writer's truncated moment), and a replace that keeps the
//! file's identity (owner, group, mode), refuses what the AWS CLI would not write (a read-only
//! file or folder) or what a rename would break (a hard link), verifies what landed, and hands
//! back a write that another program made in place into the version just replaced, so that it
//! is merged instead of orphaned. docs/ARCHITECTURE.md ("Writing shared files") says why.

use std::fs;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

mod lock;
mod read;
mod replace;

pub use lock::{still_ours, tidy, FileLock};
pub use read::{holds, read_stable, unchanged, Snapshot};
pub use replace::{check_writable, clean_stale_temps, replace, Replaced, Replaced0, Stage};

/// How long a file must have been quiet before a read of it is trusted for an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Quiet time needed after a change by another program (the AWS CLI truncates, then writes).
    pub settle: Duration,
    /// Quiet time needed when the file is empty or smaller than the last good version known.
    pub suspect: Duration,
    /// The longest Lanyard waits for a file to become stable before it refuses.
    pub max_wait: Duration,
    /// After a write into a file another program wrote recently: how long Lanyard watches for a
    /// writer that read the old version just before and writes it back over the new one.
    pub watch: Duration,
    /// "Recently", for `watch`.
    pub active_within: Duration,
}

/// The timing every Lanyard process uses.
pub const TIMING: Timing = Timing {
    // The AWS CLI writes a new version in one go right after truncating; 150 ms of quiet is
    // far past that, and short enough that `aws configure set` in a tight loop (a write every
    // 250–400 ms) never starves a Lanyard edit.
    settle: Duration::from_millis(150),
    suspect: Duration::from_millis(2000),
    max_wait: Duration::from_millis(10_000),
    watch: Duration::from_millis(40),
    active_within: Duration::from_secs(10),
};

/// What identifies one state of a file: a change by anyone (in place or by rename) changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sig {
    dev: u64,
    ino: u64,
    len: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl Sig {
    fn of(m: &fs::Metadata) -> Sig {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Sig {
                dev: m.dev(),
                ino: m.ino(),
                len: m.len(),
                mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
                ctime_ns: i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
            }
        }
        #[cfg(not(unix))]
        {
            let ns = |t: io::Result<SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as i128)
            };
            Sig {
                dev: 0,
                ino: 0,
                len: m.len(),
                mtime_ns: ns(m.modified()),
                ctime_ns: ns(m.created()),
            }
        }
    }

    /// The file's length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn age(&self) -> Option<Duration> {
        let mtime = SystemTime::UNIX_EPOCH
            + Duration::from_nanos(u64::try_from(self.mtime_ns.max(0)).unwrap_or(u64::MAX));
        crate::clock::file_time_now().duration_since(mtime).ok()
    }
}

/// What the lock holder remembers between Lanyard processes (kept in the lock file itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    /// The file as the last Lanyard write left it.
    #[serde(default)]
    written: Option<Sig>,
    /// The length of the last version trusted as good.
    #[serde(default)]
    good_len: Option<u64>,
}

#[cfg(test)]
mod tests;
