//! `lanyard credentials` and `lanyard export`: a profile's role credentials for
//! `credential_process` and for shells, from the AWS CLI's cache or fetched with a valid token.
//! Only the credentials go to stdout; any problem is one line on stderr and a non-zero exit.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use lanyard_core::cache::role_credentials::RoleCredentials;
use lanyard_core::config::NetSettings as _;
use lanyard_core::credentials::{profile_role, render, Format};
use lanyard_core::overview::{cached_role_credentials, role_credentials, FetchError};
use lanyard_core::sessions::signin::{LoginOptions, SessionError};
use lanyard_core::Context;

use super::session::{config, runtime, TerminalUi};
use crate::cli::{ConsoleArgs, CredentialsArgs, ExportArgs, ExportFormat, WhoamiArgs};
use lanyard_core::console::ProfileConsoleError;
use lanyard_core::net::Net;
use lanyard_core::overview::sign_in_service;
use lanyard_core::whoami::WhoamiError;

/// The profile's credentials: cached while fresh, else fetched with a valid token — signing
/// in first only when `login` is set and no valid token exists.
fn fetch(ctx: &Context, profile: &str, login: bool) -> anyhow::Result<RoleCredentials> {
    // The hot path: fresh cached credentials need no async runtime and no HTTP client.
    if !login {
        if let Some(c) = cached_role_credentials(ctx, profile).map_err(|e| explain(profile, e))? {
            return Ok(c);
        }
    }
    let rt = runtime()?;
    if login {
        let file = config(ctx)?;
        let view = file.view()?;
        let role = profile_role(&view, profile)?;
        let net = Net::for_profile(&ctx.env, &view, Some(profile));
        let choice = lanyard_core::browser::sign_in_choice(ctx, &role.session, Default::default());
        let ui = TerminalUi::for_choice(&choice);
        let opts = LoginOptions {
            use_device_code: choice.device_code(),
            ..LoginOptions::default()
        };
        rt.block_on(sign_in_service(ctx, &net, &role.session)?.login_if_needed(
            &role.session.config,
            opts,
            &ui,
        ))?;
    }
    rt.block_on(role_credentials(ctx, profile))
        .map_err(|e| explain(profile, e))
}

/// One line saying what to do, for the failures a person can fix.
fn explain(profile: &str, e: FetchError) -> anyhow::Error {
    match e {
        FetchError::Session(
            e @ (SessionError::NotSignedIn { .. }
            | SessionError::Expired { .. }
            | SessionError::SessionEnded { .. }),
        ) => anyhow!(
            "profile {profile}: {e} (or use `lanyard credentials --profile {profile} --login` to sign in when needed)"
        ),
        FetchError::Portal(p) if p.is_unauthorized() => anyhow!(
            "the SSO session of profile {profile} is no longer valid; run: lanyard login --profile {profile}"
        ),
        other => anyhow!(other),
    }
}

fn print(text: &str) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `lanyard credentials`.
pub(crate) fn credentials(ctx: &Context, args: CredentialsArgs) -> anyhow::Result<ExitCode> {
    let creds = fetch(ctx, &args.profile, args.login)?;
    if args.write {
        let section = args.r#as.as_deref().unwrap_or(&args.profile);
        // Said once: only the run that changed the mode says so.
        if let Some(was) = lanyard_core::credentials_file::make_private(ctx)? {
            eprintln!(
                "Made {} readable by you alone (mode 0600, was {was:04o}): it holds role credentials.",
                lanyard_core::config::credentials_file_path(&ctx.env).display()
            );
        }
        lanyard_core::credentials_file::write_with(
            ctx,
            section,
            &args.profile,
            &creds,
            args.force,
        )?;
        eprintln!(
            "Wrote the credentials of profile {} to [{section}] in {} (they expire {}).",
            args.profile,
            lanyard_core::config::credentials_file_path(&ctx.env).display(),
            lanyard_core::credentials::iso_utc(creds.expiration)
        );
        return Ok(ExitCode::SUCCESS);
    }
    print(&render(&creds, Format::Process))
}

/// `lanyard whoami`.
pub(crate) fn whoami(ctx: &Context, args: WhoamiArgs) -> anyhow::Result<ExitCode> {
    let identity = match runtime()?.block_on(lanyard_core::whoami::whoami(ctx, &args.profile)) {
        Ok(identity) => identity,
        Err(e) if args.json => {
            // With --json a failure is JSON too: {"error": {"code", "message"}}, exit 1.
            let message = e.to_string();
            let error = serde_json::json!({ "error": { "code": e.code(), "message": message } });
            print(&(serde_json::to_string_pretty(&error)? + "\n"))?;
            eprintln!("lanyard: {message}");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => {
            return Err(match e {
                WhoamiError::Credentials(e) => explain(&args.profile, e),
                WhoamiError::Sts(e) => e.into(),
                WhoamiError::Core(e) => e.into(),
                other => anyhow!(other),
            })
        }
    };
    if args.json {
        return print(&(serde_json::to_string_pretty(&identity)? + "\n"));
    }
    print(&format!(
        "Account: {}\nArn:     {}\nUserId:  {}\n",
        identity.account, identity.arn, identity.user_id
    ))
}

/// `lanyard console`.
pub(crate) fn console(ctx: &Context, args: ConsoleArgs) -> anyhow::Result<ExitCode> {
    let url = runtime()?
        .block_on(lanyard_core::console::url_for_profile(
            ctx,
            &args.profile,
            args.region.as_deref(),
            args.destination.as_deref(),
        ))
        .map_err(|e| match e {
            ProfileConsoleError::Credentials(e) => explain(&args.profile, e),
            other => anyhow!(other),
        })?;
    if args.print {
        return print(&format!("{}\n", url.expose()));
    }
    let (settings, warning) = lanyard_core::settings::Settings::load(&ctx.dirs);
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
    let command = settings.console_browser(&args.profile);
    if !lanyard_core::browser::open_with(&ctx.env, command, url.expose()) {
        match command {
            Some(c) => bail!(
                "the console browser command of profile {} ({c}) did not start",
                args.profile
            ),
            None => bail!("no browser could be opened; use --print to get the sign-in URL"),
        }
    }
    eprintln!(
        "Opened the AWS console for profile {} (the link is valid for 15 minutes).",
        args.profile
    );
    Ok(ExitCode::SUCCESS)
}

/// `lanyard export`.
pub(crate) fn export(ctx: &Context, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        ExportFormat::Process => Format::Process,
        ExportFormat::Env => Format::Env,
        ExportFormat::EnvNoExport => Format::EnvNoExport,
        ExportFormat::Fish => Format::Fish,
        ExportFormat::Powershell => Format::Powershell,
        ExportFormat::WindowsCmd => Format::WindowsCmd,
        ExportFormat::Dotenv => Format::Dotenv,
    };
    let creds = fetch(ctx, &args.profile, false)?;
    if creds.access_key_id.is_empty() {
        bail!("the portal returned empty credentials");
    }
    print(&render(&creds, format))
}
