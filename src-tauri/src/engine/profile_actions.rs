//! The engine's actions on a profile: copy its role credentials (the clipboard cleared later),
//! open its console, make it the default (or restore the person's own).

use lanyard_core::browser;
use lanyard_core::credentials::{render, Format};
use lanyard_core::overview::role_credentials;
use lanyard_core::sessions::resolve::default_profile;
use tauri::{Manager, Runtime};

use super::notes::{failed, show};
use super::{Command, Engine};
use crate::i18n;
use crate::notify::Note;
use crate::state::AppState;

impl<R: Runtime> Engine<R> {
    /// Makes `profile` the default (None: restores the person's own), as `lanyard profiles
    /// use` does; the watcher's reload shows the result, a note says it (or why not).
    pub(super) fn switch_default(&self, profile: Option<String>) {
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

    /// Copies the role credentials of `profile` (None: the active one) as `export` lines, marked
    /// secret for clipboard managers and cleared after `clipboard_clear_after` if the clipboard
    /// still holds them ([`crate::clipboard`]; the timer runs here, in the tray process).
    pub(super) fn copy_credentials(&self, profile: Option<String>) {
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

    pub(super) fn open_console(&self) {
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
