//! The keys that tie a profile to its session and role, in both forms (the SDKs' `sso_session`,
//! `sso_account_id`, `sso_role_name`, and the secure form's `lanyard_…`), and the sso-session
//! key that says where a session keeps its tokens. Config knowledge, so the config engine has it
//! without reaching up into sessions (issue 21); `sessions` re-exports it under its old paths.

use super::SectionView;

/// The sso-session a profile names: `sso_session`, or `lanyard_sso_session` in the secure form.
pub fn profile_session_name<'a>(p: &SectionView<'a>) -> Option<&'a str> {
    p.get("sso_session")
        .or_else(|| p.get("lanyard_sso_session"))
}

/// A profile's account id and role name, from either form (the SDKs' keys win if both).
pub fn profile_account_role<'a>(p: &SectionView<'a>) -> (Option<&'a str>, Option<&'a str>) {
    (
        p.get("sso_account_id")
            .or_else(|| p.get("lanyard_account_id")),
        p.get("sso_role_name")
            .or_else(|| p.get("lanyard_role_name")),
    )
}

/// The sso-session key that records where a session's tokens are kept.
pub const STORAGE_KEY: &str = "lanyard_storage";

/// Where a session's tokens, registration and role credentials are kept.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// The AWS CLI's cache files (the default; shared with the AWS CLI and SDKs).
    #[default]
    File,
    /// The OS keychain (secure mode): nothing of the session in `~/.aws/*/cache`.
    Keychain,
}

impl Storage {
    /// Reads `lanyard_storage` (absent = file). `None` for a value that is neither.
    pub fn from_config(value: Option<&str>) -> Option<Storage> {
        match value.map(str::trim) {
            None | Some("") => Some(Storage::File),
            Some(v) if v.eq_ignore_ascii_case("file") => Some(Storage::File),
            Some(v) if v.eq_ignore_ascii_case("keychain") => Some(Storage::Keychain),
            Some(_) => None,
        }
    }

    /// The value written in the config (`file` is written by removing the key).
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::File => "file",
            Storage::Keychain => "keychain",
        }
    }
}

impl std::fmt::Display for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
