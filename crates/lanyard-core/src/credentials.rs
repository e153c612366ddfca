//! Role credentials for a profile, served to every tool (PROTOCOL §4.3, §6): from the session's
//! store — the AWS CLI's own role-credential cache (`~/.aws/cli/cache`, shared with the CLI),
//! or the keychain in secure mode — while more than 15 minutes are left, else fetched with
//! GetRoleCredentials using a valid token (refreshed under the session's single-flight lock),
//! and printed byte for byte in the formats of
//! `aws configure export-credentials`.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::cache::role_credentials::RoleCredentials;
use crate::config::ConfigView;
use crate::error::Result;
use crate::sessions::resolve::{
    profile_account_role, session_for_profile, KnownSession, ResolveError,
};
use crate::sessions::store::TokenStore;

/// A profile's account and role, with its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRole {
    /// The profile.
    pub profile: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
    /// The session it signs in with.
    pub session: KnownSession,
}

/// The account and role of an SSO profile, in either form: the SDKs' `sso_account_id` /
/// `sso_role_name`, or a secure-mode profile's `lanyard_account_id` / `lanyard_role_name`.
pub fn profile_role(view: &ConfigView, profile: &str) -> Result<ProfileRole, ResolveError> {
    let session = session_for_profile(view, profile)?;
    let p = view
        .profiles
        .get(profile)
        .ok_or_else(|| ResolveError::ProfileNotFound(profile.to_owned()))?;
    let (account, role) = profile_account_role(p);
    let mut missing = Vec::new();
    if account.is_none_or(str::is_empty) {
        missing.push("sso_account_id");
    }
    if role.is_none_or(str::is_empty) {
        missing.push("sso_role_name");
    }
    if !missing.is_empty() {
        return Err(ResolveError::Missing {
            what: "profile",
            name: profile.to_owned(),
            keys: missing,
        });
    }
    Ok(ProfileRole {
        profile: profile.to_owned(),
        account_id: account.unwrap_or_default().to_owned(),
        role_name: role.unwrap_or_default().to_owned(),
        session,
    })
}

impl ProfileRole {
    /// Cached credentials with more than 15 minutes left, if any, from the session's store. An
    /// unreadable entry is ignored (it will be replaced); a store that cannot be used at all
    /// (no keychain) is an error.
    pub fn cached(
        &self,
        store: &dyn TokenStore,
        now: OffsetDateTime,
    ) -> Result<Option<RoleCredentials>> {
        let id = &self.session.config.id;
        match store.load_role_credentials(id, &self.account_id, &self.role_name) {
            Ok(Some(c)) if c.fresh_at(now) => Ok(Some(c)),
            Ok(_) => Ok(None),
            Err(e @ crate::sessions::error::SessionsError::Keychain(_)) => Err(e.into()),
            Err(e) => {
                tracing::warn!(error = %e, "ignoring an unreadable role-credential cache entry");
                Ok(None)
            }
        }
    }

    /// Caches credentials in the session's store (the AWS CLI's cache in file mode).
    pub fn store(&self, store: &dyn TokenStore, creds: &RoleCredentials) -> Result<()> {
        store.save_role_credentials(
            &self.session.config.id,
            &self.account_id,
            &self.role_name,
            creds,
        )?;
        Ok(())
    }
}

pub use crate::env::lanyard_executable;

/// Output formats of `lanyard export` (the AWS CLI's, plus `dotenv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `credential_process` JSON.
    Process,
    /// `export KEY=value`.
    Env,
    /// `KEY=value`.
    EnvNoExport,
    /// `set -gx KEY "value"`.
    Fish,
    /// `$Env:KEY="value"`.
    Powershell,
    /// `set KEY=value`.
    WindowsCmd,
    /// `KEY="value"`, for .env files.
    Dotenv,
}

/// Python's `datetime.isoformat()` of a UTC time with whole seconds: `…T08:00:00+00:00`.
pub fn iso_utc(t: OffsetDateTime) -> String {
    crate::cache::timefmt::utc_seconds(t) + "+00:00"
}

/// The credentials in `format`, byte for byte as `aws configure export-credentials` prints them.
pub fn render(creds: &RoleCredentials, format: Format) -> String {
    let expiration = iso_utc(creds.expiration);
    let vars = [
        ("AWS_ACCESS_KEY_ID", creds.access_key_id.as_str()),
        ("AWS_SECRET_ACCESS_KEY", creds.secret_access_key.expose()),
        ("AWS_SESSION_TOKEN", creds.session_token.expose()),
        ("AWS_CREDENTIAL_EXPIRATION", expiration.as_str()),
    ];
    let line = |name: &str, value: &str| -> String {
        match format {
            Format::Env => format!("export {name}={value}\n"),
            Format::EnvNoExport => format!("{name}={value}\n"),
            Format::Fish => format!("set -gx {name} \"{value}\"\n"),
            Format::Powershell => format!("$Env:{name}=\"{value}\"\n"),
            Format::WindowsCmd => format!("set {name}={value}\n"),
            Format::Dotenv => format!("{name}=\"{value}\"\n"),
            Format::Process => String::new(),
        }
    };
    if format == Format::Process {
        let mut map = Map::new();
        map.insert("Version".into(), 1.into());
        map.insert("AccessKeyId".into(), creds.access_key_id.clone().into());
        map.insert(
            "SecretAccessKey".into(),
            creds.secret_access_key.expose().into(),
        );
        map.insert("SessionToken".into(), creds.session_token.expose().into());
        map.insert("Expiration".into(), expiration.into());
        // json.dumps(indent=2, separators=(',', ': ')): serde_json's pretty printer writes the
        // same text for these values (ASCII strings and an integer).
        let mut out = serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default();
        out.push('\n');
        return out;
    }
    vars.iter().map(|(n, v)| line(n, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use time::macros::datetime;

    fn creds() -> RoleCredentials {
        RoleCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("s3cr3t/key+x"),
            session_token: Secret::new("tok=="),
            expiration: datetime!(2026-01-01 09:00 UTC),
            account_id: Some("123456789012".into()),
        }
    }

    #[test]
    fn process_format_is_the_clis_json() {
        assert_eq!(
            render(&creds(), Format::Process),
            "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAEXAMPLE\",\n  \"SecretAccessKey\": \"s3cr3t/key+x\",\n  \"SessionToken\": \"tok==\",\n  \"Expiration\": \"2026-01-01T09:00:00+00:00\"\n}\n"
        );
    }

    #[test]
    fn shell_formats_are_the_clis_lines() {
        let cases = [
            (Format::Env, "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"),
            (Format::EnvNoExport, "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"),
            (Format::Fish, "set -gx AWS_ACCESS_KEY_ID \"ASIAEXAMPLE\"\n"),
            (
                Format::Powershell,
                "$Env:AWS_ACCESS_KEY_ID=\"ASIAEXAMPLE\"\n",
            ),
            (Format::WindowsCmd, "set AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"),
            (Format::Dotenv, "AWS_ACCESS_KEY_ID=\"ASIAEXAMPLE\"\n"),
        ];
        for (format, first) in cases {
            let out = render(&creds(), format);
            assert!(out.starts_with(first), "{format:?}: {out}");
            assert_eq!(out.lines().count(), 4, "{format:?}");
            assert!(
                out.ends_with("2026-01-01T09:00:00+00:00\n")
                    || out.ends_with("2026-01-01T09:00:00+00:00\"\n")
            );
        }
        assert_eq!(
            render(&creds(), Format::Env),
            "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=s3cr3t/key+x\nexport AWS_SESSION_TOKEN=tok==\nexport AWS_CREDENTIAL_EXPIRATION=2026-01-01T09:00:00+00:00\n"
        );
    }
}
