//! Writing files that other programs write too (`~/.aws/config`, `~/.aws/credentials`): one
//! advisory lock per file shared by every Lanyard process, a read trusted for an edit only once
//! the file is stable (never another writer's truncated moment), and a replace that keeps the
//! file's identity (owner, group, mode), refuses what the AWS CLI would not write (a read-only
//! file or folder) or what a rename would break (a hard link), verifies what landed, and hands
//! back a write that another program made in place into the version just replaced, so that it
//! is merged instead of orphaned. docs/ARCHITECTURE.md ("Writing shared files") says why.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use crate::dirs::create_private_dir;
use crate::error::{Error, Result};

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
    settle: Duration::from_millis(300),
    suspect: Duration::from_millis(2000),
    max_wait: Duration::from_millis(6000),
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
        create_private_dir(locks_dir)?;
        let path = locks_dir.join(format!("file-{}.lock", key_of(target)));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("cannot open lock file", &path, e))?;
        file.lock()
            .map_err(|e| Error::io("cannot lock", &path, e))?;
        Ok(FileLock { file, path })
    }

    /// The lock for `target` if no one holds it now; `None` when someone does.
    pub fn try_acquire(locks_dir: &Path, target: &Path) -> Result<Option<FileLock>> {
        create_private_dir(locks_dir)?;
        let path = locks_dir.join(format!("file-{}.lock", key_of(target)));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("cannot open lock file", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock { file, path })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io("cannot lock", &path, e)),
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records the file at `target`, as it is now, as written by this lock holder (so that the
    /// next holder trusts it without waiting). [`replace`] does this itself.
    pub fn remember_written(&self, target: &Path) {
        let written = fs::metadata(target).ok().map(|m| Sig::of(&m));
        let good_len = written.map(|s| s.len);
        self.set_record(&Record { written, good_len });
    }

    fn record(&self) -> Record {
        let mut text = String::new();
        let mut f = &self.file;
        if f.rewind().is_err() || f.read_to_string(&mut text).is_err() {
            return Record::default();
        }
        serde_json::from_str(&text).unwrap_or_default()
    }

    fn set_record(&self, r: &Record) {
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

/// A stable read of a file: its bytes and the state they were read in, with the open handle
/// kept so that a write another program makes into this very version (in place) is seen.
#[derive(Debug)]
pub struct Snapshot {
    /// The bytes; `None` when the file did not exist.
    pub bytes: Option<Vec<u8>>,
    sig: Option<Sig>,
    handle: Option<File>,
    /// Whether another program (not Lanyard) wrote the file recently.
    pub others_active: bool,
}

impl Snapshot {
    /// The state the bytes were read in.
    pub fn sig(&self) -> Option<Sig> {
        self.sig
    }
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
/// changing after [`Timing::max_wait`] is [`Error::FileBusy`].
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
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        let io_err = |e| Error::io("cannot read", path, e);
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
            return Err(Error::FileBusy {
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
        Err(e) => return Err(Error::io("cannot read", path, e)),
    };
    if now != snap.sig {
        return Ok(false);
    }
    // Same state; the bytes too (a rewrite of the same length within one clock tick).
    match (&snap.bytes, now) {
        (Some(b), Some(_)) => holds(path, b).map_err(|e| Error::io("cannot read", path, e)),
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
    let refused = |code: &'static str, at: &Path, reason: String| Error::WriteRefused {
        code,
        path: at.to_owned(),
        reason,
    };
    let meta = match fs::metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("cannot read", path, e)),
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
    if let Ok(d) = fs::metadata(parent_of(&resolve(path))) {
        let dir = parent_of(&resolve(path));
        if d.permissions().readonly() {
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

fn resolve(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).unwrap_or(path.to_owned()),
        _ => path.to_owned(),
    }
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// The temp-file name of a write to `name` by this process.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.lanyard-")
}

/// Removes temp files earlier writes of `target` left behind (a killed process). Only called by
/// the lock holder, so none of them is being written.
pub fn clean_stale_temps(target: &Path) {
    let target = resolve(target);
    let dir = parent_of(&target);
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = temp_prefix(&name);
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        if n.starts_with(&prefix) && n.ends_with(".tmp") {
            if let Err(err) = fs::remove_file(e.path()) {
                tracing::warn!(file = %e.path().display(), error = %err, "cannot remove a stale temp file");
            }
        }
    }
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

/// Replaces the file `snap` was read from with `bytes`, under `lock`: checked unchanged since the
/// read, written to a temp file in the same folder with the old file's owner, group and mode (a
/// new file: 0600, owned as its folder is), synced, renamed over it, verified, and the replaced
/// version checked for an in-place write that came after the check.
pub fn replace(
    _lock: &FileLock,
    path: &Path,
    snap: &Snapshot,
    bytes: &[u8],
    fault: &mut dyn FnMut(Stage) -> io::Result<()>,
) -> Result<Replaced> {
    check_writable(path)?;
    let target = resolve(path);
    let dir = parent_of(&target);
    if snap.handle.is_none() {
        // A new file: its folder (`~/.aws`) may be new too (0700).
        create_private_dir(&dir)?;
    }
    clean_stale_temps(&target);
    if !unchanged(path, snap)? {
        return Ok(Replaced::Changed);
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let werr = |e: io::Error| {
        match e.kind() {
        io::ErrorKind::PermissionDenied => Error::WriteRefused {
            code: "read_only_folder",
            path: dir.clone(),
            reason: format!(
                "Lanyard cannot create a file in this folder ({e}), and {} is written through a new file in it",
                path.display()
            ),
        },
        _ => Error::io("cannot write", path, e),
    }
    };
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            "{}{}-{attempt}.tmp",
            temp_prefix(&name),
            std::process::id()
        ));
        let mut opts = OpenOptions::new();
        opts.write(true).read(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 1000 => attempt += 1,
            Err(e) => return Err(werr(e)),
        }
    };
    let identity = snap
        .handle
        .as_ref()
        .and_then(|h| h.metadata().ok())
        .or_else(|| fs::metadata(&dir).ok());
    let is_new = snap.handle.is_none();
    let result = (|| -> Result<Sig> {
        let ioe = |e| Error::io("cannot write", path, e);
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
    fault(Stage::Renamed).map_err(|e| Error::io("cannot write", path, e))?;
    if let Ok(d) = File::open(&dir) {
        // Makes the rename itself durable; a failure here loses nothing already written.
        let _ = d.sync_all();
    }
    // What landed is what was written (or someone replaced it right away: write again).
    let landed = fs::metadata(&target).ok().map(|m| Sig::of(&m));
    let verified = landed.is_some_and(|s| s.ino == written.ino && s.len == written.len)
        && holds(&target, bytes).unwrap_or(false);
    if !verified {
        return Ok(Replaced::Changed);
    }
    _lock.set_record(&Record {
        written: landed,
        good_len: Some(bytes.len() as u64),
    });
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

/// Whether the file at `path` is still as the last Lanyard write under `lock` left it.
pub fn still_ours(lock: &FileLock, path: &Path) -> bool {
    let now = fs::metadata(path).ok().map(|m| Sig::of(&m));
    now.is_some() && now == lock.record().written
}

/// Waits until a replaced version another program is writing in place is quiet (its own
/// truncate-then-write done), and returns what it holds.
fn settle_orphan(h: &File, before: Sig) -> Result<Vec<u8>> {
    let start = crate::clock::monotonic_now();
    let mut last: Option<(Sig, Instant)> = None;
    loop {
        let sig = Sig::of(
            &h.metadata()
                .map_err(|e| Error::io("cannot read", "(replaced file)", e))?,
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
        .map_err(|e| Error::io("cannot read", "(replaced file)", e))?;
    Ok(out)
}

/// Gives the temp file the replaced file's mode, owner and group (a new file: 0600 and, when
/// Lanyard runs as another user than the folder's owner — root, say — the folder's owner).
#[cfg(unix)]
fn keep_identity(file: &File, old: &fs::Metadata, is_new: bool, path: &Path) -> Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mine = file
        .metadata()
        .map_err(|e| Error::io("cannot write", path, e))?;
    if !is_new {
        file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
            .map_err(|e| Error::io("cannot set the mode of", path, e))?;
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
        Err(_) => Err(Error::WriteRefused {
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

#[cfg(test)]
mod tests;
