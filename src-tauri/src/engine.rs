//! The sessions engine: one thread of its own owns the schedule. It reloads every session from
//! the config, the token cache and the history, updates the tray when what it shows changed,
//! fires what the schedule says is due (background refresh, warnings, the end) and then waits for
//! the next deadline, the next countdown tick or a [`Command`] (a menu click, a finished
//! sign-in), whichever comes first. The wait is one blocking receive with a timeout, not a timer
//! of the async runtime (tokio's timer wheel wakes a long sleep early, at each level it cascades
//! through): idle, the thread wakes once, at the deadline. Every action goes through lanyard-core;
//! what is asynchronous (sign-ins, refreshes) runs as tasks on Tauri's runtime.
//!
//! This file holds the engine's state, its loop and where each command goes; beside it, by
//! concern: `reload` (sessions, settings and profiles read again, the tray and the window told),
//! `notes` (what the schedule fired, the notifications), `session_actions` (sign in, cancel, sign
//! out, refresh), `app_ui` (how a sign-in talks to the person), `profile_actions` (copy
//! credentials, open the console, switch the default).

mod app_ui;
mod notes;
mod profile_actions;
mod reload;
mod session_actions;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;

use lanyard_core::overview::SessionStatus;
use lanyard_core::sessions::schedule::{parse_duration, Scheduler, Settings};
use lanyard_core::sessions::state::State;
use lanyard_core::{Context, Env};
use tauri::{AppHandle, Manager, Runtime};
use time::OffsetDateTime;

use crate::i18n::{self, Language};
use crate::notify::Note;
use crate::state::AppState;
/// What the engine is asked to do (it lives with [`AppState`], which carries it).
pub use crate::state::Command;
use crate::tray_model::{time_left, TrayAction};

/// The environment variable overriding the warning thresholds (`15m,5m`; `90s` works too) until
/// Settings stores them.
pub const WARN_BEFORE_VAR: &str = "LANYARD_WARN_BEFORE";

/// How long the watcher waits for a burst of file events to end before reloading.
pub const WATCH_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(150);

/// The schedule settings: the settings file's, with thresholds from [`WARN_BEFORE_VAR`] when set
/// and valid (tests and `make demo` use it).
pub fn settings(env: &Env, file: &lanyard_core::settings::Settings) -> Settings {
    let mut s = file.schedule();
    if let Some(raw) = env.get_str(WARN_BEFORE_VAR) {
        let parts: Vec<&str> = raw.split(',').filter(|p| !p.trim().is_empty()).collect();
        match parts.iter().map(|p| parse_duration(p)).collect() {
            Ok(t) => s.thresholds = t,
            Err(e) => tracing::warn!(error = %e, "ignoring {WARN_BEFORE_VAR}"),
        }
    }
    s
}

/// The engine thread's name (what the idle bench, tests/e2e/bench/sample.py, knows it by).
const THREAD_NAME: &str = "lanyard-engine";

/// Starts the engine on a thread of its own; returns its command channel.
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Sender<Command> {
    let (tx, rx) = channel();
    let (app, engine_tx) = (app.clone(), tx.clone());
    let spawned = std::thread::Builder::new()
        .name(THREAD_NAME.into())
        .spawn(move || run(app, engine_tx, rx));
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the sessions engine");
    }
    tx
}

/// The engine's state, owned by its task ([`run`]); its methods are spread over the files beside
/// this one, by concern.
struct Engine<R: Runtime> {
    app: AppHandle<R>,
    ctx: Context,
    tx: Sender<Command>,
    sched: Scheduler,
    statuses: Vec<SessionStatus>,
    /// The tasks of the sign-ins under way (one per session), so that one can be cancelled.
    sign_in_tasks: BTreeMap<String, tauri::async_runtime::JoinHandle<()>>,
    started: OffsetDateTime,
    refresh_retry: BTreeMap<String, OffsetDateTime>,
    refresh_failure_shown: BTreeSet<String>,
    /// Set while credentials written by `lanyard credentials --write` are being renewed.
    renewing_written: Arc<AtomicBool>,
    /// The settings file as last read.
    settings_file: lanyard_core::settings::Settings,
    /// What the window's pages show, as of the last reload (see [`crate::sync`]).
    seen: Option<crate::sync::Seen>,
}

/// The engine's loop: reload, then wait for the schedule's next wake-up or a command.
fn run<R: Runtime>(app: AppHandle<R>, tx: Sender<Command>, rx: Receiver<Command>) {
    // Inside Tauri's runtime, as on one of its workers: what the engine starts (sign-ins,
    // refreshes, D-Bus connections) finds it. The engine never blocks on the runtime.
    let _rt = crate::async_rt::enter();
    let ctx = app.state::<AppState>().ctx.clone();
    let started = ctx.clock.now();
    let (settings_file, warning) = lanyard_core::settings::Settings::load(&ctx.dirs);
    if let Some(w) = warning {
        tracing::warn!("{w}");
    }
    let mut engine = Engine {
        sched: Scheduler::new(settings(&ctx.env, &settings_file)),
        settings_file,
        app,
        ctx,
        tx,
        statuses: Vec::new(),
        sign_in_tasks: BTreeMap::new(),
        started,
        refresh_retry: BTreeMap::new(),
        refresh_failure_shown: BTreeSet::new(),
        renewing_written: Arc::new(AtomicBool::new(false)),
        seen: None,
    };
    // An `aws sso login` in a terminal, a hand edit, a settings change: reload at once.
    let watch_tx = engine.tx.clone();
    let _watch = match lanyard_core::watch::start(
        lanyard_core::watch::Targets::of(&engine.ctx),
        WATCH_DEBOUNCE,
        move |changed| {
            tracing::debug!(?changed, "reloading after a file change");
            let _ = watch_tx.send(Command::Reload);
        },
    ) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(error = %e, "changes made by other programs show at the next tick");
            None
        }
    };
    loop {
        let now = engine.ctx.clock.now();
        engine.reload(now);
        let wait = engine.sched.next_wakeup(now) - now;
        let wait = std::time::Duration::try_from(wait).unwrap_or_default();
        match rx.recv_timeout(wait) {
            Ok(cmd) => engine.command(cmd),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

impl<R: Runtime> Engine<R> {
    fn language(&self) -> Language {
        self.app.state::<AppState>().language()
    }

    fn status(&self, name: &str) -> Option<&SessionStatus> {
        self.statuses.iter().find(|s| s.name() == name)
    }

    /// Handles one command: a task's result, or an action (handed to [`Self::action`]).
    fn command(&mut self, cmd: Command) {
        // The wait may have been long: not the loop's `now`.
        let now = self.ctx.clock.now();
        match cmd {
            Command::Reload => {}
            Command::SignInDone(name) => {
                self.sign_in_tasks.remove(&name);
            }
            Command::RefreshOk(name) => {
                self.refresh_failure_shown.remove(&name);
            }
            Command::RefreshNotYet(name) => {
                self.refresh_retry
                    .insert(name, now + lanyard_core::sessions::schedule::TICK);
            }
            Command::RefreshFailed(name, error) => {
                tracing::warn!(session = %name, %error, "background refresh failed");
                self.refresh_retry
                    .insert(name.clone(), now + lanyard_core::sessions::schedule::TICK);
                if self.refresh_failure_shown.insert(name.clone()) {
                    let lang = self.language();
                    let left = self
                        .status(&name)
                        .and_then(|s| s.assessment.session_ends_at.map(|e| (e - now, s)))
                        .map(|(l, s)| time_left(lang, l, s.assessment.end_is_estimate))
                        .unwrap_or_default();
                    let args = [
                        ("name", name.as_str()),
                        ("time", left.as_str()),
                        ("error", error.as_str()),
                    ];
                    self.notify(
                        Note {
                            title: i18n::fill(lang, "notify.refreshFailed.title", &args),
                            body: i18n::fill(lang, "notify.refreshFailed.body", &args),
                            sign_in_again: None,
                        },
                        Some(&name),
                    );
                }
            }
            Command::Action(action) => self.action(action),
        }
    }

    /// Starts what a tray item (or the window, or a notification) asked for.
    fn action(&mut self, action: TrayAction) {
        tracing::info!(?action, "action");
        match action {
            TrayAction::SignIn(name) => self.sign_in(&name),
            TrayAction::SignInAll => {
                let names: Vec<String> = self
                    .statuses
                    .iter()
                    .filter(|s| matches!(s.assessment.state, State::SignedOut | State::Expired))
                    .map(SessionStatus::name)
                    .collect();
                for name in names {
                    self.sign_in(&name);
                }
            }
            TrayAction::SignOut(name) => self.sign_out(&name),
            TrayAction::CancelSignIn(name) => self.cancel_sign_in(&name),
            TrayAction::CopyCredentials => self.copy_credentials(None),
            TrayAction::CopyCredentialsOf(profile) => self.copy_credentials(Some(profile)),
            TrayAction::OpenConsole => self.open_console(),
            TrayAction::UseProfile(name) => self.switch_default(Some(name)),
            TrayAction::RestoreDefault => self.switch_default(None),
            TrayAction::OpenWindow | TrayAction::MoreProfiles => {
                if let Err(e) = crate::window::open(&self.app) {
                    tracing::error!(error = %e, "cannot open the window");
                }
            }
            TrayAction::Quit => self.app.exit(0),
        }
    }
}

#[cfg(test)]
mod tests;
