//! Secure mode's [`TokenStore`]: the OS keychain through the `keyring` crate — the Secret
//! Service (gnome-keyring, KWallet) on Linux, the Keychain on macOS, the Credential Manager on
//! Windows — chosen explicitly per platform, so that Lanyard never falls back to keyring's
//! in-memory mock (nothing would persist) or to Linux keyutils (gone at logout). Items live
//! under the service `lanyard`, one per thing so each stays small (Windows caps a secret at
//! 2,560 bytes): account `S:token`, `S:registration`, `S:role:<account_id>:<role_name>`, each
//! holding the same JSON the AWS CLI's cache file would, stored as UTF-8 bytes (not Windows'
//! UTF-16, which would halve the room) — except that the token item leaves out the client
//! secret, which the registration item holds already (the token names its `clientId`; the
//! secret is taken back from the registration with that id when the token is read).
//!
//! macOS: every item is created by the same signed binary, so one keychain access group
//! covers them and the person is asked once, not on every call (aws-vault#211); an unsigned
//! debug build is asked again after each rebuild.

use std::path::PathBuf;

use keyring::credential::CredentialBuilder;
use serde_json::Value;

use super::error::Result;
use super::store::{RegistrationKey, SessionId, Storage, TokenStore};
use crate::cache::registration::Registration;
use crate::cache::role_credentials::RoleCredentials;
use crate::cache::token::TokenFile;
use crate::secret::Secret;

/// The keychain service name of every Lanyard item.
pub const SERVICE: &str = "lanyard";

/// What the keychain is called on this platform, for messages.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
const WHAT: &str =
    "a Secret Service (gnome-keyring or KWallet) running and unlocked on the D-Bus session bus";
#[cfg(target_os = "macos")]
const WHAT: &str = "the macOS Keychain, unlocked";
#[cfg(target_os = "windows")]
const WHAT: &str = "the Windows Credential Manager";
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
const WHAT: &str = "an OS keychain, which this platform does not have";

/// Why the keychain could not be used. Never carries a secret (nor the bytes of an item).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeychainError {
    /// No keychain to talk to (no Secret Service on the bus, locked, access refused).
    #[error("no keychain is available for session {session}: secure mode (lanyard_storage = keychain) needs {WHAT} ({detail})")]
    Unavailable {
        /// The session whose item was asked for.
        session: String,
        /// What the platform said.
        detail: String,
    },
    /// The keychain answered but refused or failed this item.
    #[error("the keychain item {SERVICE}/{item} cannot be used: {detail}")]
    Failed {
        /// The item's account name.
        item: String,
        /// Why.
        detail: String,
    },
    /// This platform has no keychain Lanyard can use.
    #[error("secure mode needs {WHAT}")]
    Unsupported,
}

impl KeychainError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            KeychainError::Unavailable { .. } | KeychainError::Unsupported => {
                "keychain_unavailable"
            }
            KeychainError::Failed { .. } => "keychain",
        }
    }
}

/// The platform's real credential store: never keyring's mock.
fn platform_builder() -> Option<Box<CredentialBuilder>> {
    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    return Some(keyring::secret_service::default_credential_builder());
    #[cfg(target_os = "macos")]
    return Some(keyring::macos::default_credential_builder());
    #[cfg(target_os = "windows")]
    return Some(keyring::windows::default_credential_builder());
    #[allow(unreachable_code)]
    None
}

/// The account name of a session's token item.
pub fn token_account(id: &SessionId) -> String {
    format!("{}:token", id.cache_key())
}

/// The account name of a session's registration item.
pub fn registration_account(session: &str) -> String {
    format!("{session}:registration")
}

/// The account name of a role's credentials item.
pub fn role_account(id: &SessionId, account: &str, role: &str) -> String {
    format!("{}:role:{account}:{role}", id.cache_key())
}

/// The OS keychain as a [`TokenStore`].
pub struct KeychainStore {
    builder: Option<Box<CredentialBuilder>>,
}

impl std::fmt::Debug for KeychainStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeychainStore")
            .field("service", &SERVICE)
            .finish()
    }
}

impl Default for KeychainStore {
    fn default() -> Self {
        KeychainStore::new()
    }
}

impl KeychainStore {
    /// The platform's keychain (no I/O until an item is used).
    pub fn new() -> Self {
        KeychainStore {
            builder: platform_builder(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, KeychainError> {
        let builder = self.builder.as_ref().ok_or(KeychainError::Unsupported)?;
        let credential = builder
            .build(None, SERVICE, account)
            .map_err(|e| map_err(account, e))?;
        Ok(keyring::Entry::new_with_credential(credential))
    }

    fn get(&self, account: &str) -> Result<Option<Secret>, KeychainError> {
        match self.entry(account)?.get_secret() {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(Some(Secret::from(text))),
                Err(e) => {
                    // The bytes are the secret: wiped, never quoted.
                    drop(zeroize::Zeroizing::new(e.into_bytes()));
                    Err(map_err(account, keyring::Error::BadEncoding(Vec::new())))
                }
            },
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(account, e)),
        }
    }

    fn set(&self, account: &str, text: &Secret) -> Result<(), KeychainError> {
        self.entry(account)?
            .set_secret(text.expose().as_bytes())
            .map_err(|e| map_err(account, e))
    }

    /// A session's registration item: the cache key it was made for, and the registration.
    fn read_registration(&self, account: &str) -> Result<Option<(String, Registration)>> {
        let Some(text) = self.get(account)? else {
            return Ok(None);
        };
        let path = item_path(account);
        let malformed = || -> crate::sessions::error::SessionsError {
            crate::cache::CacheError::Malformed {
                path: path.clone(),
                reason: "not a Lanyard registration item".into(),
            }
            .into()
        };
        let Ok(Value::Object(mut wrapper)) = serde_json::from_str::<Value>(text.expose()) else {
            return Err(malformed());
        };
        let key = wrapper
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(reg) = wrapper.remove("registration") else {
            return Err(malformed());
        };
        let reg_text = Secret::new(reg.to_string());
        Ok(Some((key, Registration::parse(reg_text.expose(), &path)?)))
    }

    fn delete(&self, account: &str) -> Result<bool, KeychainError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_err(account, e)),
        }
    }
}

/// Where an item's parse errors say it is (no file: the keychain item's name).
fn item_path(account: &str) -> PathBuf {
    PathBuf::from(format!("keychain:{SERVICE}/{account}"))
}

fn map_err(account: &str, e: keyring::Error) -> KeychainError {
    let session = match account.split_once(":role:") {
        Some((s, _)) => s,
        None => account.rsplit_once(':').map_or(account, |(s, _)| s),
    }
    .to_owned();
    let failed = |detail: String| KeychainError::Failed {
        item: account.to_owned(),
        detail,
    };
    match e {
        keyring::Error::PlatformFailure(d) | keyring::Error::NoStorageAccess(d) => {
            KeychainError::Unavailable {
                session,
                detail: d.to_string(),
            }
        }
        // The bytes are the secret: never quoted.
        keyring::Error::BadEncoding(_) => failed("it is not UTF-8 text".into()),
        keyring::Error::TooLong(what, limit) => failed(format!(
            "its {what} is longer than the keychain allows ({limit})"
        )),
        keyring::Error::Invalid(what, why) => failed(format!("its {what} is invalid: {why}")),
        keyring::Error::Ambiguous(items) => failed(format!("{} items match it", items.len())),
        other => failed(other.to_string()),
    }
}

impl TokenStore for KeychainStore {
    fn storage(&self) -> Storage {
        Storage::Keychain
    }

    fn ensure_available(&self, id: &SessionId) -> Result<()> {
        // A read of the session's token item, which may not exist: NoEntry means it works.
        self.get(&token_account(id))?;
        Ok(())
    }

    fn load_token(&self, id: &SessionId) -> Result<Option<TokenFile>> {
        let account = token_account(id);
        let Some(text) = self.get(&account)? else {
            return Ok(None);
        };
        let mut token = TokenFile::parse(text.expose(), &item_path(&account))?;
        if token.client_secret.is_none() {
            if let Some(client_id) = token.client_id.clone() {
                match self.read_registration(&registration_account(id.cache_key())) {
                    Ok(Some((_, reg))) if reg.client_id == client_id => {
                        token.client_secret = Some(reg.client_secret);
                    }
                    // Another client's registration (or none): the token cannot refresh.
                    Ok(_) => {}
                    Err(e @ crate::sessions::error::SessionsError::Keychain(_)) => return Err(e),
                    Err(e) => {
                        tracing::warn!(error = %e, "ignoring an unreadable registration item")
                    }
                }
            }
        }
        Ok(Some(token))
    }

    fn save_token(&self, id: &SessionId, token: &TokenFile) -> Result<()> {
        let slim = TokenFile {
            client_secret: None,
            ..token.clone()
        };
        Ok(self.set(&token_account(id), &Secret::new(slim.to_cli_json()))?)
    }

    fn delete_token(&self, id: &SessionId) -> Result<bool> {
        Ok(self.delete(&token_account(id))?)
    }

    /// The item is `{"key": <the registration's cache key>, "registration": {...}}`: a session
    /// keeps one registration, and one made for another start URL, region or scopes (the
    /// session was edited since) is not reused.
    fn load_registration(&self, key: &RegistrationKey) -> Result<Option<Registration>> {
        let account = registration_account(key.session_name.as_deref().unwrap_or(&key.start_url));
        Ok(self
            .read_registration(&account)?
            .filter(|(made_for, _)| *made_for == key.file_stem())
            .map(|(_, reg)| reg))
    }

    fn save_registration(&self, key: &RegistrationKey, reg: &Registration) -> Result<()> {
        let account = registration_account(key.session_name.as_deref().unwrap_or(&key.start_url));
        let reg_json = Secret::new(reg.to_cli_json());
        let inner: Value = serde_json::from_str(reg_json.expose()).unwrap_or(Value::Null);
        let mut wrapper = serde_json::Map::new();
        wrapper.insert("key".into(), key.file_stem().into());
        wrapper.insert("registration".into(), inner);
        let text = Secret::new(Value::Object(wrapper).to_string());
        Ok(self.set(&account, &text)?)
    }

    fn delete_registration(&self, key: &RegistrationKey) -> Result<bool> {
        let account = registration_account(key.session_name.as_deref().unwrap_or(&key.start_url));
        Ok(self.delete(&account)?)
    }

    fn load_role_credentials(
        &self,
        id: &SessionId,
        account: &str,
        role: &str,
    ) -> Result<Option<RoleCredentials>> {
        let item = role_account(id, account, role);
        match self.get(&item)? {
            Some(text) => Ok(RoleCredentials::parse(text.expose(), &item_path(&item))?),
            None => Ok(None),
        }
    }

    fn save_role_credentials(
        &self,
        id: &SessionId,
        account: &str,
        role: &str,
        creds: &RoleCredentials,
    ) -> Result<()> {
        let item = role_account(id, account, role);
        Ok(self.set(&item, &Secret::new(creds.to_cli_json()))?)
    }

    fn delete_role_credentials(&self, id: &SessionId, account: &str, role: &str) -> Result<bool> {
        Ok(self.delete(&role_account(id, account, role))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_named_by_session_and_role() {
        let id = SessionId::Session("corp".into());
        assert_eq!(token_account(&id), "corp:token");
        assert_eq!(registration_account("corp"), "corp:registration");
        assert_eq!(
            role_account(&id, "111122223333", "Admin"),
            "corp:role:111122223333:Admin"
        );
    }

    #[test]
    fn errors_name_the_session_and_never_the_bytes() {
        let e = map_err(
            "corp:role:1:Admin",
            keyring::Error::BadEncoding(b"s3cr3t".to_vec()),
        );
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
        let e = map_err(
            "corp:role:1:Admin",
            keyring::Error::NoStorageAccess("locked".into()),
        );
        assert_eq!(e.code(), "keychain_unavailable");
        assert!(e.to_string().contains("session corp:"), "{e}");
        assert!(e.to_string().contains("(locked)"), "{e}");
        let e = map_err(
            "corp:token",
            keyring::Error::PlatformFailure("no bus".into()),
        );
        assert!(e.to_string().contains("session corp:"), "{e}");
    }
}
