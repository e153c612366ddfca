//! Which URLs from a service Lanyard hands to a browser: a device-code verification page
//! (`verificationUriComplete`, chosen by whoever answered StartDeviceAuthorization) is opened
//! only when it is `https://` with a host, or `http://` on this machine's loopback (127.0.0.1,
//! ::1, localhost — a local emulator or proxy); never `file:`, `javascript:`, another scheme or
//! plain `http` across the network. (The PKCE authorize URL is built by Lanyard itself.)

use url::{Host, Url};

/// Why a URL is not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Lanyard did not open {url:?} in the browser: {reason}")]
pub struct UnsafeUrl {
    /// The URL.
    pub url: String,
    /// Why not.
    pub reason: &'static str,
}

impl UnsafeUrl {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        "unsafe_url"
    }
}

/// Whether `host` is this machine's loopback by name or address.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(a) => a.is_loopback(),
        Host::Ipv6(a) => a.is_loopback(),
    }
}

/// `Ok` when `url` may be opened in a browser: `https://` with a host, or `http://` on a
/// loopback host; else why not.
pub fn safe_to_open(url: &str) -> Result<(), UnsafeUrl> {
    let refuse = |reason| {
        Err(UnsafeUrl {
            url: url.to_owned(),
            reason,
        })
    };
    if url.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return refuse("it contains spaces or control characters");
    }
    let Ok(parsed) = Url::parse(url) else {
        return refuse("it is not an absolute URL");
    };
    let Some(host) = parsed.host() else {
        return refuse("it has no host");
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&host) => Ok(()),
        "http" => refuse("it is http:// on a host other than this machine's loopback"),
        _ => refuse("only https:// pages (or http:// on this machine) are opened"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 20: a verification URI is opened only if it is https, or http on a loopback host.
    #[test]
    fn only_https_or_loopback_http_is_opened() {
        for ok in [
            "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
            "https://d-1234567890.awsapps.com/start/#/device?user_code=X",
            "http://127.0.0.1:8123/device?user_code=ABCD",
            "http://127.9.9.9/device",
            "http://[::1]:9/device",
            "http://localhost:9/device",
            "http://LOCALHOST/device",
        ] {
            assert_eq!(safe_to_open(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://device.sso.us-east-1.amazonaws.com/?user_code=X",
            "http://localhost.evil.example/",
            "http://127.0.0.1.evil.example/",
            "http://10.0.0.1/",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "ftp://example.com/",
            "/device?user_code=X",
            "",
            "https://",
            "https://ok.example/ x",
            "https://ok.example/\n--flag",
        ] {
            let e = safe_to_open(bad).expect_err(bad);
            assert_eq!(e.code(), "unsafe_url");
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }
}
