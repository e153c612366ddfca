//! The Settings page's shapes: settings.toml as the page edits it, and one change it makes.

use std::collections::BTreeMap;

use lanyard_core::settings::{Change, Settings};
use serde::{Deserialize, Serialize};

/// Settings of one session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SessionSettingsDto {
    /// The command that opens its sign-in page.
    pub browser: Option<String>,
    /// The Identity Center session duration (`8h` when unset).
    pub duration: Option<String>,
}

/// Lanyard's settings (settings.toml) as the Settings page edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SettingsDto {
    /// `en`, `zh-TW`, or None to follow the system.
    pub language: Option<String>,
    /// Desktop notifications.
    pub notifications: bool,
    /// Background refresh.
    pub background_refresh: bool,
    /// Start at login.
    pub autostart: bool,
    /// Warning thresholds (`15m`, `90s`, `1h`).
    pub warn_before: Vec<String>,
    /// Portal requests per second.
    pub portal_rate_limit: u32,
    /// Seconds copied credentials stay on the clipboard (0: never cleared).
    pub clipboard_clear_after: u32,
    /// Per-session settings, by session name.
    pub sessions: BTreeMap<String, SessionSettingsDto>,
}

impl From<&Settings> for SettingsDto {
    fn from(s: &Settings) -> Self {
        SettingsDto {
            language: s.language.clone(),
            notifications: s.notifications,
            background_refresh: s.background_refresh,
            autostart: s.autostart,
            warn_before: s.warn_before.clone(),
            portal_rate_limit: s.portal_rate_limit,
            clipboard_clear_after: s.clipboard_clear_after,
            sessions: s
                .sessions
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        SessionSettingsDto {
                            browser: v.browser.clone(),
                            duration: v.duration.clone(),
                        },
                    )
                })
                .collect(),
        }
    }
}

/// One change the Settings page makes (the language has its own command, `set_language`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "key", content = "value", rename_all = "snake_case")]
pub enum SettingChange {
    /// `notifications`.
    Notifications(bool),
    /// `background_refresh`.
    BackgroundRefresh(bool),
    /// `autostart`.
    Autostart(bool),
    /// `warn_before`.
    WarnBefore(Vec<String>),
    /// `portal_rate_limit`.
    PortalRateLimit(u32),
    /// `clipboard_clear_after`, in seconds (0: never).
    ClipboardClearAfter(u32),
    /// `[sessions.NAME] browser`; None removes it.
    SessionBrowser {
        /// The session.
        session: String,
        /// The command.
        browser: Option<String>,
    },
    /// `[sessions.NAME] duration`; None removes it.
    SessionDuration {
        /// The session.
        session: String,
        /// `8h`, `12h`, `90m`.
        duration: Option<String>,
    },
}

impl From<SettingChange> for Change {
    fn from(c: SettingChange) -> Self {
        let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        match c {
            SettingChange::Notifications(v) => Change::Notifications(v),
            SettingChange::BackgroundRefresh(v) => Change::BackgroundRefresh(v),
            SettingChange::Autostart(v) => Change::Autostart(v),
            SettingChange::WarnBefore(v) => Change::WarnBefore(v),
            SettingChange::PortalRateLimit(v) => Change::PortalRateLimit(v),
            SettingChange::ClipboardClearAfter(v) => Change::ClipboardClearAfter(v),
            SettingChange::SessionBrowser { session, browser } => {
                Change::SessionBrowser(session, blank(browser))
            }
            SettingChange::SessionDuration { session, duration } => {
                Change::SessionDuration(session, blank(duration))
            }
        }
    }
}
