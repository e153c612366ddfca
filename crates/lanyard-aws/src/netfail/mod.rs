//! What went wrong on the way to an AWS service, said plainly: a transport failure classified
//! (DNS, refused, timeout, cut, proxy, TLS) naming the host, the proxy and the trust in force;
//! answer bodies read under a size bound; short, clean quotes of error answers.
//!
//! The HTTP client of [`crate::http::client_with`] carries a connector layer (`layer.rs`) that
//! wraps every connection failure with the trust and proxies that client was built with, so the
//! classification ([`NetFailure::from_reqwest`]) names them whoever made the call.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod body;
mod layer;

pub use body::{clean, snippet};
pub(crate) use body::{json_reason, read_limited, BodyError};
use layer::Tagged;
pub(crate) use layer::{NetContext, TagLayer};

/// How long a connection (TCP, proxy tunnel and TLS handshake) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The most an OIDC, STS, GetRoleCredentials or Logout answer may weigh.
pub const SMALL_BODY_LIMIT: usize = 1 << 20;

/// The most one page of a portal listing may weigh (100 accounts take ~20 KB).
pub const PAGE_BODY_LIMIT: usize = 8 << 20;

/// The longest quote of an answer or of a service's message.
pub const SNIPPET_CHARS: usize = 200;

/// Which way the connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetFailureKind {
    /// The host name does not resolve.
    Dns,
    /// Nothing accepted the connection.
    Refused,
    /// No connection, or no answer, in time.
    Timeout,
    /// The connection was cut before the answer was complete.
    Reset,
    /// The proxy in use could not be reached or would not connect to the host.
    Proxy,
    /// The TLS handshake failed, typically a certificate that is not trusted.
    Tls,
    /// Anything else.
    Other,
}

/// A transport failure, classified. Never carries a URL's query, a token or a proxy password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetFailure {
    /// Which way it failed.
    pub kind: NetFailureKind,
    /// `host:port` of the service.
    pub host: String,
    /// The proxy the request went through (user and password removed), if any.
    pub proxy: Option<String>,
    /// Which certificates were trusted ([`crate::http::trust_description`]), when known.
    pub trust: Option<String>,
    /// Whether it failed while connecting (nothing of the request was sent).
    pub connecting: bool,
    /// The innermost cause, cleaned and shortened.
    pub detail: String,
}

impl NetFailure {
    /// Classifies a failure of a request to `endpoint` (a base URL).
    pub fn from_reqwest(e: reqwest::Error, endpoint: &str) -> Self {
        let e = e.without_url();
        Self::classify(&e, e.is_connect(), e.is_timeout(), endpoint)
    }

    /// Classifies an error chain (`connect`, `timeout`: what the HTTP client said of it).
    fn classify(
        e: &(dyn StdError + 'static),
        connect: bool,
        timeout: bool,
        endpoint: &str,
    ) -> Self {
        let (hostname, host, scheme) = host_of(endpoint);
        let mut ctx: Option<Arc<NetContext>> = None;
        let mut texts: Vec<String> = Vec::new();
        let mut io_kinds = Vec::new();
        let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
        while let Some(s) = cur {
            if let Some(t) = s.downcast_ref::<Tagged>() {
                ctx.get_or_insert_with(|| t.ctx.clone());
            }
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                io_kinds.push(io.kind());
            }
            let text = s.to_string();
            if !texts.contains(&text) {
                texts.push(text);
            }
            cur = s.source();
        }
        let all = texts.join(" | ").to_ascii_lowercase();
        let has = |needles: &[&str]| needles.iter().any(|n| all.contains(n));
        let io = |kinds: &[std::io::ErrorKind]| io_kinds.iter().any(|k| kinds.contains(k));
        let proxy = ctx.as_ref().and_then(|c| c.proxy_for(&scheme, &hostname));
        let connecting = connect || ctx.is_some();
        use std::io::ErrorKind as K;
        let kind = if has(&[
            "certificate",
            "tls",
            "handshake",
            "fatal alert",
            "corrupt message",
            "peer is incompatible",
            "peer misbehaved",
        ]) {
            NetFailureKind::Tls
        } else if timeout || io(&[K::TimedOut]) {
            NetFailureKind::Timeout
        } else if proxy.is_some() && connecting {
            NetFailureKind::Proxy
        } else if has(&[
            "dns error",
            "failed to lookup address",
            "name or service not known",
            "nodename nor servname",
            "no such host",
            "name resolution",
        ]) {
            NetFailureKind::Dns
        } else if io(&[K::ConnectionRefused]) || has(&["connection refused"]) {
            NetFailureKind::Refused
        } else if io(&[
            K::ConnectionReset,
            K::ConnectionAborted,
            K::BrokenPipe,
            K::UnexpectedEof,
        ]) || has(&[
            "connection closed",
            "connection reset",
            "incomplete message",
            "unexpected eof",
        ]) {
            NetFailureKind::Reset
        } else {
            NetFailureKind::Other
        };
        let detail = texts.last().map_or_else(String::new, |t| clean(t, 300));
        NetFailure {
            kind,
            host,
            proxy,
            trust: ctx.map(|c| c.trust.clone()),
            connecting,
            detail,
        }
    }

    /// The machine code: `tls` for a refused handshake, else `unreachable`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            NetFailureKind::Tls => "tls",
            _ => "unreachable",
        }
    }

    /// Whether an idempotent call may be sent again (as botocore retries connection errors).
    pub fn retryable(&self) -> bool {
        matches!(
            self.kind,
            NetFailureKind::Refused | NetFailureKind::Timeout | NetFailureKind::Reset
        )
    }

    /// Whether any call may be sent again, even one that is not idempotent: nothing of it
    /// reached the service.
    pub fn safe_to_resend(&self) -> bool {
        self.connecting && matches!(self.kind, NetFailureKind::Refused | NetFailureKind::Timeout)
    }
}

impl fmt::Display for NetFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = &self.host;
        let detail = &self.detail;
        let via = self
            .proxy
            .as_deref()
            .map(|p| format!(" (through the proxy {p})"))
            .unwrap_or_default();
        match self.kind {
            NetFailureKind::Dns => write!(
                f,
                "the name of {host} does not resolve (DNS lookup failed{via}: {detail})"
            ),
            NetFailureKind::Refused => write!(f, "{host} refused the connection{via} ({detail})"),
            NetFailureKind::Timeout if self.connecting => write!(
                f,
                "{host} did not accept a connection in time{via} ({detail})"
            ),
            NetFailureKind::Timeout => write!(f, "{host} did not answer in time{via} ({detail})"),
            NetFailureKind::Reset => write!(
                f,
                "the connection to {host} was cut before the answer was complete{via} ({detail})"
            ),
            NetFailureKind::Proxy => write!(
                f,
                "the proxy {} could not connect to {host} ({detail})",
                self.proxy.as_deref().unwrap_or("in use")
            ),
            NetFailureKind::Tls => {
                let trust = self
                    .trust
                    .as_deref()
                    .unwrap_or("the trusted certificates in force");
                if detail.to_ascii_lowercase().contains("certificate") {
                    write!(
                        f,
                        "the certificate of {host} is not trusted by {trust}{via}: {detail} (if \
                         a TLS-inspecting proxy or a private CA signs it, set AWS_CA_BUNDLE or \
                         the profile's ca_bundle to its PEM file)"
                    )
                } else {
                    write!(
                        f,
                        "the TLS handshake with {host} failed{via}: {detail} (trusting {trust})"
                    )
                }
            }
            NetFailureKind::Other => write!(f, "the request to {host} failed{via}: {detail}"),
        }
    }
}

impl StdError for NetFailure {}

/// `(host name, host:port, scheme)` of a base URL; the whole text when it does not parse.
fn host_of(endpoint: &str) -> (String, String, String) {
    match url::Url::parse(endpoint) {
        Ok(u) => {
            let name = u.host_str().unwrap_or_default().to_owned();
            let host = match u.port_or_known_default() {
                Some(p) => format!("{name}:{p}"),
                None => name.clone(),
            };
            (name, host, u.scheme().to_owned())
        }
        Err(_) => (endpoint.to_owned(), endpoint.to_owned(), String::new()),
    }
}

/// A proxy URL without its user and password.
pub(crate) fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, url),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let rest = match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    let rest = rest.trim_end_matches('/');
    match scheme {
        Some(s) => format!("{s}://{rest}"),
        None => rest.to_owned(),
    }
}

/// Whether `host` bypasses the proxies by `no_proxy` (comma-separated names, `.suffix`, `*`).
pub(crate) fn bypassed(no_proxy: Option<&str>, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    no_proxy.is_some_and(|list| {
        list.split(',').map(str::trim).any(|entry| {
            let entry = entry.trim_start_matches("*.").trim_start_matches('.');
            let entry = entry.split(':').next().unwrap_or(entry);
            entry == "*"
                || (!entry.is_empty()
                    && (host.eq_ignore_ascii_case(entry)
                        || host
                            .to_ascii_lowercase()
                            .ends_with(&format!(".{}", entry.to_ascii_lowercase()))))
        })
    })
}

/// The proxies of the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proxies {
    /// For `https://` URLs.
    pub https: Option<String>,
    /// For `http://` URLs.
    pub http: Option<String>,
    /// Hosts that bypass them (comma-separated, `*` for all).
    pub no_proxy: Option<String>,
}

impl Proxies {
    /// From the environment, the lower-case name first (as `urllib.request.getproxies`).
    pub fn from_env(env: &crate::env::Env) -> Self {
        let get = |name: &str| {
            env.get_str(name)
                .or_else(|| env.get_str(&name.to_ascii_uppercase()))
                .map(str::to_owned)
        };
        Proxies {
            https: get("https_proxy"),
            http: get("http_proxy"),
            no_proxy: get("no_proxy"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::http::Proxies;

    #[test]
    fn proxies_are_named_without_their_password_and_no_proxy_is_honoured() {
        assert_eq!(
            redact("http://user:secret@proxy.corp:3128"),
            "http://proxy.corp:3128"
        );
        assert_eq!(redact("proxy.corp:3128"), "proxy.corp:3128");
        assert_eq!(redact("http://p:1/x@y"), "http://p:1/x@y");
        let ctx = NetContext {
            trust: "t".into(),
            proxies: Proxies {
                https: Some("http://u:p@proxy:3128".into()),
                http: None,
                no_proxy: Some("127.0.0.1, .corp".into()),
            },
        };
        assert_eq!(
            ctx.proxy_for("https", "oidc.us-east-1.amazonaws.com")
                .as_deref(),
            Some("http://proxy:3128")
        );
        assert_eq!(ctx.proxy_for("https", "127.0.0.1"), None);
        assert_eq!(ctx.proxy_for("https", "sso.corp"), None);
        assert_eq!(ctx.proxy_for("http", "example.com"), None);
        assert!(bypassed(Some("*"), "anything"));
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_naming_the_host_and_retryable() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let client = crate::http::client_with(&Default::default()).unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let e = client
            .get(format!("{base}/x?token=1"))
            .send()
            .await
            .unwrap_err();
        let f = NetFailure::from_reqwest(e, &base);
        assert_eq!(f.kind, NetFailureKind::Refused, "{f:?}");
        assert_eq!(f.code(), "unreachable");
        assert!(f.retryable() && f.safe_to_resend() && f.connecting);
        assert_eq!(f.trust.as_deref(), Some("the system's trusted roots"));
        let text = f.to_string();
        assert!(
            text.contains(&format!("127.0.0.1:{port} refused")),
            "{text}"
        );
        assert!(!text.contains("token=1"), "{text}");
    }

    /// An error with a message and a cause, as hyper-util's connect errors are.
    #[derive(Debug)]
    struct Wrapped(&'static str, std::io::Error);

    impl fmt::Display for Wrapped {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Wrapped {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.1)
        }
    }

    #[test]
    fn a_name_that_does_not_resolve_is_a_dns_failure_and_not_retried() {
        let e = Wrapped(
            "dns error",
            std::io::Error::other(
                "failed to lookup address information: Name or service not known",
            ),
        );
        let f = NetFailure::classify(&e, true, false, "https://oidc.example.invalid");
        assert_eq!(f.kind, NetFailureKind::Dns, "{f:?}");
        assert!(!f.retryable());
        let text = f.to_string();
        assert!(
            text.contains("oidc.example.invalid:443") && text.contains("Name or service not known"),
            "{text}"
        );
        let e = Wrapped(
            "client error (Connect)",
            std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer"),
        );
        let f = NetFailure::classify(&e, false, false, "http://127.0.0.1:9");
        assert_eq!(f.kind, NetFailureKind::Reset, "{f:?}");
        assert!(f.retryable() && !f.safe_to_resend());
    }

    #[tokio::test]
    async fn an_unreachable_proxy_is_named_without_its_password() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let options = crate::http::HttpOptions {
            proxies: Proxies {
                https: Some(format!("http://me:hunter2@127.0.0.1:{port}")),
                ..Default::default()
            },
            ..Default::default()
        };
        let client = crate::http::client_with(&options).unwrap();
        let base = "https://oidc.us-east-1.amazonaws.com";
        let e = client.get(base).send().await.unwrap_err();
        let f = NetFailure::from_reqwest(e, base);
        assert_eq!(f.kind, NetFailureKind::Proxy, "{f:?}");
        let text = f.to_string();
        assert!(
            text.contains(&format!("the proxy http://127.0.0.1:{port}"))
                && text.contains("oidc.us-east-1.amazonaws.com:443"),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(f.code(), "unreachable");
    }
}
