//! The sessions layer's own error: what storing, reading, locking or moving a session's tokens
//! can fail with, beside the config and AWS-side errors it passes on. The crate-wide
//! [`crate::Error`] wraps it.

use std::path::PathBuf;

use crate::base_error::BaseError;
use crate::cache::CacheError;
use crate::config::error::ConfigError;
use crate::endpoints::EndpointError;
use crate::http::SetupError;
use crate::net::NetError;

/// Result with the sessions layer's [`SessionsError`].
pub type Result<T, E = SessionsError> = std::result::Result<T, E>;

/// Everything the sessions layer can fail with. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionsError {
    /// The foundations (files, folders, locks, logging) failed.
    #[error(transparent)]
    Base(#[from] BaseError),
    /// A cache file could not be read.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// The HTTP client could not be set up.
    #[error(transparent)]
    Http(#[from] SetupError),
    /// The endpoint configuration is refused (botocore's wording).
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The config file could not be read or edited.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The OS keychain (secure mode) cannot be used.
    #[error(transparent)]
    Keychain(#[from] super::keychain::KeychainError),
    /// A session's `lanyard_storage` cannot be switched as asked.
    #[error("{0}")]
    Storage(String),
    /// A profile or session that cannot be used as asked (botocore's wording).
    #[error(transparent)]
    Resolve(#[from] super::resolve::ResolveError),
}

impl From<NetError> for SessionsError {
    fn from(e: NetError) -> Self {
        match e {
            NetError::Endpoint(e) => SessionsError::Endpoint(e),
            NetError::Http(e) => SessionsError::Http(e),
        }
    }
}

impl SessionsError {
    /// A stable, machine-readable code: the UI branches on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            SessionsError::Base(e) => e.code(),
            SessionsError::Cache(e) => e.code(),
            SessionsError::Http(e) => e.code(),
            SessionsError::Endpoint(e) => e.code(),
            SessionsError::Config(e) => e.code(),
            SessionsError::Keychain(e) => e.code(),
            SessionsError::Storage(_) => "storage",
            SessionsError::Resolve(e) => e.code(),
        }
    }

    /// Wraps an I/O error with what was being done and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SessionsError::Base(BaseError::io(action, path, source))
    }

    /// A record that could not be encoded, or a task that failed (said as a logging problem).
    pub fn logging(message: impl Into<String>) -> Self {
        SessionsError::Base(BaseError::Logging(message.into()))
    }
}
