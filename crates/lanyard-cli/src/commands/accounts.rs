//! `lanyard accounts list`: the accounts and roles of an sso-session, from Lanyard's account
//! cache or fetched from the portal (with a progress bar on a terminal); and the fetch itself,
//! which `populate` shares.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{anyhow, bail};
use lanyard_core::account_cache::{self, AccountList, AccountsError, FetchOptions, Fetched};
use lanyard_core::cache::timefmt::format_cli;
use lanyard_core::config::ConfigView;
use lanyard_core::portal::list::Progress;
use lanyard_core::sessions::resolve::{default_profile, session_by_name, KnownSession};
use lanyard_core::sessions::signin::SessionError;
use lanyard_core::Context;

use super::config::out;
use super::session::{config, runtime};
use crate::cli::AccountsCommand;

/// Runs `lanyard accounts ...`.
pub(crate) fn run(ctx: &Context, cmd: AccountsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AccountsCommand::List {
            sso_session,
            refresh,
            rate_limit,
            json,
        } => list(ctx, sso_session.as_deref(), refresh, rate_limit, json.json),
    }
}

/// The session a command names, or when none is named: the only sso-session, else the
/// default profile's.
fn pick_session(
    ctx: &Context,
    view: &ConfigView,
    name: Option<&str>,
) -> anyhow::Result<KnownSession> {
    if let Some(n) = name {
        return Ok(session_by_name(view, n)?);
    }
    let names: Vec<&str> = view.sso_sessions.keys().map(|k| &**k).collect();
    match names.as_slice() {
        [] => bail!("no sso-session is configured; create one with: lanyard configure sso-session"),
        [only] => Ok(session_by_name(view, only)?),
        _ => {
            let profile = default_profile(&ctx.env);
            if let Some(s) = view
                .profiles
                .get(profile.as_str())
                .and_then(|p| p.get("sso_session"))
            {
                return Ok(session_by_name(view, s)?);
            }
            bail!(
                "there are several sso-sessions ({}); choose one with --sso-session",
                names.join(", ")
            )
        }
    }
}

/// A one-line progress bar on stderr, redrawn in place; nothing when stderr is not a terminal.
struct Bar {
    last: Mutex<String>,
}

impl Bar {
    fn draw(&self, p: &Progress) {
        const WIDTH: usize = 30;
        let filled = (WIDTH * p.done)
            .checked_div(p.total)
            .unwrap_or(0)
            .min(WIDTH);
        let total = if p.total_final {
            p.total.to_string()
        } else {
            format!("{}+", p.total)
        };
        let retries = match p.retries {
            0 => String::new(),
            1 => ", 1 retry".to_owned(),
            n => format!(", {n} retries"),
        };
        let line = format!(
            "Listing roles [{}{}] {}/{total} accounts{retries}",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            p.done
        );
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if *last != line {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
            *last = line;
        }
    }

    fn finish(&self) {
        let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if !last.is_empty() {
            eprintln!();
        }
    }
}

/// Fetches every account and role of the session (and writes the cache), with a progress bar
/// when stderr is a terminal. Errors say what to do.
pub(crate) fn fetch(
    ctx: &Context,
    session: &KnownSession,
    rate_limit: Option<u32>,
) -> anyhow::Result<Fetched> {
    let mut opts = FetchOptions::from_settings(ctx);
    if let Some(r) = rate_limit {
        opts.rate_limit = r;
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        Arc::new(Bar {
            last: Mutex::new(String::new()),
        })
    });
    if let Some(b) = &bar {
        let b = b.clone();
        opts.progress = Some(Arc::new(move |p: &Progress| b.draw(p)));
    }
    let result = runtime()?.block_on(account_cache::fetch(ctx, session, opts));
    if let Some(b) = &bar {
        b.finish();
    }
    let name = session.config.id.display_name();
    result.map_err(|e| match e {
        AccountsError::Portal(p) if p.is_unauthorized() => anyhow!(
            "the portal refused the token of sso-session {name} (signed out elsewhere?); run: lanyard login --sso-session {name}"
        ),
        AccountsError::Session(s @ SessionError::NotSignedIn { .. }) => anyhow!(s),
        other => anyhow!(other),
    })
}

/// How long ago, in words, for an age in seconds.
fn ago(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=59 => "just now".to_owned(),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=172_799 => format!("{} h {} min ago", s / 3600, s % 3600 / 60),
        _ => format!("{} days ago", s / 86_400),
    }
}

fn list(
    ctx: &Context,
    name: Option<&str>,
    refresh: bool,
    rate_limit: Option<u32>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let file = config(ctx)?;
    let view = file.view()?;
    let session = pick_session(ctx, &view, name)?;
    let key = session.config.id.cache_key().to_owned();
    let cached = if refresh {
        None
    } else {
        account_cache::load(&ctx.dirs, &key, &session.config.start_url)?
    };
    let list: AccountList = match cached {
        Some(l) => l,
        None => fetch(ctx, &session, rate_limit)?.list,
    };
    if json {
        out(&serde_json::to_string_pretty(&list.to_json())?)?;
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "sso-session {key}: {} accounts, {} roles, fetched {} ({}){}",
        list.accounts.len(),
        list.assignments(),
        format_cli(list.fetched_at),
        ago(list.age(ctx.clock.now()).whole_seconds()),
        if refresh {
            ""
        } else {
            "; --refresh fetches them again"
        }
    );
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let mut text = format!(
        "{:<14} {:<32} {:<36} ROLES\n",
        "ACCOUNT ID", "NAME", "EMAIL"
    );
    for a in &list.accounts {
        text.push_str(&format!(
            "{:<14} {:<32} {:<36} {}\n",
            a.account.account_id,
            dash(&a.account.account_name),
            dash(&a.account.email),
            a.roles.join(", ")
        ));
    }
    out(text.trim_end())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_words() {
        assert_eq!(ago(5), "just now");
        assert_eq!(ago(5 * 60), "5 min ago");
        assert_eq!(ago(125 * 60), "2 h 5 min ago");
        assert_eq!(ago(3 * 86_400), "3 days ago");
    }
}
