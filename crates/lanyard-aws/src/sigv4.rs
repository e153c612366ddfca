//! AWS Signature Version 4 for the one signed call Lanyard makes (STS GetCallerIdentity, the
//! `aws sts get-caller-identity` of `lanyard whoami`). Written from the published algorithm and
//! checked against AWS's own worked example; headers only, no presigning.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// What to sign.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `GET`, `POST`...
    pub method: &'a str,
    /// The `Host` header value (with a port when not the default).
    pub host: &'a str,
    /// The URI path, already encoded (`/` for STS).
    pub path: &'a str,
    /// The canonical query string (parameters sorted and encoded), or empty.
    pub query: &'a str,
    /// Other headers to sign, lower-case names.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub payload: &'a [u8],
    /// The signing region.
    pub region: &'a str,
    /// The signing service name (`sts`).
    pub service: &'a str,
}

/// The signing credentials.
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    /// Access key id.
    pub access_key_id: &'a str,
    /// Secret access key.
    pub secret_access_key: &'a str,
    /// Session token of temporary credentials.
    pub session_token: Option<&'a str>,
}

/// The headers to add to the request: `x-amz-date`, `x-amz-security-token` (if any) and
/// `authorization`.
pub fn sign(req: &Request<'_>, keys: Keys<'_>, at: OffsetDateTime) -> Vec<(String, String)> {
    let at = at.to_offset(time::UtcOffset::UTC);
    let date = format!("{:04}{:02}{:02}", at.year(), u8::from(at.month()), at.day());
    let amz_date = format!(
        "{date}T{:02}{:02}{:02}Z",
        at.hour(),
        at.minute(),
        at.second()
    );
    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    headers.push(("host".into(), req.host.to_owned()));
    headers.push(("x-amz-date".into(), amz_date.clone()));
    if let Some(token) = keys.session_token {
        headers.push(("x-amz-security-token".into(), token.to_owned()));
    }
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        req.path,
        req.query,
        canonical_headers,
        signed_headers,
        sha256_hex(req.payload)
    );
    let scope = format!("{date}/{}/{}/aws4_request", req.region, req.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let k_date = hmac(
        format!("AWS4{}", keys.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, req.region.as_bytes());
    let k_service = hmac(&k_region, req.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let signature = hex::encode(hmac(&k_signing, string_to_sign.as_bytes()));
    let mut out = vec![("x-amz-date".to_owned(), amz_date)];
    if let Some(token) = keys.session_token {
        out.push(("x-amz-security-token".to_owned(), token.to_owned()));
    }
    out.push((
        "authorization".to_owned(),
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            keys.access_key_id
        ),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn matches_the_worked_example_of_the_aws_documentation() {
        // "Create a signed AWS API request", IAM ListUsers example (AKIDEXAMPLE).
        let req = Request {
            method: "GET",
            host: "iam.amazonaws.com",
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: &[(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            payload: b"",
            region: "us-east-1",
            service: "iam",
        };
        let keys = Keys {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: None,
        };
        let headers = sign(&req, keys, datetime!(2015-08-30 12:36:00 UTC));
        assert_eq!(headers[0], ("x-amz-date".into(), "20150830T123600Z".into()));
        assert_eq!(
            headers[1].1,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    #[test]
    fn a_session_token_is_sent_and_signed() {
        let req = Request {
            method: "POST",
            host: "127.0.0.1:8080",
            path: "/",
            query: "",
            headers: &[],
            payload: b"Action=GetCallerIdentity&Version=2011-06-15",
            region: "us-east-1",
            service: "sts",
        };
        let keys = Keys {
            access_key_id: "ASIA",
            secret_access_key: "s",
            session_token: Some("tok"),
        };
        let h = sign(&req, keys, datetime!(2026-01-01 00:00 UTC));
        assert_eq!(h[1], ("x-amz-security-token".into(), "tok".into()));
        assert!(h[2]
            .1
            .contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"));
    }
}
