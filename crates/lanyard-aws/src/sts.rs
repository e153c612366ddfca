//! STS GetCallerIdentity (AWS query protocol, SigV4-signed) with given role credentials: the AWS
//! side of `lanyard whoami` and the window's Test button ([`crate::whoami`] picks the
//! credentials, the region and the endpoint). Throttling, 5xx and connections that failed in a way safe to
//! retry are tried again; an error answer is quoted (status, `Code`, `Message`, or a short clean
//! snippet when it is not STS's XML); answers are read up to 1 MiB.

use time::OffsetDateTime;

use crate::netfail::{clean, read_limited, snippet, BodyError, NetFailure, SMALL_BODY_LIMIT};
use crate::retry::Retry;

use crate::cache::role_credentials::RoleCredentials;
use crate::sigv4::{self, Keys, Request};

/// The answer of GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Identity {
    /// The unique id of the calling entity.
    pub user_id: String,
    /// The account.
    pub account: String,
    /// The ARN.
    pub arn: String,
}

/// Why GetCallerIdentity failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StsError {
    /// STS answered with an error document.
    #[error("GetCallerIdentity failed: HTTP {status} {code}{}", if message.is_empty() { String::new() } else { format!(": {message}") })]
    Service {
        /// The HTTP status.
        status: u16,
        /// e.g. `SignatureDoesNotMatch`, `ExpiredToken`, `Throttling`.
        code: String,
        /// STS's message, cleaned and shortened.
        message: String,
    },
    /// STS could not be reached.
    #[error("cannot reach STS at {endpoint}: {failure}")]
    Transport {
        /// The endpoint.
        endpoint: String,
        /// What happened.
        failure: Box<NetFailure>,
    },
    /// The answer was not the expected XML.
    #[error("GetCallerIdentity: unexpected answer from STS at {endpoint}{}: {reason}", if *status == 0 { String::new() } else { format!(" (HTTP {status})") })]
    Unexpected {
        /// The endpoint.
        endpoint: String,
        /// The HTTP status (0: no answer was had).
        status: u16,
        /// What was wrong; for an error status, a short quote of the body.
        reason: String,
    },
}

/// STS error codes that mean "slow down".
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "PriorRequestNotComplete",
];

impl StsError {
    fn throttled(&self) -> bool {
        match self {
            StsError::Service { status, code, .. } => {
                *status == 429 || THROTTLING.contains(&code.as_str())
            }
            StsError::Unexpected { status, .. } => *status == 429,
            StsError::Transport { .. } => false,
        }
    }

    /// A stable code for the UI and `--json`: `throttled`, `service_refused`,
    /// `service_unexpected`, `unreachable` or `tls`.
    pub fn code(&self) -> &'static str {
        match self {
            _ if self.throttled() => "throttled",
            StsError::Service { .. } => "service_refused",
            StsError::Unexpected { .. } => "service_unexpected",
            StsError::Transport { failure, .. } => failure.code(),
        }
    }

    /// Whether the call is worth another try (GetCallerIdentity only reads).
    fn retryable(&self) -> bool {
        match self {
            StsError::Service { status, .. } | StsError::Unexpected { status, .. } => {
                self.throttled() || (500..=599).contains(status)
            }
            StsError::Transport { failure, .. } => failure.retryable(),
        }
    }
}

/// The text of the first `<tag>…</tag>`, with XML's five entities decoded.
fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml.get(start..)?.find(&format!("</{tag}>"))? + start;
    let raw = xml.get(start..end)?.trim();
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// Judges one answer: the identity of a 2xx, else the error it says (a 2xx body is never
/// quoted).
fn judge(endpoint: &str, status: u16, body: &[u8]) -> Result<Identity, StsError> {
    let text = String::from_utf8_lossy(body);
    let unexpected = |reason: String| StsError::Unexpected {
        endpoint: endpoint.to_owned(),
        status,
        reason,
    };
    if !(200..300).contains(&status) {
        return match xml_text(&text, "Code").map(|c| clean(&c, 64)) {
            Some(code) if !code.is_empty() => Err(StsError::Service {
                status,
                code,
                message: xml_text(&text, "Message")
                    .map(|m| clean(&m, crate::netfail::SNIPPET_CHARS))
                    .unwrap_or_default(),
            }),
            _ => Err(unexpected(format!("not an STS error: {}", snippet(body)))),
        };
    }
    let field = |tag: &str| {
        xml_text(&text, tag)
            .map(|v| clean(&v, 2048))
            .filter(|v| !v.is_empty())
            .ok_or_else(|| unexpected(format!("the answer has no <{tag}>")))
    };
    Ok(Identity {
        user_id: field("UserId")?,
        account: field("Account")?,
        arn: field("Arn")?,
    })
}

/// Calls GetCallerIdentity with `creds`.
pub async fn get_caller_identity(
    http: &reqwest::Client,
    endpoint: &str,
    region: &str,
    creds: &RoleCredentials,
    now: OffsetDateTime,
) -> Result<Identity, StsError> {
    get_caller_identity_with(http, endpoint, region, creds, now, &Retry::default()).await
}

/// [`get_caller_identity`] with a given retry policy and jitter.
pub async fn get_caller_identity_with(
    http: &reqwest::Client,
    endpoint: &str,
    region: &str,
    creds: &RoleCredentials,
    now: OffsetDateTime,
    retry: &Retry,
) -> Result<Identity, StsError> {
    let bad_endpoint = || StsError::Unexpected {
        endpoint: endpoint.to_owned(),
        status: 0,
        reason: "the endpoint is not a URL with a host".into(),
    };
    let url = reqwest::Url::parse(&format!("{endpoint}/")).map_err(|_| bad_endpoint())?;
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => return Err(bad_endpoint()),
    };
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let signed = sigv4::sign(
        &Request {
            method: "POST",
            host: &host,
            path: "/",
            query: "",
            headers: &[("content-type", content_type)],
            payload: body.as_bytes(),
            region,
            service: "sts",
        },
        Keys {
            access_key_id: &creds.access_key_id,
            secret_access_key: creds.secret_access_key.expose(),
            session_token: Some(creds.session_token.expose()),
        },
        now,
    );
    let transport = |source| StsError::Transport {
        endpoint: endpoint.to_owned(),
        failure: Box::new(NetFailure::from_reqwest(source, endpoint)),
    };
    retry
        .run(
            "GetCallerIdentity",
            || async {
                let mut req = http
                    .post(url.clone())
                    .header("content-type", content_type)
                    .body(body);
                for (k, v) in &signed {
                    req = req.header(k.as_str(), v.as_str());
                }
                let resp = req.send().await.map_err(transport)?;
                let status = resp.status().as_u16();
                let bytes = read_limited(resp, SMALL_BODY_LIMIT)
                    .await
                    .map_err(|e| match e {
                        BodyError::Transport(source) => transport(source),
                        BodyError::TooLarge(limit) => StsError::Unexpected {
                            endpoint: endpoint.to_owned(),
                            status,
                            reason: BodyError::too_large(limit),
                        },
                    })?;
                judge(endpoint, status, &bytes)
            },
            StsError::retryable,
        )
        .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod answer_tests {
    use proptest::prelude::*;

    use super::*;

    const ENDPOINT: &str = "https://sts.us-east-1.amazonaws.com";

    #[test]
    fn an_error_document_is_quoted_with_its_status_code_and_message() {
        let xml = b"<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code>\
                    <Message>The security token included in the request is expired &amp; \
                    gone</Message></Error></ErrorResponse>";
        let e = judge(ENDPOINT, 403, xml).unwrap_err();
        assert_eq!(e.code(), "service_refused");
        assert_eq!(
            e.to_string(),
            "GetCallerIdentity failed: HTTP 403 ExpiredToken: The security token included in \
             the request is expired & gone"
        );
        let e = judge(ENDPOINT, 400, b"<Error><Code>Throttling</Code></Error>").unwrap_err();
        assert_eq!(e.code(), "throttled");
        assert!(e.retryable());
    }

    #[test]
    fn an_answer_that_is_not_sts_xml_quotes_the_status_and_a_snippet_not_unknown() {
        let e = judge(ENDPOINT, 502, b"<html>\n<h1>Bad Gateway</h1></html>").unwrap_err();
        assert_eq!(e.code(), "service_unexpected");
        let text = e.to_string();
        assert!(!text.contains("Unknown"), "{text}");
        assert!(
            text.contains("HTTP 502") && text.contains("<h1>Bad Gateway</h1>"),
            "{text}"
        );
        // A 2xx without the identity is unexpected, and its body is never quoted.
        let e = judge(ENDPOINT, 200, b"<Credentials>SECRET</Credentials>").unwrap_err();
        assert_eq!(e.code(), "service_unexpected");
        assert!(!e.to_string().contains("SECRET"), "{e}");
        let ok = judge(
            ENDPOINT,
            200,
            b"<GetCallerIdentityResult><Arn>arn:aws:sts::1:assumed-role/R/s</Arn>\
              <UserId>AROA:s</UserId><Account>111111111111</Account></GetCallerIdentityResult>",
        )
        .unwrap();
        assert_eq!(ok.account, "111111111111");
    }

    proptest! {
        #[test]
        fn no_answer_makes_the_sts_parser_panic(
            status in any::<u16>(),
            body in prop_oneof![
                prop::collection::vec(any::<u8>(), 0..300),
                "(<[A-Za-z/]{0,8}>|[^<]{0,8}|&[a-z]{0,4};?){0,20}".prop_map(String::into_bytes),
            ],
        ) {
            if let Err(e) = judge(ENDPOINT, status, &body) {
                let text = e.to_string();
                prop_assert!(!text.chars().any(char::is_control));
                prop_assert!(text.chars().count() < 600);
                let _ = e.code();
            }
        }
    }
}
