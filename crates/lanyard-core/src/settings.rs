//! Lanyard's own settings, `<config dir>/lanyard/settings.toml` (DESIGN.md), shared by the app and
//! the CLI: warning thresholds, background refresh, notifications, autostart, language, the portal
//! rate limit, how long copied credentials stay on the clipboard, per-session browser command and
//! session duration, per-profile console browser.
//! Unknown keys are ignored here, so nothing written later breaks this reader; a malformed file
//! gives the defaults and a warning naming it, and is never overwritten; a bad value of one key
//! gives that key's default and a warning naming the key. [`update`] writes changes through
//! `toml_edit`, so comments and keys it does not know (a newer version's) stay as written, and
//! refuses a file changed by someone else since it was read.
//!
//! ```toml
//! language = "zh-TW"             # "en" or "zh-TW"; absent: the OS language
//! notifications = true
//! background_refresh = true
//! autostart = false
//! warn_before = ["15m", "5m"]    # s, m or h
//! portal_rate_limit = 20         # portal requests per second, shared by every call
//! clipboard_clear_after = 60     # seconds copied credentials stay on the clipboard; 0: never cleared
//!
//! [sessions.corp]
//! browser = "firefox -P work %s" # like a BROWSER entry: %s is the URL, else appended
//! duration = "12h"               # the Identity Center session duration, for the end estimate
//!
//! [profiles.dev]
//! console_browser = "firefox -P work %s"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Duration;

use crate::dirs::Dirs;
use crate::sessions::schedule::{self, parse_duration};

/// The portal rate limit when none is set (requests per second).
pub const DEFAULT_PORTAL_RATE_LIMIT: u32 = 20;

/// How long copied credentials stay on the clipboard when nothing is set (seconds).
pub const DEFAULT_CLIPBOARD_CLEAR_AFTER: u32 = 60;

/// Settings of one sso-session (or legacy profile, by its name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SessionSettings {
    /// The command that opens this session's sign-in page.
    pub browser: Option<String>,
    /// The Identity Center session duration (`8h` unless set), for the end estimate.
    pub duration: Option<String>,
}

/// Settings of one profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProfileSettings {
    /// The command that opens this profile's console (a browser profile or container).
    pub console_browser: Option<String>,
}

/// Everything Lanyard reads from its settings file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `en` or `zh-TW`; None follows the OS (or `LANYARD_LANG`).
    pub language: Option<String>,
    /// Desktop notifications on or off.
    pub notifications: bool,
    /// Background refresh of refreshable sessions.
    pub background_refresh: bool,
    /// Start the app at login.
    pub autostart: bool,
    /// Warn this long before a session ends, one warning each (`15m`, `90s`, `1h`).
    pub warn_before: Vec<String>,
    /// Portal requests per second, shared by every call.
    pub portal_rate_limit: u32,
    /// Seconds copied credentials stay on the clipboard (cleared only if it still holds them);
    /// 0: never cleared.
    pub clipboard_clear_after: u32,
    /// Per-session settings, by session name.
    pub sessions: BTreeMap<String, SessionSettings>,
    /// Per-profile settings, by profile name.
    pub profiles: BTreeMap<String, ProfileSettings>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: None,
            notifications: true,
            background_refresh: true,
            autostart: false,
            warn_before: vec!["15m".into(), "5m".into()],
            portal_rate_limit: DEFAULT_PORTAL_RATE_LIMIT,
            clipboard_clear_after: DEFAULT_CLIPBOARD_CLEAR_AFTER,
            sessions: BTreeMap::new(),
            profiles: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Reads the settings file: defaults when it is missing; defaults and a warning (naming the
    /// file and the problem) when it is malformed or a value is invalid.
    pub fn load(dirs: &Dirs) -> (Settings, Option<String>) {
        let path = dirs.settings_file();
        match std::fs::read_to_string(&path) {
            Ok(text) => match toml::from_str::<Settings>(&text) {
                Ok(settings) => match settings.problems() {
                    problems if problems.is_empty() => (settings, None),
                    problems => (
                        settings.repaired(),
                        Some(format!("{}: {}", path.display(), problems.join("; "))),
                    ),
                },
                Err(e) => {
                    let line = e
                        .span()
                        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                        .map(|l| format!(" line {l}"))
                        .unwrap_or_default();
                    (
                        Settings::default(),
                        Some(format!(
                            "{}{line}: {}; using the default settings",
                            path.display(),
                            e.message().trim_end()
                        )),
                    )
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
            Err(e) => (
                Settings::default(),
                Some(format!(
                    "{}: cannot read it ({e}); using the default settings",
                    path.display()
                )),
            ),
        }
    }

    /// Invalid values, each naming its key and what is used instead.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(lang) = &self.language {
            if !matches!(lang.as_str(), "en" | "zh-TW") {
                out.push(format!(
                    "language = {lang:?} is not \"en\" or \"zh-TW\"; following the system"
                ));
            }
        }
        for w in &self.warn_before {
            if let Err(e) = parse_duration(w) {
                out.push(format!("warn_before: {e}; using 15m and 5m"));
            }
        }
        if self.portal_rate_limit == 0 {
            out.push(format!(
                "portal_rate_limit must be at least 1; using {DEFAULT_PORTAL_RATE_LIMIT}"
            ));
        }
        for (name, s) in &self.sessions {
            if let Some(d) = &s.duration {
                if let Err(e) = parse_duration(d) {
                    out.push(format!("sessions.{name}.duration: {e}; using 8h"));
                }
            }
        }
        out
    }

    /// These settings with every invalid value replaced by its default.
    fn repaired(mut self) -> Settings {
        let defaults = Settings::default();
        if self
            .language
            .as_deref()
            .is_some_and(|l| !matches!(l, "en" | "zh-TW"))
        {
            self.language = None;
        }
        if self.warn_before.iter().any(|w| parse_duration(w).is_err()) {
            self.warn_before = defaults.warn_before;
        }
        if self.portal_rate_limit == 0 {
            self.portal_rate_limit = DEFAULT_PORTAL_RATE_LIMIT;
        }
        for s in self.sessions.values_mut() {
            if s.duration
                .as_deref()
                .is_some_and(|d| parse_duration(d).is_err())
            {
                s.duration = None;
            }
        }
        self
    }

    /// The warning thresholds, largest first.
    pub fn thresholds(&self) -> Vec<Duration> {
        let mut t: Vec<Duration> = self
            .warn_before
            .iter()
            .filter_map(|w| parse_duration(w).ok())
            .collect();
        t.sort_by(|a, b| b.cmp(a));
        t.dedup();
        t
    }

    /// The session duration assumed for a session's end estimate: the one set for it, else
    /// the default (8 h).
    pub fn session_duration(&self, session: &str) -> Duration {
        self.sessions
            .get(session)
            .and_then(|s| s.duration.as_deref())
            .and_then(|d| parse_duration(d).ok())
            .unwrap_or(crate::sessions::state::Policy::default().session_duration)
    }

    /// The schedule settings these imply (the session duration is the default one; per-session
    /// durations come from [`Settings::session_duration`]).
    pub fn schedule(&self) -> schedule::Settings {
        schedule::Settings {
            thresholds: self.thresholds(),
            background_refresh: self.background_refresh,
            ..schedule::Settings::default()
        }
    }

    /// How long copied credentials stay on the clipboard (zero: never cleared).
    pub fn clipboard_clear_after(&self) -> Duration {
        Duration::seconds(i64::from(self.clipboard_clear_after))
    }

    /// The browser command of a session, if one is set.
    pub fn session_browser(&self, session: &str) -> Option<&str> {
        self.sessions
            .get(session)
            .and_then(|s| s.browser.as_deref())
            .filter(|c| !c.trim().is_empty())
    }

    /// The console browser command of a profile, if one is set.
    pub fn console_browser(&self, profile: &str) -> Option<&str> {
        self.profiles
            .get(profile)
            .and_then(|p| p.console_browser.as_deref())
            .filter(|c| !c.trim().is_empty())
    }
}

/// Why settings could not be saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The file is not TOML: it is left for the person to fix.
    #[error("{path}: {message}; fix or remove the file, it was not changed")]
    Malformed {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The new value is refused.
    #[error("{0}")]
    Invalid(String),
    /// Someone changed the file between our read and our write.
    #[error("{0} changed on disk while it was being saved; try again")]
    Changed(String),
    /// Reading or writing failed.
    #[error(transparent)]
    Core(#[from] crate::Error),
}

crate::core_from_layers!(SaveError);

/// One change to the settings file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `language`: `en`, `zh-TW`, or None to follow the system.
    Language(Option<String>),
    /// `notifications`.
    Notifications(bool),
    /// `background_refresh`.
    BackgroundRefresh(bool),
    /// `autostart`.
    Autostart(bool),
    /// `warn_before`, e.g. `["15m", "5m"]`.
    WarnBefore(Vec<String>),
    /// `portal_rate_limit`.
    PortalRateLimit(u32),
    /// `clipboard_clear_after`, in seconds (0: never).
    ClipboardClearAfter(u32),
    /// `[sessions.NAME] browser`; None removes it.
    SessionBrowser(String, Option<String>),
    /// `[sessions.NAME] duration`; None removes it.
    SessionDuration(String, Option<String>),
    /// `[profiles.NAME] console_browser`; None removes it.
    ConsoleBrowser(String, Option<String>),
}

impl Change {
    fn check(&self) -> Result<(), SaveError> {
        let bad = |m: String| Err(SaveError::Invalid(m));
        match self {
            Change::Language(Some(l)) if !matches!(l.as_str(), "en" | "zh-TW") => {
                bad(format!("language must be \"en\" or \"zh-TW\", not {l:?}"))
            }
            Change::WarnBefore(list) => match list.iter().find_map(|w| parse_duration(w).err()) {
                Some(e) => bad(format!("warn_before: {e}")),
                None => Ok(()),
            },
            Change::PortalRateLimit(0) => bad("portal_rate_limit must be at least 1".into()),
            Change::SessionDuration(name, Some(d)) => match parse_duration(d) {
                Err(e) => bad(format!("sessions.{name}.duration: {e}")),
                Ok(_) => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn apply(&self, doc: &mut toml_edit::Document) {
        use toml_edit::{value, Array, Item};
        fn table<'d>(
            doc: &'d mut toml_edit::Document,
            outer: &str,
            name: &str,
        ) -> &'d mut toml_edit::Table {
            let outer = doc.entry(outer).or_insert_with(|| {
                let mut t = toml_edit::Table::new();
                t.set_implicit(true);
                Item::Table(t)
            });
            if !outer.is_table() {
                *outer = Item::Table(toml_edit::Table::new());
            }
            let t = outer.as_table_mut().expect("a table");
            let inner = t
                .entry(name)
                .or_insert_with(|| Item::Table(toml_edit::Table::new()));
            if !inner.is_table() {
                *inner = Item::Table(toml_edit::Table::new());
            }
            inner.as_table_mut().expect("a table")
        }
        /// Sets a value, keeping the old one's comments and spacing.
        fn put(t: &mut toml_edit::Table, key: &str, new: toml_edit::Value) {
            let mut new = new;
            if let Some(old) = t.get(key).and_then(Item::as_value) {
                *new.decor_mut() = old.decor().clone();
            }
            t[key] = value(new);
        }
        fn set_or_remove(t: &mut toml_edit::Table, key: &str, v: &Option<String>) {
            match v {
                Some(v) => put(t, key, v.as_str().into()),
                None => {
                    t.remove(key);
                }
            }
        }
        match self {
            Change::Language(None) => {
                doc.remove("language");
            }
            Change::Language(Some(l)) => put(doc, "language", l.as_str().into()),
            Change::Notifications(b) => put(doc, "notifications", (*b).into()),
            Change::BackgroundRefresh(b) => put(doc, "background_refresh", (*b).into()),
            Change::Autostart(b) => put(doc, "autostart", (*b).into()),
            Change::WarnBefore(list) => {
                let mut a = Array::new();
                for w in list {
                    a.push(w.as_str());
                }
                put(doc, "warn_before", a.into());
            }
            Change::PortalRateLimit(n) => put(doc, "portal_rate_limit", i64::from(*n).into()),
            Change::ClipboardClearAfter(n) => {
                put(doc, "clipboard_clear_after", i64::from(*n).into())
            }
            Change::SessionBrowser(n, v) => set_or_remove(table(doc, "sessions", n), "browser", v),
            Change::SessionDuration(n, v) => {
                set_or_remove(table(doc, "sessions", n), "duration", v)
            }
            Change::ConsoleBrowser(n, v) => {
                set_or_remove(table(doc, "profiles", n), "console_browser", v)
            }
        }
    }
}

/// Applies changes to the settings file (created 0600 in its 0700 folder if missing), keeping
/// comments and unknown keys; returns the settings now in force. All changes or none.
pub fn update(dirs: &Dirs, changes: &[Change]) -> Result<Settings, SaveError> {
    for c in changes {
        c.check()?;
    }
    let path = dirs.settings_file();
    let shown = path.display().to_string();
    // The tray, the window and the CLI take turns: read to write under one lock.
    let _lock = crate::guard::FileLock::acquire(&dirs.locks_dir(), &path)?;
    let before = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::Error::io("cannot read", &path, e).into()),
    };
    let text = before.as_deref().unwrap_or("");
    let malformed = |message: String| SaveError::Malformed {
        path: shown.clone(),
        message,
    };
    let mut doc: toml_edit::Document = text.parse().map_err(|e: toml_edit::TomlError| {
        malformed(
            e.to_string()
                .lines()
                .next()
                .unwrap_or("not TOML")
                .to_owned(),
        )
    })?;
    // A file serde cannot read either (a wrong type) is the person's to fix, not ours to reset.
    toml::from_str::<Settings>(text).map_err(|e| malformed(e.message().trim_end().to_owned()))?;
    for c in changes {
        c.apply(&mut doc);
    }
    let new = doc.to_string();
    let settings: Settings =
        toml::from_str(&new).map_err(|e| SaveError::Invalid(e.message().to_owned()))?;
    if before.as_deref() == Some(new.as_str()) {
        return Ok(settings);
    }
    let now = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::Error::io("cannot read", &path, e).into()),
    };
    if now != before {
        return Err(SaveError::Changed(shown));
    }
    crate::fsio::write_private(&path, new.as_bytes())?;
    Ok(settings)
}

#[cfg(test)]
mod tests;
