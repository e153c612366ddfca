//! The admin API under `/_emulator/`: counters for tests, and knobs tests turn instead of sleeping
//! (approve a device code, expire a token, change assignments, inject faults, reset, advance the
//! clock).
//!
//! Faults: `POST /_emulator/faults?throttle_every=N` makes every Nth portal request answer 429
//! `TooManyRequestsException` (0 = off); `fail_rate=P` makes OIDC and portal requests answer
//! 500 with probability P (decided by an RNG seeded from `--seed`, so a run repeats);
//! `reset` clears both. They can be combined in one call.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::data::parse_account_id;
use crate::errors::ApiError;
use crate::form::parse_form;
use crate::state::Shared;

/// `GET /_emulator/state`
pub(crate) async fn state(State(sh): State<Arc<Shared>>) -> Response {
    let v = sh.lock().stats.to_json();
    Json(v).into_response()
}

/// `HEAD|GET /_emulator/vanity?to=URL[&status=302][&head=405]`: plays a vanity start URL's host —
/// redirects to `to` with `status` (302 unless given); with `head=405` a HEAD is refused so the
/// client must fall back to GET.
pub(crate) async fn vanity(method: axum::http::Method, RawQuery(q): RawQuery) -> Response {
    let q = parse_form(q.unwrap_or_default().as_bytes());
    if method == axum::http::Method::HEAD && q.get("head").map(String::as_str) == Some("405") {
        return axum::http::StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let status = q
        .get("status")
        .and_then(|s| s.parse::<u16>().ok())
        .and_then(|s| axum::http::StatusCode::from_u16(s).ok())
        .unwrap_or(axum::http::StatusCode::FOUND);
    match q.get("to") {
        Some(to) => (status, [(axum::http::header::LOCATION, to.clone())]).into_response(),
        None => (
            axum::http::StatusCode::OK,
            "a page that is not Identity Center",
        )
            .into_response(),
    }
}

/// `POST /_emulator/approve?user_code=`
pub(crate) async fn approve(
    State(sh): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let code = q
        .get("user_code")
        .ok_or_else(|| ApiError::admin(400, "user_code is required"))?;
    sh.set_device_decision(code, true)
        .map_err(|m| ApiError::admin(404, m))?;
    Ok(Json(json!({ "approved": code })).into_response())
}

/// `POST /_emulator/expire?access_token=` (also `device_code=` or `client_id=`): makes it expired
/// now, as if its lifetime had run out.
pub(crate) async fn expire(
    State(sh): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let now = sh.clock.now_ms();
    let mut inner = sh.lock();
    if let Some(t) = q.get("access_token") {
        let tok = inner
            .access
            .get_mut(t)
            .ok_or_else(|| ApiError::admin(404, "no such access token"))?;
        tok.expires_ms = tok.expires_ms.min(now);
        return Ok(Json(json!({ "expired": "access_token" })).into_response());
    }
    if let Some(d) = q.get("device_code") {
        let dev = inner
            .devices
            .get_mut(d)
            .ok_or_else(|| ApiError::admin(404, "no such device code"))?;
        dev.expires_ms = dev.expires_ms.min(now);
        return Ok(Json(json!({ "expired": "device_code" })).into_response());
    }
    if let Some(c) = q.get("client_id") {
        let client = inner
            .clients
            .get_mut(c)
            .ok_or_else(|| ApiError::admin(404, "no such client"))?;
        client.secret_expires_at = client.secret_expires_at.min(now.div_euclid(1000));
        return Ok(Json(json!({ "expired": "client_id" })).into_response());
    }
    Err(ApiError::admin(
        400,
        "one of access_token, device_code or client_id is required",
    ))
}

fn entries<'a>(
    body: &'a Value,
    key: &str,
) -> Result<Vec<&'a serde_json::Map<String, Value>>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|e| {
                e.as_object()
                    .ok_or_else(|| ApiError::admin(400, format!("{key}: entries must be objects")))
            })
            .collect(),
        Some(_) => Err(ApiError::admin(400, format!("{key} must be a list"))),
    }
}

fn account_of(e: &serde_json::Map<String, Value>) -> Result<u64, ApiError> {
    let raw = e
        .get("account_id")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::admin(400, "account_id (a 12-digit string) is required"))?;
    parse_account_id(raw).ok_or_else(|| ApiError::admin(400, format!("invalid account_id {raw}")))
}

/// `POST /_emulator/assignments` with `{"remove":[{"account_id","role_name"?}],"add":[{"account_id",
/// "role_name","account_name"?,"email"?}]}`.
pub(crate) async fn assignments(
    State(sh): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::admin(400, format!("body must be JSON: {e}")))?;
    let remove = entries(&body, "remove")?;
    let add = entries(&body, "add")?;
    // Validate everything before changing anything.
    let mut removals = Vec::new();
    for e in remove {
        let role = e.get("role_name").and_then(Value::as_str);
        removals.push((account_of(e)?, role));
    }
    let mut additions = Vec::new();
    for e in add {
        let role = e
            .get("role_name")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| ApiError::admin(400, "add: role_name is required"))?;
        additions.push((
            account_of(e)?,
            role,
            e.get("account_name").and_then(Value::as_str),
            e.get("email").and_then(Value::as_str),
        ));
    }
    let mut inner = sh.lock();
    let removed: usize = removals
        .iter()
        .map(|(a, r)| inner.directory.remove(*a, *r))
        .sum();
    let added = additions
        .iter()
        .filter(|(a, r, n, e)| inner.directory.add(*a, r, *n, *e))
        .count();
    let (accounts, total) = inner.directory.counts();
    Ok(Json(json!({
        "removed": removed,
        "added": added,
        "accounts": accounts,
        "assignments": total,
    }))
    .into_response())
}

/// `POST /_emulator/faults?throttle_every=N&fail_rate=P` or `?reset`: see the module comment.
/// Answers the faults now in force.
pub(crate) async fn faults(
    State(sh): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let every = match q.get("throttle_every") {
        Some(n) => Some(n.parse::<u64>().map_err(|_| {
            ApiError::admin(400, "throttle_every must be a whole number (0 = off)")
        })?),
        None => None,
    };
    let rate = match q.get("fail_rate") {
        Some(p) => Some(
            p.parse::<f64>()
                .ok()
                .filter(|p| (0.0..=1.0).contains(p))
                .ok_or_else(|| ApiError::admin(400, "fail_rate must be between 0 and 1"))?,
        ),
        None => None,
    };
    let reset = q.contains_key("reset");
    if every.is_none() && rate.is_none() && !reset {
        return Err(ApiError::admin(
            400,
            "one of throttle_every, fail_rate or reset is required",
        ));
    }
    let mut inner = sh.lock();
    if reset {
        inner.faults = crate::state::Faults::default();
    }
    if let Some(n) = every {
        inner.faults.throttle_every = n;
        inner.faults.portal_seen = 0;
    }
    if rate.is_some() {
        inner.faults.fail_rate = rate;
    }
    Ok(Json(json!({
        "throttle_every": inner.faults.throttle_every,
        "fail_rate": inner.faults.fail_rate.unwrap_or(sh.cfg.fail_rate),
    }))
    .into_response())
}

/// `POST /_emulator/reset`
pub(crate) async fn reset(State(sh): State<Arc<Shared>>) -> Response {
    sh.reset();
    Json(json!({ "reset": true })).into_response()
}

/// `POST /_emulator/forget`: the service forgets every client registration, sign-in and token
/// (an instance replaced, registrations revoked, the demo's emulator restarted); the accounts,
/// the clock and the counters stay. Clients then get `invalid_client`, tokens HTTP 401.
pub(crate) async fn forget(State(sh): State<Arc<Shared>>) -> Response {
    sh.forget();
    Json(json!({ "forgotten": true })).into_response()
}

/// `POST /_emulator/advance?seconds=N`: moves the emulator's clock forward by N seconds.
pub(crate) async fn advance(
    State(sh): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let secs: i64 = q
        .get("seconds")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::admin(400, "seconds (an integer) is required"))?;
    sh.clock.advance(secs);
    Ok(Json(json!({ "now": sh.clock.now_secs() })).into_response())
}
