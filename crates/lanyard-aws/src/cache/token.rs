//! The SSO token file, `~/.aws/sso/cache/<sha1>.json` (PROTOCOL §4.1): read from any writer,
//! written exactly as the AWS CLI writes it — its keys in its order, one line of
//! `json.dumps` text, `…Z` times — with keys Lanyard does not know kept after them.

use std::path::Path;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::timefmt::{format_cli, parse_lenient};
use super::CacheError;
use crate::pyjson::{self, Style};
use crate::secret::Secret;

/// The keys the AWS CLI writes, in its order.
const CLI_KEYS: [&str; 8] = [
    "startUrl",
    "region",
    "accessToken",
    "expiresAt",
    "clientId",
    "clientSecret",
    "registrationExpiresAt",
    "refreshToken",
];

/// One session's cached access token.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenFile {
    /// The configured (not resolved) start URL.
    pub start_url: Option<String>,
    /// The session's `sso_region`.
    pub region: Option<String>,
    /// The bearer token.
    pub access_token: Secret,
    /// When the access token expires.
    pub expires_at: OffsetDateTime,
    /// The registered client used to get it (needed to refresh).
    pub client_id: Option<String>,
    /// The registered client's secret (needed to refresh).
    pub client_secret: Option<Secret>,
    /// When the client registration expires.
    pub registration_expires_at: Option<OffsetDateTime>,
    /// The refresh token, only for sessions registered with scopes.
    pub refresh_token: Option<Secret>,
    /// Keys written by other tools, kept as they were.
    pub extra: Map<String, Value>,
}

impl TokenFile {
    /// Reads a token file's text. Only `accessToken` and `expiresAt` are required, as in
    /// botocore and the SDKs; `path` is used in errors only.
    pub fn parse(text: &str, path: &Path) -> Result<Self, CacheError> {
        let mut map = super::parse_object(text, path)?;
        let mut take_str = |key: &'static str| -> Option<String> {
            match map.remove(key) {
                Some(Value::String(s)) => Some(s),
                Some(other) => {
                    // A non-string in a known key: keep it untouched rather than lose it.
                    map.insert(key.to_owned(), other);
                    None
                }
                None => None,
            }
        };
        let access_token = take_str("accessToken").ok_or_else(|| CacheError::MissingKey {
            path: path.to_owned(),
            key: "accessToken",
            expected: "a string",
        })?;
        let expires_at = take_str("expiresAt").ok_or_else(|| CacheError::MissingKey {
            path: path.to_owned(),
            key: "expiresAt",
            expected: "a string",
        })?;
        let expires_at = parse_lenient(&expires_at).ok_or_else(|| CacheError::BadTime {
            path: path.to_owned(),
            key: "expiresAt",
        })?;
        let start_url = take_str("startUrl");
        let region = take_str("region");
        let client_id = take_str("clientId");
        let client_secret = take_str("clientSecret").map(Secret::from);
        let registration_expires_at = match take_str("registrationExpiresAt") {
            Some(s) => Some(parse_lenient(&s).ok_or_else(|| CacheError::BadTime {
                path: path.to_owned(),
                key: "registrationExpiresAt",
            })?),
            None => None,
        };
        // Go and JS drop an empty refresh token; treat "" as none.
        let refresh_token = take_str("refreshToken")
            .filter(|s| !s.is_empty())
            .map(Secret::from);
        Ok(TokenFile {
            start_url,
            region,
            access_token: Secret::from(access_token),
            expires_at,
            client_id,
            client_secret,
            registration_expires_at,
            refresh_token,
            extra: map,
        })
    }

    /// Whether the token can be refreshed: it has a refresh token, a client id and secret, and
    /// an unexpired registration (botocore's rule; PROTOCOL §4.1).
    pub fn refreshable_at(&self, now: OffsetDateTime) -> bool {
        self.refresh_token.is_some()
            && self.client_id.is_some()
            && self.client_secret.is_some()
            && self.registration_expires_at.is_some_and(|t| t > now)
    }

    /// The file's text in the AWS CLI's format: its keys in its order, then unknown keys.
    pub fn to_cli_json(&self) -> String {
        let mut map = Map::new();
        for key in CLI_KEYS {
            let value = match key {
                "startUrl" => self.start_url.clone().map(Value::from),
                "region" => self.region.clone().map(Value::from),
                "accessToken" => Some(Value::from(self.access_token.expose())),
                "expiresAt" => Some(Value::from(format_cli(self.expires_at))),
                "clientId" => self.client_id.clone().map(Value::from),
                "clientSecret" => self.client_secret.as_ref().map(|s| s.expose().into()),
                "registrationExpiresAt" => {
                    self.registration_expires_at.map(|t| format_cli(t).into())
                }
                "refreshToken" => self.refresh_token.as_ref().map(|s| s.expose().into()),
                _ => None,
            };
            if let Some(v) = value {
                map.insert(key.to_owned(), v);
            }
        }
        for (k, v) in &self.extra {
            map.insert(k.clone(), v.clone());
        }
        pyjson::dumps(&Value::Object(map), Style::DEFAULT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn p() -> &'static Path {
        Path::new("/home/ana/.aws/sso/cache/x.json")
    }

    /// A file as the AWS CLI v2 writes it (botocore `_sso_json_dumps`).
    const CLI_WRITTEN: &str = r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "at-1", "expiresAt": "2026-01-01T09:00:00Z", "clientId": "cid", "clientSecret": "cs", "registrationExpiresAt": "2026-03-01T08:00:00Z", "refreshToken": "rt-1"}"#;

    #[test]
    fn a_cli_written_file_is_read_and_written_back_byte_for_byte() {
        let t = TokenFile::parse(CLI_WRITTEN, p()).expect("parse");
        assert_eq!(t.access_token.expose(), "at-1");
        assert_eq!(t.expires_at, datetime!(2026-01-01 09:00 UTC));
        assert!(t.refreshable_at(datetime!(2026-01-01 08:00 UTC)));
        assert_eq!(t.to_cli_json(), CLI_WRITTEN);
    }

    #[test]
    fn a_js_sdk_file_is_read_and_its_unknown_keys_kept() {
        let js = r#"{
  "startUrl": "https://d-1234567890.awsapps.com/start",
  "region": "us-east-1",
  "accessToken": "at-2",
  "expiresAt": "2026-01-01T09:00:00.000Z",
  "clientId": "cid",
  "clientSecret": "cs",
  "registrationExpiresAt": "2026-03-01T08:00:00.000Z",
  "refreshToken": "",
  "toolkitExtra": {"a": 1}
}"#;
        let t = TokenFile::parse(js, p()).expect("parse");
        assert_eq!(t.expires_at, datetime!(2026-01-01 09:00 UTC));
        assert!(t.refresh_token.is_none(), "an empty refresh token is none");
        assert!(!t.refreshable_at(datetime!(2026-01-01 08:00 UTC)));
        assert_eq!(
            t.to_cli_json(),
            r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "at-2", "expiresAt": "2026-01-01T09:00:00Z", "clientId": "cid", "clientSecret": "cs", "registrationExpiresAt": "2026-03-01T08:00:00Z", "toolkitExtra": {"a": 1}}"#
        );
    }

    #[test]
    fn a_legacy_token_with_only_the_required_keys_is_read() {
        let t = TokenFile::parse(
            r#"{"accessToken": "at", "expiresAt": "2026-01-01T08:00:00UTC"}"#,
            p(),
        )
        .expect("parse");
        assert!(!t.refreshable_at(datetime!(2025-01-01 00:00 UTC)));
        assert_eq!(
            t.to_cli_json(),
            r#"{"accessToken": "at", "expiresAt": "2026-01-01T08:00:00Z"}"#
        );
    }

    #[test]
    fn malformed_files_are_clear_errors_that_name_the_file_and_hide_values() {
        let cases = [
            ("{not json", "not a valid cache file"),
            ("[1, 2]", "not a JSON object"),
            (
                r#"{"expiresAt": "2026-01-01T08:00:00Z"}"#,
                "`accessToken` is missing",
            ),
            (
                r#"{"accessToken": "secret-value-1"}"#,
                "`expiresAt` is missing",
            ),
            (
                r#"{"accessToken": "secret-value-1", "expiresAt": "soon"}"#,
                "`expiresAt` is not a date-time",
            ),
        ];
        for (text, want) in cases {
            let err = TokenFile::parse(text, p()).expect_err(text).to_string();
            assert!(err.contains(want), "{err}");
            assert!(err.contains("/home/ana/.aws/sso/cache/x.json"), "{err}");
            assert!(!err.contains("secret-value-1"), "{err}");
        }
    }

    #[test]
    fn a_registration_in_the_past_is_not_refreshable() {
        let t = TokenFile::parse(CLI_WRITTEN, p()).expect("parse");
        assert!(!t.refreshable_at(datetime!(2026-03-01 08:00:01 UTC)));
    }
}
