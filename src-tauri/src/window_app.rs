//! The window process (`lanyard-app --window`): the window and its webview, nothing else — no
//! tray, no sessions engine, no single-instance registration. The tray process starts it on Open
//! Lanyard (see [`crate::window`]) and talks to it over its stdin/stdout ([`crate::link`]); it
//! exits when its window closes, taking every byte and thread of WebKit with it, or when the tray
//! process goes (Quit). Its commands are the same one-line calls into lanyard-core as ever; what
//! only the tray process knows live (the device sign-ins waiting, the tray's language, whether a
//! tray host runs) arrives as messages, and a language switch goes back the same way
//! ([`crate::tray_link`]).
//!
//! Started by hand (stdin a terminal or empty), it runs alone: the window works, without the
//! tray's live state.

use std::fs::File;
use std::io::{BufReader, IsTerminal};

use lanyard_core::Context;
use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_window_state::StateFlags;

use crate::engine::Command;
use crate::i18n::Language;
use crate::link::{self, ToTray, ToWindow};
use crate::state::{
    AppState, StateChanged, EVENT_DEVICE_CODE, EVENT_SIGN_IN_DONE, EVENT_STATE_CHANGED,
};
use crate::tray_link::{tell_tray, TrayLink};
use crate::window::MAIN;
use crate::{api, commands};

/// Runs the window until it closes (or the tray process goes); returns the exit code.
pub fn run(ctx: Context) -> anyhow::Result<i32> {
    let (mut input, out) = match take_link() {
        Ok(link) => link,
        Err(e) => {
            tracing::warn!(error = %e, "no link to the tray process: running alone");
            (None, None)
        }
    };
    // The tray process writes its hello as soon as it has started us.
    let hello = input
        .as_mut()
        .and_then(|i| link::read::<_, ToWindow>(i).ok().flatten());
    let state = match hello {
        Some(ToWindow::Hello {
            language,
            tray_available,
            device_sign_ins,
        }) => {
            let state = AppState::new(ctx, language, tray_available);
            for code in device_sign_ins {
                state.set_device_code(code);
            }
            state
        }
        other => {
            if other.is_some() {
                tracing::warn!(?other, "the tray process did not start with a hello");
            }
            tracing::info!("no tray process: running alone");
            input = None;
            let language = Language::detect(&ctx.env);
            // Alone, closing the window ends this process: say so, as without a tray host.
            AppState::new(ctx, language, false)
        }
    };
    let link_out = TrayLink::new(input.as_ref().and(out));

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        // Settings turns the login start on and off: the same entry the tray process would make.
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .arg(crate::options::HIDDEN_FLAG)
                .build(),
        )
        // Our tracing subscriber already owns the `log` facade (tracing-log), so the plugin only
        // forwards the webview's log calls into it.
        .plugin(tauri_plugin_log::Builder::new().skip_logger().build())
        // Visibility is ours to decide, so the plugin restores only geometry. Only this process
        // registers it: it writes its file at exit, and the tray process would write a stale one.
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(StateFlags::all() - StateFlags::VISIBLE)
                .build(),
        )
        .manage(state)
        .manage(link_out)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::device_sign_ins,
            commands::copy_device_code,
            commands::open_device_verification,
            api::sessions_overview,
            api::sign_in,
            api::sign_in_all,
            api::sign_out,
            api::refresh_session,
            api::get_settings,
            api::update_settings,
            api::save_sso_session,
            api::delete_sso_session,
            api::list_profiles,
            api::use_profile,
            api::restore_default,
            api::list_accounts,
            api::save_sso_profile,
            api::cancel_sign_in,
            api::get_profile,
            api::edit_profile,
            api::test_profile,
            api::populate_names,
            api::populate_preview,
            api::populate_apply,
            api::copy_credentials
        ])
        .setup(move |app| {
            forward_engine_commands(app.handle());
            create(app.handle())?;
            if let Some(input) = input {
                let handle = app.handle().clone();
                std::thread::Builder::new()
                    .name("tray-link".into())
                    .spawn(move || listen(&handle, input))?;
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| anyhow::anyhow!("the window could not start: {e}"))?;
    // The last (only) window closing ends the process: nothing to keep.
    let code = app.run_return(|_, _| {});
    tracing::info!(code, "window process exiting");
    Ok(code)
}

/// The pages' commands hand actions to "the engine" (`AppState::send`), as in one process; here
/// the engine is the tray process's: actions and reloads go over the link (nothing when alone).
fn forward_engine_commands<R: Runtime>(app: &AppHandle<R>) {
    let (tx, rx) = std::sync::mpsc::channel::<Command>();
    app.state::<AppState>().set_engine(tx);
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("lanyard-forward".into())
        .spawn(move || {
            while let Ok(cmd) = rx.recv() {
                match cmd {
                    Command::Action(action) => tell_tray(&app, &ToTray::Action { action }),
                    Command::Reload => tell_tray(&app, &ToTray::Reload),
                    other => tracing::debug!(?other, "not for the tray process"),
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot forward the window's actions to the tray");
    }
}

/// Creates the main window from tauri.conf.json (`create: false` there, so it is made here).
fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .ok_or(tauri::Error::WindowNotFound)?;
    let window = WebviewWindowBuilder::from_config(app, config)?.build()?;
    window.set_focus()?;
    tracing::info!("main window created");
    Ok(window)
}

/// Brings the window to the front (Open Lanyard while it is open).
fn raise<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let window = app
        .get_webview_window(MAIN)
        .ok_or(tauri::Error::WindowNotFound)?;
    window.unminimize()?;
    window.show()?;
    window.set_focus()
}

/// Follows the tray process (a blocked read: no wake-ups meanwhile) until it goes.
fn listen<R: Runtime>(app: &AppHandle<R>, mut input: BufReader<File>) {
    loop {
        match link::read::<_, ToWindow>(&mut input) {
            Ok(Some(ToWindow::Raise)) => {
                if let Err(e) = raise(app) {
                    tracing::warn!(error = %e, "cannot raise the window");
                }
            }
            Ok(Some(ToWindow::DeviceCode(code))) => {
                app.state::<AppState>().set_device_code(code.clone());
                if let Err(e) = app.emit(EVENT_DEVICE_CODE, code) {
                    tracing::warn!(error = %e, "cannot send the device code to the webview");
                }
            }
            Ok(Some(ToWindow::SignInDone(done))) => {
                app.state::<AppState>().clear_device_code(&done.session);
                if let Err(e) = app.emit(EVENT_SIGN_IN_DONE, done) {
                    tracing::warn!(error = %e, "cannot tell the webview a sign-in ended");
                }
            }
            Ok(Some(ToWindow::Changed { what })) => {
                tracing::debug!(?what, "the tray saw a change");
                if let Err(e) = app.emit(EVENT_STATE_CHANGED, StateChanged { what }) {
                    tracing::warn!(error = %e, "cannot tell the webview what changed");
                }
            }
            Ok(Some(other @ ToWindow::Hello { .. })) => {
                tracing::warn!(?other, "a second hello from the tray process, ignored");
            }
            Ok(None) => {
                tracing::info!("the tray process is gone: closing the window");
                app.exit(0);
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read from the tray process: closing the window");
                app.exit(0);
                return;
            }
        }
    }
}

/// Moves the link with the tray process off stdin/stdout onto descriptors no child inherits
/// (WebKit's helper processes and anything else started from here get /dev/null instead), so the
/// link ends exactly when this process does. `None`s when stdin is a terminal (started by hand).
#[cfg(unix)]
fn take_link() -> std::io::Result<(Option<BufReader<File>>, Option<File>)> {
    use std::os::fd::AsFd;
    if std::io::stdin().is_terminal() {
        return Ok((None, None));
    }
    // try_clone_to_owned duplicates with close-on-exec.
    let input = File::from(std::io::stdin().as_fd().try_clone_to_owned()?);
    let output = File::from(std::io::stdout().as_fd().try_clone_to_owned()?);
    let null = File::options().read(true).write(true).open("/dev/null")?;
    rustix::stdio::dup2_stdin(&null)?;
    rustix::stdio::dup2_stdout(&null)?;
    Ok((Some(BufReader::new(input)), Some(output)))
}

/// On Windows the link stays on stdin/stdout.
#[cfg(windows)]
fn take_link() -> std::io::Result<(Option<BufReader<File>>, Option<File>)> {
    use std::os::windows::io::AsHandle;
    if std::io::stdin().is_terminal() {
        return Ok((None, None));
    }
    let input = File::from(std::io::stdin().as_handle().try_clone_to_owned()?);
    let output = File::from(std::io::stdout().as_handle().try_clone_to_owned()?);
    Ok((Some(BufReader::new(input)), Some(output)))
}
