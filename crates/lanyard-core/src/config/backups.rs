//! Backups of the config and credentials files in `<data dir>/backups/`: the version each save
//! replaces (never an empty one, never a copy of the newest backup), the last 10 kept, 0600 —
//! and apart from that rotation the last good version (the last one Lanyard wrote, which
//! botocore reads), which ten more writes never rotate away. Listing with dates and sizes, restore, and scrubbing the role
//! secrets `credentials --write` left in them at sign-out.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use aws_config_edit::Document;
use time::OffsetDateTime;

use super::files::ConfigFile;
use crate::config::error::{ConfigError, Result};
use crate::context::Context;

/// How many backups of each file are kept in the rotation.
pub const BACKUPS_KEPT: usize = 10;

/// Length of the timestamp-and-sequence part of a backup name: `20260101T080000.123Z-000`.
const STAMP_LEN: usize = 24;

fn file_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".into())
}

fn backup_prefix(file: &Path) -> String {
    format!("{}-", file_name(file))
}

/// The last good version of `file`, kept apart from the rotation.
pub fn last_good_path(dir: &Path, file: &Path) -> PathBuf {
    dir.join(format!("{}-last-good.bak", file_name(file)))
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

/// The backups of `file` in `dir` (the rotation), most recent first.
pub fn list_backups(dir: &Path, file: &Path) -> Result<Vec<PathBuf>> {
    let prefix = backup_prefix(file);
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ConfigError::io("cannot list", dir, e)),
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
/// `<file name>-<UTC time>-<seq>.bak`, 0600, and prunes to the last [`BACKUPS_KEPT`]. A version
/// equal to the newest backup is not saved twice (its path is returned).
pub fn backup(dir: &Path, file: &Path, bytes: &[u8], now: OffsetDateTime) -> Result<PathBuf> {
    crate::dirs::create_private_dir(dir)?;
    let existing = list_backups(dir, file)?;
    if let Some(newest) = existing.first() {
        let same_size = fs::metadata(newest).is_ok_and(|m| m.len() == bytes.len() as u64);
        if same_size && fs::read(newest).is_ok_and(|b| b == bytes) {
            return Ok(newest.clone());
        }
    }
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
    let mut seq = existing
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
        match crate::fsio::create_new_private(&p) {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| ConfigError::io("cannot write backup", &p, e))?;
                break p;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && seq < 999 => seq += 1,
            Err(e) => return Err(ConfigError::io("cannot write backup", &p, e)),
        }
    };
    for old in list_backups(dir, file)?.into_iter().skip(BACKUPS_KEPT) {
        // Another process may have pruned it already.
        crate::fsio::remove_if_present(&old)?;
    }
    Ok(path)
}

/// [`backup`] of the version a save replaces, when it is not empty (an empty file is never a
/// backup worth having, and never pushes a good one out of the rotation).
pub(crate) fn backup_good(
    dir: &Path,
    file: &Path,
    bytes: &[u8],
    now: OffsetDateTime,
) -> Result<()> {
    if !bytes.is_empty() {
        backup(dir, file, bytes, now)?;
    }
    Ok(())
}

/// Keeps `bytes` — a version botocore reads, just written — as the last good version of `file`,
/// apart from the rotation: whatever another program does to the file afterwards (empties it,
/// say) and however many writes follow, `config restore --last-good` brings it back. A version
/// less than half the size of the one kept (an edit made on a wiped file) does not replace it.
pub(crate) fn keep_last_good(dir: &Path, file: &Path, bytes: &[u8]) -> Result<()> {
    let path = last_good_path(dir, file);
    let kept = fs::metadata(&path).map_or(0, |m| m.len());
    if bytes.is_empty() || (bytes.len() as u64) < kept / 2 {
        return Ok(());
    }
    // Atomic (temp file, rename) but not synced: it is a second copy of a version the config
    // file itself holds, and an fsync of a large file costs the save more than all the rest.
    Ok(crate::fsio::write_private_unsynced(&path, bytes)?)
}

/// One version `config restore` can put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// Its number for `config restore N` (1 = the latest); `None` for the last good version.
    pub n: Option<usize>,
    /// The backup file.
    pub path: PathBuf,
    /// When it was replaced (from its name; the file's time for the last good one).
    pub when: Option<OffsetDateTime>,
    /// Its size in bytes.
    pub size: u64,
}

fn stamp_time(s: &str) -> Option<OffsetDateTime> {
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let date = time::Date::from_calendar_date(
        i32::try_from(n(0..4)?).ok()?,
        time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?,
        u8::try_from(n(6..8)?).ok()?,
    )
    .ok()?;
    let t = time::Time::from_hms_milli(
        u8::try_from(n(9..11)?).ok()?,
        u8::try_from(n(11..13)?).ok()?,
        u8::try_from(n(13..15)?).ok()?,
        u16::try_from(n(16..19)?).ok()?,
    )
    .ok()?;
    Some(date.with_time(t).assume_utc())
}

/// Every version of `file` that can be restored: the rotation, newest first, then the last
/// good version.
pub fn list(dir: &Path, file: &Path) -> Result<Vec<BackupInfo>> {
    let prefix = backup_prefix(file);
    let mut out = Vec::new();
    for (i, path) in list_backups(dir, file)?.into_iter().enumerate() {
        let stamp = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix(&prefix))
            .unwrap_or_default()
            .to_owned();
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        out.push(BackupInfo {
            n: Some(i + 1),
            when: stamp_time(&stamp),
            path,
            size,
        });
    }
    let last = last_good_path(dir, file);
    if let Ok(m) = fs::metadata(&last) {
        out.push(BackupInfo {
            n: None,
            when: m.modified().ok().map(OffsetDateTime::from),
            path: last,
            size: m.len(),
        });
    }
    Ok(out)
}

/// Which backup to put back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The `n`th most recent (1 = the latest).
    Nth(usize),
    /// The last good version.
    LastGood,
}

/// Puts back the `n`th most recent backup (1 = the latest) of the file, through the same safe
/// save (so the version being replaced is itself backed up first). Returns the backup used.
pub fn restore(ctx: &Context, file: &mut ConfigFile, n: usize) -> Result<PathBuf> {
    restore_which(ctx, file, Which::Nth(n))
}

/// [`restore`] of any version [`list`] shows.
pub fn restore_which(ctx: &Context, file: &mut ConfigFile, which: Which) -> Result<PathBuf> {
    let dir = ctx.dirs.backups_dir();
    let all = list_backups(&dir, file.path())?;
    let chosen = match which {
        Which::Nth(n) => n.checked_sub(1).and_then(|i| all.get(i)).cloned(),
        Which::LastGood => Some(last_good_path(&dir, file.path())).filter(|p| p.exists()),
    }
    .ok_or(ConfigError::NoBackup {
        n: match which {
            Which::Nth(n) => n,
            Which::LastGood => 0,
        },
        available: all.len(),
    })?;
    let bytes = fs::read(&chosen).map_err(|e| ConfigError::io("cannot read", &chosen, e))?;
    file.doc = Document::parse_bytes_owned(bytes).map_err(|e| ConfigError::ConfigRefused {
        path: chosen.clone(),
        line: e.line,
        message: "the backup is not valid UTF-8".into(),
    })?;
    file.save(ctx)?;
    Ok(chosen)
}

/// Rewrites every backup of `file` in the rotation that `scrub` changes — sign-out takes the
/// role credentials `credentials --write` wrote out of them — and makes `now` (the file as
/// sign-out just wrote it) the last good version when `scrub` would change the one kept.
/// Returns how many were rewritten.
pub fn scrub(
    dir: &Path,
    file: &Path,
    now: &[u8],
    scrub: impl Fn(&mut Document) -> Result<bool>,
) -> Result<usize> {
    let mut n = 0;
    let last = last_good_path(dir, file);
    if let Some(mut doc) = fs::read(&last)
        .ok()
        .and_then(|b| Document::parse_bytes_owned(b).ok())
    {
        if scrub(&mut doc)? {
            crate::fsio::write_private(&last, now)?;
            n += 1;
        }
    }
    for p in list_backups(dir, file)? {
        let Ok(bytes) = fs::read(&p) else { continue };
        let Ok(mut doc) = Document::parse_bytes_owned(bytes) else {
            continue;
        };
        if scrub(&mut doc)? {
            crate::fsio::write_private(&p, doc.to_text().as_bytes())?;
            n += 1;
        }
    }
    Ok(n)
}
