//! The Sessions page's shapes: every session with its state (`lanyard status --json`), and the
//! state and storage words other pages reuse.

use lanyard_core::cache::timefmt::format_cli;
use lanyard_core::overview::SessionStatus;
use lanyard_core::sessions::state::State;
use lanyard_core::sessions::store::Storage;
use serde::{Deserialize, Serialize};

/// A session's state (lanyard-core's `State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SessionState {
    /// No token.
    SignedOut,
    /// Usable, with time left.
    Valid,
    /// Usable, ending within the first warning threshold.
    Expiring,
    /// Ended or unusable.
    Expired,
}

impl From<State> for SessionState {
    fn from(s: State) -> Self {
        match s {
            State::SignedOut => SessionState::SignedOut,
            State::Valid => SessionState::Valid,
            State::Expiring => SessionState::Expiring,
            State::Expired => SessionState::Expired,
        }
    }
}

/// Where a session keeps its tokens (lanyard-core's `Storage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum StorageMode {
    /// The AWS CLI's cache files (the default).
    File,
    /// The OS keychain (secure mode).
    Keychain,
}

impl From<Storage> for StorageMode {
    fn from(s: Storage) -> Self {
        match s {
            Storage::File => StorageMode::File,
            Storage::Keychain => StorageMode::Keychain,
        }
    }
}

impl From<StorageMode> for Storage {
    fn from(s: StorageMode) -> Self {
        match s {
            StorageMode::File => Storage::File,
            StorageMode::Keychain => Storage::Keychain,
        }
    }
}

/// An sso-session section or a legacy start URL in profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    /// `[sso-session NAME]`.
    SsoSession,
    /// `sso_start_url` directly in profiles.
    Legacy,
}

/// One session as the Sessions page shows it: `lanyard status --json`'s fields, plus what the
/// window needs beyond them (defaults when the CLI leaves them out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SessionDto {
    /// The sso-session name (a legacy session: its first profile).
    pub name: String,
    /// Section or legacy.
    pub kind: SessionKind,
    /// `sso_start_url`.
    pub start_url: String,
    /// `sso_region`.
    pub region: String,
    /// Where its tokens are kept.
    pub storage: StorageMode,
    /// Its state now.
    pub state: SessionState,
    /// The access token's expiry (UTC, `2026-01-01T10:00:00Z`).
    pub expires_at: Option<String>,
    /// When the session ends, real or estimated.
    pub session_ends_at: Option<String>,
    /// Whether `session_ends_at` is an estimate (sign-in time + session duration).
    #[serde(default)]
    pub end_is_estimate: bool,
    /// Whether the token can be refreshed ("Refresh now").
    pub refreshable: bool,
    /// Whether only a sign-in helps: the service refused the session (its token may still be
    /// served until `session_ends_at`), or its token file cannot be read.
    #[serde(default)]
    pub needs_sign_in: bool,
    /// Why: `invalid_grant`, `invalid_client`, `token_rejected`, `token_unreadable`.
    #[serde(default)]
    pub reason: Option<String>,
    /// When it was signed in (by Lanyard, or seen signed in by another program).
    #[serde(default)]
    pub signed_in_at: Option<String>,
    /// Whether another program (the AWS CLI, an SDK) made that sign-in.
    #[serde(default)]
    pub signed_in_elsewhere: bool,
    /// The profiles using it.
    pub profiles: Vec<String>,
    /// `sso_use_device_code = true`.
    #[serde(default)]
    pub use_device_code: bool,
    /// `sso_registration_scopes`, as written.
    #[serde(default)]
    pub scopes: Option<String>,
}

impl SessionDto {
    /// The DTO of one session of the overview.
    pub fn of(s: &SessionStatus) -> Self {
        let a = &s.assessment;
        SessionDto {
            name: s.name(),
            kind: match s.session.kind() {
                "legacy" => SessionKind::Legacy,
                _ => SessionKind::SsoSession,
            },
            start_url: s.session.config.start_url.clone(),
            region: s.session.config.region.clone(),
            storage: s.session.storage.into(),
            state: a.state.into(),
            expires_at: a.expires_at.map(format_cli),
            session_ends_at: a.session_ends_at.map(format_cli),
            end_is_estimate: a.end_is_estimate,
            refreshable: a.refreshable,
            needs_sign_in: a.needs_sign_in,
            reason: a.reason.clone(),
            signed_in_at: s.record.signed_in().map(format_cli),
            signed_in_elsewhere: s.record.signed_in_elsewhere,
            profiles: s.session.profiles.clone(),
            use_device_code: s.session.use_device_code,
            scopes: s.session.config.scopes.as_ref().map(|v| v.join(", ")),
        }
    }
}

/// Every session (the shape of `lanyard status --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SessionsOverview {
    /// In config order.
    pub sessions: Vec<SessionDto>,
}

impl SessionsOverview {
    /// The overview's DTO.
    pub fn of(statuses: &[SessionStatus]) -> Self {
        SessionsOverview {
            sessions: statuses.iter().map(SessionDto::of).collect(),
        }
    }
}
