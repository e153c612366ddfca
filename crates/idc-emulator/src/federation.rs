//! Console federation (`signin` endpoint): `GET /federation?Action=getSigninToken` turns role
//! credentials into a sign-in token; `Action=login` lands on a page naming the account and role.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::form::parse_form;
use crate::html::{escape, layout};
use crate::ids;
use crate::state::{Family, Shared, SigninToken};
use crate::sts::issued_credential;

/// A sign-in token (and so the login URL) is good for 15 minutes.
const SIGNIN_TOKEN_TTL_MS: i64 = 15 * 60 * 1000;

/// `GET /federation?Action=getSigninToken|login&...`
pub(crate) async fn federation(
    State(sh): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = parse_form(q.unwrap_or_default().as_bytes());
    match q.get("Action").map(String::as_str) {
        Some("getSigninToken") => get_signin_token(&sh, &q).await,
        Some("login") => login(&sh, &q).await,
        Some(other) => Err(ApiError::page(400, format!("Unknown Action {other}"))),
        None => Err(ApiError::page(400, "Action is required")),
    }
}

async fn get_signin_token(
    sh: &Shared,
    q: &std::collections::HashMap<String, String>,
) -> Result<Response, ApiError> {
    sh.gate("GetSigninToken", Family::Federation).await?;
    let session: Value = q
        .get("Session")
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or_else(|| {
            ApiError::page(
                400,
                "Session must be the JSON {sessionId, sessionKey, sessionToken}",
            )
        })?;
    let field = |k: &str| session.get(k).and_then(Value::as_str);
    let (Some(akid), Some(secret), Some(token)) = (
        field("sessionId"),
        field("sessionKey"),
        field("sessionToken"),
    ) else {
        return Err(ApiError::page(
            400,
            "Session must contain sessionId, sessionKey and sessionToken",
        ));
    };
    if let Some(d) = q.get("SessionDuration") {
        if !d.parse::<u32>().is_ok_and(|d| (900..=43_200).contains(&d)) {
            return Err(ApiError::page(
                400,
                "SessionDuration must be between 900 and 43200 seconds",
            ));
        }
    }
    let cred = issued_credential(sh, akid, Some(secret), Some(token))
        .map_err(|_| ApiError::page(400, "The credentials in Session are invalid or expired"))?;
    let signin = ids::opaque(192);
    let now = sh.clock.now_ms();
    sh.lock().signin_tokens.insert(
        signin.clone(),
        SigninToken {
            account: cred.account,
            role: cred.role,
            expires_ms: now + SIGNIN_TOKEN_TTL_MS,
        },
    );
    Ok(Json(json!({ "SigninToken": signin })).into_response())
}

async fn login(
    sh: &Shared,
    q: &std::collections::HashMap<String, String>,
) -> Result<Response, ApiError> {
    sh.gate("ConsoleLogin", Family::Federation).await?;
    let destination = q
        .get("Destination")
        .filter(|d| !d.is_empty())
        .ok_or_else(|| ApiError::page(400, "Destination is required"))?;
    let token = q
        .get("SigninToken")
        .ok_or_else(|| ApiError::page(400, "SigninToken is required"))?;
    let now = sh.clock.now_ms();
    let inner = sh.lock();
    let Some(t) = inner
        .signin_tokens
        .get(token)
        .filter(|t| now < t.expires_ms)
    else {
        return Err(ApiError::page(
            400,
            "This sign-in link is invalid or has expired.",
        ));
    };
    let account = inner.directory.get(t.account);
    let name = account.map(|a| a.name.to_string()).unwrap_or_default();
    let id = format!("{:012}", t.account);
    let body = format!(
        "<h1>AWS Management Console</h1>\
         <p>Signed in to account <strong id=\"account-name\">{name}</strong> \
         (<span id=\"account-id\">{id}</span>) as role <strong id=\"role-name\">{role}</strong>.</p>\
         <p>User: {user}</p>\
         <p>Destination: <code id=\"destination\">{dest}</code></p>\
         <p class=\"muted\">Issuer: {issuer}</p>",
        name = escape(&name),
        role = escape(&t.role),
        user = escape(&inner.directory.user_name),
        dest = escape(destination),
        issuer = escape(q.get("Issuer").map_or("(none)", String::as_str)),
    );
    drop(inner);
    Ok(Html(layout("AWS Management Console", &body)).into_response())
}
