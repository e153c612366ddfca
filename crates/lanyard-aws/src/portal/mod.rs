//! The SSO portal API (PROTOCOL §3): unsigned calls carrying the bearer token in
//! `x-amz-sso_bearer_token`. This part holds the errors (what the portal answered, quoted),
//! GetRoleCredentials and Logout — both retried on 429, 5xx and connections that failed in a
//! way safe to retry, as the AWS CLI does; the account and role listings build on it.

use crate::netfail::{read_limited, BodyError, NetFailure, SMALL_BODY_LIMIT};
use crate::secret::Secret;

pub mod list;
pub mod ratelimit;
// The retry policy moved below both the portal and OIDC (issue 21); its old path stays.
pub use crate::retry;

use retry::Retry;

/// The header the portal reads the access token from.
pub(crate) const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// The latest role-credential `expiration` accepted: 2100-01-01, epoch milliseconds.
pub const MAX_EXPIRATION_MS: i64 = 4_102_444_800_000;

/// A portal call that failed. Never carries the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortalError {
    /// The portal answered with a modeled error (an `x-amzn-ErrorType` or a JSON `message`).
    #[error("{operation} failed: HTTP {status}{}{}", error_type.as_deref().map(|t| format!(" ({t})")).unwrap_or_default(), message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Service {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The exception name from `x-amzn-ErrorType`.
        error_type: Option<String>,
        /// The portal's `message`, cleaned and shortened.
        message: Option<String>,
    },
    /// The portal answered an error status with something that is not a portal error.
    #[error("{operation}: unexpected answer (HTTP {status}): {snippet}")]
    Unexpected {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// A short, clean quote of the body.
        snippet: String,
    },
    /// The portal answered 2xx with a body that is not what the operation returns.
    #[error("{operation} returned an unreadable answer: {reason}")]
    Malformed {
        /// The operation.
        operation: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// The portal could not be reached.
    #[error("cannot reach the AWS access portal at {endpoint}: {failure}")]
    Transport {
        /// The base URL.
        endpoint: String,
        /// What happened.
        failure: Box<NetFailure>,
    },
}

/// GetRoleCredentials: temporary credentials for one account and role.
pub async fn get_role_credentials(
    http: &reqwest::Client,
    base: &str,
    access_token: &Secret,
    account_id: &str,
    role_name: &str,
) -> Result<crate::cache::role_credentials::RoleCredentials, PortalError> {
    get_role_credentials_with(
        http,
        base,
        access_token,
        account_id,
        role_name,
        &Retry::default(),
    )
    .await
}

/// [`get_role_credentials`] with a given retry policy and jitter.
pub async fn get_role_credentials_with(
    http: &reqwest::Client,
    base: &str,
    access_token: &Secret,
    account_id: &str,
    role_name: &str,
    retry: &Retry,
) -> Result<crate::cache::role_credentials::RoleCredentials, PortalError> {
    const OPERATION: &str = "GetRoleCredentials";
    let body = retry
        .run(
            OPERATION,
            || async {
                let resp = http
                    .get(format!(
                        "{}/federation/credentials",
                        base.trim_end_matches('/')
                    ))
                    .query(&[("role_name", role_name), ("account_id", account_id)])
                    .header(BEARER_HEADER, access_token.expose())
                    .send()
                    .await
                    .map_err(transport(base))?;
                answer(OPERATION, base, resp).await
            },
            PortalError::retryable,
        )
        .await?;
    parse_role_credentials(&body, account_id)
}

/// GetRoleCredentials' 2xx body, checked: an expiry in milliseconds before 2100.
fn parse_role_credentials(
    body: &[u8],
    account_id: &str,
) -> Result<crate::cache::role_credentials::RoleCredentials, PortalError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Creds {
        access_key_id: String,
        secret_access_key: Secret,
        session_token: Secret,
        expiration: i64,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        role_credentials: Creds,
    }
    let malformed = |reason: String| PortalError::Malformed {
        operation: "GetRoleCredentials",
        reason,
    };
    let body: Body = serde_json::from_slice(body)
        .map_err(|e| malformed(format!("the answer is {}", crate::netfail::json_reason(&e))))?;
    let c = body.role_credentials;
    if c.access_key_id.is_empty()
        || c.secret_access_key.expose().is_empty()
        || c.session_token.expose().is_empty()
    {
        return Err(malformed("the credentials are incomplete".into()));
    }
    if !(1..=MAX_EXPIRATION_MS).contains(&c.expiration) {
        return Err(malformed(format!(
            "expiration is {}, outside 1..={MAX_EXPIRATION_MS}",
            c.expiration
        )));
    }
    // botocore keeps whole seconds of the millisecond expiry (its cache format has no more).
    let expiration = time::OffsetDateTime::from_unix_timestamp(c.expiration.div_euclid(1000))
        .map_err(|e| malformed(format!("expiration: {e}")))?;
    Ok(crate::cache::role_credentials::RoleCredentials {
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        session_token: c.session_token,
        expiration,
        account_id: Some(account_id.to_owned()),
    })
}

/// Maps a transport failure (the URL, which may carry query parameters, is dropped).
fn transport(base: &str) -> impl Fn(reqwest::Error) -> PortalError + '_ {
    move |source| PortalError::Transport {
        endpoint: base.to_owned(),
        failure: Box::new(NetFailure::from_reqwest(source, base)),
    }
}

/// The body of a 2xx answer (at most 1 MiB), or the error the answer says.
async fn answer(
    operation: &'static str,
    base: &str,
    resp: reqwest::Response,
) -> Result<Vec<u8>, PortalError> {
    let status = resp.status().as_u16();
    let error_type = error_type(resp.headers());
    let body = read_limited(resp, SMALL_BODY_LIMIT)
        .await
        .map_err(|e| match e {
            BodyError::Transport(source) => transport(base)(source),
            BodyError::TooLarge(limit) => PortalError::Malformed {
                operation,
                reason: BodyError::too_large(limit),
            },
        })?;
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(refusal(operation, status, error_type, &body))
    }
}

/// The error of a non-2xx answer: the modeled one when the portal says which (a header or a
/// JSON `message`), else the status and a quote of the body.
pub(crate) fn refusal(
    operation: &'static str,
    status: u16,
    error_type: Option<String>,
    body: &[u8],
) -> PortalError {
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            ["message", "Message"].iter().find_map(|k| {
                v.get(k)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            })
        })
        .map(|m| crate::netfail::clean(&m, crate::netfail::SNIPPET_CHARS))
        .filter(|m| !m.is_empty());
    if error_type.is_none() && message.is_none() {
        return PortalError::Unexpected {
            operation,
            status,
            snippet: crate::netfail::snippet(body),
        };
    }
    PortalError::Service {
        operation,
        status,
        error_type,
        message,
    }
}

/// The exception name of an error answer, from `x-amzn-ErrorType` (cleaned, shortened).
fn error_type(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|s| crate::netfail::clean(s.split(':').next().unwrap_or(s), 64))
        .filter(|s| !s.is_empty())
}

impl PortalError {
    /// Whether the portal refused the token (UnauthorizedException): sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self,
            PortalError::Service { status: 401, .. } | PortalError::Unexpected { status: 401, .. }
        )
    }

    /// Whether the portal throttled the call (429 or TooManyRequestsException).
    pub fn is_throttled(&self) -> bool {
        match self {
            PortalError::Service {
                status, error_type, ..
            } => *status == 429 || error_type.as_deref() == Some("TooManyRequestsException"),
            PortalError::Unexpected { status, .. } => *status == 429,
            _ => false,
        }
    }

    /// A stable code for the UI and `--json`: `not_signed_in` (the token was refused),
    /// `throttled` (still throttled after the retries), `service_refused`,
    /// `service_unexpected`, `unreachable` or `tls`.
    pub fn code(&self) -> &'static str {
        match self {
            _ if self.is_unauthorized() => "not_signed_in",
            _ if self.is_throttled() => "throttled",
            PortalError::Service { .. } => "service_refused",
            PortalError::Unexpected { .. } | PortalError::Malformed { .. } => "service_unexpected",
            PortalError::Transport { failure, .. } => failure.code(),
        }
    }

    /// Whether the call is worth another try: throttled, a 5xx, or a connection that failed in
    /// a way safe to retry (portal calls are idempotent).
    pub fn retryable(&self) -> bool {
        match self {
            PortalError::Service { status, .. } | PortalError::Unexpected { status, .. } => {
                retry::RetryPolicy::retryable(*status) || self.is_throttled()
            }
            PortalError::Transport { failure, .. } => failure.retryable(),
            PortalError::Malformed { .. } => false,
        }
    }
}

/// Logout: ends the sign-in on the service side (its access and refresh tokens stop working).
pub async fn logout(
    http: &reqwest::Client,
    base: &str,
    access_token: &Secret,
) -> Result<(), PortalError> {
    logout_with(http, base, access_token, &Retry::default()).await
}

/// [`logout`] with a given retry policy and jitter.
pub async fn logout_with(
    http: &reqwest::Client,
    base: &str,
    access_token: &Secret,
    retry: &Retry,
) -> Result<(), PortalError> {
    retry
        .run(
            "Logout",
            || async {
                let resp = http
                    .post(format!("{}/logout", base.trim_end_matches('/')))
                    .header(BEARER_HEADER, access_token.expose())
                    .send()
                    .await
                    .map_err(transport(base))?;
                answer("Logout", base, resp).await.map(drop)
            },
            PortalError::retryable,
        )
        .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn an_error_answer_is_quoted_as_the_portal_said_it() {
        let e = refusal(
            "GetRoleCredentials",
            403,
            Some("ForbiddenException".into()),
            br#"{"message":"No access\nto it"}"#,
        );
        assert_eq!(e.code(), "service_refused");
        assert_eq!(
            e.to_string(),
            "GetRoleCredentials failed: HTTP 403 (ForbiddenException): No access to it"
        );
        let e = refusal("Logout", 502, None, b"<html>Bad Gateway</html>");
        assert_eq!(e.code(), "service_unexpected");
        assert_eq!(
            e.to_string(),
            "Logout: unexpected answer (HTTP 502): “<html>Bad Gateway</html>”"
        );
        assert!(e.retryable());
        let e = refusal(
            "ListAccounts",
            429,
            Some("TooManyRequestsException".into()),
            b"",
        );
        assert_eq!(e.code(), "throttled");
        assert!(e.retryable());
        let e = refusal("ListAccounts", 401, None, b"");
        assert_eq!(e.code(), "not_signed_in");
        assert!(e.is_unauthorized() && !e.retryable());
    }

    #[test]
    fn expirations_that_cannot_be_a_time_are_refused_as_unexpected() {
        let body = |exp: &str| {
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIA","secretAccessKey":"SECRET","sessionToken":"TOKEN","expiration":{exp}}}}}"#
            )
        };
        let ok = parse_role_credentials(body("1767225600123").as_bytes(), "1").unwrap();
        assert_eq!(ok.expiration.unix_timestamp(), 1_767_225_600);
        for bad in [
            "-1",
            "0",
            "9223372036854775807",
            "-9223372036854775808",
            "4102444800001",
            "1.5",
            "\"x\"",
        ] {
            let e = parse_role_credentials(body(bad).as_bytes(), "1").unwrap_err();
            assert_eq!(e.code(), "service_unexpected", "{bad}");
            let text = e.to_string();
            assert!(
                !text.contains("SECRET") && !text.contains("TOKEN"),
                "{text}"
            );
        }
    }

    proptest! {
        #[test]
        fn no_answer_makes_the_portal_parsers_panic(
            status in any::<u16>(),
            error_type in proptest::option::of("[ -~]{0,40}"),
            body in prop::collection::vec(any::<u8>(), 0..300),
            exp in any::<i64>(),
        ) {
            let e = refusal("GetRoleCredentials", status, error_type, &body);
            let text = e.to_string();
            prop_assert!(!text.chars().any(char::is_control));
            prop_assert!(text.chars().count() < 600);
            let _ = e.code();
            let _ = parse_role_credentials(&body, "1");
            let json = format!(
                r#"{{"roleCredentials":{{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":{exp}}}}}"#
            );
            if let Ok(c) = parse_role_credentials(json.as_bytes(), "1") {
                let _ = c.expiration - crate::cache::role_credentials::EXPIRY_WINDOW;
            }
        }
    }
}
