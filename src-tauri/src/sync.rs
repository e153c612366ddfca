//! One truth for tray and window: what the window's pages show, as the sessions engine saw it
//! at its last reload, and which areas changed since. The engine reloads on every change on disk
//! (its watcher), every command (a tray click, the window's `Reload`) and every tick; when an
//! area changed it tells the window process (`ToWindow::Changed`), whose pages read again at
//! once. Times are absolute (a token's expiry, a session's end), so a countdown tick alone
//! changes nothing; a state that moves on (valid → expiring) does.

use lanyard_core::overview::SessionStatus;
use lanyard_core::sessions::state::Assessment;
use lanyard_core::settings::Settings;

use crate::state::Area;

/// What the window's pages show, as seen at one reload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Each session's name and assessment (state, expiry, end), in the overview's order.
    pub sessions: Vec<(String, Assessment)>,
    /// The config file's version (its text's digest): profiles, the default, sso-sessions.
    pub config: String,
    /// The settings file as read.
    pub settings: Settings,
}

impl Seen {
    /// What `statuses`, the config at `config_version` and `settings` show.
    pub fn of(statuses: &[SessionStatus], config_version: String, settings: &Settings) -> Self {
        Seen {
            sessions: statuses
                .iter()
                .map(|s| (s.name(), s.assessment.clone()))
                .collect(),
            config: config_version,
            settings: settings.clone(),
        }
    }

    /// The areas that differ from `before`.
    pub fn changed_since(&self, before: &Seen) -> Vec<Area> {
        let mut what = Vec::new();
        if self.sessions != before.sessions {
            what.push(Area::Sessions);
        }
        if self.config != before.config {
            what.push(Area::Profiles);
        }
        if self.settings != before.settings {
            what.push(Area::Settings);
        }
        what
    }
}

/// Remembers what was seen last; returns the areas `now` changed (none the first time: the
/// window read everything when it opened).
pub fn update(last: &mut Option<Seen>, now: Seen) -> Vec<Area> {
    let what = last
        .as_ref()
        .map(|before| now.changed_since(before))
        .unwrap_or_default();
    *last = Some(now);
    what
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_core::sessions::state::{unreadable, State};
    use time::OffsetDateTime;

    fn assessment(state: State, ends_in_hours: i64) -> Assessment {
        let t0 = OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("time");
        Assessment {
            state,
            expires_at: Some(t0 + time::Duration::hours(1)),
            session_ends_at: Some(t0 + time::Duration::hours(ends_in_hours)),
            end_is_estimate: true,
            refreshable: true,
            ..unreadable()
        }
    }

    fn seen(sessions: &[(&str, Assessment)], config: &str) -> Seen {
        Seen {
            sessions: sessions
                .iter()
                .map(|(n, a)| ((*n).to_owned(), a.clone()))
                .collect(),
            config: config.into(),
            settings: Settings::default(),
        }
    }

    /// Issue 20: the window hears of a sign-out, a switched default or a settings change made in
    /// the tray (or by another program), and of nothing when nothing it shows changed.
    #[test]
    fn only_the_areas_that_changed_are_told_and_nothing_at_first() {
        let mut last = None;
        let valid = seen(&[("corp", assessment(State::Valid, 8))], "v1");
        assert_eq!(update(&mut last, valid.clone()), [], "the first reload");
        assert_eq!(
            update(&mut last, valid.clone()),
            [],
            "a tick: nothing changed"
        );

        let signed_out = Assessment {
            state: State::SignedOut,
            needs_sign_in: false,
            reason: None,
            ..unreadable()
        };
        let out = seen(&[("corp", signed_out)], "v1");
        assert_eq!(update(&mut last, out.clone()), [Area::Sessions]);

        let switched = Seen {
            config: "v2".into(),
            ..out.clone()
        };
        assert_eq!(update(&mut last, switched.clone()), [Area::Profiles]);

        let quieter = Seen {
            settings: Settings {
                notifications: false,
                ..Settings::default()
            },
            sessions: valid.sessions.clone(),
            ..switched
        };
        assert_eq!(update(&mut last, quieter), [Area::Sessions, Area::Settings]);
    }

    #[test]
    fn a_refresh_or_a_state_moving_on_is_a_change_of_the_sessions() {
        let before = seen(&[("corp", assessment(State::Valid, 8))], "v1");
        let expiring = seen(&[("corp", assessment(State::Expiring, 8))], "v1");
        assert_eq!(expiring.changed_since(&before), [Area::Sessions]);
        let mut refreshed = assessment(State::Valid, 8);
        refreshed.expires_at = refreshed.expires_at.map(|t| t + time::Duration::hours(1));
        let after = seen(&[("corp", refreshed)], "v1");
        assert_eq!(after.changed_since(&before), [Area::Sessions]);
    }
}
