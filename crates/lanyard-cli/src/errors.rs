//! The stable code of a failure, as the window gets it (`error.<code>`): found in the error's
//! chain, so that `--json` can print `{"error": {"code", "message"}}` for scripts that branch on
//! it rather than on the words.

use lanyard_core::browser::UnsafeUrl;
use lanyard_core::console::ProfileConsoleError;
use lanyard_core::overview::FetchError;
use lanyard_core::sessions::signin::SessionError;

/// The code of the first error in `err`'s chain that has one; `error` when none has.
pub(crate) fn code(err: &anyhow::Error) -> &'static str {
    for cause in err.chain() {
        // The crate-wide error and each layer's own, however `?` carried it.
        if let Some(code) = lanyard_core::error::code_of(cause) {
            return code;
        }
        if let Some(e) = cause.downcast_ref::<SessionError>() {
            return e.code();
        }
        if let Some(e) = cause.downcast_ref::<UnsafeUrl>() {
            return e.code();
        }
        match cause.downcast_ref::<FetchError>() {
            Some(FetchError::Resolve(e)) => return e.code(),
            Some(FetchError::Session(e)) => return e.code(),
            Some(FetchError::Core(e)) => return e.code(),
            _ => {}
        }
        match cause.downcast_ref::<ProfileConsoleError>() {
            Some(ProfileConsoleError::Credentials(FetchError::Resolve(e))) => return e.code(),
            Some(ProfileConsoleError::Credentials(FetchError::Session(e))) => return e.code(),
            Some(ProfileConsoleError::Credentials(FetchError::Core(e))) => return e.code(),
            Some(ProfileConsoleError::Core(e)) => return e.code(),
            _ => {}
        }
    }
    "error"
}

/// `err`, saying how to write the value anyway when it is an output format Lanyard does not
/// know (the one refusal `--force` overrides).
pub(crate) fn force_hint(err: impl Into<anyhow::Error>) -> anyhow::Error {
    let err = err.into();
    if code(&err) == "invalid_output" {
        err.context("nothing written (--force writes an output format a newer AWS CLI knows)")
    } else {
        err
    }
}

/// `{"error": {"code", "message"}}`, the message as stderr shows it.
pub(crate) fn json(err: &anyhow::Error) -> String {
    serde_json::json!({"error": {"code": code(err), "message": format!("{err:#}")}}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_core::config::values::ValueError;
    use lanyard_core::sessions::resolve::ResolveError;

    #[test]
    fn the_code_is_found_through_context_and_wrappers() {
        let value = ValueError::Output {
            value: "xml".into(),
        };
        let e =
            anyhow::Error::new(lanyard_core::Error::from(value.clone())).context("nothing written");
        assert_eq!(code(&e), "invalid_output");
        assert_eq!(code(&anyhow::Error::new(value)), "invalid_output");
        let inconsistent = ResolveError::Inconsistent {
            key: "sso_region".into(),
            profile: "eu-west-1".into(),
            session: "us-east-1".into(),
        };
        let e = anyhow::Error::new(FetchError::Resolve(inconsistent));
        assert_eq!(code(&e), "sso_inconsistent");
        assert_eq!(code(&anyhow::anyhow!("plain words")), "error");
        let j: serde_json::Value =
            serde_json::from_str(&json(&anyhow::Error::new(ValueError::Region {
                key: "region",
                value: "US East".into(),
            })))
            .expect("json");
        assert_eq!(j["error"]["code"], "invalid_region");
        assert!(j["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("\"US East\"")));
    }
}
