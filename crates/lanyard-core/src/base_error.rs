//! The foundation layer's error (issue 21): what the file system, the home folder, the locks and
//! logging can fail with, with a stable machine `code`. It knows nothing above it; the
//! crate-wide [`crate::Error`] wraps it.

use std::path::PathBuf;

/// Result with the foundation's [`BaseError`].
pub type Result<T, E = BaseError> = std::result::Result<T, E>;

/// What the foundations (files, folders, locks, logging) fail with. Messages never contain
/// secrets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaseError {
    /// No home folder could be determined (neither `HOME` nor the platform's equivalent is set).
    #[error("cannot find the home folder: set HOME")]
    NoHome,
    /// A file-system operation failed on a given path.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done, e.g. "cannot create folder".
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Logging could not be set up (or a record could not be encoded).
    #[error("cannot set up logging: {0}")]
    Logging(String),
    /// Another program kept writing the file: no stable version could be read to edit.
    #[error("{path} is being written by another program (it kept changing for {waited_ms} ms); nothing was written, try again")]
    FileBusy {
        /// The file.
        path: PathBuf,
        /// How long Lanyard waited.
        waited_ms: u64,
    },
    /// Lanyard will not write this file (or folder) as it is: read-only, hard-linked, another
    /// user's.
    #[error("will not write {path}: {reason}")]
    WriteRefused {
        /// The machine code: `read_only_file`, `read_only_folder`, `hard_link`, `owned_by_other`.
        code: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
}

impl BaseError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            BaseError::NoHome => "no_home",
            BaseError::Io { .. } => "io",
            BaseError::Logging(_) => "logging",
            BaseError::FileBusy { .. } => "file_busy",
            BaseError::WriteRefused { code, .. } => code,
        }
    }

    /// Wraps an I/O error with what was being done and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        BaseError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
