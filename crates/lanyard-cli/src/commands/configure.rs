//! `lanyard configure sso-session`: create or update an `[sso-session NAME]` section in place,
//! as `aws configure sso-session` does; prompts for what is missing when stdin is a terminal. A
//! start URL that is not `https://` with a host, or a region botocore refuses, is refused with
//! nothing written.
//! (`configure sso`, the account and role wizard, is in `wizard.rs`, with the prompt both use.)

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::bail;
use lanyard_core::config::migrate::DEFAULT_SCOPES;
use lanyard_core::config::ConfigFile;
use lanyard_core::config::{edit, values};
use lanyard_core::credentials::lanyard_executable;
use lanyard_core::overview::store_of;
use lanyard_core::sessions::storage::switch_storage;
use lanyard_core::sessions::store::SessionId;
use lanyard_core::Context;

use super::config::edit_config;
use super::wizard::{self, prompt};
use crate::cli::{ConfigureCommand, ConfigureSsoSessionArgs, Storage};

/// Runs `lanyard configure ...`.
pub(crate) fn run(ctx: &Context, cmd: ConfigureCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigureCommand::SsoSession(args) => sso_session(ctx, args),
        ConfigureCommand::Sso(args) => wizard::run(ctx, args),
    }
}

fn sso_session(ctx: &Context, args: ConfigureSsoSessionArgs) -> anyhow::Result<ExitCode> {
    let interactive = std::io::stdin().is_terminal();
    let name = match args.name {
        Some(n) => n,
        None if interactive => {
            eprint!("SSO session name: ");
            std::io::stderr().flush()?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim().to_owned()
        }
        None => bail!(
            "missing --name: stdin is not a terminal, so lanyard cannot ask for it \
             (pass --name, --start-url and --region)"
        ),
    };
    if name.is_empty() {
        bail!("an SSO session name is required");
    }
    // What the section holds now, to offer as defaults and to know whether it is new.
    let file = ConfigFile::load_config(&ctx.env)?;
    let existing = file.view()?.sso_sessions.get(name.as_str()).cloned();
    let current = |k: &str| existing.as_ref().and_then(|s| s.get(k)).map(str::to_owned);
    let is_new = existing.is_none();

    let mut start_url = args.start_url;
    let mut region = args.region;
    let mut scopes = args.scopes;
    if interactive {
        if start_url.is_none() {
            start_url = prompt("SSO start URL", current("sso_start_url").as_deref())?;
        }
        if region.is_none() {
            region = prompt("SSO region", current("sso_region").as_deref())?;
        }
        if scopes.is_none() {
            let offer = current("sso_registration_scopes")
                .or_else(|| is_new.then(|| DEFAULT_SCOPES.to_owned()));
            scopes = prompt("SSO registration scopes", offer.as_deref())?;
        }
    } else if is_new {
        let mut missing = Vec::new();
        if start_url.is_none() {
            missing.push("--start-url");
        }
        if region.is_none() {
            missing.push("--region");
        }
        if !missing.is_empty() {
            bail!(
                "missing {}: sso-session {name} is new and stdin is not a terminal, so lanyard \
                 cannot ask",
                missing.join(", ")
            );
        }
        scopes.get_or_insert_with(|| DEFAULT_SCOPES.to_owned());
    }
    if start_url.is_none() && current("sso_start_url").is_none() {
        bail!("an SSO start URL is required");
    }
    if region.is_none() && current("sso_region").is_none() {
        bail!("an SSO region is required");
    }
    // A start URL or region that cannot work is refused, naming it, before anything happens.
    if let Some(u) = &start_url {
        values::check_start_url("sso_start_url", u.trim())?;
    }
    if let Some(r) = &region {
        values::check_region("sso_region", r.trim())?;
    }
    let storage = args.storage.map(|s| match s {
        Storage::File => lanyard_core::sessions::store::Storage::File,
        Storage::Keychain => lanyard_core::sessions::store::Storage::Keychain,
    });
    // Secure mode with no keychain is refused before anything is written.
    if storage == Some(lanyard_core::sessions::store::Storage::Keychain) {
        store_of(ctx, lanyard_core::sessions::store::Storage::Keychain)
            .ensure_available(&SessionId::Session(name.clone()))?;
    }
    edit_config(ctx, |doc| {
        let i = edit::upsert_sso_session(
            doc,
            &name,
            start_url.as_deref(),
            region.as_deref(),
            scopes.as_deref(),
        )?;
        let device_code = if args.use_device_code {
            Some(true)
        } else if args.no_use_device_code {
            Some(false)
        } else {
            None
        };
        edit::set_use_device_code(doc, i, device_code)
    })?;
    if let Some(to) = storage {
        let report = switch_storage(ctx, &name, to, &lanyard_executable())?;
        if report.from != report.to {
            eprintln!(
                "Moved sso-session {name} from {} to {} storage{}.",
                report.from,
                report.to,
                if report.moved.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", report.moved.join(", "))
                }
            );
        }
        if !report.profiles.is_empty() {
            eprintln!(
                "Rewrote profile{} {} for {} storage.",
                if report.profiles.len() == 1 { "" } else { "s" },
                report.profiles.join(", "),
                report.to
            );
        }
    }
    eprintln!("Completed configuring SSO session: {name}");
    eprintln!("Run the following to sign in:\n\n  lanyard login --sso-session {name}\n");
    Ok(ExitCode::SUCCESS)
}
