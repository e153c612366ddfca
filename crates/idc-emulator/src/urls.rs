//! URL rules the OIDC service and the browser pages share: splitting an absolute http(s) URL,
//! which redirect URIs a client may register, and redirect URI matching (loopback on any port).

/// The parts of a URL the emulator cares about.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    pub(crate) scheme: &'a str,
    pub(crate) host: &'a str,
    pub(crate) port: Option<&'a str>,
    pub(crate) rest: &'a str,
}

/// Splits `scheme://host[:port]rest`; None when it is not an absolute http(s) URL.
pub(crate) fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
        let close = stripped.find(']')?;
        let host = &authority[..close + 2];
        let tail = &stripped[close + 1..];
        (host, tail.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty()
        || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(UrlParts {
        scheme,
        host,
        port,
        rest,
    })
}

fn is_loopback_host(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// Redirect URI matching: exact, except that a loopback http URI matches on any port (RFC 8252
/// §7.3), which the AWS CLI relies on: it registers `http://127.0.0.1/oauth/callback`.
pub(crate) fn redirect_matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let (Some(a), Some(b)) = (split_url(registered), split_url(requested)) else {
        return false;
    };
    a.scheme.eq_ignore_ascii_case("http")
        && b.scheme.eq_ignore_ascii_case("http")
        && is_loopback_host(a.host)
        && a.host.eq_ignore_ascii_case(b.host)
        && a.rest == b.rest
}

/// Whether a client may register this redirect URI: https, or http on a loopback host.
pub(crate) fn valid_redirect_uri(uri: &str) -> bool {
    match split_url(uri) {
        Some(p) if p.scheme.eq_ignore_ascii_case("https") => true,
        Some(p) => is_loopback_host(p.host),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_match_any_port() {
        let reg = "http://127.0.0.1/oauth/callback";
        assert!(redirect_matches(
            reg,
            "http://127.0.0.1:54321/oauth/callback"
        ));
        assert!(redirect_matches(reg, reg));
        assert!(!redirect_matches(reg, "http://127.0.0.1:54321/other"));
        assert!(!redirect_matches(
            reg,
            "http://localhost:54321/oauth/callback"
        ));
        assert!(!redirect_matches(
            reg,
            "https://127.0.0.1:54321/oauth/callback"
        ));
        assert!(!redirect_matches(
            "https://app.example/cb",
            "https://app.example:8443/cb"
        ));
        assert!(redirect_matches("http://[::1]/cb", "http://[::1]:9/cb"));
    }

    #[test]
    fn redirect_uri_validation() {
        assert!(valid_redirect_uri("http://127.0.0.1/oauth/callback"));
        assert!(valid_redirect_uri("https://example.com/cb"));
        assert!(!valid_redirect_uri("http://example.com/cb"));
        assert!(!valid_redirect_uri("ftp://127.0.0.1/cb"));
        assert!(!valid_redirect_uri("http://user@127.0.0.1/cb"));
    }
}
