//! Opening a URL in the person's browser, and choosing how a sign-in happens: the browser
//! redirect (PKCE) or the device code.
//!
//! **Which browser.** In this order: the session's own browser command from Lanyard's settings
//! (`[sessions.NAME] browser = "firefox -P work %s"`; used alone, never replaced by another
//! browser that could be signed in as someone else); `BROWSER`, honoured as Python's
//! `webbrowser` (and so the AWS CLI) honours it: a list of commands separated by the path
//! separator, each split like a shell would, `%s` replaced by the URL or the URL appended, the
//! first that starts wins; on WSL (`WSL_DISTRO_NAME` set, or a kernel release naming
//! "microsoft" or "WSL") `wslview`, which opens the Windows browser; otherwise the platform's
//! opener (`xdg-open`, `open`, `start`). The process is not waited for.
//!
//! **Which flow** ([`choose_flow`], the one rule the CLI and the app both follow):
//!
//! 1. A legacy profile (no sso-session) always uses the device code, as the AWS CLI does.
//! 2. `--use-device-code` uses it.
//! 3. `sso_use_device_code = true` in the sso-session section uses it (the key the AWS CLI
//!    proposes), and says so.
//! 4. A browser the person chose — the session's browser command or `BROWSER` — means the
//!    browser redirect, even over SSH or with no display: someone who set `BROWSER` in an SSH
//!    session has a browser that works there (a text browser, a forwarded X display, a script),
//!    and the AWS CLI would use it too. `--redirect-port` likewise means the person arranged the
//!    loopback (an SSH tunnel, say), so the redirect is used and its URL printed.
//! 5. In an SSH session (`SSH_CONNECTION`, `SSH_CLIENT` or `SSH_TTY` set) the device code is
//!    used: a browser on the person's own computer cannot reach this machine's loopback
//!    redirect, and a browser opened here would appear on someone else's screen if at all.
//! 6. On WSL the browser redirect, through `wslview` (WSL forwards localhost to Windows).
//! 7. On Linux and other Unix desktops with no display (`DISPLAY` and `WAYLAND_DISPLAY` both
//!    unset) the device code.
//! 8. Otherwise the browser redirect.
//!
//! When the device code is used for reasons 3, 5 or 7, [`Choice::reason`] says why in one line.
//! `--no-browser` opens nothing (URLs are printed), and so never counts as a chosen browser.

use std::process::{Command, Stdio};

mod safe;
pub use safe::{safe_to_open, UnsafeUrl};

use crate::cache::registration::Flow;
use crate::context::Context;
use crate::env::Env;
use crate::sessions::resolve::KnownSession;
use crate::sessions::store::SessionId;
use crate::settings::Settings;

/// Where Linux says which kernel runs (WSL's names "microsoft").
pub const KERNEL_RELEASE_FILE: &str = "/proc/sys/kernel/osrelease";

/// Variables that say the process runs in an SSH session, in the order they are named.
const SSH_VARS: [&str; 3] = ["SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"];

/// Which kind of system, as far as opening a browser goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// macOS: `open`, always a display.
    MacOs,
    /// Windows: `start`, always a display.
    Windows,
    /// Linux and other Unix systems: `xdg-open`, a display only with X11 or Wayland.
    Unix,
}

impl Os {
    /// The system this binary was built for.
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Unix
        }
    }
}

/// The machine Lanyard runs on, as far as choosing a browser goes: the environment, the kind of
/// system and the kernel release (read from [`KERNEL_RELEASE_FILE`] by [`Host::detect`], given
/// by tests to [`Host::new`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    env: Env,
    os: Os,
    kernel_release: Option<String>,
}

impl Host {
    /// This machine: the given environment, this system, the running kernel's release.
    pub fn detect(env: &Env) -> Host {
        let os = Os::current();
        let kernel_release = match os {
            Os::Unix => std::fs::read_to_string(KERNEL_RELEASE_FILE).ok(),
            Os::MacOs | Os::Windows => None,
        };
        Host::new(env.clone(), os, kernel_release)
    }

    /// A host made of the given parts (for tests).
    pub fn new(env: Env, os: Os, kernel_release: Option<String>) -> Host {
        Host {
            env,
            os,
            kernel_release,
        }
    }

    /// Whether this is Linux under WSL: `WSL_DISTRO_NAME` is set, or the kernel release names
    /// Microsoft or WSL (`5.15.90.1-microsoft-standard-WSL2`, `4.4.0-19041-Microsoft`).
    pub fn is_wsl(&self) -> bool {
        if self.os != Os::Unix {
            return false;
        }
        if self.env.get("WSL_DISTRO_NAME").is_some() {
            return true;
        }
        self.kernel_release.as_deref().is_some_and(|r| {
            let r = r.to_ascii_lowercase();
            r.contains("microsoft") || r.contains("wsl")
        })
    }

    /// The variable that shows this is an SSH session, if one does.
    pub fn ssh_marker(&self) -> Option<&'static str> {
        SSH_VARS.into_iter().find(|v| self.env.get(v).is_some())
    }

    /// Whether a graphical browser can appear: always on macOS and Windows, on Unix only with
    /// `DISPLAY` or `WAYLAND_DISPLAY` set.
    pub fn has_display(&self) -> bool {
        match self.os {
            Os::MacOs | Os::Windows => true,
            Os::Unix => {
                self.env.get("DISPLAY").is_some() || self.env.get("WAYLAND_DISPLAY").is_some()
            }
        }
    }
}

/// A way to open a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browser {
    /// A command configured for this session or profile (one command, `%s` or appended), used
    /// alone: when it cannot start, no other browser is tried.
    Command(String),
    /// The `BROWSER` variable's list of commands.
    Variable(String),
    /// `wslview`, from WSL.
    Wsl,
    /// The platform's opener.
    Platform(Os),
}

impl Browser {
    /// The browser this host opens URLs with when nothing is configured for the session:
    /// `BROWSER`, then `wslview` on WSL, then the platform's opener.
    pub fn for_host(host: &Host) -> Browser {
        if let Some(list) = host.env.get_str("BROWSER") {
            return Browser::Variable(list.to_owned());
        }
        if host.is_wsl() {
            return Browser::Wsl;
        }
        Browser::Platform(host.os)
    }

    /// The commands that would be tried for `url`, in order (program and arguments).
    pub fn commands(&self, url: &str) -> Vec<Vec<String>> {
        match self {
            Browser::Command(c) => command_with_url(c, url).into_iter().collect(),
            Browser::Variable(list) => {
                let sep = if cfg!(windows) { ';' } else { ':' };
                list.split(sep)
                    .filter(|c| !c.trim().is_empty())
                    .filter_map(|c| command_with_url(c, url))
                    .collect()
            }
            Browser::Wsl => vec![vec!["wslview".to_owned(), url.to_owned()]],
            Browser::Platform(os) => {
                let opener: &[&str] = match os {
                    Os::MacOs => &["open"],
                    Os::Windows => &["cmd", "/C", "start", ""],
                    Os::Unix => &["xdg-open"],
                };
                let mut cmd: Vec<String> = opener.iter().map(|s| (*s).to_owned()).collect();
                cmd.push(url.to_owned());
                vec![cmd]
            }
        }
    }

    /// Opens `url`; whether a command could be started.
    pub fn open(&self, url: &str) -> bool {
        start_first(self.commands(url))
    }
}

/// One command line with the URL in it: `%s` replaced, or the URL appended.
fn command_with_url(command: &str, url: &str) -> Option<Vec<String>> {
    let mut words = split_words(command)?;
    if words.is_empty() {
        return None;
    }
    if words.iter().any(|w| w.contains("%s")) {
        for w in &mut words {
            *w = w.replace("%s", url);
        }
    } else {
        words.push(url.to_owned());
    }
    Some(words)
}

/// The commands that would be tried for `url` on this machine, in order (program and
/// arguments).
pub fn commands_for(env: &Env, url: &str) -> Vec<Vec<String>> {
    Browser::for_host(&Host::detect(env)).commands(url)
}

/// Opens `url`; whether a browser command could be started.
pub fn open(env: &Env, url: &str) -> bool {
    Browser::for_host(&Host::detect(env)).open(url)
}

/// Opens `url` with `command` when one is configured (a browser profile or container for this
/// profile or session: one command, `%s` or appended, as a BROWSER entry), else as [`open`].
/// A configured command that cannot start is not replaced by another browser, which could be
/// signed in as someone else: the result is `false`.
pub fn open_with(env: &Env, command: Option<&str>, url: &str) -> bool {
    match command {
        Some(c) => Browser::Command(c.to_owned()).open(url),
        None => open(env, url),
    }
}

fn start_first(commands: Vec<Vec<String>>) -> bool {
    for cmd in commands {
        let Some((program, args)) = cmd.split_first() else {
            continue;
        };
        let started = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match started {
            Ok(_child) => return true,
            Err(e) => tracing::debug!(program, error = %e, "browser command did not start"),
        }
    }
    false
}

/// What the person asked for on this sign-in (the CLI's flags; the app asks for nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Asked {
    /// `--use-device-code`.
    pub use_device_code: bool,
    /// `--no-browser`: open nothing, print the URLs.
    pub no_browser: bool,
    /// `--redirect-port` was given: the person arranged the loopback redirect.
    pub redirect_port: bool,
}

/// How one sign-in happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The browser redirect (PKCE) or the device code.
    pub flow: Flow,
    /// What opens the authorize or verification page; `None`: print it only.
    pub browser: Option<Browser>,
    /// Why the device code is used, for the person, when it was not asked for on this sign-in
    /// (one line, no secret).
    pub reason: Option<String>,
}

impl Choice {
    /// Whether the device code is used.
    pub fn device_code(&self) -> bool {
        self.flow == Flow::DeviceCode
    }
}

/// How to sign in to `session` on `host` (the rule in this module's documentation).
/// `session_browser` is the session's browser command from Lanyard's settings.
pub fn choose_flow(
    host: &Host,
    session: &KnownSession,
    session_browser: Option<&str>,
    asked: Asked,
) -> Choice {
    let chosen = if asked.no_browser {
        None
    } else if let Some(c) = session_browser {
        Some(Browser::Command(c.to_owned()))
    } else {
        host.env
            .get_str("BROWSER")
            .map(|b| Browser::Variable(b.to_owned()))
    };
    let ssh = host.ssh_marker();
    // What opens pages when nothing was chosen: nothing where no browser can appear.
    let fallback = || {
        if asked.no_browser || ssh.is_some() || (!host.is_wsl() && !host.has_display()) {
            None
        } else {
            Some(Browser::for_host(host))
        }
    };
    let browser = chosen.clone().or_else(fallback);
    let device = |reason: Option<String>| Choice {
        flow: Flow::DeviceCode,
        browser: browser.clone(),
        reason,
    };
    let pkce = || Choice {
        flow: Flow::Pkce,
        browser: browser.clone(),
        reason: None,
    };
    let name = match &session.config.id {
        SessionId::Legacy(_) => return device(None),
        SessionId::Session(name) => name,
    };
    if asked.use_device_code {
        return device(None);
    }
    if session.use_device_code {
        return device(Some(format!(
            "sso-session {name} sets sso_use_device_code = true: signing in with a device code."
        )));
    }
    if chosen.is_some() || asked.redirect_port {
        return pkce();
    }
    if let Some(var) = ssh {
        return device(Some(format!(
            "In an SSH session ({var} is set): signing in with a device code instead \
             (set BROWSER to sign in with a browser anyway)."
        )));
    }
    if host.is_wsl() {
        return pkce();
    }
    if !host.has_display() {
        return device(Some(
            "No display (DISPLAY and WAYLAND_DISPLAY are unset): signing in with a device code \
             instead."
                .to_owned(),
        ));
    }
    pkce()
}

/// [`choose_flow`] for this machine and the session's browser command in Lanyard's settings
/// (for a legacy session: the command set for its start URL or for one of its profiles).
pub fn sign_in_choice(ctx: &Context, session: &KnownSession, asked: Asked) -> Choice {
    let (settings, warning) = Settings::load(&ctx.dirs);
    if let Some(w) = warning {
        tracing::warn!(warning = %w, "settings");
    }
    let command = match &session.config.id {
        SessionId::Session(name) => settings.session_browser(name),
        SessionId::Legacy(url) => std::iter::once(url.as_str())
            .chain(session.profiles.iter().map(String::as_str))
            .find_map(|n| settings.session_browser(n)),
    };
    let choice = choose_flow(&Host::detect(&ctx.env), session, command, asked);
    tracing::debug!(
        session = session.config.id.display_name(),
        flow = ?choice.flow,
        browser = ?choice.browser.as_ref().map(|b| match b {
            Browser::Command(_) => "session command",
            Browser::Variable(_) => "BROWSER",
            Browser::Wsl => "wslview",
            Browser::Platform(_) => "platform opener",
        }),
        "sign-in flow chosen"
    );
    choice
}

/// Splits a command line into words as a POSIX shell would (quotes and backslashes), or `None`
/// when a quote is left open.
fn split_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => cur.push(chars.next()?),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

#[cfg(test)]
mod tests;
