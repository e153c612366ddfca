//! `profiles migrate`: turning a legacy SSO profile (`sso_start_url` and `sso_region` written in
//! the profile) into one that uses an `[sso-session]`, whose token is refreshable. The edit is
//! lossless: the profile's `sso_start_url` line becomes `sso_session = NAME`, its `sso_region`
//! line goes, every other byte of the file stays, and a new session section is appended as the
//! AWS CLI appends one (with the CLI's default registration scope, which is what makes the token
//! refreshable).

use aws_config_edit::Document;

use super::edit::{self, find, Kind};
use super::view::{self, classify, SectionKind};
use crate::config::error::{ConfigError, Result};

/// The registration scope a new session gets, as `aws configure sso-session` offers it; without
/// a scope the service issues no refresh token.
pub const DEFAULT_SCOPES: &str = "sso:account:access";

/// Why a profile cannot be migrated. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The profile already uses an sso-session.
    #[error("profile {profile} already uses sso-session {session}; there is nothing to migrate")]
    AlreadyMigrated {
        /// The profile.
        profile: String,
        /// Its `sso_session`.
        session: String,
    },
    /// The profile has no legacy SSO settings of its own.
    #[error("profile {profile} is not a legacy SSO profile: its section has no {missing} (a legacy profile has sso_start_url and sso_region)")]
    NotLegacy {
        /// The profile.
        profile: String,
        /// The key it lacks.
        missing: &'static str,
    },
    /// The named session exists with other settings.
    #[error("sso-session {session} has {key} = {session_value}, but profile {profile} has {profile_value}; choose another --sso-session (nothing was written)")]
    SessionMismatch {
        /// The session.
        session: String,
        /// The profile.
        profile: String,
        /// `sso_start_url` or `sso_region`.
        key: &'static str,
        /// The session's value.
        session_value: String,
        /// The profile's value.
        profile_value: String,
    },
}

impl MigrateError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            MigrateError::AlreadyMigrated { .. } => "already_migrated",
            MigrateError::NotLegacy { .. } => "not_legacy_profile",
            MigrateError::SessionMismatch { .. } => "session_mismatch",
        }
    }
}

/// What a migration did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The profile.
    pub profile: String,
    /// The session it now uses.
    pub session: String,
    /// Whether the session section was created (else an existing one was reused).
    pub created: bool,
    /// The start URL.
    pub start_url: String,
    /// The SSO region.
    pub region: String,
    /// Other profiles that still have this start URL written in them (legacy, as before).
    pub others: Vec<String>,
}

/// Start URLs that name the same portal: the same text but for a trailing `/` or `#/`.
fn same_url(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.trim()
            .trim_end_matches("#/")
            .trim_end_matches('/')
            .to_owned()
    };
    norm(a) == norm(b)
}

/// A session name for a start URL: the portal's subdomain (`https://mycorp.awsapps.com/start`
/// gives `mycorp`), or the instance id of an issuer URL (`…/ssoins-123` gives `ssoins-123`),
/// kept to characters every SDK accepts in a section name.
pub fn session_name_for(start_url: &str) -> String {
    let rest = start_url.split_once("://").map_or(start_url, |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.split(':').next().unwrap_or_default();
    let first_label = host.split('.').next().unwrap_or_default();
    let from_path = path
        .split(['/', '?', '#'])
        .find(|p| p.starts_with("ssoins-"))
        .unwrap_or_default();
    let raw = if host.starts_with("identitycenter.") && !from_path.is_empty() {
        from_path
    } else if first_label.bytes().all(|b| b.is_ascii_digit()) {
        // An address, not a name.
        ""
    } else {
        first_label
    };
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim_matches('-');
    if clean.is_empty() {
        "sso".to_owned()
    } else {
        clean.to_owned()
    }
}

/// Migrates `profile` in `doc` to an sso-session: `session` when given (reused if it has the
/// same start URL and region, created if missing, refused if it differs); else an existing
/// session with the same start URL and region, else a new one named by [`session_name_for`]
/// (with `-2`, `-3`… when that name is taken). Fails with nothing changed.
pub fn migrate_profile(
    doc: &mut Document,
    profile: &str,
    session: Option<&str>,
) -> Result<Migration> {
    let plan = plan(doc, profile, session)?;
    doc.transaction(|doc| {
        let p = find(doc, Kind::Profile, profile)
            .ok_or_else(|| ConfigError::ProfileNotFound(profile.to_owned()))?;
        let edit_err = |e: aws_config_edit::EditError| ConfigError::ConfigEdit(e.to_string());
        doc.replace_key(p, "sso_start_url", "sso_session", &plan.session)
            .map_err(edit_err)?;
        doc.remove_key(p, "sso_region").map_err(edit_err)?;
        if plan.created {
            edit::upsert_sso_session(
                doc,
                &plan.session,
                Some(&plan.start_url),
                Some(&plan.region),
                Some(DEFAULT_SCOPES),
            )?;
        }
        Ok::<(), ConfigError>(())
    })?;
    Ok(plan)
}

/// What [`migrate_profile`] will do, read from the file as botocore reads it.
fn plan(doc: &Document, profile: &str, session: Option<&str>) -> Result<Migration> {
    let p = find(doc, Kind::Profile, profile)
        .ok_or_else(|| ConfigError::ProfileNotFound(profile.to_owned()))?;
    let section = &doc.sections()[p];
    if let Some(s) = section.entry("sso_session") {
        return Err(MigrateError::AlreadyMigrated {
            profile: profile.to_owned(),
            session: s.value().to_owned(),
        }
        .into());
    }
    let own = |key: &'static str| {
        section
            .entry(key)
            .map(|e| e.value().to_owned())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| MigrateError::NotLegacy {
                profile: profile.to_owned(),
                missing: key,
            })
    };
    let start_url = own("sso_start_url")?;
    let region = own("sso_region")?;

    let view = view::read_lenient(doc);
    let settings_of = |name: &str| {
        view.sso_sessions.get(name).map(|s| {
            (
                s.get("sso_start_url").unwrap_or_default().to_owned(),
                s.get("sso_region").unwrap_or_default().to_owned(),
            )
        })
    };
    let matches = |(url, r): &(String, String)| same_url(url, &start_url) && *r == region;
    let (name, created) = match session {
        Some(name) => match settings_of(name) {
            Some(found) if matches(&found) => (name.to_owned(), false),
            Some((url, r)) => {
                let (key, session_value, profile_value) = if same_url(&url, &start_url) {
                    ("sso_region", r, region.clone())
                } else {
                    ("sso_start_url", url, start_url.clone())
                };
                let session_value = if session_value.is_empty() {
                    "(none)".to_owned()
                } else {
                    session_value
                };
                return Err(MigrateError::SessionMismatch {
                    session: name.to_owned(),
                    profile: profile.to_owned(),
                    key,
                    session_value,
                    profile_value,
                }
                .into());
            }
            None => (name.to_owned(), true),
        },
        None => {
            let existing = doc
                .sections()
                .iter()
                .find_map(|s| match classify(s.name()) {
                    SectionKind::SsoSession(n) if settings_of(&n).is_some_and(|f| matches(&f)) => {
                        Some(n.into_owned())
                    }
                    _ => None,
                });
            match existing {
                Some(n) => (n, false),
                None => {
                    let base = session_name_for(&start_url);
                    let name = std::iter::once(base.clone())
                        .chain((2..).map(|i| format!("{base}-{i}")))
                        .find(|n| {
                            settings_of(n).is_none() && find(doc, Kind::SsoSession, n).is_none()
                        })
                        .unwrap_or(base);
                    (name, true)
                }
            }
        }
    };
    let others = view
        .profiles
        .iter()
        .filter(|(n, s)| {
            *n != profile
                && s.get("sso_session").is_none()
                && s.get("sso_start_url")
                    .is_some_and(|u| same_url(u, &start_url))
        })
        .map(|(n, _)| n.to_string())
        .collect();
    Ok(Migration {
        profile: profile.to_owned(),
        session: name,
        created,
        start_url,
        region,
        others,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const LEGACY: &str = "\
# my config
[profile legacy]
# signed in every morning
sso_start_url = https://mycorp.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = Admin
region = eu-west-1

[profile other]
sso_start_url = https://mycorp.awsapps.com/start/
sso_region = us-east-1
";

    #[test]
    fn a_legacy_profile_gets_a_new_session_in_place_of_its_url_and_region() {
        let mut doc = Document::parse(LEGACY);
        let m = migrate_profile(&mut doc, "legacy", None).unwrap();
        assert_eq!(m.session, "mycorp");
        assert!(m.created);
        assert_eq!(m.others, vec!["other"]);
        assert_eq!(
            doc.to_string(),
            LEGACY.replace(
                "sso_start_url = https://mycorp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id",
                "sso_session = mycorp\nsso_account_id"
            ) + "[sso-session mycorp]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        );
        // The second profile then reuses that session.
        let m = migrate_profile(&mut doc, "other", None).unwrap();
        assert_eq!((m.session.as_str(), m.created), ("mycorp", false));
        assert!(m.others.is_empty());
    }

    #[test]
    fn a_named_session_is_reused_when_it_matches_and_refused_when_it_does_not() {
        let text = format!("{LEGACY}[sso-session corp]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = us-east-1\n[sso-session eu]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = eu-west-1\n");
        let mut doc = Document::parse(&text);
        let err = migrate_profile(&mut doc, "legacy", Some("eu")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "sso-session eu has sso_region = eu-west-1, but profile legacy has us-east-1; choose another --sso-session (nothing was written)"
        );
        assert_eq!(doc.to_string(), text);
        let m = migrate_profile(&mut doc, "legacy", Some("corp")).unwrap();
        assert!(!m.created);
        assert!(doc.to_string().ends_with("[sso-session eu]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = eu-west-1\n"));
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let text = format!("{LEGACY}[sso-session mycorp]\nsso_start_url = https://elsewhere.awsapps.com/start\nsso_region = us-east-1\n");
        let mut doc = Document::parse(&text);
        assert_eq!(
            migrate_profile(&mut doc, "legacy", None).unwrap().session,
            "mycorp-2"
        );
    }

    #[test]
    fn only_legacy_profiles_are_migrated() {
        let mut doc = Document::parse("[profile a]\nsso_session = s\n[profile b]\nregion = us-east-1\n[profile c]\nsso_start_url = https://x.awsapps.com/start\n");
        let msg = |doc: &mut Document, p| migrate_profile(doc, p, None).unwrap_err().to_string();
        assert_eq!(
            msg(&mut doc, "a"),
            "profile a already uses sso-session s; there is nothing to migrate"
        );
        assert!(msg(&mut doc, "b").starts_with(
            "profile b is not a legacy SSO profile: its section has no sso_start_url"
        ));
        assert!(msg(&mut doc, "c").contains("has no sso_region"));
        assert_eq!(msg(&mut doc, "z"), "no profile named \"z\" in the config");
    }

    #[test]
    fn session_names_come_from_the_start_url() {
        assert_eq!(
            session_name_for("https://d-1234567890.awsapps.com/start"),
            "d-1234567890"
        );
        assert_eq!(
            session_name_for("https://MyCorp.awsapps.com/start#/"),
            "mycorp"
        );
        assert_eq!(
            session_name_for("https://identitycenter.amazonaws.com/ssoins-7223abc"),
            "ssoins-7223abc"
        );
        assert_eq!(session_name_for("https://127.0.0.1:8443/start"), "sso");
        assert_eq!(session_name_for(""), "sso");
    }
}
