//! The window, seen from the tray process: it lives in a process of its own (`lanyard-app
//! --window`, [`crate::window_app`]), started on Open Lanyard and ended when the window closes.
//! Once a process has created a webview, WebKit's shared state (its network process, memory
//! pressure monitor, GL threads and heap) stays until that process exits; keeping the webview out
//! of the tray process is what lets an idle tray cost only a tray.
//!
//! The tray process is the window process's only starter and keeps its pipe ([`crate::link`]):
//! Open Lanyard while it runs raises it instead of starting a second one; device sign-ins are
//! forwarded to it as they start and end; its language switch comes back. When it exits, the
//! tray stays (or, with no tray host to stay in, Lanyard quits).

use std::io::BufReader;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use tauri::{AppHandle, Manager, Runtime};

use crate::link::{self, ToTray, ToWindow};
use crate::options::WINDOW_FLAG;
use crate::state::AppState;
use crate::tray;

/// The label of the main window (tauri.conf.json and capabilities/default.json use it too).
pub const MAIN: &str = "main";

/// Set when [`tray_without_gl`] set `GDK_GL` itself, so the window process gets the environment
/// as it was.
static GDK_GL_SET_HERE: AtomicBool = AtomicBool::new(false);

/// Keeps GTK from initialising OpenGL in the tray process, which draws nothing with it: GDK on
/// X11 otherwise opens GLX at start-up to choose visuals, which loads Mesa and LLVM (about 50 MB
/// resident, for nothing). Call first, while the process still has a single thread. A `GDK_GL`
/// the person set is left alone.
pub fn tray_without_gl() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("GDK_GL").is_none() {
        std::env::set_var("GDK_GL", "disable");
        GDK_GL_SET_HERE.store(true, Ordering::Relaxed);
    }
}

/// The running window process, if any (managed state of the tray process).
#[derive(Debug, Default)]
pub struct WindowProcess {
    live: Mutex<Option<Live>>,
}

#[derive(Debug)]
struct Live {
    pid: u32,
    stdin: ChildStdin,
}

/// Shows the window: raises the running window process, or starts one.
pub fn open<R: Runtime>(app: &AppHandle<R>) -> std::io::Result<()> {
    let slot = app.state::<WindowProcess>();
    let mut live = slot.live.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(l) = live.as_mut() {
        match link::write(&mut l.stdin, &ToWindow::Raise) {
            Ok(()) => {
                tracing::info!(pid = l.pid, "window raised");
                return Ok(());
            }
            // It is exiting (its window just closed): start a new one.
            Err(e) => tracing::info!(pid = l.pid, error = %e, "the window process is gone"),
        }
    }
    *live = None;
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg(WINDOW_FLAG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    if GDK_GL_SET_HERE.load(Ordering::Relaxed) {
        // The webview may well use OpenGL.
        command.env_remove("GDK_GL");
    }
    let mut child = command.spawn()?;
    let pid = child.id();
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(std::io::Error::other("the window process has no pipes"));
    };
    // Under the lock, so a sign-in starting now is either in this snapshot or sent after it.
    let state = app.state::<AppState>();
    let hello = ToWindow::Hello {
        language: state.language(),
        tray_available: state.tray_available(),
        device_sign_ins: state.device_codes(),
    };
    if let Err(e) = link::write(&mut stdin, &hello) {
        // It died at once; make sure it does not linger without its link.
        let _ = child.kill();
        let _ = child.wait();
        return Err(e);
    }
    *live = Some(Live { pid, stdin });
    drop(live);
    let app = app.clone();
    std::thread::Builder::new()
        .name("window-link".into())
        .spawn(move || listen(&app, child, stdout))?;
    tracing::info!(pid, "window process started");
    Ok(())
}

/// Forwards `message` to the window process if one runs (dropped otherwise: a window started
/// later gets the state in its hello).
pub fn send<R: Runtime>(app: &AppHandle<R>, message: &ToWindow) {
    let slot = app.state::<WindowProcess>();
    let mut live = slot.live.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(l) = live.as_mut() {
        if let Err(e) = link::write(&mut l.stdin, message) {
            tracing::info!(pid = l.pid, error = %e, "the window process is gone");
            *live = None;
        }
    }
}

/// Reads what the window process says until it exits (a blocked read: no wake-ups meanwhile),
/// then reaps it and forgets it.
fn listen<R: Runtime>(app: &AppHandle<R>, mut child: Child, stdout: ChildStdout) {
    let pid = child.id();
    let mut input = BufReader::new(stdout);
    loop {
        match link::read::<_, ToTray>(&mut input) {
            Ok(Some(ToTray::Language { language })) => {
                tracing::info!(?language, "the window switched the language");
                app.state::<AppState>().set_language(language);
                if let Err(e) = tray::rebuild(app) {
                    tracing::error!(error = %e, "cannot rebuild the tray");
                }
            }
            Ok(Some(ToTray::Action { action })) => {
                tracing::info!(?action, "action from the window");
                app.state::<AppState>()
                    .send(crate::state::Command::Action(action));
            }
            Ok(Some(ToTray::Reload)) => {
                app.state::<AppState>().send(crate::state::Command::Reload);
            }
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(pid, error = %e, "cannot read from the window process");
                break;
            }
        }
    }
    match child.wait() {
        Ok(status) => tracing::info!(pid, %status, "window process ended"),
        Err(e) => tracing::warn!(pid, error = %e, "cannot reap the window process"),
    }
    {
        let slot = app.state::<WindowProcess>();
        let mut live = slot.live.lock().unwrap_or_else(PoisonError::into_inner);
        if live.as_ref().is_some_and(|l| l.pid == pid) {
            *live = None;
        }
    }
    // The window closed: stay in the tray, unless there is no tray to stay in (checked again: a
    // tray host may have started or stopped since start-up).
    let available = tray::host::is_available();
    app.state::<AppState>().set_tray_available(available);
    if !available {
        tracing::info!("window closed and no tray host: quitting");
        app.exit(0);
    }
}
