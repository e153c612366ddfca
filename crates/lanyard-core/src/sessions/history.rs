//! What Lanyard remembers about each session beyond the AWS CLI's cache: when it was signed in
//! (the session-end estimate needs it), which tokens it made or saw (their lineage, to tell a
//! sign-in by another program from a refresh — [`super::evidence`]) and, once the service refused
//! the session, when and why it ended. Kept in `<data dir>/sessions.json`, updated under a lock
//! so processes never lose an entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::error::{Result, SessionsError};
use super::lock::SessionLock;
use crate::cache::timefmt::{format_cli, parse_lenient};
use crate::cache::token::TokenFile;
use crate::dirs::Dirs;
use crate::fsio::write_private;

/// One session's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The last sign-in, as `…Z` text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in_at: Option<String>,
    /// When the service refused a refresh (the Identity Center session had ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    /// Why it ended, e.g. `invalid_grant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<String>,
    /// When Lanyard last obtained an access token (sign-in or refresh)...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_obtained_at: Option<String>,
    /// ...and that token's expiry, which tells its lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_expires_at: Option<String>,
    /// Fingerprints of the last tokens Lanyard obtained or saw (newest last, a few at most):
    /// a token whose fingerprint is not here is news ([`super::evidence::fingerprint`]; a
    /// truncated SHA-256, from which no token can be recovered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lineage: Vec<String>,
    /// The client id of the registration the session's token was issued to (not a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Whether the last sign-in was made by another program (the AWS CLI, an SDK) and its time
    /// is when Lanyard saw it (the watcher, else the file's modification time).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signed_in_elsewhere: bool,
}

/// How many token fingerprints a record keeps.
pub const LINEAGE_KEPT: usize = 4;

impl SessionRecord {
    /// This record after a sign-in at `at` that produced `token`.
    pub fn sign_in(&mut self, at: OffsetDateTime, token: &TokenFile, elsewhere: bool) {
        self.signed_in_at = Some(format_cli(at));
        self.ended_at = None;
        self.end_reason = None;
        self.signed_in_elsewhere = elsewhere;
        self.lineage.clear();
        self.refreshed(at, token);
    }

    /// This record after a refresh at `at` that produced `token`.
    pub fn refreshed(&mut self, at: OffsetDateTime, token: &TokenFile) {
        self.token_obtained_at = Some(format_cli(at));
        self.token_expires_at = Some(format_cli(token.expires_at));
        self.client_id.clone_from(&token.client_id);
        let fp = super::evidence::fingerprint(token);
        self.lineage.retain(|f| *f != fp);
        self.lineage.push(fp);
        let extra = self.lineage.len().saturating_sub(LINEAGE_KEPT);
        self.lineage.drain(..extra);
    }

    /// Whether `token` is one Lanyard obtained or already saw.
    pub fn knows(&self, token: &TokenFile) -> bool {
        self.lineage.contains(&super::evidence::fingerprint(token))
    }

    /// When the last token was obtained (or seen written).
    pub fn token_obtained(&self) -> Option<OffsetDateTime> {
        self.token_obtained_at.as_deref().and_then(parse_lenient)
    }

    /// The recorded expiry of the last token obtained or seen.
    pub fn last_token_expiry(&self) -> Option<OffsetDateTime> {
        self.token_expires_at.as_deref().and_then(parse_lenient)
    }

    /// The last sign-in time.
    pub fn signed_in(&self) -> Option<OffsetDateTime> {
        self.signed_in_at.as_deref().and_then(parse_lenient)
    }

    /// When the session was found ended, if it was (and not signed in again since).
    pub fn ended(&self) -> Option<OffsetDateTime> {
        self.ended_at.as_deref().and_then(parse_lenient)
    }

    /// The lifetime of the access token Lanyard last obtained, if `expires_at` is still that
    /// token's expiry (another tool may have replaced the token since).
    pub fn token_lifetime(&self, expires_at: OffsetDateTime) -> Option<time::Duration> {
        if self.token_expires_at.as_deref() != Some(format_cli(expires_at).as_str()) {
            return None;
        }
        let obtained = self.token_obtained_at.as_deref().and_then(parse_lenient)?;
        Some(expires_at - obtained)
    }
}

/// The records of every session, by cache key (session name or legacy start URL).
#[derive(Debug, Clone)]
pub struct History {
    path: PathBuf,
    locks: PathBuf,
}

impl History {
    /// The history in Lanyard's data folder.
    pub fn new(dirs: &Dirs) -> Self {
        History {
            path: dirs.data_dir().join("sessions.json"),
            locks: dirs.locks_dir(),
        }
    }

    /// Every record (empty when none was written yet).
    pub fn load(&self) -> Result<BTreeMap<String, SessionRecord>> {
        read(&self.path)
    }

    /// One session's record.
    pub fn get(&self, key: &str) -> Result<SessionRecord> {
        Ok(self.load()?.remove(key).unwrap_or_default())
    }

    /// Records a sign-in Lanyard made (and clears an earlier end). Called before the token is
    /// saved, so a process that sees the new file already knows it as Lanyard's.
    pub fn record_sign_in(&self, key: &str, at: OffsetDateTime, token: &TokenFile) -> Result<()> {
        self.update(key, |r| r.sign_in(at, token, false))
    }

    /// Records a refresh Lanyard made (before the refreshed token is saved, as sign-in).
    pub fn record_refresh(&self, key: &str, at: OffsetDateTime, token: &TokenFile) -> Result<()> {
        self.update(key, |r| r.refreshed(at, token))
    }

    /// Records what [`super::evidence::observe`] concluded about a token Lanyard did not make,
    /// unless another process recorded something about that token meanwhile.
    pub fn record_observed(&self, key: &str, seen: &SessionRecord) -> Result<SessionRecord> {
        let _lock = SessionLock::acquire(&self.locks, "sessions-history")?;
        let mut all = read(&self.path)?;
        let entry = all.entry(key.to_owned()).or_default();
        let newest = seen.lineage.last();
        if newest.is_some() && entry.lineage.last() == newest {
            return Ok(entry.clone());
        }
        *entry = seen.clone();
        let out = entry.clone();
        write(&self.path, &all)?;
        Ok(out)
    }

    /// Records that the session ended.
    pub fn record_end(&self, key: &str, at: OffsetDateTime, reason: &str) -> Result<()> {
        self.update(key, |r| {
            r.ended_at = Some(format_cli(at));
            r.end_reason = Some(reason.to_owned());
        })
    }

    /// Forgets a session (sign-out).
    pub fn forget(&self, key: &str) -> Result<()> {
        let _lock = SessionLock::acquire(&self.locks, "sessions-history")?;
        let mut all = read(&self.path)?;
        if all.remove(key).is_some() {
            write(&self.path, &all)?;
        }
        Ok(())
    }

    fn update(&self, key: &str, f: impl FnOnce(&mut SessionRecord)) -> Result<()> {
        let _lock = SessionLock::acquire(&self.locks, "sessions-history")?;
        let mut all = read(&self.path)?;
        f(all.entry(key.to_owned()).or_default());
        write(&self.path, &all)
    }
}

fn read(path: &Path) -> Result<BTreeMap<String, SessionRecord>> {
    match std::fs::read_to_string(path) {
        // A damaged history only loses estimates; never let it block sign-in.
        Ok(text) => Ok(serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!(path = %path.display(), error = %e, "ignoring an unreadable session history");
            BTreeMap::new()
        })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(SessionsError::io("cannot read", path, e)),
    }
}

fn write(path: &Path, all: &BTreeMap<String, SessionRecord>) -> Result<()> {
    let text =
        serde_json::to_string_pretty(all).map_err(|e| SessionsError::logging(e.to_string()))?;
    Ok(write_private(path, text.as_bytes())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;
    use time::macros::datetime;

    #[test]
    fn sign_in_and_end_are_remembered_and_a_new_sign_in_clears_the_end() {
        let home = tempfile::tempdir().expect("tempdir");
        let dirs = Dirs::from_env(&Env::from_pairs([("HOME", home.path())])).expect("dirs");
        let h = History::new(&dirs);
        assert_eq!(h.get("corp").expect("get"), SessionRecord::default());
        let token =
            |exp| crate::sessions::test_token::token(exp, true, datetime!(2026-03-01 00:00 UTC));
        h.record_sign_in(
            "corp",
            datetime!(2026-01-01 08:00 UTC),
            &token(datetime!(2026-01-01 09:00 UTC)),
        )
        .expect("rec");
        let r = h.get("corp").expect("get");
        assert!(r.knows(&token(datetime!(2026-01-01 09:00 UTC))));
        assert_eq!(
            r.token_lifetime(datetime!(2026-01-01 09:00 UTC)),
            Some(time::Duration::hours(1))
        );
        // Another tool replaced the token: its lifetime is unknown.
        assert_eq!(r.token_lifetime(datetime!(2026-01-01 09:30 UTC)), None);
        h.record_end("corp", datetime!(2026-01-01 16:00 UTC), "invalid_grant")
            .expect("end");
        let r = h.get("corp").expect("get");
        assert_eq!(r.signed_in(), Some(datetime!(2026-01-01 08:00 UTC)));
        assert_eq!(r.ended(), Some(datetime!(2026-01-01 16:00 UTC)));
        h.record_sign_in(
            "corp",
            datetime!(2026-01-02 08:00 UTC),
            &token(datetime!(2026-01-02 09:00 UTC)),
        )
        .expect("rec");
        assert_eq!(h.get("corp").expect("get").ended(), None);
        h.forget("corp").expect("forget");
        assert_eq!(h.get("corp").expect("get"), SessionRecord::default());
    }
}
