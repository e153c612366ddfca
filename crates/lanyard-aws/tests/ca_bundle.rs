//! `AWS_CA_BUNDLE` / `ca_bundle` mean what they mean to botocore (issue 20): that bundle is
//! trusted *instead of* the platform's roots, not besides them. Two idc-emulators with `--tls`
//! each have their own CA; the "platform roots" are made to be emulator A's CA (rustls reads
//! `SSL_CERT_FILE` for them), so a client with emulator B's CA as its bundle must refuse A.
//! One test only in this binary: it sets a process environment variable.

use lanyard_aws::http::{client_with, trust_description, CaSource, HttpOptions};
use lanyard_aws::oidc::{CreateTokenRequest, OidcClient, GRANT_REFRESH_TOKEN};
use lanyard_aws::Secret;

mod emulator;
use emulator::Emulator;

fn start_tls_emulator() -> Emulator {
    Emulator::start(&["--tls"])
}

fn with_bundle(ca: &std::path::Path, source: CaSource) -> HttpOptions {
    HttpOptions {
        ca_bundle: Some((ca.to_owned(), source)),
        ..Default::default()
    }
}

async fn reaches(options: &HttpOptions, url: &str) -> bool {
    let client = client_with(options).expect("client");
    client
        .get(format!("{url}/_emulator/state"))
        .send()
        .await
        .is_ok()
}

#[tokio::test]
async fn a_ca_bundle_replaces_the_platform_roots_and_a_refusal_names_it_issue_20() {
    let a = start_tls_emulator();
    let b = start_tls_emulator();
    let (a_ca, b_ca) = (a.ca.clone().expect("A's CA"), b.ca.clone().expect("B's CA"));
    // The platform's roots are now exactly A's CA.
    std::env::set_var("SSL_CERT_FILE", &a_ca);
    std::env::remove_var("SSL_CERT_DIR");
    let system = HttpOptions::default();
    assert_eq!(trust_description(&system), "the system's trusted roots");
    assert!(reaches(&system, &a.url).await, "the platform roots trust A");
    assert!(!reaches(&system, &b.url).await);

    // B's CA as the bundle: B is trusted, and A no longer is, though the platform trusts it.
    let only_b = with_bundle(&b_ca, CaSource::Variable);
    assert!(reaches(&only_b, &b.url).await);
    assert!(
        !reaches(&only_b, &a.url).await,
        "the bundle must replace the platform roots, not add to them"
    );

    // The refusal says it is about trust, and names the bundle in force and where it came from.
    let only_b_profile = with_bundle(&b_ca, CaSource::Profile("dev".into()));
    let oidc = OidcClient::new(client_with(&only_b_profile).expect("client"), a.url.clone());
    let e = oidc
        .create_token(&CreateTokenRequest {
            client_id: "c".into(),
            client_secret: Secret::new("s"),
            grant_type: GRANT_REFRESH_TOKEN.into(),
            refresh_token: Some(Secret::new("r")),
            ..Default::default()
        })
        .await
        .expect_err("untrusted");
    assert_eq!(e.code(), "tls", "{e}");
    let text = e.to_string();
    let expected = format!(
        "the CA bundle {} (ca_bundle of profile dev)",
        b_ca.display()
    );
    assert_eq!(trust_description(&only_b_profile), expected);
    assert!(text.contains(&expected), "{text}");
    assert!(
        text.contains(&a.url) && text.contains("invalid peer certificate"),
        "{text}"
    );
}
