//! `lanyard configure sso`: the AWS CLI's wizard (PROTOCOL §6) — session, sign-in if needed,
//! account (type to filter over name, id and email), role, region, output, profile name — then
//! the profile and, for a new session, the `[sso-session]` section, written losslessly in the
//! CLI's key order. Every prompt can be a flag; with no terminal a missing answer is an error.
//! Unlike the AWS CLI, an empty session name is refused: Lanyard writes only sso-session
//! profiles, the kind whose tokens refresh. A start URL, region, account id or output format
//! that cannot work is refused, naming it, before any sign-in and with nothing written (an
//! unknown output format is written with `--force`); an account or role given by flag that the
//! portal does not list is written with a warning naming what it does list.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail};
use dialoguer::console::Term;
use dialoguer::theme::SimpleTheme;
use dialoguer::FuzzySelect;
use lanyard_core::account_cache::{self, AccountList};
use lanyard_core::browser::{self, Asked};
use lanyard_core::cache::timefmt::format_cli;
use lanyard_core::config::edit::{self, KeyPath};
use lanyard_core::config::migrate::DEFAULT_SCOPES;
use lanyard_core::config::sso_form::session_profile_keys;
use lanyard_core::config::values::{self, Outputs};
use lanyard_core::config::ConfigFile;
use lanyard_core::config::NetSettings as _;
use lanyard_core::credentials::lanyard_executable;
use lanyard_core::listed::{unlisted, Unlisted};
use lanyard_core::net::Net;
use lanyard_core::overview::sign_in_service;
use lanyard_core::portal::list::{portal_client, Account, AccountRoles};
use lanyard_core::portal::ratelimit::TokenBucket;
use lanyard_core::sessions::resolve::{parse_scopes, session_by_name, KnownSession};
use lanyard_core::sessions::signin::{LoginOptions, SessionConfig};
use lanyard_core::sessions::store::{SessionId, Storage};
use lanyard_core::Context;

use super::config::edit_config;
use super::session::{runtime, TerminalUi};
use crate::cli::ConfigureSsoArgs;

/// An account as the AWS CLI lists it: `Name, email (id)`, parts that are missing left out.
fn account_label(a: &Account) -> String {
    let mut label = String::new();
    if let Some(n) = &a.account_name {
        label.push_str(n);
    }
    if let Some(e) = &a.email {
        if !label.is_empty() {
            label.push_str(", ");
        }
        label.push_str(e);
    }
    if label.is_empty() {
        a.account_id.clone()
    } else {
        format!("{label} ({})", a.account_id)
    }
}

/// Picks one of `items` on the terminal: arrows, type to filter.
fn pick(prompt: &str, items: &[String]) -> anyhow::Result<usize> {
    FuzzySelect::with_theme(&SimpleTheme)
        .with_prompt(prompt)
        .items(items)
        .default(0)
        .max_length(12)
        .interact_on_opt(&Term::stderr())?
        .ok_or_else(|| anyhow!("cancelled"))
}

/// Asks `{text} [{current}]: ` (the AWS CLI's prompt style); an empty answer keeps `current`.
pub(super) fn prompt(text: &str, current: Option<&str>) -> anyhow::Result<Option<String>> {
    let mut err = std::io::stderr();
    match current {
        Some(c) => write!(err, "{text} [{c}]: ")?,
        None => write!(err, "{text} [None]: ")?,
    }
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let answer = line.trim();
    Ok(if answer.is_empty() {
        current.map(str::to_owned)
    } else {
        Some(answer.to_owned())
    })
}

/// Asks `text [default]:`, or returns what a flag gave; with no terminal, the default.
fn ask(
    interactive: bool,
    text: &str,
    flag: Option<String>,
    default: Option<&str>,
) -> anyhow::Result<Option<String>> {
    match flag {
        Some(v) => Ok(Some(v)),
        None if interactive => prompt(text, default),
        None => Ok(default.map(str::to_owned)),
    }
}

/// Prints what the portal does not list, if anything: a warning, since the profile is written
/// anyway (the person may hold access the listing does not show).
fn warn_unlisted(found: Option<Unlisted>) {
    if let Some(u) = found {
        eprintln!(
            "warning: {u}; the profile is written anyway (you may have access the listing does \
             not show)"
        );
    }
}

/// [`unlisted`] against the cached listing, stamped with its time.
fn in_cache(
    list: &AccountList,
    session: &str,
    account: &str,
    role: Option<&str>,
) -> Option<Unlisted> {
    let mut u = unlisted(&list.accounts, session, account, role)?;
    u.as_of = Some(format_cli(list.fetched_at));
    Some(u)
}

/// The values given by flag, checked before anything happens.
fn check_flags(args: &ConfigureSsoArgs, outputs: Outputs) -> anyhow::Result<()> {
    if let Some(a) = &args.account_id {
        values::check_account_id("sso_account_id", a.trim())?;
    }
    if let Some(r) = &args.region {
        values::check_region("region", r.trim())?;
    }
    if let Some(o) = &args.output {
        values::check_key("output", o, outputs).map_err(crate::errors::force_hint)?;
    }
    Ok(())
}

/// `lanyard configure sso`.
pub(crate) fn run(ctx: &Context, args: ConfigureSsoArgs) -> anyhow::Result<ExitCode> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let outputs = if args.force {
        Outputs::Any
    } else {
        Outputs::Known
    };
    check_flags(&args, outputs)?;
    let file = ConfigFile::load_config(&ctx.env)?;
    let view = file.view()?;
    let existing_profile = args
        .profile
        .as_deref()
        .and_then(|p| view.profiles.get(p).cloned());
    let prior = |k: &str| {
        existing_profile
            .as_ref()
            .and_then(|p| p.get(k))
            .map(str::to_owned)
    };

    // 1. The session.
    let name = match args.sso_session.clone() {
        Some(n) => n,
        None if interactive => {
            let known: Vec<&str> = view.sso_sessions.keys().map(|k| &**k).collect();
            if !known.is_empty() {
                eprintln!("Existing SSO sessions: {}", known.join(", "));
            }
            let default =
                prior("sso_session").or_else(|| (known.len() == 1).then(|| known[0].to_owned()));
            prompt("SSO session name (Recommended)", default.as_deref())?.unwrap_or_default()
        }
        None => bail!("missing --sso-session: stdin is not a terminal, so lanyard cannot ask"),
    };
    if name.trim().is_empty() {
        bail!(
            "an SSO session name is needed: Lanyard writes sso-session profiles, whose tokens \
             refresh (the legacy format cannot)"
        );
    }
    let (session, new_session) = match session_by_name(&view, &name) {
        Ok(s) => (s, None),
        Err(_) => {
            if !interactive {
                bail!(
                    "sso-session {name} does not exist: create it first with lanyard configure \
                     sso-session --name {name} --start-url URL --region REGION"
                );
            }
            let url = prompt("SSO start URL", None)?
                .ok_or_else(|| anyhow!("an SSO start URL is required"))?;
            values::check_start_url("sso_start_url", &url)?;
            let region =
                prompt("SSO region", None)?.ok_or_else(|| anyhow!("an SSO region is required"))?;
            values::check_region("sso_region", &region)?;
            let scopes = prompt("SSO registration scopes", Some(DEFAULT_SCOPES))?
                .unwrap_or_else(|| DEFAULT_SCOPES.to_owned());
            let s = KnownSession {
                config: SessionConfig {
                    id: SessionId::Session(name.clone()),
                    start_url: url.clone(),
                    region: region.clone(),
                    scopes: parse_scopes(Some(&scopes)),
                },
                use_device_code: false,
                storage: Storage::File,
                profiles: Vec::new(),
                roles: Vec::new(),
            };
            (s, Some((url, region, scopes)))
        }
    };
    drop(view);

    // 2. Sign in if needed, then 3./4. the account and the role.
    let rt = runtime()?;
    let net = Net::for_profile(&ctx.env, &file.view()?, args.profile.as_deref());
    let choice = browser::sign_in_choice(
        ctx,
        &session,
        Asked {
            use_device_code: args.use_device_code,
            no_browser: args.no_browser,
            redirect_port: false,
        },
    );
    let ui = TerminalUi::for_choice(&choice);
    let opts = LoginOptions {
        use_device_code: choice.device_code(),
        ..LoginOptions::default()
    };
    let token = rt.block_on(sign_in_service(ctx, &net, &session)?.login_if_needed(
        &session.config,
        opts,
        &ui,
    ))?;
    let (settings, _) = lanyard_core::settings::Settings::load(&ctx.dirs);
    let limiter = Arc::new(TokenBucket::new(settings.portal_rate_limit));
    let portal = portal_client(
        &net,
        &session.config.region,
        token.access_token.clone(),
        limiter,
    )?;

    // What the portal listed when last asked (no call), for an account or role given by flag.
    let cached = account_cache::load(
        &ctx.dirs,
        session.config.id.cache_key(),
        &session.config.start_url,
    )
    .unwrap_or_default();
    let account_id = match args.account_id.as_deref().map(str::trim) {
        Some(a) => {
            warn_unlisted(match &cached {
                Some(list) => in_cache(list, &name, a, None),
                // Signed in already: the accounts are listed now.
                None => rt.block_on(portal.all_accounts()).ok().and_then(|all| {
                    let all: Vec<AccountRoles> = all
                        .into_iter()
                        .map(|account| AccountRoles {
                            account,
                            roles: Vec::new(),
                        })
                        .collect();
                    unlisted(&all, &name, a, None)
                }),
            });
            a.to_owned()
        }
        None => {
            let mut accounts = rt.block_on(portal.all_accounts())?;
            accounts.sort_by_key(|a| {
                (
                    a.account_name.clone().unwrap_or_default().to_lowercase(),
                    a.email.clone().unwrap_or_default().to_lowercase(),
                    a.account_id.clone(),
                )
            });
            match accounts.len() {
                0 => bail!("this sign-in has no AWS account assigned"),
                1 => {
                    eprintln!(
                        "The only AWS account available to you is: {}",
                        account_label(&accounts[0])
                    );
                    accounts.swap_remove(0).account_id
                }
                n if interactive => {
                    eprintln!("There are {n} AWS accounts available to you.");
                    let labels: Vec<String> = accounts.iter().map(account_label).collect();
                    let i = pick("Account (type to filter by name, id or email)", &labels)?;
                    accounts.swap_remove(i).account_id
                }
                n => bail!(
                    "missing --account-id: there are {n} accounts and stdin is not a terminal"
                ),
            }
        }
    };
    eprintln!("Using the account ID {account_id}");
    let role = match args.role_name.clone() {
        Some(r) => {
            let found = match &cached {
                Some(list) => in_cache(list, &name, &account_id, Some(&r)),
                None => rt
                    .block_on(portal.all_roles(&account_id))
                    .ok()
                    .and_then(|roles| {
                        let one = AccountRoles {
                            account: Account {
                                account_id: account_id.clone(),
                                account_name: None,
                                email: None,
                            },
                            roles,
                        };
                        unlisted(&[one], &name, &account_id, Some(&r))
                    }),
            };
            // An account not listed was warned about already.
            warn_unlisted(found.filter(|u| u.role.is_some()));
            r
        }
        None => {
            let mut roles = rt.block_on(portal.all_roles(&account_id))?;
            roles.sort_by_key(|r| r.to_lowercase());
            match roles.len() {
                0 => bail!("you hold no role in account {account_id}"),
                1 => {
                    eprintln!("The only role available to you is: {}", roles[0]);
                    roles.swap_remove(0)
                }
                n if interactive => {
                    eprintln!("There are {n} roles available to you.");
                    let i = pick("Role (type to filter)", &roles)?;
                    roles.swap_remove(i)
                }
                n => bail!("missing --role-name: there are {n} roles and stdin is not a terminal"),
            }
        }
    };
    eprintln!("Using the role name \"{role}\"");

    // 5. Region, output, profile name.
    let region = ask(
        interactive,
        "Default client Region",
        args.region.clone(),
        prior("region").as_deref(),
    )?;
    let output = ask(
        interactive,
        "CLI default output format (json if not specified)",
        args.output.clone(),
        prior("output").as_deref(),
    )?;
    let default_name = format!("{role}-{account_id}");
    let profile = match args.profile.clone() {
        Some(p) => p,
        None => {
            ask(interactive, "Profile name", None, Some(&default_name))?.unwrap_or(default_name)
        }
    };
    // Answers typed at the prompts, checked as the flags were.
    if let Some(r) = &region {
        values::check_region("region", r.trim())?;
    }
    if let Some(o) = &output {
        values::check_key("output", o, outputs).map_err(crate::errors::force_hint)?;
    }

    // 6. Write: the profile first, then a new session, as the AWS CLI does.
    let storage = session.storage;
    let exe = lanyard_executable();
    edit_config(ctx, |doc| {
        let mut pairs: Vec<(KeyPath, String)> =
            session_profile_keys(&name, storage, &profile, &account_id, &role, &exe)
                .into_iter()
                .map(|(k, v)| (KeyPath::Key(k.to_owned()), v))
                .collect();
        if let Some(r) = &region {
            pairs.push((KeyPath::Key("region".into()), r.clone()));
        }
        if let Some(o) = &output {
            pairs.push((KeyPath::Key("output".into()), o.clone()));
        }
        edit::set_profile_keys_with(doc, &profile, &pairs, outputs)?;
        if let Some((url, sso_region, scopes)) = &new_session {
            edit::upsert_sso_session(doc, &name, Some(url), Some(sso_region), Some(scopes))?;
        }
        Ok::<_, lanyard_core::config::error::ConfigError>(())
    })?;
    if profile == "default" {
        eprintln!(
            "\nThe AWS CLI and SDKs now use these credentials when no profile is named, as shown:\n\n\
             aws sts get-caller-identity\n"
        );
    } else {
        eprintln!(
            "\nTo use this profile, specify the profile name using --profile, as shown:\n\n\
             aws sts get-caller-identity --profile {profile}\n"
        );
    }
    Ok(ExitCode::SUCCESS)
}
