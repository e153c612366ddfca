//! The emulator's state: registered clients, pending device and browser authorizations, sign-ins
//! with their access and refresh tokens, issued role credentials, console sign-in tokens, the
//! directory, the portal rate limiter, the injected faults and the counters the admin API
//! reports.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::clock::Clock;
use crate::config::Config;
use crate::data::Directory;
use crate::errors::ApiError;

/// Which wire family an operation belongs to (decides how its errors look).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Oidc,
    Portal,
    Sts,
    Federation,
}

/// Operations reported under `calls` in the admin state, in the order they are listed.
pub(crate) const OPERATIONS: &[&str] = &[
    "RegisterClient",
    "StartDeviceAuthorization",
    "CreateToken",
    "Authorize",
    "GetRoleCredentials",
    "ListAccounts",
    "ListAccountRoles",
    "Logout",
    "GetSigninToken",
    "ConsoleLogin",
    "GetCallerIdentity",
];

/// CreateToken grant types, in the order of the `CreateToken` counters.
pub(crate) const GRANTS: [&str; 3] = ["device_code", "authorization_code", "refresh_token"];

/// A registered OIDC client.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub(crate) name: String,
    pub(crate) secret: String,
    pub(crate) secret_expires_at: i64,
    pub(crate) scopes: Vec<String>,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) grant_types: Vec<String>,
}

impl Client {
    /// Whether the client may use `grant` (a short name from [`GRANTS`]). A client registered
    /// without `grantTypes` (the device-flow registration) gets device code and refresh.
    pub(crate) fn allows(&self, grant: &str) -> bool {
        if self.grant_types.is_empty() {
            return grant != "authorization_code";
        }
        self.grant_types.iter().any(|g| {
            g == grant
                || (grant == "device_code" && g == "urn:ietf:params:oauth:grant-type:device_code")
        })
    }
}

/// Where a device authorization stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved,
    Denied,
    Used,
}

/// A device authorization (StartDeviceAuthorization), keyed by device code.
#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub(crate) client_id: String,
    pub(crate) user_code: String,
    pub(crate) expires_ms: i64,
    pub(crate) interval_s: i64,
    pub(crate) last_poll_ms: Option<i64>,
    pub(crate) polls: u32,
    pub(crate) status: DeviceStatus,
}

/// A browser authorization shown on the Approve/Deny page, keyed by a one-time request id.
#[derive(Debug, Clone)]
pub(crate) struct PendingAuthorize {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) state: Option<String>,
    pub(crate) challenge: String,
    pub(crate) expires_ms: i64,
}

/// An authorization code, keyed by the code.
#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) challenge: String,
    pub(crate) expires_ms: i64,
    pub(crate) used: bool,
}

/// One sign-in to Identity Center (one device or browser approval): its tokens share its fate.
#[derive(Debug, Clone)]
pub(crate) struct SignIn {
    pub(crate) client_id: String,
    pub(crate) started_ms: i64,
    pub(crate) revoked: bool,
}

/// An access token.
#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub(crate) sign_in: u64,
    pub(crate) expires_ms: i64,
    pub(crate) revoked: bool,
}

/// A live refresh token (a rotated or revoked one is removed).
#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub(crate) sign_in: u64,
    pub(crate) client_id: String,
}

/// Role credentials issued by GetRoleCredentials, keyed by access key id. The secret and session
/// token are derived from the key id, so they are not stored.
#[derive(Debug, Clone)]
pub(crate) struct Credential {
    pub(crate) account: u64,
    pub(crate) role: Arc<str>,
    pub(crate) expires_ms: i64,
}

/// A console sign-in token from `getSigninToken`.
#[derive(Debug, Clone)]
pub(crate) struct SigninToken {
    pub(crate) account: u64,
    pub(crate) role: Arc<str>,
    pub(crate) expires_ms: i64,
}

/// The token bucket over the portal API.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    tokens: f64,
    last_ms: Option<i64>,
}

impl Bucket {
    fn new() -> Self {
        Self {
            tokens: 0.0,
            last_ms: None,
        }
    }

    /// Takes one token at `now_ms` for a limit of `tps` (burst = tps); false when empty.
    fn take(&mut self, now_ms: i64, tps: u32) -> bool {
        let cap = f64::from(tps);
        self.tokens = match self.last_ms {
            None => cap,
            Some(last) => (self.tokens + (now_ms - last).max(0) as f64 * cap / 1000.0).min(cap),
        };
        self.last_ms = Some(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Faults injected at run time through `POST /_emulator/faults` (cleared by its `reset` and by
/// `POST /_emulator/reset`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Faults {
    /// Every Nth portal request answers 429 `TooManyRequestsException` (0 = never).
    pub(crate) throttle_every: u64,
    /// Probability of a 500 on an OIDC or portal request; overrides `--fail-rate` when set.
    pub(crate) fail_rate: Option<f64>,
    /// Portal requests seen since `throttle_every` was set.
    pub(crate) portal_seen: u64,
}

/// The counters reported by `GET /_emulator/state`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stats {
    pub(crate) calls: BTreeMap<&'static str, u64>,
    pub(crate) create_token: [u64; 3],
    pub(crate) responses: BTreeMap<u16, u64>,
    pub(crate) tokens_issued: u64,
    pub(crate) tokens_revoked: u64,
    pub(crate) role_credentials_issued: u64,
    portal_second: i64,
    portal_in_second: u64,
    pub(crate) max_portal_per_second: u64,
    /// Every RegisterClient `issuerUrl`, in order.
    pub(crate) issuer_urls: Vec<String>,
    /// Every StartDeviceAuthorization `startUrl`, in order.
    pub(crate) device_start_urls: Vec<String>,
}

impl Stats {
    fn portal_tick(&mut self, now_ms: i64) {
        let sec = now_ms.div_euclid(1000);
        if sec != self.portal_second {
            self.portal_second = sec;
            self.portal_in_second = 0;
        }
        self.portal_in_second += 1;
        self.max_portal_per_second = self.max_portal_per_second.max(self.portal_in_second);
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut calls = serde_json::Map::new();
        for op in OPERATIONS {
            if *op == "CreateToken" {
                let mut grants = serde_json::Map::new();
                for (i, g) in GRANTS.iter().enumerate() {
                    grants.insert((*g).to_owned(), json!(self.create_token[i]));
                }
                calls.insert("CreateToken".to_owned(), Value::Object(grants));
            } else {
                calls.insert(
                    (*op).to_owned(),
                    json!(self.calls.get(op).copied().unwrap_or(0)),
                );
            }
        }
        let responses: serde_json::Map<String, Value> = self
            .responses
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        json!({
            "calls": calls,
            "responses": responses,
            "tokens": {"issued": self.tokens_issued, "revoked": self.tokens_revoked},
            "role_credentials_issued": self.role_credentials_issued,
            "max_portal_requests_in_any_second": self.max_portal_per_second,
            "issuer_urls": self.issuer_urls,
            "device_start_urls": self.device_start_urls,
        })
    }
}

/// Everything that changes while the emulator runs.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) directory: Directory,
    pub(crate) clients: HashMap<String, Client>,
    pub(crate) devices: HashMap<String, Device>,
    pub(crate) user_codes: HashMap<String, String>,
    pub(crate) pending: HashMap<String, PendingAuthorize>,
    pub(crate) codes: HashMap<String, AuthCode>,
    pub(crate) sign_ins: HashMap<u64, SignIn>,
    pub(crate) access: HashMap<String, AccessToken>,
    pub(crate) refresh: HashMap<String, RefreshToken>,
    pub(crate) creds: HashMap<String, Credential>,
    pub(crate) signin_tokens: HashMap<String, SigninToken>,
    pub(crate) stats: Stats,
    pub(crate) bucket: Bucket,
    pub(crate) next_sign_in: u64,
    pub(crate) faults: Faults,
    /// Decides injected failures: seeded by `--seed`, so a run's failures repeat.
    fault_rng: StdRng,
    /// Size of the token and credential maps that triggers the next sweep of expired entries.
    prune_at: usize,
}

/// Below this many live entries the maps are never swept.
const PRUNE_FLOOR: usize = 100_000;

impl Inner {
    fn new(cfg: &Config) -> Self {
        Self {
            directory: Directory::generate(cfg.seed, cfg.accounts, cfg.roles_per_account),
            clients: HashMap::new(),
            devices: HashMap::new(),
            user_codes: HashMap::new(),
            pending: HashMap::new(),
            codes: HashMap::new(),
            sign_ins: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            creds: HashMap::new(),
            signin_tokens: HashMap::new(),
            stats: Stats::default(),
            bucket: Bucket::new(),
            next_sign_in: 1,
            faults: Faults::default(),
            fault_rng: StdRng::seed_from_u64(cfg.seed ^ 0x5EED_FA17),
            prune_at: PRUNE_FLOOR,
        }
    }

    /// Forgets expired access tokens, role credentials and sign-in tokens once the maps have
    /// grown past a threshold that doubles with the live size, so a long run under load keeps
    /// memory bounded at an amortised O(1) cost per issue. A forgotten token answers exactly as
    /// an expired one does.
    pub(crate) fn maybe_prune(&mut self, now_ms: i64) {
        let size = self.access.len() + self.creds.len() + self.signin_tokens.len();
        if size < self.prune_at {
            return;
        }
        self.access.retain(|_, t| t.expires_ms > now_ms);
        self.creds.retain(|_, c| c.expires_ms > now_ms);
        self.signin_tokens.retain(|_, t| t.expires_ms > now_ms);
        let live = self.access.len() + self.creds.len() + self.signin_tokens.len();
        self.prune_at = PRUNE_FLOOR.max(live.saturating_mul(2));
    }

    /// The sign-in behind a live (unexpired, unrevoked) access token.
    pub(crate) fn sign_in_of(&self, access_token: &str, now_ms: i64) -> Option<u64> {
        let t = self.access.get(access_token)?;
        if t.revoked || now_ms >= t.expires_ms {
            return None;
        }
        let s = self.sign_ins.get(&t.sign_in)?;
        (!s.revoked).then_some(t.sign_in)
    }

    /// Revokes a sign-in: its access tokens stop working and its refresh tokens are forgotten.
    pub(crate) fn revoke_sign_in(&mut self, id: u64, now_ms: i64) {
        if let Some(s) = self.sign_ins.get_mut(&id) {
            s.revoked = true;
        }
        let mut revoked = 0;
        for t in self.access.values_mut() {
            if t.sign_in == id && !t.revoked && t.expires_ms > now_ms {
                t.revoked = true;
                revoked += 1;
            }
        }
        self.stats.tokens_revoked += revoked;
        self.refresh.retain(|_, r| r.sign_in != id);
    }
}

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) cfg: Config,
    pub(crate) clock: Clock,
    /// Per-instance key from which role-credential secrets are derived.
    pub(crate) key: [u8; 32],
    /// `http(s)://127.0.0.1:PORT`, set once the listener is bound.
    pub(crate) base_url: OnceLock<String>,
    inner: Mutex<Inner>,
}

impl Shared {
    pub(crate) fn new(cfg: Config) -> Self {
        let mut key = [0u8; 32];
        rand::thread_rng().fill(&mut key);
        Self {
            clock: Clock::new(cfg.clock_skew),
            inner: Mutex::new(Inner::new(&cfg)),
            cfg,
            key,
            base_url: OnceLock::new(),
        }
    }

    /// The state, locked. A handler that panicked while holding it poisoned nothing worth
    /// refusing service over, so a poisoned lock is taken anyway.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn base_url(&self) -> &str {
        self.base_url
            .get()
            .map_or("http://127.0.0.1", String::as_str)
    }

    /// As if the instance were replaced (or its registrations revoked): every client, device
    /// code, authorization code, sign-in and token is forgotten; the directory, the clock and
    /// the counters stay.
    pub(crate) fn forget(&self) {
        let mut inner = self.lock();
        inner.clients.clear();
        inner.devices.clear();
        inner.user_codes.clear();
        inner.pending.clear();
        inner.codes.clear();
        inner.sign_ins.clear();
        inner.access.clear();
        inner.refresh.clear();
        inner.creds.clear();
        inner.signin_tokens.clear();
    }

    /// Back to the state at start: directory regenerated, every client, token and counter gone.
    pub(crate) fn reset(&self) {
        let fresh = Inner::new(&self.cfg);
        *self.lock() = fresh;
        self.clock.reset();
    }

    /// Approves or denies the device authorization behind `user_code`.
    pub(crate) fn set_device_decision(&self, user_code: &str, approve: bool) -> Result<(), String> {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        let Some(dc) = inner.user_codes.get(user_code).cloned() else {
            return Err(format!(
                "The code {user_code} is not valid or was already used."
            ));
        };
        let Some(d) = inner.devices.get_mut(&dc) else {
            return Err(format!("The code {user_code} is not valid."));
        };
        if now >= d.expires_ms {
            return Err(format!("The code {user_code} has expired."));
        }
        if d.status == DeviceStatus::Pending {
            d.status = if approve {
                DeviceStatus::Approved
            } else {
                DeviceStatus::Denied
            };
        }
        Ok(())
    }

    /// Counts a call that is not an API operation (the browser pages).
    pub(crate) fn count(&self, op: &'static str) {
        *self.lock().stats.calls.entry(op).or_insert(0) += 1;
    }

    /// Entry checks every API operation passes: counting, the portal rate limit, the injected
    /// throttling, added latency and random failures, in that order.
    pub(crate) async fn gate(&self, op: &'static str, family: Family) -> Result<(), ApiError> {
        let now = self.clock.now_ms();
        let (limited, throttled, failed) = {
            let mut inner = self.lock();
            if op != "CreateToken" {
                *inner.stats.calls.entry(op).or_insert(0) += 1;
            }
            let limited = if family == Family::Portal {
                inner.stats.portal_tick(now);
                self.cfg.rate_limit > 0 && !inner.bucket.take(now, self.cfg.rate_limit)
            } else {
                false
            };
            let throttled = family == Family::Portal && inner.faults.throttle_every > 0 && {
                inner.faults.portal_seen += 1;
                inner
                    .faults
                    .portal_seen
                    .is_multiple_of(inner.faults.throttle_every)
            };
            let rate = match (family, inner.faults.fail_rate) {
                (Family::Oidc | Family::Portal, Some(p)) => p,
                _ => self.cfg.fail_rate,
            };
            let failed = rate > 0.0 && inner.fault_rng.gen::<f64>() < rate;
            (limited, throttled, failed)
        };
        if self.cfg.latency_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(self.cfg.latency_ms)).await;
        }
        if limited {
            return Err(ApiError::portal(
                429,
                "TooManyRequestsException",
                "HTTP 429 Unknown Code",
            ));
        }
        if throttled {
            return Err(ApiError::portal(
                429,
                "TooManyRequestsException",
                "Rate exceeded (injected by /_emulator/faults throttle_every)",
            ));
        }
        if failed {
            return Err(match family {
                Family::Oidc => ApiError::oidc(
                    "InternalServer",
                    "An internal error occurred (injected by --fail-rate)",
                ),
                Family::Portal => ApiError::portal(
                    500,
                    "InternalServerException",
                    "An internal error occurred (injected by --fail-rate)",
                ),
                Family::Sts => ApiError::sts(
                    500,
                    "InternalFailure",
                    "An internal error occurred (injected by --fail-rate)",
                ),
                Family::Federation => {
                    ApiError::page(500, "An internal error occurred (injected by --fail-rate)")
                }
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_burst_then_refills() {
        let mut b = Bucket::new();
        let ok = (0..25).filter(|_| b.take(1000, 20)).count();
        assert_eq!(ok, 20);
        assert!(!b.take(1010, 20));
        assert!(b.take(1060, 20));
        assert!((0..20).all(|_| b.take(3000, 20)));
    }

    #[test]
    fn expired_entries_are_swept_past_the_threshold() {
        let mut inner = Inner::new(&Config {
            accounts: 1,
            ..Config::default()
        });
        let role: Arc<str> = Arc::from("R");
        for i in 0..PRUNE_FLOOR {
            let expires_ms = if i % 2 == 0 { 10 } else { 1_000 };
            inner.creds.insert(
                format!("k{i}"),
                Credential {
                    account: 1,
                    role: role.clone(),
                    expires_ms,
                },
            );
        }
        inner.maybe_prune(500);
        assert_eq!(inner.creds.len(), PRUNE_FLOOR / 2);
        assert_eq!(inner.prune_at, PRUNE_FLOOR);
        // Below the threshold nothing is swept, even if expired.
        inner.maybe_prune(5_000);
        assert_eq!(inner.creds.len(), PRUNE_FLOOR / 2);
    }

    #[test]
    fn per_second_maximum() {
        let mut s = Stats::default();
        for t in [0, 100, 900, 1000, 1999, 2500, 2600, 2700] {
            s.portal_tick(t);
        }
        assert_eq!(s.max_portal_per_second, 3);
    }
}
