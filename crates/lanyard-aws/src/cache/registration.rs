//! The client-registration file, `~/.aws/sso/cache/<sha1 of the registration key>.json`
//! (PROTOCOL §4.2): `clientId`, `clientSecret`, `expiresAt`, then `scopes` and `grantTypes`
//! when set, in the CLI's order; and the CLI's reuse rules.

use std::path::Path;

use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

use super::timefmt::{format_cli, parse_lenient};
use super::CacheError;
use crate::pyjson::{self, Style};
use crate::secret::Secret;

/// The grant types of a PKCE registration.
pub const PKCE_GRANT_TYPES: [&str; 2] = ["authorization_code", "refresh_token"];

/// A registration is reused only with more than this left (the CLI's rule).
pub const REUSE_MARGIN: Duration = Duration::minutes(15);

/// A registered OIDC client.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// When the registration expires (`clientSecretExpiresAt`).
    pub expires_at: OffsetDateTime,
    /// The scopes it was registered with, if any.
    pub scopes: Option<Vec<String>>,
    /// The grant types it was registered with (PKCE registrations only).
    pub grant_types: Option<Vec<String>>,
    /// Keys written by other tools, kept.
    pub extra: Map<String, Value>,
}

/// Which flow wants a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Authorization code with PKCE.
    Pkce,
    /// Device authorization.
    DeviceCode,
}

impl Registration {
    /// Reads a registration file's text.
    pub fn parse(text: &str, path: &Path) -> Result<Self, CacheError> {
        let mut map = super::parse_object(text, path)?;
        let missing = |key: &'static str, expected: &'static str| CacheError::MissingKey {
            path: path.to_owned(),
            key,
            expected,
        };
        let client_id = match map.remove("clientId") {
            Some(Value::String(s)) => s,
            _ => return Err(missing("clientId", "a string")),
        };
        let client_secret = match map.remove("clientSecret") {
            Some(Value::String(s)) => Secret::from(s),
            _ => return Err(missing("clientSecret", "a string")),
        };
        let expires_at = match map.remove("expiresAt") {
            Some(Value::String(s)) => parse_lenient(&s).ok_or_else(|| CacheError::BadTime {
                path: path.to_owned(),
                key: "expiresAt",
            })?,
            _ => return Err(missing("expiresAt", "a string")),
        };
        let string_list = |v: Option<Value>| -> Option<Vec<String>> {
            match v {
                Some(Value::Array(items)) => items
                    .into_iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                _ => None,
            }
        };
        let scopes = string_list(map.remove("scopes"));
        let grant_types = string_list(map.remove("grantTypes"));
        Ok(Registration {
            client_id,
            client_secret,
            expires_at,
            scopes,
            grant_types,
            extra: map,
        })
    }

    /// Whether this registration may serve `flow` at `now`: more than 15 minutes left, and of
    /// the right kind — a device flow ignores a registration with `authorization_code`, a PKCE
    /// flow requires it.
    pub fn reusable_for(&self, flow: Flow, now: OffsetDateTime) -> bool {
        if self.expires_at - now <= REUSE_MARGIN {
            return false;
        }
        let has_auth_code = self
            .grant_types
            .as_ref()
            .is_some_and(|g| g.iter().any(|t| t == "authorization_code"));
        match flow {
            Flow::Pkce => has_auth_code,
            Flow::DeviceCode => !has_auth_code,
        }
    }

    /// The file's text as the CLI writes it.
    pub fn to_cli_json(&self) -> String {
        let mut map = Map::new();
        map.insert("clientId".into(), self.client_id.clone().into());
        map.insert("clientSecret".into(), self.client_secret.expose().into());
        map.insert("expiresAt".into(), format_cli(self.expires_at).into());
        if let Some(scopes) = &self.scopes {
            map.insert("scopes".into(), scopes.clone().into());
        }
        if let Some(grants) = &self.grant_types {
            map.insert("grantTypes".into(), grants.clone().into());
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

    const PKCE: &str = r#"{"clientId": "c1", "clientSecret": "s1", "expiresAt": "2026-04-01T00:00:00Z", "scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}"#;
    const DEVICE: &str =
        r#"{"clientId": "c2", "clientSecret": "s2", "expiresAt": "2026-04-01T00:00:00Z"}"#;

    fn p() -> &'static Path {
        Path::new("reg.json")
    }

    #[test]
    fn round_trips_the_cli_format() {
        for text in [PKCE, DEVICE] {
            let r = Registration::parse(text, p()).expect("parse");
            assert_eq!(r.to_cli_json(), text);
        }
    }

    #[test]
    fn reuse_follows_the_cli_rules_for_kind_and_time_left() {
        let now = datetime!(2026-03-01 00:00 UTC);
        let pkce = Registration::parse(PKCE, p()).expect("parse");
        let device = Registration::parse(DEVICE, p()).expect("parse");
        assert!(pkce.reusable_for(Flow::Pkce, now));
        assert!(!pkce.reusable_for(Flow::DeviceCode, now));
        assert!(device.reusable_for(Flow::DeviceCode, now));
        assert!(!device.reusable_for(Flow::Pkce, now));
        let near_end = datetime!(2026-03-31 23:45 UTC);
        assert!(
            !pkce.reusable_for(Flow::Pkce, near_end),
            "15 min left is too little"
        );
        assert!(pkce.reusable_for(Flow::Pkce, near_end - Duration::seconds(1)));
    }
}
