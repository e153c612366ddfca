//! The tray menu as plain data, computed from the app's state: which icon to show and which
//! entries, in which order, with which labels. Free of Tauri types so it is unit-tested here and
//! can move to lanyard-core once sessions exist there. The Tauri side ([`super`]) only turns a
//! [`TrayModel`] into a menu; it never edits items one by one, it rebuilds the whole menu.

use crate::i18n::{self, Language};

/// The state of one session as the tray icon sees it. Declared from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SessionHealth {
    /// Signed in, not close to its end.
    Ok,
    /// Not signed in.
    SignedOut,
    /// Signed in, ends soon.
    Expiring,
    /// Ended.
    Expired,
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    /// Show the window, creating it if it was closed.
    OpenWindow,
    /// Quit the app (exit code 0).
    Quit,
}

/// Menu id of [`TrayAction::OpenWindow`].
pub const ID_OPEN_WINDOW: &str = "open-window";
/// Menu id of [`TrayAction::Quit`].
pub const ID_QUIT: &str = "quit";

impl TrayAction {
    /// Every action, for round-trip tests.
    pub const ALL: [TrayAction; 2] = [TrayAction::OpenWindow, TrayAction::Quit];

    /// The menu id the item is created with.
    pub fn id(self) -> &'static str {
        match self {
            TrayAction::OpenWindow => ID_OPEN_WINDOW,
            TrayAction::Quit => ID_QUIT,
        }
    }

    /// The action for a menu id, if it is one of ours.
    pub fn from_id(id: &str) -> Option<TrayAction> {
        TrayAction::ALL.into_iter().find(|a| a.id() == id)
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
    /// A separator line.
    Separator,
}

/// What the tray model is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrayInput {
    /// The language of the labels.
    pub language: Language,
    /// Every known session's health (none until sessions exist).
    pub sessions: Vec<SessionHealth>,
}

/// The whole tray: icon and menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayModel {
    /// The icon: the worst state among the sessions.
    pub icon: TrayIcon,
    /// The menu entries, top to bottom.
    pub entries: Vec<TrayEntry>,
}

impl TrayModel {
    /// Computes the tray for a state.
    pub fn build(input: &TrayInput) -> TrayModel {
        let item = |action: TrayAction, key: &str| TrayEntry::Item {
            action,
            label: i18n::text(input.language, key),
        };
        TrayModel {
            icon: icon_for(&input.sessions),
            entries: vec![
                item(TrayAction::OpenWindow, "tray.open"),
                TrayEntry::Separator,
                item(TrayAction::Quit, "tray.quit"),
            ],
        }
    }

    /// The labels of the clickable items, in order (what a D-Bus client of the menu sees).
    pub fn labels(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                TrayEntry::Item { label, .. } => Some(label.as_str()),
                TrayEntry::Separator => None,
            })
            .collect()
    }
}

/// The worst health wins; no sessions at all shows "signed out".
fn icon_for(sessions: &[SessionHealth]) -> TrayIcon {
    match sessions.iter().max() {
        None | Some(SessionHealth::SignedOut) => TrayIcon::SignedOut,
        Some(SessionHealth::Ok) => TrayIcon::Ok,
        Some(SessionHealth::Expiring) => TrayIcon::Expiring,
        Some(SessionHealth::Expired) => TrayIcon::Expired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_menu_is_open_then_quit() {
        let model = TrayModel::build(&TrayInput::default());
        assert_eq!(model.labels(), ["Open Lanyard", "Quit"]);
        assert_eq!(
            model.entries,
            vec![
                TrayEntry::Item {
                    action: TrayAction::OpenWindow,
                    label: "Open Lanyard".into()
                },
                TrayEntry::Separator,
                TrayEntry::Item {
                    action: TrayAction::Quit,
                    label: "Quit".into()
                },
            ]
        );
    }

    #[test]
    fn labels_follow_the_language() {
        let model = TrayModel::build(&TrayInput {
            language: Language::ZhTw,
            sessions: vec![],
        });
        assert_eq!(model.labels(), ["開啟 Lanyard", "結束"]);
    }

    #[test]
    fn icon_is_the_worst_session_state() {
        use SessionHealth::*;
        for (sessions, want) in [
            (vec![], TrayIcon::SignedOut),
            (vec![Ok], TrayIcon::Ok),
            (vec![Ok, SignedOut], TrayIcon::SignedOut),
            (vec![Ok, Expiring, SignedOut], TrayIcon::Expiring),
            (vec![Expired, Ok, Expiring], TrayIcon::Expired),
        ] {
            let model = TrayModel::build(&TrayInput {
                language: Language::En,
                sessions: sessions.clone(),
            });
            assert_eq!(model.icon, want, "{sessions:?}");
        }
    }

    #[test]
    fn menu_ids_round_trip_and_are_unique() {
        for action in TrayAction::ALL {
            assert_eq!(TrayAction::from_id(action.id()), Some(action));
        }
        assert_ne!(ID_OPEN_WINDOW, ID_QUIT);
        assert_eq!(TrayAction::from_id("something-else"), None);
    }
}
