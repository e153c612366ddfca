//! Role credentials written into `~/.aws/credentials` for tools that cannot read SSO profiles
//! (`lanyard credentials --write`), the way yawsso does it but losslessly: only the section's
//! three keys and a marked comment under its header change, every other byte of the file stays.
//! The comment (`# lanyard: profile=dev expires=…Z`) records which profile the section came from
//! and when the credentials expire, so sign-out can remove exactly what Lanyard wrote.

use crate::cache::role_credentials::{RoleCredentials, EXPIRY_WINDOW};
use crate::cache::timefmt::{format_cli, parse_lenient};
use crate::config::files::edit_and_save;
use crate::config::{credentials_file_path, ConfigFile};
use crate::context::Context;
use crate::error::{Error, Result};

/// The marker of the comment Lanyard keeps under the sections it writes.
pub const MARKER: &str = "lanyard: ";

/// The profile a section was written for, read from its marker comment.
fn written_for(comment: &str) -> Option<&str> {
    comment
        .split_whitespace()
        .find_map(|w| w.strip_prefix("profile="))
}

/// When the credentials in a section expire, read from its marker comment.
fn expires(comment: &str) -> Option<time::OffsetDateTime> {
    comment
        .split_whitespace()
        .find_map(|w| w.strip_prefix("expires="))
        .and_then(parse_lenient)
}

/// The sections Lanyard wrote whose credentials expire within the AWS CLI's 15-minute window
/// (or already did), as (section, profile).
pub fn due_for_refresh(ctx: &Context) -> Result<Vec<(String, String)>> {
    let path = credentials_file_path(&ctx.env);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let file = ConfigFile::load(path)?;
    let now = ctx.clock.now();
    let doc = &file.doc;
    Ok((0..doc.sections().len())
        .filter_map(|i| {
            let comment = doc.header_comment(i, MARKER)?;
            let profile = written_for(comment)?;
            let due = expires(comment).is_none_or(|t| t - now <= EXPIRY_WINDOW);
            due.then(|| (doc.sections()[i].name().to_owned(), profile.to_owned()))
        })
        .collect())
}

/// Keeps what `credentials --write` wrote fresh (the app calls this on its clock tick): every
/// section due for refresh gets its profile's current credentials — from the AWS CLI's cache,
/// else fetched with a valid token, refreshed first if needed; never a new sign-in. Returns the
/// sections rewritten; a profile whose session has ended is left as it is (and logged).
pub async fn refresh_written(ctx: &Context) -> Result<Vec<String>> {
    let mut done = Vec::new();
    for (section, profile) in due_for_refresh(ctx)? {
        match crate::sessions::overview::role_credentials(ctx, &profile).await {
            Ok(creds) => {
                write(ctx, &section, &profile, &creds)?;
                done.push(section);
            }
            Err(e) => {
                tracing::warn!(%section, %profile, error = %e, "cannot refresh written credentials")
            }
        }
    }
    Ok(done)
}

/// Edits the credentials file (see [`edit_and_save`]).
fn edit<T>(ctx: &Context, f: impl FnMut(&mut ConfigFile) -> Result<T>) -> Result<(T, bool)> {
    edit_and_save(ctx, &credentials_file_path(&ctx.env), f)
}

/// Writes `creds` into section `section` of the credentials file (created when missing) for
/// `profile`. Returns whether the file changed.
pub fn write(ctx: &Context, section: &str, profile: &str, creds: &RoleCredentials) -> Result<bool> {
    let edit_err = |e: aws_config_edit::EditError| Error::ConfigEdit(e.to_string());
    let comment = format!(
        "profile={profile} expires={} (written by lanyard credentials --write; removed at sign-out)",
        format_cli(creds.expiration)
    );
    let ((), written) = edit(ctx, |file| {
        let doc = &mut file.doc;
        let i = match doc.find_section(section) {
            Some(i) => i,
            None => doc.add_section(section).map_err(edit_err)?,
        };
        doc.set_value(i, "aws_access_key_id", &creds.access_key_id)
            .map_err(edit_err)?;
        doc.set_value(i, "aws_secret_access_key", creds.secret_access_key.expose())
            .map_err(edit_err)?;
        doc.set_value(i, "aws_session_token", creds.session_token.expose())
            .map_err(edit_err)?;
        doc.set_header_comment(i, MARKER, &comment)
            .map_err(edit_err)
    })?;
    Ok(written)
}

/// Removes the sections Lanyard wrote — for these profiles, or all of them with `None`.
/// Returns the names of the removed sections.
pub fn remove_written(ctx: &Context, profiles: Option<&[String]>) -> Result<Vec<String>> {
    if !credentials_file_path(&ctx.env).exists() {
        return Ok(Vec::new());
    }
    let edit_err = |e: aws_config_edit::EditError| Error::ConfigEdit(e.to_string());
    let (removed, _) = edit(ctx, |file| {
        let doc = &mut file.doc;
        let mut removed = Vec::new();
        for i in (0..doc.sections().len()).rev() {
            let Some(profile) = doc.header_comment(i, MARKER).and_then(written_for) else {
                continue;
            };
            if profiles.is_none_or(|ps| ps.iter().any(|p| p == profile)) {
                removed.push(doc.sections()[i].name().to_owned());
                doc.remove_section(i).map_err(edit_err)?;
            }
        }
        Ok(removed)
    })?;
    Ok(removed)
}
