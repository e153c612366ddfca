//! A hostile or broken service cannot hurt (issue 20): a scripted HTTP server on 127.0.0.1
//! answers the OIDC, portal and STS clients with throttling, failures, oversized, endless or
//! garbage answers. Every call ends in a typed error with a code that says what happened (or in
//! success after the retries the AWS CLI would make), never in a panic or an unbounded read.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lanyard_aws::cache::role_credentials::RoleCredentials;
use lanyard_aws::oidc::{CreateTokenRequest, OidcClient, GRANT_REFRESH_TOKEN};
use lanyard_aws::portal::retry::{Retry, RetryPolicy, SequenceJitter};
use lanyard_aws::Secret;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One scripted answer.
#[derive(Clone)]
enum Answer {
    /// Status, extra headers, body (sent with its Content-Length).
    Plain(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// A 200 that claims a huge Content-Length.
    HugeLength,
    /// A 200 with a chunked body that never ends (until the client hangs up).
    Endless,
    /// Bytes that are not HTTP at all.
    Garbage(Vec<u8>),
}

fn plain(status: u16, body: &str) -> Answer {
    Answer::Plain(status, Vec::new(), body.as_bytes().to_vec())
}

fn with_type(status: u16, error_type: &str, body: &str) -> Answer {
    Answer::Plain(
        status,
        vec![("x-amzn-ErrorType", error_type.to_owned())],
        body.as_bytes().to_vec(),
    )
}

/// A server answering each request with the next scripted answer (the last one repeats).
struct Script {
    url: String,
    requests: Arc<Mutex<u32>>,
}

async fn serve(answers: Vec<Answer>) -> Script {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let queue = Arc::new(Mutex::new(VecDeque::from(answers)));
    let requests = Arc::new(Mutex::new(0u32));
    let counter = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let queue = queue.clone();
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Headers, then as much body as Content-Length says.
                let head_end = loop {
                    let Ok(n) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buf.len() < head_end + length {
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                *counter.lock().expect("counter") += 1;
                let answer = {
                    let mut q = queue.lock().expect("queue");
                    if q.len() > 1 {
                        q.pop_front()
                    } else {
                        q.front().cloned()
                    }
                };
                let Some(answer) = answer else { return };
                match answer {
                    Answer::Plain(status, headers, body) => {
                        let mut out = format!(
                            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                            body.len()
                        );
                        for (k, v) in headers {
                            out.push_str(&format!("{k}: {v}\r\n"));
                        }
                        out.push_str("\r\n");
                        let _ = stream.write_all(out.as_bytes()).await;
                        let _ = stream.write_all(&body).await;
                    }
                    Answer::HugeLength => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 5000000000\r\n\r\n{")
                            .await;
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    Answer::Endless => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                            .await;
                        let piece = format!("10000\r\n{}\r\n", "a".repeat(0x10000));
                        // 64 MiB at most: far past every bound.
                        for _ in 0..1024 {
                            if stream.write_all(piece.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    }
                    Answer::Garbage(bytes) => {
                        let _ = stream.write_all(&bytes).await;
                    }
                }
                let _ = stream.shutdown().await;
            });
        }
    });
    Script { url, requests }
}

impl Script {
    fn requests(&self) -> u32 {
        *self.requests.lock().expect("counter")
    }
}

/// The AWS CLI's five attempts, with backoff short enough for a test.
fn fast_retry() -> Retry {
    Retry {
        policy: RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(2),
            cap: Duration::from_millis(4),
        },
        jitter: Arc::new(SequenceJitter::new([0.0])),
    }
}

fn http() -> reqwest::Client {
    lanyard_aws::http::client_with(&Default::default()).expect("client")
}

async fn role_credentials(
    script: &Script,
) -> Result<RoleCredentials, lanyard_aws::portal::PortalError> {
    lanyard_aws::portal::get_role_credentials_with(
        &http(),
        &script.url,
        &Secret::new("TOKEN-never-shown"),
        "111111111111",
        "Admin",
        &fast_retry(),
    )
    .await
}

const CREDS: &str = r#"{"roleCredentials":{"accessKeyId":"ASIAX","secretAccessKey":"SECRET-KEY","sessionToken":"SESSION-TOKEN","expiration":1767225600000}}"#;

#[tokio::test]
async fn get_role_credentials_rides_out_throttling_and_server_errors_issue_20() {
    let script = serve(vec![
        with_type(
            429,
            "TooManyRequestsException",
            r#"{"message":"slow down"}"#,
        ),
        with_type(500, "InternalServerException", r#"{"message":"oops"}"#),
        plain(503, "<html>unavailable</html>"),
        plain(200, CREDS),
    ])
    .await;
    let creds = role_credentials(&script)
        .await
        .expect("credentials after retries");
    assert_eq!(creds.access_key_id, "ASIAX");
    assert_eq!(script.requests(), 4);
}

#[tokio::test]
async fn throttling_that_never_ends_is_throttled_after_five_attempts_issue_20() {
    let script = serve(vec![with_type(
        429,
        "TooManyRequestsException",
        r#"{"message":"Rate exceeded"}"#,
    )])
    .await;
    let e = role_credentials(&script).await.expect_err("throttled");
    assert_eq!(e.code(), "throttled");
    assert_eq!(script.requests(), 5);
    let text = e.to_string();
    assert!(
        text.contains("HTTP 429")
            && text.contains("TooManyRequestsException")
            && text.contains("Rate exceeded"),
        "{text}"
    );
    assert!(!text.contains("TOKEN-never-shown"), "{text}");
}

#[tokio::test]
async fn a_refusal_is_final_and_quoted() {
    let script = serve(vec![with_type(
        403,
        "ForbiddenException",
        r#"{"message":"No access"}"#,
    )])
    .await;
    let e = role_credentials(&script).await.expect_err("refused");
    assert_eq!(e.code(), "service_refused");
    assert_eq!(script.requests(), 1);
    assert_eq!(
        e.to_string(),
        "GetRoleCredentials failed: HTTP 403 (ForbiddenException): No access"
    );
}

#[tokio::test]
async fn logout_is_retried_on_server_errors_issue_20() {
    let script = serve(vec![plain(502, "bad gateway"), plain(200, "")]).await;
    lanyard_aws::portal::logout_with(&http(), &script.url, &Secret::new("t"), &fast_retry())
        .await
        .expect("logged out after a retry");
    assert_eq!(script.requests(), 2);
}

#[tokio::test]
async fn oversized_and_endless_answers_are_refused_without_reading_them_all() {
    for answer in [Answer::HugeLength, Answer::Endless] {
        let script = serve(vec![answer]).await;
        let started = tokio::time::Instant::now();
        let e = role_credentials(&script).await.expect_err("refused");
        assert_eq!(e.code(), "service_unexpected", "{e}");
        assert!(e.to_string().contains("larger than 1024 KiB"), "{e}");
        assert_eq!(script.requests(), 1, "a too-large answer is not retried");
        assert!(started.elapsed() < Duration::from_secs(20));
        let oidc = OidcClient::new(http(), script.url.clone()).with_retry(fast_retry());
        let e = oidc.create_token(&refresh()).await.expect_err("refused");
        assert_eq!(e.code(), "service_unexpected", "{e}");
    }
}

fn refresh() -> CreateTokenRequest {
    CreateTokenRequest {
        client_id: "cid".into(),
        client_secret: Secret::new("CLIENT-SECRET"),
        grant_type: GRANT_REFRESH_TOKEN.into(),
        refresh_token: Some(Secret::new("REFRESH-TOKEN")),
        ..Default::default()
    }
}

#[tokio::test]
async fn oidc_retries_server_errors_and_refuses_values_that_would_overflow_issue_20() {
    let script = serve(vec![
        plain(
            500,
            r#"{"error":"server_error","error_description":"boom"}"#,
        ),
        plain(
            200,
            r#"{"accessToken":"ACCESS","expiresIn":9223372036854775807,"refreshToken":"R"}"#,
        ),
    ])
    .await;
    let oidc = OidcClient::new(http(), script.url.clone()).with_retry(fast_retry());
    let e = oidc.create_token(&refresh()).await.expect_err("refused");
    assert_eq!(e.code(), "service_unexpected", "{e}");
    assert_eq!(script.requests(), 2);
    let text = e.to_string();
    assert!(text.contains("expiresIn"), "{text}");
    for secret in ["ACCESS", "CLIENT-SECRET", "REFRESH-TOKEN"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn oidc_registration_refusals_and_throttling_have_their_codes() {
    let script = serve(vec![with_type(
        400,
        "InvalidClientException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
        r#"{"error":"invalid_client","error_description":"Client is invalid"}"#,
    )])
    .await;
    let oidc = OidcClient::new(http(), script.url.clone()).with_retry(fast_retry());
    let e = oidc.create_token(&refresh()).await.expect_err("refused");
    assert_eq!(e.code(), "registration_refused");
    assert_eq!(script.requests(), 1);
    let script = serve(vec![with_type(429, "TooManyRequestsException", "{}")]).await;
    let oidc = OidcClient::new(http(), script.url.clone()).with_retry(fast_retry());
    let e = oidc.create_token(&refresh()).await.expect_err("throttled");
    assert_eq!(e.code(), "throttled", "{e}");
    assert_eq!(script.requests(), 5);
}

#[tokio::test]
async fn garbage_instead_of_http_is_an_error_not_a_panic() {
    for bytes in [
        b"\x00\xff\xfe garbage\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n{\"a\"".to_vec(),
        b"HTTP/1.1 999999 ???\r\n\r\n".to_vec(),
        Vec::new(),
    ] {
        let script = serve(vec![Answer::Garbage(bytes.clone())]).await;
        let e = role_credentials(&script).await.expect_err("garbage");
        assert!(
            ["unreachable", "service_unexpected"].contains(&e.code()),
            "{bytes:?}: {e}"
        );
        let oidc = OidcClient::new(http(), script.url.clone()).with_retry(fast_retry());
        let _ = oidc.create_token(&refresh()).await.expect_err("garbage");
    }
}

#[tokio::test]
async fn an_sts_answer_that_is_not_sts_quotes_the_status_not_unknown_issue_20() {
    let script = serve(vec![plain(
        502,
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>",
    )])
    .await;
    let creds = RoleCredentials {
        access_key_id: "ASIAX".into(),
        secret_access_key: Secret::new("SECRET-KEY"),
        session_token: Secret::new("SESSION-TOKEN"),
        expiration: time::OffsetDateTime::UNIX_EPOCH,
        account_id: None,
    };
    let e = lanyard_aws::sts::get_caller_identity_with(
        &http(),
        &script.url,
        "us-east-1",
        &creds,
        time::OffsetDateTime::from_unix_timestamp(1_767_225_600).expect("now"),
        &fast_retry(),
    )
    .await
    .expect_err("unexpected");
    assert_eq!(e.code(), "service_unexpected");
    assert_eq!(script.requests(), 5, "a 502 is retried as botocore does");
    let text = e.to_string();
    assert!(!text.contains("Unknown"), "{text}");
    assert!(
        text.contains("HTTP 502") && text.contains("502 Bad Gateway"),
        "{text}"
    );
    assert!(
        !text.contains("SECRET-KEY") && !text.contains("SESSION-TOKEN"),
        "{text}"
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable_naming_the_host_after_the_retries() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let e = lanyard_aws::portal::get_role_credentials_with(
        &http(),
        &base,
        &Secret::new("t"),
        "1",
        "R",
        &fast_retry(),
    )
    .await
    .expect_err("unreachable");
    assert_eq!(e.code(), "unreachable");
    assert!(
        e.to_string()
            .contains(&format!("127.0.0.1:{port} refused the connection")),
        "{e}"
    );
    let oidc = OidcClient::new(http(), base.clone()).with_retry(fast_retry());
    let e = oidc
        .create_token(&refresh())
        .await
        .expect_err("unreachable");
    assert_eq!(e.code(), "unreachable");
    assert!(e.to_string().contains(&base), "{e}");
}
