//! `lanyard profiles use NAME | --restore`: the profile every tool uses when none is named.

use std::process::ExitCode;

use lanyard_core::config::mirror::{self, Changes};
use lanyard_core::config::switch::{self, Choice};
use lanyard_core::Context;

use super::config::edit_config;

/// `lanyard profiles use`.
pub(crate) fn run(
    ctx: &Context,
    name: Option<&str>,
    restore: bool,
    changes: Changes,
) -> anyhow::Result<ExitCode> {
    let choice = match (name, restore) {
        (_, true) => Choice::Restore,
        (Some(n), false) => Choice::Profile(n),
        (None, false) => anyhow::bail!("name a profile, or use --restore"),
    };
    // As switch::switch_file, through edit_config so that new config findings are printed.
    let path = lanyard_core::config::config_file_path(&ctx.env);
    let remembered = mirror::remembered(&ctx.dirs, &path);
    let (mirrored, written) = edit_config(ctx, |doc| {
        switch::apply_with(doc, choice, changes, remembered.as_ref())
    })?;
    mirror::remember(&ctx.dirs, &path, mirrored);
    switch::remember_choice(&ctx.dirs, choice);
    match choice {
        Choice::Profile(n) if written => eprintln!(
            "{n} is now the default profile: tools use it when no --profile or AWS_PROFILE is given \
             (lanyard profiles use --restore puts your own default back)"
        ),
        Choice::Profile(n) => eprintln!("{n} is already the default profile"),
        Choice::Restore => eprintln!("your own default profile is back"),
    }
    Ok(ExitCode::SUCCESS)
}
