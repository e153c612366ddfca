//! The browser pages: `/authorize` (Approve / Deny for the authorization-code flow), the device
//! verification page `/device`, and a small index at `/`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::errors::ApiError;
use crate::form::parse_form;
use crate::html::{escape, layout};
use crate::ids;
use crate::state::{AuthCode, PendingAuthorize, Shared};
use crate::urls::redirect_matches;

/// Authorization codes are good for 5 minutes; an open Approve/Deny page for 10.
const CODE_TTL_MS: i64 = 300_000;
const PENDING_TTL_MS: i64 = 600_000;

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// `redirect_uri` with query parameters appended.
fn with_params(uri: &str, params: &[(&str, &str)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        ser.append_pair(k, v);
    }
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{}", ser.finish())
}

fn error_redirect(uri: &str, error: &str, desc: &str, state: Option<&str>) -> Response {
    let mut p = vec![("error", error), ("error_description", desc)];
    if let Some(s) = state {
        p.push(("state", s));
    }
    redirect(&with_params(uri, &p))
}

fn issue_code(sh: &Shared, p: &PendingAuthorize) -> String {
    let code = ids::opaque(48);
    let now = sh.clock.now_ms();
    sh.lock().codes.insert(
        code.clone(),
        AuthCode {
            client_id: p.client_id.clone(),
            redirect_uri: p.redirect_uri.clone(),
            challenge: p.challenge.clone(),
            expires_ms: now + CODE_TTL_MS,
            used: false,
        },
    );
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = p.state.as_deref() {
        params.push(("state", s));
    }
    with_params(&p.redirect_uri, &params)
}

/// `GET /authorize`: validates the request, then shows Approve / Deny (or, with
/// `--auto-approve`, redirects with a code at once).
pub(crate) async fn authorize(
    State(sh): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    sh.count("Authorize");
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let get = |k: &str| q.get(k).map(String::as_str).filter(|s| !s.is_empty());
    let Some(client_id) = get("client_id") else {
        return Err(ApiError::page(400, "The request has no client_id."));
    };
    let Some(redirect_uri) = get("redirect_uri") else {
        return Err(ApiError::page(400, "The request has no redirect_uri."));
    };
    let client = sh.lock().clients.get(client_id).cloned();
    let Some(client) = client else {
        return Err(ApiError::page(
            400,
            "This application is not registered (unknown client_id).",
        ));
    };
    // Never redirect to a URI the client did not register: show an error page instead.
    if !client
        .redirect_uris
        .iter()
        .any(|r| redirect_matches(r, redirect_uri))
    {
        return Err(ApiError::page(
            400,
            format!("redirect_uri {redirect_uri} does not match any redirect URI registered by this client."),
        ));
    }
    let state = get("state");
    if get("response_type") != Some("code") {
        return Ok(error_redirect(
            redirect_uri,
            "unsupported_response_type",
            "response_type must be code",
            state,
        ));
    }
    if !client.allows("authorization_code") {
        return Ok(error_redirect(
            redirect_uri,
            "unauthorized_client",
            "Client is not registered for the authorization_code grant",
            state,
        ));
    }
    let Some(challenge) = get("code_challenge") else {
        return Ok(error_redirect(
            redirect_uri,
            "invalid_request",
            "code_challenge is required",
            state,
        ));
    };
    if get("code_challenge_method") != Some("S256") {
        return Ok(error_redirect(
            redirect_uri,
            "invalid_request",
            "code_challenge_method must be S256",
            state,
        ));
    }
    let scopes = get("scopes")
        .or(get("scope"))
        .unwrap_or_default()
        .to_owned();
    let now = sh.clock.now_ms();
    let pending = PendingAuthorize {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        state: state.map(str::to_owned),
        challenge: challenge.to_owned(),
        expires_ms: now + PENDING_TTL_MS,
    };
    if sh.cfg.auto_approve {
        return Ok(redirect(&issue_code(&sh, &pending)));
    }
    let request = ids::opaque(24);
    sh.lock().pending.insert(request.clone(), pending);
    let scope_list = if scopes.is_empty() {
        "<li>(no scopes)</li>".to_owned()
    } else {
        scopes
            .split(' ')
            .map(|s| format!("<li><code>{}</code></li>", escape(s)))
            .collect()
    };
    let body = format!(
        "<h1>Allow access?</h1>\
         <p><strong id=\"client-name\">{name}</strong> is asking to sign in to IAM Identity Center as \
         <strong>{user}</strong>.</p>\
         <p>Scopes:</p><ul id=\"scopes\">{scope_list}</ul>\
         <p class=\"muted\">It will be sent back to <code>{redirect}</code>.</p>\
         <form method=\"post\" action=\"/authorize\">\
         <input type=\"hidden\" name=\"request\" value=\"{request}\">\
         <button class=\"primary\" type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\
         </form>",
        name = escape(&client.name),
        user = escape(&sh.lock().directory.user_name),
        redirect = escape(redirect_uri),
    );
    Ok(Html(layout("Allow access?", &body)).into_response())
}

/// `POST /authorize`: the Approve / Deny buttons.
pub(crate) async fn authorize_decision(
    State(sh): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = parse_form(&body);
    let request = form.get("request").map(String::as_str).unwrap_or_default();
    let now = sh.clock.now_ms();
    let pending = sh.lock().pending.remove(request);
    let Some(p) = pending.filter(|p| now < p.expires_ms) else {
        return Err(ApiError::page(
            400,
            "This sign-in request has expired or was already answered.",
        ));
    };
    match form.get("decision").map(String::as_str) {
        Some("approve") => Ok(redirect(&issue_code(&sh, &p))),
        _ => Ok(error_redirect(
            &p.redirect_uri,
            "access_denied",
            "The user denied the request",
            p.state.as_deref(),
        )),
    }
}

/// Normalises what a person types as a user code: case, spaces, a missing dash.
fn normalise_user_code(s: &str) -> String {
    let letters: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if letters.len() == 8 {
        format!("{}-{}", &letters[..4], &letters[4..])
    } else {
        letters
    }
}

/// `GET /device`: the verification page; asks for (or shows) the user code.
pub(crate) async fn device_page(State(sh): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let code = q
        .get("user_code")
        .map(|c| normalise_user_code(c))
        .unwrap_or_default();
    let client_line = {
        let inner = sh.lock();
        inner
            .user_codes
            .get(&code)
            .and_then(|dc| inner.devices.get(dc))
            .and_then(|d| inner.clients.get(&d.client_id))
            .map(|c| {
                format!(
                    "<p><strong id=\"client-name\">{}</strong> is asking to sign in.</p>",
                    escape(&c.name)
                )
            })
            .unwrap_or_default()
    };
    let body = format!(
        "<h1>Authorize request</h1>{client_line}\
         <p>Check that this code matches the one your application shows.</p>\
         <form method=\"post\" action=\"/device\">\
         <p><label>Code <input name=\"user_code\" id=\"user-code\" value=\"{code}\" autocomplete=\"off\"></label></p>\
         <button class=\"primary\" type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\
         </form>",
        code = escape(&code)
    );
    Html(layout("Authorize request", &body)).into_response()
}

/// `POST /device`: approves or denies a user code.
pub(crate) async fn device_decision(
    State(sh): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = parse_form(&body);
    let code = normalise_user_code(
        form.get("user_code")
            .map(String::as_str)
            .unwrap_or_default(),
    );
    let approve = form.get("decision").map(String::as_str) == Some("approve");
    sh.set_device_decision(&code, approve)
        .map_err(|m| ApiError::page(400, m))?;
    let body = if approve {
        "<h1 id=\"result\">Request approved</h1><p>You can close this window and return to your application.</p>"
    } else {
        "<h1 id=\"result\">Request denied</h1><p>The application was not given access.</p>"
    };
    Ok(Html(layout("Authorize request", body)).into_response())
}

/// `GET /` without an STS `Action`: what this server is.
pub(crate) fn index(sh: &Shared) -> Response {
    let inner = sh.lock();
    let (accounts, assignments) = inner.directory.counts();
    drop(inner);
    let body = format!(
        "<h1>IAM Identity Center emulator</h1>\
         <p>{accounts} accounts, {assignments} role assignments.</p>\
         <ul><li>OIDC: <code>POST /client/register</code>, <code>POST /device_authorization</code>, <code>POST /token</code></li>\
         <li>Browser: <code>GET /authorize</code>, <a href=\"/device\">/device</a></li>\
         <li>Portal: <code>/federation/credentials</code>, <code>/assignment/accounts</code>, <code>/assignment/roles</code>, <code>/logout</code></li>\
         <li>Console: <code>/federation?Action=getSigninToken|login</code></li>\
         <li>STS: <code>Action=GetCallerIdentity</code> at <code>/</code></li>\
         <li>Admin: <a href=\"/_emulator/state\">/_emulator/state</a></li></ul>"
    );
    Html(layout("IAM Identity Center emulator", &body)).into_response()
}
