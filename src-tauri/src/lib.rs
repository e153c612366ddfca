//! lanyard-app: the desktop app. It lives in the tray; the window runs in a process of its own
//! (`lanyard-app --window`), started from the tray and ended when the window closes, so the tray
//! process never hosts WebKit. [`run`] picks the mode; the tray, the window (both sides) and the
//! commands each have their own module.

pub mod api;
pub mod async_rt;
pub mod clipboard;
pub mod commands;
pub mod dto;
pub mod engine;
pub mod follow;
pub mod i18n;
pub mod link;
pub mod notify;
pub mod options;
pub mod progress;
pub mod state;
pub mod sync;
pub mod tray;
pub mod tray_link;
pub mod tray_model;
pub mod window;
pub mod window_app;

use lanyard_core::{Context, Env};
use tauri::{AppHandle, Manager, Runtime};

use crate::i18n::Language;
use crate::options::{StartOptions, HIDDEN_FLAG};
use crate::state::AppState;
use crate::window::WindowProcess;

/// Runs the app until Quit (or, without a tray host, until its window closes) — or, with
/// `--window`, the window process until its window closes — and returns the process exit code.
/// Returning (rather than letting Tauri exit the process) drops the log guard, so the last log
/// lines are written.
pub fn run() -> anyhow::Result<i32> {
    let options = StartOptions::parse(std::env::args().skip(1));
    if !options.window {
        window::tray_without_gl();
    }
    let ctx = Context::from_env(Env::from_process())?;
    ctx.dirs.ensure()?;
    let _log = lanyard_core::logging::init(
        &ctx.dirs,
        &ctx.env,
        if options.window { "window" } else { "app" },
    )?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        ?options,
        "lanyard-app starting"
    );
    if !options.window {
        // What a killed Lanyard left beside ~/.aws/config and ~/.aws/credentials goes now.
        lanyard_core::config::files::tidy(&ctx);
    }
    if options.window {
        return window_app::run(ctx);
    }

    let (settings, warning) = lanyard_core::settings::Settings::load(&ctx.dirs);
    if let Some(w) = warning {
        tracing::warn!("{w}");
    }
    let language = Language::detect_with(&ctx.env, settings.language.as_deref());
    let tray_host = tray::host::is_available();
    if !tray_host {
        tracing::warn!("no tray host (StatusNotifierWatcher) is running: closing the window quits");
    }

    // The single-instance plugin connects to D-Bus while the app is built: on tokio (async_rt).
    let rt = async_rt::enter();
    // No webview ever lives in this process (see `window`), so no commands, no webview log
    // forwarding and no window-state plugin here: the window process has those.
    let app = tauri::Builder::default()
        // First, so a second launch hands over to the running app before anything else starts.
        .plugin(tauri_plugin_single_instance::init(on_second_launch))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .arg(HIDDEN_FLAG)
                .build(),
        )
        // Copied credentials go through our own clipboard (marked secret, cleared later).
        .manage(clipboard::SecretClipboard::default())
        .manage(AppState::new(ctx, language, tray_host))
        .manage(WindowProcess::default())
        .setup(move |app| {
            tray::create(app.handle(), window::open)?;
            let engine = engine::start(app.handle());
            app.state::<AppState>().set_engine(engine);
            // Without a tray host a hidden start would leave nothing to click: show the window.
            if !options.hidden || !tray_host {
                match window::open(app.handle()) {
                    Ok(()) => {}
                    // The tray is still there to try again from.
                    Err(e) if tray_host => tracing::error!(error = %e, "cannot open the window"),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| anyhow::anyhow!("the app could not start: {e}"))?;
    drop(rt);

    // This process has no window to close: it ends on Quit, or when the window process ends
    // with no tray host to stay in (`window`).
    let code = app.run_return(|_, _| {});
    tracing::info!(code, "lanyard-app exiting");
    Ok(code)
}

/// Another `lanyard-app` was started on this session: it exits and we show our window (unless
/// it was an autostart `--hidden` launch).
fn on_second_launch<R: Runtime>(app: &AppHandle<R>, args: Vec<String>, _cwd: String) {
    let options = StartOptions::parse(args.iter().skip(1));
    tracing::info!(?options, "second launch handed over");
    if !options.hidden {
        if let Err(e) = window::open(app) {
            tracing::error!(error = %e, "cannot show the window for a second launch");
        }
    }
}
