//! Identifiers, tokens and secrets: random where the real service is random, and derived (HMAC of
//! the access key id under a per-instance key) for role credentials so that storing each issued
//! credential costs a few dozen bytes.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut rng = rand::thread_rng();
    (0..n).map(|_| rng.gen::<u8>()).collect()
}

/// `n` random characters from `alphabet`.
pub(crate) fn random_from(alphabet: &[u8], n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())]))
        .collect()
}

/// A request id in UUID form, as AWS sends in `x-amzn-RequestId`.
pub(crate) fn request_id() -> String {
    let b = random_bytes(16);
    let h = hex::encode(b);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// A client id like the service's (22 url-safe characters and the region, base64).
pub(crate) fn client_id() -> String {
    format!("{}dXMtZWFzdC0x", URL_SAFE_NO_PAD.encode(random_bytes(16)))
}

/// A client secret: the service sends a long JWT-like string.
pub(crate) fn client_secret() -> String {
    format!(
        "eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.{}.{}",
        URL_SAFE_NO_PAD.encode(random_bytes(240)),
        URL_SAFE_NO_PAD.encode(random_bytes(48))
    )
}

/// An access token (`aoa…`) or refresh token (`aor…`).
pub(crate) fn token(prefix: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random_bytes(192)))
}

/// A device code.
pub(crate) fn device_code() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(48))
}

/// A user code like `LQXW-GMFR`.
pub(crate) fn user_code() -> String {
    const A: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    format!("{}-{}", random_from(A, 4), random_from(A, 4))
}

/// An opaque one-time value (authorization codes, sign-in tokens, pending-request ids).
pub(crate) fn opaque(n_bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(n_bytes))
}

/// A fresh temporary access key id (`ASIA` + 16 base-32 characters).
pub(crate) fn access_key_id() -> String {
    format!(
        "ASIA{}",
        random_from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    )
}

/// The secret access key that goes with `akid` under this instance's `key`.
pub(crate) fn secret_for(key: &[u8], akid: &str) -> String {
    let mut s = STANDARD.encode(hmac(key, format!("secret/{akid}").as_bytes()));
    s.truncate(40);
    s
}

/// The session token that goes with `akid` under this instance's `key`.
pub(crate) fn session_token_for(key: &[u8], akid: &str) -> String {
    let mut raw = Vec::with_capacity(32 * 6);
    for i in 0..6 {
        raw.extend_from_slice(&hmac(key, format!("token{i}/{akid}").as_bytes()));
    }
    format!("IQoJb3JpZ2luX2VjE{}", STANDARD.encode(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(request_id().len(), 36);
        assert!(access_key_id().starts_with("ASIA"));
        assert_eq!(access_key_id().len(), 20);
        assert_eq!(secret_for(b"k", "ASIAX").len(), 40);
        assert_eq!(secret_for(b"k", "ASIAX"), secret_for(b"k", "ASIAX"));
        assert_ne!(secret_for(b"k", "ASIAX"), secret_for(b"j", "ASIAX"));
        assert!(session_token_for(b"k", "ASIAX").len() > 200);
        let uc = user_code();
        assert_eq!(uc.len(), 9);
        assert_eq!(&uc[4..5], "-");
        assert!(token("aoa").starts_with("aoa"));
    }
}
