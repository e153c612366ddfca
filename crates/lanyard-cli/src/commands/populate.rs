//! `lanyard populate`: one profile per account × role of an sso-session from fresh portal
//! lists, written through the lossless config engine (validated, conflict-checked, backed up,
//! atomic). `--dry-run` prints the unified diff; on a terminal the summary is confirmed first,
//! without one `--yes` is required. Nothing changed means nothing written.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use lanyard_core::config::{self, values};
use lanyard_core::populate::diff::unified;
use lanyard_core::populate::{self, run, Mode, Plan, Reason, Template, DEFAULT_TEMPLATE};
use lanyard_core::Context;

use super::config::{edit_config, out};
use super::session::config;
use crate::cli::PopulateArgs;

/// `n thing` / `n things`.
fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// A few names, then how many more.
fn some_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    const SHOWN: usize = 5;
    let all: Vec<&str> = names.collect();
    let mut s = all
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > SHOWN {
        s.push_str(&format!(" and {} more", all.len() - SHOWN));
    }
    s
}

/// What the plan does, in a few lines for stderr.
fn summary(plan: &Plan, session: &str) -> String {
    let mut lines = Vec::new();
    let mut parts = Vec::new();
    if !plan.add.is_empty() {
        parts.push(format!("add {}", count(plan.add.len(), "profile")));
    }
    if !plan.update.is_empty() {
        parts.push(format!("update {}", count(plan.update.len(), "profile")));
    }
    if !plan.remove.is_empty() {
        parts.push(format!("remove {}", count(plan.remove.len(), "profile")));
    }
    if plan.unchanged > 0 {
        parts.push(format!("{} already up to date", plan.unchanged));
    }
    if parts.is_empty() {
        parts.push(format!("no profile is generated for sso-session {session}"));
    }
    lines.push(format!("Populate {session}: {}.", parts.join(", ")));
    if !plan.remove.is_empty() {
        lines.push(format!(
            "  removing: {}",
            some_names(plan.remove.iter().map(|r| r.name.as_str()))
        ));
    }
    let made = plan.suffixed.iter().filter(|s| s.hand_made).count();
    if !plan.suffixed.is_empty() {
        lines.push(format!(
            "  {} got -ACCOUNT_ID appended: {} shared by several accounts, {made} taken by profiles not generated for {session} (those are never overwritten)",
            count(plan.suffixed.len(), "name"),
            plan.suffixed.len() - made
        ));
    }
    if !plan.kept.is_empty() {
        let gone = plan
            .kept
            .iter()
            .filter(|r| r.reason == Reason::Gone)
            .count();
        lines.push(format!(
            "  {} generated for {session} no longer wanted ({gone} whose account or role is gone), kept; --prune removes them: {}",
            count(plan.kept.len(), "profile"),
            some_names(plan.kept.iter().map(|r| r.name.as_str()))
        ));
    }
    lines.join("\n")
}

/// Asks on the terminal; true for yes.
fn confirm(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

/// `lanyard populate`.
pub(crate) fn populate(ctx: &Context, args: PopulateArgs) -> anyhow::Result<ExitCode> {
    let template = Template::parse(args.template.as_deref().unwrap_or(DEFAULT_TEMPLATE))?;
    let mode = if args.remove {
        Mode::Remove
    } else if args.prune {
        Mode::Prune
    } else {
        Mode::Sync
    };
    // Refused before any portal call: a region botocore refuses, an output format the AWS CLI
    // does not have (unless --force; never one with spaces).
    if let Some(r) = &args.region {
        values::check_region("region", r)?;
    }
    if let Some(o) = &args.output {
        if o.is_empty() || o.contains(char::is_whitespace) {
            bail!("--output {o:?}: a value without spaces or line breaks is needed");
        }
        if !args.force {
            values::check_output(o).map_err(crate::errors::force_hint)?;
        }
    }
    let name = args.sso_session.as_str();
    let file = config(ctx)?;
    let path = file.path().to_owned();
    let mut secure = false;
    let accounts = {
        let view = file.view()?;
        match run::session_needed(&view, name, mode)? {
            None => Vec::new(),
            Some(session) => {
                secure = run::is_secure(&session);
                let fetched = super::accounts::fetch(ctx, &session, args.rate_limit)?;
                eprintln!(
                    "Listed {} and {} for sso-session {name} ({}, {} retried).",
                    count(fetched.list.accounts.len(), "account"),
                    count(fetched.list.assignments(), "role"),
                    count(fetched.calls as usize, "portal call"),
                    fetched.retries
                );
                fetched.list.accounts
            }
        }
    };
    let lanyard = lanyard_core::credentials::lanyard_executable();
    let run = run::Run {
        session: name.to_owned(),
        template,
        region: args.region.clone(),
        output: args.output.clone(),
        mode,
    };
    let opts = run.options(secure.then_some(lanyard.as_path()));
    let first = populate::plan(&file.view()?, &accounts, &opts)?;
    eprintln!("{}", summary(&first, name));
    if first.is_empty() {
        eprintln!("Nothing to change in {}.", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        let mut doc = file.doc.clone();
        populate::apply(&mut doc, &first)?;
        // A [default] mirroring a changed profile follows it, as the write will (issue 20).
        let before = file.doc.to_text();
        config::follow::in_doc(&ctx.dirs, &path, &before, &mut doc)?;
        let label = path.display().to_string();
        out(unified(&file.doc.to_text(), &doc.to_text(), &label, &label, 3).trim_end())?;
        eprintln!("(dry run: nothing written)");
        return Ok(ExitCode::SUCCESS);
    }
    drop(file);
    if !args.yes {
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if !interactive {
            bail!(
                "nothing written to {}: there is no terminal to confirm on; run again with --yes to write these changes (or --dry-run to see the diff)",
                path.display()
            );
        }
        if !confirm(&format!("Write these changes to {}?", path.display()))? {
            eprintln!("Nothing written.");
            return Ok(ExitCode::FAILURE);
        }
    }
    // Planned again on the file as it is when written (edit_config reloads it if another
    // program changed it meanwhile), so nothing anyone else wrote is lost.
    let (done, written) = edit_config(ctx, |doc| run::replan(doc, &accounts, &opts))
        .map_err(|e| anyhow!("nothing written: {e:#}"))?;
    if written {
        eprintln!(
            "Updated {}: {} added, {} updated, {} removed.",
            config::config_file_path(&ctx.env).display(),
            done.add.len(),
            done.update.len(),
            done.remove.len()
        );
    } else {
        eprintln!("Nothing to change in {}.", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_name_lists_are_shortened() {
        let names = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(some_names(names.into_iter()), "a, b, c, d, e and 2 more");
        assert_eq!(some_names(["a"].into_iter()), "a");
        assert_eq!(count(1, "profile"), "1 profile");
        assert_eq!(count(3, "profile"), "3 profiles");
    }
}
