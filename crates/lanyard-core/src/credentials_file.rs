//! Role credentials written into `~/.aws/credentials` for tools that cannot read SSO profiles
//! (`lanyard credentials --write`), the way yawsso does it but losslessly: only the section's
//! three keys and a marked comment under its header change, every other byte of the file stays.
//! The comment (`# lanyard: profile=dev expires=…Z`) records which profile the section came from
//! and when the credentials expire, so sign-out can remove exactly what Lanyard wrote. A section
//! of the person's own (no such comment) is never written into unless asked (`--force`), and
//! sign-out leaves every key and comment Lanyard did not write. The file holds secrets, so a
//! write makes it private first (0600, [`make_private`]); its owner stays.

use crate::cache::role_credentials::{RoleCredentials, EXPIRY_WINDOW};
use crate::cache::timefmt::{format_cli, parse_lenient};
use crate::config::error::{ConfigError, Result as ConfigResult};
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
        match crate::overview::role_credentials(ctx, &profile).await {
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
fn edit<T>(
    ctx: &Context,
    f: impl FnMut(&mut ConfigFile) -> ConfigResult<T>,
) -> ConfigResult<(T, bool)> {
    edit_and_save(ctx, &credentials_file_path(&ctx.env), f)
}

/// The keys `credentials --write` writes into a section (and sign-out takes out again).
pub const CREDENTIAL_KEYS: [&str; 3] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

/// Where `--force` keeps the person's own section it wrote into, until sign-out puts its keys
/// back.
fn replaced_path(ctx: &Context, section: &str) -> std::path::PathBuf {
    use sha1::Digest;
    let key = hex::encode(&sha1::Sha1::digest(section.as_bytes())[..8]);
    ctx.dirs
        .backups_dir()
        .join(format!("credentials-replaced-{key}.bak"))
}

/// Writes `creds` into section `section` of the credentials file (created when missing) for
/// `profile`. A section Lanyard did not write is refused ([`ConfigError::SectionNotOurs`]). Returns
/// whether the file changed.
pub fn write(ctx: &Context, section: &str, profile: &str, creds: &RoleCredentials) -> Result<bool> {
    write_with(ctx, section, profile, creds, false)
}

/// Makes the credentials file private, as it is about to hold role secrets: group and others
/// lose every permission (0600); the file keeps its owner (a mode change never moves it) and,
/// through the guard's replace, keeps 0600 from then on. Returns the mode it had when that was
/// wider (so the CLI can say so, once), None when it was private already or does not exist. On
/// Windows the file has its folder's ACL (the user profile's) and nothing is changed.
pub fn make_private(ctx: &Context) -> Result<Option<u32>> {
    let path = credentials_file_path(&ctx.env);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("cannot read", &path, e)),
        };
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 == 0 {
            return Ok(None);
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io("cannot make private", &path, e))?;
        tracing::info!(path = %path.display(), from = format!("{mode:o}"), "credentials file made 0600");
        Ok(Some(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(None)
    }
}

/// [`write`]; with `force`, also into a section of the person's own: its three credential keys
/// are replaced (its other keys and comments stay), and the section as it was is kept in the
/// backups folder until sign-out puts those keys back.
pub fn write_with(
    ctx: &Context,
    section: &str,
    profile: &str,
    creds: &RoleCredentials,
    force: bool,
) -> Result<bool> {
    let path = credentials_file_path(&ctx.env);
    // Before any secret goes in: a replace keeps the mode it finds.
    make_private(ctx)?;
    let edit_err = |e: aws_config_edit::EditError| ConfigError::ConfigEdit(e.to_string());
    let theirs = |doc: &aws_config_edit::Document| {
        doc.find_section(section)
            .filter(|&i| doc.header_comment(i, MARKER).is_none())
    };
    if force {
        // Kept before the write, outside it: a copy of what is about to be replaced.
        let file = ConfigFile::load(&path)?;
        if let Some(i) = theirs(&file.doc) {
            let text = file.doc.section_text(i).unwrap_or_default();
            crate::fsio::write_private(&replaced_path(ctx, section), text.as_bytes())?;
        }
    }
    let ((), written) = edit(ctx, |file| {
        let doc = &mut file.doc;
        let mut replaced = false;
        let i = match doc.find_section(section) {
            Some(i) if theirs(doc).is_some() => {
                if !force {
                    return Err(ConfigError::SectionNotOurs {
                        section: section.to_owned(),
                        path: path.clone(),
                    });
                }
                replaced = true;
                i
            }
            Some(i) => {
                replaced = doc
                    .header_comment(i, MARKER)
                    .is_some_and(|c| c.split_whitespace().any(|w| w == "replaced=yes"));
                i
            }
            None => doc.add_section(section).map_err(edit_err)?,
        };
        let comment = format!(
            "profile={profile} expires={}{} (written by lanyard credentials --write; removed at sign-out)",
            format_cli(creds.expiration),
            if replaced { " replaced=yes" } else { "" }
        );
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

/// Takes out of section `i` what `credentials --write` put there: its three keys and its marker
/// comment. The section goes too when nothing else is left in it (no other key, no comment).
fn strip(doc: &mut aws_config_edit::Document, i: usize) -> ConfigResult<()> {
    let edit_err = |e: aws_config_edit::EditError| ConfigError::ConfigEdit(e.to_string());
    for k in CREDENTIAL_KEYS {
        while doc.remove_key(i, k).map_err(edit_err)? {}
    }
    doc.remove_header_comment(i, MARKER).map_err(edit_err)?;
    let s = &doc.sections()[i];
    let empty = s.entries().is_empty()
        && (s.line() + 1..=s.last_line())
            .all(|l| doc.line_text(l).is_none_or(|t| t.trim().is_empty()));
    if empty {
        doc.remove_section(i).map_err(edit_err)?;
    }
    Ok(())
}

/// Removes what Lanyard wrote — for these profiles, or all of them with `None` — keeping every
/// other key and comment of a section (a section Lanyard created and nobody added to goes
/// whole); the keys `--force` replaced come back. The role credentials are also taken out of
/// the credentials file's backups. Returns the names of the sections cleaned.
pub fn remove_written(ctx: &Context, profiles: Option<&[String]>) -> Result<Vec<String>> {
    let path = credentials_file_path(&ctx.env);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let edit_err = |e: aws_config_edit::EditError| ConfigError::ConfigEdit(e.to_string());
    let ours = |doc: &aws_config_edit::Document, i: usize| {
        doc.header_comment(i, MARKER)
            .and_then(written_for)
            .is_some_and(|p| profiles.is_none_or(|ps| ps.iter().any(|x| x == p)))
    };
    let (removed, _) = edit(ctx, |file| {
        let doc = &mut file.doc;
        let mut removed = Vec::new();
        for i in (0..doc.sections().len()).rev() {
            if !ours(doc, i) {
                continue;
            }
            let name = doc.sections()[i].name().to_owned();
            match std::fs::read_to_string(replaced_path(ctx, &name)) {
                // A section of the person's own that --force wrote into: its keys come back,
                // where they were.
                Ok(saved) => {
                    let saved = aws_config_edit::Document::parse(&saved);
                    let original = saved.sections().first();
                    for k in CREDENTIAL_KEYS {
                        match original.and_then(|s| s.entry(k)) {
                            Some(e) => doc.set_value(i, e.raw_key(), e.value()),
                            None => doc.remove_key(i, k).map(|_| ()),
                        }
                        .map_err(edit_err)?;
                    }
                    doc.remove_header_comment(i, MARKER).map_err(edit_err)?;
                }
                Err(_) => strip(doc, i)?,
            }
            removed.push(name);
        }
        Ok(removed)
    })?;
    for name in &removed {
        crate::fsio::remove_if_present(&replaced_path(ctx, name))?;
    }
    // Role secrets must not outlive the sign-out in the backups either.
    let now = std::fs::read(&path).unwrap_or_default();
    crate::config::backups::scrub(&ctx.dirs.backups_dir(), &path, &now, |doc| {
        let mut changed = false;
        for i in (0..doc.sections().len()).rev() {
            if ours(doc, i) {
                strip(doc, i)?;
                changed = true;
            }
        }
        Ok(changed)
    })?;
    Ok(removed)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::env::Env;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).expect("meta").permissions().mode() & 0o7777
    }

    fn creds() -> RoleCredentials {
        RoleCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "secret".into(),
            session_token: "token".into(),
            expiration: time::OffsetDateTime::from_unix_timestamp(4_000_000_000).expect("time"),
            account_id: None,
        }
    }

    /// Issue 20: a credentials file readable by others is made 0600 before Lanyard writes role
    /// secrets into it, said once (the mode it had), and stays 0600 through the write.
    #[test]
    fn a_wide_credentials_file_is_made_private_once_and_stays_so_through_a_write() {
        let home = tempfile::tempdir().expect("home");
        let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).expect("ctx");
        let path = credentials_file_path(&ctx.env);
        assert_eq!(
            make_private(&ctx).expect("missing"),
            None,
            "no file: nothing"
        );
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "[mine]\naws_access_key_id = AKIAMINE\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(make_private(&ctx).expect("tighten"), Some(0o644));
        assert_eq!(mode(&path), 0o600);
        assert_eq!(make_private(&ctx).expect("again"), None, "said once");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).expect("chmod");
        assert!(write(&ctx, "dev", "dev", &creds()).expect("written"));
        assert_eq!(mode(&path), 0o600, "the write made it private");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            text.starts_with("[mine]\naws_access_key_id = AKIAMINE\n"),
            "{text}"
        );
    }

    #[test]
    fn a_new_credentials_file_is_private() {
        let home = tempfile::tempdir().expect("home");
        let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).expect("ctx");
        write(&ctx, "dev", "dev", &creds()).expect("written");
        assert_eq!(mode(&credentials_file_path(&ctx.env)), 0o600);
    }
}
