//! The SSO portal API (PROTOCOL §3): unsigned calls carrying the bearer token in
//! `x-amz-sso_bearer_token`. This part holds the endpoint rule and Logout; the account and role
//! listings and GetRoleCredentials build on it.

use crate::env::Env;
use crate::secret::Secret;

/// The portal endpoint for a region: `AWS_ENDPOINT_URL_SSO`, then `AWS_ENDPOINT_URL`, then
/// `https://portal.sso.{region}.amazonaws.com`.
pub fn portal_endpoint(env: &Env, region: &str) -> String {
    env.get_str("AWS_ENDPOINT_URL_SSO")
        .or_else(|| env.get_str("AWS_ENDPOINT_URL"))
        .map(|s| s.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("https://portal.sso.{region}.amazonaws.com"))
}

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
    /// The portal could not be reached.
    #[error("cannot reach the AWS access portal at {endpoint}: {source}")]
    Transport {
        /// The base URL.
        endpoint: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
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
        .map_err(|source| PortalError::Transport {
            endpoint: base.to_owned(),
            source: source.without_url(),
        })?;
    let status = resp.status().as_u16();
    if (200..300).contains(&status) {
        return Ok(());
    }
    Err(PortalError::Service {
        operation: "Logout",
        status,
        error_type: resp
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.split(':').next().unwrap_or(s).to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_endpoint_follows_the_env_precedence() {
        assert_eq!(
            portal_endpoint(&Env::default(), "eu-central-1"),
            "https://portal.sso.eu-central-1.amazonaws.com"
        );
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1/"),
            ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:2/"),
        ]);
        assert_eq!(portal_endpoint(&env, "x"), "http://127.0.0.1:2");
    }
}
