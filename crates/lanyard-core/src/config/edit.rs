//! Profile- and session-level edits on a [`Document`]: find the section botocore reads for a
//! profile or sso-session name, write new sections with the AWS CLI's header conventions
//! (`[default]`, `[profile NAME]`, `shlex.quote`d names), and set, unset, remove and rename.

use aws_config_edit::Document;

use super::shlex;
use super::view::{classify, SectionKind};
use crate::config::error::{ConfigError, Result};

/// A key of a profile as typed on the command line: `region`, or `s3.max_concurrent_requests`
/// for a sub-key of a nested block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPath {
    /// A top-level key (lower-cased, as botocore reads keys).
    Key(String),
    /// `key.sub_key` (the key lower-cased, the sub-key as given).
    Sub(String, String),
}

impl KeyPath {
    /// Parses `key` or `key.sub_key`.
    pub fn parse(s: &str) -> KeyPath {
        match s.split_once('.') {
            Some((k, sub)) => KeyPath::Sub(k.to_lowercase(), sub.to_owned()),
            None => KeyPath::Key(s.to_lowercase()),
        }
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyPath::Key(k) => f.write_str(k),
            KeyPath::Sub(k, s) => write!(f, "{k}.{s}"),
        }
    }
}

/// Which kind of named section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A profile.
    Profile,
    /// An sso-session.
    SsoSession,
}

fn edit_err(e: aws_config_edit::EditError) -> ConfigError {
    ConfigError::ConfigEdit(e.to_string())
}

/// The header text the AWS CLI writes for a name: `default` for the default profile,
/// `profile NAME` / `sso-session NAME`, quoted when the bare name would not read back.
pub fn header_for(kind: Kind, name: &str) -> Result<String> {
    if name.contains(['\r', '\n']) {
        return Err(ConfigError::ConfigEdit(format!(
            "the name {name:?} contains a line break"
        )));
    }
    let prefix = match kind {
        Kind::Profile if name == "default" => return Ok("default".into()),
        Kind::Profile => "profile",
        Kind::SsoSession => "sso-session",
    };
    for candidate in [
        format!("{prefix} {name}"),
        format!("{prefix} {}", shlex::quote(name)),
    ] {
        if matches_name(kind, &candidate, name)
            && candidate.trim() == candidate
            && !candidate.contains(']')
        {
            return Ok(candidate);
        }
    }
    Err(ConfigError::ConfigEdit(format!(
        "the name {name:?} cannot be written as a section header the AWS CLI reads back"
    )))
}

/// Whether `name` can be a profile's name as the window and the wizard write it: not empty,
/// no `[` or `]`, and a header the AWS CLI reads back as that name (see [`header_for`]).
pub fn check_profile_name(name: &str) -> Result<()> {
    let bad = |reason| {
        Err(ConfigError::InvalidProfileName {
            name: name.to_owned(),
            reason,
        })
    };
    if name.trim().is_empty() {
        return bad("it is empty");
    }
    if name.contains(['[', ']']) {
        return bad("it contains [ or ]");
    }
    if header_for(Kind::Profile, name).is_err() {
        return bad("the AWS CLI would not read it back as written");
    }
    Ok(())
}

fn matches_name(kind: Kind, header: &str, name: &str) -> bool {
    match (kind, classify(header)) {
        (Kind::Profile, SectionKind::Profile(n)) => n == name,
        (Kind::SsoSession, SectionKind::SsoSession(n)) => n == name,
        _ => false,
    }
}

/// Indices of every section botocore maps to this name, in file order (the last one is the
/// one botocore uses).
pub fn sections_for(doc: &Document, kind: Kind, name: &str) -> Vec<usize> {
    doc.sections()
        .iter()
        .enumerate()
        .filter(|(_, s)| matches_name(kind, s.name(), name))
        .map(|(i, _)| i)
        .collect()
}

/// The section botocore reads for this name.
pub fn find(doc: &Document, kind: Kind, name: &str) -> Option<usize> {
    sections_for(doc, kind, name).last().copied()
}

/// The section for this name, appended (as the AWS CLI does) if there is none.
pub fn find_or_add(doc: &mut Document, kind: Kind, name: &str) -> Result<usize> {
    if let Some(i) = find(doc, kind, name) {
        return Ok(i);
    }
    let header = header_for(kind, name)?;
    doc.add_section(&header).map_err(edit_err)
}

/// Sets keys of a profile, creating it if missing. A profile of a secure-mode session is then
/// put back in the secure form (`sso_account_id` written as `lanyard_account_id`...), see
/// [`super::sso_form::conform_profile`]. A value Lanyard refuses (a start URL, region, account
/// id or output format, see [`super::values::check_key`]) fails with nothing changed.
pub fn set_profile_keys(doc: &mut Document, name: &str, pairs: &[(KeyPath, String)]) -> Result<()> {
    set_profile_keys_with(doc, name, pairs, super::values::Outputs::Known)
}

/// [`set_profile_keys`], with any output format allowed when `outputs` says so (`--force`).
pub fn set_profile_keys_with(
    doc: &mut Document,
    name: &str,
    pairs: &[(KeyPath, String)],
    outputs: super::values::Outputs,
) -> Result<()> {
    doc.transaction(|doc| {
        let i = find_or_add(doc, Kind::Profile, name)?;
        for (key, value) in pairs {
            match key {
                KeyPath::Key(k) => doc.set_value(i, k, value),
                KeyPath::Sub(k, s) => doc.set_sub_value(i, k, s, value),
            }
            .map_err(edit_err)?;
            // After the writer's own refusals (a line break), so that those are named first.
            if let KeyPath::Key(k) = key {
                super::values::check_key(k, value, outputs)?;
            }
        }
        super::sso_form::conform_profile(doc, name, &crate::env::lanyard_executable())?;
        Ok(())
    })
}

/// Removes keys of a profile. Returns the keys that were not there.
pub fn unset_profile_keys(
    doc: &mut Document,
    name: &str,
    keys: &[KeyPath],
) -> Result<Vec<KeyPath>> {
    let i =
        find(doc, Kind::Profile, name).ok_or_else(|| ConfigError::ProfileNotFound(name.into()))?;
    let mut missing = Vec::new();
    for key in keys {
        let found = match key {
            KeyPath::Key(k) => doc.remove_key(i, k),
            KeyPath::Sub(k, s) => doc.remove_sub_key(i, k, s),
        }
        .map_err(edit_err)?;
        if !found {
            missing.push(key.clone());
        }
    }
    Ok(missing)
}

/// Removes a profile: every section botocore maps to the name (so that an older
/// `[default]` does not take the place of a removed `[profile default]`).
pub fn remove_profile(doc: &mut Document, name: &str) -> Result<()> {
    let all = sections_for(doc, Kind::Profile, name);
    if all.is_empty() {
        return Err(ConfigError::ProfileNotFound(name.into()));
    }
    for i in all.into_iter().rev() {
        doc.remove_section(i).map_err(edit_err)?;
    }
    Ok(())
}

/// Renames a profile (every section mapped to the old name); the new name must be free.
pub fn rename_profile(doc: &mut Document, old: &str, new: &str) -> Result<()> {
    let all = sections_for(doc, Kind::Profile, old);
    if all.is_empty() {
        return Err(ConfigError::ProfileNotFound(old.into()));
    }
    if find(doc, Kind::Profile, new).is_some() {
        return Err(ConfigError::ProfileExists(new.into()));
    }
    let header = header_for(Kind::Profile, new)?;
    doc.transaction(|doc| {
        for i in all {
            doc.rename_section(i, &header).map_err(edit_err)?;
        }
        // A secure profile's credential_process names the profile.
        super::sso_form::conform_profile(doc, new, &crate::env::lanyard_executable())?;
        // A [default] mirroring it follows it under its new name (issue 20).
        super::follow::rename_mirror(doc, old, new)?;
        Ok(())
    })
}

/// Creates or updates an `[sso-session NAME]` section in place, keys in the AWS CLI's order
/// (`sso_start_url`, `sso_region`, `sso_registration_scopes`); `None` leaves a key as it is. A
/// start URL or region Lanyard refuses ([`super::values`]) fails with nothing changed.
pub fn upsert_sso_session(
    doc: &mut Document,
    name: &str,
    start_url: Option<&str>,
    region: Option<&str>,
    scopes: Option<&str>,
) -> Result<usize> {
    if let Some(url) = start_url {
        super::values::check_start_url("sso_start_url", url.trim())?;
    }
    if let Some(r) = region {
        super::values::check_region("sso_region", r.trim())?;
    }
    doc.transaction(|doc| {
        let i = find_or_add(doc, Kind::SsoSession, name)?;
        for (k, v) in [
            ("sso_start_url", start_url),
            ("sso_region", region),
            ("sso_registration_scopes", scopes),
        ] {
            if let Some(v) = v {
                doc.set_value(i, k, v).map_err(edit_err)?;
            }
        }
        Ok(i)
    })
}

/// The key of an sso-session that makes the AWS CLI (and Lanyard) sign in with a device code.
pub const USE_DEVICE_CODE: &str = "sso_use_device_code";

/// Sets (`Some(true)`: `= true`) or removes (`Some(false)`) `sso_use_device_code` in the
/// sso-session section `section`; `None` leaves it as it is.
pub fn set_use_device_code(doc: &mut Document, section: usize, on: Option<bool>) -> Result<()> {
    match on {
        Some(true) => doc
            .set_value(section, USE_DEVICE_CODE, "true")
            .map_err(edit_err),
        Some(false) => doc
            .remove_key(section, USE_DEVICE_CODE)
            .map(|_| ())
            .map_err(edit_err),
        None => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headers_follow_the_cli() {
        assert_eq!(header_for(Kind::Profile, "default").unwrap(), "default");
        assert_eq!(header_for(Kind::Profile, "dev").unwrap(), "profile dev");
        assert_eq!(
            header_for(Kind::Profile, "team alpha").unwrap(),
            "profile 'team alpha'"
        );
        assert_eq!(header_for(Kind::Profile, "測試").unwrap(), "profile 測試");
        assert_eq!(header_for(Kind::Profile, "a\"b").unwrap(), "profile 'a\"b'");
        assert_eq!(
            header_for(Kind::SsoSession, "corp").unwrap(),
            "sso-session corp"
        );
        assert!(header_for(Kind::Profile, "a\nb").is_err());
    }

    #[test]
    fn profile_names_are_checked_as_the_wizard_checks_them() {
        for ok in ["dev", "team alpha", "測試", "default"] {
            assert!(check_profile_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "  ", "a]b", "a[b", "a\nb"] {
            let e = check_profile_name(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_profile_name", "{bad:?}");
        }
    }

    #[test]
    fn find_uses_the_section_botocore_reads() {
        let doc =
            Document::parse("[default]\na = 1\n[profile default]\nb = 2\n[profile   spaced  ]\n");
        assert_eq!(find(&doc, Kind::Profile, "default"), Some(1));
        assert_eq!(sections_for(&doc, Kind::Profile, "default"), vec![0, 1]);
        assert_eq!(find(&doc, Kind::Profile, "spaced"), Some(2));
    }

    #[test]
    fn remove_default_removes_both_forms() {
        let mut doc =
            Document::parse("[default]\na = 1\n\n[profile default]\nb = 2\n[profile x]\n");
        remove_profile(&mut doc, "default").unwrap();
        assert_eq!(doc.to_string(), "[profile x]\n");
    }

    #[test]
    fn sso_session_is_written_in_the_cli_order_and_updated_in_place() {
        let mut doc = Document::parse("[profile a]\nregion = us-east-1\n");
        upsert_sso_session(
            &mut doc,
            "corp",
            Some("https://x/start"),
            Some("us-east-1"),
            Some("sso:account:access"),
        )
        .unwrap();
        assert_eq!(
            doc.to_string(),
            "[profile a]\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        );
        upsert_sso_session(&mut doc, "corp", None, Some("eu-west-1"), None).unwrap();
        assert!(doc
            .to_string()
            .contains("sso_region = eu-west-1\nsso_registration_scopes"));
    }
}
