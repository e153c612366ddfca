//! The crate-wide error: it wraps each lower layer's own (the foundations' [`BaseError`], the AWS
//! side's, the config engine's [`ConfigError`], the sessions layer's [`SessionsError`]) and is the
//! error the features share. Every failure carries its context and a stable machine `code` (the
//! code is what crosses the IPC boundary and what the UI translates).

use std::path::PathBuf;

use crate::base_error::BaseError;
use crate::cache::CacheError;
use crate::config::error::ConfigError;
use crate::config::naming::{PopulateError, TemplateError};
use crate::endpoints::EndpointError;
use crate::http::SetupError;
use crate::net::NetError;
use crate::sessions::error::SessionsError;
use crate::sessions::keychain::KeychainError;
use crate::sessions::resolve::ResolveError;

/// Result with lanyard-core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything lanyard-core can fail with. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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
    /// The config engine refused a file or an edit, or a file changed under it.
    #[error(transparent)]
    Config(ConfigError),
    /// The sessions layer (token store, keychain, locks, resolving a profile or session) failed.
    #[error(transparent)]
    Sessions(SessionsError),
    /// The file watcher could not start.
    #[error("cannot watch the AWS files for changes: {0}")]
    Watch(String),
    /// A populate name template that cannot be used.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A populate that cannot be planned (a name the template gives cannot be used).
    #[error(transparent)]
    Populate(#[from] PopulateError),
}

/// A config error keeps one place: its foundation and endpoint failures are the crate's own.
impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        match e {
            ConfigError::Base(e) => Error::Base(e),
            ConfigError::Endpoint(e) => Error::Endpoint(e),
            e => Error::Config(e),
        }
    }
}

/// A sessions error keeps one place: what it passes on from lower layers is the crate's own.
impl From<SessionsError> for Error {
    fn from(e: SessionsError) -> Self {
        match e {
            SessionsError::Base(e) => Error::Base(e),
            SessionsError::Cache(e) => Error::Cache(e),
            SessionsError::Http(e) => Error::Http(e),
            SessionsError::Endpoint(e) => Error::Endpoint(e),
            SessionsError::Config(e) => e.into(),
            e => Error::Sessions(e),
        }
    }
}

impl From<KeychainError> for Error {
    fn from(e: KeychainError) -> Self {
        Error::Sessions(SessionsError::Keychain(e))
    }
}

impl From<ResolveError> for Error {
    fn from(e: ResolveError) -> Self {
        Error::Sessions(SessionsError::Resolve(e))
    }
}

impl From<NetError> for Error {
    fn from(e: NetError) -> Self {
        match e {
            NetError::Endpoint(e) => Error::Endpoint(e),
            NetError::Http(e) => Error::Http(e),
        }
    }
}

impl Error {
    /// A stable, machine-readable code: the UI branches on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Base(e) => e.code(),
            Error::Cache(e) => e.code(),
            Error::Http(e) => e.code(),
            Error::Endpoint(e) => e.code(),
            Error::Config(e) => e.code(),
            Error::Sessions(e) => e.code(),
            Error::Watch(_) => "watch",
            Error::Template(_) => "template",
            Error::Populate(e) => e.code(),
        }
    }

    /// The config engine's error, when that is what this is.
    pub fn config(&self) -> Option<&ConfigError> {
        match self {
            Error::Config(e) => Some(e),
            _ => None,
        }
    }

    /// Wraps an I/O error with what was being done and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Base(BaseError::io(action, path, source))
    }

    /// A record that could not be encoded, or a task that failed (said as a logging problem).
    pub fn logging(message: impl Into<String>) -> Self {
        Error::Base(BaseError::Logging(message.into()))
    }
}

/// The stable code of any of the crate's layer errors (what `?` may have carried out of a lower
/// layer unwrapped): the CLI and the app find it in an error's chain. None for other errors.
pub fn code_of(e: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    if let Some(e) = e.downcast_ref::<Error>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<ConfigError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<SessionsError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<NetError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<EndpointError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<SetupError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<BaseError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<CacheError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<crate::config::values::ValueError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<ResolveError>() {
        Some(e.code())
    } else if let Some(e) = e.downcast_ref::<KeychainError>() {
        Some(e.code())
    } else if e.downcast_ref::<TemplateError>().is_some() {
        Some("template")
    } else {
        e.downcast_ref::<PopulateError>().map(PopulateError::code)
    }
}

/// A value refused is the config engine's refusal.
impl From<crate::config::values::ValueError> for Error {
    fn from(e: crate::config::values::ValueError) -> Self {
        Error::Config(ConfigError::Value(e))
    }
}

/// `From` every lower layer's error for a type that converts from [`Error`] (a feature's error
/// wrapping it in its `Core` variant, the app's IPC error), so `?` works on each layer's calls
/// as it does on those that return [`Error`]. The one list of the layers' errors.
#[macro_export]
macro_rules! core_from_layers {
    ($t:ty) => {
        $crate::core_from_layers!(@each $t:
            $crate::config::error::ConfigError,
            $crate::sessions::error::SessionsError,
            $crate::net::NetError,
            $crate::http::SetupError,
            $crate::endpoints::EndpointError,
            $crate::base_error::BaseError,
            $crate::cache::CacheError,
            $crate::config::values::ValueError
        );
    };
    (@each $t:ty: $($e:ty),*) => {
        $(
            impl From<$e> for $t {
                fn from(e: $e) -> Self {
                    <$t>::from($crate::Error::from(e))
                }
            }
        )*
    };
}
