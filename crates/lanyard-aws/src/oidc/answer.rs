//! Judging one OIDC answer (PROTOCOL §1): a 2xx body becomes the operation's response, checked
//! for values Lanyard can compute with (a lifetime of a year at most, a registration expiry
//! before 2100), an error body the modeled error, anything else an "unexpected answer" that
//! quotes the error body (never a 2xx body: it holds tokens). No input makes it panic.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{
    CreateTokenResponse, OidcError, OidcErrorKind, RegisterClientResponse,
    StartDeviceAuthorizationResponse,
};
use crate::netfail::{clean, json_reason, snippet, SNIPPET_CHARS};

/// The longest lifetime accepted for a token or a device code (`expiresIn`): a year.
pub const MAX_LIFETIME_SECS: i64 = 366 * 24 * 3600;
/// The latest `clientSecretExpiresAt` accepted: 2100-01-01, epoch seconds.
pub const MAX_EPOCH_SECS: i64 = 4_102_444_800;
/// The longest poll interval accepted (`interval`), seconds.
pub const MAX_INTERVAL_SECS: i64 = 600;

/// A response whose values are checked before anyone computes with them.
pub(crate) trait Checked: DeserializeOwned {
    /// Why the values cannot be used, if they cannot.
    fn check(&self) -> Result<(), String>;
}

fn within(name: &str, value: i64, range: std::ops::RangeInclusive<i64>) -> Result<(), String> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{name} is {value}, outside {}..={}",
            range.start(),
            range.end()
        ))
    }
}

fn present(name: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        Err(format!("{name} is empty"))
    } else {
        Ok(())
    }
}

impl Checked for RegisterClientResponse {
    fn check(&self) -> Result<(), String> {
        present("clientId", &self.client_id)?;
        present("clientSecret", self.client_secret.expose())?;
        within(
            "clientSecretExpiresAt",
            self.client_secret_expires_at,
            1..=MAX_EPOCH_SECS,
        )?;
        if let Some(at) = self.client_id_issued_at {
            within("clientIdIssuedAt", at, 0..=MAX_EPOCH_SECS)?;
        }
        Ok(())
    }
}

impl Checked for StartDeviceAuthorizationResponse {
    fn check(&self) -> Result<(), String> {
        present("deviceCode", self.device_code.expose())?;
        present("userCode", &self.user_code)?;
        within("expiresIn", self.expires_in, 1..=MAX_LIFETIME_SECS)?;
        if let Some(i) = self.interval {
            within("interval", i, 0..=MAX_INTERVAL_SECS)?;
        }
        Ok(())
    }
}

impl Checked for CreateTokenResponse {
    fn check(&self) -> Result<(), String> {
        present("accessToken", self.access_token.expose())?;
        within("expiresIn", self.expires_in, 1..=MAX_LIFETIME_SECS)
    }
}

/// The answer of `operation` at `endpoint`: the response, the modeled error, or "unexpected".
pub(crate) fn judge<R: Checked>(
    operation: &'static str,
    endpoint: &str,
    status: u16,
    error_type: Option<&str>,
    body: &[u8],
) -> Result<R, OidcError> {
    let unexpected = |reason: String| OidcError::Unexpected {
        operation,
        endpoint: endpoint.to_owned(),
        status,
        reason,
    };
    if (200..300).contains(&status) {
        let resp: R = serde_json::from_slice(body)
            .map_err(|e| unexpected(format!("the answer is {}", json_reason(&e))))?;
        resp.check()
            .map_err(|why| unexpected(format!("the answer cannot be used: {why}")))?;
        return Ok(resp);
    }
    #[derive(Deserialize)]
    struct ErrorBody {
        error: Option<String>,
        error_description: Option<String>,
    }
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let kind = parsed
        .as_ref()
        .and_then(|b| b.error.as_deref())
        .filter(|e| !e.is_empty())
        .map(|e| OidcErrorKind::from_code(&clean(e, 64)))
        .or_else(|| error_type.and_then(OidcErrorKind::from_exception));
    match kind {
        Some(kind) => {
            let description = parsed
                .and_then(|b| b.error_description)
                .map(|d| clean(&d, SNIPPET_CHARS))
                .filter(|d| !d.is_empty());
            tracing::debug!(operation, status, error = kind.code(), "OIDC error");
            Err(OidcError::Service {
                operation,
                kind,
                status,
                description,
            })
        }
        None => Err(unexpected(format!(
            "not an OIDC error{}: {}",
            error_type
                .map(|t| format!(" ({})", clean(t.split(':').next().unwrap_or(t), 64)))
                .unwrap_or_default(),
            snippet(body)
        ))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;
    use time::{Duration, OffsetDateTime};

    use super::*;

    fn token(body: &str) -> Result<CreateTokenResponse, OidcError> {
        judge("CreateToken", "https://oidc", 200, None, body.as_bytes())
    }

    #[test]
    fn lifetimes_outside_a_year_or_negative_are_refused_as_unexpected() {
        for bad in [
            "-1",
            "0",
            "9223372036854775807",
            "31708801",
            "1e300",
            "\"3600\"",
        ] {
            let e = token(&format!(r#"{{"accessToken":"t","expiresIn":{bad}}}"#)).unwrap_err();
            assert_eq!(e.code(), "service_unexpected", "{bad}: {e}");
            assert!(!e.to_string().contains("\"t\""), "{e}");
        }
        assert_eq!(
            token(r#"{"accessToken":"t","expiresIn":3600}"#)
                .unwrap()
                .expires_in,
            3600
        );
        let reg = |at: &str| {
            judge::<RegisterClientResponse>(
                "RegisterClient",
                "https://oidc",
                200,
                None,
                format!(r#"{{"clientId":"c","clientSecret":"s","clientSecretExpiresAt":{at}}}"#)
                    .as_bytes(),
            )
        };
        assert!(reg("1767225600").is_ok());
        for bad in ["-5", "0", "253402300800", "9223372036854775807"] {
            assert_eq!(reg(bad).unwrap_err().code(), "service_unexpected", "{bad}");
        }
        let dev = |interval: &str| {
            judge::<StartDeviceAuthorizationResponse>(
                "StartDeviceAuthorization",
                "https://oidc",
                200,
                None,
                format!(
                    r#"{{"deviceCode":"d","userCode":"U","verificationUri":"v","verificationUriComplete":"w","expiresIn":600,"interval":{interval}}}"#
                )
                .as_bytes(),
            )
        };
        assert!(dev("1").is_ok() && dev("null").is_ok());
        assert!(dev("-1").is_err() && dev("86400").is_err());
    }

    #[test]
    fn a_2xx_body_is_never_quoted_but_an_error_body_is() {
        let e = token(r#"{"accessToken":"SECRET-TOKEN","expiresIn":"x"}"#).unwrap_err();
        assert!(!e.to_string().contains("SECRET"), "{e}");
        let e = judge::<CreateTokenResponse>(
            "CreateToken",
            "https://oidc",
            502,
            None,
            b"<html>\n<h1>502 Bad Gateway</h1>\n</html>",
        )
        .unwrap_err();
        assert_eq!(e.code(), "service_unexpected");
        let text = e.to_string();
        assert!(
            text.contains("HTTP 502") && text.contains("<h1>502 Bad Gateway</h1>"),
            "{text}"
        );
    }

    #[test]
    fn modeled_errors_keep_their_kind_and_registration_refusals_have_their_code() {
        let e = judge::<CreateTokenResponse>(
            "CreateToken",
            "https://oidc",
            401,
            None,
            br#"{"error":"invalid_client","error_description":"Client is\nexpired"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), Some(&OidcErrorKind::InvalidClient));
        assert_eq!(e.code(), "registration_refused");
        assert!(e.to_string().contains("Client is expired"), "{e}");
        let e = judge::<CreateTokenResponse>(
            "CreateToken",
            "https://oidc",
            400,
            Some("UnauthorizedClientException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"),
            b"",
        )
        .unwrap_err();
        assert_eq!(e.code(), "registration_refused");
        let e = judge::<CreateTokenResponse>("CreateToken", "https://oidc", 429, None, b"")
            .unwrap_err();
        assert_eq!(e.code(), "throttled");
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop_oneof![
                            Just("accessToken".to_owned()),
                            Just("expiresIn".to_owned()),
                            Just("clientId".to_owned()),
                            Just("clientSecret".to_owned()),
                            Just("clientSecretExpiresAt".to_owned()),
                            Just("clientIdIssuedAt".to_owned()),
                            Just("deviceCode".to_owned()),
                            Just("userCode".to_owned()),
                            Just("verificationUri".to_owned()),
                            Just("verificationUriComplete".to_owned()),
                            Just("interval".to_owned()),
                            Just("refreshToken".to_owned()),
                            Just("error".to_owned()),
                            Just("error_description".to_owned()),
                            "[a-z]{1,6}",
                        ],
                        inner
                    ),
                    0..8
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// Every answer judged: an error or values safe to compute with.
    fn judge_all(status: u16, error_type: Option<&str>, body: &[u8]) {
        let now = OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap();
        if let Ok(r) =
            judge::<RegisterClientResponse>("RegisterClient", "e", status, error_type, body)
        {
            assert!(OffsetDateTime::from_unix_timestamp(r.client_secret_expires_at).is_ok());
        }
        if let Ok(r) = judge::<StartDeviceAuthorizationResponse>(
            "StartDeviceAuthorization",
            "e",
            status,
            error_type,
            body,
        ) {
            let _ = now + Duration::seconds(r.expires_in);
            let _ = tokio::time::Instant::now()
                + std::time::Duration::from_secs(r.expires_in.max(0) as u64 + 60);
            assert!(r.interval.unwrap_or(0) <= MAX_INTERVAL_SECS);
        }
        if let Ok(r) = judge::<CreateTokenResponse>("CreateToken", "e", status, error_type, body) {
            let _ = now + Duration::seconds(r.expires_in);
        }
        for e in [judge::<CreateTokenResponse>("CreateToken", "e", status, error_type, body).err()]
            .into_iter()
            .flatten()
        {
            let text = e.to_string();
            assert!(!text.chars().any(char::is_control), "{text:?}");
            assert!(text.chars().count() < 600, "{text}");
        }
    }

    proptest! {
        #[test]
        fn no_json_answer_makes_the_parsers_panic(
            status in prop_oneof![Just(200u16), Just(400u16), Just(401u16), Just(500u16), any::<u16>()],
            value in any_json(),
        ) {
            judge_all(status, None, value.to_string().as_bytes());
        }

        #[test]
        fn no_bytes_make_the_parsers_panic(
            status in any::<u16>(),
            error_type in proptest::option::of(".{0,40}"),
            body in prop::collection::vec(any::<u8>(), 0..300),
        ) {
            judge_all(status, error_type.as_deref(), &body);
        }
    }
}
