//! The AWS CLI's cache file names (PROTOCOL §4): SHA-1 over exactly the text the CLI hashes, so
//! Lanyard, the AWS CLI and the SDKs find each other's files.

use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use crate::pyjson::{self, Style};

fn sha1_hex(text: &str) -> String {
    hex::encode(Sha1::digest(text.as_bytes()))
}

/// `~/.aws/sso/cache/<this>.json` for a token: SHA-1 of the sso-session name, or for a legacy
/// profile of its `sso_start_url` exactly as configured (a trailing `/` changes the key).
pub fn token_file_stem(session_name_or_start_url: &str) -> String {
    sha1_hex(session_name_or_start_url)
}

/// `~/.aws/sso/cache/<this>.json` for a client registration: SHA-1 of
/// `json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"},
/// sort_keys=True)` — `scopes` is the configured list or null, `session_name` null for legacy.
pub fn registration_file_stem(
    start_url: &str,
    region: &str,
    scopes: Option<&[String]>,
    session_name: Option<&str>,
) -> String {
    let args = json!({
        "tool": "botocore",
        "startUrl": start_url,
        "region": region,
        "scopes": scopes.map(|s| Value::from(s.to_vec())).unwrap_or(Value::Null),
        "session_name": session_name,
    });
    sha1_hex(&pyjson::dumps(&args, Style::SORTED))
}

/// What identifies the session of a role-credentials entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleSessionKey<'a> {
    /// An sso-session profile: the session's name.
    SessionName(&'a str),
    /// A legacy profile: its configured start URL.
    StartUrl(&'a str),
}

/// `~/.aws/cli/cache/<this>.json` for role credentials: SHA-1 of the compact sorted JSON
/// `{"accountId","roleName","sessionName"|"startUrl"}`, made file-safe (`:` and `/` → `_`).
pub fn role_credentials_file_stem(
    account_id: &str,
    role_name: &str,
    session: RoleSessionKey<'_>,
) -> String {
    let mut args = serde_json::Map::new();
    args.insert("accountId".into(), account_id.into());
    args.insert("roleName".into(), role_name.into());
    match session {
        RoleSessionKey::SessionName(n) => args.insert("sessionName".into(), n.into()),
        RoleSessionKey::StartUrl(u) => args.insert("startUrl".into(), u.into()),
    };
    sha1_hex(&pyjson::dumps(&Value::Object(args), Style::SORTED_COMPACT)).replace([':', '/'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_file_names_match_the_sdk_test_vectors() {
        // PROTOCOL §4.1, from smithy-rs cache.rs tests.
        assert_eq!(
            token_file_stem("admin"),
            "d033e22ae348aeb5660fc2140aec35850c4da997"
        );
        assert_eq!(
            token_file_stem("https://d-92671207e4.awsapps.com/start"),
            "13f9d35043871d073ab260e020f0ffde092cb14b"
        );
        assert_eq!(
            token_file_stem("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c"
        );
    }

    #[test]
    fn registration_file_name_matches_the_cli_example() {
        // PROTOCOL §4.2.
        let scopes = vec!["sso:account:access".to_owned()];
        assert_eq!(
            registration_file_stem(
                "https://d-1234567890.awsapps.com/start",
                "us-east-1",
                Some(&scopes),
                Some("my-sso")
            ),
            "a8343d65418848d0bc13a5f25cbb32508ceec5d1"
        );
    }

    #[test]
    fn role_credentials_file_name_matches_the_cli_example() {
        // PROTOCOL §4.3.
        assert_eq!(
            role_credentials_file_stem(
                "123456789012",
                "AdministratorAccess",
                RoleSessionKey::SessionName("my-sso")
            ),
            "c61222fe4c86bb5d3638873744d4cab00a0bf176"
        );
    }
}
