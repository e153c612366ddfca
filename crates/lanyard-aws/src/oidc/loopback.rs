//! The PKCE redirect listener. Unlike the AWS CLI's (all interfaces, any path), it binds
//! 127.0.0.1 only, answers only `GET /oauth/callback`, ignores a callback whose `state` is not
//! ours (400, and keeps waiting), answers the right one with a page saying success or the
//! error, and gives up at its deadline.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::secret::Secret;

/// How long the AWS CLI waits for the redirect.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Why no authorization code arrived.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackError {
    /// The loopback port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port} for the sign-in redirect ({reason}); use --use-device-code")]
    Bind {
        /// The port asked for (0 = any).
        port: u16,
        /// The OS's reason.
        reason: String,
    },
    /// The authorization server redirected with an error (e.g. `access_denied`).
    #[error("the sign-in was not completed: {0}")]
    Denied(String),
    /// Nothing arrived in time.
    #[error("no sign-in redirect arrived within {0} seconds")]
    TimedOut(u64),
}

/// A bound listener waiting for one redirect.
#[derive(Debug)]
pub struct Listener {
    listener: TcpListener,
    port: u16,
}

impl Listener {
    /// Binds 127.0.0.1 on `port` (0 = an ephemeral port).
    pub async fn bind(port: u16) -> Result<Self, CallbackError> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .await
            .map_err(|e| CallbackError::Bind {
                port,
                reason: e.to_string(),
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| CallbackError::Bind {
                port,
                reason: e.to_string(),
            })?
            .port();
        Ok(Listener { listener, port })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The socket's own address (for checking it is loopback).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Waits for the redirect carrying `expected_state`, up to `timeout`.
    pub async fn wait_for_code(
        self,
        expected_state: &str,
        timeout: Duration,
    ) -> Result<Secret, CallbackError> {
        let wait = async {
            loop {
                let Ok((stream, _)) = self.listener.accept().await else {
                    continue;
                };
                match handle(stream, expected_state).await {
                    Some(outcome) => return outcome,
                    None => continue,
                }
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .unwrap_or(Err(CallbackError::TimedOut(timeout.as_secs())))
    }
}

/// Serves one connection; `Some` when it ended the wait.
async fn handle(
    mut stream: TcpStream,
    expected_state: &str,
) -> Option<Result<Secret, CallbackError>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    // Read the request head only (we never need a body), bounded in size and time.
    let read = async {
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .is_err()
    {
        return None;
    }
    let head = String::from_utf8_lossy(&buf);
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if method != "GET" || path != "/oauth/callback" {
        respond(
            &mut stream,
            404,
            "Not found",
            "This address only accepts the sign-in redirect.",
        )
        .await;
        return None;
    }
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if params.get("state").map(String::as_str) != Some(expected_state) {
        tracing::warn!("ignored a sign-in redirect with a wrong or missing state");
        respond(
            &mut stream,
            400,
            "Sign-in not accepted",
            "This redirect does not belong to the sign-in Lanyard is waiting for.",
        )
        .await;
        return None;
    }
    if let Some(error) = params.get("error") {
        let error: String = error
            .chars()
            .take(100)
            .filter(|c| !c.is_control())
            .collect();
        respond(
            &mut stream,
            200,
            "Sign-in failed",
            &format!(
                "The sign-in redirect reported an error: {}",
                html_escape(&error)
            ),
        )
        .await;
        return Some(Err(CallbackError::Denied(error)));
    }
    match params.get("code") {
        Some(code) if !code.is_empty() => {
            respond(
                &mut stream,
                200,
                "Signed in",
                "Lanyard is signed in. You can close this tab.",
            )
            .await;
            Some(Ok(Secret::new(code.clone())))
        }
        _ => {
            respond(
                &mut stream,
                400,
                "Sign-in not accepted",
                "The redirect carries no code.",
            )
            .await;
            None
        }
    }
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} — Lanyard</title></head><body style=\"font-family:system-ui,sans-serif;margin:3rem\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(port: u16, target: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
            .await
            .expect("write");
        let mut out = String::new();
        s.read_to_string(&mut out).await.expect("read");
        let status = out[9..12].parse().expect("status");
        (status, out)
    }

    #[tokio::test]
    async fn binds_loopback_only_and_127_0_0_2_is_refused() {
        let l = Listener::bind(0).await.expect("bind");
        let addr = l.local_addr().expect("addr");
        assert_eq!(addr.ip(), std::net::IpAddr::from(Ipv4Addr::LOCALHOST));
        // Another loopback address (no traffic leaves the machine) must not reach us.
        assert!(TcpStream::connect(("127.0.0.2", l.port())).await.is_err());
    }

    #[tokio::test]
    async fn wrong_state_gets_400_and_the_right_one_then_gives_the_code() {
        let l = Listener::bind(0).await.expect("bind");
        let port = l.port();
        let waiter = tokio::spawn(l.wait_for_code("good-state", Duration::from_secs(20)));
        let (status, body) = get(port, "/oauth/callback?code=stolen&state=evil").await;
        assert_eq!(status, 400);
        assert!(!body.contains("stolen"));
        let (status, _) = get(port, "/favicon.ico").await;
        assert_eq!(status, 404);
        let (status, body) = get(port, "/oauth/callback?code=the-code&state=good-state").await;
        assert_eq!(status, 200);
        assert!(body.contains("You can close this tab"));
        assert!(
            !body.contains("the-code"),
            "the page must not show the code"
        );
        let code = waiter.await.expect("join").expect("code");
        assert_eq!(code.expose(), "the-code");
    }

    #[tokio::test]
    async fn an_error_redirect_ends_the_wait_with_that_error_escaped_on_the_page() {
        let l = Listener::bind(0).await.expect("bind");
        let port = l.port();
        let waiter = tokio::spawn(l.wait_for_code("s", Duration::from_secs(20)));
        let (status, body) = get(port, "/oauth/callback?error=access_denied%3Cb%3E&state=s").await;
        assert_eq!(status, 200);
        assert!(body.contains("access_denied&lt;b&gt;"));
        let err = waiter.await.expect("join").expect_err("denied");
        assert_eq!(err, CallbackError::Denied("access_denied<b>".into()));
    }

    #[tokio::test]
    async fn gives_up_at_the_deadline() {
        let l = Listener::bind(0).await.expect("bind");
        let err = l
            .wait_for_code("s", Duration::from_millis(50))
            .await
            .expect_err("timeout");
        assert!(matches!(err, CallbackError::TimedOut(_)));
    }

    #[tokio::test]
    async fn a_taken_port_is_a_clear_error_suggesting_the_device_code() {
        let first = Listener::bind(0).await.expect("bind");
        let err = Listener::bind(first.port()).await.expect_err("taken");
        assert!(err.to_string().contains("--use-device-code"), "{err}");
    }
}
