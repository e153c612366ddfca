//! The values Lanyard refuses to write into the config (and to use as a console region): a
//! start URL that is not `https://` with a host, a region name botocore refuses
//! (`validate_region_name`), an account id that is not 12 digits, an output format the AWS CLI
//! does not have. One rule each, shared by the CLI, the window and `config check` (whose error
//! findings use the same words), so that a value is refused — naming it, writing nothing —
//! rather than written with a warning.

/// The output formats of the AWS CLI v2 (`--output`; v1 knows the first three).
pub const OUTPUT_FORMATS: [&str; 5] = ["json", "text", "table", "yaml", "yaml-stream"];

/// A value that cannot be written or used. Each names the key and the value as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// Not an absolute `https://` URL with a host.
    #[error("{key} {value:?} cannot be used as a start URL: {reason}")]
    StartUrl {
        /// The key (`sso_start_url`).
        key: &'static str,
        /// The value given.
        value: String,
        /// Why not.
        reason: &'static str,
    },
    /// A region name botocore refuses.
    #[error(
        "{key} {value:?} is not a region name: Provided region_name '{}' doesn't match a \
         supported format (a region name is letters, digits and hyphens, such as us-east-1)",
        .value.escape_debug()
    )]
    Region {
        /// The key (`region`, `sso_region`, `--region`).
        key: &'static str,
        /// The value given.
        value: String,
    },
    /// Not exactly 12 digits.
    #[error("{key} {value:?} is not an AWS account id: an account id is exactly 12 digits")]
    AccountId {
        /// The key (`sso_account_id`, `aws_account_id`, `lanyard_account_id`, `--account-id`).
        key: &'static str,
        /// The value given.
        value: String,
    },
    /// Not one of [`OUTPUT_FORMATS`].
    #[error(
        "output {value:?} is not an output format of the AWS CLI: use json, text, table, yaml \
         or yaml-stream"
    )]
    Output {
        /// The value given.
        value: String,
    },
    /// Not a page of the AWS console (see [`crate::console::destination`]).
    #[error("console destination {value:?} cannot be used: {reason}")]
    Destination {
        /// The value given.
        value: String,
        /// Why not.
        reason: &'static str,
    },
}

impl ValueError {
    /// A stable, machine-readable code: the window branches on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            ValueError::StartUrl { .. } => "invalid_start_url",
            ValueError::Region { .. } => "invalid_region",
            ValueError::AccountId { .. } => "invalid_account_id",
            ValueError::Output { .. } => "invalid_output",
            ValueError::Destination { .. } => "invalid_destination",
        }
    }
}

pub use crate::endpoints::is_botocore_region;

/// A region name botocore accepts (see [`is_botocore_region`]).
pub fn check_region(key: &'static str, value: &str) -> Result<(), ValueError> {
    if is_botocore_region(value) {
        Ok(())
    } else {
        Err(ValueError::Region {
            key,
            value: value.to_owned(),
        })
    }
}

/// An account id: exactly 12 ASCII digits.
pub fn check_account_id(key: &'static str, value: &str) -> Result<(), ValueError> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ValueError::AccountId {
            key,
            value: value.to_owned(),
        })
    }
}

/// One of the AWS CLI's output formats ([`OUTPUT_FORMATS`]; botocore matches them exactly).
pub fn check_output(value: &str) -> Result<(), ValueError> {
    if OUTPUT_FORMATS.contains(&value) {
        Ok(())
    } else {
        Err(ValueError::Output {
            value: value.to_owned(),
        })
    }
}

/// Why a start URL cannot be used, if it cannot: it must be an absolute `https://` URL with a
/// host (the AWS CLI, since 2.35.13, signs in only over https). A private host is fine: it may
/// be a vanity URL that redirects to Identity Center (checked at sign-in).
fn start_url_problem(value: &str) -> Option<&'static str> {
    if value.trim().is_empty() {
        return Some("it is empty");
    }
    if value.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Some("a URL has no spaces");
    }
    let url = match url::Url::parse(value) {
        Ok(u) => u,
        Err(url::ParseError::EmptyHost) => return Some("it has no host"),
        Err(_) => {
            return Some(
                "it is not a URL; the AWS access portal URL looks like \
                 https://d-1234567890.awsapps.com/start",
            )
        }
    };
    if url.scheme() != "https" {
        return Some(
            "it is not an https:// URL; the AWS CLI (2.35.13 and later) refuses to sign in with it",
        );
    }
    // As written, not as a browser would mend it (`https:host`, `https:///path`).
    let after_scheme = value.get("https://".len()..).unwrap_or_default();
    if !value
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        || after_scheme.starts_with(['/', '\\'])
        || url.host_str().is_none_or(str::is_empty)
    {
        return Some("it has no host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Some("it carries a user name or password");
    }
    None
}

/// A start URL Lanyard can sign in with (see [`start_url_problem`]).
pub fn check_start_url(key: &'static str, value: &str) -> Result<(), ValueError> {
    match start_url_problem(value) {
        None => Ok(()),
        Some(reason) => Err(ValueError::StartUrl {
            key,
            value: value.to_owned(),
            reason,
        }),
    }
}

/// Whether an output format outside [`OUTPUT_FORMATS`] may be written (`--force`: one a newer
/// AWS CLI knows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Outputs {
    /// Only the AWS CLI's formats.
    #[default]
    Known,
    /// Any value (still one without spaces).
    Any,
}

/// Checks one key of a profile or sso-session as it is about to be written: the keys with a
/// rule above (`sso_start_url`, `sso_region`, `region`, `sso_account_id`, `aws_account_id`,
/// `lanyard_account_id`, `output`); any other key passes. Key names are botocore's (lower case).
pub fn check_key(key: &str, value: &str, outputs: Outputs) -> Result<(), ValueError> {
    let value = value.trim();
    match key {
        "sso_start_url" => check_start_url("sso_start_url", value),
        "sso_region" => check_region("sso_region", value),
        "region" => check_region("region", value),
        "sso_account_id" => check_account_id("sso_account_id", value),
        "aws_account_id" => check_account_id("aws_account_id", value),
        "lanyard_account_id" => check_account_id("lanyard_account_id", value),
        "output" if outputs == Outputs::Known => check_output(value),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_urls_must_be_https_with_a_host() {
        for ok in [
            "https://d-1234567890.awsapps.com/start",
            "https://d-1234567890.awsapps.com/start/",
            "https://sso.corp.internal/start",
            "https://identitycenter.amazonaws.com/ssoins-1234",
            "HTTPS://d-1.awsapps.com/start",
        ] {
            assert_eq!(check_start_url("sso_start_url", ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("http://d-1234567890.awsapps.com/start", "not an https"),
            ("", "empty"),
            ("   ", "empty"),
            ("d-1234567890.awsapps.com/start", "not a URL"),
            ("my portal", "no spaces"),
            ("https://", "no host"),
            ("https:///start", "no host"),
            ("https:d-1.awsapps.com/start", "no host"),
            ("ftp://d-1.awsapps.com/start", "not an https"),
            ("javascript:alert(1)", "not an https"),
            ("https://me:pw@d-1.awsapps.com/start", "user name"),
        ] {
            let e = check_start_url("sso_start_url", bad).expect_err(bad);
            assert_eq!(e.code(), "invalid_start_url");
            let text = e.to_string();
            assert!(text.contains(&format!("{bad:?}")), "{text}");
            assert!(text.contains(why), "{bad}: {text}");
        }
    }

    /// botocore's regex, case by case: what `validate_region_name` accepts and refuses.
    #[test]
    fn regions_follow_botocores_validate_region_name() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "eu-isoe-west-1",
            "Tokyo",
            "useast1",
            "a",
            &"a".repeat(63),
        ] {
            assert!(is_botocore_region(ok), "{ok}");
        }
        for bad in [
            "US East",
            "us_east_1",
            "-us-east-1",
            "us-east-1-",
            "123",
            "",
            "us-east-1.evil.com",
            "us-east-1/",
            &"a".repeat(64),
            "üs-east-1",
        ] {
            assert!(!is_botocore_region(bad), "{bad}");
        }
        let e = check_region("region", "US East").expect_err("refused");
        assert_eq!(e.code(), "invalid_region");
        assert_eq!(
            e.to_string(),
            "region \"US East\" is not a region name: Provided region_name 'US East' doesn't \
             match a supported format (a region name is letters, digits and hyphens, such as \
             us-east-1)"
        );
    }

    #[test]
    fn account_ids_are_exactly_12_digits() {
        assert_eq!(check_account_id("sso_account_id", "123456789012"), Ok(()));
        for bad in [
            "12345678901",
            "1234567890123",
            "12345678901a",
            "",
            "１２３４５６７８９０１２",
        ] {
            let e = check_account_id("sso_account_id", bad).expect_err(bad);
            assert_eq!(e.code(), "invalid_account_id");
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn outputs_are_the_aws_clis_unless_any_is_allowed() {
        for ok in OUTPUT_FORMATS {
            assert_eq!(check_key("output", ok, Outputs::Known), Ok(()));
        }
        for bad in ["xml", "JSON", "", "json ; pretty"] {
            let e = check_key("output", bad, Outputs::Known).expect_err(bad);
            assert_eq!(e.code(), "invalid_output");
        }
        assert_eq!(check_key("output", "off", Outputs::Any), Ok(()));
    }

    /// Issue 20: the writers the CLI and the window share refuse a bad value with the file's
    /// document unchanged.
    #[test]
    fn the_shared_writers_refuse_a_bad_value_and_change_nothing() {
        use crate::config::edit::{set_profile_keys, set_profile_keys_with, upsert_sso_session};
        use crate::config::KeyPath;
        let text = "[profile dev]\nregion = us-east-1\n[sso-session corp]\n\
                    sso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n";
        let mut doc = aws_config_edit::Document::parse(text);
        let key = |k: &str, v: &str| (KeyPath::Key(k.into()), v.to_owned());
        let pairs = [key("region", "eu-west-1"), key("output", "xml")];
        let e = set_profile_keys(&mut doc, "new", &pairs).expect_err("xml");
        assert_eq!((e.code(), doc.to_text().as_str()), ("invalid_output", text));
        let e = set_profile_keys(&mut doc, "dev", &[key("sso_account_id", "1")]).expect_err("id");
        assert_eq!(
            (e.code(), doc.to_text().as_str()),
            ("invalid_account_id", text)
        );
        let e = upsert_sso_session(&mut doc, "corp", Some("http://x/start"), None, None)
            .expect_err("http");
        assert_eq!(
            (e.code(), doc.to_text().as_str()),
            ("invalid_start_url", text)
        );
        let e = upsert_sso_session(&mut doc, "x", None, Some("US East"), None).expect_err("region");
        assert_eq!((e.code(), doc.to_text().as_str()), ("invalid_region", text));
        set_profile_keys_with(&mut doc, "dev", &[key("output", "off")], Outputs::Any)
            .expect("forced");
        assert!(doc.to_text().contains("output = off\n"));
    }

    #[test]
    fn check_key_applies_each_keys_rule_and_passes_other_keys() {
        let code = |k: &str, v: &str| check_key(k, v, Outputs::Known).err().map(|e| e.code());
        assert_eq!(code("sso_start_url", "http://x"), Some("invalid_start_url"));
        assert_eq!(code("sso_region", "US East"), Some("invalid_region"));
        assert_eq!(code("region", "US East"), Some("invalid_region"));
        assert_eq!(code("sso_account_id", "1"), Some("invalid_account_id"));
        assert_eq!(code("aws_account_id", "1"), Some("invalid_account_id"));
        assert_eq!(code("lanyard_account_id", "1"), Some("invalid_account_id"));
        assert_eq!(code("region", " us-east-1 "), None, "values are trimmed");
        assert_eq!(code("cli_pager", "anything at all"), None);
    }
}
