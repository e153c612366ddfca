//! The tray process's clipboard for the secrets it copies ("Copy credentials", from the tray or
//! the window): the text goes on the clipboard marked secret for clipboard managers where the
//! platform has a convention for it, and is cleared after `clipboard_clear_after` (settings;
//! 0: never) only if the clipboard still holds it — lanyard-core's [`SecretClip`] rule, compare
//! then clear. The timer runs here, in the tray process, which stays when the window closes.
//!
//! How each platform is told (arboard's extensions):
//! - Linux, X11 and Wayland (`SetExtLinux::exclude_from_history`): the text is offered with the
//!   `x-kde-passwordManagerHint` type (`secret`), the convention of KDE's Klipper that other
//!   clipboard managers follow: the entry is not kept in their history. On X11 the selection
//!   lives only while its owner serves it, so the tray process keeps its clipboard open.
//! - macOS (`SetExtApple::exclude_from_history`): `org.nspasteboard.ConcealedType`
//!   (nspasteboard.org), honoured by the clipboard history apps.
//! - Windows (`SetExtWindows`): `ExcludeClipboardContentFromMonitorProcessing`,
//!   `CanIncludeInClipboardHistory` = 0 and `CanUploadToCloudClipboard` = 0: not in the Win+V
//!   history, not synced to other devices, skipped by monitors that honour the first.

use std::sync::{Mutex, PoisonError};

use lanyard_core::clipboard::{Clipboard, Outcome, SecretClip};
use tauri::{AppHandle, Manager, Runtime};
use time::{Duration, OffsetDateTime};

use crate::state::AppState;

/// The clipboard of the tray process and what it copied last (managed state).
#[derive(Default)]
pub struct SecretClipboard {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for SecretClipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretClipboard").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Inner {
    rule: SecretClip,
    /// Opened at the first copy and kept: on X11 the process serves what it copied.
    #[cfg(target_os = "linux")]
    board: Option<arboard::Clipboard>,
}

/// The OS clipboard, as lanyard-core's rule sees it.
struct Board<'a>(&'a mut arboard::Clipboard);

impl Clipboard for Board<'_> {
    fn text(&mut self) -> Option<String> {
        self.0.get_text().ok()
    }

    fn clear(&mut self) -> Result<(), String> {
        self.0.clear().map_err(|e| e.to_string())
    }
}

impl Inner {
    /// Runs `f` with the OS clipboard (opened if needed) and the rule.
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut arboard::Clipboard, &mut SecretClip) -> T,
    ) -> Result<T, String> {
        #[cfg(target_os = "linux")]
        {
            let board = match &mut self.board {
                Some(b) => b,
                slot => slot.insert(arboard::Clipboard::new().map_err(|e| e.to_string())?),
            };
            Ok(f(board, &mut self.rule))
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut board = arboard::Clipboard::new().map_err(|e| e.to_string())?;
            Ok(f(&mut board, &mut self.rule))
        }
    }
}

/// Puts `text` on the clipboard marked secret (see the module).
fn set_secret(board: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    let set = board.set();
    #[cfg(target_os = "linux")]
    let set = {
        use arboard::SetExtLinux;
        set.exclude_from_history()
    };
    #[cfg(target_os = "macos")]
    let set = {
        use arboard::SetExtApple;
        set.exclude_from_history()
    };
    #[cfg(windows)]
    let set = {
        use arboard::SetExtWindows;
        set.exclude_from_monitoring()
            .exclude_from_history()
            .exclude_from_cloud()
    };
    set.text(text)
}

/// Puts the secret `text` on the clipboard, to be cleared `after` from now (zero: never) if the
/// clipboard still holds it then. The error says why it could not be copied (never the text).
pub fn copy_secret<R: Runtime>(
    app: &AppHandle<R>,
    text: &str,
    after: Duration,
) -> Result<(), String> {
    let now = app.state::<AppState>().ctx.clock.now();
    let clear_at = {
        let slot = app.state::<SecretClipboard>();
        let mut inner = slot.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.with(|board, rule| {
            set_secret(board, text).map_err(|e| e.to_string())?;
            Ok::<_, String>(rule.copied(text, now, after))
        })??
    };
    match clear_at {
        Some(at) => {
            tracing::info!(
                after = after.whole_seconds(),
                "secret copied; cleared later if unchanged"
            );
            tauri::async_runtime::spawn(clear_when_due(app.clone(), at));
        }
        None => tracing::info!("secret copied; never cleared (clipboard_clear_after = 0)"),
    }
    Ok(())
}

/// Waits until `at`, then clears the clipboard if it still holds what was copied for `at` (a
/// later copy has a timer of its own).
async fn clear_when_due<R: Runtime>(app: AppHandle<R>, at: OffsetDateTime) {
    loop {
        let now = app.state::<AppState>().ctx.clock.now();
        if let Ok(wait) = std::time::Duration::try_from(at - now) {
            tokio::time::sleep(wait).await;
        }
        let handle = app.clone();
        let checked = tauri::async_runtime::spawn_blocking(move || {
            let now = handle.state::<AppState>().ctx.clock.now();
            let slot = handle.state::<SecretClipboard>();
            let mut inner = slot.inner.lock().unwrap_or_else(PoisonError::into_inner);
            if inner.rule.clear_at() != Some(at) {
                return Ok(Outcome::Nothing);
            }
            inner.with(|board, rule| rule.check(&mut Board(board), now))
        })
        .await;
        match checked {
            // The wait ended early (a clock change): wait again.
            Ok(Ok(Outcome::NotYet)) => continue,
            Ok(Ok(Outcome::Nothing)) => tracing::debug!("a later copy replaced this one"),
            Ok(Ok(Outcome::Cleared)) => {
                tracing::info!("clipboard cleared: it still held the copied secret")
            }
            Ok(Ok(Outcome::LeftAlone)) => {
                tracing::info!("clipboard left alone: it holds something else now")
            }
            Ok(Ok(Outcome::Failed)) => tracing::warn!("the copied secret could not be cleared"),
            Ok(Err(e)) => tracing::warn!(error = %e, "cannot open the clipboard to clear it"),
            Err(e) => tracing::warn!(error = %e, "the clipboard check did not run"),
        }
        return;
    }
}
