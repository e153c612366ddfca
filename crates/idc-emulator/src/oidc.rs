//! SSO OIDC (`sso-oidc`, rest-json): RegisterClient, StartDeviceAuthorization and CreateToken with
//! the device_code, authorization_code (PKCE S256) and refresh_token grants.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::ids;
use crate::state::{
    AccessToken, Client, Device, DeviceStatus, Family, Inner, RefreshToken, Shared, SignIn, GRANTS,
};

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

/// The parts of a URL the emulator cares about.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    pub(crate) scheme: &'a str,
    pub(crate) host: &'a str,
    pub(crate) port: Option<&'a str>,
    pub(crate) rest: &'a str,
}

/// Splits `scheme://host[:port]rest`; None when it is not an absolute http(s) URL.
pub(crate) fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
        let close = stripped.find(']')?;
        let host = &authority[..close + 2];
        let tail = &stripped[close + 1..];
        (host, tail.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty()
        || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(UrlParts {
        scheme,
        host,
        port,
        rest,
    })
}

fn is_loopback_host(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// Redirect URI matching: exact, except that a loopback http URI matches on any port (RFC 8252
/// §7.3), which the AWS CLI relies on: it registers `http://127.0.0.1/oauth/callback`.
pub(crate) fn redirect_matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let (Some(a), Some(b)) = (split_url(registered), split_url(requested)) else {
        return false;
    };
    a.scheme.eq_ignore_ascii_case("http")
        && b.scheme.eq_ignore_ascii_case("http")
        && is_loopback_host(a.host)
        && a.host.eq_ignore_ascii_case(b.host)
        && a.rest == b.rest
}

fn valid_redirect_uri(uri: &str) -> bool {
    match split_url(uri) {
        Some(p) if p.scheme.eq_ignore_ascii_case("https") => true,
        Some(p) => is_loopback_host(p.host),
        None => false,
    }
}

/// The PKCE S256 check: base64url(SHA-256(verifier)) without padding equals the challenge.
pub(crate) fn pkce_ok(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
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

/// Starts a sign-in for `client_id` and issues its first tokens.
fn sign_in_and_issue(
    sh: &Shared,
    inner: &mut Inner,
    client_id: &str,
    client: &Client,
    now: i64,
) -> Value {
    let id = inner.next_sign_in;
    inner.next_sign_in += 1;
    inner.sign_ins.insert(
        id,
        SignIn {
            client_id: client_id.to_owned(),
            started_ms: now,
            revoked: false,
        },
    );
    issue(sh, inner, id, client_id, client, now)
}

fn issue(
    sh: &Shared,
    inner: &mut Inner,
    sign_in: u64,
    client_id: &str,
    client: &Client,
    now: i64,
) -> Value {
    let ttl = i64::try_from(sh.cfg.token_ttl).unwrap_or(i64::MAX / 4000);
    let access = ids::token("aoa");
    inner.access.insert(
        access.clone(),
        AccessToken {
            sign_in,
            expires_ms: now + ttl * 1000,
            revoked: false,
        },
    );
    inner.stats.tokens_issued += 1;
    inner.maybe_prune(now);
    let mut out = json!({
        "accessToken": access,
        "tokenType": "Bearer",
        "expiresIn": ttl,
    });
    // As the service does: refresh tokens only for clients registered with scopes.
    let scoped = !client.scopes.is_empty() || sh.cfg.legacy_refresh_tokens;
    if !sh.cfg.no_refresh && scoped && client.allows("refresh_token") {
        let refresh = ids::token("aor");
        inner.refresh.insert(
            refresh.clone(),
            RefreshToken {
                sign_in,
                client_id: client_id.to_owned(),
            },
        );
        out["refreshToken"] = Value::String(refresh);
    }
    out
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

fn device_grant(
    sh: &Shared,
    inner: &mut Inner,
    client: &Client,
    client_id: &str,
    code: &str,
    now: i64,
) -> Result<Value, ApiError> {
    let approve_after = sh.cfg.device_approve_after;
    let Some(d) = inner.devices.get_mut(code) else {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid device code provided",
        ));
    };
    if d.client_id != client_id {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid device code provided",
        ));
    }
    if d.status == DeviceStatus::Used {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Device code has already been used",
        ));
    }
    if now >= d.expires_ms {
        return Err(ApiError::oidc("ExpiredToken", "Device code has expired"));
    }
    // Polling faster than the interval earns slow_down (with a little slack for timer jitter).
    if let Some(last) = d.last_poll_ms {
        if now - last < d.interval_s * 1000 - 100 {
            d.last_poll_ms = Some(now);
            return Err(ApiError::oidc("SlowDown", "Client is polling too quickly"));
        }
    }
    d.last_poll_ms = Some(now);
    d.polls += 1;
    if d.status == DeviceStatus::Pending && approve_after >= 0 && i64::from(d.polls) > approve_after
    {
        d.status = DeviceStatus::Approved;
    }
    match d.status {
        DeviceStatus::Pending => Err(ApiError::oidc(
            "AuthorizationPending",
            "Authorization is still pending",
        )),
        DeviceStatus::Denied => Err(ApiError::oidc(
            "AccessDenied",
            "The user denied the authorization request",
        )),
        _ => {
            d.status = DeviceStatus::Used;
            let user_code = d.user_code.clone();
            inner.user_codes.remove(&user_code);
            Ok(sign_in_and_issue(sh, inner, client_id, client, now))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn code_grant(
    sh: &Shared,
    inner: &mut Inner,
    client: &Client,
    client_id: &str,
    code: &str,
    redirect: Option<&str>,
    verifier: Option<&str>,
    now: i64,
) -> Result<Value, ApiError> {
    let Some(c) = inner.codes.get_mut(code) else {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid authorization code provided",
        ));
    };
    if c.client_id != client_id {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid authorization code provided",
        ));
    }
    if c.used {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Authorization code has already been used",
        ));
    }
    // One attempt per code: whatever happens next, the code is spent.
    c.used = true;
    if now >= c.expires_ms {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Authorization code has expired",
        ));
    }
    let Some(redirect) = redirect else {
        return Err(ApiError::invalid_request(
            "Invalid request: redirectUri is required",
        ));
    };
    if redirect != c.redirect_uri {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "redirectUri does not match the one used to authorize",
        ));
    }
    let Some(verifier) = verifier else {
        return Err(ApiError::invalid_request(
            "Invalid request: codeVerifier is required",
        ));
    };
    if !pkce_ok(verifier, &c.challenge) {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Code verifier does not match the code challenge",
        ));
    }
    Ok(sign_in_and_issue(sh, inner, client_id, client, now))
}

fn refresh_grant(
    sh: &Shared,
    inner: &mut Inner,
    client: &Client,
    client_id: &str,
    token: &str,
    now: i64,
) -> Result<Value, ApiError> {
    let Some(r) = inner.refresh.get(token) else {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid refresh token provided",
        ));
    };
    if r.client_id != client_id {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid refresh token provided",
        ));
    }
    let sign_in = r.sign_in;
    let Some(s) = inner.sign_ins.get(&sign_in) else {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid refresh token provided",
        ));
    };
    if s.revoked || s.client_id != client_id {
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Invalid refresh token provided",
        ));
    }
    let ttl_ms = i64::try_from(sh.cfg.session_ttl).unwrap_or(i64::MAX / 4000) * 1000;
    if now >= s.started_ms + ttl_ms {
        inner.refresh.remove(token);
        return Err(ApiError::oidc(
            "InvalidGrant",
            "Refresh token has expired: the session has ended",
        ));
    }
    // Rotation: the old refresh token stops working.
    inner.refresh.remove(token);
    Ok(issue(sh, inner, sign_in, client_id, client, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_match_any_port() {
        let reg = "http://127.0.0.1/oauth/callback";
        assert!(redirect_matches(
            reg,
            "http://127.0.0.1:54321/oauth/callback"
        ));
        assert!(redirect_matches(reg, reg));
        assert!(!redirect_matches(reg, "http://127.0.0.1:54321/other"));
        assert!(!redirect_matches(
            reg,
            "http://localhost:54321/oauth/callback"
        ));
        assert!(!redirect_matches(
            reg,
            "https://127.0.0.1:54321/oauth/callback"
        ));
        assert!(!redirect_matches(
            "https://app.example/cb",
            "https://app.example:8443/cb"
        ));
        assert!(redirect_matches("http://[::1]/cb", "http://[::1]:9/cb"));
    }

    #[test]
    fn redirect_uri_validation() {
        assert!(valid_redirect_uri("http://127.0.0.1/oauth/callback"));
        assert!(valid_redirect_uri("https://example.com/cb"));
        assert!(!valid_redirect_uri("http://example.com/cb"));
        assert!(!valid_redirect_uri("ftp://127.0.0.1/cb"));
        assert!(!valid_redirect_uri("http://user@127.0.0.1/cb"));
    }

    #[test]
    fn pkce_s256() {
        // RFC 7636 appendix B.
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let c = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_ok(v, c));
        assert!(!pkce_ok(&v.replace('d', "e"), c));
        assert!(!pkce_ok("short", c));
    }
}
