//! Replacing a file by rename: checked, with its identity kept, verified, and what another
//! program writes into the replaced version handed back.

use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use super::{holds, unchanged, FileLock, Sig, Snapshot, TIMING};
use crate::base_error::{BaseError, Result};
use crate::dirs::create_private_dir;
use crate::fsio::{create_temp, file_name, remove_temps, target_and_dir};

/// The points of a replace where a fault can be injected (tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The temp file exists and is empty.
    Created,
    /// Half the bytes are in the temp file.
    HalfWritten,
    /// All bytes are in the temp file, synced, with the file's owner and mode; the rename is next.
    BeforeRename,
    /// Renamed; the folder is not synced yet.
    Renamed,
}

/// What a replace did.
#[derive(Debug)]
pub enum Replaced {
    /// The new bytes are in place and verified.
    Done {
        /// Whether another program wrote the file recently (watch for a late overwrite).
        others_active: bool,
        /// The version replaced, still open: a writer that opened it before the rename (to
        /// append, say) may still write into it.
        replaced: Option<Replaced0>,
    },
    /// The file changed between the stable read and the replace: nothing was written.
    Changed,
    /// The new bytes are in place, but another program wrote in place into the version they
    /// replaced after it was checked: here is what it wrote (merge it, then write again).
    Orphaned(Vec<u8>),
}

/// Refuses what the AWS CLI would not write, or what a rename would break: a read-only file, a
/// file with other hard links, a read-only folder.
pub fn check_writable(path: &Path) -> Result<()> {
    let refused = |code: &'static str, at: &Path, reason: String| BaseError::WriteRefused {
        code,
        path: at.to_owned(),
        reason,
    };
    let meta = match fs::metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(BaseError::io("cannot read", path, e)),
    };
    if let Some(m) = &meta {
        if m.permissions().readonly() {
            return Err(refused(
                "read_only_file",
                path,
                "it is read-only (the AWS CLI does not write it either); make it writable to let Lanyard change it".into(),
            ));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if m.nlink() > 1 {
                return Err(refused(
                    "hard_link",
                    path,
                    format!(
                        "it has {} hard links, and a safe write replaces the file, which would split them; keep one link (a symbolic link is fine)",
                        m.nlink()
                    ),
                ));
            }
        }
    }
    // Windows ignores the read-only attribute of folders; a folder that refuses the temp file
    // is named by the write itself.
    #[cfg(unix)]
    {
        let (_, dir) = target_and_dir(path);
        if fs::metadata(&dir).is_ok_and(|d| d.permissions().readonly()) {
            return Err(refused(
                "read_only_folder",
                &dir,
                format!(
                    "the folder is read-only, and {} is written through a new file in it; make the folder writable",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Removes the temp files earlier writes of `target` left behind (a killed process). Only
/// called by the lock holder, so none of them is being written.
pub fn clean_stale_temps(target: &Path) {
    let (target, dir) = target_and_dir(target);
    remove_temps(&dir, &file_name(&target), None);
}

/// Replaces the file `snap` was read from with `bytes`, under `lock`: checked unchanged since the
/// read, written to a temp file in the same folder with the old file's owner, group and mode (a
/// new file: 0600, owned as its folder is), synced, renamed over it, verified, and the replaced
/// version checked for an in-place write that came after the check.
pub fn replace(
    lock: &FileLock,
    path: &Path,
    snap: &Snapshot,
    bytes: &[u8],
    fault: &mut dyn FnMut(Stage) -> io::Result<()>,
) -> Result<Replaced> {
    check_writable(path)?;
    let (target, dir) = target_and_dir(path);
    if snap.handle.is_none() {
        // A new file: its folder (`~/.aws`) may be new too (0700).
        create_private_dir(&dir)?;
    }
    let name = file_name(&target);
    remove_temps(&dir, &name, None);
    if !unchanged(path, snap)? {
        return Ok(Replaced::Changed);
    }
    let (tmp, mut file) = create_temp(&dir, &name).map_err(|e| match e.kind() {
        io::ErrorKind::PermissionDenied => BaseError::WriteRefused {
            code: "read_only_folder",
            path: dir.clone(),
            reason: format!(
                "Lanyard cannot create a file in this folder ({e}), and {} is written through a new file in it",
                path.display()
            ),
        },
        _ => BaseError::io("cannot write", path, e),
    })?;
    let identity = snap
        .handle
        .as_ref()
        .and_then(|h| h.metadata().ok())
        .or_else(|| fs::metadata(&dir).ok());
    let is_new = snap.handle.is_none();
    let result = (|| -> Result<Sig> {
        let ioe = |e| BaseError::io("cannot write", path, e);
        fault(Stage::Created).map_err(ioe)?;
        let half = bytes.len() / 2;
        file.write_all(&bytes[..half]).map_err(ioe)?;
        fault(Stage::HalfWritten).map_err(ioe)?;
        file.write_all(&bytes[half..]).map_err(ioe)?;
        if let Some(m) = &identity {
            keep_identity(&file, m, is_new, path)?;
        }
        file.sync_all().map_err(ioe)?;
        fault(Stage::BeforeRename).map_err(ioe)?;
        let written = Sig::of(&file.metadata().map_err(ioe)?);
        fs::rename(&tmp, &target).map_err(ioe)?;
        Ok(written)
    })();
    drop(file);
    let written = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    fault(Stage::Renamed).map_err(|e| BaseError::io("cannot write", path, e))?;
    if let Ok(d) = File::open(&dir) {
        // Makes the rename itself durable; a failure here loses nothing already written.
        let _ = d.sync_all();
    }
    // What landed is what was written (or someone replaced it right away: write again).
    let landed = fs::metadata(&target).ok().map(|m| Sig::of(&m));
    // The inode is the temp file's, so its bytes are the ones written unless someone wrote
    // into it since the rename, which changes its size or modification time.
    let verified = landed.is_some_and(|s| {
        s.ino == written.ino && s.len == written.len && s.mtime_ns == written.mtime_ns
    }) && (cfg!(unix) || holds(&target, bytes).unwrap_or(false));
    if !verified {
        return Ok(Replaced::Changed);
    }
    lock.wrote(landed);
    // A writer that truncated the replaced version in place after the check, and writes it
    // now, writes into a file no one will read: take what it writes.
    if let (Some(h), Some(sig)) = (&snap.handle, snap.sig) {
        let now = h.metadata().ok().map(|m| Sig::of(&m));
        if now.is_some_and(|n| n.len != sig.len || n.mtime_ns != sig.mtime_ns) {
            return Ok(Replaced::Orphaned(settle_orphan(h, sig)?));
        }
    }
    Ok(Replaced::Done {
        others_active: snap.others_active,
        replaced: match (&snap.handle, snap.sig) {
            (Some(h), Some(sig)) => h.try_clone().ok().map(|handle| Replaced0 { handle, sig }),
            _ => None,
        },
    })
}

/// A version of a file just replaced by a rename, kept open.
#[derive(Debug)]
pub struct Replaced0 {
    handle: File,
    sig: Sig,
}

impl Replaced0 {
    /// What another program wrote into it after the rename (waiting until it is done), if it
    /// did: that write went into a file no one will read again, so it must be merged.
    pub fn written_since(&self) -> Result<Option<Vec<u8>>> {
        let now = self.handle.metadata().ok().map(|m| Sig::of(&m));
        if now.is_some_and(|n| n.len != self.sig.len || n.mtime_ns != self.sig.mtime_ns) {
            return settle_orphan(&self.handle, self.sig).map(Some);
        }
        Ok(None)
    }
}

/// Waits until a replaced version another program is writing in place is quiet (its own
/// truncate-then-write done), and returns what it holds.
fn settle_orphan(h: &File, before: Sig) -> Result<Vec<u8>> {
    let start = crate::clock::monotonic_now();
    let mut last: Option<(Sig, Instant)> = None;
    loop {
        let sig = Sig::of(
            &h.metadata()
                .map_err(|e| BaseError::io("cannot read", "(replaced file)", e))?,
        );
        let need = if sig.len == 0 || sig.len < before.len / 2 {
            TIMING.suspect
        } else {
            TIMING.settle
        };
        match last {
            Some((s, at)) if s == sig && at.elapsed() >= need => break,
            Some((s, _)) if s == sig => {}
            _ => last = Some((sig, crate::clock::monotonic_now())),
        }
        if start.elapsed() > TIMING.max_wait {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut h = h;
    let mut out = Vec::new();
    h.rewind()
        .and_then(|_| h.read_to_end(&mut out))
        .map_err(|e| BaseError::io("cannot read", "(replaced file)", e))?;
    Ok(out)
}

/// Gives the temp file the replaced file's mode, owner and group (a new file: 0600 and, when
/// Lanyard runs as another user than the folder's owner — root, say — the folder's owner).
#[cfg(unix)]
fn keep_identity(file: &File, old: &fs::Metadata, is_new: bool, path: &Path) -> Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mine = file
        .metadata()
        .map_err(|e| BaseError::io("cannot write", path, e))?;
    if !is_new {
        file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
            .map_err(|e| BaseError::io("cannot set the mode of", path, e))?;
    }
    let (uid, gid) = (old.uid(), old.gid());
    if mine.uid() == uid && mine.gid() == gid {
        return Ok(());
    }
    let want_uid = (mine.uid() != uid).then_some(uid);
    let want_gid = (mine.gid() != gid).then_some(gid);
    match std::os::unix::fs::fchown(file, want_uid, want_gid) {
        Ok(()) => Ok(()),
        // A new file in someone else's folder, not as root: it stays ours.
        Err(_) if is_new => Ok(()),
        Err(e) if want_uid.is_none() => {
            tracing::warn!(file = %path.display(), error = %e, "cannot keep the file's group");
            Ok(())
        }
        Err(_) => Err(BaseError::WriteRefused {
            code: "owned_by_other",
            path: path.to_owned(),
            reason: format!(
                "it belongs to user id {uid}, and a new version written by this user would not; edit it as that user"
            ),
        }),
    }
}

#[cfg(not(unix))]
fn keep_identity(_: &File, _: &fs::Metadata, _: bool, _: &Path) -> Result<()> {
    // Windows: the new file inherits the folder's ACL, which for %USERPROFILE%\.aws is the
    // user-only ACL the AWS CLI relies on (docs/ARCHITECTURE.md).
    Ok(())
}
