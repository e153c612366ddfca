//! The SSO sessions page's shapes: the configure sso-session form, and the configure sso wizard's
//! account list and resulting profile.

use serde::{Deserialize, Serialize};

use super::StorageMode;

/// One account and the roles the person may use in it (`lanyard accounts list --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AccountDto {
    /// The 12-digit id.
    pub account_id: String,
    /// Its name.
    pub account_name: Option<String>,
    /// Its email address.
    pub email: Option<String>,
    /// The role names.
    pub roles: Vec<String>,
}

/// The accounts of a session (the shape of `lanyard accounts list --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AccountsList {
    /// The session.
    pub sso_session: String,
    /// When the portal was asked (UTC).
    pub fetched_at: String,
    /// The accounts.
    pub accounts: Vec<AccountDto>,
}

/// The configure sso-session form: creates or edits an `[sso-session NAME]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SsoSessionForm {
    /// The section name (fixed once created).
    pub name: String,
    /// `sso_start_url` (https).
    pub start_url: String,
    /// `sso_region` (a region name).
    pub region: String,
    /// `sso_registration_scopes`; None or blank leaves it as it is.
    pub scopes: Option<String>,
    /// `sso_use_device_code = true`, else the key is removed.
    pub use_device_code: bool,
    /// Where its tokens are kept.
    pub storage: StorageMode,
    /// The session duration in settings.toml; None or blank removes it (8 h).
    pub duration: Option<String>,
}

/// The configure sso wizard's result: a profile for an account and role of an sso-session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SsoProfileForm {
    /// The profile's name.
    pub profile: String,
    /// The sso-session it signs in through.
    pub sso_session: String,
    /// The chosen account.
    pub account_id: String,
    /// The chosen role.
    pub role_name: String,
    /// `region`; None or blank leaves it out.
    pub region: Option<String>,
    /// `output`; None or blank leaves it out.
    pub output: Option<String>,
}
