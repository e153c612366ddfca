//! Where tokens, client registrations and role credentials live, behind [`TokenStore`]: the
//! file store is exactly the AWS CLI's caches (`~/.aws/sso/cache/`, `~/.aws/cli/cache/`), so
//! both tools share one login; secure mode (`lanyard_storage = keychain`) uses the OS keychain
//! ([`super::keychain`]). A session's [`Storage`] is read from its `[sso-session]` section.

use std::path::{Path, PathBuf};

use super::error::{Result, SessionsError};
use crate::cache::keys::{
    registration_file_stem, role_credentials_file_stem, token_file_stem, RoleSessionKey,
};
use crate::cache::registration::Registration;
use crate::cache::role_credentials::RoleCredentials;
use crate::cache::token::TokenFile;
use crate::fsio::{remove_if_present, write_private};

/// Which token: an sso-session's (by name) or a legacy profile's (by its start URL as written).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionId {
    /// `[sso-session NAME]`.
    Session(String),
    /// A legacy profile's `sso_start_url`, exactly as configured.
    Legacy(String),
}

impl SessionId {
    /// The cache key: the session name or the start URL.
    pub fn cache_key(&self) -> &str {
        match self {
            SessionId::Session(n) | SessionId::Legacy(n) => n,
        }
    }

    /// The token file's stem (SHA-1 of the key).
    pub fn file_stem(&self) -> String {
        token_file_stem(self.cache_key())
    }

    /// The session's name for people: the session name, or the start URL for legacy ones.
    pub fn display_name(&self) -> &str {
        self.cache_key()
    }
}

// Where a session keeps its tokens is a config key: its type lives in the config engine
// (issue 21), and keeps its path here.
pub use crate::config::keys::{Storage, STORAGE_KEY};

/// What identifies a client registration (PROTOCOL §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationKey {
    /// The configured start URL.
    pub start_url: String,
    /// The session's `sso_region`.
    pub region: String,
    /// The configured scopes, if any.
    pub scopes: Option<Vec<String>>,
    /// The session name (None for legacy).
    pub session_name: Option<String>,
}

impl RegistrationKey {
    /// The registration file's stem.
    pub fn file_stem(&self) -> String {
        registration_file_stem(
            &self.start_url,
            &self.region,
            self.scopes.as_deref(),
            self.session_name.as_deref(),
        )
    }
}

/// Storage of tokens, registrations and role credentials.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// Which kind of store this is.
    fn storage(&self) -> Storage;
    /// Fails (with a message saying what is missing) when the store cannot be used at all for
    /// the session, e.g. no keychain; called before a sign-in or a move, so nothing is asked of
    /// the person or changed in vain.
    fn ensure_available(&self, _id: &SessionId) -> Result<()> {
        Ok(())
    }
    /// The session's token, if any.
    fn load_token(&self, id: &SessionId) -> Result<Option<TokenFile>>;
    /// Stores the session's token (atomically).
    fn save_token(&self, id: &SessionId, token: &TokenFile) -> Result<()>;
    /// Deletes the session's token; whether there was one.
    fn delete_token(&self, id: &SessionId) -> Result<bool>;
    /// When the session's token was last written, where the store can tell (a file's
    /// modification time); `None` otherwise (the keychain).
    fn token_written_at(&self, _id: &SessionId) -> Option<time::OffsetDateTime> {
        None
    }
    /// A stored registration, if any.
    fn load_registration(&self, key: &RegistrationKey) -> Result<Option<Registration>>;
    /// Stores a registration.
    fn save_registration(&self, key: &RegistrationKey, reg: &Registration) -> Result<()>;
    /// Deletes a registration; whether there was one.
    fn delete_registration(&self, key: &RegistrationKey) -> Result<bool>;
    /// Cached role credentials of (account, role) under the session, if any.
    fn load_role_credentials(
        &self,
        id: &SessionId,
        account: &str,
        role: &str,
    ) -> Result<Option<RoleCredentials>>;
    /// Caches role credentials.
    fn save_role_credentials(
        &self,
        id: &SessionId,
        account: &str,
        role: &str,
        creds: &RoleCredentials,
    ) -> Result<()>;
    /// Deletes cached role credentials; whether there were any.
    fn delete_role_credentials(&self, id: &SessionId, account: &str, role: &str) -> Result<bool>;
}

/// The AWS CLI's cache folders.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
    cli_dir: PathBuf,
}

impl FileStore {
    /// The store at `~/.aws/sso/cache` (tokens, registrations) and `~/.aws/cli/cache` (role
    /// credentials) of a home folder.
    pub fn for_home(home: &Path) -> Self {
        FileStore {
            dir: home.join(".aws").join("sso").join("cache"),
            cli_dir: super::logout::cli_cache_dir(home),
        }
    }

    /// The store with tokens in a given folder (`<home>/.aws/sso/cache`; role credentials
    /// then go to `<home>/.aws/cli/cache` beside it).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let cli_dir = match dir.parent().and_then(Path::parent) {
            Some(aws) => aws.join("cli").join("cache"),
            None => dir.join("cli-cache"),
        };
        FileStore { dir, cli_dir }
    }

    /// The role-credential cache file of (account, role) under a session (PROTOCOL §4.3).
    pub fn role_credentials_path(&self, id: &SessionId, account: &str, role: &str) -> PathBuf {
        let key = match id {
            SessionId::Session(n) => RoleSessionKey::SessionName(n),
            SessionId::Legacy(u) => RoleSessionKey::StartUrl(u),
        };
        self.cli_dir.join(format!(
            "{}.json",
            role_credentials_file_stem(account, role, key)
        ))
    }

    fn registration_path(&self, key: &RegistrationKey) -> PathBuf {
        self.dir.join(format!("{}.json", key.file_stem()))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The token file of a session.
    pub fn token_path(&self, id: &SessionId) -> PathBuf {
        self.dir.join(format!("{}.json", id.file_stem()))
    }

    fn read(&self, path: &Path) -> Result<Option<String>> {
        match std::fs::read_to_string(path) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(SessionsError::io("cannot read", path, e)),
        }
    }
}

impl TokenStore for FileStore {
    fn storage(&self) -> Storage {
        Storage::File
    }

    fn load_token(&self, id: &SessionId) -> Result<Option<TokenFile>> {
        let path = self.token_path(id);
        match self.read(&path)? {
            Some(text) => Ok(Some(TokenFile::parse(&text, &path)?)),
            None => Ok(None),
        }
    }

    fn save_token(&self, id: &SessionId, token: &TokenFile) -> Result<()> {
        Ok(write_private(
            &self.token_path(id),
            token.to_cli_json().as_bytes(),
        )?)
    }

    fn delete_token(&self, id: &SessionId) -> Result<bool> {
        Ok(remove_if_present(&self.token_path(id))?)
    }

    fn token_written_at(&self, id: &SessionId) -> Option<time::OffsetDateTime> {
        let modified = std::fs::metadata(self.token_path(id))
            .ok()?
            .modified()
            .ok()?;
        Some(time::OffsetDateTime::from(modified))
    }

    fn load_registration(&self, key: &RegistrationKey) -> Result<Option<Registration>> {
        let path = self.registration_path(key);
        match self.read(&path)? {
            Some(text) => Ok(Some(Registration::parse(&text, &path)?)),
            None => Ok(None),
        }
    }

    fn save_registration(&self, key: &RegistrationKey, reg: &Registration) -> Result<()> {
        Ok(write_private(
            &self.registration_path(key),
            reg.to_cli_json().as_bytes(),
        )?)
    }

    fn delete_registration(&self, key: &RegistrationKey) -> Result<bool> {
        Ok(remove_if_present(&self.registration_path(key))?)
    }

    fn load_role_credentials(
        &self,
        id: &SessionId,
        account: &str,
        role: &str,
    ) -> Result<Option<RoleCredentials>> {
        let path = self.role_credentials_path(id, account, role);
        match self.read(&path)? {
            Some(text) => Ok(RoleCredentials::parse(&text, &path)?),
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
        Ok(write_private(
            &self.role_credentials_path(id, account, role),
            creds.to_cli_json().as_bytes(),
        )?)
    }

    fn delete_role_credentials(&self, id: &SessionId, account: &str, role: &str) -> Result<bool> {
        Ok(remove_if_present(
            &self.role_credentials_path(id, account, role),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use time::macros::datetime;

    fn token() -> TokenFile {
        TokenFile {
            start_url: Some("https://d-1.awsapps.com/start".into()),
            region: Some("us-east-1".into()),
            access_token: Secret::new("at"),
            expires_at: datetime!(2026-01-01 09:00 UTC),
            client_id: None,
            client_secret: None,
            registration_expires_at: None,
            refresh_token: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn tokens_go_where_the_aws_cli_looks_for_them() {
        let home = tempfile::tempdir().expect("tempdir");
        let store = FileStore::for_home(home.path());
        let id = SessionId::Session("my-sso".into());
        store.save_token(&id, &token()).expect("save");
        let path = home
            .path()
            .join(".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
        assert!(path.is_file());
        assert_eq!(store.load_token(&id).expect("load"), Some(token()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(store.delete_token(&id).expect("delete"));
        assert!(!store.delete_token(&id).expect("delete again"));
        assert_eq!(store.load_token(&id).expect("load"), None);
    }

    #[test]
    fn role_credentials_go_where_the_aws_cli_looks_for_them() {
        let home = tempfile::tempdir().expect("tempdir");
        let store = FileStore::for_home(home.path());
        let id = SessionId::Session("my-sso".into());
        let creds = RoleCredentials {
            access_key_id: "ASIA1".into(),
            secret_access_key: Secret::new("sk"),
            session_token: Secret::new("st"),
            expiration: datetime!(2026-01-01 09:00 UTC),
            account_id: Some("123456789012".into()),
        };
        store
            .save_role_credentials(&id, "123456789012", "AdministratorAccess", &creds)
            .expect("save");
        // PROTOCOL §4.3's example key.
        let path = home
            .path()
            .join(".aws/cli/cache/c61222fe4c86bb5d3638873744d4cab00a0bf176.json");
        assert!(path.is_file());
        assert_eq!(
            FileStore::in_dir(home.path().join(".aws/sso/cache"))
                .load_role_credentials(&id, "123456789012", "AdministratorAccess")
                .expect("load"),
            Some(creds)
        );
        assert!(store
            .delete_role_credentials(&id, "123456789012", "AdministratorAccess")
            .expect("delete"));
        assert!(!path.exists());
    }

    #[test]
    fn storage_is_read_from_the_config_value() {
        assert_eq!(Storage::from_config(None), Some(Storage::File));
        assert_eq!(Storage::from_config(Some("file")), Some(Storage::File));
        assert_eq!(
            Storage::from_config(Some(" Keychain ")),
            Some(Storage::Keychain)
        );
        assert_eq!(Storage::from_config(Some("keychian")), None);
    }

    #[test]
    fn a_malformed_token_file_is_an_error_naming_it_and_is_left_alone() {
        let home = tempfile::tempdir().expect("tempdir");
        let store = FileStore::for_home(home.path());
        let id = SessionId::Session("corp".into());
        let path = store.token_path(&id);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "{\"accessToken\": ").expect("seed");
        let err = store.load_token(&id).expect_err("malformed");
        assert!(err.to_string().contains(&*path.to_string_lossy()), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "{\"accessToken\": "
        );
    }
}
