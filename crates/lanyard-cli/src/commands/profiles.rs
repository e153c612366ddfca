//! `lanyard profiles list|show|set|unset|remove|rename|migrate`: profiles as botocore reads
//! them, and lossless edits of their sections.

use std::process::ExitCode;

use anyhow::bail;
use lanyard_core::config::edit::{self, KeyPath};
use lanyard_core::config::values::Outputs;
use lanyard_core::config::{self, ConfigFile};
use lanyard_core::listed;
use lanyard_core::Context;

use super::config::{edit_config, out, print_settings};
use crate::cli::ProfilesCommand;

/// Runs `lanyard profiles ...` (`use` has its own module, `switch.rs`).
pub(crate) fn run(ctx: &Context, cmd: ProfilesCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ProfilesCommand::List(j) => list(ctx, j.json),
        ProfilesCommand::Show { name, json } => show(ctx, &name, json.json),
        ProfilesCommand::Set {
            name, pairs, force, ..
        } => set(ctx, &name, &pairs, force),
        ProfilesCommand::Unset { name, keys } => unset(ctx, &name, &keys),
        ProfilesCommand::Remove { name } => {
            edit_config(ctx, |doc| edit::remove_profile(doc, &name))?;
            eprintln!("removed profile {name}");
            Ok(ExitCode::SUCCESS)
        }
        ProfilesCommand::Rename { old, new } => {
            edit_config(ctx, |doc| edit::rename_profile(doc, &old, &new))?;
            eprintln!("renamed profile {old} to {new}");
            Ok(ExitCode::SUCCESS)
        }
        ProfilesCommand::Migrate { name, sso_session } => {
            migrate(ctx, &name, sso_session.as_deref())
        }
        ProfilesCommand::Use {
            name,
            restore,
            keep_changes,
            discard_changes,
        } => {
            use lanyard_core::config::mirror::Changes;
            let changes = match (keep_changes, discard_changes) {
                (true, _) => Changes::Keep,
                (_, true) => Changes::Discard,
                _ => Changes::Refuse,
            };
            super::switch::run(ctx, name.as_deref(), restore, changes)
        }
    }
}

/// `profiles migrate`: a legacy SSO profile to an sso-session, in place.
fn migrate(ctx: &Context, name: &str, session: Option<&str>) -> anyhow::Result<ExitCode> {
    let (m, _) = edit_config(ctx, |doc| {
        lanyard_core::config::migrate::migrate_profile(doc, name, session)
    })?;
    let how = if m.created {
        "a new [sso-session"
    } else {
        "the existing [sso-session"
    };
    eprintln!(
        "Migrated profile {} to {how} {}] ({}, {}).",
        m.profile, m.session, m.start_url, m.region
    );
    if !m.others.is_empty() {
        eprintln!(
            "These profiles still have that start URL written in them: {} (migrate each with: \
             lanyard profiles migrate NAME --sso-session {})",
            m.others.join(", "),
            m.session
        );
    }
    eprintln!(
        "Sign in to the session (its token refreshes itself) with:\n\n  lanyard login --sso-session {}\n",
        m.session
    );
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    let file = ConfigFile::load_config(&ctx.env)?;
    let view = file.view()?;
    let profiles = config::profile_summaries(&view);
    if json {
        // Serialised straight from the summaries (no intermediate JSON value): the same text.
        let wrapped: std::collections::BTreeMap<&str, &[config::ProfileSummary]> =
            [("profiles", profiles.as_slice())].into_iter().collect();
        out(&serde_json::to_string_pretty(&wrapped)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    println!(
        "{:<30} {:<10} {:<16} {:<12} {:<24} REGION",
        "NAME", "KIND", "SSO SESSION", "ACCOUNT", "ROLE"
    );
    for p in profiles {
        let kind = serde_json::to_value(p.kind)?;
        println!(
            "{:<30} {:<10} {:<16} {:<12} {:<24} {}",
            p.name,
            kind.as_str().unwrap_or_default(),
            dash(&p.sso_session),
            dash(&p.account_id),
            dash(&p.role_name),
            dash(&p.region)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Context, name: &str, json: bool) -> anyhow::Result<ExitCode> {
    let file = ConfigFile::load_config(&ctx.env)?;
    let view = file.view()?;
    let Some(p) = view.profiles.get(name) else {
        return Err(lanyard_core::config::error::ConfigError::ProfileNotFound(name.into()).into());
    };
    if json {
        out(&serde_json::to_string_pretty(&p.to_json())?)?;
    } else {
        println!("[{}]  (line {})", p.header, p.line);
        print_settings(p);
    }
    Ok(ExitCode::SUCCESS)
}

/// `profiles set`: a value Lanyard refuses (see [`edit::set_profile_keys_with`]) fails with
/// nothing written; an account or role the cached portal listing lacks is written, with a
/// warning naming what it lists.
fn set(ctx: &Context, name: &str, pairs: &[String], force: bool) -> anyhow::Result<ExitCode> {
    let mut parsed = Vec::new();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            bail!("{pair:?} is not KEY=VALUE");
        };
        parsed.push((KeyPath::parse(k), v.to_owned()));
    }
    let outputs = if force { Outputs::Any } else { Outputs::Known };
    let (_, written) = edit_config(ctx, |doc| {
        edit::set_profile_keys_with(doc, name, &parsed, outputs)
    })
    .map_err(crate::errors::force_hint)?;
    if written {
        eprintln!("updated profile {name}");
    } else {
        eprintln!("profile {name} already had these values");
    }
    let names_assignment = parsed.iter().any(|(k, _)| {
        matches!(k, KeyPath::Key(k) if ["sso_account_id", "sso_role_name", "lanyard_account_id",
            "lanyard_role_name", "sso_session", "lanyard_sso_session"].contains(&k.as_str()))
    });
    if names_assignment {
        let file = ConfigFile::load_config(&ctx.env)?;
        if let Some(u) = file
            .view()
            .ok()
            .and_then(|view| listed::profile_unlisted(ctx, &view, name))
        {
            eprintln!(
                "warning: {u}; profile {name} is written anyway (you may have access the \
                 listing does not show; `lanyard accounts list --refresh` lists again)"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn unset(ctx: &Context, name: &str, keys: &[String]) -> anyhow::Result<ExitCode> {
    let keys: Vec<KeyPath> = keys.iter().map(|k| KeyPath::parse(k)).collect();
    let (missing, _) = edit_config(ctx, |doc| edit::unset_profile_keys(doc, name, &keys))?;
    for k in missing {
        eprintln!("profile {name} has no key {k} (nothing to remove)");
    }
    Ok(ExitCode::SUCCESS)
}
