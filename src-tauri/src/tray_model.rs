//! The tray menu as plain data, computed from the app's state: which icon to show and which
//! entries, in which order, with which labels. Free of Tauri types so it is unit-tested here.
//! The Tauri side ([`crate::tray`]) turns a [`TrayModel`] into a menu, and goes from the model it
//! shows to the next one as [`TrayModel::update_from`] says: nothing when what is shown is the
//! same (a countdown a second shorter still says the same minute), new texts on the items it
//! keeps when only labels changed, a new menu otherwise.

use lanyard_core::sessions::state::State;
use time::Duration;

use crate::i18n::{self, Language};

/// Which of the tray icons (`icons/tray/*.png`) to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayIcon {
    /// `ok.png`
    Ok,
    /// `expiring.png`
    Expiring,
    /// `expired.png`
    Expired,
    /// `signed-out.png`
    SignedOut,
}

/// What clicking a menu entry does. Each action has a stable menu id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "camelCase")]
pub enum TrayAction {
    /// Sign in to the named session (its own flow).
    SignIn(String),
    /// Sign out of the named session.
    SignOut(String),
    /// Stop a sign-in that is waiting (its browser page or device code no longer counts).
    CancelSignIn(String),
    /// Sign in to every session that is signed out or expired.
    SignInAll,
    /// Copy the active profile's credentials as `export` lines.
    CopyCredentials,
    /// Copy the named profile's credentials as `export` lines (the window's Profiles page).
    CopyCredentialsOf(String),
    /// Open the AWS console for the active profile.
    OpenConsole,
    /// Make the named profile the default one (mirrored into the default section).
    UseProfile(String),
    /// Put the person's own default profile back.
    RestoreDefault,
    /// Open the window to search every profile (the submenu shows only a few).
    MoreProfiles,
    /// Show the window, creating it if it was closed.
    OpenWindow,
    /// Quit the app (exit code 0).
    Quit,
}

/// Menu id prefix of [`TrayAction::SignIn`] (followed by the session name).
pub const ID_SIGN_IN: &str = "sign-in:";
/// Menu id prefix of [`TrayAction::SignOut`] (followed by the session name).
pub const ID_SIGN_OUT: &str = "sign-out:";
/// Menu id prefix of [`TrayAction::CancelSignIn`] (followed by the session name).
pub const ID_CANCEL_SIGN_IN: &str = "cancel-sign-in:";
/// Menu id of [`TrayAction::SignInAll`].
pub const ID_SIGN_IN_ALL: &str = "sign-in-all";
/// Menu id of [`TrayAction::CopyCredentials`].
pub const ID_COPY_CREDENTIALS: &str = "copy-credentials";
/// Id prefix of [`TrayAction::CopyCredentialsOf`] (followed by the profile name; no menu item
/// has it, the window asks for it).
pub const ID_COPY_CREDENTIALS_OF: &str = "copy-credentials:";
/// Menu id of [`TrayAction::OpenConsole`].
pub const ID_OPEN_CONSOLE: &str = "open-console";
/// Menu id prefix of [`TrayAction::UseProfile`] (followed by the profile name).
pub const ID_USE_PROFILE: &str = "use-profile:";
/// Menu id of [`TrayAction::RestoreDefault`].
pub const ID_RESTORE_DEFAULT: &str = "restore-default";
/// Menu id of [`TrayAction::MoreProfiles`].
pub const ID_MORE_PROFILES: &str = "more-profiles";
/// Menu id of the Profiles submenu.
pub const ID_PROFILES: &str = "profiles";
/// Menu id of the line naming a settings problem (not clickable).
pub const ID_SETTINGS_PROBLEM: &str = "settings-problem";
/// Menu id of the line naming a config problem (not clickable).
pub const ID_CONFIG_PROBLEM: &str = "config-problem";
/// How many profiles the submenu lists before "More…".
pub const PROFILES_SHOWN: usize = 8;
/// Menu id of [`TrayAction::OpenWindow`].
pub const ID_OPEN_WINDOW: &str = "open-window";
/// Menu id of [`TrayAction::Quit`].
pub const ID_QUIT: &str = "quit";
/// Menu id of the first line (overall state; not clickable).
pub const ID_STATUS: &str = "status";
/// Menu id prefix of a session's state line (not clickable).
pub const ID_SESSION: &str = "session:";
/// Menu id of the active profile's line (not clickable).
pub const ID_PROFILE: &str = "profile";

impl TrayAction {
    /// The menu id the item is created with.
    pub fn id(&self) -> String {
        match self {
            TrayAction::SignIn(name) => format!("{ID_SIGN_IN}{name}"),
            TrayAction::SignOut(name) => format!("{ID_SIGN_OUT}{name}"),
            TrayAction::CancelSignIn(name) => format!("{ID_CANCEL_SIGN_IN}{name}"),
            TrayAction::SignInAll => ID_SIGN_IN_ALL.into(),
            TrayAction::CopyCredentials => ID_COPY_CREDENTIALS.into(),
            TrayAction::CopyCredentialsOf(name) => format!("{ID_COPY_CREDENTIALS_OF}{name}"),
            TrayAction::OpenConsole => ID_OPEN_CONSOLE.into(),
            TrayAction::UseProfile(name) => format!("{ID_USE_PROFILE}{name}"),
            TrayAction::RestoreDefault => ID_RESTORE_DEFAULT.into(),
            TrayAction::MoreProfiles => ID_MORE_PROFILES.into(),
            TrayAction::OpenWindow => ID_OPEN_WINDOW.into(),
            TrayAction::Quit => ID_QUIT.into(),
        }
    }

    /// The action for a menu id, if it is one of ours.
    pub fn from_id(id: &str) -> Option<TrayAction> {
        if let Some(name) = id.strip_prefix(ID_SIGN_IN) {
            return Some(TrayAction::SignIn(name.to_owned()));
        }
        if let Some(name) = id.strip_prefix(ID_SIGN_OUT) {
            return Some(TrayAction::SignOut(name.to_owned()));
        }
        if let Some(name) = id.strip_prefix(ID_CANCEL_SIGN_IN) {
            return Some(TrayAction::CancelSignIn(name.to_owned()));
        }
        if let Some(name) = id.strip_prefix(ID_USE_PROFILE) {
            return Some(TrayAction::UseProfile(name.to_owned()));
        }
        if let Some(name) = id.strip_prefix(ID_COPY_CREDENTIALS_OF) {
            return Some(TrayAction::CopyCredentialsOf(name.to_owned()));
        }
        Some(match id {
            ID_SIGN_IN_ALL => TrayAction::SignInAll,
            ID_COPY_CREDENTIALS => TrayAction::CopyCredentials,
            ID_OPEN_CONSOLE => TrayAction::OpenConsole,
            ID_RESTORE_DEFAULT => TrayAction::RestoreDefault,
            ID_MORE_PROFILES => TrayAction::MoreProfiles,
            ID_OPEN_WINDOW => TrayAction::OpenWindow,
            ID_QUIT => TrayAction::Quit,
            _ => return None,
        })
    }
}

/// One line of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayEntry {
    /// A clickable item.
    Item {
        /// What it does (and its id).
        action: TrayAction,
        /// Its text, already translated.
        label: String,
    },
    /// A line of information (shown, not clickable).
    Info {
        /// Its menu id.
        id: String,
        /// Its text, already translated.
        label: String,
    },
    /// A radio-style item: checked when it is the current choice.
    Check {
        /// What it does (and its id).
        action: TrayAction,
        /// Its text.
        label: String,
        /// Whether it is the current choice.
        checked: bool,
    },
    /// A submenu.
    Submenu {
        /// Its menu id.
        id: String,
        /// Its text.
        label: String,
        /// Its entries.
        entries: Vec<TrayEntry>,
    },
    /// A separator line.
    Separator,
}

/// One session as the tray shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    /// The session's name (sso-session name, or a legacy start URL).
    pub name: String,
    /// Its state.
    pub state: State,
    /// Time left until its end, when known.
    pub left: Option<Duration>,
    /// Whether the end is an estimate (refreshable sessions).
    pub estimate: bool,
    /// Whether only a sign-in helps (the service refused the session; its token may still be
    /// served until `left` runs out).
    pub needs_sign_in: bool,
}

/// What the tray model is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayInput {
    /// The language of the labels.
    pub language: Language,
    /// Every known session, in config order.
    pub sessions: Vec<SessionLine>,
    /// The profile tools use when none is named (`AWS_PROFILE`, else `default`).
    pub profile: String,
    /// The profiles the Profiles submenu lists (recently chosen first).
    pub profiles: Vec<String>,
    /// Whether more profiles exist than the submenu lists.
    pub more_profiles: bool,
    /// The profile the default section mirrors, if Lanyard switched it.
    pub mirrors: Option<String>,
    /// Whether the person's own default is kept (Restore my default is offered).
    pub can_restore: bool,
    /// A problem with the config file (it names the line); the last good state is shown.
    pub config_problem: Option<String>,
    /// A problem with Lanyard's settings file (defaults are used meanwhile).
    pub settings_problem: Option<String>,
}

impl Default for TrayInput {
    fn default() -> Self {
        TrayInput {
            language: Language::En,
            sessions: Vec::new(),
            profile: "default".into(),
            profiles: Vec::new(),
            more_profiles: false,
            mirrors: None,
            can_restore: false,
            config_problem: None,
            settings_problem: None,
        }
    }
}

/// The whole tray: icon, title and menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayModel {
    /// The icon: the worst state among the sessions.
    pub icon: TrayIcon,
    /// The overall state in words: the first line, and the title where the platform shows one.
    pub title: String,
    /// The menu entries, top to bottom.
    pub entries: Vec<TrayEntry>,
}

/// How the tray goes from the model it shows to the next: only what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayUpdate {
    /// The new icon, when it changed.
    pub icon: Option<TrayIcon>,
    /// The new title, when it changed.
    pub title: Option<String>,
    /// What the menu needs.
    pub menu: MenuUpdate,
}

/// What the menu needs to show the next model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuUpdate {
    /// Nothing: every entry is the same.
    Same,
    /// The same entries with other texts: (menu id, new label) of each entry whose label
    /// changed, set on the items kept.
    Relabel(Vec<(String, String)>),
    /// Entries came, went or changed otherwise (an action, a check mark): a new menu.
    Rebuild,
}

impl TrayUpdate {
    /// True when nothing shown changes.
    pub fn is_empty(&self) -> bool {
        self.icon.is_none() && self.title.is_none() && self.menu == MenuUpdate::Same
    }
}

/// Time left as the tray says it: `3 h 12 min`, `45 min`, `under a minute`; `≈ …` for estimates.
pub fn time_left(lang: Language, left: Duration, estimate: bool) -> String {
    let minutes = left.whole_minutes().max(0);
    let (h, m) = (minutes / 60, minutes % 60);
    let text = if h > 0 {
        i18n::fill(
            lang,
            "time.hoursMinutes",
            &[("h", &h.to_string()), ("m", &m.to_string())],
        )
    } else if m > 0 {
        i18n::fill(lang, "time.minutes", &[("m", &m.to_string())])
    } else {
        i18n::text(lang, "time.underAMinute")
    };
    if estimate {
        i18n::fill(lang, "time.estimate", &[("time", &text)])
    } else {
        text
    }
}

/// A label as the native menu must be given it: `&` marks an access key for muda on every
/// platform, so a literal `&` (a session named `R&D`) is doubled.
pub fn menu_text(label: &str) -> String {
    label.replace('&', "&&")
}

/// How bad a state is, for the icon and the first line: ok < signed out < expiring < expired.
fn badness(state: State) -> u8 {
    match state {
        State::Valid => 0,
        State::SignedOut => 1,
        State::Expiring => 2,
        State::Expired => 3,
    }
}

impl TrayModel {
    /// Computes the tray for a state.
    pub fn build(input: &TrayInput) -> TrayModel {
        let lang = input.language;
        let item = |action: TrayAction, label: String| TrayEntry::Item { action, label };
        let worst = input
            .sessions
            .iter()
            .map(|s| s.state)
            .max_by_key(|s| badness(*s));
        let title = status_line(input, worst);
        let mut entries = vec![TrayEntry::Info {
            id: ID_STATUS.into(),
            label: title.clone(),
        }];
        if let Some(problem) = &input.config_problem {
            entries.push(TrayEntry::Info {
                id: ID_CONFIG_PROBLEM.into(),
                label: i18n::fill(lang, "tray.configProblem", &[("message", problem)]),
            });
        }
        if let Some(problem) = &input.settings_problem {
            entries.push(TrayEntry::Info {
                id: ID_SETTINGS_PROBLEM.into(),
                label: i18n::fill(lang, "tray.settingsProblem", &[("message", problem)]),
            });
        }
        entries.push(TrayEntry::Separator);
        for s in &input.sessions {
            let name = [("name", s.name.as_str())];
            let label = match (s.state, s.left) {
                (State::SignedOut, _) => i18n::fill(lang, "tray.session.signedOut", &name),
                (State::Expired, _) if s.needs_sign_in => {
                    i18n::fill(lang, "tray.session.needsSignIn", &name)
                }
                (State::Expired, _) => i18n::fill(lang, "tray.session.expired", &name),
                (_, Some(left)) if s.needs_sign_in => i18n::fill(
                    lang,
                    "tray.session.leftThenSignIn",
                    &[
                        ("name", &s.name),
                        ("time", &time_left(lang, left, s.estimate)),
                    ],
                ),
                (_, Some(left)) => i18n::fill(
                    lang,
                    "tray.session.left",
                    &[
                        ("name", &s.name),
                        ("time", &time_left(lang, left, s.estimate)),
                    ],
                ),
                (_, None) => s.name.clone(),
            };
            entries.push(TrayEntry::Info {
                id: format!("{ID_SESSION}{}", s.name),
                label,
            });
            let sign_in = item(
                TrayAction::SignIn(s.name.clone()),
                i18n::fill(lang, "tray.signIn", &name),
            );
            let sign_out = item(
                TrayAction::SignOut(s.name.clone()),
                i18n::fill(lang, "tray.signOut", &name),
            );
            match s.state {
                State::SignedOut => entries.push(sign_in),
                State::Valid => entries.push(sign_out),
                // Renewal in one click, and still the way out.
                State::Expiring | State::Expired => entries.extend([sign_in, sign_out]),
            }
        }
        if !input.sessions.is_empty() {
            entries.push(item(
                TrayAction::SignInAll,
                i18n::text(lang, "tray.signInAll"),
            ));
            entries.push(TrayEntry::Separator);
        }
        // With no AWS_PROFILE, what tools use is the default section: name what it mirrors.
        let shown = match (&input.mirrors, input.profile.as_str()) {
            (Some(m), "default") => m.as_str(),
            _ => input.profile.as_str(),
        };
        entries.push(TrayEntry::Info {
            id: ID_PROFILE.into(),
            label: i18n::fill(lang, "tray.profile", &[("profile", shown)]),
        });
        if !input.profiles.is_empty() || input.can_restore {
            let mut sub: Vec<TrayEntry> = input
                .profiles
                .iter()
                .map(|p| TrayEntry::Check {
                    action: TrayAction::UseProfile(p.clone()),
                    label: p.clone(),
                    checked: input.mirrors.as_deref() == Some(p.as_str()),
                })
                .collect();
            if input.more_profiles || input.can_restore {
                sub.push(TrayEntry::Separator);
            }
            if input.more_profiles {
                sub.push(item(
                    TrayAction::MoreProfiles,
                    i18n::text(lang, "tray.moreProfiles"),
                ));
            }
            if input.can_restore {
                sub.push(item(
                    TrayAction::RestoreDefault,
                    i18n::text(lang, "tray.restoreDefault"),
                ));
            }
            entries.push(TrayEntry::Submenu {
                id: ID_PROFILES.into(),
                label: i18n::text(lang, "tray.profiles"),
                entries: sub,
            });
        }
        entries.extend([
            item(
                TrayAction::CopyCredentials,
                i18n::text(lang, "tray.copyCredentials"),
            ),
            item(
                TrayAction::OpenConsole,
                i18n::text(lang, "tray.openConsole"),
            ),
            TrayEntry::Separator,
            item(TrayAction::OpenWindow, i18n::text(lang, "tray.open")),
            item(TrayAction::Quit, i18n::text(lang, "tray.quit")),
        ]);
        TrayModel {
            icon: icon_for(worst),
            title,
            entries,
        }
    }

    /// What changes from `shown` (the model the tray shows) to this one. Compares what is
    /// rendered (labels, icon, title), so a reload that only shortens a countdown within the
    /// same minute changes nothing.
    pub fn update_from(&self, shown: &TrayModel) -> TrayUpdate {
        let mut relabel = Vec::new();
        let menu = if !relabel_entries(&shown.entries, &self.entries, &mut relabel) {
            MenuUpdate::Rebuild
        } else if relabel.is_empty() {
            MenuUpdate::Same
        } else {
            MenuUpdate::Relabel(relabel)
        };
        TrayUpdate {
            icon: (self.icon != shown.icon).then_some(self.icon),
            title: (self.title != shown.title).then(|| self.title.clone()),
            menu,
        }
    }

    /// The labels of the shown lines, in order (what a D-Bus client of the menu sees).
    pub fn labels(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                TrayEntry::Item { label, .. }
                | TrayEntry::Info { label, .. }
                | TrayEntry::Check { label, .. }
                | TrayEntry::Submenu { label, .. } => Some(label.as_str()),
                TrayEntry::Separator => None,
            })
            .collect()
    }
}

/// Collects into `out` the (id, new label) of each entry of `new` whose label differs from the
/// same entry of `old`; false when the entries differ otherwise (a new menu is needed).
fn relabel_entries(old: &[TrayEntry], new: &[TrayEntry], out: &mut Vec<(String, String)>) -> bool {
    if old.len() != new.len() {
        return false;
    }
    for (o, n) in old.iter().zip(new) {
        let (id, old_label, new_label) = match (o, n) {
            (TrayEntry::Separator, TrayEntry::Separator) => continue,
            (
                TrayEntry::Item { action, label },
                TrayEntry::Item {
                    action: a,
                    label: l,
                },
            ) if action == a => (action.id(), label, l),
            (TrayEntry::Info { id, label }, TrayEntry::Info { id: i, label: l }) if id == i => {
                (id.clone(), label, l)
            }
            (
                TrayEntry::Check {
                    action,
                    label,
                    checked,
                },
                TrayEntry::Check {
                    action: a,
                    label: l,
                    checked: c,
                },
            ) if action == a && checked == c => (action.id(), label, l),
            (
                TrayEntry::Submenu { id, label, entries },
                TrayEntry::Submenu {
                    id: i,
                    label: l,
                    entries: e,
                },
            ) if id == i => {
                if !relabel_entries(entries, e, out) {
                    return false;
                }
                (id.clone(), label, l)
            }
            _ => return false,
        };
        if old_label != new_label {
            out.push((id, new_label.clone()));
        }
    }
    true
}

/// The first line: the overall state in words, naming the sessions in the worst state.
fn status_line(input: &TrayInput, worst: Option<State>) -> String {
    let lang = input.language;
    let Some(worst) = worst else {
        return i18n::text(lang, "tray.status.none");
    };
    let names = input
        .sessions
        .iter()
        .filter(|s| s.state == worst)
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let key = match worst {
        State::Valid => return i18n::text(lang, "tray.status.ok"),
        State::SignedOut => "tray.status.signedOut",
        State::Expiring => "tray.status.expiring",
        State::Expired => "tray.status.expired",
    };
    i18n::fill(lang, key, &[("names", &names)])
}

/// The worst state wins; no sessions at all shows "signed out".
fn icon_for(worst: Option<State>) -> TrayIcon {
    match worst {
        None | Some(State::SignedOut) => TrayIcon::SignedOut,
        Some(State::Valid) => TrayIcon::Ok,
        Some(State::Expiring) => TrayIcon::Expiring,
        Some(State::Expired) => TrayIcon::Expired,
    }
}

#[cfg(test)]
mod tests;
