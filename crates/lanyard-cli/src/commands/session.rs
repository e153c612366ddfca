//! `lanyard login | logout | status | token`: sign-in, sign-out and session state over
//! lanyard-core's sessions, printing what the AWS CLI prints where it has an equivalent.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use lanyard_core::browser::{self, Asked, Browser};
use lanyard_core::cache::timefmt::format_cli;
use lanyard_core::config::NetSettings as _;
use lanyard_core::config::{ConfigFile, ConfigView};
use lanyard_core::endpoints::Service;
use lanyard_core::net::Net;
use lanyard_core::overview::{overview, session_net, sign_in_service, store_for};
use lanyard_core::sessions::history::SessionRecord;
use lanyard_core::sessions::logout::{
    forget_session, logout_session, remove_all_sso_role_credentials,
};
use lanyard_core::sessions::resolve::{
    all_sessions, default_profile, session_by_name, session_for_profile, KnownSession,
};
use lanyard_core::sessions::signin::{DevicePrompt, LoginOptions, SignInUi};
use lanyard_core::sessions::state::{reason_words, short_left, Assessment, Policy, State};
use lanyard_core::Context;
use serde_json::json;

use crate::cli::{LoginArgs, LogoutArgs, SessionTarget, StatusArgs, TokenArgs};

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The config file of this environment; its `view()` is what botocore reads.
pub(crate) fn config(ctx: &Context) -> anyhow::Result<ConfigFile> {
    Ok(ConfigFile::load_config(&ctx.env)?)
}

/// The sessions a command acts on: `--all`, `--sso-session`, `--profile`, or the default
/// profile's session (`AWS_PROFILE`, then `default`).
fn targets(
    ctx: &Context,
    view: &ConfigView,
    t: &SessionTarget,
) -> anyhow::Result<Vec<KnownSession>> {
    if t.all {
        let all = all_sessions(view);
        if all.is_empty() {
            bail!("no SSO session is configured; create one with: lanyard configure sso-session");
        }
        return Ok(all);
    }
    if let Some(name) = &t.sso_session {
        return Ok(vec![session_by_name(view, name)?]);
    }
    let profile = t
        .profile
        .clone()
        .unwrap_or_else(|| default_profile(&ctx.env));
    Ok(vec![session_for_profile(view, &profile)?])
}

/// Prints and opens what the person needs, as the AWS CLI does (on stderr: stdout stays for
/// machine-readable output).
pub(crate) struct TerminalUi {
    /// What opens pages; `None`: print them only.
    browser: Option<Browser>,
    /// Why the device code is used, shown with the code.
    reason: Option<String>,
}

impl TerminalUi {
    /// The UI for a sign-in chosen by [`browser::sign_in_choice`] that may not happen (a valid
    /// token is reused): the reason for a device code is shown with the code.
    pub(crate) fn for_choice(choice: &browser::Choice) -> TerminalUi {
        TerminalUi {
            browser: choice.browser.clone(),
            reason: choice.reason.clone(),
        }
    }

    /// The UI for a sign-in that starts now: the reason for a device code is shown at once.
    fn for_login(choice: &browser::Choice) -> TerminalUi {
        if let Some(reason) = &choice.reason {
            eprintln!("{reason}");
        }
        TerminalUi {
            browser: choice.browser.clone(),
            reason: None,
        }
    }

    fn open(&self, url: &str) -> bool {
        self.browser.as_ref().is_some_and(|b| b.open(url))
    }
}

impl SignInUi for TerminalUi {
    fn device_code(&self, p: &DevicePrompt) {
        if let Some(reason) = &self.reason {
            eprintln!("{reason}");
        }
        // Only an https page (or http on this machine) from the service is opened.
        let opened = match browser::safe_to_open(&p.verification_uri_complete) {
            Ok(()) => self.open(&p.verification_uri_complete),
            Err(e) => {
                eprintln!("warning: {e}");
                false
            }
        };
        if opened {
            eprintln!("Attempting to automatically open the SSO authorization page in your default browser.");
            eprintln!("If the browser does not open or you wish to use a different device to authorize this request, open the following URL:");
        } else {
            eprintln!("Open the following URL on any device to authorize this request:");
        }
        eprintln!(
            "\n{}\n\nThen enter the code:\n\n{}\n",
            p.verification_uri, p.user_code
        );
    }

    fn authorize_url(&self, url: &str) {
        if self.open(url) {
            eprintln!("Attempting to open your default browser.");
            eprintln!("If the browser does not open, open the following URL:\n\n{url}\n");
        } else {
            eprintln!("Open the following URL in a browser on this machine to sign in:\n\n{url}\n");
        }
        eprintln!(
            "(If this machine has no browser, run the sign-in again with --use-device-code.)"
        );
    }
}

/// `lanyard login`.
pub(crate) fn login(ctx: &Context, args: LoginArgs) -> anyhow::Result<ExitCode> {
    let file = config(ctx)?;
    let view = file.view()?;
    let sessions = targets(ctx, &view, &args.target)?;
    let rt = runtime()?;
    let asked = Asked {
        use_device_code: args.use_device_code,
        no_browser: args.no_browser,
        redirect_port: args.redirect_port.is_some(),
    };
    let mut failed = 0;
    for s in &sessions {
        if sessions.len() > 1 {
            eprintln!("Signing in to {}...", s.config.id.display_name());
        }
        let choice = browser::sign_in_choice(ctx, s, asked);
        let ui = TerminalUi::for_login(&choice);
        let opts = LoginOptions {
            use_device_code: choice.device_code(),
            redirect_port: args.redirect_port.unwrap_or(0),
            ..LoginOptions::default()
        };
        let net = net_for(ctx, &view, args.target.profile.as_deref(), s);
        match rt.block_on(sign_in_service(ctx, &net, s)?.login(&s.config, opts, &ui)) {
            Ok(_) => eprintln!("Successfully logged into Start URL: {}", s.config.start_url),
            Err(e) => {
                failed += 1;
                eprintln!("lanyard: {}: {e}", s.config.id.display_name());
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `lanyard logout`: with no target, every session (as `aws sso logout` does); `--forget` also
/// removes the sessions' client registrations.
pub(crate) fn logout(ctx: &Context, args: LogoutArgs) -> anyhow::Result<ExitCode> {
    let target = args.target;
    let file = config(ctx)?;
    let view = file.view()?;
    let everything = !target.all && target.sso_session.is_none() && target.profile.is_none();
    let sessions = if everything {
        all_sessions(&view)
    } else {
        targets(ctx, &view, &target)?
    };
    let rt = runtime()?;
    for s in &sessions {
        let net = net_for(ctx, &view, target.profile.as_deref(), s);
        let http = net.client()?;
        let store = store_for(ctx, s);
        let report = rt.block_on(logout_session(
            &http,
            &net.url(Service::Sso, &s.config.region)?,
            store.as_ref(),
            &ctx.dirs,
            &s.config.id,
            &s.roles,
        ))?;
        if report.token_removed {
            eprintln!("Signed out of {}", s.config.id.display_name());
        }
        if args.forget && forget_session(store.as_ref(), &s.config.registration_key())? {
            eprintln!(
                "Removed the client registration of {} ({})",
                s.config.id.display_name(),
                store.storage()
            );
        }
    }
    let removed = if everything || target.all {
        remove_all_sso_role_credentials(ctx.dirs.home())?;
        lanyard_core::credentials_file::remove_written(ctx, None)?
    } else {
        let profiles: Vec<String> = sessions.iter().flat_map(|s| s.profiles.clone()).collect();
        lanyard_core::credentials_file::remove_written(ctx, Some(&profiles))?
    };
    for section in removed {
        eprintln!("Removed the credentials Lanyard wrote to [{section}] of the credentials file");
    }
    Ok(ExitCode::SUCCESS)
}

/// The endpoints of a session's calls: `--profile`'s when one is named (that profile uses the
/// session, as with `aws sso login --profile`), else the session's own profiles' and the
/// environment's — never an unrelated default profile's (issue 20).
fn net_for(ctx: &Context, view: &ConfigView, profile: Option<&str>, s: &KnownSession) -> Net {
    match profile {
        Some(p) => Net::for_profile(&ctx.env, view, Some(p)),
        None => session_net(ctx, view, s),
    }
}

/// `lanyard status`.
pub(crate) fn status(ctx: &Context, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let now = ctx.clock.now();
    let (settings, _) = lanyard_core::settings::Settings::load(&ctx.dirs);
    let mut statuses = overview(ctx, Policy::default(), &settings)?;
    if args.prompt {
        // Only the session of the profile in use when AWS_PROFILE is set.
        if let Some(p) = ctx.env.get_str("AWS_PROFILE") {
            statuses.retain(|st| st.session.profiles.iter().any(|n| n == p));
        }
    }
    let rows: Vec<(&KnownSession, Assessment, &SessionRecord)> = statuses
        .iter()
        .map(|st| (&st.session, st.assessment.clone(), &st.record))
        .collect();
    if args.prompt {
        let parts: Vec<String> = rows
            .iter()
            .filter(|(_, a, _)| a.state != State::SignedOut)
            .map(|(s, a, _)| match (a.state, a.session_ends_at) {
                (State::Expired, _) => format!("{} expired", s.config.id.display_name()),
                (_, Some(end)) if a.needs_sign_in => format!(
                    "{} {} sign-in",
                    s.config.id.display_name(),
                    short_left(end - now)
                ),
                (_, Some(end)) => {
                    format!("{} {}", s.config.id.display_name(), short_left(end - now))
                }
                (_, None) => s.config.id.display_name().to_owned(),
            })
            .collect();
        if !parts.is_empty() {
            println!("{}", parts.join(" "));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        let sessions: Vec<_> = rows
            .iter()
            .map(|(s, a, r)| {
                json!({
                    "name": s.config.id.display_name(),
                    "kind": s.kind(),
                    "start_url": s.config.start_url,
                    "region": s.config.region,
                    "storage": s.storage,
                    "state": a.state,
                    "expires_at": a.expires_at.map(format_cli),
                    "session_ends_at": a.session_ends_at.map(format_cli),
                    "end_is_estimate": a.end_is_estimate,
                    "refreshable": a.refreshable,
                    "needs_sign_in": a.needs_sign_in,
                    "reason": a.reason,
                    "signed_in_at": r.signed_in().map(format_cli),
                    "signed_in_elsewhere": r.signed_in_elsewhere,
                    "profiles": s.profiles,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "sessions": sessions }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        eprintln!("No SSO session is configured; create one with: lanyard configure sso-session");
        return Ok(ExitCode::SUCCESS);
    }
    for (s, a, _) in &rows {
        let why = a
            .reason
            .as_deref()
            .map(|r| format!(" — {}", reason_words(r)))
            .unwrap_or_default();
        let state = match a.state {
            State::SignedOut => "signed out".to_owned(),
            State::Expired if a.reason.is_some() => format!("needs sign-in{why}"),
            State::Expired => "expired".to_owned(),
            State::Valid | State::Expiring if a.needs_sign_in => match a.session_ends_at {
                Some(end) => format!("{} left, then needs sign-in{why}", short_left(end - now)),
                None => format!("needs sign-in{why}"),
            },
            State::Valid | State::Expiring => match a.session_ends_at {
                Some(end) => format!(
                    "{}{} left{}",
                    if a.end_is_estimate { "≈ " } else { "" },
                    short_left(end - now),
                    if a.state == State::Expiring {
                        " (expiring)"
                    } else {
                        ""
                    }
                ),
                None => "signed in".to_owned(),
            },
        };
        println!(
            "{:<28} {:<12} {}",
            s.config.id.display_name(),
            s.kind(),
            state
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `lanyard token`.
pub(crate) fn token(ctx: &Context, args: TokenArgs) -> anyhow::Result<ExitCode> {
    let file = config(ctx)?;
    let view = file.view()?;
    let s = session_by_name(&view, &args.sso_session)?;
    let net = session_net(ctx, &view, &s);
    let token = runtime()?.block_on(sign_in_service(ctx, &net, &s)?.valid_token(&s.config))?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&json!({
                "accessToken": token.access_token.expose(),
                "expiresAt": format_cli(token.expires_at),
            }))?
        );
    } else {
        if std::io::stdout().is_terminal() {
            eprintln!(
                "(printing a bearer token for {}; treat it as a password)",
                args.sso_session
            );
        }
        println!("{}", token.access_token.expose());
    }
    Ok(ExitCode::SUCCESS)
}
