//! The error every command answers with when it fails: a stable code the window branches on and
//! lanyard-core's message as detail.

/// An error crossing IPC: the UI branches on `code` (and shows its own words for it, in the
/// person's language), and shows `message` only as detail. Messages come from lanyard-core's
/// errors, which never hold a token or a secret.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    code: &'static str,
    message: String,
}

impl IpcError {
    /// An error with its stable code.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        IpcError {
            code,
            message: message.into(),
        }
    }

    /// The stable code the window branches on.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<lanyard_core::settings::SaveError> for IpcError {
    fn from(e: lanyard_core::settings::SaveError) -> Self {
        IpcError {
            code: "settings",
            message: e.to_string(),
        }
    }
}

impl From<lanyard_core::Error> for IpcError {
    fn from(e: lanyard_core::Error) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

// Each layer's own error of lanyard-core, as the crate-wide error words and codes it.
lanyard_core::core_from_layers!(IpcError);

impl From<lanyard_core::sessions::signin::SessionError> for IpcError {
    fn from(e: lanyard_core::sessions::signin::SessionError) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

impl From<tauri::Error> for IpcError {
    fn from(e: tauri::Error) -> Self {
        IpcError {
            code: "app",
            message: e.to_string(),
        }
    }
}
