//! STS GetCallerIdentity (AWS query protocol at `/`), accepting only role credentials this
//! emulator issued and verifying their SigV4 signature exactly as AWS computes it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use crate::clock::{amz_date, parse_amz_date, parse_http_date};
use crate::data::mix;
use crate::errors::ApiError;
use crate::form::parse_form;
use crate::html::escape;
use crate::ids::{self, hmac};
use crate::state::{Credential, Family, Shared};

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (SigV4 rule).
const SIGV4: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
const SIGV4_PATH: &AsciiSet = &SIGV4.remove(b'/');

/// How far a request's signing time may be from the emulator's clock (AWS: 15 minutes).
const MAX_SKEW_S: i64 = 900;

const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the signature \
you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation \
for details.";

fn invalid_token() -> ApiError {
    ApiError::sts(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )
}

fn incomplete(msg: impl Into<String>) -> ApiError {
    ApiError::sts(400, "IncompleteSignature", msg)
}

/// The live credential whose key id, secret and session token are exactly these.
pub(crate) fn issued_credential(
    sh: &Shared,
    akid: &str,
    secret: Option<&str>,
    token: Option<&str>,
) -> Result<Credential, ApiError> {
    let cred = sh
        .lock()
        .creds
        .get(akid)
        .cloned()
        .ok_or_else(invalid_token)?;
    if token != Some(ids::session_token_for(&sh.key, akid).as_str()) {
        return Err(invalid_token());
    }
    if let Some(secret) = secret {
        if secret != ids::secret_for(&sh.key, akid) {
            return Err(ApiError::sts(
                403,
                "SignatureDoesNotMatch",
                SIGNATURE_MISMATCH,
            ));
        }
    }
    if sh.clock.now_ms() >= cred.expires_ms {
        return Err(ApiError::sts(
            403,
            "ExpiredToken",
            "The security token included in the request is expired",
        ));
    }
    Ok(cred)
}

/// `GET /` whose query names an `Action` (the server routes the others to the index page).
pub(crate) async fn root_get(
    sh: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    query: &str,
) -> Response {
    sts(sh, method, uri.path(), query, headers, &[]).await
}

/// `POST /`: STS with form-encoded parameters in the body.
pub(crate) async fn root_post(
    State(sh): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    sts(
        &sh,
        &method,
        uri.path(),
        &q.unwrap_or_default(),
        &headers,
        &body,
    )
    .await
}

async fn sts(
    sh: &Shared,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    match sts_inner(sh, method, path, query, headers, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn sts_inner(
    sh: &Shared,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ApiError> {
    let mut params = parse_form(query.as_bytes());
    if method == Method::POST {
        for (k, v) in parse_form(body) {
            params.entry(k).or_insert(v);
        }
    }
    let action = params
        .get("Action")
        .ok_or_else(|| ApiError::sts(400, "MissingAction", "Missing Action"))?;
    if action != "GetCallerIdentity" {
        return Err(ApiError::sts(
            400,
            "InvalidAction",
            format!("Could not find operation {action} for version 2011-06-15"),
        ));
    }
    sh.gate("GetCallerIdentity", Family::Sts).await?;
    let cred = verify_sigv4(sh, method, path, query, headers, body)?;
    let inner = sh.lock();
    let account = format!("{:012}", cred.account);
    let user = inner.directory.user_name.clone();
    let reserved = inner.directory.reserved_role_name(&cred.role);
    drop(inner);
    let role_id = role_unique_id(cred.account, &cred.role);
    let rid = ids::request_id();
    let xml = format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  \
         <GetCallerIdentityResult>\n    \
         <Arn>arn:aws:sts::{account}:assumed-role/{reserved}/{user}</Arn>\n    \
         <UserId>{role_id}:{user}</UserId>\n    \
         <Account>{account}</Account>\n  \
         </GetCallerIdentityResult>\n  \
         <ResponseMetadata>\n    <RequestId>{rid}</RequestId>\n  </ResponseMetadata>\n\
         </GetCallerIdentityResponse>\n",
        user = escape(&user),
        reserved = escape(&reserved),
    );
    let mut r = xml.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(v) = HeaderValue::from_str(&rid) {
        h.insert("x-amzn-RequestId", v);
    }
    Ok(r)
}

/// A role's unique id (`AROA` + 17 characters), stable per account and role.
fn role_unique_id(account: u64, role: &str) -> String {
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut h = mix(account);
    for b in role.bytes() {
        h = mix(h ^ u64::from(b));
    }
    let mut out = String::from("AROA");
    for _ in 0..17 {
        out.push(char::from(B32[(h % 32) as usize]));
        h = mix(h);
    }
    out
}

/// The parts of a SigV4 signature, from the Authorization header or a presigned query.
struct SigParts {
    akid: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
    amz_date: String,
    token: Option<String>,
    presigned: bool,
}

fn parse_credential_scope(s: &str) -> Result<(String, String, String, String), ApiError> {
    let p: Vec<&str> = s.split('/').collect();
    if p.len() != 5 || p[4] != "aws4_request" || p.iter().any(|x| x.is_empty()) {
        return Err(incomplete(format!(
            "Credential should be scoped to a valid region, not '{s}'. "
        )));
    }
    Ok((
        p[0].to_owned(),
        p[1].to_owned(),
        p[2].to_owned(),
        p[3].to_owned(),
    ))
}

fn sig_parts(headers: &HeaderMap, query: &str) -> Result<SigParts, ApiError> {
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    if let Some(auth) = header("authorization") {
        let rest = auth.strip_prefix("AWS4-HMAC-SHA256 ").ok_or_else(|| {
            incomplete("Authorization header requires the AWS4-HMAC-SHA256 algorithm")
        })?;
        let (mut cred, mut signed, mut sig) = (None, None, None);
        for part in rest.split(',') {
            let part = part.trim();
            if let Some(v) = part.strip_prefix("Credential=") {
                cred = Some(v.to_owned());
            } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
                signed = Some(v.to_owned());
            } else if let Some(v) = part.strip_prefix("Signature=") {
                sig = Some(v.to_owned());
            }
        }
        let (Some(cred), Some(signed), Some(sig)) = (cred, signed, sig) else {
            return Err(incomplete(format!(
                "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' \
                 parameters. Authorization={auth}"
            )));
        };
        let (akid, date, region, service) = parse_credential_scope(&cred)?;
        let amz = match header("x-amz-date") {
            Some(d) => d,
            None => header("date")
                .and_then(|d| parse_http_date(&d))
                .map(amz_date)
                .ok_or_else(|| {
                    incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
                })?,
        };
        return Ok(SigParts {
            akid,
            date,
            region,
            service,
            signed_headers: signed.split(';').map(str::to_owned).collect(),
            signature: sig,
            amz_date: amz,
            token: header("x-amz-security-token"),
            presigned: false,
        });
    }
    let q = parse_form(query.as_bytes());
    if q.get("X-Amz-Algorithm").map(String::as_str) == Some("AWS4-HMAC-SHA256") {
        let get = |k: &str| {
            q.get(k).cloned().ok_or_else(|| {
                incomplete(format!("AWS query-string parameters must include '{k}'."))
            })
        };
        let (akid, date, region, service) = parse_credential_scope(&get("X-Amz-Credential")?)?;
        return Ok(SigParts {
            akid,
            date,
            region,
            service,
            signed_headers: get("X-Amz-SignedHeaders")?
                .split(';')
                .map(str::to_owned)
                .collect(),
            signature: get("X-Amz-Signature")?,
            amz_date: get("X-Amz-Date")?,
            token: q.get("X-Amz-Security-Token").cloned(),
            presigned: true,
        });
    }
    Err(ApiError::sts(
        403,
        "MissingAuthenticationToken",
        "Request is missing Authentication Token",
    ))
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, SIGV4).to_string()
}

/// The canonical query string: decoded, re-encoded with the SigV4 rules, sorted.
fn canonical_query(query: &str, presigned: bool) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let k = percent_decode_str(k).decode_utf8().ok()?.into_owned();
            let v = percent_decode_str(v).decode_utf8().ok()?.into_owned();
            (!(presigned && k == "X-Amz-Signature")).then(|| (encode(&k), encode(&v)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn canonical_headers(headers: &HeaderMap, names: &[String]) -> String {
    let mut out = String::new();
    for name in names {
        let values: Vec<String> = headers
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out
}

fn signature(secret: &str, p: &SigParts, canonical_request: &str) -> String {
    let scope = format!("{}/{}/{}/aws4_request", p.date, p.region, p.service);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        p.amz_date,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), p.date.as_bytes());
    let k_region = hmac(&k_date, p.region.as_bytes());
    let k_service = hmac(&k_region, p.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    hex::encode(hmac(&k_signing, to_sign.as_bytes()))
}

/// Verifies the request's SigV4 signature against the secret this emulator issued for its key.
fn verify_sigv4(
    sh: &Shared,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Credential, ApiError> {
    let p = sig_parts(headers, query)?;
    let cred = issued_credential(sh, &p.akid, None, p.token.as_deref())?;
    let when = parse_amz_date(&p.amz_date).ok_or_else(|| {
        incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{}'.",
            p.amz_date
        ))
    })?;
    let now = sh.clock.now_secs();
    if when < now - MAX_SKEW_S {
        return Err(ApiError::sts(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Signature expired: {} is now earlier than {} ({} - 15 min.)",
                p.amz_date,
                amz_date(now - MAX_SKEW_S),
                amz_date(now)
            ),
        ));
    }
    if when > now + MAX_SKEW_S {
        return Err(ApiError::sts(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Signature not yet current: {} is still later than {} ({} + 15 min.)",
                p.amz_date,
                amz_date(now + MAX_SKEW_S),
                amz_date(now)
            ),
        ));
    }
    if p.service != "sts" {
        return Err(ApiError::sts(
            403,
            "SignatureDoesNotMatch",
            "Credential should be scoped to correct service: 'sts'. ",
        ));
    }
    if !p.amz_date.starts_with(&p.date) {
        return Err(ApiError::sts(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{}'.",
                p.date,
                &p.amz_date[..8],
                p.amz_date
            ),
        ));
    }
    if !p.signed_headers.iter().any(|h| h == "host") {
        return Err(ApiError::sts(
            403,
            "SignatureDoesNotMatch",
            "'Host' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    let secret = ids::secret_for(&sh.key, &p.akid);
    let body_hash = hex::encode(Sha256::digest(body));
    let mut payload_hashes = Vec::new();
    match headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
    {
        Some(h) if !p.presigned => payload_hashes.push(h.to_owned()),
        _ => payload_hashes.push(body_hash),
    }
    if p.presigned {
        payload_hashes.push("UNSIGNED-PAYLOAD".to_owned());
    }
    let canonical_uri =
        utf8_percent_encode(if path.is_empty() { "/" } else { path }, SIGV4_PATH).to_string();
    let cq = canonical_query(query, p.presigned);
    let ch = canonical_headers(headers, &p.signed_headers);
    let sh_list = p.signed_headers.join(";");
    let ok = payload_hashes.iter().any(|ph| {
        let cr = format!(
            "{}\n{canonical_uri}\n{cq}\n{ch}\n{sh_list}\n{ph}",
            method.as_str()
        );
        signature(&secret, &p, &cr) == p.signature
    });
    if !ok {
        return Err(ApiError::sts(
            403,
            "SignatureDoesNotMatch",
            SIGNATURE_MISMATCH,
        ));
    }
    Ok(cred)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The AWS SigV4 test suite's "get-vanilla-query-order-key-case" style check of encoding and
    // the documented example signing key derivation (IAM docs, example secret).
    #[test]
    fn canonical_query_sorts_and_encodes() {
        assert_eq!(
            canonical_query("Param2=value2&Param1=value1", false),
            "Param1=value1&Param2=value2"
        );
        assert_eq!(canonical_query("a=b%20c&a=a", false), "a=a&a=b%20c");
        assert_eq!(canonical_query("X-Amz-Signature=x&b=%2F", true), "b=%2F");
    }

    #[test]
    fn aws_documented_example_signature() {
        // From the AWS General Reference "Signature Version 4 signing process" example
        // (IAM ListUsers, 2015-08-30, secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY).
        let p = SigParts {
            akid: "AKIDEXAMPLE".into(),
            date: "20150830".into(),
            region: "us-east-1".into(),
            service: "iam".into(),
            signed_headers: vec!["content-type".into(), "host".into(), "x-amz-date".into()],
            signature: String::new(),
            amz_date: "20150830T123600Z".into(),
            token: None,
            presigned: false,
        };
        let cr = "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            hex::encode(Sha256::digest(cr.as_bytes())),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
        );
        assert_eq!(
            signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", &p, cr),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    #[test]
    fn role_ids_are_stable() {
        let a = role_unique_id(123_456_789_012, "AdministratorAccess");
        assert_eq!(a, role_unique_id(123_456_789_012, "AdministratorAccess"));
        assert_ne!(a, role_unique_id(123_456_789_012, "ReadOnlyAccess"));
        assert_eq!(a.len(), 21);
    }
}
