//! Sign-in, refresh and expiry driven through `SignIn` with a manual clock against a real
//! idc-emulator process on 127.0.0.1: what would otherwise need waiting for hours.

use std::sync::Arc;

use lanyard_core::clock::{Clock, ManualClock, SystemClock};
use lanyard_core::oidc::{CreateTokenRequest, OidcClient, GRANT_REFRESH_TOKEN};
use lanyard_core::sessions::history::History;
use lanyard_core::sessions::signin::{
    DevicePrompt, LoginOptions, SessionConfig, SessionError, SignIn, SignInUi,
};
use lanyard_core::sessions::state::{assess, Policy, State};
use lanyard_core::sessions::store::{FileStore, SessionId, TokenStore};
use lanyard_core::{Dirs, Env};
use time::Duration;

#[path = "../../lanyard-aws/tests/emulator/mod.rs"]
mod emulator;
use emulator::Emulator;

/// The admin calls these tests make.
impl Emulator {
    async fn state(&self) -> serde_json::Value {
        reqwest::get(format!("{}/_emulator/state", self.url))
            .await
            .expect("state")
            .json()
            .await
            .expect("json")
    }

    async fn advance(&self, seconds: i64) {
        reqwest::Client::new()
            .post(format!("{}/_emulator/advance?seconds={seconds}", self.url))
            .send()
            .await
            .expect("advance")
            .error_for_status()
            .expect("advance ok");
    }
}

/// The person's browser: follows the authorize URL (the emulator auto-approves) to the
/// loopback callback.
struct Browser;

impl SignInUi for Browser {
    fn device_code(&self, _: &DevicePrompt) {}
    fn authorize_url(&self, url: &str) {
        let url = url.to_owned();
        tokio::spawn(async move {
            let _ = reqwest::get(url).await;
        });
    }
}

struct Setup {
    emu: Emulator,
    clock: ManualClock,
    home: tempfile::TempDir,
    dirs: Dirs,
    signin: SignIn,
    store: Arc<FileStore>,
}

fn setup(flags: &[&str]) -> Setup {
    let emu = Emulator::start(flags);
    let home = tempfile::tempdir().expect("home");
    let dirs = Dirs::from_env(&Env::from_pairs([("HOME", home.path())])).expect("dirs");
    let clock = ManualClock::new(SystemClock.now());
    let store = Arc::new(FileStore::for_home(home.path()));
    let signin = SignIn::new(
        reqwest::Client::new(),
        emu.url.clone(),
        store.clone(),
        Arc::new(clock.clone()),
        dirs.clone(),
    );
    Setup {
        emu,
        clock,
        home,
        dirs,
        signin,
        store,
    }
}

fn corp() -> SessionConfig {
    SessionConfig {
        id: SessionId::Session("corp".into()),
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        region: "us-east-1".into(),
        scopes: Some(vec!["sso:account:access".into()]),
    }
}

async fn refreshes(emu: &Emulator) -> u64 {
    emu.state().await["calls"]["CreateToken"]["refresh_token"]
        .as_u64()
        .expect("count")
}

#[tokio::test]
async fn refresh_happens_only_inside_the_window_and_rotates_the_refresh_token() {
    let s = setup(&["--auto-approve"]);
    let first = s
        .signin
        .login(&corp(), LoginOptions::default(), &Browser)
        .await
        .expect("login");
    assert!(first.refresh_token.is_some());
    // 30 minutes in, 30 left: outside the 20-minute window, the cached token is served.
    s.clock.advance(Duration::minutes(30));
    let t = s.signin.valid_token(&corp()).await.expect("token");
    assert_eq!(t.access_token, first.access_token);
    assert_eq!(refreshes(&s.emu).await, 0);
    // 41 minutes in, 19 left: refreshed before the AWS CLI's own 15-minute window.
    s.clock.advance(Duration::minutes(11));
    let t = s.signin.valid_token(&corp()).await.expect("token");
    assert_ne!(t.access_token, first.access_token);
    assert_eq!(refreshes(&s.emu).await, 1);
    assert_eq!(
        s.store.load_token(&corp().id).expect("load").expect("some"),
        t,
        "the refreshed token is what the cache holds"
    );
    // Rotation: the old refresh token no longer works, the new one does.
    let oidc = OidcClient::new(reqwest::Client::new(), s.emu.url.clone());
    let old = CreateTokenRequest {
        client_id: first.client_id.clone().expect("id"),
        client_secret: first.client_secret.clone().expect("secret"),
        grant_type: GRANT_REFRESH_TOKEN.into(),
        refresh_token: first.refresh_token.clone(),
        ..Default::default()
    };
    let err = oidc.create_token(&old).await.expect_err("rotated");
    assert_eq!(err.kind().map(|k| k.code()), Some("invalid_grant"));
    // And the next refresh, from what the cache holds, succeeds.
    s.clock.advance(Duration::minutes(50));
    s.signin.valid_token(&corp()).await.expect("second refresh");
    // Ours, the refused attempt with the old token above, and this one.
    assert_eq!(refreshes(&s.emu).await, 3);
}

#[tokio::test]
async fn the_end_of_the_identity_center_session_expires_the_session() {
    let s = setup(&["--auto-approve", "--session-ttl", "7200"]);
    s.signin
        .login(&corp(), LoginOptions::default(), &Browser)
        .await
        .expect("login");
    s.clock.advance(Duration::hours(3));
    s.emu.advance(3 * 3600).await;
    let err = s.signin.valid_token(&corp()).await.expect_err("ended");
    assert!(matches!(err, SessionError::SessionEnded { .. }), "{err}");
    assert_eq!(err.code(), "session_ended");
    let record = History::new(&s.dirs).get("corp").expect("history");
    assert!(record.ended().is_some());
    let token = s.store.load_token(&corp().id).expect("load");
    let a = assess(token.as_ref(), &record, Policy::default(), s.clock.now());
    assert_eq!(a.state, State::Expired);
    assert!(!a.refreshable);
    drop(s.home);
}

#[tokio::test]
async fn a_legacy_token_is_served_until_it_expires_then_cannot_refresh() {
    let s = setup(&["--device-approve-after", "0", "--token-ttl", "28800"]);
    let legacy = SessionConfig {
        id: SessionId::Legacy("https://d-9999999999.awsapps.com/start".into()),
        start_url: "https://d-9999999999.awsapps.com/start".into(),
        region: "us-east-1".into(),
        scopes: None,
    };
    let t = s
        .signin
        .login(&legacy, LoginOptions::default(), &Browser)
        .await
        .expect("device login");
    assert!(t.refresh_token.is_none(), "no scopes, no refresh token");
    s.clock.advance(Duration::hours(7) + Duration::minutes(50));
    let served = s.signin.valid_token(&legacy).await.expect("still valid");
    assert_eq!(served.access_token, t.access_token);
    s.clock.advance(Duration::minutes(11));
    let err = s.signin.valid_token(&legacy).await.expect_err("expired");
    assert_eq!(err.code(), "expired");
    assert!(
        err.to_string()
            .contains("legacy sessions cannot be refreshed"),
        "{err}"
    );
    assert_eq!(refreshes(&s.emu).await, 0);
}

#[tokio::test]
async fn credentials_written_to_the_credentials_file_are_kept_fresh() {
    use lanyard_core::config::credentials_file_path;
    use lanyard_core::credentials_file::{due_for_refresh, refresh_written, write};
    use lanyard_core::overview::role_credentials;
    use lanyard_core::Context;

    let s = setup(&["--auto-approve"]);
    let token = s
        .signin
        .login(&corp(), LoginOptions::default(), &Browser)
        .await
        .expect("login");
    // The first account and role the emulator's user holds.
    let bearer = token.access_token.expose().to_owned();
    let get = |path: String| {
        let bearer = bearer.clone();
        let url = format!("{}{path}", s.emu.url);
        async move {
            reqwest::Client::new()
                .get(url)
                .header("x-amz-sso_bearer_token", bearer)
                .send()
                .await
                .expect("portal")
                .json::<serde_json::Value>()
                .await
                .expect("json")
        }
    };
    let account = get("/assignment/accounts?max_result=1".into()).await["accountList"][0]
        ["accountId"]
        .as_str()
        .expect("account")
        .to_owned();
    let role = get(format!("/assignment/roles?account_id={account}")).await["roleList"][0]
        ["roleName"]
        .as_str()
        .expect("role")
        .to_owned();
    let aws = s.home.path().join(".aws");
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile dev]\nsso_session = corp\nsso_account_id = {account}\nsso_role_name = {role}\n\n\
             [sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\n\
             sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        ),
    )
    .expect("config");
    let env = Env::from_pairs([
        ("HOME", s.home.path().as_os_str().to_owned()),
        ("AWS_ENDPOINT_URL", s.emu.url.clone().into()),
    ]);
    let ctx = Context::with_clock(env, Arc::new(s.clock.clone())).expect("ctx");
    let creds = role_credentials(&ctx, "dev").await.expect("creds");
    write(&ctx, "dev-static", "dev", &creds).expect("write");
    let path = credentials_file_path(&ctx.env);
    let first = std::fs::read_to_string(&path).expect("read");
    assert!(first.contains(&creds.access_key_id));

    // Ten minutes in: nothing is due, nothing is fetched.
    s.clock.advance(Duration::minutes(10));
    assert!(due_for_refresh(&ctx).expect("due").is_empty());
    assert!(refresh_written(&ctx).await.expect("refresh").is_empty());
    assert_eq!(std::fs::read_to_string(&path).expect("read"), first);

    // Fifty minutes in (ten left): the section gets new credentials, via a token refresh. The
    // emulator's clock moves too, so what it issues now expires an hour from the new now.
    s.clock.advance(Duration::minutes(40));
    s.emu.advance(50 * 60).await;
    assert_eq!(
        refresh_written(&ctx).await.expect("refresh"),
        vec!["dev-static".to_owned()]
    );
    let second = std::fs::read_to_string(&path).expect("read");
    assert!(!second.contains(&creds.access_key_id), "new credentials");
    assert_eq!(refreshes(&s.emu).await, 1, "the token was refreshed first");
    assert!(due_for_refresh(&ctx).expect("due").is_empty());
    assert_eq!(
        second
            .lines()
            .filter(|l| l.starts_with("# lanyard: "))
            .count(),
        1,
        "one marker comment, rewritten in place"
    );
}
