//! lanyard-app: the desktop app. It lives in the tray; the window is a view that is destroyed
//! when closed and recreated from the tray. [`run`] wires plugins, state and commands; the tray,
//! the window and the commands each have their own module.

pub mod api;
pub mod async_rt;
pub mod commands;
pub mod dto;
pub mod engine;
pub mod i18n;
pub mod notify;
pub mod options;
pub mod state;
pub mod tray;
pub mod window;

use lanyard_core::{Context, Env};
use tauri::{AppHandle, Manager, RunEvent, Runtime};
use tauri_plugin_window_state::StateFlags;

use crate::i18n::Language;
use crate::options::{StartOptions, HIDDEN_FLAG};
use crate::state::AppState;

/// Runs the app until Quit (or, without a tray host, until its window closes) and returns the
/// process exit code. Returning (rather than letting Tauri exit the process) drops the log guard,
/// so the last log lines are written.
pub fn run() -> anyhow::Result<i32> {
    let ctx = Context::from_env(Env::from_process())?;
    ctx.dirs.ensure()?;
    let _log = lanyard_core::logging::init(&ctx.dirs, &ctx.env, "app")?;
    let options = StartOptions::parse(std::env::args().skip(1));
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        ?options,
        "lanyard-app starting"
    );

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
        .plugin(tauri_plugin_clipboard_manager::init())
        // Our tracing subscriber already owns the `log` facade (tracing-log), so the plugin only
        // forwards the webview's log calls into it.
        .plugin(tauri_plugin_log::Builder::new().skip_logger().build())
        // Visibility is ours to decide (--hidden, tray), so the plugin restores only geometry.
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(StateFlags::all() - StateFlags::VISIBLE)
                .build(),
        )
        .manage(AppState::new(ctx, language, tray_host))
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
            api::save_sso_profile
        ])
        .setup(move |app| {
            tray::create(app.handle())?;
            let engine = engine::start(app.handle());
            app.state::<AppState>().set_engine(engine);
            // Without a tray host a hidden start would leave nothing to click: show the window.
            if !options.hidden || !tray_host {
                window::show_main(app.handle())?;
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| anyhow::anyhow!("the app could not start: {e}"))?;
    drop(rt);

    let code = app.run_return(|app, event| {
        if let RunEvent::ExitRequested {
            code: None, api, ..
        } = event
        {
            // The last window was closed: stay in the tray, unless there is no tray to stay in.
            if keep_running_in_tray(app) {
                api.prevent_exit();
            } else {
                tracing::info!("window closed and no tray host: quitting");
            }
        }
    });
    tracing::info!(code, "lanyard-app exiting");
    Ok(code)
}

/// Another `lanyard-app` was started on this session: it exits and we show our window (unless
/// it was an autostart `--hidden` launch).
fn on_second_launch<R: Runtime>(app: &AppHandle<R>, args: Vec<String>, _cwd: String) {
    let options = StartOptions::parse(args.iter().skip(1));
    tracing::info!(?options, "second launch handed over");
    if !options.hidden {
        if let Err(e) = window::show_main(app) {
            tracing::error!(error = %e, "cannot show the window for a second launch");
        }
    }
}

/// Checks again for a tray host (one may have started or stopped since start-up).
fn keep_running_in_tray<R: Runtime>(app: &AppHandle<R>) -> bool {
    let available = tray::host::is_available();
    app.state::<AppState>().set_tray_available(available);
    available
}
