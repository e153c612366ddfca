//! CreateToken's grants: the device code (polling, slow_down, approval), the authorization code
//! with its PKCE S256 check, and the refresh token (rotated on use); each ends in issuing an
//! access token and, for clients registered with scopes, a refresh token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::ids;
use crate::state::{AccessToken, Client, DeviceStatus, Inner, RefreshToken, Shared, SignIn};

/// The PKCE S256 check: base64url(SHA-256(verifier)) without padding equals the challenge.
fn pkce_ok(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
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

pub(super) fn device_grant(
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
pub(super) fn code_grant(
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

pub(super) fn refresh_grant(
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
    fn pkce_s256() {
        // RFC 7636 appendix B.
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let c = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_ok(v, c));
        assert!(!pkce_ok(&v.replace('d', "e"), c));
        assert!(!pkce_ok("short", c));
    }
}
