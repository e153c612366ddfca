//! `lanyard credentials` and `lanyard export`: a profile's role credentials for
//! `credential_process` and for shells, from the AWS CLI's cache or fetched with a valid token.
//! Only the credentials go to stdout; any problem is one line on stderr and a non-zero exit.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use lanyard_core::cache::role_credentials::RoleCredentials;
use lanyard_core::credentials::{profile_role, render, Format, ProfileRole};
use lanyard_core::portal::{get_role_credentials, portal_endpoint};
use lanyard_core::sessions::signin::{LoginOptions, SessionError};
use lanyard_core::Context;

use super::session::{runtime, signin, view, TerminalUi};
use crate::cli::{CredentialsArgs, ExportArgs, ExportFormat};

/// The profile's credentials: cached while fresh, else fetched (signing in first only when
/// `login` is set and no valid token exists).
fn fetch(ctx: &Context, profile: &str, login: bool) -> anyhow::Result<RoleCredentials> {
    let view = view(ctx)?;
    let role = profile_role(&view, profile)?;
    let home = ctx.dirs.home();
    if let Some(c) = role.cached(home, ctx.clock.now()) {
        return Ok(c);
    }
    let rt = runtime()?;
    let service = signin(ctx, &role.session)?;
    let config = &role.session.config;
    let token = if login {
        let ui = TerminalUi {
            env: ctx.env.clone(),
            open_browser: true,
        };
        let opts = LoginOptions {
            use_device_code: role.session.use_device_code,
            ..LoginOptions::default()
        };
        rt.block_on(service.login_if_needed(config, opts, &ui))
    } else {
        rt.block_on(service.valid_token(config))
    }
    .map_err(|e| sign_in_needed(&role, e))?;
    let creds = rt
        .block_on(get_role_credentials(
            &lanyard_core::http::client()?,
            &portal_endpoint(&ctx.env, &config.region),
            &token.access_token,
            &role.account_id,
            &role.role_name,
        ))
        .map_err(|e| {
            if e.is_unauthorized() {
                anyhow!(
                    "the SSO session of profile {} is no longer valid; run: lanyard login --profile {}",
                    role.profile,
                    role.profile
                )
            } else {
                anyhow!(e)
            }
        })?;
    role.store(home, &creds)?;
    Ok(creds)
}

fn sign_in_needed(role: &ProfileRole, e: SessionError) -> anyhow::Error {
    match e {
        SessionError::NotSignedIn { .. }
        | SessionError::Expired { .. }
        | SessionError::SessionEnded { .. } => anyhow!(
            "profile {}: {e} (or use `lanyard credentials --profile {} --login` to sign in when needed)",
            role.profile,
            role.profile
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
    if args.write {
        return Ok(super::not_implemented("credentials --write"));
    }
    let creds = fetch(ctx, &args.profile, args.login)?;
    print(&render(&creds, Format::Process))
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
