//! The AWS CLI's caches, byte-compatible both ways (PROTOCOL §4): the SSO token file and the
//! client-registration file under `~/.aws/sso/cache/`, and role credentials under
//! `~/.aws/cli/cache/`. Readers are lenient (any RFC 3339 time, unknown keys kept); writers emit
//! exactly the CLI's format, atomically, mode 0600.

pub mod keys;
pub mod registration;
pub mod role_credentials;
pub mod timefmt;
pub mod token;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// Why a cache file could not be read or written. Never carries a secret value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    /// The file is not JSON, or not a JSON object.
    #[error("{path}: not a valid cache file: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong (no values quoted).
        reason: String,
    },
    /// A required key is missing or has the wrong type.
    #[error("{path}: `{key}` is missing or not {expected}")]
    MissingKey {
        /// The file.
        path: PathBuf,
        /// The key.
        key: &'static str,
        /// The type expected.
        expected: &'static str,
    },
    /// A time value could not be read.
    #[error("{path}: `{key}` is not a date-time")]
    BadTime {
        /// The file.
        path: PathBuf,
        /// The key.
        key: &'static str,
    },
}

impl CacheError {
    /// The stable code the window and `--json` scripts branch on.
    pub fn code(&self) -> &'static str {
        "cache"
    }
}

/// Reads a cache file's text as a JSON object; errors name the file and, from serde_json, the
/// line and column — never the content.
fn parse_object(text: &str, path: &Path) -> Result<Map<String, Value>, CacheError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CacheError::Malformed {
            path: path.to_owned(),
            reason: "not a JSON object".into(),
        }),
        Err(e) => Err(CacheError::Malformed {
            path: path.to_owned(),
            reason: e.to_string(),
        }),
    }
}
