//! The library's error type: every failure carries its context and a stable machine `code`
//! (the code is what crosses the IPC boundary and what the UI translates).

use std::path::PathBuf;

/// Result with lanyard-core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything lanyard-core can fail with. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The foundations (files, folders, locks, logging) failed.
    #[error(transparent)]
    Base(#[from] crate::base_error::BaseError),
    /// A cache file could not be read.
    #[error(transparent)]
    Cache(crate::cache::CacheError),
    /// The HTTP client could not be set up.
    #[error(transparent)]
    Http(#[from] crate::http::SetupError),
    /// The file watcher could not start.
    #[error("cannot watch the AWS files for changes: {0}")]
    Watch(String),
    /// A default-profile switch or restore cannot be done.
    #[error(transparent)]
    Switch(#[from] crate::config::switch::SwitchError),
    /// The endpoint configuration is refused (botocore's wording).
    #[error(transparent)]
    Endpoint(#[from] crate::endpoints::EndpointError),
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
    /// A value for every generated profile (`region`, `output`) that cannot be written as given.
    #[error("{key} {value:?}: a value without spaces or line breaks is needed")]
    InvalidValue {
        /// The key (`region`, `output`).
        key: &'static str,
        /// The value given.
        value: String,
    },
    /// A value Lanyard refuses to write or use (a start URL, region, account id, output
    /// format, console destination), named in the message; nothing was written.
    #[error(transparent)]
    Value(#[from] crate::config::values::ValueError),
    /// A populate name template that cannot be used.
    #[error(transparent)]
    Template(#[from] crate::populate::TemplateError),
    /// A profile or session that cannot be used as asked (botocore's wording).
    #[error(transparent)]
    Resolve(#[from] crate::sessions::resolve::ResolveError),
    /// A populate that cannot be planned (a name the template gives cannot be used).
    #[error(transparent)]
    Populate(#[from] crate::populate::PopulateError),
    /// The asked-for backup does not exist.
    #[error("there is no backup number {n} ({available} available)")]
    NoBackup {
        /// Which was asked for (1 = most recent).
        n: usize,
        /// How many exist.
        available: usize,
    },
    /// The OS keychain (secure mode) cannot be used.
    #[error(transparent)]
    Keychain(#[from] crate::sessions::keychain::KeychainError),
    /// A session's `lanyard_storage` cannot be switched as asked.
    #[error("{0}")]
    Storage(String),
    /// A profile cannot be migrated to an sso-session.
    #[error(transparent)]
    Migrate(#[from] crate::config::migrate::MigrateError),
}

impl Error {
    /// A stable, machine-readable code: the UI branches on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Base(e) => e.code(),
            Error::Cache(_) => "cache",
            Error::Http(_) => "http",
            Error::Endpoint(crate::endpoints::EndpointError::InvalidRegion(_)) => "invalid_region",
            Error::Endpoint(_) => "endpoint_config",
            Error::Switch(crate::config::switch::SwitchError::DefaultEdited { .. }) => {
                "default_edited"
            }
            Error::Switch(_) => "switch",
            Error::Watch(_) => "watch",
            Error::Keychain(e) => e.code(),
            Error::Storage(_) => "storage",
            Error::ConfigRefused { .. } => "config_refused",
            Error::ConfigChanged { .. } => "config_changed",
            Error::ConfigEdit(_) => "config_edit",
            Error::EditConflict { .. } => "edit_conflict",
            Error::SectionNotOurs { .. } => "section_not_ours",
            Error::ProfileNotFound(_) => "profile_not_found",
            Error::ProfileExists(_) => "profile_exists",
            Error::InvalidProfileName { .. } => "invalid_profile_name",
            Error::InvalidValue { key: "region", .. } => "invalid_region",
            Error::InvalidValue { key: "output", .. } => "invalid_output",
            Error::InvalidValue { .. } => "invalid_value",
            Error::Value(e) => e.code(),
            Error::Template(_) => "template",
            Error::Populate(e) => e.code(),
            Error::Resolve(e) => e.code(),
            Error::NoBackup { .. } => "no_backup",
            Error::Migrate(e) => e.code(),
        }
    }

    /// Wraps an I/O error with what was being done and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Base(crate::base_error::BaseError::io(action, path, source))
    }

    /// A record that could not be encoded, or a task that failed (said as a logging problem).
    pub fn logging(message: impl Into<String>) -> Self {
        Error::Base(crate::base_error::BaseError::Logging(message.into()))
    }
}
