//! Reading a file other programs write: trusted only once it is stable.

use std::fs::{self, File};
use std::io::{self, Read, Seek};
use std::path::Path;
use std::time::{Duration, Instant};

use super::{FileLock, Sig, Timing};
use crate::base_error::{BaseError, Result};

/// A stable read of a file: its bytes and the state they were read in, with the open handle
/// kept so that a write another program makes into this very version (in place) is seen.
#[derive(Debug)]
pub struct Snapshot {
    /// The bytes; `None` when the file did not exist.
    pub bytes: Option<Vec<u8>>,
    pub(super) sig: Option<Sig>,
    pub(super) handle: Option<File>,
    /// Whether another program (not Lanyard) wrote the file recently.
    pub others_active: bool,
}

fn read_all(f: &mut File) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    f.rewind()?;
    f.read_to_end(&mut out)?;
    Ok(out)
}

/// Reads `path` once it is stable: a file that changed while being read, that is empty or
/// smaller than the last good version Lanyard knows, or that another program changed within
/// [`Timing::settle`], is read again until it has been quiet long enough (the AWS CLI truncates
/// the file, then writes it: its empty moment is never taken for the file). A file still
/// changing after [`Timing::max_wait`] is [`BaseError::FileBusy`].
pub fn read_stable(lock: &FileLock, path: &Path, t: &Timing) -> Result<Snapshot> {
    let start = crate::clock::monotonic_now();
    let mut record = lock.record();
    let mut watched: Option<(Sig, Instant)> = None;
    loop {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Snapshot {
                    bytes: None,
                    sig: None,
                    handle: None,
                    others_active: false,
                })
            }
            Err(e) => return Err(BaseError::io("cannot read", path, e)),
        };
        let io_err = |e| BaseError::io("cannot read", path, e);
        let before = Sig::of(&file.metadata().map_err(io_err)?);
        let bytes = read_all(&mut file).map_err(io_err)?;
        let after = Sig::of(&file.metadata().map_err(io_err)?);
        let on_path = fs::metadata(path).ok().map(|m| Sig::of(&m));
        let consistent =
            before == after && on_path == Some(after) && bytes.len() as u64 == after.len;
        if consistent && record.written == Some(after) {
            return Ok(Snapshot {
                bytes: Some(bytes),
                sig: Some(after),
                handle: Some(file),
                others_active: false,
            });
        }
        let suspicious = after.len == 0 || record.good_len.is_some_and(|g| after.len < g);
        let need = if suspicious { t.suspect } else { t.settle };
        let quiet_for = match watched {
            Some((s, at)) if consistent && s == after => at.elapsed(),
            _ => {
                watched = consistent.then(|| (after, crate::clock::monotonic_now()));
                Duration::ZERO
            }
        };
        let age = after.age().unwrap_or(Duration::ZERO);
        if consistent && age.max(quiet_for) >= need {
            if record.good_len != Some(after.len) {
                record.good_len = Some(after.len);
                lock.set_record(&record);
            }
            return Ok(Snapshot {
                bytes: Some(bytes),
                sig: Some(after),
                handle: Some(file),
                others_active: age < t.active_within,
            });
        }
        let waited = start.elapsed();
        if waited >= t.max_wait {
            return Err(BaseError::FileBusy {
                path: path.to_owned(),
                waited_ms: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX),
            });
        }
        let left = need.saturating_sub(age.max(quiet_for));
        std::thread::sleep(
            left.clamp(Duration::from_millis(5), Duration::from_millis(100))
                .min(t.max_wait - waited + Duration::from_millis(1)),
        );
    }
}

/// Whether the file at `path` is still exactly what `snap` read.
pub fn unchanged(path: &Path, snap: &Snapshot) -> Result<bool> {
    let now = match fs::metadata(path) {
        Ok(m) => Some(Sig::of(&m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(BaseError::io("cannot read", path, e)),
    };
    if now != snap.sig {
        return Ok(false);
    }
    // Same state; the bytes too (a rewrite of the same length within one clock tick).
    match (&snap.bytes, now) {
        (Some(b), Some(_)) => holds(path, b).map_err(|e| BaseError::io("cannot read", path, e)),
        (None, None) => Ok(true),
        _ => Ok(false),
    }
}

/// Whether the file at `path` holds exactly `expected`, read in pieces and compared as it comes.
pub fn holds(path: &Path, expected: &[u8]) -> io::Result<bool> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut pos = 0;
    loop {
        let n = match file.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(pos == expected.len());
        }
        if expected.get(pos..pos + n) != Some(&buf[..n]) {
            return Ok(false);
        }
        pos += n;
    }
}
