//! Crash-safe file writes shared by every writer in the core: a temporary file in the same
//! folder, fsync, rename over the target, fsync of the folder. A reader (or a crash) sees the
//! old file or the new one, never a torn one.

use std::io::Write;
use std::path::Path;

use crate::dirs::create_private_dir;
use crate::error::{Error, Result};

/// Replaces `path` with `bytes` atomically. A new file gets `new_mode` (Unix); an existing file
/// keeps its mode unless `force_mode` is set. Missing parent folders are created 0700.
pub fn write_atomic(path: &Path, bytes: &[u8], new_mode: u32, force_mode: bool) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".lanyard-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io("cannot create a temporary file in", dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::metadata(path) {
            Ok(meta) if !force_mode => meta.permissions().mode() & 0o7777,
            _ => new_mode,
        };
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io("cannot set permissions on", tmp.path(), e))?;
    }
    #[cfg(not(unix))]
    let _ = (new_mode, force_mode);
    tmp.write_all(bytes)
        .map_err(|e| Error::io("cannot write", tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io("cannot flush", tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("cannot replace", path, e.error))?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        // Makes the rename itself durable; failure here loses nothing already written.
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_given_mode_and_existing_ones_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let new = dir.path().join("sub/new.json");
        write_atomic(&new, b"{}", 0o600, false).expect("write");
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&new), 0o600);
        assert_eq!(mode(new.parent().expect("parent")), 0o700);
        let existing = dir.path().join("config");
        std::fs::write(&existing, "old").expect("seed");
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&existing, b"new", 0o600, false).expect("write");
        assert_eq!(mode(&existing), 0o644);
        assert_eq!(std::fs::read_to_string(&existing).expect("read"), "new");
        write_atomic(&existing, b"newer", 0o600, true).expect("write");
        assert_eq!(mode(&existing), 0o600);
    }

    #[test]
    fn no_temporary_file_is_left_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("t.json");
        write_atomic(&target, b"1", 0o600, false).expect("write");
        write_atomic(&target, b"2", 0o600, false).expect("write");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("t.json")]);
    }
}
