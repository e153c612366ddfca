//! How a sign-in the engine runs talks to the person ([`SignInUi`]): the device code as a
//! notification and to the window, the browser for the verification or authorize page.

use lanyard_core::browser;
use lanyard_core::sessions::signin::{DevicePrompt, SignInUi};
use std::sync::mpsc::Sender;
use tauri::{AppHandle, Manager, Runtime};

use super::notes::show;
use super::Command;
use crate::i18n;
use crate::link::ToWindow;
use crate::notify::Note;
use crate::state::{AppState, DeviceCode};

/// How a sign-in started from the tray talks to the person: a notification with the device code
/// (and a message for the window process, if one runs), the browser for the verification or
/// authorize page.
pub(super) struct AppUi<R: Runtime> {
    pub(super) app: AppHandle<R>,
    pub(super) tx: Sender<Command>,
    /// What opens pages (see `browser::sign_in_choice`); `None`: none can appear here.
    pub(super) browser: Option<browser::Browser>,
    pub(super) name: String,
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
