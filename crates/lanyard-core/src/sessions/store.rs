//! Where tokens and client registrations live, behind [`TokenStore`]: the file store is exactly
//! the AWS CLI's cache (`~/.aws/sso/cache/`), so both tools share one login; secure mode adds a
//! keychain store later.

use std::path::{Path, PathBuf};

use crate::cache::keys::{registration_file_stem, token_file_stem};
use crate::cache::registration::Registration;
use crate::cache::token::TokenFile;
use crate::cache::CacheError;
use crate::error::{Error, Result};
use crate::fsio::write_private;

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

/// Storage of tokens and registrations.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The session's token, if any.
    fn load_token(&self, id: &SessionId) -> Result<Option<TokenFile>>;
    /// Stores the session's token (atomically).
    fn save_token(&self, id: &SessionId, token: &TokenFile) -> Result<()>;
    /// Deletes the session's token; whether there was one.
    fn delete_token(&self, id: &SessionId) -> Result<bool>;
    /// A stored registration, if any.
    fn load_registration(&self, key: &RegistrationKey) -> Result<Option<Registration>>;
    /// Stores a registration.
    fn save_registration(&self, key: &RegistrationKey, reg: &Registration) -> Result<()>;
}

/// The AWS CLI's cache folder.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    /// The store at `~/.aws/sso/cache` for a home folder.
    pub fn for_home(home: &Path) -> Self {
        FileStore {
            dir: home.join(".aws").join("sso").join("cache"),
        }
    }

    /// The store in a given folder.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        FileStore { dir: dir.into() }
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
            Err(e) => Err(Error::io("cannot read", path, e)),
        }
    }
}

impl From<CacheError> for Error {
    fn from(e: CacheError) -> Self {
        Error::Cache(e)
    }
}

impl TokenStore for FileStore {
    fn load_token(&self, id: &SessionId) -> Result<Option<TokenFile>> {
        let path = self.token_path(id);
        match self.read(&path)? {
            Some(text) => Ok(Some(TokenFile::parse(&text, &path)?)),
            None => Ok(None),
        }
    }

    fn save_token(&self, id: &SessionId, token: &TokenFile) -> Result<()> {
        write_private(&self.token_path(id), token.to_cli_json().as_bytes())
    }

    fn delete_token(&self, id: &SessionId) -> Result<bool> {
        let path = self.token_path(id);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::io("cannot delete", &path, e)),
        }
    }

    fn load_registration(&self, key: &RegistrationKey) -> Result<Option<Registration>> {
        let path = self.dir.join(format!("{}.json", key.file_stem()));
        match self.read(&path)? {
            Some(text) => Ok(Some(Registration::parse(&text, &path)?)),
            None => Ok(None),
        }
    }

    fn save_registration(&self, key: &RegistrationKey, reg: &Registration) -> Result<()> {
        let path = self.dir.join(format!("{}.json", key.file_stem()));
        write_private(&path, reg.to_cli_json().as_bytes())
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
