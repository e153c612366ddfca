//! The config and credentials files on disk: where they are (`AWS_CONFIG_FILE`,
//! `AWS_SHARED_CREDENTIALS_FILE`, `~` and `$VAR` expanded as botocore does), loading (keeping
//! what was read), and saving safely — validated first (never a file botocore refuses), refused
//! when another program changed the file since it was read, the previous version backed up to
//! `<data dir>/backups/` (last 10 kept, 0600), then written atomically (temp file in the same
//! folder, fsync, rename; a new file 0600, an existing one keeps its mode).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aws_config_edit::Document;
use time::OffsetDateTime;

use super::validate::{Finding, Validation};
use super::view::{self, ConfigView};
use crate::config::error::{ConfigError, Result};
use crate::context::Context;
use crate::env::Env;
use crate::guard::{self, FileLock, Replaced};

/// Python's `os.path.expandvars` then `os.path.expanduser`, as botocore applies them to the
/// configured path: `$NAME` and `${NAME}` (ASCII word characters) are replaced when set and
/// left as written when not; a leading `~` or `~/` is the home folder (`~user` is left alone).
pub fn expand_path(raw: &str, env: &Env) -> PathBuf {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(j) => (&inner[..j], j + 2),
                None => ("", 0),
            }
        } else {
            let n = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (&after[..n], n)
        };
        match env.get_str(name).filter(|_| len > 0 && !name.is_empty()) {
            Some(v) => {
                out.push_str(v);
                rest = &after[len..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if let Some(tail) = out.strip_prefix('~') {
        if tail.is_empty() || tail.starts_with('/') {
            if let Some(home) = env.get_str("HOME") {
                let home = home.trim_end_matches('/');
                let joined = format!("{home}{tail}");
                return PathBuf::from(if joined.is_empty() { "/" } else { &joined });
            }
        }
    }
    PathBuf::from(out)
}

/// The config file: `AWS_CONFIG_FILE`, else `~/.aws/config`.
pub fn config_file_path(env: &Env) -> PathBuf {
    expand_path(
        env.get_str("AWS_CONFIG_FILE").unwrap_or("~/.aws/config"),
        env,
    )
}

/// The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
pub fn credentials_file_path(env: &Env) -> PathBuf {
    expand_path(
        env.get_str("AWS_SHARED_CREDENTIALS_FILE")
            .unwrap_or("~/.aws/credentials"),
        env,
    )
}

/// A config (or credentials) file as read, with the bytes that were read so that a save can
/// tell whether someone else changed it since.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    path: PathBuf,
    /// The document; edit it, then [`ConfigFile::save`].
    pub doc: Document,
    /// The text read (or last written); `None` when the file did not exist.
    loaded: Option<Arc<String>>,
    /// A version of `doc` that a validation found botocore reads (so that a save of that very
    /// document need not check it again).
    readable: Option<aws_config_edit::Version>,
}

impl ConfigFile {
    /// Reads a file; a missing file is an empty document. A file that is not UTF-8 fails with
    /// [`ConfigError::ConfigRefused`] naming the line.
    pub fn load(path: impl Into<PathBuf>) -> Result<ConfigFile> {
        let path = path.into();
        let (doc, loaded) = match fs::read(&path) {
            Ok(bytes) => {
                let doc =
                    Document::parse_bytes_owned(bytes).map_err(|e| ConfigError::ConfigRefused {
                        path: path.clone(),
                        line: e.line,
                        message: "the file is not valid UTF-8".into(),
                    })?;
                // The document keeps the bytes read as its source: shared, not copied.
                let source = doc.source();
                (doc, Some(source))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Document::default(), None),
            Err(e) => return Err(ConfigError::io("cannot read", &path, e)),
        };
        Ok(ConfigFile {
            path,
            doc,
            loaded,
            readable: None,
        })
    }

    /// The config file of this environment.
    pub fn load_config(env: &Env) -> Result<ConfigFile> {
        Self::load(config_file_path(env))
    }

    /// The text as read (or last written); `None` when the file did not exist.
    pub fn loaded_text(&self) -> Option<&str> {
        self.loaded.as_deref().map(String::as_str)
    }

    /// The text as read (or last written), shared rather than copied; `None` when the file did
    /// not exist.
    pub fn loaded_shared(&self) -> Option<Arc<String>> {
        self.loaded.clone()
    }

    /// The version of the file as read: the lowercase hex SHA-1 of its bytes, empty when it did
    /// not exist. The window names it in an edit, so that a file changed since is never
    /// overwritten.
    pub fn version(&self) -> String {
        self.loaded_text().map(version_of).unwrap_or_default()
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file existed when read.
    pub fn existed(&self) -> bool {
        self.loaded.is_some()
    }

    /// The file as botocore reads it; fails with the first problem when botocore refuses it.
    pub fn view(&self) -> Result<ConfigView<'_>> {
        view::read(&self.doc).map_err(|problems| refused(&self.path, &problems))
    }

    /// Every validation finding of the file; fails as [`ConfigFile::view`] does when botocore
    /// refuses the file.
    pub fn validate(&mut self) -> Result<Vec<Finding>> {
        let v = self.check();
        if !v.problems.is_empty() {
            return Err(refused(&self.path, &v.problems));
        }
        Ok(v.findings)
    }

    /// Validates the document as it is now (an edited one, say): every finding, and the
    /// reasons botocore would refuse it. A save of this very document, unedited since, does
    /// not check it again.
    pub fn check(&mut self) -> Validation {
        let v = Validation::of(&self.doc, &self.path);
        self.readable = v.problems.is_empty().then(|| self.doc.version());
        v
    }

    /// A file read for an edit: the document of `doc_bytes` (what to edit — another writer's
    /// version, say), while the file on disk holds `on_disk` (what the save must still find).
    fn from_read(path: &Path, doc_bytes: Option<Vec<u8>>, on_disk: Option<&[u8]>) -> Result<Self> {
        let utf8 = |line: usize| ConfigError::ConfigRefused {
            path: path.to_owned(),
            line,
            message: "the file is not valid UTF-8".into(),
        };
        let doc = match doc_bytes {
            Some(b) => Document::parse_bytes_owned(b).map_err(|e| utf8(e.line))?,
            None => Document::default(),
        };
        let loaded = match on_disk {
            None => None,
            Some(b) if b == doc.source().as_bytes() => Some(doc.source()),
            Some(b) => Some(Arc::new(
                String::from_utf8(b.to_vec()).map_err(|_| utf8(1))?,
            )),
        };
        Ok(ConfigFile {
            path: path.to_owned(),
            doc,
            loaded,
            readable: None,
        })
    }

    /// Saves the document: validated, conflict-checked, backed up, written atomically, under
    /// the file's lock (every Lanyard writer takes it). Returns `false` when there was nothing
    /// to write (the file already holds these bytes). A file changed since it was read is
    /// [`ConfigError::ConfigChanged`] and nothing is written.
    pub fn save(&mut self, ctx: &Context) -> Result<bool> {
        let lock = FileLock::acquire(&ctx.dirs.locks_dir(), &self.path)?;
        let env = SaveEnv::of(ctx);
        match self.save_locked(&lock, &env, &mut |_| Ok(()))? {
            Saved::Orphaned(theirs) => {
                // Another program wrote in place into the version just replaced: its write
                // is put back (as if Lanyard had not been there), and this edit is a conflict.
                let snap = guard::read_stable(&lock, &self.path, &guard::TIMING)?;
                guard::replace(&lock, &self.path, &snap, &theirs, &mut |_| Ok(()))?;
                let text = String::from_utf8_lossy(&theirs).into_owned();
                self.loaded = Some(Arc::new(text));
                Err(ConfigError::ConfigChanged {
                    path: self.path.clone(),
                })
            }
            Saved::Written { .. } => Ok(true),
            Saved::Nothing => Ok(false),
        }
    }

    /// [`ConfigFile::save`] with the lock held, where backups go, and a fault-injection hook.
    pub fn save_locked(
        &mut self,
        lock: &FileLock,
        env: &SaveEnv,
        fault: &mut dyn FnMut(Stage) -> io::Result<()>,
    ) -> Result<Saved> {
        // The file must still hold what was read — read again once it is stable, so that
        // another writer's truncated moment is never taken for the file.
        let snap = guard::read_stable(lock, &self.path, &guard::TIMING)?;
        self.save_over(lock, env, &snap, fault)
    }

    /// [`ConfigFile::save_locked`] over a stable read `snap` made under `lock` (the file must
    /// still be what this document was loaded from: `snap` holds those bytes).
    fn save_over(
        &mut self,
        lock: &FileLock,
        env: &SaveEnv,
        snap: &guard::Snapshot,
        fault: &mut dyn FnMut(Stage) -> io::Result<()>,
    ) -> Result<Saved> {
        let text = self.doc.to_text();
        // What botocore will read is the text written: the document itself when its lines
        // read back as they are (they do unless an edit made, say, a lone CR meet a line
        // break), else the text parsed again.
        let problems = if self.doc.reads_back_identically() {
            if self.readable == Some(self.doc.version()) {
                Vec::new()
            } else {
                view::parse_problems(&self.doc)
            }
        } else {
            view::parse_problems(&Document::parse(&text))
        };
        if !problems.is_empty() {
            return Err(refused(&self.path, &problems));
        }
        let changed = || ConfigError::ConfigChanged {
            path: self.path.clone(),
        };
        if snap.bytes.as_deref() != self.loaded.as_deref().map(String::as_bytes) {
            return Err(changed());
        }
        if snap.bytes.as_deref() == Some(text.as_bytes()) {
            return Ok(Saved::Nothing);
        }
        if let Some(old) = snap.bytes.as_deref().filter(|b| !b.is_empty()) {
            backup_good(&env.backups, &self.path, old, env.now)?;
        }
        let out = match guard::replace(lock, &self.path, snap, text.as_bytes(), fault)? {
            Replaced::Changed => return Err(changed()),
            Replaced::Done {
                others_active,
                replaced,
            } => Saved::Written {
                others_active,
                replaced,
            },
            Replaced::Orphaned(theirs) => Saved::Orphaned(theirs),
        };
        keep_last_good(&env.backups, &self.path, text.as_bytes())?;
        self.loaded = Some(Arc::new(text));
        Ok(out)
    }
}

/// What a locked save did.
#[derive(Debug)]
pub enum Saved {
    /// The file already held these bytes.
    Nothing,
    /// Written and verified.
    Written {
        /// Another program wrote the file recently: watch for it writing back an old version.
        others_active: bool,
        /// The version replaced, still open (see [`guard::Replaced0`]).
        replaced: Option<guard::Replaced0>,
    },
    /// Written, but another program wrote in place into the version replaced, after the check:
    /// what it wrote (see [`guard::Replaced::Orphaned`]).
    Orphaned(Vec<u8>),
}

/// Where a save keeps backups, and its time.
#[derive(Debug, Clone)]
pub struct SaveEnv {
    /// The backups folder.
    pub backups: PathBuf,
    /// The save's time (names the backup).
    pub now: OffsetDateTime,
}

impl SaveEnv {
    /// The backups folder and time of `ctx`.
    pub fn of(ctx: &Context) -> Self {
        SaveEnv {
            backups: ctx.dirs.backups_dir(),
            now: ctx.clock.now(),
        }
    }
}

/// Removes what killed Lanyard writers left beside the config and credentials files (temp
/// files of a save cut short), unless a writer is at work on them now. The app calls it when it
/// starts and the CLI before every command but the credential hot path.
pub fn tidy(ctx: &Context) {
    let locks = ctx.dirs.locks_dir();
    for path in [config_file_path(&ctx.env), credentials_file_path(&ctx.env)] {
        if path.parent().is_some_and(Path::is_dir) {
            guard::tidy(&locks, &path);
        }
    }
}

/// The version of a file holding `text` (see [`ConfigFile::version`]).
pub fn version_of(text: &str) -> String {
    use sha1::Digest;
    hex::encode(sha1::Sha1::digest(text.as_bytes()))
}

/// How long an edit goes on being re-applied while other programs keep changing the file under
/// it (each attempt waits for the file to be quiet first), before it is refused as busy.
pub const EDIT_BOUND: std::time::Duration = std::time::Duration::from_secs(20);

/// Applies `edit` to the file at `path` and saves it, holding the file's lock from read to
/// rename so that Lanyard writers (CLI, tray, window) take turns and none loses another's edit.
/// The read is a stable one (never another program's truncated moment). When another program
/// changed the file between the read and the write — or wrote in place into the version just
/// replaced, or wrote an old version back right after — the edit is applied again to what it
/// wrote, unless it changed the same keys: then [`ConfigError::EditConflict`] names them and nothing
/// more is written. Returns `edit`'s result and whether anything was written.
///
/// In the config file, a `[default]` that mirrors a profile follows an edit of that profile
/// in the same save (see [`super::follow::after_edit`]).
pub fn edit_and_save<T>(
    ctx: &Context,
    path: &Path,
    edit: impl FnMut(&mut ConfigFile) -> Result<T>,
) -> Result<(T, bool)> {
    edit_and_save_any(ctx, path, edit)
}

/// [`edit_and_save`] with an edit that fails with its own error (a feature's), which comes
/// back as it is; the config engine's errors are converted into it.
pub fn edit_and_save_any<T, E: From<ConfigError>>(
    ctx: &Context,
    path: &Path,
    mut edit: impl FnMut(&mut ConfigFile) -> std::result::Result<T, E>,
) -> std::result::Result<(T, bool), E> {
    if *path != config_file_path(&ctx.env) {
        return edit_and_save_as_is(ctx, path, edit);
    }
    // What the last attempt that followed did to the mirrored default (an attempt that checks
    // a written edit finds it followed already, and keeps it).
    let mut followed = None;
    let done = edit_and_save_as_is(ctx, path, |file| -> std::result::Result<T, E> {
        let before = file.doc.source();
        let out = edit(file)?;
        if let Some(f) =
            super::follow::in_doc(&ctx.dirs, path, &before, &mut file.doc).map_err(E::from)?
        {
            followed = Some(f);
        }
        Ok(out)
    })?;
    if let Some(f) = followed {
        f.remember(&ctx.dirs, path);
    }
    Ok(done)
}

/// [`edit_and_save`] without following the mirrored default.
///
/// The edit's own error comes back as it is; the config engine's is converted into it.
fn edit_and_save_as_is<T, E: From<ConfigError>>(
    ctx: &Context,
    path: &Path,
    mut edit: impl FnMut(&mut ConfigFile) -> std::result::Result<T, E>,
) -> std::result::Result<(T, bool), E> {
    let cfg = |e: ConfigError| E::from(e);
    let base_err = |e: crate::base_error::BaseError| E::from(ConfigError::from(e));
    let lock = FileLock::acquire(&ctx.dirs.locks_dir(), path).map_err(base_err)?;
    let env = SaveEnv::of(ctx);
    let started = crate::clock::monotonic_now();
    let in_time = || started.elapsed() < EDIT_BOUND;
    // What to apply the edit to instead of the file (what another writer wrote in place).
    let mut theirs: Option<Vec<u8>> = None;
    // The last attempt's text before and after the edit.
    let mut last: Option<(Arc<String>, Arc<String>)> = None;
    // Written already: the result, while checking the edit is still there.
    let mut done: Option<T> = None;
    let mut wrote = false;
    loop {
        let snap = guard::read_stable(&lock, path, &guard::TIMING).map_err(base_err)?;
        let on_disk = snap.bytes.as_deref();
        let mut file = match theirs.take() {
            // What another program wrote into the version just replaced: the edit goes on
            // top of it, as it would have had that program written the file itself...
            Some(b) if guard::still_ours(&lock, path) => {
                ConfigFile::from_read(path, Some(b), on_disk).map_err(cfg)?
            }
            // ...unless the file changed again since: then that program's change is replayed
            // onto the file as it is now.
            Some(b) => {
                let base = last.as_ref().map_or("", |(base, _)| base.as_str());
                let onto = String::from_utf8_lossy(on_disk.unwrap_or_default());
                let merged = super::merge::replay(base, &String::from_utf8_lossy(&b), &onto)
                    .ok_or_else(|| ConfigError::EditConflict {
                        path: path.to_owned(),
                        keys: vec![
                            "(what another program wrote while Lanyard replaced the file)".into(),
                        ],
                    })
                    .map_err(cfg)?;
                ConfigFile::from_read(path, Some(merged.into_bytes()), on_disk).map_err(cfg)?
            }
            None => ConfigFile::from_read(path, snap.bytes.clone(), on_disk).map_err(cfg)?,
        };
        let base = file.doc.source();
        if let Some((before, ours)) = &last {
            let both = super::merge::same_keys_changed(before, ours, &base);
            if !both.is_empty() {
                return Err(cfg(ConfigError::EditConflict {
                    path: path.to_owned(),
                    keys: both,
                }));
            }
        }
        let out = match (edit(&mut file), done.take()) {
            (Ok(out), _) => out,
            // Checking a written edit: one that cannot apply again is there already.
            (Err(_), Some(written)) => return Ok((written, wrote)),
            (Err(e), None) => return Err(e),
        };
        if last.is_some() && file.loaded_text() == Some(file.doc.to_text().as_str()) {
            // Applying the edit again changes nothing on disk: it is there.
            return Ok((out, wrote));
        }
        // The read above is the stable one the save checks against (the lock is held since).
        let saved = file.save_over(&lock, &env, &snap, &mut |_| Ok(()));
        drop(snap);
        // What this attempt wrote (or meant to), for the next attempt's conflict check: the
        // text is serialised again only when there is a next attempt and nothing was written.
        let ours = match &saved {
            Ok(Saved::Written { .. } | Saved::Orphaned(_)) => file.loaded_shared(),
            _ => None,
        };
        last = Some((base, ours.unwrap_or_else(|| Arc::new(file.doc.to_text()))));
        match saved {
            Ok(Saved::Nothing) => return Ok((out, wrote)),
            Ok(Saved::Written {
                others_active,
                replaced,
            }) => {
                wrote = true;
                if others_active && in_time() {
                    // Another program was writing this file: one that read the old version
                    // just before the rename writes it back now, and one that opened the old
                    // version to append writes into a file no one reads. Look again.
                    std::thread::sleep(guard::TIMING.watch);
                    if let Some(b) = replaced
                        .map(|r| r.written_since())
                        .transpose()
                        .map_err(base_err)?
                        .flatten()
                    {
                        tracing::debug!(file = %path.display(), "another program wrote into the version replaced: merging it");
                        theirs = Some(b);
                        continue;
                    }
                    if !guard::still_ours(&lock, path) {
                        tracing::debug!(file = %path.display(), "another program wrote over the edit: checking it is still there");
                        done = Some(out);
                        continue;
                    }
                }
                return Ok((out, true));
            }
            Ok(Saved::Orphaned(b)) if in_time() => {
                tracing::debug!(file = %path.display(), "another program wrote in place while the file was replaced: merging it");
                wrote = true;
                theirs = Some(b);
            }
            Err(ConfigError::ConfigChanged { .. }) if in_time() => {
                tracing::debug!(file = %path.display(), "changed by another program since read: applying the edit again");
            }
            Ok(Saved::Orphaned(_)) | Err(ConfigError::ConfigChanged { .. }) => {
                return Err(base_err(crate::base_error::BaseError::FileBusy {
                    path: path.to_owned(),
                    waited_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                }))
            }
            Err(e) => return Err(cfg(e)),
        }
    }
}

fn refused(path: &Path, problems: &[view::ParseProblem]) -> ConfigError {
    let first = &problems[0];
    ConfigError::ConfigRefused {
        path: path.to_owned(),
        line: first.line,
        message: first.message.clone(),
    }
}

pub use crate::fsio::WriteStage;
pub use crate::guard::Stage;

/// Writes a config or credentials file atomically, keeping an existing file's mode (0600 for a
/// new one); see [`crate::fsio::write_atomic_with`]. `fault` is the tests' injection point.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    fault: &mut dyn FnMut(WriteStage) -> io::Result<()>,
) -> io::Result<()> {
    crate::fsio::write_atomic_with(path, bytes, crate::fsio::ModePolicy::KeepExisting, fault)
}

pub use super::backups::{backup, list_backups, restore, BACKUPS_KEPT};
use super::backups::{backup_good, keep_last_good};
