//! The AWS CLI's role-credentials cache entry, `~/.aws/cli/cache/<sha1>.json` (PROTOCOL §4.3):
//! `{"ProviderType": "sso", "Credentials": {...}}`, reused until 15 minutes before expiry.

use std::path::Path;

use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

use super::timefmt::{format_cli, parse_lenient};
use super::CacheError;
use crate::pyjson::{self, Style};
use crate::secret::Secret;

/// Entries are served until this long before they expire (the CLI's
/// `DEFAULT_EXPIRY_WINDOW_SECONDS`).
pub const EXPIRY_WINDOW: Duration = Duration::minutes(15);

/// Temporary credentials of one role.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleCredentials {
    /// The access key id (not secret on its own, but kept with the rest).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token.
    pub session_token: Secret,
    /// When they expire.
    pub expiration: OffsetDateTime,
    /// The account they belong to.
    pub account_id: Option<String>,
}

impl RoleCredentials {
    /// Reads a cache entry. `Ok(None)` for an entry of another provider (e.g. assume-role),
    /// which shares the folder.
    pub fn parse(text: &str, path: &Path) -> Result<Option<Self>, CacheError> {
        let value = Value::Object(super::parse_object(text, path)?);
        if value.get("ProviderType").and_then(Value::as_str) != Some("sso") {
            return Ok(None);
        }
        let creds = value
            .get("Credentials")
            .and_then(Value::as_object)
            .ok_or_else(|| CacheError::MissingKey {
                path: path.to_owned(),
                key: "Credentials",
                expected: "an object",
            })?;
        let text_of = |key: &'static str| -> Result<String, CacheError> {
            creds
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| CacheError::MissingKey {
                    path: path.to_owned(),
                    key,
                    expected: "a string",
                })
        };
        let expiration =
            parse_lenient(&text_of("Expiration")?).ok_or_else(|| CacheError::BadTime {
                path: path.to_owned(),
                key: "Expiration",
            })?;
        Ok(Some(RoleCredentials {
            access_key_id: text_of("AccessKeyId")?,
            secret_access_key: Secret::from(text_of("SecretAccessKey")?),
            session_token: Secret::from(text_of("SessionToken")?),
            expiration,
            account_id: creds
                .get("AccountId")
                .and_then(Value::as_str)
                .map(str::to_owned),
        }))
    }

    /// Whether the entry may still be served at `now` (more than 15 minutes left).
    pub fn fresh_at(&self, now: OffsetDateTime) -> bool {
        self.expiration - now > EXPIRY_WINDOW
    }

    /// The entry's text as the CLI writes it.
    pub fn to_cli_json(&self) -> String {
        let mut creds = Map::new();
        creds.insert("AccessKeyId".into(), self.access_key_id.clone().into());
        creds.insert(
            "SecretAccessKey".into(),
            self.secret_access_key.expose().into(),
        );
        creds.insert("SessionToken".into(), self.session_token.expose().into());
        creds.insert("Expiration".into(), format_cli(self.expiration).into());
        if let Some(account) = &self.account_id {
            creds.insert("AccountId".into(), account.clone().into());
        }
        let mut map = Map::new();
        map.insert("ProviderType".into(), "sso".into());
        map.insert("Credentials".into(), Value::Object(creds));
        pyjson::dumps(&Value::Object(map), Style::DEFAULT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const CLI: &str = r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIA1", "SecretAccessKey": "sk", "SessionToken": "st", "Expiration": "2026-01-01T09:00:00Z", "AccountId": "123456789012"}}"#;

    #[test]
    fn round_trips_the_cli_format() {
        let c = RoleCredentials::parse(CLI, Path::new("c.json"))
            .expect("parse")
            .expect("sso entry");
        assert_eq!(c.to_cli_json(), CLI);
    }

    #[test]
    fn assume_role_entries_are_not_ours() {
        let other = r#"{"Credentials": {"AccessKeyId": "A"}, "AssumedRoleUser": {}}"#;
        assert_eq!(
            RoleCredentials::parse(other, Path::new("c.json")).expect("parse"),
            None
        );
    }

    #[test]
    fn served_until_fifteen_minutes_before_expiry() {
        let c = RoleCredentials::parse(CLI, Path::new("c.json"))
            .expect("parse")
            .expect("sso");
        assert!(c.fresh_at(datetime!(2026-01-01 08:44:59 UTC)));
        assert!(!c.fresh_at(datetime!(2026-01-01 08:45:00 UTC)));
    }
}
