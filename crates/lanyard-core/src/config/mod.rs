//! The AWS config engine: where the config and credentials files are, the typed view botocore
//! reads from them, validation with botocore's wording, profile- and session-level edits on
//! the lossless [`aws_config_edit::Document`], the profile editor's changes, and safe saving
//! (validated, conflict-checked, backed up, atomic; an edit named against a version of the file
//! is never written over a newer one).

pub mod backups;
pub mod diff;
pub mod edit;
pub mod endpoint_settings;
pub mod error;
pub mod files;
pub mod follow;
pub mod keys;
mod merge;
pub mod migrate;
pub mod mirror;
pub mod naming;
pub mod net_settings;
pub mod profile_edit;
pub mod secrets;
mod shlex;
pub mod sso_form;
pub mod switch;
pub mod validate;
pub mod values;
pub mod versioned;
pub mod view;

use serde::Serialize;

pub use edit::{KeyPath, Kind};
pub use endpoint_settings::EndpointSettings;
pub use files::{config_file_path, credentials_file_path, expand_path, version_of, ConfigFile};
pub use net_settings::NetSettings;
pub use profile_edit::{Change, Detail};
pub use validate::{new_findings, validate, Finding, Severity, Validation};
pub use versioned::{Edited, Outcome};
pub use view::{ConfigView, SectionView, Value};

/// What kind of profile, for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileKind {
    /// Uses an `sso_session` (or, in secure mode, `lanyard_sso_session`).
    Sso,
    /// SSO keys directly in the profile (`sso_start_url`, `sso_account_id`, `sso_role_name`)
    /// without an `sso_session`.
    LegacySso,
    /// Anything else (static keys, assume-role, credential_process...).
    Other,
}

/// One line of `lanyard profiles list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileSummary {
    /// Profile name.
    pub name: String,
    /// Kind.
    pub kind: ProfileKind,
    /// `sso_session`.
    pub sso_session: Option<String>,
    /// `sso_account_id`.
    pub account_id: Option<String>,
    /// `sso_role_name`.
    pub role_name: Option<String>,
    /// `region`.
    pub region: Option<String>,
    /// `lanyard_generated`: set on profiles that `lanyard populate` wrote.
    pub generated: Option<String>,
}

impl ProfileSummary {
    /// Summarises one profile of the view.
    pub fn of(name: &str, p: &SectionView<'_>) -> ProfileSummary {
        let get = |k: &str| p.get(k).map(str::to_owned);
        let session = keys::profile_session_name(p);
        let (account, role) = keys::profile_account_role(p);
        let kind = if session.is_some() {
            ProfileKind::Sso
        } else if ["sso_start_url", "sso_account_id", "sso_role_name"]
            .iter()
            .any(|k| p.settings.contains_key(k))
        {
            ProfileKind::LegacySso
        } else {
            ProfileKind::Other
        };
        ProfileSummary {
            name: name.to_owned(),
            kind,
            sso_session: session.map(str::to_owned),
            account_id: account.map(str::to_owned),
            role_name: role.map(str::to_owned),
            region: get("region"),
            generated: get("lanyard_generated"),
        }
    }
}

/// Every profile of the view, in botocore's order.
pub fn profile_summaries(view: &ConfigView<'_>) -> Vec<ProfileSummary> {
    view.profiles
        .iter()
        .map(|(n, p)| ProfileSummary::of(n, p))
        .collect()
}
