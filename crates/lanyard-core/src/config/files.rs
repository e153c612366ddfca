//! The config and credentials files on disk: where they are (`AWS_CONFIG_FILE`,
//! `AWS_SHARED_CREDENTIALS_FILE`, `~` and `$VAR` expanded as botocore does), loading (keeping
//! what was read), and saving safely — validated first (never a file botocore refuses), refused
//! when another program changed the file since it was read, the previous version backed up to
//! `<data dir>/backups/` (last 10 kept, 0600), then written atomically (temp file in the same
//! folder, fsync, rename; a new file 0600, an existing one keeps its mode).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aws_config_edit::Document;
use time::OffsetDateTime;

use super::validate::{Finding, Validation};
use super::view::{self, ConfigView};
use crate::context::Context;
use crate::env::Env;
use crate::error::{Error, Result};

/// How many backups of each file are kept.
pub const BACKUPS_KEPT: usize = 10;

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
    /// [`Error::ConfigRefused`] naming the line.
    pub fn load(path: impl Into<PathBuf>) -> Result<ConfigFile> {
        let path = path.into();
        let (doc, loaded) = match fs::read(&path) {
            Ok(bytes) => {
                let doc = Document::parse_bytes_owned(bytes).map_err(|e| Error::ConfigRefused {
                    path: path.clone(),
                    line: e.line,
                    message: "the file is not valid UTF-8".into(),
                })?;
                // The document keeps the bytes read as its source: shared, not copied.
                let source = doc.source();
                (doc, Some(source))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Document::default(), None),
            Err(e) => return Err(Error::io("cannot read", &path, e)),
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

    /// Saves the document: validated, conflict-checked, backed up, written atomically.
    /// Returns `false` when there was nothing to write (the file already holds these bytes).
    pub fn save(&mut self, ctx: &Context) -> Result<bool> {
        self.save_with(&ctx.dirs.backups_dir(), ctx.clock.now(), &mut |_| Ok(()))
    }

    /// [`ConfigFile::save`] with the backup folder, the time and a fault-injection hook given.
    pub fn save_with(
        &mut self,
        backups: &Path,
        now: OffsetDateTime,
        fault: &mut dyn FnMut(WriteStage) -> io::Result<()>,
    ) -> Result<bool> {
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
        // The file must still hold what was read: compared as it is read back, without
        // keeping a second copy.
        let unchanged = match &self.loaded {
            Some(loaded) => holds(&self.path, loaded.as_bytes()),
            None => match fs::read(&self.path) {
                Ok(_) => Ok(false),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
                Err(e) => Err(e),
            },
        }
        .map_err(|e| Error::io("cannot read", &self.path, e))?;
        if !unchanged {
            return Err(Error::ConfigChanged {
                path: self.path.clone(),
            });
        }
        let current = self.loaded.clone();
        if current.as_deref().map(String::as_bytes) == Some(text.as_bytes()) {
            return Ok(false);
        }
        if let Some(old) = &current {
            backup(backups, &self.path, old.as_bytes(), now)?;
        }
        write_atomic(&self.path, text.as_bytes(), fault)
            .map_err(|e| Error::io("cannot write", &self.path, e))?;
        self.loaded = Some(Arc::new(text));
        Ok(true)
    }
}

/// The version of a file holding `text` (see [`ConfigFile::version`]).
pub fn version_of(text: &str) -> String {
    use sha1::Digest;
    hex::encode(sha1::Sha1::digest(text.as_bytes()))
}

/// Whether the file at `path` holds exactly `expected` (a missing file does not), read in
/// pieces and compared as it comes.
fn holds(path: &Path, expected: &[u8]) -> io::Result<bool> {
    use std::io::Read;
    let mut file = match fs::File::open(path) {
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

/// How often an edit is re-applied when the file keeps changing under it.
pub const SAVE_ATTEMPTS: u32 = 3;

/// Loads the file at `path`, applies `edit`, saves (validated, backed up, atomic). When another
/// program changed the file since it was read, reloads and re-applies `edit`, up to
/// [`SAVE_ATTEMPTS`] times: its change is never overwritten. Returns `edit`'s result and
/// whether anything was written.
pub fn edit_and_save<T>(
    ctx: &Context,
    path: &Path,
    mut edit: impl FnMut(&mut ConfigFile) -> Result<T>,
) -> Result<(T, bool)> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut file = ConfigFile::load(path)?;
        let out = edit(&mut file)?;
        match file.save(ctx) {
            Ok(written) => return Ok((out, written)),
            Err(Error::ConfigChanged { .. }) if attempt < SAVE_ATTEMPTS => continue,
            Err(e) => return Err(e),
        }
    }
}

fn refused(path: &Path, problems: &[view::ParseProblem]) -> Error {
    let first = &problems[0];
    Error::ConfigRefused {
        path: path.to_owned(),
        line: first.line,
        message: first.message.clone(),
    }
}

pub use crate::fsio::WriteStage;

/// Writes a config or credentials file atomically, keeping an existing file's mode (0600 for a
/// new one); see [`crate::fsio::write_atomic_with`]. `fault` is the tests' injection point.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    fault: &mut dyn FnMut(WriteStage) -> io::Result<()>,
) -> io::Result<()> {
    crate::fsio::write_atomic_with(path, bytes, crate::fsio::ModePolicy::KeepExisting, fault)
}

/// Length of the timestamp-and-sequence part of a backup name: `20260101T080000.123Z-000`.
const STAMP_LEN: usize = 24;

fn backup_prefix(file: &Path) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".into());
    format!("{name}-")
}

fn is_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == STAMP_LEN
        && b.iter().enumerate().all(|(i, c)| match i {
            8 => *c == b'T',
            15 => *c == b'.',
            19 => *c == b'Z',
            20 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The backups of `file` in `dir`, most recent first.
pub fn list_backups(dir: &Path, file: &Path) -> Result<Vec<PathBuf>> {
    let prefix = backup_prefix(file);
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot list", dir, e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            n.strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(".bak"))
                .is_some_and(is_stamp)
        })
        .collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    Ok(names.into_iter().map(|n| dir.join(n)).collect())
}

/// Saves `bytes` (the version of `file` about to be replaced) as a new backup named
/// `<file name>-<UTC time>-<seq>.bak`, 0600, and prunes to the last [`BACKUPS_KEPT`].
pub fn backup(dir: &Path, file: &Path, bytes: &[u8], now: OffsetDateTime) -> Result<PathBuf> {
    crate::dirs::create_private_dir(dir)?;
    let now = now.to_offset(time::UtcOffset::UTC);
    let stamp = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    );
    let prefix = backup_prefix(file);
    // Same-millisecond saves get increasing sequence numbers, so names sort by age.
    let same_stamp = format!("{prefix}{stamp}-");
    let mut seq = list_backups(dir, file)?
        .iter()
        .filter_map(|p| {
            p.file_name()?
                .to_str()?
                .strip_prefix(&same_stamp)?
                .get(..3)?
                .parse::<u32>()
                .ok()
        })
        .max()
        .map_or(0, |m| m + 1);
    let path = loop {
        let p = dir.join(format!("{prefix}{stamp}-{seq:03}.bak"));
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&p) {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| Error::io("cannot write backup", &p, e))?;
                break p;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && seq < 999 => seq += 1,
            Err(e) => return Err(Error::io("cannot write backup", &p, e)),
        }
    };
    for old in list_backups(dir, file)?.into_iter().skip(BACKUPS_KEPT) {
        fs::remove_file(&old).map_err(|e| Error::io("cannot remove old backup", &old, e))?;
    }
    Ok(path)
}

/// Puts back the `n`th most recent backup (1 = the latest) of the file, through the same safe
/// save (so the version being replaced is itself backed up first). Returns the backup used.
pub fn restore(ctx: &Context, file: &mut ConfigFile, n: usize) -> Result<PathBuf> {
    let dir = ctx.dirs.backups_dir();
    let all = list_backups(&dir, file.path())?;
    let chosen = n
        .checked_sub(1)
        .and_then(|i| all.get(i))
        .cloned()
        .ok_or(Error::NoBackup {
            n,
            available: all.len(),
        })?;
    let bytes = fs::read(&chosen).map_err(|e| Error::io("cannot read", &chosen, e))?;
    file.doc = Document::parse_bytes_owned(bytes).map_err(|e| Error::ConfigRefused {
        path: chosen.clone(),
        line: e.line,
        message: "the backup is not valid UTF-8".into(),
    })?;
    file.save(ctx)?;
    Ok(chosen)
}
