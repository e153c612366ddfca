//! The engine's actions on a session: sign in (one task per session, cancellable), cancel a
//! sign-in, sign out, and the background refresh the schedule asks for.

use lanyard_core::browser;
use lanyard_core::endpoints::Service;
use lanyard_core::overview::{load_session_net, sign_in_service, store_for};
use lanyard_core::sessions::logout::logout_session;
use lanyard_core::sessions::signin::{LoginOptions, SessionError};
use tauri::{Manager, Runtime};

use super::app_ui::AppUi;
use super::notes::show;
use super::{Command, Engine};
use crate::i18n;
use crate::link::ToWindow;
use crate::notify::Note;
use crate::state::{AppState, SignInDone};
use crate::tray_model::time_left;

impl<R: Runtime> Engine<R> {
    pub(super) fn refresh(&self, name: &str) {
        let Some(s) = self.status(name) else { return };
        let (ctx, tx, session) = (self.ctx.clone(), self.tx.clone(), s.session.clone());
        let before = s.assessment.expires_at;
        let name = name.to_owned();
        tauri::async_runtime::spawn(async move {
            let result = match load_session_net(&ctx, &session)
                .and_then(|net| Ok(sign_in_service(&ctx, &net, &session)?))
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

    pub(super) fn sign_in(&mut self, name: &str) {
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
                .and_then(|net| Ok(sign_in_service(&ctx, &net, &session)?))
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
    pub(super) fn cancel_sign_in(&mut self, name: &str) {
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

    pub(super) fn sign_out(&self, name: &str) {
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
}
