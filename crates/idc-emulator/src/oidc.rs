//! SSO OIDC (`sso-oidc`, rest-json): RegisterClient, StartDeviceAuthorization and CreateToken with
//! the device_code, authorization_code (PKCE S256) and refresh_token grants.

mod grants;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::ids;
use crate::state::{Client, Device, DeviceStatus, Family, Inner, Shared, GRANTS};
use crate::urls::{split_url, valid_redirect_uri};
use grants::{code_grant, device_grant, refresh_grant};

/// Client registrations last 90 days, as the service's do.
const REGISTRATION_TTL_S: i64 = 90 * 24 * 3600;
/// Device authorizations last 10 minutes.
pub(crate) const DEVICE_TTL_S: i64 = 600;
/// Suggested polling interval in seconds.
pub(crate) const DEVICE_INTERVAL_S: i64 = 1;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

type Obj = Map<String, Value>;

/// Parses a JSON object body; anything else is an InvalidRequestException.
pub(crate) fn parse_body(body: &[u8]) -> Result<Obj, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Obj::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(ApiError::invalid_request(
            "Request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::invalid_request(format!(
            "Malformed JSON request body: {e}"
        ))),
    }
}

fn opt_str<'a>(o: &'a Obj, key: &str) -> Result<Option<&'a str>, ApiError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid_request(format!("{key} must be a string"))),
    }
}

fn req_str<'a>(o: &'a Obj, key: &str) -> Result<&'a str, ApiError> {
    match opt_str(o, key)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(ApiError::invalid_request(format!(
            "Invalid request: {key} is required"
        ))),
    }
}

fn opt_list(o: &Obj, key: &str) -> Result<Vec<String>, ApiError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    ApiError::invalid_request(format!("{key} must be a list of strings"))
                })
            })
            .collect(),
        Some(_) => Err(ApiError::invalid_request(format!(
            "{key} must be a list of strings"
        ))),
    }
}

/// Checks a client's id and secret; every failure is a 401 InvalidClientException.
pub(crate) fn authenticate(
    inner: &Inner,
    client_id: &str,
    secret: &str,
    now_s: i64,
) -> Result<Client, ApiError> {
    let Some(c) = inner.clients.get(client_id) else {
        return Err(ApiError::oidc("InvalidClient", "Invalid client provided"));
    };
    if c.secret != secret {
        return Err(ApiError::oidc(
            "InvalidClient",
            "Client authentication failed",
        ));
    }
    if now_s >= c.secret_expires_at {
        return Err(ApiError::oidc(
            "InvalidClient",
            "Client registration has expired",
        ));
    }
    Ok(c.clone())
}

fn json_ok(v: Value) -> Response {
    Json(v).into_response()
}

/// `POST /client/register`
pub(crate) async fn register_client(
    State(sh): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    sh.gate("RegisterClient", Family::Oidc).await?;
    let o = parse_body(&body)?;
    let name = req_str(&o, "clientName")?.to_owned();
    let client_type = req_str(&o, "clientType")?;
    if client_type != "public" {
        return Err(ApiError::oidc(
            "InvalidClientMetadata",
            format!("Invalid client type: {client_type}"),
        ));
    }
    let scopes = opt_list(&o, "scopes")?;
    if let Some(bad) = scopes
        .iter()
        .find(|s| s.is_empty() || s.chars().any(char::is_whitespace))
    {
        return Err(ApiError::oidc(
            "InvalidScope",
            format!("Invalid scope: {bad:?}"),
        ));
    }
    let redirect_uris = opt_list(&o, "redirectUris")?;
    if let Some(bad) = redirect_uris.iter().find(|u| !valid_redirect_uri(u)) {
        return Err(ApiError::oidc(
            "InvalidRedirectUri",
            format!("Invalid redirect URI: {bad}"),
        ));
    }
    let grant_types = opt_list(&o, "grantTypes")?;
    if let Some(bad) = grant_types.iter().find(|g| {
        !matches!(
            g.as_str(),
            "authorization_code" | "refresh_token" | DEVICE_GRANT
        )
    }) {
        return Err(ApiError::oidc(
            "UnsupportedGrantType",
            format!("Unsupported grant type: {bad}"),
        ));
    }
    if grant_types.iter().any(|g| g == "authorization_code") && redirect_uris.is_empty() {
        return Err(ApiError::invalid_request(
            "redirectUris is required for the authorization_code grant",
        ));
    }
    if let Some(issuer) = opt_str(&o, "issuerUrl")? {
        if !split_url(issuer).is_some_and(|p| p.scheme.eq_ignore_ascii_case("https")) {
            return Err(ApiError::invalid_request(format!(
                "Invalid issuer URL: {issuer}"
            )));
        }
        sh.lock().stats.issuer_urls.push(issuer.to_owned());
    }
    let now = sh.clock.now_secs();
    let client_id = ids::client_id();
    let secret = ids::client_secret();
    let expires = now + REGISTRATION_TTL_S;
    sh.lock().clients.insert(
        client_id.clone(),
        Client {
            name,
            secret: secret.clone(),
            secret_expires_at: expires,
            scopes,
            redirect_uris,
            grant_types,
        },
    );
    Ok(json_ok(json!({
        "clientId": client_id,
        "clientSecret": secret,
        "clientIdIssuedAt": now,
        "clientSecretExpiresAt": expires,
    })))
}

/// `POST /device_authorization`
pub(crate) async fn start_device_authorization(
    State(sh): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    sh.gate("StartDeviceAuthorization", Family::Oidc).await?;
    let o = parse_body(&body)?;
    let client_id = req_str(&o, "clientId")?;
    let secret = req_str(&o, "clientSecret")?;
    let start_url = req_str(&o, "startUrl")?;
    if !split_url(start_url).is_some_and(|p| p.scheme.eq_ignore_ascii_case("https")) {
        return Err(ApiError::invalid_request(format!(
            "Invalid start URL: {start_url}"
        )));
    }
    let now = sh.clock.now_ms();
    let mut inner = sh.lock();
    inner.stats.device_start_urls.push(start_url.to_owned());
    let client = authenticate(&inner, client_id, secret, now.div_euclid(1000))?;
    if !client.allows("device_code") {
        return Err(ApiError::oidc(
            "UnauthorizedClient",
            "Client is not authorized for the device code grant",
        ));
    }
    let device_code = ids::device_code();
    let mut user_code = ids::user_code();
    while inner.user_codes.contains_key(&user_code) {
        user_code = ids::user_code();
    }
    inner.devices.insert(
        device_code.clone(),
        Device {
            client_id: client_id.to_owned(),
            user_code: user_code.clone(),
            expires_ms: now + DEVICE_TTL_S * 1000,
            interval_s: DEVICE_INTERVAL_S,
            last_poll_ms: None,
            polls: 0,
            status: DeviceStatus::Pending,
        },
    );
    inner
        .user_codes
        .insert(user_code.clone(), device_code.clone());
    drop(inner);
    let base = sh.base_url();
    Ok(json_ok(json!({
        "deviceCode": device_code,
        "userCode": user_code,
        "verificationUri": format!("{base}/device"),
        "verificationUriComplete": format!("{base}/device?user_code={user_code}"),
        "expiresIn": DEVICE_TTL_S,
        "interval": DEVICE_INTERVAL_S,
    })))
}

/// `POST /token`
pub(crate) async fn create_token(
    State(sh): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    sh.gate("CreateToken", Family::Oidc).await?;
    let o = parse_body(&body)?;
    let grant = opt_str(&o, "grantType")?;
    let short = match grant {
        Some(DEVICE_GRANT) => Some(0),
        Some("authorization_code") => Some(1),
        Some("refresh_token") => Some(2),
        _ => None,
    };
    if let Some(i) = short {
        sh.lock().stats.create_token[i] += 1;
    }
    let client_id = req_str(&o, "clientId")?;
    let secret = req_str(&o, "clientSecret")?;
    let grant = req_str(&o, "grantType")?;
    let Some(gi) = short else {
        return Err(ApiError::oidc(
            "UnsupportedGrantType",
            format!("Unsupported grant type: {grant}"),
        ));
    };
    let now = sh.clock.now_ms();
    let mut inner = sh.lock();
    let client = authenticate(&inner, client_id, secret, now.div_euclid(1000))?;
    if !client.allows(GRANTS[gi]) {
        return Err(ApiError::oidc(
            "UnauthorizedClient",
            format!("Client is not authorized for the {} grant", GRANTS[gi]),
        ));
    }
    let out = match gi {
        0 => {
            let code = req_str(&o, "deviceCode")?;
            device_grant(&sh, &mut inner, &client, client_id, code, now)?
        }
        1 => {
            let code = req_str(&o, "code")?;
            let redirect = opt_str(&o, "redirectUri")?;
            let verifier = opt_str(&o, "codeVerifier")?;
            code_grant(
                &sh, &mut inner, &client, client_id, code, redirect, verifier, now,
            )?
        }
        _ => {
            let token = req_str(&o, "refreshToken")?;
            refresh_grant(&sh, &mut inner, &client, client_id, token, now)?
        }
    };
    Ok(json_ok(out))
}
