//! The sessions engine: one background task owns the schedule. It reloads every session from the
//! config, the token cache and the history, rebuilds the tray when what it shows changed, fires
//! what the schedule says is due (background refresh, warnings, the end) and then waits for the
//! next deadline, the next countdown tick or a [`Command`] (a menu click, a finished sign-in),
//! whichever comes first. Every action goes through lanyard-core.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use lanyard_core::credentials::{render, Format};
use lanyard_core::endpoints::Service;
use lanyard_core::sessions::logout::logout_session;
use lanyard_core::sessions::overview::{
    load_session_net, overview_in, role_credentials, sign_in_service, store_for, SessionStatus,
};
use lanyard_core::sessions::resolve::default_profile;
use lanyard_core::sessions::schedule::{parse_duration, Event, Fired, Scheduler, Settings};
use lanyard_core::sessions::signin::{DevicePrompt, LoginOptions, SessionError, SignInUi};
use lanyard_core::sessions::state::State;
use lanyard_core::{browser, ConfigFile, Context, Env};
use tauri::{AppHandle, Manager, Runtime};
use time::{Duration, OffsetDateTime};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::i18n::{self, Language};
use crate::link::ToWindow;
use crate::notify::{self, Note, SignInAgain};
use crate::state::{AppState, DeviceCode, SignInDone};
use crate::tray::{self, model::time_left, model::SessionLine, model::TrayAction};

/// The environment variable overriding the warning thresholds (`15m,5m`; `90s` works too) until
/// Settings stores them.
pub const WARN_BEFORE_VAR: &str = "LANYARD_WARN_BEFORE";

/// What the engine is asked to do.
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

/// Starts the engine on Tauri's async runtime; returns its command channel.
pub fn start<R: Runtime>(app: &AppHandle<R>) -> UnboundedSender<Command> {
    let (tx, rx) = unbounded_channel();
    tauri::async_runtime::spawn(run(app.clone(), tx.clone(), rx));
    tx
}

/// What a tray line shows for a session at `now`.
fn line(s: &SessionStatus, now: OffsetDateTime) -> SessionLine {
    SessionLine {
        name: s.name(),
        state: s.assessment.state,
        left: s.assessment.session_ends_at.map(|end| end - now),
        estimate: s.assessment.end_is_estimate,
        needs_sign_in: s.assessment.needs_sign_in,
    }
}

struct Engine<R: Runtime> {
    app: AppHandle<R>,
    ctx: Context,
    tx: UnboundedSender<Command>,
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

async fn run<R: Runtime>(
    app: AppHandle<R>,
    tx: UnboundedSender<Command>,
    mut rx: UnboundedReceiver<Command>,
) {
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
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            cmd = rx.recv() => match cmd {
                None => return,
                Some(cmd) => engine.command(cmd),
            }
        }
    }
}

impl<R: Runtime> Engine<R> {
    fn language(&self) -> Language {
        self.app.state::<AppState>().language()
    }

    fn reload(&mut self, now: OffsetDateTime) {
        let retry: Vec<String> = self
            .refresh_retry
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(n, _)| n.clone())
            .collect();
        for name in retry {
            self.refresh_retry.remove(&name);
            self.sched.rearm_refresh(&name);
        }
        self.reload_settings();
        // One read of the config for the Profiles submenu and the sessions. A config that cannot
        // be read keeps what we had (and what the schedule remembers): a file caught mid-write
        // must not make every warning fire again at the next good read.
        let file = match ConfigFile::load_config(&self.ctx.env) {
            Ok(file) => file,
            Err(e) => return self.config_problem(e),
        };
        let view = match file.view() {
            Ok(view) => view,
            Err(e) => return self.config_problem(e),
        };
        crate::follow::on_reload(&self.app, &self.ctx, &file, &view);
        self.reload_profiles(&view);
        self.statuses = match overview_in(
            &self.ctx,
            &view,
            self.sched.settings().policy(),
            &self.settings_file,
        ) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the sessions; keeping the last state");
                return;
            }
        };
        let keyed: Vec<_> = self
            .statuses
            .iter()
            .map(|s| (s.name(), s.assessment.clone()))
            .collect();
        let fired = self.sched.due(now, &keyed);
        let lines = self.statuses.iter().map(|s| line(s, now)).collect();
        if self.app.state::<AppState>().set_sessions(lines) {
            if let Err(e) = tray::rebuild(&self.app) {
                tracing::error!(error = %e, "cannot rebuild the tray");
            }
        }
        for f in fired {
            self.fired(f, now);
        }
        self.tell_window(crate::sync::Seen::of(
            &self.statuses,
            file.version(),
            &self.settings_file,
        ));
        self.renew_written_credentials();
    }

    /// Tells the window process which of what it shows changed since the last reload (a tray
    /// action done, another program's change, the window's own coming back): its pages read
    /// again at once. Nothing is sent when nothing changed, or when no window is open.
    fn tell_window(&mut self, seen: crate::sync::Seen) {
        let what = crate::sync::update(&mut self.seen, seen);
        if !what.is_empty() {
            tracing::debug!(?what, "telling the window what changed");
            crate::window::send(&self.app, &ToWindow::Changed { what });
        }
    }

    /// Keeps the credentials `lanyard credentials --write` put in the credentials file fresh
    /// while the app runs: checked on every wake-up (at least once a minute), renewed in the
    /// background when within 15 minutes of expiry, one renewal at a time.
    fn renew_written_credentials(&self) {
        if self.renewing_written.load(Ordering::SeqCst) {
            return;
        }
        match lanyard_core::credentials_file::due_for_refresh(&self.ctx) {
            Ok(due) if !due.is_empty() => {
                let ctx = self.ctx.clone();
                let flag = self.renewing_written.clone();
                flag.store(true, Ordering::SeqCst);
                tauri::async_runtime::spawn(async move {
                    match lanyard_core::credentials_file::refresh_written(&ctx).await {
                        Ok(done) => tracing::info!(?done, "renewed written credentials"),
                        Err(e) => tracing::warn!(error = %e, "cannot renew written credentials"),
                    }
                    flag.store(false, Ordering::SeqCst);
                });
            }
            Ok(_) => {}
            Err(e) => tracing::debug!(error = %e, "cannot read the credentials file"),
        }
    }

    fn status(&self, name: &str) -> Option<&SessionStatus> {
        self.statuses.iter().find(|s| s.name() == name)
    }

    fn fired(&mut self, f: Fired, now: OffsetDateTime) {
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
    fn notify(&self, mut note: Note, again: Option<&str>) {
        if !self.settings_file.notifications {
            tracing::info!(title = %note.title, "notifications are off; not shown");
            return;
        }
        show(&self.app, &self.tx, &mut note, again);
    }

    fn refresh(&self, name: &str) {
        let Some(s) = self.status(name) else { return };
        let (ctx, tx, session) = (self.ctx.clone(), self.tx.clone(), s.session.clone());
        let before = s.assessment.expires_at;
        let name = name.to_owned();
        tauri::async_runtime::spawn(async move {
            let result = match load_session_net(&ctx, &session)
                .and_then(|net| sign_in_service(&ctx, &net, &session))
            {
                Ok(svc) => svc.valid_token(&session.config).await,
                Err(e) => Err(SessionError::Core(e)),
            };
            let cmd = match result {
                Ok(token) if Some(token.expires_at) == before => Command::RefreshNotYet(name),
                Ok(_) => Command::RefreshOk(name),
                // The end: the next reload sees it (history) and the schedule fires End.
                Err(SessionError::SessionEnded { .. }) => Command::Reload,
                Err(e) => Command::RefreshFailed(name, e.to_string()),
            };
            let _ = tx.send(cmd);
        });
    }

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

    /// Makes `profile` the default (None: restores the person's own), as `lanyard profiles
    /// use` does; the watcher's reload shows the result, a note says it (or why not).
    fn switch_default(&self, profile: Option<String>) {
        let (app, ctx, tx) = (self.app.clone(), self.ctx.clone(), self.tx.clone());
        tauri::async_runtime::spawn_blocking(move || {
            use lanyard_core::config::switch::{switch_file, Choice};
            let choice = match &profile {
                Some(p) => Choice::Profile(p),
                None => Choice::Restore,
            };
            let lang = app.state::<AppState>().language();
            let mut note = match switch_file(&ctx, choice) {
                Ok(_) => {
                    let args = [("profile", profile.as_deref().unwrap_or(""))];
                    let key = if profile.is_some() {
                        "switched"
                    } else {
                        "restored"
                    };
                    Note {
                        title: i18n::fill(lang, &format!("notify.{key}.title"), &args),
                        body: i18n::fill(lang, &format!("notify.{key}.body"), &args),
                        sign_in_again: None,
                    }
                }
                // The person changed the mirrored default: never thrown away from a menu
                // click. The window asks (its Profiles page shows the change and offers to
                // keep or discard it).
                Err(e) if e.code() == "default_edited" => {
                    if let Err(e) = crate::window::open(&app) {
                        tracing::error!(error = %e, "cannot open the window");
                    }
                    Note {
                        title: i18n::text(lang, "notify.defaultEdited.title"),
                        body: i18n::text(lang, "notify.defaultEdited.body"),
                        sign_in_again: None,
                    }
                }
                Err(e) => failed(lang, "tray.profiles", &e.to_string()),
            };
            show(&app, &tx, &mut note, None);
            let _ = tx.send(Command::Reload);
        });
    }

    /// Applies a changed settings file: thresholds and background refresh to the schedule, the
    /// notifications switch, and a language chosen there.
    fn reload_settings(&mut self) {
        let (file, warning) = lanyard_core::settings::Settings::load(&self.ctx.dirs);
        if let Some(w) = &warning {
            tracing::debug!("{w}");
        }
        if self
            .app
            .state::<AppState>()
            .set_settings_problem(warning.clone())
        {
            if let Some(w) = &warning {
                tracing::warn!("{w}");
            }
            if let Err(e) = tray::rebuild(&self.app) {
                tracing::error!(error = %e, "cannot rebuild the tray");
            }
        }
        if file == self.settings_file {
            return;
        }
        tracing::info!("settings changed");
        let sched = settings(&self.ctx.env, &file);
        if &sched != self.sched.settings() {
            self.sched.set_settings(sched);
        }
        // A language chosen while the app runs (in the window, or in the file by hand) applies
        // now; LANYARD_LANG decides only at start.
        let chosen = file.language.as_deref().and_then(Language::from_tag);
        if let Some(lang) = chosen.filter(|_| file.language != self.settings_file.language) {
            let state = self.app.state::<AppState>();
            if lang != state.language() {
                state.set_language(lang);
                if let Err(e) = tray::rebuild(&self.app) {
                    tracing::error!(error = %e, "cannot rebuild the tray");
                }
            }
        }
        self.settings_file = file;
    }

    /// What the tray lists of the profiles, from the config as read now (it is readable: any
    /// config problem shown before is over).
    fn reload_profiles(&self, view: &lanyard_core::config::ConfigView) {
        use lanyard_core::config::switch;
        let recent = switch::recent(&self.ctx.dirs);
        let (profiles, more) =
            switch::menu_profiles(view, &recent, crate::tray::model::PROFILES_SHOWN);
        let menu = crate::state::ProfilesMenu {
            profiles,
            more,
            mirrors: switch::active(view),
            can_restore: switch::has_saved(view),
            ..Default::default()
        };
        if self.app.state::<AppState>().set_profiles(menu) {
            if let Err(e) = tray::rebuild(&self.app) {
                tracing::error!(error = %e, "cannot rebuild the tray");
            }
        }
    }

    /// The config cannot be read: the tray keeps its last good state under a line naming the
    /// file and line.
    fn config_problem(&self, e: lanyard_core::Error) {
        tracing::warn!(error = %e, "the config cannot be read; keeping the last state");
        let problem = match e {
            lanyard_core::Error::ConfigRefused {
                path,
                line,
                message,
            } => format!("{} line {line}: {message}", path.display()),
            other => other.to_string(),
        };
        if self
            .app
            .state::<AppState>()
            .set_config_problem(Some(problem))
        {
            if let Err(e) = tray::rebuild(&self.app) {
                tracing::error!(error = %e, "cannot rebuild the tray");
            }
        }
    }

    fn sign_in(&mut self, name: &str) {
        let Some(session) = self.status(name).map(|s| s.session.clone()) else {
            tracing::warn!(session = %name, "sign-in for an unknown session");
            return;
        };
        // The task is recorded below, before this loop handles any other command.
        if self.sign_in_tasks.contains_key(name) {
            tracing::info!(session = %name, "already signing in");
            return;
        }
        let duration = self.settings_file.session_duration(name);
        let key = name.to_owned();
        let (app, ctx, tx, name) = (
            self.app.clone(),
            self.ctx.clone(),
            self.tx.clone(),
            name.to_owned(),
        );
        let task = tauri::async_runtime::spawn(async move {
            let choice = browser::sign_in_choice(&ctx, &session, browser::Asked::default());
            if let Some(reason) = &choice.reason {
                tracing::info!(session = %name, %reason, "signing in with a device code");
            }
            let ui = AppUi {
                app: app.clone(),
                tx: tx.clone(),
                browser: choice.browser.clone(),
                name: name.clone(),
            };
            let opts = LoginOptions {
                use_device_code: choice.device_code(),
                ..LoginOptions::default()
            };
            let result = match load_session_net(&ctx, &session)
                .and_then(|net| sign_in_service(&ctx, &net, &session))
            {
                Ok(svc) => svc.login(&session.config, opts, &ui).await,
                Err(e) => Err(SessionError::Core(e)),
            };
            let state = app.state::<AppState>();
            state.clear_device_code(&name);
            let done = SignInDone {
                session: name.clone(),
                ok: result.is_ok(),
                code: result.as_ref().err().map(|e| e.code().to_owned()),
            };
            crate::window::send(&app, &ToWindow::SignInDone(done));
            let lang = state.language();
            let mut note = match result {
                Ok(token) => {
                    let (left, estimate) = if token.refresh_token.is_some() {
                        (duration, true)
                    } else {
                        (token.expires_at - ctx.clock.now(), false)
                    };
                    let time = time_left(lang, left, estimate);
                    let args = [("name", name.as_str()), ("time", time.as_str())];
                    tracing::info!(session = %name, "signed in");
                    Note {
                        title: i18n::fill(lang, "notify.signedIn.title", &args),
                        body: i18n::fill(lang, "notify.signedIn.body", &args),
                        sign_in_again: None,
                    }
                }
                Err(e) => {
                    tracing::warn!(session = %name, error = %e, "sign-in failed");
                    let error = e.to_string();
                    let args = [("name", name.as_str()), ("error", error.as_str())];
                    Note {
                        title: i18n::fill(lang, "notify.signInFailed.title", &args),
                        body: i18n::fill(lang, "notify.signInFailed.body", &args),
                        sign_in_again: None,
                    }
                }
            };
            show(&app, &tx, &mut note, None);
            let _ = tx.send(Command::SignInDone(name));
        });
        self.sign_in_tasks.insert(key, task);
    }

    /// Stops a sign-in under way: its task ends (the loopback listener closes, device polling
    /// stops, the session lock is released); the window hears `sign-in-done` with `cancelled`.
    fn cancel_sign_in(&mut self, name: &str) {
        let Some(task) = self.sign_in_tasks.remove(name) else {
            return;
        };
        task.abort();
        tracing::info!(session = %name, "sign-in cancelled");
        self.app.state::<AppState>().clear_device_code(name);
        let done = SignInDone {
            session: name.to_owned(),
            ok: false,
            code: Some("cancelled".to_owned()),
        };
        crate::window::send(&self.app, &ToWindow::SignInDone(done));
    }

    fn sign_out(&self, name: &str) {
        let Some(s) = self.status(name) else { return };
        let (ctx, tx, session) = (self.ctx.clone(), self.tx.clone(), s.session.clone());
        let name = name.to_owned();
        tauri::async_runtime::spawn(async move {
            let result = async {
                let net = load_session_net(&ctx, &session)?;
                logout_session(
                    &net.client()?,
                    &net.url(Service::Sso, &session.config.region)?,
                    store_for(&ctx, &session).as_ref(),
                    &ctx.dirs,
                    &session.config.id,
                    &session.roles,
                )
                .await?;
                // What `credentials --write` wrote for this session's profiles goes too (and
                // out of the backups), as `lanyard logout` does; the person's keys stay.
                lanyard_core::credentials_file::remove_written(&ctx, Some(&session.profiles))
            }
            .await;
            match result {
                Ok(_) => tracing::info!(session = %name, "signed out"),
                Err(e) => tracing::warn!(session = %name, error = %e, "sign-out failed"),
            }
            let _ = tx.send(Command::Reload);
        });
    }

    /// Copies the role credentials of `profile` (None: the active one) as `export` lines, marked
    /// secret for clipboard managers and cleared after `clipboard_clear_after` if the clipboard
    /// still holds them ([`crate::clipboard`]; the timer runs here, in the tray process).
    fn copy_credentials(&self, profile: Option<String>) {
        let (app, ctx, tx) = (self.app.clone(), self.ctx.clone(), self.tx.clone());
        let clear_after = self.settings_file.clipboard_clear_after();
        tauri::async_runtime::spawn(async move {
            let profile = profile.unwrap_or_else(|| default_profile(&ctx.env));
            let lang = app.state::<AppState>().language();
            let result = match role_credentials(&ctx, &profile).await {
                Ok(creds) => {
                    crate::clipboard::copy_secret(&app, &render(&creds, Format::Env), clear_after)
                }
                Err(e) => Err(e.to_string()),
            };
            let seconds = clear_after.whole_seconds().to_string();
            let args = [("profile", profile.as_str()), ("seconds", seconds.as_str())];
            let mut note = match result {
                Ok(()) => {
                    tracing::info!(%profile, "credentials copied");
                    let body = if clear_after.is_positive() {
                        "notify.copied.bodyClears"
                    } else {
                        "notify.copied.body"
                    };
                    Note {
                        title: i18n::fill(lang, "notify.copied.title", &args),
                        body: i18n::fill(lang, body, &args),
                        sign_in_again: None,
                    }
                }
                Err(e) => failed(lang, "tray.copyCredentials", &e),
            };
            show(&app, &tx, &mut note, None);
        });
    }

    fn open_console(&self) {
        let (app, ctx, tx) = (self.app.clone(), self.ctx.clone(), self.tx.clone());
        tauri::async_runtime::spawn(async move {
            let profile = default_profile(&ctx.env);
            let result = async {
                let url = lanyard_core::console::url_for_profile(&ctx, &profile, None, None)
                    .await
                    .map_err(|e| e.to_string())?;
                let (settings, _) = lanyard_core::settings::Settings::load(&ctx.dirs);
                if browser::open_with(&ctx.env, settings.console_browser(&profile), url.expose()) {
                    Ok(())
                } else {
                    Err("no browser could be opened".to_owned())
                }
            }
            .await;
            match result {
                Ok(()) => tracing::info!(%profile, "console opened"),
                Err(e) => {
                    let lang = app.state::<AppState>().language();
                    show(&app, &tx, &mut failed(lang, "tray.openConsole", &e), None);
                }
            }
        });
    }
}

/// The note for a failed tray action (`what` is the item's catalog key).
fn failed(lang: Language, what: &str, error: &str) -> Note {
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
fn show<R: Runtime>(
    app: &AppHandle<R>,
    tx: &UnboundedSender<Command>,
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

/// How a sign-in started from the tray talks to the person: a notification with the device code
/// (and a message for the window process, if one runs), the browser for the verification or
/// authorize page.
struct AppUi<R: Runtime> {
    app: AppHandle<R>,
    tx: UnboundedSender<Command>,
    /// What opens pages (see `browser::sign_in_choice`); `None`: none can appear here.
    browser: Option<browser::Browser>,
    name: String,
}

impl<R: Runtime> AppUi<R> {
    fn open(&self, url: &str) -> bool {
        self.browser.as_ref().is_some_and(|b| b.open(url))
    }
}

impl<R: Runtime> SignInUi for AppUi<R> {
    fn device_code(&self, p: &DevicePrompt) {
        let lang = self.app.state::<AppState>().language();
        let args = [
            ("name", self.name.as_str()),
            ("code", p.user_code.as_str()),
            ("url", p.verification_uri.as_str()),
        ];
        let mut note = Note {
            title: i18n::fill(lang, "notify.deviceCode.title", &args),
            body: i18n::fill(lang, "notify.deviceCode.body", &args),
            sign_in_again: None,
        };
        show(&self.app, &self.tx, &mut note, None);
        // Kept until the sign-in ends, so a window opened later still shows the dialog.
        let code = DeviceCode {
            session: self.name.clone(),
            user_code: p.user_code.clone(),
            verification_uri: p.verification_uri.clone(),
            verification_uri_complete: p.verification_uri_complete.clone(),
        };
        self.app.state::<AppState>().set_device_code(code.clone());
        crate::window::send(&self.app, &ToWindow::DeviceCode(code));
        // A verification page is opened only if it is https (or http on loopback): a hostile
        // service cannot hand the browser anything else (issue 20).
        if let Err(e) = lanyard_core::browser::safe_to_open(&p.verification_uri_complete) {
            tracing::warn!(session = %self.name, error = %e, "not opening the verification page");
        } else if !self.open(&p.verification_uri_complete) {
            tracing::info!(session = %self.name, "no browser: the code is in the notification");
        }
    }

    fn authorize_url(&self, url: &str) {
        if !self.open(url) {
            // No browser: the person can still open the page by hand.
            let lang = self.app.state::<AppState>().language();
            let args = [("name", self.name.as_str()), ("code", ""), ("url", url)];
            let mut note = Note {
                title: i18n::fill(lang, "tray.signIn", &args),
                body: url.to_owned(),
                sign_in_again: None,
            };
            show(&self.app, &self.tx, &mut note, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warn_before_overrides_the_thresholds_when_valid() {
        let file = lanyard_core::settings::Settings::default();
        let s = settings(&Env::from_pairs([(WARN_BEFORE_VAR, "2m, 90s")]), &file);
        assert_eq!(s.thresholds, [Duration::minutes(2), Duration::seconds(90)]);
        let s = settings(&Env::from_pairs([(WARN_BEFORE_VAR, "soon")]), &file);
        assert_eq!(s.thresholds, Settings::default().thresholds);
        assert_eq!(settings(&Env::default(), &file), Settings::default());
    }

    #[test]
    fn the_settings_files_thresholds_and_refresh_choice_drive_the_schedule() {
        let file = lanyard_core::settings::Settings {
            warn_before: vec!["5m".into(), "1h".into()],
            background_refresh: false,
            ..Default::default()
        };
        let s = settings(&Env::default(), &file);
        assert_eq!(s.thresholds, [Duration::hours(1), Duration::minutes(5)]);
        assert!(!s.background_refresh);
    }
}
