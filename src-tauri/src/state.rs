//! The app's managed state: the injected core [`Context`] and what the shell itself tracks (the
//! language of the tray and window, whether a tray host is running, the sessions the tray shows,
//! the device sign-ins waiting for their code to be confirmed, the last few texts of the config
//! file the window read).

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use lanyard_core::Context;
use serde::{Deserialize, Serialize};

use crate::i18n::Language;
use crate::tray_model::{SessionLine, TrayAction, TrayInput};

/// State shared by commands, the tray and the event loop.
#[derive(Debug)]
pub struct AppState {
    /// The environment, folders and clock, as for every lanyard-core call.
    pub ctx: Context,
    language: Mutex<Language>,
    tray_host: AtomicBool,
    sessions: Mutex<Vec<SessionLine>>,
    profiles: Mutex<ProfilesMenu>,
    engine: OnceLock<Sender<Command>>,
    device_codes: Mutex<BTreeMap<String, DeviceCode>>,
    texts: Mutex<VecDeque<(String, Arc<String>)>>,
}

/// What the sessions engine ([`crate::engine`]) is asked to do: sent through [`AppState::send`]
/// by the tray, the window's commands and the engine's own tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Reload the sessions now (something changed on disk).
    Reload,
    /// A tray (or notification) action.
    Action(TrayAction),
    /// A sign-in finished (either way).
    SignInDone(String),
    /// A background refresh worked.
    RefreshOk(String),
    /// The token was still too fresh for lanyard-core's refresh rule (it knows the token's
    /// lifetime; the schedule does not): try again at the next tick.
    RefreshNotYet(String),
    /// A background refresh failed (not `invalid_grant`: that is the end) with this message.
    RefreshFailed(String, String),
}

/// How many texts of the config file the window's state keeps (the versions it read last).
pub const KNOWN_TEXTS: usize = 4;

/// The event sent to the window when a device sign-in starts (payload [`DeviceCode`]).
pub const EVENT_DEVICE_CODE: &str = "device-code";
/// The event sent to the window when a sign-in ends either way (payload [`SignInDone`]).
pub const EVENT_SIGN_IN_DONE: &str = "sign-in-done";
/// The event sent to the window when what its pages show changed, by the tray's doing or another
/// program's (payload [`StateChanged`]): the pages read again at once.
pub const EVENT_STATE_CHANGED: &str = "state-changed";
/// The event sent to the window as a portal listing of the Populate page progresses (payload
/// [`crate::dto::PortalProgress`]; throttled, see [`crate::progress`]).
pub const EVENT_POPULATE_PROGRESS: &str = "populate-progress";

/// A device sign-in waiting for its code to be confirmed in a browser. Nothing here is secret:
/// the person has to read the code to type it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DeviceCode {
    /// The session signing in.
    pub session: String,
    /// The code to confirm.
    pub user_code: String,
    /// Where to confirm it.
    pub verification_uri: String,
    /// The same page with the code filled in (what the link opens).
    pub verification_uri_complete: String,
}

/// How a sign-in ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SignInDone {
    /// The session.
    pub session: String,
    /// True if it is signed in now.
    pub ok: bool,
    /// Why not, as lanyard-core's stable code (`SessionError::code`); `None` when ok.
    pub code: Option<String>,
}

/// What the window's pages show, by area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Area {
    /// The sessions and their states (the Sessions page).
    Sessions,
    /// The config file: profiles, the default, sso-sessions (the Profiles page).
    Profiles,
    /// The settings file.
    Settings,
}

/// What changed (the `state-changed` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateChanged {
    /// The areas that changed.
    pub what: Vec<Area>,
}

/// What the tray shows of the profiles and of the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfilesMenu {
    /// The profiles the submenu lists, recently chosen first.
    pub profiles: Vec<String>,
    /// Whether more exist than are listed.
    pub more: bool,
    /// The profile the default section mirrors.
    pub mirrors: Option<String>,
    /// Whether the person's own default is kept.
    pub can_restore: bool,
    /// A problem with the config file, naming its line.
    pub config_problem: Option<String>,
    /// A problem with the settings file.
    pub settings_problem: Option<String>,
}

/// What the window asks for when it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: &'static str,
    /// The language to show (`LANYARD_LANG`, else the OS language).
    pub language: Language,
    /// Whether a tray host is running; if not, the window says that closing it quits.
    pub tray_available: bool,
}

impl AppState {
    /// State for a start-up in `ctx`.
    pub fn new(ctx: Context, language: Language, tray_host: bool) -> Self {
        AppState {
            ctx,
            language: Mutex::new(language),
            tray_host: AtomicBool::new(tray_host),
            sessions: Mutex::new(Vec::new()),
            profiles: Mutex::new(ProfilesMenu::default()),
            engine: OnceLock::new(),
            device_codes: Mutex::new(BTreeMap::new()),
            texts: Mutex::new(VecDeque::with_capacity(KNOWN_TEXTS)),
        }
    }

    /// The current language.
    pub fn language(&self) -> Language {
        *self.language.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Switches the language (not persisted yet; Settings will save it).
    pub fn set_language(&self, language: Language) {
        *self.language.lock().unwrap_or_else(PoisonError::into_inner) = language;
    }

    /// Whether a tray host was running at the last check.
    pub fn tray_available(&self) -> bool {
        self.tray_host.load(Ordering::Relaxed)
    }

    /// Records the result of a new tray-host check.
    pub fn set_tray_available(&self, available: bool) {
        self.tray_host.store(available, Ordering::Relaxed);
    }

    /// Replaces the sessions the tray shows; true if they changed.
    pub fn set_sessions(&self, lines: Vec<SessionLine>) -> bool {
        let mut cur = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = *cur != lines;
        *cur = lines;
        changed
    }

    /// Replaces what the tray shows of profiles and the config; true if it changed.
    pub fn set_profiles(&self, mut menu: ProfilesMenu) -> bool {
        let mut cur = self.profiles.lock().unwrap_or_else(PoisonError::into_inner);
        // The settings problem comes from another file and is set on its own.
        menu.settings_problem = cur.settings_problem.clone();
        let changed = *cur != menu;
        *cur = menu;
        changed
    }

    /// Records a config problem (or its end) without touching the last good profile list;
    /// true if it changed.
    pub fn set_config_problem(&self, problem: Option<String>) -> bool {
        let mut cur = self.profiles.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = cur.config_problem != problem;
        cur.config_problem = problem;
        changed
    }

    /// Records a settings problem (or its end); true if it changed.
    pub fn set_settings_problem(&self, problem: Option<String>) -> bool {
        let mut cur = self.profiles.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = cur.settings_problem != problem;
        cur.settings_problem = problem;
        changed
    }

    /// Connects the sessions engine (once, at start-up).
    pub fn set_engine(&self, tx: Sender<Command>) {
        let _ = self.engine.set(tx);
    }

    /// Sends the engine a command (dropped, with a log line, before it runs).
    pub fn send(&self, cmd: Command) {
        match self.engine.get() {
            Some(tx) => {
                let _ = tx.send(cmd);
            }
            None => tracing::warn!(?cmd, "the sessions engine is not running"),
        }
    }

    /// Records a device sign-in waiting for its code (replacing an older one of that session).
    pub fn set_device_code(&self, code: DeviceCode) {
        self.device_codes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(code.session.clone(), code);
    }

    /// Forgets the device sign-in of `session` (it ended).
    pub fn clear_device_code(&self, session: &str) {
        self.device_codes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(session);
    }

    /// The device sign-in of `session`, if one waits.
    pub fn device_code(&self, session: &str) -> Option<DeviceCode> {
        self.device_codes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(session)
            .cloned()
    }

    /// Every device sign-in waiting, by session name (a window opened after the event missed it).
    pub fn device_codes(&self) -> Vec<DeviceCode> {
        self.device_codes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }

    /// Remembers the config file's text at `version` (the last [`KNOWN_TEXTS`] versions read
    /// are kept), so that an edit made against it that conflicts can show what changed since.
    /// Nothing is kept for a missing file (its text is empty anyway).
    pub fn remember_text(&self, version: &str, text: Option<Arc<String>>) {
        let Some(text) = text else {
            return;
        };
        let mut texts = self.texts.lock().unwrap_or_else(PoisonError::into_inner);
        texts.retain(|(v, _)| v != version);
        texts.push_front((version.to_owned(), text));
        texts.truncate(KNOWN_TEXTS);
    }

    /// The config file's text at `version`, if it is one of the last read.
    pub fn known_text(&self, version: &str) -> Option<Arc<String>> {
        self.texts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(v, _)| v == version)
            .map(|(_, t)| Arc::clone(t))
    }

    /// What the window needs at load time.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION"),
            language: self.language(),
            tray_available: self.tray_available(),
        }
    }

    /// What the tray model is computed from.
    pub fn tray_input(&self) -> TrayInput {
        let profiles = self
            .profiles
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        TrayInput {
            language: self.language(),
            sessions: self
                .sessions
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            profile: lanyard_core::sessions::resolve::default_profile(&self.ctx.env),
            profiles: profiles.profiles,
            more_profiles: profiles.more,
            mirrors: profiles.mirrors,
            can_restore: profiles.can_restore,
            config_problem: profiles.config_problem,
            settings_problem: profiles.settings_problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_core::Env;

    fn state() -> AppState {
        let ctx = Context::from_env(Env::from_pairs([("HOME", "/nonexistent")])).expect("ctx");
        AppState::new(ctx, Language::En, true)
    }

    #[test]
    fn info_serializes_in_camel_case_with_language_tags() {
        let s = state();
        s.set_language(Language::ZhTw);
        s.set_tray_available(false);
        let json = serde_json::to_value(s.info()).expect("json");
        assert_eq!(json["language"], "zh-TW");
        assert_eq!(json["trayAvailable"], false);
        assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    }

    fn code(session: &str, user_code: &str) -> DeviceCode {
        DeviceCode {
            session: session.into(),
            user_code: user_code.into(),
            verification_uri: "https://device.example/".into(),
            verification_uri_complete: format!("https://device.example/?user_code={user_code}"),
        }
    }

    #[test]
    fn device_codes_are_kept_per_session_until_cleared() {
        let s = state();
        s.set_device_code(code("lab", "AAAA-BBBB"));
        s.set_device_code(code("corp", "CCCC-DDDD"));
        s.set_device_code(code("lab", "EEEE-FFFF"));
        let codes: Vec<_> = s.device_codes().into_iter().map(|c| c.user_code).collect();
        assert_eq!(codes, ["CCCC-DDDD", "EEEE-FFFF"]);
        s.clear_device_code("lab");
        assert_eq!(s.device_code("lab"), None);
        assert_eq!(
            s.device_code("corp").map(|c| c.user_code).as_deref(),
            Some("CCCC-DDDD")
        );
        let json = serde_json::to_value(code("lab", "X")).expect("json");
        assert_eq!(json["userCode"], "X");
        assert_eq!(
            json["verificationUriComplete"],
            "https://device.example/?user_code=X"
        );
    }

    #[test]
    fn sign_in_done_carries_the_error_code_only() {
        let done = SignInDone {
            session: "lab".into(),
            ok: false,
            code: Some("access_denied".into()),
        };
        assert_eq!(
            serde_json::to_value(done).expect("json"),
            serde_json::json!({"session": "lab", "ok": false, "code": "access_denied"})
        );
    }

    #[test]
    fn the_last_few_config_texts_are_kept_by_version() {
        let s = state();
        let text = |t: &str| Some(Arc::new(t.to_owned()));
        for n in 0..KNOWN_TEXTS {
            s.remember_text(&format!("v{n}"), text(&format!("text {n}")));
        }
        s.remember_text("v0", text("text 0"));
        s.remember_text("new", text("newest"));
        s.remember_text("none", None);
        assert_eq!(s.known_text("v1"), None, "the oldest went");
        assert_eq!(
            s.known_text("v0").as_deref().map(String::as_str),
            Some("text 0")
        );
        assert_eq!(
            s.known_text("new").as_deref().map(String::as_str),
            Some("newest")
        );
        assert_eq!(s.known_text("none"), None);
    }

    #[test]
    fn tray_input_follows_the_language() {
        let s = state();
        assert_eq!(s.tray_input().language, Language::En);
        s.set_language(Language::ZhTw);
        assert_eq!(s.tray_input().language, Language::ZhTw);
    }
}
