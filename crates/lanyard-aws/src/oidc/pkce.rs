//! PKCE values and the authorize URL exactly as the AWS CLI makes them (PROTOCOL §2): a
//! 64-character verifier from `[A-Za-z0-9-._~]`, its S256 challenge (43 characters), a UUID4
//! `state`, and the query in the CLI's order with `scopes` (plural) and `code_challenge` last.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::secret::Secret;

const VERIFIER_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// Random bytes from the operating system.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS random source failing is not something a login can recover from.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut buf).expect("the operating system's random source is unavailable");
    buf
}

/// A new code verifier: 64 characters drawn uniformly from the 66 unreserved characters.
pub fn new_verifier() -> Secret {
    let mut out = String::with_capacity(64);
    while out.len() < 64 {
        for b in random_bytes::<96>() {
            // Rejection sampling keeps the draw uniform: 264 = 4 × 66.
            if (b as usize) < 4 * VERIFIER_CHARS.len() && out.len() < 64 {
                out.push(VERIFIER_CHARS[b as usize % VERIFIER_CHARS.len()] as char);
            }
        }
    }
    Secret::new(out)
}

/// The S256 challenge of a verifier: base64url(SHA-256(verifier)) without padding.
pub fn challenge(verifier: &Secret) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// A random UUID version 4, as Python's `str(uuid.uuid4())` prints it.
pub fn new_state() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Python's `urllib.parse.quote_plus`: letters, digits and `_.-~` stay, space becomes `+`,
/// every other byte is `%XX`.
pub fn quote_plus(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The redirect URI for a loopback port, as sent to /authorize and CreateToken.
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}/oauth/callback")
}

/// The authorize URL: `{base}/authorize?response_type=code&client_id=…&redirect_uri=…&state=…
/// &code_challenge_method=S256&scopes=…&code_challenge=…`.
pub fn authorize_url(
    base: &str,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    scopes: &[String],
    code_challenge: &str,
) -> String {
    format!(
        "{}/authorize?response_type=code&client_id={}&redirect_uri={}&state={}&code_challenge_method=S256&scopes={}&code_challenge={}",
        base.trim_end_matches('/'),
        quote_plus(client_id),
        quote_plus(redirect_uri),
        quote_plus(state),
        quote_plus(&scopes.join(" ")),
        code_challenge
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifier_is_64_unreserved_characters_and_differs_each_time() {
        let a = new_verifier();
        let b = new_verifier();
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().bytes().all(|c| VERIFIER_CHARS.contains(&c)));
        assert_ne!(a.expose(), b.expose());
    }

    #[test]
    fn challenge_is_base64url_sha256_without_padding() {
        // Expected value computed the AWS CLI's way:
        // base64.urlsafe_b64encode(hashlib.sha256(v.encode()).digest()).rstrip(b"=")
        let v = Secret::new("dBjftJeZ4CVP-mJ92K9JtgQh7ku8V1WNwW1nfAAAOhsk");
        assert_eq!(challenge(&v), "AXvcqhgPqwmA36q1QzTV5ZmCF0HUfWf9E0HCe_cYgbU");
        assert_eq!(challenge(&new_verifier()).len(), 43);
    }

    #[test]
    fn state_is_a_version_4_uuid() {
        let s = new_state();
        let parts: Vec<_> = s.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_eq!(&s[14..15], "4");
        assert!(matches!(&s[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn authorize_url_matches_the_cli_byte_for_byte() {
        // The prefix the AWS CLI's functional tests assert, with the parameters in its order.
        let url = authorize_url(
            "https://oidc.us-east-1.amazonaws.com",
            "client-id",
            &redirect_uri(54321),
            "2f1b8c9e-0000-4000-8000-000000000000",
            &["sso:account:access".to_owned()],
            "CHALLENGE",
        );
        assert_eq!(
            url,
            "https://oidc.us-east-1.amazonaws.com/authorize?response_type=code&client_id=client-id&redirect_uri=http%3A%2F%2F127.0.0.1%3A54321%2Foauth%2Fcallback&state=2f1b8c9e-0000-4000-8000-000000000000&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=CHALLENGE"
        );
    }

    #[test]
    fn several_scopes_are_space_joined_then_quoted() {
        let url = authorize_url(
            "http://127.0.0.1:9/",
            "c",
            "r",
            "s",
            &["a:b".to_owned(), "c".to_owned()],
            "x",
        );
        assert!(url.starts_with("http://127.0.0.1:9/authorize?"));
        assert!(url.contains("&scopes=a%3Ab+c&"), "{url}");
    }
}
