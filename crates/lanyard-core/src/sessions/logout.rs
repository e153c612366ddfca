//! Sign-out as `aws sso logout` does it (PROTOCOL §4.4): the portal's Logout (errors ignored),
//! then the token is deleted, then the session's SSO role credentials (in `~/.aws/cli/cache`,
//! or the keychain in secure mode); client registrations are kept unless the session is
//! forgotten ([`forget_session`]). For one session the role-credential entries are found by
//! their keys (the session's profiles); for all sessions every SSO entry of the CLI's cache
//! goes, as the CLI does.

use std::path::{Path, PathBuf};

use super::error::{Result, SessionsError};
use super::history::History;
use super::store::{RegistrationKey, SessionId, TokenStore};
use crate::cache::role_credentials::RoleCredentials;
use crate::dirs::Dirs;
use crate::fsio::remove_if_present;

/// What a sign-out removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogoutReport {
    /// Whether a token was there and is now gone.
    pub token_removed: bool,
    /// Whether the portal confirmed the sign-out (false when unreachable or already invalid).
    pub portal_confirmed: bool,
    /// How many cached role credentials were removed.
    pub role_credentials_removed: usize,
}

/// `~/.aws/cli/cache` of a home folder.
pub fn cli_cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("cli").join("cache")
}

/// Signs one session out. `roles` are the (account id, role name) pairs of its profiles.
pub async fn logout_session(
    http: &reqwest::Client,
    portal_base: &str,
    store: &dyn TokenStore,
    dirs: &Dirs,
    id: &SessionId,
    roles: &[(String, String)],
) -> Result<LogoutReport> {
    let mut report = LogoutReport::default();
    match store.load_token(id) {
        Ok(Some(token)) => {
            match crate::portal::logout(http, portal_base, &token.access_token).await {
                Ok(()) => report.portal_confirmed = true,
                Err(e) => tracing::info!(error = %e, "portal logout failed; signing out locally"),
            }
        }
        Ok(None) => {}
        // A damaged token file cannot be signed out on the service's side, but the sign-out
        // still removes it and sweeps the session's role credentials, as `aws sso logout` does.
        Err(e) => tracing::warn!(error = %e, "unreadable token; signing out locally"),
    }
    report.token_removed = store.delete_token(id)?;
    for (account, role) in roles {
        if store.delete_role_credentials(id, account, role)? {
            report.role_credentials_removed += 1;
        }
    }
    History::new(dirs).forget(id.cache_key())?;
    Ok(report)
}

/// After a sign-out, removes what a sign-out keeps: the session's client registration (with
/// `lanyard logout --forget`, so that nothing of the session stays in its store). Whether
/// there was one.
pub fn forget_session(store: &dyn TokenStore, key: &RegistrationKey) -> Result<bool> {
    store.delete_registration(key)
}

/// Removes every SSO role-credential entry from `~/.aws/cli/cache` (what `aws sso logout`
/// does); assume-role entries stay.
pub fn remove_all_sso_role_credentials(home: &Path) -> Result<Vec<PathBuf>> {
    let dir = cli_cache_dir(home);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(SessionsError::io("cannot list", &dir, e)),
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if matches!(RoleCredentials::parse(&text, &path), Ok(Some(_))) && remove_if_present(&path)?
        {
            removed.push(path);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_all_sso_entries_keeps_assume_role_entries() {
        let home = tempfile::tempdir().expect("tempdir");
        let dir = cli_cache_dir(home.path());
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(
            dir.join("a.json"),
            r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "A", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-01-01T00:00:00Z"}}"#,
        )
        .expect("write");
        std::fs::write(
            dir.join("b.json"),
            r#"{"Credentials": {"AccessKeyId": "B"}}"#,
        )
        .expect("write");
        let removed = remove_all_sso_role_credentials(home.path()).expect("remove");
        assert_eq!(removed, vec![dir.join("a.json")]);
        assert!(dir.join("b.json").exists());
    }
}
