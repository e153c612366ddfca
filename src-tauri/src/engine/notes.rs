//! What the schedule fired (a refresh due, a warning, the end, a session the service refused) and
//! the notes the engine shows: each unless notifications are off, a failed action's, and the
//! "Sign in again" action that sends the engine a sign-in.

use lanyard_core::sessions::schedule::{Event, Fired};
use std::sync::mpsc::Sender;
use tauri::{AppHandle, Manager, Runtime};
use time::{Duration, OffsetDateTime};

use super::{Command, Engine};
use crate::i18n::{self, Language};
use crate::notify::{self, Note, SignInAgain};
use crate::state::AppState;
use crate::tray_model::{time_left, TrayAction};

impl<R: Runtime> Engine<R> {
    pub(super) fn fired(&mut self, f: Fired, now: OffsetDateTime) {
        tracing::info!(session = %f.session, event = ?f.event, "schedule fired");
        // A session that ended before the app started is shown as expired in the tray but not
        // announced on every start (a jump past the end while running is announced).
        // (Ends are recorded in whole seconds: compare with the start's second.)
        let started = self.started.replace_nanosecond(0).unwrap_or(self.started);
        if matches!(f.event, Event::End | Event::NeedsSignIn)
            && f.ends_at.is_some_and(|end| end < started)
        {
            return;
        }
        let lang = self.language();
        let name = f.session.as_str();
        let left = f.ends_at.map_or(Duration::ZERO, |end| end - now);
        let time = time_left(lang, left, f.end_is_estimate);
        let args = [("name", name), ("time", time.as_str())];
        match f.event {
            Event::Refresh => self.refresh(name),
            Event::Warning(_) => self.notify(
                Note {
                    title: i18n::fill(lang, "notify.warning.title", &args),
                    body: i18n::fill(lang, "notify.warning.body", &args),
                    sign_in_again: None,
                },
                Some(name),
            ),
            Event::End => self.notify(
                Note {
                    title: i18n::fill(lang, "notify.end.title", &args),
                    body: i18n::fill(lang, "notify.end.body", &args),
                    sign_in_again: None,
                },
                Some(name),
            ),
            // The service refused the session (seen by this process or another: the history
            // says so) — once, with why.
            Event::NeedsSignIn => {
                let reason = self
                    .status(name)
                    .and_then(|s| s.assessment.reason.clone())
                    .map(|r| i18n::fill(lang, &format!("sessions.reason.{r}"), &[]))
                    .unwrap_or_default();
                let args = [("name", name), ("reason", reason.as_str())];
                self.notify(
                    Note {
                        title: i18n::fill(lang, "notify.needsSignIn.title", &args),
                        body: i18n::fill(lang, "notify.needsSignIn.body", &args),
                        sign_in_again: None,
                    },
                    Some(name),
                );
            }
        }
    }

    /// Shows a note the schedule raised (warning, end, failed refresh) unless notifications are
    /// off in the settings; with `again`, it gets a "Sign in again" action for that session.
    pub(super) fn notify(&self, mut note: Note, again: Option<&str>) {
        if !self.settings_file.notifications {
            tracing::info!(title = %note.title, "notifications are off; not shown");
            return;
        }
        show(&self.app, &self.tx, &mut note, again);
    }
}

/// The note for a failed tray action (`what` is the item's catalog key).
pub(super) fn failed(lang: Language, what: &str, error: &str) -> Note {
    tracing::warn!(action = what, %error, "action failed");
    let action = i18n::text(lang, what);
    Note {
        title: i18n::fill(lang, "notify.actionFailed.title", &[("action", &action)]),
        body: error.to_owned(),
        sign_in_again: None,
    }
}

/// Shows a note; with `again`, adds "Sign in again" for that session, which (when invoked)
/// sends the engine a sign-in.
pub(super) fn show<R: Runtime>(
    app: &AppHandle<R>,
    tx: &Sender<Command>,
    note: &mut Note,
    again: Option<&str>,
) {
    if let Some(session) = again {
        let lang = app.state::<AppState>().language();
        note.sign_in_again = Some(SignInAgain {
            label: i18n::text(lang, "notify.signInAgain"),
            session: session.to_owned(),
        });
    }
    let tx = tx.clone();
    notify::show(app, note.clone(), move |session| {
        tracing::info!(%session, "notification action: sign in again");
        let _ = tx.send(Command::Action(TrayAction::SignIn(session)));
    });
}
