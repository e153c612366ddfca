//! lanyard-aws on its own (issue 21): a program with no config engine and no sessions layer signs
//! in to IAM Identity Center with the device-code flow, keeps the token where and as the AWS CLI
//! keeps it, reads it back, lists its accounts and roles and gets role credentials — against a
//! real idc-emulator process on 127.0.0.1.

use std::sync::Arc;

use lanyard_aws::cache::keys::token_file_stem;
use lanyard_aws::cache::token::TokenFile;
use lanyard_aws::oidc::{
    CreateTokenRequest, OidcClient, RegisterClientRequest, StartDeviceAuthorizationRequest,
    GRANT_DEVICE_CODE,
};
use lanyard_aws::portal::get_role_credentials;
use lanyard_aws::portal::list::{HttpTransport, PortalClient};
use lanyard_aws::portal::ratelimit::TokenBucket;
use time::{Duration, OffsetDateTime};

mod emulator;
use emulator::Emulator;

#[tokio::test]
async fn the_aws_side_alone_signs_in_shares_the_cli_cache_and_gets_role_credentials() {
    let emu = Emulator::start(&["--device-approve-after", "0", "--accounts", "2"]);
    let http = reqwest::Client::new();
    let oidc = OidcClient::new(http.clone(), emu.url.clone());

    let reg = oidc
        .register_client(&RegisterClientRequest {
            client_name: "standalone".into(),
            client_type: "public".into(),
            scopes: Some(vec!["sso:account:access".into()]),
            redirect_uris: None,
            grant_types: None,
            issuer_url: None,
        })
        .await
        .expect("RegisterClient");
    let start_url = "https://d-standalone.awsapps.com/start";
    let device = oidc
        .start_device_authorization(&StartDeviceAuthorizationRequest {
            client_id: reg.client_id.clone(),
            client_secret: reg.client_secret.clone(),
            start_url: start_url.into(),
        })
        .await
        .expect("StartDeviceAuthorization");
    let token = oidc
        .create_token(&CreateTokenRequest {
            client_id: reg.client_id.clone(),
            client_secret: reg.client_secret.clone(),
            grant_type: GRANT_DEVICE_CODE.into(),
            device_code: Some(device.device_code.clone()),
            ..Default::default()
        })
        .await
        .expect("CreateToken (approved at once by the emulator)");
    assert!(
        token.refresh_token.is_some(),
        "a scoped registration gets a refresh token"
    );

    // Kept as `aws sso login --sso-session corp` keeps it, and read back from that file.
    let cache = tempfile::tempdir().expect("cache dir");
    let path = cache
        .path()
        .join(format!("{}.json", token_file_stem("corp")));
    // The clock is not this test's subject (clippy.toml keeps the system clock out): an instant
    // before any the emulator gives.
    let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    let file = TokenFile {
        start_url: Some(start_url.into()),
        region: Some("us-east-1".into()),
        access_token: token.access_token.clone(),
        expires_at: now + Duration::seconds(token.expires_in),
        client_id: Some(reg.client_id.clone()),
        client_secret: Some(reg.client_secret.clone()),
        registration_expires_at: OffsetDateTime::from_unix_timestamp(reg.client_secret_expires_at)
            .ok(),
        refresh_token: token.refresh_token.clone(),
        extra: Default::default(),
    };
    std::fs::write(&path, file.to_cli_json()).expect("write the cache file");
    let read = TokenFile::parse(&std::fs::read_to_string(&path).expect("read"), &path)
        .expect("the AWS CLI's format reads back");
    assert_eq!(read, file);
    assert!(read.refreshable_at(now));

    // The portal, with the token from the file.
    let limiter = Arc::new(TokenBucket::new(20));
    let portal = PortalClient::new(
        HttpTransport::new(http.clone(), emu.url.clone(), read.access_token.clone()),
        limiter,
    );
    let all = portal
        .fetch_all(2)
        .await
        .expect("ListAccounts and ListAccountRoles");
    assert_eq!(all.len(), 2, "the emulator's two accounts");
    let first = &all[0];
    let role = first.roles.first().expect("a role");
    let creds = get_role_credentials(
        &http,
        &emu.url,
        &read.access_token,
        &first.account.account_id,
        role,
    )
    .await
    .expect("GetRoleCredentials");
    assert!(creds.access_key_id.starts_with("ASIA"), "temporary keys");
    assert!(creds.expiration > now);
}
