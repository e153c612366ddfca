//! [`Secret`]: the wrapper for tokens, client secrets, authorization codes and role credentials.
//! It prints `<redacted>` in Debug and Display, is wiped from memory on drop, and refuses plain
//! serde serialization: writing a secret to a cache file must be spelled out with
//! [`serialize_exposed`], so a secret can never reach a log, an error, or the webview by accident.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroize;

/// What Debug and Display print instead of the value.
pub const REDACTED: &str = "<redacted>";

/// A secret string. Read it with [`Secret::expose`] at the one place it is needed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself. Call this only where the value leaves for its legitimate destination
    /// (an HTTP request, a cache file written in the AWS CLI's format).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Serializing a `Secret` directly is an error: a struct that derives `Serialize` and holds a
/// secret fails instead of leaking it. Use `#[serde(serialize_with = "serialize_exposed")]` on
/// the fields that must really be written.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "refusing to serialize a secret; use lanyard_core::secret::serialize_exposed",
        ))
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// Writes the secret's value: the explicit opt-in for cache files in the AWS CLI's format.
pub fn serialize_exposed<S: Serializer>(secret: &Secret, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

/// [`serialize_exposed`] for optional fields.
pub fn serialize_exposed_opt<S: Serializer>(
    secret: &Option<Secret>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(s) => serializer.serialize_some(s.expose()),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "aoaAAAAAGVyLXNlY3JldC10b2tlbi12YWx1ZQ";

    #[derive(Debug, Serialize)]
    struct Accidental {
        name: &'static str,
        token: Secret,
    }

    #[derive(Serialize, Deserialize)]
    struct CacheFile {
        #[serde(rename = "accessToken", serialize_with = "serialize_exposed")]
        access_token: Secret,
    }

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new(VALUE);
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{s}"), REDACTED);
        assert_eq!(format!("{s:#?}"), REDACTED);
        let holder = Accidental {
            name: "corp",
            token: s,
        };
        let debug = format!("{holder:?} {holder:#?}");
        assert!(!debug.contains(VALUE), "{debug}");
        assert!(debug.contains(REDACTED));
    }

    #[test]
    fn accidental_serialization_fails_instead_of_leaking() {
        let holder = Accidental {
            name: "corp",
            token: Secret::new(VALUE),
        };
        let err = serde_json::to_string(&holder).expect_err("must refuse");
        assert!(!err.to_string().contains(VALUE));
        assert!(err.to_string().contains("refusing to serialize a secret"));
        assert!(serde_json::to_value(Secret::new(VALUE)).is_err());
    }

    #[test]
    fn explicit_serialization_writes_the_value_and_reads_it_back() {
        let file = CacheFile {
            access_token: Secret::new(VALUE),
        };
        let json = serde_json::to_string(&file).expect("explicit opt-in serializes");
        assert_eq!(json, format!("{{\"accessToken\":\"{VALUE}\"}}"));
        let back: CacheFile = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back.access_token.expose(), VALUE);
    }

    #[test]
    fn errors_built_from_a_secret_do_not_contain_it() {
        let s = Secret::new(VALUE);
        let message = format!("token {s} was rejected");
        assert_eq!(message, "token <redacted> was rejected");
    }
}
