//! The engine's reload: the settings, the profiles and the sessions read again, the tray updated
//! when what it shows changed, the window told what changed, what the schedule fired handled, the
//! credentials `lanyard credentials --write` wrote kept fresh.

use std::sync::atomic::Ordering;

use lanyard_core::config::error::ConfigError;
use lanyard_core::overview::{overview_in, SessionStatus};
use lanyard_core::ConfigFile;
use tauri::{Manager, Runtime};
use time::OffsetDateTime;

use super::{settings, Engine};
use crate::i18n::Language;
use crate::link::ToWindow;
use crate::state::AppState;
use crate::tray;
use crate::tray_model::SessionLine;

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

impl<R: Runtime> Engine<R> {
    pub(super) fn reload(&mut self, now: OffsetDateTime) {
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
            switch::menu_profiles(view, &recent, crate::tray_model::PROFILES_SHOWN);
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
    fn config_problem(&self, e: ConfigError) {
        tracing::warn!(error = %e, "the config cannot be read; keeping the last state");
        let problem = match e {
            ConfigError::ConfigRefused {
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
}
