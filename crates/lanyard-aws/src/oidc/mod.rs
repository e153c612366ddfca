//! The SSO OIDC API (PROTOCOL §1): RegisterClient, StartDeviceAuthorization and CreateToken
//! over HTTPS with JSON bodies, unsigned. A 400 is parsed before it is judged: most of the
//! device flow's answers (`authorization_pending`, `slow_down`) arrive as errors. 5xx, 429 and
//! connections that never reached the service are tried again (5 attempts, jittered backoff);
//! answers are read up to 1 MiB and checked ([`answer`]) before anyone computes with them.

mod answer;
pub mod loopback;
pub mod pkce;
pub mod start_url;

pub use answer::{MAX_EPOCH_SECS, MAX_INTERVAL_SECS, MAX_LIFETIME_SECS};

use serde::{Deserialize, Serialize};

use crate::netfail::{read_limited, BodyError, NetFailure, SMALL_BODY_LIMIT};
use crate::retry::Retry;
use crate::secret::{serialize_exposed, serialize_exposed_opt, Secret};

/// Grant type of the device flow.
pub const GRANT_DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// Grant type of the authorization-code (PKCE) flow.
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
/// Grant type of a refresh.
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";

/// The OIDC errors of the service model, by their `error` code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OidcErrorKind {
    /// The person has not approved yet: keep polling.
    AuthorizationPending,
    /// Poll more slowly (+5 s).
    SlowDown,
    /// The device code (or the authorization) expired.
    ExpiredToken,
    /// The person denied the request.
    AccessDenied,
    /// The code, device code or refresh token is not valid (e.g. the session ended).
    InvalidGrant,
    /// The client is unknown, its secret wrong, or its registration expired.
    InvalidClient,
    /// The request was malformed.
    InvalidRequest,
    /// A scope was refused.
    InvalidScope,
    /// The client may not use this grant.
    UnauthorizedClient,
    /// The grant type is not supported.
    UnsupportedGrantType,
    /// The registration metadata was refused.
    InvalidClientMetadata,
    /// The redirect URI was refused.
    InvalidRedirectUri,
    /// The service failed.
    InternalServer,
    /// An error code this client does not know.
    Other(String),
}

impl OidcErrorKind {
    fn from_code(code: &str) -> Self {
        match code {
            "authorization_pending" => Self::AuthorizationPending,
            "slow_down" => Self::SlowDown,
            "expired_token" => Self::ExpiredToken,
            "access_denied" => Self::AccessDenied,
            "invalid_grant" => Self::InvalidGrant,
            "invalid_client" => Self::InvalidClient,
            "invalid_request" => Self::InvalidRequest,
            "invalid_scope" => Self::InvalidScope,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_client_metadata" => Self::InvalidClientMetadata,
            "invalid_redirect_uri" => Self::InvalidRedirectUri,
            "server_error" => Self::InternalServer,
            other => Self::Other(other.to_owned()),
        }
    }

    /// From the `x-amzn-ErrorType` header's exception name (`SlowDownException:http://…`).
    fn from_exception(header: &str) -> Option<Self> {
        let name = header.split(':').next()?.trim();
        Some(match name {
            "AuthorizationPendingException" => Self::AuthorizationPending,
            "SlowDownException" => Self::SlowDown,
            "ExpiredTokenException" => Self::ExpiredToken,
            "AccessDeniedException" => Self::AccessDenied,
            "InvalidGrantException" => Self::InvalidGrant,
            "InvalidClientException" => Self::InvalidClient,
            "InvalidRequestException" => Self::InvalidRequest,
            "InvalidScopeException" => Self::InvalidScope,
            "UnauthorizedClientException" => Self::UnauthorizedClient,
            "UnsupportedGrantTypeException" => Self::UnsupportedGrantType,
            "InvalidClientMetadataException" => Self::InvalidClientMetadata,
            "InvalidRedirectUriException" => Self::InvalidRedirectUri,
            "InternalServerException" => Self::InternalServer,
            _ => return None,
        })
    }

    /// The OAuth `error` code.
    pub fn code(&self) -> &str {
        match self {
            Self::AuthorizationPending => "authorization_pending",
            Self::SlowDown => "slow_down",
            Self::ExpiredToken => "expired_token",
            Self::AccessDenied => "access_denied",
            Self::InvalidGrant => "invalid_grant",
            Self::InvalidClient => "invalid_client",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidScope => "invalid_scope",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidClientMetadata => "invalid_client_metadata",
            Self::InvalidRedirectUri => "invalid_redirect_uri",
            Self::InternalServer => "server_error",
            Self::Other(code) => code,
        }
    }
}

/// An OIDC call that failed. Messages never contain a token, secret or code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OidcError {
    /// The service answered with a modeled error.
    #[error("{operation} failed: {} (HTTP {status}){}", kind.code(), description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Service {
        /// The operation, e.g. `CreateToken`.
        operation: &'static str,
        /// Which error.
        kind: OidcErrorKind,
        /// The HTTP status.
        status: u16,
        /// The service's `error_description`, shortened.
        description: Option<String>,
    },
    /// The endpoint could not be reached (DNS, connection, proxy, TLS, timeout).
    #[error("cannot reach the sign-in service at {endpoint}: {failure}")]
    Transport {
        /// The base URL.
        endpoint: String,
        /// What happened.
        failure: Box<NetFailure>,
    },
    /// The service answered something that is not the modeled shape.
    #[error("{operation}: unexpected answer from {endpoint} (HTTP {status}): {reason}")]
    Unexpected {
        /// The operation.
        operation: &'static str,
        /// The base URL.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// What was wrong.
        reason: String,
    },
}

impl OidcError {
    /// The modeled error kind, if the service answered with one.
    pub fn kind(&self) -> Option<&OidcErrorKind> {
        match self {
            OidcError::Service { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// A stable code for the UI and `--json`: `registration_refused` (the service no longer
    /// knows the client registration: `invalid_client`, `unauthorized_client`),
    /// `access_denied`, `throttled`, `service_refused` (any other modeled error),
    /// `service_unexpected`, `unreachable` or `tls`.
    pub fn code(&self) -> &'static str {
        match self {
            OidcError::Service { kind, status, .. } => match kind {
                OidcErrorKind::InvalidClient | OidcErrorKind::UnauthorizedClient => {
                    "registration_refused"
                }
                OidcErrorKind::AccessDenied => "access_denied",
                OidcErrorKind::SlowDown => "throttled",
                _ if *status == 429 => "throttled",
                _ => "service_refused",
            },
            OidcError::Transport { failure, .. } => failure.code(),
            OidcError::Unexpected { status: 429, .. } => "throttled",
            OidcError::Unexpected { .. } => "service_unexpected",
        }
    }

    /// Whether the call may be sent again: the service failed (5xx) or throttled (429), or the
    /// connection failed before anything was sent.
    fn retryable(&self) -> bool {
        match self {
            OidcError::Service { status, .. } | OidcError::Unexpected { status, .. } => {
                *status == 429 || (500..=599).contains(status)
            }
            OidcError::Transport { failure, .. } => failure.safe_to_resend(),
        }
    }
}

/// RegisterClient's request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterClientRequest {
    /// e.g. `botocore-client-{session}`.
    pub client_name: String,
    /// Always `public`.
    pub client_type: String,
    /// Scopes, if configured (or the PKCE default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// PKCE: `["http://127.0.0.1/oauth/callback"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uris: Option<Vec<String>>,
    /// PKCE: `["authorization_code", "refresh_token"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<Vec<String>>,
    /// PKCE: the (resolved) start URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_url: Option<String>,
}

/// RegisterClient's response.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterClientResponse {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// Issue time, epoch seconds.
    #[serde(default)]
    pub client_id_issued_at: Option<i64>,
    /// Expiry, epoch seconds.
    pub client_secret_expires_at: i64,
}

/// StartDeviceAuthorization's request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartDeviceAuthorizationRequest {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    #[serde(serialize_with = "serialize_exposed")]
    pub client_secret: Secret,
    /// The (resolved) start URL.
    pub start_url: String,
}

/// StartDeviceAuthorization's response.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartDeviceAuthorizationResponse {
    /// The device code (secret: it can be exchanged for a token).
    pub device_code: Secret,
    /// The code the person types (shown to them; not a secret).
    pub user_code: String,
    /// The page where the code is typed.
    pub verification_uri: String,
    /// The page with the code filled in.
    pub verification_uri_complete: String,
    /// Seconds until the device code expires.
    pub expires_in: i64,
    /// Seconds between polls (default 5).
    #[serde(default)]
    pub interval: Option<i64>,
}

/// CreateToken's request, for any grant.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTokenRequest {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    #[serde(serialize_with = "serialize_exposed")]
    pub client_secret: Secret,
    /// One of the grant type constants.
    pub grant_type: String,
    /// Device flow.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub device_code: Option<Secret>,
    /// PKCE flow: the authorization code.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub code: Option<Secret>,
    /// Refresh.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub refresh_token: Option<Secret>,
    /// PKCE flow: the redirect URI sent to /authorize (with its port).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// PKCE flow: the verifier.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub code_verifier: Option<Secret>,
}

/// CreateToken's response.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTokenResponse {
    /// The bearer token.
    pub access_token: Secret,
    /// `Bearer`.
    #[serde(default)]
    pub token_type: Option<String>,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Only for clients registered with scopes.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
}

/// A client of one OIDC endpoint.
#[derive(Debug, Clone)]
pub struct OidcClient {
    http: reqwest::Client,
    base: String,
    retry: Retry,
}

impl OidcClient {
    /// A client for `base` (scheme and host, no trailing slash) over a shared HTTP client.
    pub fn new(http: reqwest::Client, base: impl Into<String>) -> Self {
        OidcClient {
            http,
            base: base.into().trim_end_matches('/').to_owned(),
            retry: Retry::default(),
        }
    }

    /// With another retry policy or jitter (tests).
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// The endpoint's base URL (also the authorize page's base).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// RegisterClient.
    pub async fn register_client(
        &self,
        req: &RegisterClientRequest,
    ) -> Result<RegisterClientResponse, OidcError> {
        self.call("RegisterClient", "/client/register", req).await
    }

    /// StartDeviceAuthorization.
    pub async fn start_device_authorization(
        &self,
        req: &StartDeviceAuthorizationRequest,
    ) -> Result<StartDeviceAuthorizationResponse, OidcError> {
        self.call("StartDeviceAuthorization", "/device_authorization", req)
            .await
    }

    /// CreateToken.
    pub async fn create_token(
        &self,
        req: &CreateTokenRequest,
    ) -> Result<CreateTokenResponse, OidcError> {
        self.call("CreateToken", "/token", req).await
    }

    async fn call<Req: Serialize, Resp: answer::Checked>(
        &self,
        operation: &'static str,
        path: &str,
        req: &Req,
    ) -> Result<Resp, OidcError> {
        let body = serde_json::to_vec(req).map_err(|e| OidcError::Unexpected {
            operation,
            endpoint: self.base.clone(),
            status: 0,
            reason: format!("cannot encode the request: {e}"),
        })?;
        self.retry
            .run(
                operation,
                || self.attempt(operation, path, body.clone()),
                OidcError::retryable,
            )
            .await
    }

    async fn attempt<Resp: answer::Checked>(
        &self,
        operation: &'static str,
        path: &str,
        body: Vec<u8>,
    ) -> Result<Resp, OidcError> {
        tracing::debug!(operation, endpoint = %self.base, "OIDC call");
        let transport = |source| OidcError::Transport {
            endpoint: self.base.clone(),
            failure: Box::new(NetFailure::from_reqwest(source, &self.base)),
        };
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        let error_type = resp
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = read_limited(resp, SMALL_BODY_LIMIT)
            .await
            .map_err(|e| match e {
                BodyError::Transport(source) => transport(source),
                BodyError::TooLarge(limit) => OidcError::Unexpected {
                    operation,
                    endpoint: self.base.clone(),
                    status,
                    reason: BodyError::too_large(limit),
                },
            })?;
        answer::judge(operation, &self.base, status, error_type.as_deref(), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_serialize_secrets_only_where_the_wire_needs_them() {
        let req = CreateTokenRequest {
            client_id: "cid".into(),
            client_secret: Secret::new("cs"),
            grant_type: GRANT_REFRESH_TOKEN.into(),
            refresh_token: Some(Secret::new("rt")),
            ..Default::default()
        };
        let json = serde_json::to_string(&req).expect("encode");
        assert_eq!(
            json,
            r#"{"clientId":"cid","clientSecret":"cs","grantType":"refresh_token","refreshToken":"rt"}"#
        );
        let debug = format!("{req:?}");
        assert!(
            !debug.contains("\"cs\"") && !debug.contains("\"rt\""),
            "{debug}"
        );
    }

    #[test]
    fn error_kinds_come_from_the_body_or_the_header() {
        assert_eq!(
            OidcErrorKind::from_code("authorization_pending"),
            OidcErrorKind::AuthorizationPending
        );
        assert_eq!(
            OidcErrorKind::from_exception(
                "SlowDownException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"
            ),
            Some(OidcErrorKind::SlowDown)
        );
        assert_eq!(OidcErrorKind::from_code("weird").code(), "weird");
    }
}
