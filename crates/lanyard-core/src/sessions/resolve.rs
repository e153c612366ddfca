//! Which sessions exist and which one a profile uses, read from the config as botocore reads it
//! (PROTOCOL §5): every `[sso-session NAME]`, and every legacy start URL written directly in a
//! profile. Errors use botocore's own wording. A profile of a secure-mode session names its
//! session, account and role in Lanyard's own keys (`lanyard_sso_session`, `lanyard_account_id`,
//! `lanyard_role_name`, see [`crate::config::sso_form`]); both forms are read here.

use super::signin::SessionConfig;
use super::store::{SessionId, Storage, STORAGE_KEY};
use crate::config::{ConfigView, SectionView};
use crate::env::Env;

/// A session with the profiles that use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownSession {
    /// Sign-in settings.
    pub config: SessionConfig,
    /// `sso_use_device_code = true` in the sso-session section.
    pub use_device_code: bool,
    /// Where its tokens are kept (`lanyard_storage`; legacy sessions always use files).
    pub storage: Storage,
    /// Profiles using it, in file order.
    pub profiles: Vec<String>,
    /// The (account id, role name) pairs of those profiles.
    pub roles: Vec<(String, String)>,
}

impl KnownSession {
    /// `sso-session` or `legacy`.
    pub fn kind(&self) -> &'static str {
        match self.config.id {
            SessionId::Session(_) => "sso-session",
            SessionId::Legacy(_) => "legacy",
        }
    }
}

/// Why a profile or session cannot be signed in to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// No such profile.
    #[error("The config profile ({0}) could not be found")]
    ProfileNotFound(String),
    /// The profile has no SSO configuration.
    #[error("The profile \"{0}\" is not configured to use SSO (it has neither sso_session nor sso_start_url)")]
    NotSso(String),
    /// The profile names a session that is not there.
    #[error("The specified sso-session does not exist: \"{0}\"")]
    NoSuchSession(String),
    /// Required keys are missing.
    #[error("The {what} \"{name}\" is configured to use SSO but is missing required configuration: {}", keys.join(", "))]
    Missing {
        /// `profile` or `sso-session`.
        what: &'static str,
        /// Its name.
        name: String,
        /// The missing keys.
        keys: Vec<&'static str>,
    },
    /// `lanyard_storage` holds something else than `file` or `keychain`.
    #[error("The sso-session \"{name}\" has lanyard_storage = {value}, which is neither file nor keychain")]
    BadStorage {
        /// The session.
        name: String,
        /// The value found.
        value: String,
    },
    /// There is no SSO session at all in the config.
    #[error("no SSO session is configured; create one with: lanyard configure sso-session")]
    NoSessions,
    /// A key the profile and its sso-session both set, to different values (botocore's
    /// `InvalidConfigError`, in its words, the values as Python prints them).
    #[error("The value for {key} is inconsistent between profile ({profile}) and sso-session ({session}).")]
    Inconsistent {
        /// The key.
        key: String,
        /// The profile's value.
        profile: String,
        /// The session's value.
        session: String,
    },
}

impl ResolveError {
    /// A stable, machine-readable code: the window branches on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            ResolveError::ProfileNotFound(_) => "profile_not_found",
            ResolveError::NotSso(_) => "not_sso",
            ResolveError::NoSuchSession(_) | ResolveError::NoSessions => "not_found",
            ResolveError::Missing { .. } => "missing_config",
            ResolveError::BadStorage { .. } => "bad_storage",
            ResolveError::Inconsistent { .. } => "sso_inconsistent",
        }
    }
}

/// `sso_registration_scopes` as botocore parses it: comma-separated, trimmed, empties dropped.
pub fn parse_scopes(raw: Option<&str>) -> Option<Vec<String>> {
    raw.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
}

fn session_config(name: &str, s: &SectionView) -> Result<KnownSession, ResolveError> {
    let missing: Vec<&'static str> = ["sso_start_url", "sso_region"]
        .into_iter()
        .filter(|k| s.get(k).is_none_or(str::is_empty))
        .collect();
    if !missing.is_empty() {
        return Err(ResolveError::Missing {
            what: "sso-session",
            name: name.to_owned(),
            keys: missing,
        });
    }
    let storage =
        Storage::from_config(s.get(STORAGE_KEY)).ok_or_else(|| ResolveError::BadStorage {
            name: name.to_owned(),
            value: s.get(STORAGE_KEY).unwrap_or_default().to_owned(),
        })?;
    Ok(KnownSession {
        config: SessionConfig {
            id: SessionId::Session(name.to_owned()),
            start_url: s.get("sso_start_url").unwrap_or_default().to_owned(),
            region: s.get("sso_region").unwrap_or_default().to_owned(),
            scopes: parse_scopes(s.get("sso_registration_scopes")),
        },
        use_device_code: s
            .get("sso_use_device_code")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
        storage,
        profiles: Vec::new(),
        roles: Vec::new(),
    })
}

pub use crate::config::keys::{profile_account_role, profile_session_name};

/// botocore's check of a profile against its sso-session (`SSOProvider`
/// `_resolve_sso_session_reference`): every key of the session the profile also sets must
/// have the same value — a profile whose own `sso_start_url` or `sso_region` differs from its
/// session's is refused, not silently signed in with one of the two.
fn consistent(p: &SectionView, session: &SectionView) -> Result<(), ResolveError> {
    for (key, theirs) in session.settings.iter() {
        let Some(own) = p.settings.get(key) else {
            continue;
        };
        if own.value != theirs.value {
            return Err(ResolveError::Inconsistent {
                key: key.to_owned(),
                profile: crate::config::validate::py_str(&own.value),
                session: crate::config::validate::py_str(&theirs.value),
            });
        }
    }
    Ok(())
}

/// The session a profile signs in with. A profile contradicting its sso-session (see
/// [`consistent`]) is refused with botocore's words.
pub fn session_for_profile(view: &ConfigView, profile: &str) -> Result<KnownSession, ResolveError> {
    let p = view
        .profiles
        .get(profile)
        .ok_or_else(|| ResolveError::ProfileNotFound(profile.to_owned()))?;
    let mut known = if let Some(name) = profile_session_name(p) {
        let s = view
            .sso_sessions
            .get(name)
            .ok_or_else(|| ResolveError::NoSuchSession(name.to_owned()))?;
        consistent(p, s)?;
        session_config(name, s)?
    } else if let Some(url) = p.get("sso_start_url") {
        let Some(region) = p.get("sso_region").filter(|r| !r.is_empty()) else {
            return Err(ResolveError::Missing {
                what: "profile",
                name: profile.to_owned(),
                keys: vec!["sso_region"],
            });
        };
        KnownSession {
            config: SessionConfig {
                id: SessionId::Legacy(url.to_owned()),
                start_url: url.to_owned(),
                region: region.to_owned(),
                scopes: None,
            },
            use_device_code: true,
            storage: Storage::File,
            profiles: Vec::new(),
            roles: Vec::new(),
        }
    } else {
        return Err(ResolveError::NotSso(profile.to_owned()));
    };
    attach_profiles(view, &mut known);
    Ok(known)
}

/// A session by name.
pub fn session_by_name(view: &ConfigView, name: &str) -> Result<KnownSession, ResolveError> {
    let s = view
        .sso_sessions
        .get(name)
        .ok_or_else(|| ResolveError::NoSuchSession(name.to_owned()))?;
    let mut known = session_config(name, s)?;
    attach_profiles(view, &mut known);
    Ok(known)
}

/// Every session: the sso-sessions in file order, then each legacy start URL once, in the
/// order profiles first use it. Sessions missing required keys are skipped (with a log line);
/// `lanyard config check` reports them.
pub fn all_sessions(view: &ConfigView) -> Vec<KnownSession> {
    let mut out = Vec::new();
    for (name, s) in &view.sso_sessions {
        match session_config(name, s) {
            Ok(k) => out.push(k),
            Err(e) => tracing::warn!(error = %e, "skipping an incomplete sso-session"),
        }
    }
    for (name, p) in &view.profiles {
        if profile_session_name(p).is_some() {
            continue;
        }
        let Some(url) = p.get("sso_start_url") else {
            continue;
        };
        if out
            .iter()
            .any(|k: &KnownSession| k.config.id == SessionId::Legacy(url.to_owned()))
        {
            continue;
        }
        if let Ok(k) = session_for_profile(view, name) {
            out.push(k);
        }
    }
    for k in &mut out {
        attach_profiles(view, k);
    }
    out
}

fn attach_profiles(view: &ConfigView, known: &mut KnownSession) {
    known.profiles.clear();
    known.roles.clear();
    for (name, p) in &view.profiles {
        let uses = match &known.config.id {
            SessionId::Session(s) => profile_session_name(p) == Some(s.as_str()),
            SessionId::Legacy(url) => {
                profile_session_name(p).is_none() && p.get("sso_start_url") == Some(url.as_str())
            }
        };
        if !uses {
            continue;
        }
        known.profiles.push(name.to_string());
        if let (Some(a), Some(r)) = profile_account_role(p) {
            known.roles.push((a.to_owned(), r.to_owned()));
        }
    }
}

/// The profile tools use when none is named: `AWS_PROFILE`, then `AWS_DEFAULT_PROFILE`, then
/// `default` (PROTOCOL §5).
pub fn default_profile(env: &Env) -> String {
    crate::env::profile_in_force(env)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_config_edit::Document;

    /// The view borrows its document; a test's document simply lives for the whole run.
    fn view(text: &str) -> ConfigView<'static> {
        let doc: &'static Document = Box::leak(Box::new(Document::parse(text)));
        crate::config::view::read(doc).expect("valid config")
    }

    const CONFIG: &str = "[default]\nregion = us-east-1\n\n[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\n\n[profile legacy]\nsso_start_url = https://d-2.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 222222222222\nsso_role_name = Read\n\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access, ,x\nsso_use_device_code = true\n\n[sso-session broken]\nsso_region = us-east-1\n";

    #[test]
    fn a_profile_resolves_to_its_session_with_every_profile_and_role_of_it() {
        let v = view(CONFIG);
        let k = session_for_profile(&v, "dev").expect("dev");
        assert_eq!(k.config.id, SessionId::Session("corp".into()));
        assert_eq!(
            k.config.scopes,
            Some(vec!["sso:account:access".into(), "x".into()])
        );
        assert!(k.use_device_code);
        assert_eq!(k.profiles, vec!["dev"]);
        assert_eq!(k.roles, vec![("111111111111".into(), "Admin".into())]);
        let k = session_for_profile(&v, "legacy").expect("legacy");
        assert_eq!(
            k.config.id,
            SessionId::Legacy("https://d-2.awsapps.com/start".into())
        );
        assert_eq!(k.kind(), "legacy");
    }

    #[test]
    fn a_secure_profile_is_read_from_lanyards_own_keys() {
        let v = view("[profile dev]\ncredential_process = /bin/lanyard credentials --profile dev\nlanyard_sso_session = corp\nlanyard_account_id = 111111111111\nlanyard_role_name = Admin\n\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\nlanyard_storage = keychain\n\n[sso-session odd]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\nlanyard_storage = vault\n");
        let k = session_for_profile(&v, "dev").expect("dev");
        assert_eq!(k.storage, Storage::Keychain);
        assert_eq!(k.profiles, vec!["dev"]);
        assert_eq!(k.roles, vec![("111111111111".into(), "Admin".into())]);
        assert_eq!(
            session_by_name(&v, "odd").expect_err("odd").to_string(),
            "The sso-session \"odd\" has lanyard_storage = vault, which is neither file nor keychain"
        );
    }

    #[test]
    fn errors_use_botocores_wording() {
        let v = view(CONFIG);
        assert_eq!(
            session_for_profile(&v, "nope")
                .expect_err("missing")
                .to_string(),
            "The config profile (nope) could not be found"
        );
        assert!(matches!(
            session_for_profile(&v, "default"),
            Err(ResolveError::NotSso(_))
        ));
        assert_eq!(
            session_by_name(&v, "ghost").expect_err("ghost").to_string(),
            "The specified sso-session does not exist: \"ghost\""
        );
        assert_eq!(
            session_by_name(&v, "broken").expect_err("broken").to_string(),
            "The sso-session \"broken\" is configured to use SSO but is missing required configuration: sso_start_url"
        );
    }

    /// Issue 20: a profile whose own sso_start_url or sso_region contradicts its sso-session is
    /// refused in botocore's words (the same config makes botocore raise InvalidConfigError),
    /// in either form; the same value written twice is fine.
    #[test]
    fn a_profile_contradicting_its_session_is_refused_in_botocores_words() {
        let session = "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n";
        for (extra, key, profile_value, session_value) in [
            (
                "sso_start_url = https://d-9.awsapps.com/start\n",
                "sso_start_url",
                "https://d-9.awsapps.com/start",
                "https://d-1.awsapps.com/start",
            ),
            (
                "sso_region = eu-west-1\n",
                "sso_region",
                "eu-west-1",
                "us-east-1",
            ),
        ] {
            for form in ["sso_session = corp\nsso_account_id = 111111111111\nsso_role_name = A\n",
                         "lanyard_sso_session = corp\nlanyard_account_id = 111111111111\nlanyard_role_name = A\n"] {
                let v = view(&format!("[profile dev]\n{form}{extra}\n{session}"));
                let e = session_for_profile(&v, "dev").expect_err(extra);
                assert_eq!(e.code(), "sso_inconsistent");
                assert_eq!(
                    e.to_string(),
                    format!("The value for {key} is inconsistent between profile ({profile_value}) and sso-session ({session_value}).")
                );
            }
        }
        let same = view(&format!(
            "[profile dev]\nsso_session = corp\nsso_region = us-east-1\n\n{session}"
        ));
        assert!(session_for_profile(&same, "dev").is_ok());
    }

    #[test]
    fn all_sessions_lists_sso_sessions_then_legacy_start_urls_once() {
        let v = view(CONFIG);
        let names: Vec<_> = all_sessions(&v)
            .into_iter()
            .map(|k| k.config.id.display_name().to_owned())
            .collect();
        assert_eq!(names, vec!["corp", "https://d-2.awsapps.com/start"]);
    }

    #[test]
    fn the_default_profile_follows_the_env() {
        assert_eq!(default_profile(&Env::default()), "default");
        assert_eq!(
            default_profile(&Env::from_pairs([("AWS_DEFAULT_PROFILE", "b")])),
            "b"
        );
        assert_eq!(
            default_profile(&Env::from_pairs([
                ("AWS_DEFAULT_PROFILE", "b"),
                ("AWS_PROFILE", "a")
            ])),
            "a"
        );
    }
}
