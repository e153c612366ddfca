//! Desktop notifications. On Linux through notify-rust directly, because XDG notifications
//! support actions ("Sign in again") and the notification plugin exposes none on desktops;
//! elsewhere through tauri-plugin-notification, where clicking opens the app.

use tauri::{AppHandle, Runtime};

/// The XDG action id of "Sign in again".
pub const ACTION_SIGN_IN_AGAIN: &str = "sign-in-again";

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The summary line.
    pub title: String,
    /// The body.
    pub body: String,
    /// When set, a "Sign in again" action (with this label) that signs in to `session`.
    pub sign_in_again: Option<SignInAgain>,
}

/// The "Sign in again" action of a [`Note`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInAgain {
    /// The button's label, translated.
    pub label: String,
    /// The session to sign in to.
    pub session: String,
}

/// Shows `note`; `on_action` runs (on a helper thread) if its action is invoked.
#[cfg(target_os = "linux")]
pub fn show<R: Runtime>(
    _app: &AppHandle<R>,
    note: Note,
    on_action: impl FnOnce(String) + Send + 'static,
) {
    tracing::info!(title = %note.title, "notification");
    let mut n = notify_rust::Notification::new();
    n.appname("Lanyard").summary(&note.title).body(&note.body);
    if let Some(a) = &note.sign_in_again {
        n.action(ACTION_SIGN_IN_AGAIN, &a.label);
    }
    // Showing talks to the bus: keep it (and waiting for an action) off the async workers.
    let spawned = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || match n.show() {
            Ok(handle) => {
                if let Some(a) = note.sign_in_again {
                    handle.wait_for_action(|action| {
                        if action == ACTION_SIGN_IN_AGAIN {
                            on_action(a.session);
                        }
                    });
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot show a notification"),
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start the notification thread");
    }
}

/// Shows `note` through the notification plugin (no actions: clicking opens the app).
#[cfg(not(target_os = "linux"))]
pub fn show<R: Runtime>(
    app: &AppHandle<R>,
    note: Note,
    _on_action: impl FnOnce(String) + Send + 'static,
) {
    use tauri_plugin_notification::NotificationExt;
    tracing::info!(title = %note.title, "notification");
    if let Err(e) = app
        .notification()
        .builder()
        .title(&note.title)
        .body(&note.body)
        .show()
    {
        tracing::warn!(error = %e, "cannot show a notification");
    }
}
