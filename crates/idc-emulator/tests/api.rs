//! In-process tests of what botocore never sends: malformed bodies, missing fields, wrong and
//! expired client secrets, PKCE edge cases, assignment edits, the bind check and the clock.

#![allow(clippy::unwrap_used)]

use idc_emulator::{Config, Emulator};
use reqwest::{redirect, Client, Response, StatusCode};
use serde_json::{json, Value};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const OIDC_NS: &str = ":http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

struct T {
    emu: Emulator,
    http: Client,
}

impl T {
    async fn new(cfg: Config) -> T {
        let emu = Emulator::start(cfg).await.unwrap();
        let http = Client::builder()
            .redirect(redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        T { emu, http }
    }

    async fn default() -> T {
        Self::new(Config::default()).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.url())
    }

    async fn post_raw(&self, path: &str, body: &str) -> Response {
        self.http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Response {
        self.post_raw(path, &body.to_string()).await
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut r = self.http.get(self.url(path));
        if let Some(t) = token {
            r = r.header("x-amz-sso_bearer_token", t);
        }
        r.send().await.unwrap()
    }

    async fn register(&self, body: Value) -> Value {
        let r = self.post("/client/register", body).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    async fn device_client(&self) -> (String, String) {
        let reg = self
            .register(json!({"clientName": "t", "clientType": "public", "scopes": ["sso:account:access"]}))
            .await;
        (
            reg["clientId"].as_str().unwrap().to_owned(),
            reg["clientSecret"].as_str().unwrap().to_owned(),
        )
    }

    /// A signed-in access token (device flow, approved by the admin call).
    async fn token(&self) -> Value {
        let (id, secret) = self.device_client().await;
        let auth: Value = self
            .post(
                "/device_authorization",
                json!({"clientId": id, "clientSecret": secret, "startUrl": "https://d-1.awsapps.com/start"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let uc = auth["userCode"].as_str().unwrap();
        let r = self
            .http
            .post(self.url(&format!("/_emulator/approve?user_code={uc}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r = self
            .post(
                "/token",
                json!({"clientId": id, "clientSecret": secret, "grantType": DEVICE_GRANT,
                       "deviceCode": auth["deviceCode"]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    async fn state(&self) -> Value {
        self.get("/_emulator/state", None)
            .await
            .json()
            .await
            .unwrap()
    }
}

/// Asserts an OIDC error: status, `x-amzn-ErrorType`, and the `error` field.
async fn oidc_error(r: Response, status: u16, name: &str, error: &str) -> Value {
    assert_eq!(r.status().as_u16(), status);
    assert_eq!(
        r.headers()["x-amzn-ErrorType"].to_str().unwrap(),
        format!("{name}Exception{OIDC_NS}")
    );
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string());
    body
}

#[tokio::test]
async fn malformed_json_is_invalid_request() {
    let t = T::default().await;
    for path in ["/client/register", "/device_authorization", "/token"] {
        let r = t.post_raw(path, "{not json").await;
        oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
        let r = t.post_raw(path, "[1,2]").await;
        oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    }
}

#[tokio::test]
async fn missing_fields_are_invalid_request() {
    let t = T::default().await;
    let r = t
        .post("/client/register", json!({"clientType": "public"}))
        .await;
    let body = oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("clientName"));
    let r = t.post("/client/register", json!({"clientName": "x"})).await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    let r = t
        .post(
            "/client/register",
            json!({"clientName": 5, "clientType": "public"}),
        )
        .await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    let (id, secret) = t.device_client().await;
    let r = t
        .post(
            "/device_authorization",
            json!({"clientId": id, "clientSecret": secret}),
        )
        .await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    let r = t
        .post("/token", json!({"clientId": id, "clientSecret": secret}))
        .await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    let r = t
        .post(
            "/token",
            json!({"clientId": id, "clientSecret": secret, "grantType": DEVICE_GRANT}),
        )
        .await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    let r = t
        .post(
            "/token",
            json!({"clientId": id, "clientSecret": secret, "grantType": "password"}),
        )
        .await;
    oidc_error(r, 400, "UnsupportedGrantType", "unsupported_grant_type").await;
    let r = t
        .post(
            "/device_authorization",
            json!({"clientId": id, "clientSecret": secret, "startUrl": "http://insecure.example/start"}),
        )
        .await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
}

#[tokio::test]
async fn wrong_or_unknown_client_is_401_invalid_client() {
    let t = T::default().await;
    let (id, _) = t.device_client().await;
    let start = "https://d-1.awsapps.com/start";
    for (cid, secret) in [(id.as_str(), "wrong"), ("unknown-client", "x")] {
        let r = t
            .post(
                "/device_authorization",
                json!({"clientId": cid, "clientSecret": secret, "startUrl": start}),
            )
            .await;
        oidc_error(r, 401, "InvalidClient", "invalid_client").await;
        let r = t
            .post(
                "/token",
                json!({"clientId": cid, "clientSecret": secret, "grantType": "refresh_token",
                       "refreshToken": "aor-x"}),
            )
            .await;
        oidc_error(r, 401, "InvalidClient", "invalid_client").await;
    }
}

#[tokio::test]
async fn expired_registration_is_invalid_client() {
    let t = T::default().await;
    let start = "https://d-1.awsapps.com/start";
    // By the clock: registrations last 90 days.
    let (id, secret) = t.device_client().await;
    t.emu.clock().advance(90 * 24 * 3600 - 10);
    let r = t
        .post(
            "/device_authorization",
            json!({"clientId": id, "clientSecret": secret, "startUrl": start}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    t.emu.clock().advance(20);
    let r = t
        .post(
            "/device_authorization",
            json!({"clientId": id, "clientSecret": secret, "startUrl": start}),
        )
        .await;
    let body = oidc_error(r, 401, "InvalidClient", "invalid_client").await;
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("expired"));
    // By the admin call.
    let (id, secret) = t.device_client().await;
    let r = t
        .http
        .post(t.url(&format!("/_emulator/expire?client_id={id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post(
            "/device_authorization",
            json!({"clientId": id, "clientSecret": secret, "startUrl": start}),
        )
        .await;
    oidc_error(r, 401, "InvalidClient", "invalid_client").await;
}

#[tokio::test]
async fn registration_validation() {
    let t = T::default().await;
    let r = t
        .post(
            "/client/register",
            json!({"clientName": "x", "clientType": "public", "grantTypes": ["client_credentials"]}),
        )
        .await;
    oidc_error(r, 400, "UnsupportedGrantType", "unsupported_grant_type").await;
    let r = t
        .post(
            "/client/register",
            json!({"clientName": "x", "clientType": "public", "scopes": ["sso:account:access", "bad scope"]}),
        )
        .await;
    oidc_error(r, 400, "InvalidScope", "invalid_scope").await;
    let r = t
        .post(
            "/client/register",
            json!({"clientName": "x", "clientType": "public", "grantTypes": ["authorization_code"]}),
        )
        .await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    let reg = t
        .register(json!({"clientName": "x", "clientType": "public"}))
        .await;
    // Epoch seconds (10 digits), 90 days apart.
    let issued = reg["clientIdIssuedAt"].as_i64().unwrap();
    assert!((1_000_000_000..10_000_000_000).contains(&issued));
    assert_eq!(
        reg["clientSecretExpiresAt"].as_i64().unwrap() - issued,
        7_776_000
    );
}

fn location(r: &Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    let q = url.split_once('?').map(|x| x.1).unwrap_or_default();
    url_pairs(q)
}

fn url_pairs(q: &str) -> std::collections::HashMap<String, String> {
    q.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), percent_decode(v)))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

async fn pkce_client(t: &T) -> (String, String) {
    let reg = t
        .register(json!({
            "clientName": "botocore-client-s", "clientType": "public",
            "grantTypes": ["authorization_code", "refresh_token"],
            "redirectUris": ["http://127.0.0.1/oauth/callback"],
            "issuerUrl": "https://d-1.awsapps.com/start", "scopes": ["sso:account:access"]}))
        .await;
    (
        reg["clientId"].as_str().unwrap().to_owned(),
        reg["clientSecret"].as_str().unwrap().to_owned(),
    )
}

// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const REDIRECT: &str = "http%3A%2F%2F127.0.0.1%3A8765%2Foauth%2Fcallback";

#[tokio::test]
async fn pkce_details() {
    let t = T::new(Config {
        auto_approve: true,
        ..Config::default()
    })
    .await;
    let (id, secret) = pkce_client(&t).await;
    let authorize = |method: &str, challenge: &str| {
        format!(
            "/authorize?response_type=code&client_id={id}&redirect_uri={REDIRECT}&state=st\
             &code_challenge_method={method}&scopes=sso%3Aaccount%3Aaccess&code_challenge={challenge}"
        )
    };
    // Only S256.
    let r = t.get(&authorize("plain", VERIFIER), None).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let q = query_of(&location(&r));
    assert_eq!(q["error"], "invalid_request");
    assert_eq!(q["state"], "st");
    // A challenge is required.
    let r = t
        .get(&authorize("S256", "").replace("&code_challenge=", ""), None)
        .await;
    assert_eq!(query_of(&location(&r))["error"], "invalid_request");
    // Wrong response_type.
    let r = t
        .get(
            &authorize("S256", CHALLENGE).replace("response_type=code", "response_type=token"),
            None,
        )
        .await;
    assert_eq!(
        query_of(&location(&r))["error"],
        "unsupported_response_type"
    );
    // Unknown client: an error page, never a redirect.
    let r = t
        .get(&authorize("S256", CHALLENGE).replace(&id, "nobody"), None)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().get("location").is_none());

    let exchange = |code: String, verifier: &'static str, redirect: &'static str| {
        json!({"clientId": id, "clientSecret": secret, "grantType": "authorization_code",
               "code": code, "redirectUri": redirect, "codeVerifier": verifier})
    };
    let new_code = || async {
        let r = t.get(&authorize("S256", CHALLENGE), None).await;
        assert_eq!(r.status(), StatusCode::FOUND);
        let loc = location(&r);
        assert!(
            loc.starts_with("http://127.0.0.1:8765/oauth/callback?code="),
            "{loc}"
        );
        query_of(&loc)["code"].clone()
    };
    let uri = "http://127.0.0.1:8765/oauth/callback";
    // A verifier that is not even well-formed.
    let r = t
        .post("/token", exchange(new_code().await, "short", uri))
        .await;
    oidc_error(r, 400, "InvalidGrant", "invalid_grant").await;
    // Missing verifier.
    let mut body = exchange(new_code().await, VERIFIER, uri);
    body.as_object_mut().unwrap().remove("codeVerifier");
    let r = t.post("/token", body).await;
    oidc_error(r, 400, "InvalidRequest", "invalid_request").await;
    // The redirect URI must equal the one sent to /authorize, port included.
    let r = t
        .post(
            "/token",
            exchange(
                new_code().await,
                VERIFIER,
                "http://127.0.0.1/oauth/callback",
            ),
        )
        .await;
    oidc_error(r, 400, "InvalidGrant", "invalid_grant").await;
    // Right: tokens, refresh token included; then the code is spent.
    let code = new_code().await;
    let r = t
        .post("/token", exchange(code.clone(), VERIFIER, uri))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let tok: Value = r.json().await.unwrap();
    assert!(tok["refreshToken"].is_string());
    let r = t.post("/token", exchange(code, VERIFIER, uri)).await;
    oidc_error(r, 400, "InvalidGrant", "invalid_grant").await;
    // Codes expire.
    let code = new_code().await;
    t.emu.clock().advance(301);
    let r = t.post("/token", exchange(code, VERIFIER, uri)).await;
    oidc_error(r, 400, "InvalidGrant", "invalid_grant").await;
}

#[tokio::test]
async fn device_client_cannot_use_authorize_and_pkce_client_cannot_use_device_flow() {
    let t = T::new(Config {
        auto_approve: true,
        ..Config::default()
    })
    .await;
    let reg = t
        .register(json!({"clientName": "d", "clientType": "public",
                         "redirectUris": ["http://127.0.0.1/oauth/callback"]}))
        .await;
    let id = reg["clientId"].as_str().unwrap();
    let r = t
        .get(
            &format!(
                "/authorize?response_type=code&client_id={id}&redirect_uri={REDIRECT}&state=s\
                 &code_challenge_method=S256&code_challenge={CHALLENGE}"
            ),
            None,
        )
        .await;
    assert_eq!(query_of(&location(&r))["error"], "unauthorized_client");
    let (pid, psecret) = pkce_client(&t).await;
    let r = t
        .post(
            "/device_authorization",
            json!({"clientId": pid, "clientSecret": psecret, "startUrl": "https://d-1.awsapps.com/start"}),
        )
        .await;
    oidc_error(r, 400, "UnauthorizedClient", "unauthorized_client").await;
}

fn portal_error_name(r: &Response) -> String {
    r.headers()["x-amzn-ErrorType"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn portal_auth_and_validation() {
    let t = T::default().await;
    let r = t.get("/assignment/accounts", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(portal_error_name(&r), "UnauthorizedException");
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"message": "Session token not found or invalid"})
    );
    let tok = t.token().await;
    let at = tok["accessToken"].as_str().unwrap();
    for bad in ["max_result=0", "max_result=abc", "next_token=garbage"] {
        let r = t
            .get(&format!("/assignment/accounts?{bad}"), Some(at))
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(portal_error_name(&r), "InvalidRequestException");
    }
    let r = t.get("/assignment/roles", Some(at)).await;
    assert_eq!(portal_error_name(&r), "InvalidRequestException");
    let r = t
        .get(
            "/federation/credentials?account_id=12&role_name=X",
            Some(at),
        )
        .await;
    assert_eq!(portal_error_name(&r), "InvalidRequestException");
    // A roles pagination token does not page accounts.
    let accounts: Value = t
        .get("/assignment/accounts?max_result=1", Some(at))
        .await
        .json()
        .await
        .unwrap();
    let acct = accounts["accountList"][0]["accountId"].as_str().unwrap();
    let roles: Value = t
        .get(
            &format!("/assignment/roles?account_id={acct}&max_result=1"),
            Some(at),
        )
        .await
        .json()
        .await
        .unwrap();
    let role_token = roles["nextToken"].as_str().unwrap();
    let r = t
        .get(
            &format!("/assignment/accounts?next_token={role_token}"),
            Some(at),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn assignments_removed_disappear_from_the_portal() {
    let t = T::new(Config {
        accounts: 5,
        roles_per_account: 2,
        ..Config::default()
    })
    .await;
    let tok = t.token().await;
    let at = tok["accessToken"].as_str().unwrap();
    let list: Value = t
        .get("/assignment/accounts", Some(at))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<String> = list["accountList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["accountId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 5);
    let r = t
        .post(
            "/_emulator/assignments",
            json!({"remove": [{"account_id": ids[0]}, {"account_id": ids[1], "role_name": "ReadOnlyAccess"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let out: Value = r.json().await.unwrap();
    assert_eq!(out["accounts"], 4);
    let list: Value = t
        .get("/assignment/accounts", Some(at))
        .await
        .json()
        .await
        .unwrap();
    assert!(!list.to_string().contains(&ids[0]));
    let r = t
        .get(
            &format!(
                "/federation/credentials?account_id={}&role_name=AdministratorAccess",
                ids[0]
            ),
            Some(at),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(portal_error_name(&r), "ForbiddenException");
    let r = t
        .get(
            &format!("/assignment/roles?account_id={}", ids[0]),
            Some(at),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let roles: Value = t
        .get(
            &format!("/assignment/roles?account_id={}", ids[1]),
            Some(at),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!roles.to_string().contains("ReadOnlyAccess"));
    // Bad admin input changes nothing.
    let r = t
        .post(
            "/_emulator/assignments",
            json!({"remove": [{"account_id": "nope"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Reset brings the generated assignments back.
    t.http.post(t.url("/_emulator/reset")).send().await.unwrap();
    let tok = t.token().await;
    let list: Value = t
        .get("/assignment/accounts", tok["accessToken"].as_str())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["accountList"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn rate_limit_bursts_then_429() {
    let t = T::new(Config {
        rate_limit: 5,
        ..Config::default()
    })
    .await;
    let tok = t.token().await;
    let at = tok["accessToken"].as_str().unwrap();
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let r = t.get("/assignment/accounts", Some(at)).await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(portal_error_name(&r), "TooManyRequestsException");
        }
        statuses.push(r.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    assert!(statuses[5..].contains(&429), "{statuses:?}");
    let st = t.state().await;
    assert!(st["max_portal_requests_in_any_second"].as_u64().unwrap() >= 5);
    // OIDC is not rate limited.
    for _ in 0..10 {
        t.device_client().await;
    }
}

#[tokio::test]
async fn session_ttl_and_refresh_rotation() {
    let t = T::new(Config {
        session_ttl: 100,
        ..Config::default()
    })
    .await;
    let (id, secret) = t.device_client().await;
    let auth: Value = t
        .post("/device_authorization", json!({"clientId": id, "clientSecret": secret, "startUrl": "https://d-1.awsapps.com/start"}))
        .await
        .json()
        .await
        .unwrap();
    // Default: approved after 2 pending polls.
    let poll = json!({"clientId": id, "clientSecret": secret, "grantType": DEVICE_GRANT, "deviceCode": auth["deviceCode"]});
    for _ in 0..2 {
        let r = t.post("/token", poll.clone()).await;
        oidc_error(r, 400, "AuthorizationPending", "authorization_pending").await;
        t.emu.clock().advance(2);
    }
    let tok: Value = t.post("/token", poll).await.json().await.unwrap();
    let refresh = |rt: &Value| json!({"clientId": id, "clientSecret": secret, "grantType": "refresh_token", "refreshToken": rt});
    let r = t.post("/token", refresh(&tok["refreshToken"])).await;
    assert_eq!(r.status(), StatusCode::OK);
    let tok2: Value = r.json().await.unwrap();
    let r = t.post("/token", refresh(&tok["refreshToken"])).await;
    oidc_error(r, 400, "InvalidGrant", "invalid_grant").await;
    t.emu.clock().advance(100);
    let r = t.post("/token", refresh(&tok2["refreshToken"])).await;
    oidc_error(r, 400, "InvalidGrant", "invalid_grant").await;
}

#[tokio::test]
async fn only_loopback_binds() {
    for host in ["0.0.0.0", "::1", "::", "10.0.0.1", "localhost"] {
        let err = Emulator::start(Config {
            host: host.to_owned(),
            ..Config::default()
        })
        .await
        .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{host}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_idc-emulator"))
        .args(["--host", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("127.0.0.1"));
    let t = T::default().await;
    assert!(t.emu.url().starts_with("http://127.0.0.1:"));
    assert_eq!(
        t.emu.listening_line(),
        format!("{{\"listening\":\"{}\"}}", t.emu.url())
    );
}

#[tokio::test]
async fn date_header_follows_the_skewed_clock() {
    let plain = T::default().await;
    let skewed = T::new(Config {
        clock_skew: -7200,
        ..Config::default()
    })
    .await;
    let date = |r: &Response| r.headers()["date"].to_str().unwrap().to_owned();
    let a = date(&plain.get("/", None).await);
    let b = date(&skewed.get("/", None).await);
    let hour = |d: &str| -> i64 { d[17..19].parse().unwrap() };
    assert_eq!((hour(&a) - hour(&b)).rem_euclid(24), 2, "{a} vs {b}");
    let reg = skewed
        .register(json!({"clientName": "x", "clientType": "public"}))
        .await;
    let preg = plain
        .register(json!({"clientName": "x", "clientType": "public"}))
        .await;
    let d = preg["clientIdIssuedAt"].as_i64().unwrap() - reg["clientIdIssuedAt"].as_i64().unwrap();
    assert!((7195..=7205).contains(&d), "{d}");
}

#[tokio::test]
async fn fail_rate_and_unknown_routes() {
    let t = T::new(Config {
        fail_rate: 1.0,
        ..Config::default()
    })
    .await;
    let r = t
        .post(
            "/client/register",
            json!({"clientName": "x", "clientType": "public"}),
        )
        .await;
    oidc_error(r, 500, "InternalServer", "server_error").await;
    let r = t.get("/assignment/accounts", Some("x")).await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    // Admin is never failed.
    assert_eq!(t.state().await["responses"]["500"], 2);
    let r = t.get("/nowhere", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(portal_error_name(&r), "UnknownOperationException");
    assert!(Emulator::start(Config {
        fail_rate: 1.5,
        ..Config::default()
    })
    .await
    .is_err());
}
