//! Load generator for `bench/emulator/run`: signs in to a running emulator, pages through every
//! account and every account's roles, then drives a bounded mixed portal load and prints one JSON
//! line with the counts and requests per second. Loopback only.
//!
//! Usage: `load --url http://127.0.0.1:PORT [--seconds S] [--max-requests N] [--concurrency C]`

#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

// A benchmark measures wall-clock throughput, so this is the one place it reads the monotonic
// clock (the workspace bans direct reads elsewhere).
#[allow(clippy::disallowed_methods)]
fn now() -> Instant {
    Instant::now()
}

struct Args {
    url: String,
    seconds: f64,
    max_requests: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args {
        url: String::new(),
        seconds: 5.0,
        max_requests: 200_000,
        concurrency: 32,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_default();
        match k.as_str() {
            "--url" => a.url = v,
            "--seconds" => a.seconds = v.parse().unwrap(),
            "--max-requests" => a.max_requests = v.parse().unwrap(),
            "--concurrency" => a.concurrency = v.parse().unwrap(),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        a.url.starts_with("http://127.0.0.1:"),
        "--url must be http://127.0.0.1:PORT (loopback only)"
    );
    a
}

async fn sign_in(http: &reqwest::Client, url: &str) -> String {
    let reg: Value = http
        .post(format!("{url}/client/register"))
        .json(&json!({"clientName": "bench", "clientType": "public", "scopes": ["sso:account:access"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (id, secret) = (reg["clientId"].clone(), reg["clientSecret"].clone());
    let auth: Value = http
        .post(format!("{url}/device_authorization"))
        .json(&json!({"clientId": id, "clientSecret": secret, "startUrl": "https://d-1.awsapps.com/start"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uc = auth["userCode"].as_str().unwrap();
    http.post(format!("{url}/_emulator/approve?user_code={uc}"))
        .send()
        .await
        .unwrap();
    let tok: Value = http
        .post(format!("{url}/token"))
        .json(&json!({"clientId": id, "clientSecret": secret,
                      "grantType": "urn:ietf:params:oauth:grant-type:device_code",
                      "deviceCode": auth["deviceCode"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tok["accessToken"].as_str().unwrap().to_owned()
}

async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> (u16, Value) {
    let r = http
        .get(url)
        .header("x-amz-sso_bearer_token", token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let a = args();
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(a.concurrency * 2)
        .build()
        .unwrap();
    let url = a.url.clone();
    let token = sign_in(&http, &url).await;

    // Phase 1: every account, 100 per page.
    let t0 = now();
    let mut accounts = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0usize;
    loop {
        let mut u = format!("{url}/assignment/accounts?max_result=100");
        if let Some(n) = &next {
            u.push_str(&format!("&next_token={n}"));
        }
        let (status, body) = get_json(&http, &u, &token).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        for acc in body["accountList"].as_array().unwrap() {
            accounts.push(acc["accountId"].as_str().unwrap().to_owned());
        }
        match body["nextToken"].as_str() {
            Some(n) => next = Some(n.to_owned()),
            None => break,
        }
    }
    let accounts = Arc::new(accounts);

    // Phase 2: every account's roles, `concurrency` requests in flight.
    let cursor = Arc::new(AtomicUsize::new(0));
    let roles = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(pages));
    let first_roles = Arc::new(Mutex::new(vec![String::new(); accounts.len()]));
    let mut tasks = Vec::new();
    for _ in 0..a.concurrency {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        let (accounts, cursor, roles, requests, first_roles) = (
            accounts.clone(),
            cursor.clone(),
            roles.clone(),
            requests.clone(),
            first_roles.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = cursor.fetch_add(1, Ordering::Relaxed);
                let Some(acc) = accounts.get(i) else { break };
                let mut next: Option<String> = None;
                loop {
                    let mut u = format!("{url}/assignment/roles?account_id={acc}&max_result=100");
                    if let Some(n) = &next {
                        u.push_str(&format!("&next_token={n}"));
                    }
                    let (status, body) = get_json(&http, &u, &token).await;
                    requests.fetch_add(1, Ordering::Relaxed);
                    assert_eq!(status, 200, "{body}");
                    let list = body["roleList"].as_array().unwrap();
                    roles.fetch_add(list.len(), Ordering::Relaxed);
                    if next.is_none() {
                        if let Some(r) = list.first().and_then(|r| r["roleName"].as_str()) {
                            first_roles.lock().unwrap()[i] = r.to_owned();
                        }
                    }
                    match body["nextToken"].as_str() {
                        Some(n) => next = Some(n.to_owned()),
                        None => break,
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let paging_secs = t0.elapsed().as_secs_f64();
    let first_roles = Arc::new(first_roles.lock().unwrap().clone());
    let paging_requests = requests.load(Ordering::Relaxed);

    // Phase 3: bounded mixed load (8 ListAccountRoles : 1 ListAccounts : 1 GetRoleCredentials).
    let deadline = now() + Duration::from_secs_f64(a.seconds);
    let done = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let t1 = now();
    let mut tasks = Vec::new();
    for w in 0..a.concurrency {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        let (accounts, done, errors) = (accounts.clone(), done.clone(), errors.clone());
        let first_roles = first_roles.clone();
        let max = a.max_requests;
        tasks.push(tokio::spawn(async move {
            let mut n = w;
            while now() < deadline {
                if done.fetch_add(1, Ordering::Relaxed) >= max {
                    done.fetch_sub(1, Ordering::Relaxed);
                    break;
                }
                n = n
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let i = (n >> 33) % accounts.len();
                let acc = &accounts[i];
                let u = match (n >> 20) % 10 {
                    0 => format!("{url}/assignment/accounts?max_result=100"),
                    1 => format!(
                        "{url}/federation/credentials?account_id={acc}&role_name={}",
                        first_roles[i]
                    ),
                    _ => format!("{url}/assignment/roles?account_id={acc}"),
                };
                let r = http
                    .get(&u)
                    .header("x-amz-sso_bearer_token", &token)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mixed_secs = t1.elapsed().as_secs_f64();
    let mixed = done.load(Ordering::Relaxed);
    println!(
        "{}",
        json!({
            "accounts": accounts.len(),
            "account_pages": pages,
            "roles": roles.load(Ordering::Relaxed),
            "paging_requests": paging_requests,
            "paging_seconds": paging_secs,
            "paging_rps": paging_requests as f64 / paging_secs,
            "mixed_requests": mixed,
            "mixed_errors": errors.load(Ordering::Relaxed),
            "mixed_seconds": mixed_secs,
            "mixed_rps": mixed as f64 / mixed_secs,
            "concurrency": a.concurrency,
        })
    );
}
