//! Crash-safe file writes, the one implementation every writer in the core uses (config,
//! credentials, token and registration caches, Lanyard's own state): a temporary file in the
//! same folder, fsync, rename over the target, fsync of the folder. A reader — or a crash at
//! any point — sees the old file or the new one, never a torn one; the temp files a killed
//! process left are removed by a later write of the same file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::base_error::{BaseError, Result};
use crate::dirs::create_private_dir;

/// Deletes a file; whether it was there (a missing file is no error).
pub fn remove_if_present(path: &Path) -> Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(BaseError::io("cannot delete", path, e)),
    }
}

/// Opens (creating it, and its 0700 folder, if missing) a lock file to take an advisory lock
/// on; the single-flight and the per-file locks both live in such files.
pub fn open_lock_file(path: &Path) -> Result<fs::File> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| BaseError::io("cannot open lock file", path, e))
}

/// The points of an atomic write where a fault can be injected (tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStage {
    /// Half the bytes are in the temp file.
    HalfWritten,
    /// All bytes are in the temp file and synced; the rename is next.
    BeforeRename,
}

/// The mode the written file gets (Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModePolicy {
    /// An existing file keeps its mode; a new one is 0600 (config and credentials files).
    KeepExisting,
    /// Always 0600 (token, registration and credential caches).
    Private,
}

/// Writes `bytes` to `path` atomically. Missing parent folders are created (the last one 0700).
/// A symlinked target is written through the link. If anything fails (or `fault` returns an
/// error) the temp file is removed and the target is left as it was.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    policy: ModePolicy,
    fault: &mut dyn FnMut(WriteStage) -> io::Result<()>,
) -> io::Result<()> {
    write_atomic_inner(path, bytes, policy, fault, true)
}

fn write_atomic_inner(
    path: &Path,
    bytes: &[u8],
    policy: ModePolicy,
    fault: &mut dyn FnMut(WriteStage) -> io::Result<()>,
    sync: bool,
) -> io::Result<()> {
    let (target, dir) = target_and_dir(path);
    create_private_dir(&dir).map_err(|e| match e {
        BaseError::Io { source, .. } => source,
        other => io::Error::other(other.to_string()),
    })?;
    let mode = match policy {
        ModePolicy::KeepExisting => existing_mode(&target),
        ModePolicy::Private => None,
    };
    let name = file_name(&target);
    remove_temps(&dir, &name, Some(STALE_TEMP));
    let (tmp, mut file) = create_temp(&dir, &name)?;
    let result = (|| {
        let half = bytes.len() / 2;
        file.write_all(&bytes[..half])?;
        fault(WriteStage::HalfWritten)?;
        file.write_all(&bytes[half..])?;
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(mode))?;
        }
        if sync {
            file.sync_all()?;
        }
        fault(WriteStage::BeforeRename)?;
        fs::rename(&tmp, &target)
    })();
    drop(file);
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if sync {
        if let Ok(d) = fs::File::open(&dir) {
            // Makes the rename itself durable; a failure here loses nothing already written.
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// How old a temp file of a write must be to be taken for one a killed process left behind
/// (no write of these small files takes this long).
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(60);

/// Where a write of `path` really goes (through a symbolic link) and the folder it is in.
pub(crate) fn target_and_dir(path: &Path) -> (PathBuf, PathBuf) {
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
        }
        _ => path.to_owned(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    (target, dir)
}

/// The file name of `target`, for its temp files' names.
pub(crate) fn file_name(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into())
}

/// Creates `path`, which must not exist, private to the person (0600 on Unix).
pub(crate) fn create_new_private(path: &Path) -> io::Result<fs::File> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// A new temp file for a write of `name` in `dir`: `.NAME.lanyard-PID-N.tmp`, 0600.
pub(crate) fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, fs::File)> {
    let mut attempt = 0u32;
    loop {
        let tmp = dir.join(format!(
            ".{name}.lanyard-{}-{attempt}.tmp",
            std::process::id()
        ));
        match create_new_private(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 1000 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Removes the temp files earlier writes of `name` in `dir` left behind (a killed process):
/// those older than `older_than`, or every one when `None` (the caller holds the file's lock,
/// so none is being written).
pub(crate) fn remove_temps(dir: &Path, name: &str, older_than: Option<std::time::Duration>) {
    let prefix = format!(".{name}.lanyard-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = crate::clock::file_time_now();
    for e in entries.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        if !(n.starts_with(&prefix) && n.ends_with(".tmp")) {
            continue;
        }
        let stale = older_than.is_none_or(|min| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age >= min)
        });
        if stale {
            if let Err(err) = fs::remove_file(e.path()) {
                tracing::warn!(file = %e.path().display(), error = %err, "cannot remove a stale temp file");
            }
        }
    }
}

/// Writes a private cache or state file (always 0600) atomically.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, ModePolicy::Private, &mut |_| Ok(()))
        .map_err(|e| BaseError::io("cannot write", path, e))
}

/// [`write_private`] without the fsyncs: still never torn for a reader or a crashed process
/// (temp file, rename), but not made durable against a power cut — for second copies only.
pub fn write_private_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_inner(path, bytes, ModePolicy::Private, &mut |_| Ok(()), false)
        .map_err(|e| BaseError::io("cannot write", path, e))
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn existing_mode(_: &Path) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_in_0700_folders_and_config_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let mode = |p: &Path| fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        let new = dir.path().join("sub/new.json");
        write_private(&new, b"{}").expect("write");
        assert_eq!(mode(&new), 0o600);
        assert_eq!(mode(new.parent().expect("parent")), 0o700);
        let existing = dir.path().join("config");
        fs::write(&existing, "old").expect("seed");
        fs::set_permissions(&existing, fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic_with(&existing, b"new", ModePolicy::KeepExisting, &mut |_| Ok(()))
            .expect("write");
        assert_eq!(mode(&existing), 0o644);
        assert_eq!(fs::read_to_string(&existing).expect("read"), "new");
        write_private(&existing, b"newer").expect("write");
        assert_eq!(mode(&existing), 0o600);
    }

    #[test]
    fn no_temporary_file_is_left_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("t.json");
        write_private(&target, b"1").expect("write");
        write_private(&target, b"2").expect("write");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("t.json")]);
    }
}
