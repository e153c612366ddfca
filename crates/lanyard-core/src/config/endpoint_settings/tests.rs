//! Tests of botocore's endpoint rules as a profile in the config sets them (moved from the
//! AWS side's `endpoints`, which has no config engine).

use crate::config::{ConfigView, EndpointSettings};
use crate::endpoints::*;
use crate::env::Env;
use aws_config_edit::Document;

fn view(text: &str) -> ConfigView<'static> {
    let doc: &'static Document = Box::leak(Box::new(Document::parse(text)));
    crate::config::view::read(doc).expect("valid config")
}

const CONFIG: &str = "\
[profile svc]
services = local
endpoint_url = http://127.0.0.1:9/profile
[profile url-only]
endpoint_url = http://127.0.0.1:8/
[profile ignoring]
services = local
ignore_configured_endpoint_urls = TRUE
[profile dangling]
services = nowhere
endpoint_url = http://127.0.0.1:7
[services local]
sso_oidc =
    endpoint_url = http://127.0.0.1:1/oidc
sso =
    endpoint_url = http://127.0.0.1:2
";

/// (env pairs, profile, service) → (url, source) — PROTOCOL §5's precedence, row by row.
#[test]
fn endpoints_follow_botocores_precedence() {
    let v = view(CONFIG);
    let svc = |s: &str| Source::ServicesSection {
        section: "local".into(),
        profile: s.into(),
    };
    type Row<'a> = (Vec<(&'a str, &'a str)>, &'a str, Service, &'a str, Source);
    let rows: Vec<Row> = vec![
        // Service variable first.
        (
            vec![
                ("AWS_ENDPOINT_URL_SSO_OIDC", "http://e/1/"),
                ("AWS_ENDPOINT_URL", "http://g"),
            ],
            "svc",
            Service::SsoOidc,
            "http://e/1",
            Source::ServiceVariable("AWS_ENDPOINT_URL_SSO_OIDC"),
        ),
        // Then the global variable, over any config.
        (
            vec![("AWS_ENDPOINT_URL", "http://g")],
            "svc",
            Service::SsoOidc,
            "http://g",
            Source::GlobalVariable,
        ),
        // Another service's variable does not count.
        (
            vec![("AWS_ENDPOINT_URL_SSO", "http://portal")],
            "svc",
            Service::SsoOidc,
            "http://127.0.0.1:1/oidc",
            svc("svc"),
        ),
        // The services block, per service.
        (
            vec![],
            "svc",
            Service::Sso,
            "http://127.0.0.1:2",
            svc("svc"),
        ),
        // A service the block does not name: the profile's endpoint_url.
        (
            vec![],
            "svc",
            Service::Sts,
            "http://127.0.0.1:9/profile",
            Source::ProfileEndpointUrl("svc".into()),
        ),
        (
            vec![],
            "url-only",
            Service::Signin,
            "http://127.0.0.1:8",
            Source::ProfileEndpointUrl("url-only".into()),
        ),
        // Ignored by the profile's key: even the variables.
        (
            vec![("AWS_ENDPOINT_URL", "http://g")],
            "ignoring",
            Service::SsoOidc,
            "https://oidc.eu-west-1.amazonaws.com",
            Source::Default,
        ),
        // The variable, when set, decides over the key (false here: not ignored).
        (
            vec![("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")],
            "ignoring",
            Service::SsoOidc,
            "http://127.0.0.1:1/oidc",
            svc("ignoring"),
        ),
        (
            vec![("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")],
            "url-only",
            Service::Sso,
            "https://portal.sso.eu-west-1.amazonaws.com",
            Source::Default,
        ),
        // A profile not in the file: the environment only.
        (
            vec![],
            "ghost",
            Service::Sts,
            "https://sts.eu-west-1.amazonaws.com",
            Source::Default,
        ),
    ];
    for (pairs, profile, service, url, source) in rows {
        let env = Env::from_pairs(pairs.clone());
        let got = EndpointConfig::for_profile(&env, &v, profile)
            .resolve(service, "eu-west-1")
            .expect("resolves");
        assert_eq!(
            (got.url.as_str(), &got.source),
            (url, &source),
            "{pairs:?} {profile} {service:?}"
        );
    }
}

#[test]
fn a_missing_services_section_is_botocores_error_once_the_lookup_reaches_it() {
    let v = view(CONFIG);
    let c = EndpointConfig::for_profile(&Env::default(), &v, "dangling");
    let err = c
        .resolve(Service::SsoOidc, "us-east-1")
        .expect_err("missing");
    assert_eq!(
            err.to_string(),
            "The profile is configured to use the services section but the \"nowhere\" services configuration does not exist."
        );
    let env = Env::from_pairs([("AWS_ENDPOINT_URL_SSO_OIDC", "http://x")]);
    let c = EndpointConfig::for_profile(&env, &v, "dangling");
    assert_eq!(
        c.resolve(Service::SsoOidc, "us-east-1")
            .expect("env first")
            .url,
        "http://x"
    );
}

/// Issue 20: a refused region keeps its code through the crate-wide error.
#[test]
fn a_refused_region_is_invalid_region_to_the_window_and_scripts() {
    let env = Env::from_pairs([("AWS_ENDPOINT_URL", "http://127.0.0.1:9")]);
    let err = EndpointConfig::from_env(&env)
        .resolve(Service::SsoOidc, "US East")
        .expect_err("refused with an endpoint configured too");
    assert_eq!(crate::Error::from(err).code(), "invalid_region");
}
