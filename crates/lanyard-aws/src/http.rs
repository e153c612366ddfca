//! The one HTTP client set-up for every AWS call Lanyard makes: rustls trusting the platform's
//! root certificates, or — when a CA bundle is in force (`AWS_CA_BUNDLE`, else the profile's
//! `ca_bundle`) — that bundle *instead*, exactly as botocore passes it to urllib3 as `verify`;
//! the proxies of the environment as the AWS CLI takes them (`https_proxy` / `HTTPS_PROXY`,
//! `http_proxy` / `HTTP_PROXY`, `no_proxy` / `NO_PROXY`, lower case first, as Python's
//! `urllib`), bounded timeouts, a user agent naming Lanyard, no redirects followed. Connection
//! failures carry the trust and proxies in force ([`crate::netfail`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::env::Env;
/// The HTTP client could not be set up (a CA bundle or proxy that cannot be used).
#[derive(Debug, thiserror::Error)]
#[error("cannot set up HTTPS: {0}")]
pub struct SetupError(pub String);

impl SetupError {
    /// The stable code the window and `--json` scripts branch on.
    pub fn code(&self) -> &'static str {
        "http"
    }
}

/// Result with [`SetupError`].
pub type Result<T, E = SetupError> = std::result::Result<T, E>;

/// Where the CA bundle in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaSource {
    /// `AWS_CA_BUNDLE`.
    Variable,
    /// The `ca_bundle` key of this profile.
    Profile(String),
}

pub use crate::netfail::Proxies;

/// How to reach AWS over HTTP: extra trusted CAs and proxies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpOptions {
    /// A PEM bundle trusted instead of the platform's roots, and where that choice came from.
    pub ca_bundle: Option<(PathBuf, CaSource)>,
    /// Proxies.
    pub proxies: Proxies,
}

impl HttpOptions {
    /// From the environment and a profile's `ca_bundle` (`AWS_CA_BUNDLE` wins, as botocore).
    pub fn new(env: &Env, profile: Option<(&str, Option<&str>)>) -> Self {
        let ca_bundle = match (env.get("AWS_CA_BUNDLE"), profile) {
            (Some(path), _) => Some((expand_home(env, Path::new(path)), CaSource::Variable)),
            (None, Some((name, Some(path)))) if !path.is_empty() => Some((
                expand_home(env, Path::new(path)),
                CaSource::Profile(name.to_owned()),
            )),
            _ => None,
        };
        HttpOptions {
            ca_bundle,
            proxies: Proxies::from_env(env),
        }
    }

    /// The environment's settings, no profile.
    pub fn from_env(env: &Env) -> Self {
        HttpOptions::new(env, None)
    }
}

/// `~/…` as botocore's `os.path.expanduser` (the rest is used as written).
fn expand_home(env: &Env, path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), env.get("HOME")) {
        (Ok(rest), Some(home)) => Path::new(home).join(rest),
        _ => path.to_owned(),
    }
}

/// The certificates of a PEM bundle; an unreadable or empty bundle is an error naming the file.
fn read_bundle(path: &Path, source: &CaSource) -> Result<Vec<reqwest::Certificate>> {
    let origin = origin(source);
    let pem = std::fs::read(path).map_err(|e| {
        SetupError(format!(
            "cannot read the CA bundle {} ({origin}): {e}",
            path.display()
        ))
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        SetupError(format!(
            "the CA bundle {} ({origin}) is not PEM certificates: {e}",
            path.display()
        ))
    })?;
    if certs.is_empty() {
        return Err(SetupError(format!(
            "the CA bundle {} ({origin}) holds no certificate",
            path.display()
        )));
    }
    Ok(certs)
}

/// Which certificates a client with these options trusts, in words (for messages and
/// `lanyard doctor`): "the CA bundle /path (AWS_CA_BUNDLE)", "the CA bundle /path (ca_bundle of
/// profile dev)" or "the system's trusted roots".
pub fn trust_description(options: &HttpOptions) -> String {
    match &options.ca_bundle {
        Some((path, source)) => format!("the CA bundle {} ({})", path.display(), origin(source)),
        None => "the system's trusted roots".to_owned(),
    }
}

fn origin(source: &CaSource) -> String {
    match source {
        CaSource::Variable => "AWS_CA_BUNDLE".to_owned(),
        CaSource::Profile(p) => format!("ca_bundle of profile {p}"),
    }
}

/// A client with these options.
pub fn client_with(options: &HttpOptions) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("lanyard/", env!("CARGO_PKG_VERSION")))
        // The connection time is bounded by the layer (netfail::CONNECT_TIMEOUT), so that a
        // timed-out connection still names the trust and proxy in force.
        .connector_layer(crate::netfail::TagLayer::new(crate::netfail::NetContext {
            trust: trust_description(options),
            proxies: options.proxies.clone(),
        }))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        // Proxies come from the snapshot of the environment below, never from the process's.
        .no_proxy();
    if let Some((path, source)) = &options.ca_bundle {
        // botocore hands the bundle to urllib3 as `verify`: it replaces the default roots.
        builder = builder.tls_built_in_root_certs(false);
        for cert in read_bundle(path, source)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    let no_proxy = options
        .proxies
        .no_proxy
        .as_deref()
        .and_then(reqwest::NoProxy::from_string);
    let bad_proxy =
        |var: &str, e: reqwest::Error| SetupError(format!("{var} is not a usable proxy URL: {e}"));
    if let Some(url) = &options.proxies.https {
        let proxy = reqwest::Proxy::https(url).map_err(|e| bad_proxy("https_proxy", e))?;
        builder = builder.proxy(proxy.no_proxy(no_proxy.clone()));
    }
    if let Some(url) = &options.proxies.http {
        let proxy = reqwest::Proxy::http(url).map_err(|e| bad_proxy("http_proxy", e))?;
        builder = builder.proxy(proxy.no_proxy(no_proxy));
    }
    builder.build().map_err(|e| SetupError(e.to_string()))
}

/// The chain of causes of an HTTP error in one line — where rustls says why a certificate was
/// refused (reqwest's own message is only "error sending request").
pub fn describe(e: &reqwest::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    if out.contains("certificate") {
        out.push_str(
            " (the server's certificate is not trusted: if a TLS-inspecting proxy or a private CA \
             signs it, set AWS_CA_BUNDLE or the profile's ca_bundle to its PEM file)",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_wins_over_the_profiles_ca_bundle_and_home_is_expanded() {
        let env = Env::from_pairs([("AWS_CA_BUNDLE", "/etc/ca.pem"), ("HOME", "/home/p")]);
        let o = HttpOptions::new(&env, Some(("dev", Some("~/ca.pem"))));
        assert_eq!(
            o.ca_bundle,
            Some(("/etc/ca.pem".into(), CaSource::Variable))
        );
        let env = Env::from_pairs([("HOME", "/home/p")]);
        let o = HttpOptions::new(&env, Some(("dev", Some("~/ca.pem"))));
        assert_eq!(
            o.ca_bundle,
            Some(("/home/p/ca.pem".into(), CaSource::Profile("dev".into())))
        );
        assert_eq!(HttpOptions::new(&env, Some(("dev", None))).ca_bundle, None);
    }

    #[test]
    fn the_trust_in_force_is_named_with_where_it_came_from() {
        let env = Env::from_pairs([("HOME", "/home/p")]);
        assert_eq!(
            trust_description(&HttpOptions::from_env(&env)),
            "the system's trusted roots"
        );
        let o = HttpOptions::new(&env, Some(("dev", Some("~/ca.pem"))));
        assert_eq!(
            trust_description(&o),
            "the CA bundle /home/p/ca.pem (ca_bundle of profile dev)"
        );
        let env = Env::from_pairs([("AWS_CA_BUNDLE", "/etc/ca.pem")]);
        assert_eq!(
            trust_description(&HttpOptions::from_env(&env)),
            "the CA bundle /etc/ca.pem (AWS_CA_BUNDLE)"
        );
    }

    #[test]
    fn lower_case_proxy_variables_win_as_in_urllib() {
        let env = Env::from_pairs([
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
            ("HTTP_PROXY", "http://plain:2"),
            ("NO_PROXY", "127.0.0.1,.corp"),
        ]);
        assert_eq!(
            Proxies::from_env(&env),
            Proxies {
                https: Some("http://lower:1".into()),
                http: Some("http://plain:2".into()),
                no_proxy: Some("127.0.0.1,.corp".into()),
            }
        );
    }

    #[test]
    fn a_missing_or_empty_ca_bundle_is_an_error_naming_the_file_and_its_origin() {
        let dir = tempfile::tempdir().expect("dir");
        let missing = dir.path().join("nope.pem");
        let o = HttpOptions {
            ca_bundle: Some((missing.clone(), CaSource::Profile("dev".into()))),
            ..Default::default()
        };
        let e = client_with(&o).expect_err("missing").to_string();
        assert!(
            e.contains("nope.pem") && e.contains("ca_bundle of profile dev"),
            "{e}"
        );
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        let o = HttpOptions {
            ca_bundle: Some((empty, CaSource::Variable)),
            ..Default::default()
        };
        let e = client_with(&o).expect_err("empty").to_string();
        assert!(
            e.contains("empty.pem") && e.contains("AWS_CA_BUNDLE"),
            "{e}"
        );
    }
}
