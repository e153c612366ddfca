//! The SSO portal API (PROTOCOL §3): unsigned calls carrying the bearer token in
//! `x-amz-sso_bearer_token`. This part holds the endpoint rule and Logout; the account and role
//! listings and GetRoleCredentials build on it.

use crate::secret::Secret;

pub mod account_cache;
pub mod list;
pub mod ratelimit;
pub mod retry;

/// The header the portal reads the access token from.
pub(crate) const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// A portal call that failed. Never carries the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortalError {
    /// The portal answered with an error status.
    #[error("{operation} failed: HTTP {status}{}", error_type.as_deref().map(|t| format!(" ({t})")).unwrap_or_default())]
    Service {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The exception name from `x-amzn-ErrorType`.
        error_type: Option<String>,
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
    #[error(
        "cannot reach the AWS access portal at {endpoint}: {}",
        crate::http::describe(source)
    )]
    Transport {
        /// The base URL.
        endpoint: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
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
    let resp = http
        .get(format!(
            "{}/federation/credentials",
            base.trim_end_matches('/')
        ))
        .query(&[("role_name", role_name), ("account_id", account_id)])
        .header("x-amz-sso_bearer_token", access_token.expose())
        .send()
        .await
        .map_err(transport(base))?;
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(service_error("GetRoleCredentials", status, resp.headers()));
    }
    let body: Body = resp.json().await.map_err(transport(base))?;
    let c = body.role_credentials;
    // botocore keeps whole seconds of the millisecond expiry (its cache format has no more).
    let expiration = time::OffsetDateTime::from_unix_timestamp(c.expiration.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    Ok(crate::cache::role_credentials::RoleCredentials {
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        session_token: c.session_token,
        expiration,
        account_id: Some(account_id.to_owned()),
    })
}

/// Maps a transport failure, dropping the URL (it may carry query parameters).
fn transport(base: &str) -> impl Fn(reqwest::Error) -> PortalError + '_ {
    move |source| PortalError::Transport {
        endpoint: base.to_owned(),
        source: source.without_url(),
    }
}

fn service_error(
    operation: &'static str,
    status: u16,
    headers: &reqwest::header::HeaderMap,
) -> PortalError {
    PortalError::Service {
        operation,
        status,
        error_type: error_type(headers),
    }
}

/// The exception name of an error answer, from `x-amzn-ErrorType`.
fn error_type(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.split(':').next().unwrap_or(s).to_owned())
}

impl PortalError {
    /// Whether the portal refused the token (UnauthorizedException): sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, PortalError::Service { status: 401, .. })
    }
}

/// Logout: ends the sign-in on the service side (its access and refresh tokens stop working).
pub async fn logout(
    http: &reqwest::Client,
    base: &str,
    access_token: &Secret,
) -> Result<(), PortalError> {
    let resp = http
        .post(format!("{}/logout", base.trim_end_matches('/')))
        .header("x-amz-sso_bearer_token", access_token.expose())
        .send()
        .await
        .map_err(transport(base))?;
    let status = resp.status().as_u16();
    if (200..300).contains(&status) {
        return Ok(());
    }
    Err(service_error("Logout", status, resp.headers()))
}
