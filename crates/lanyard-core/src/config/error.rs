//! The config engine's own error: a config or credentials file refused, changed under us, or an
//! edit that cannot be written as asked. The layers above wrap it ([`crate::Error::Config`]).

use std::path::PathBuf;

use crate::base_error::BaseError;
use crate::endpoints::EndpointError;

/// Result with the config engine's [`ConfigError`].
pub type Result<T, E = ConfigError> = std::result::Result<T, E>;

/// Everything the config engine can fail with. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The foundations (files, folders, locks) failed.
    #[error(transparent)]
    Base(#[from] BaseError),
    /// The endpoint configuration is refused (botocore's wording).
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// A default-profile switch or restore cannot be done.
    #[error(transparent)]
    Switch(#[from] super::switch::SwitchError),
    /// botocore would refuse the config file (or the result of an edit): nothing was written.
    #[error("{path} line {line}: {message}; the AWS CLI cannot read this, so nothing was written")]
    ConfigRefused {
        /// The file.
        path: PathBuf,
        /// 1-based line of the (first) problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file changed on disk since it was read: reload, re-apply the edit, retry.
    #[error("{path} changed on disk since it was read; reload it and try again")]
    ConfigChanged {
        /// The file.
        path: PathBuf,
    },
    /// Another program changed the same keys an edit changes, between Lanyard's read and write.
    #[error("{path}: another program changed {} since Lanyard read it; nothing was written (check the file, then try again)", keys.join(", "))]
    EditConflict {
        /// The file.
        path: PathBuf,
        /// The keys both changed, as `[section] key` (or `[section]` for a whole section).
        keys: Vec<String>,
    },
    /// A section of the credentials file that Lanyard did not write.
    #[error("[{section}] in {path} is not Lanyard's (it was not written by `lanyard credentials --write`), so it is left as it is; write to another section with --as NAME, or replace it with --force (its current content is kept in a backup `lanyard config restore --credentials` can put back)")]
    SectionNotOurs {
        /// The section.
        section: String,
        /// The credentials file.
        path: PathBuf,
    },
    /// An edit that cannot be written as asked (bad key, value with a line break...).
    #[error("{0}")]
    ConfigEdit(String),
    /// No such profile in the config.
    #[error("no profile named {0:?} in the config")]
    ProfileNotFound(String),
    /// A profile with that name already exists.
    #[error("a profile named {0:?} already exists")]
    ProfileExists(String),
    /// A name that cannot be a profile's (the AWS CLI would not read it back as written).
    #[error("{name:?} cannot be a profile name: {reason}")]
    InvalidProfileName {
        /// The name given.
        name: String,
        /// Why not.
        reason: &'static str,
    },
    /// A value Lanyard refuses to write or use (a start URL, region, account id, output
    /// format, console destination), named in the message; nothing was written.
    #[error(transparent)]
    Value(#[from] super::values::ValueError),
    /// There is no sso-session of that name (for a session-wide setting).
    #[error("{0}")]
    NoSession(String),
    /// The asked-for backup does not exist.
    #[error("there is no backup number {n} ({available} available)")]
    NoBackup {
        /// Which was asked for (1 = most recent).
        n: usize,
        /// How many exist.
        available: usize,
    },
    /// A profile cannot be migrated to an sso-session.
    #[error(transparent)]
    Migrate(#[from] super::migrate::MigrateError),
}

impl ConfigError {
    /// A stable, machine-readable code: the UI branches on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Base(e) => e.code(),
            ConfigError::Endpoint(e) => e.code(),
            ConfigError::Switch(super::switch::SwitchError::DefaultEdited { .. }) => {
                "default_edited"
            }
            ConfigError::Switch(_) => "switch",
            ConfigError::ConfigRefused { .. } => "config_refused",
            ConfigError::ConfigChanged { .. } => "config_changed",
            ConfigError::ConfigEdit(_) => "config_edit",
            ConfigError::SectionNotOurs { .. } => "section_not_ours",
            ConfigError::EditConflict { .. } => "edit_conflict",
            ConfigError::ProfileNotFound(_) => "profile_not_found",
            ConfigError::ProfileExists(_) => "profile_exists",
            ConfigError::InvalidProfileName { .. } => "invalid_profile_name",
            ConfigError::Value(e) => e.code(),
            ConfigError::NoSession(_) => "storage",
            ConfigError::NoBackup { .. } => "no_backup",
            ConfigError::Migrate(e) => e.code(),
        }
    }

    /// Wraps an I/O error with what was being done and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ConfigError::Base(BaseError::io(action, path, source))
    }
}
