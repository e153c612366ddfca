//! The SSO portal API (`sso`, rest-json): GetRoleCredentials, ListAccounts, ListAccountRoles and
//! Logout, authenticated by the bearer token in `x-amz-sso_bearer_token`.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::data::parse_account_id;
use crate::errors::ApiError;
use crate::form::parse_form;
use crate::ids;
use crate::state::{Credential, Family, Shared};

/// ListAccounts / ListAccountRoles page size when `max_result` is absent.
const DEFAULT_PAGE: usize = 20;

/// The header the portal takes its bearer token from.
pub(crate) const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// The sign-in behind the request's bearer token, or UnauthorizedException.
fn authorize(sh: &Shared, headers: &HeaderMap) -> Result<u64, ApiError> {
    let token = headers
        .get(BEARER_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::unauthorized)?;
    let now = sh.clock.now_ms();
    sh.lock()
        .sign_in_of(token, now)
        .ok_or_else(ApiError::unauthorized)
}

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::portal(400, "InvalidRequestException", msg)
}

fn page_size(q: &std::collections::HashMap<String, String>) -> Result<usize, ApiError> {
    match q.get("max_result") {
        None => Ok(DEFAULT_PAGE),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(invalid(format!(
                "1 validation error detected: Value '{s}' at 'maxResults' failed to satisfy \
                 constraint: Member must have value between 1 and 100"
            ))),
        },
    }
}

fn encode_token(kind: &str, pos: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{pos}:emulator"))
}

fn decode_token(kind: &str, tok: Option<&String>) -> Result<usize, ApiError> {
    let Some(tok) = tok else { return Ok(0) };
    URL_SAFE_NO_PAD
        .decode(tok)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            let mut p = s.split(':');
            (p.next() == Some(kind)).then_some(())?;
            let pos = p.next()?.parse().ok()?;
            (p.next() == Some("emulator")).then_some(pos)
        })
        .ok_or_else(|| invalid("Invalid pagination token"))
}

fn account_param(q: &std::collections::HashMap<String, String>) -> Result<u64, ApiError> {
    let raw = q
        .get("account_id")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("account_id is required"))?;
    parse_account_id(raw).ok_or_else(|| invalid(format!("Invalid account id: {raw}")))
}

fn forbidden() -> ApiError {
    ApiError::portal(403, "ForbiddenException", "No access")
}

/// `GET /federation/credentials?role_name=&account_id=`
pub(crate) async fn get_role_credentials(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    sh.gate("GetRoleCredentials", Family::Portal).await?;
    authorize(&sh, &headers)?;
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let role = q
        .get("role_name")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("role_name is required"))?;
    let account = account_param(&q)?;
    let now = sh.clock.now_ms();
    let ttl_ms = i64::try_from(sh.cfg.token_ttl).unwrap_or(i64::MAX / 4000) * 1000;
    let akid = ids::access_key_id();
    {
        let mut inner = sh.lock();
        let Some(role) = inner
            .directory
            .get(account)
            .and_then(|a| a.roles.iter().find(|r| &***r == role.as_str()))
            .cloned()
        else {
            return Err(forbidden());
        };
        inner.creds.insert(
            akid.clone(),
            Credential {
                account,
                role,
                expires_ms: now + ttl_ms,
            },
        );
        inner.stats.role_credentials_issued += 1;
        inner.maybe_prune(now);
    }
    Ok(Json(json!({
        "roleCredentials": {
            "accessKeyId": akid,
            "secretAccessKey": ids::secret_for(&sh.key, &akid),
            "sessionToken": ids::session_token_for(&sh.key, &akid),
            "expiration": now + ttl_ms,
        }
    }))
    .into_response())
}

/// `GET /assignment/accounts?next_token=&max_result=`
pub(crate) async fn list_accounts(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    sh.gate("ListAccounts", Family::Portal).await?;
    authorize(&sh, &headers)?;
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let max = page_size(&q)?;
    let start = decode_token("a", q.get("next_token"))?;
    let inner = sh.lock();
    let (page, next) = inner.directory.page(start, max);
    let list: Vec<Value> = page
        .iter()
        .map(|a| {
            json!({
                "accountId": a.id_string(),
                "accountName": &*a.name,
                "emailAddress": &*a.email,
            })
        })
        .collect();
    drop(inner);
    let mut out = json!({ "accountList": list });
    if let Some(n) = next {
        out["nextToken"] = Value::String(encode_token("a", n));
    }
    Ok(Json(out).into_response())
}

/// `GET /assignment/roles?account_id=&next_token=&max_result=`
pub(crate) async fn list_account_roles(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    sh.gate("ListAccountRoles", Family::Portal).await?;
    authorize(&sh, &headers)?;
    let q = parse_form(q.unwrap_or_default().as_bytes());
    let account = account_param(&q)?;
    let max = page_size(&q)?;
    let start = decode_token("r", q.get("next_token"))?;
    let inner = sh.lock();
    let Some(a) = inner.directory.get(account).filter(|a| !a.roles.is_empty()) else {
        return Err(forbidden());
    };
    let id = a.id_string();
    let end = (start + max).min(a.roles.len());
    let list: Vec<Value> = a
        .roles
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|r| json!({ "roleName": &**r, "accountId": id }))
        .collect();
    let more = end < a.roles.len();
    drop(inner);
    let mut out = json!({ "roleList": list });
    if more {
        out["nextToken"] = Value::String(encode_token("r", end));
    }
    Ok(Json(out).into_response())
}

/// `POST /logout`: revokes the sign-in's access and refresh tokens.
pub(crate) async fn logout(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    sh.gate("Logout", Family::Portal).await?;
    let sign_in = authorize(&sh, &headers)?;
    let now = sh.clock.now_ms();
    sh.lock().revoke_sign_in(sign_in, now);
    Ok(StatusCode::OK.into_response())
}
