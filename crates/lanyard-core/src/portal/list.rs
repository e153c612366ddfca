//! ListAccounts and ListAccountRoles (PROTOCOL §3) as streams over pages of 100, every call
//! under one shared [`TokenBucket`], retried with jittered backoff on 429 and 5xx, and a whole
//! listing (every account with its roles) fetched with bounded concurrency while reporting
//! [`Progress`] (accounts done / listed, retries).
//!
//! The HTTP exchange is behind [`Transport`] so that the retry and pagination logic is tested
//! with a scripted portal under paused time; [`HttpTransport`] is the real one.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use serde::Deserialize;

use super::ratelimit::TokenBucket;
use super::retry::{Jitter, RandomJitter, RetryPolicy};
use super::{transport, PortalError};
use crate::secret::Secret;

/// The page size asked for (the portal's maximum).
pub const PAGE_SIZE: u32 = 100;

/// How many calls are in flight at once by default. The rate limit, not this, sets the pace;
/// this only has to cover the latency (20 requests/s × 100 ms = 2 in flight).
pub const DEFAULT_CONCURRENCY: usize = 8;

/// One answer of the portal.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The exception name from `x-amzn-ErrorType`, if any.
    pub error_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// Sends one portal GET. Implementations carry the bearer token themselves.
pub trait Transport: Send + Sync {
    /// `GET {base}{path}?{query}` with the token header.
    fn get(
        &self,
        path: &'static str,
        query: &[(&'static str, String)],
    ) -> impl Future<Output = Result<Reply, PortalError>> + Send;
}

/// The portal client of a session's region with this token: the one place that picks the HTTP
/// client and the portal endpoint for listings.
pub fn portal_client(
    net: &crate::net::Net,
    region: &str,
    token: Secret,
    limiter: Arc<TokenBucket>,
) -> crate::Result<PortalClient<HttpTransport>> {
    let transport = HttpTransport::new(
        net.client()?,
        net.url(crate::endpoints::Service::Sso, region)?,
        token,
    );
    Ok(PortalClient::new(transport, limiter))
}

/// The real portal over HTTPS.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    http: reqwest::Client,
    base: String,
    token: Secret,
}

impl HttpTransport {
    /// A transport to the portal at `base` with this access token.
    pub fn new(http: reqwest::Client, base: impl Into<String>, token: Secret) -> Self {
        HttpTransport {
            http,
            base: base.into().trim_end_matches('/').to_owned(),
            token,
        }
    }
}

impl Transport for HttpTransport {
    async fn get(
        &self,
        path: &'static str,
        query: &[(&'static str, String)],
    ) -> Result<Reply, PortalError> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .query(query)
            .header(super::BEARER_HEADER, self.token.expose())
            .send()
            .await
            .map_err(transport(&self.base))?;
        let status = resp.status().as_u16();
        let error_type = super::error_type(resp.headers());
        let body = resp.bytes().await.map_err(transport(&self.base))?.to_vec();
        Ok(Reply {
            status,
            error_type,
            body,
        })
    }
}

/// An account as ListAccounts gives it. Name and email may be missing (the AWS CLI copes).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The 12-digit id.
    pub account_id: String,
    /// The account's name.
    #[serde(default)]
    pub account_name: Option<String>,
    /// The account's email address.
    #[serde(default, rename = "emailAddress")]
    pub email: Option<String>,
}

/// An account and the roles (permission sets) the person holds in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRoles {
    /// The account.
    pub account: Account,
    /// Role names, in the portal's order.
    pub roles: Vec<String>,
}

/// Where a listing stands; reported after every change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Accounts whose roles are in.
    pub done: usize,
    /// Accounts listed so far.
    pub total: usize,
    /// Whether every page of accounts is in (`total` is final).
    pub total_final: bool,
    /// Calls sent, retries included.
    pub calls: u64,
    /// Calls that were retried (after a 429 or 5xx).
    pub retries: u64,
    /// Of those, the ones answered 429.
    pub throttled: u64,
}

/// Receives [`Progress`] reports.
pub type ProgressSink = Arc<dyn Fn(&Progress) + Send + Sync>;

/// A portal client: one transport, one shared token bucket, one retry policy.
#[derive(Clone)]
pub struct PortalClient<T: Transport> {
    transport: Arc<T>,
    limiter: Arc<TokenBucket>,
    retry: RetryPolicy,
    jitter: Arc<dyn Jitter>,
    calls: Arc<AtomicU64>,
    retries: Arc<AtomicU64>,
    throttled: Arc<AtomicU64>,
    progress: Option<ProgressSink>,
    state: Arc<Mutex<Progress>>,
}

impl<T: Transport> std::fmt::Debug for PortalClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalClient")
            .field("limiter", &self.limiter)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountsPage {
    #[serde(default)]
    account_list: Vec<Account>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RolesPage {
    #[serde(default)]
    role_list: Vec<RoleEntry>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleEntry {
    role_name: String,
}

impl<T: Transport> PortalClient<T> {
    /// A client over `transport` whose every call waits on `limiter`.
    pub fn new(transport: T, limiter: Arc<TokenBucket>) -> Self {
        PortalClient {
            transport: Arc::new(transport),
            limiter,
            retry: RetryPolicy::default(),
            jitter: Arc::new(RandomJitter),
            calls: Arc::default(),
            retries: Arc::default(),
            throttled: Arc::default(),
            progress: None,
            state: Arc::default(),
        }
    }

    /// With another retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// With another jitter source (tests: a fixed sequence).
    pub fn with_jitter(mut self, jitter: Arc<dyn Jitter>) -> Self {
        self.jitter = jitter;
        self
    }

    /// Reporting progress to `sink`.
    pub fn with_progress(mut self, sink: ProgressSink) -> Self {
        self.progress = Some(sink);
        self
    }

    /// Calls sent so far, retries included.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Calls retried so far.
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// Calls answered 429 so far.
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Updates the progress state and reports it.
    fn report(&self, change: impl FnOnce(&mut Progress)) {
        let snapshot = {
            let mut p = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            change(&mut p);
            p.calls = self.calls();
            p.retries = self.retries();
            p.throttled = self.throttled();
            *p
        };
        if let Some(sink) = &self.progress {
            sink(&snapshot);
        }
    }

    /// One GET under the bucket, retried on 429 and 5xx; the body of the final 2xx parsed.
    async fn get_json<R: serde::de::DeserializeOwned>(
        &self,
        operation: &'static str,
        path: &'static str,
        query: Vec<(&'static str, String)>,
    ) -> Result<R, PortalError> {
        let mut attempt = 1;
        loop {
            self.limiter.acquire().await;
            self.calls.fetch_add(1, Ordering::Relaxed);
            let reply = self.transport.get(path, &query).await?;
            if (200..300).contains(&reply.status) {
                return serde_json::from_slice(&reply.body).map_err(|e| PortalError::Malformed {
                    operation,
                    reason: e.to_string(),
                });
            }
            if !RetryPolicy::retryable(reply.status) || attempt >= self.retry.max_attempts {
                return Err(PortalError::Service {
                    operation,
                    status: reply.status,
                    error_type: reply.error_type,
                });
            }
            let delay = self.retry.delay(attempt, self.jitter.next());
            self.retries.fetch_add(1, Ordering::Relaxed);
            if reply.status == 429 {
                self.throttled.fetch_add(1, Ordering::Relaxed);
            }
            tracing::debug!(
                operation,
                status = reply.status,
                attempt,
                delay_ms = delay.as_millis() as u64,
                "portal call refused; retrying"
            );
            self.report(|_| {});
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// ListAccounts, one item per page of up to 100 accounts, until `nextToken` is absent.
    pub fn accounts(&self) -> impl Stream<Item = Result<Vec<Account>, PortalError>> + '_ {
        stream::try_unfold(Some(None::<String>), move |next| async move {
            let Some(token) = next else {
                return Ok(None);
            };
            let mut query = vec![("max_result", PAGE_SIZE.to_string())];
            if let Some(t) = token {
                query.insert(0, ("next_token", t));
            }
            let page: AccountsPage = self
                .get_json("ListAccounts", "/assignment/accounts", query)
                .await?;
            let next = page.next_token.filter(|t| !t.is_empty()).map(Some);
            Ok(Some((page.account_list, next)))
        })
    }

    /// ListAccountRoles for one account, one item per page of up to 100 role names.
    pub fn account_roles<'a>(
        &'a self,
        account_id: &'a str,
    ) -> impl Stream<Item = Result<Vec<String>, PortalError>> + 'a {
        stream::try_unfold(Some(None::<String>), move |next| async move {
            let Some(token) = next else {
                return Ok(None);
            };
            let mut query = vec![("account_id", account_id.to_owned())];
            if let Some(t) = token {
                query.push(("next_token", t));
            }
            query.push(("max_result", PAGE_SIZE.to_string()));
            let page: RolesPage = self
                .get_json("ListAccountRoles", "/assignment/roles", query)
                .await?;
            let next = page.next_token.filter(|t| !t.is_empty()).map(Some);
            let roles = page.role_list.into_iter().map(|r| r.role_name).collect();
            Ok(Some((roles, next)))
        })
    }

    /// Every account, all pages (the wizard's listing; populate uses [`Self::fetch_all`]).
    pub async fn all_accounts(&self) -> Result<Vec<Account>, PortalError> {
        let pages: Vec<Vec<Account>> = self.accounts().try_collect().await?;
        Ok(pages.into_iter().flatten().collect())
    }

    /// Every role of one account. An account the portal answers 403 for (an assignment removed
    /// since the account was listed: aws-cli#6552) has none.
    pub async fn all_roles(&self, account_id: &str) -> Result<Vec<String>, PortalError> {
        let pages: Result<Vec<Vec<String>>, PortalError> =
            self.account_roles(account_id).try_collect().await;
        match pages {
            Ok(p) => Ok(p.into_iter().flatten().collect()),
            Err(PortalError::Service { status: 403, .. }) => {
                tracing::warn!(account_id, "no access to the account's roles any more");
                Ok(Vec::new())
            }
            Err(e) => Err(e),
        }
    }

    /// Every account with its roles: the account pages are listed while the roles of accounts
    /// already listed are fetched, at most `concurrency` role listings at once. Accounts come
    /// back in listing order.
    pub async fn fetch_all(&self, concurrency: usize) -> Result<Vec<AccountRoles>, PortalError> {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Account)>();
        let producer = async move {
            let mut pages = std::pin::pin!(self.accounts());
            let mut n = 0;
            while let Some(page) = pages.try_next().await? {
                let count = page.len();
                for a in page {
                    // The receiver lives until the consumer ends, which needs this sender gone.
                    let _ = tx.send((n, a));
                    n += 1;
                }
                self.report(|p| p.total += count);
            }
            self.report(|p| p.total_final = true);
            drop(tx);
            Ok::<(), PortalError>(())
        };
        let listed = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|a| (a, rx)) });
        let consumer = listed
            .map(|(i, account)| async move {
                let roles = self.all_roles(&account.account_id).await?;
                self.report(|p| p.done += 1);
                Ok::<_, PortalError>((i, AccountRoles { account, roles }))
            })
            .buffer_unordered(concurrency.max(1))
            .try_collect::<Vec<_>>();
        let ((), mut out) = futures_util::future::try_join(producer, consumer).await?;
        out.sort_by_key(|(i, _)| *i);
        Ok(out.into_iter().map(|(_, a)| a).collect())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::{HashMap, VecDeque};
    use std::time::Duration;

    use super::*;
    use crate::portal::retry::SequenceJitter;

    /// A call the fake portal received: when, the path, the query, the status answered.
    type Call = (Duration, &'static str, Vec<(&'static str, String)>, u16);

    /// A scripted portal: accounts `0..n` with `roles` roles each, and queues of statuses to
    /// answer (before the real answer) per path, recording when each call arrived.
    #[derive(Default)]
    struct Fake {
        accounts: usize,
        roles: usize,
        /// Statuses answered, in order, before answering normally (any path).
        refusals: Mutex<VecDeque<u16>>,
        /// Statuses answered for the roles of one account, in order.
        per_account: Mutex<HashMap<String, VecDeque<u16>>>,
        log: Mutex<Vec<Call>>,
        start: Option<tokio::time::Instant>,
        latency: Duration,
    }

    impl Fake {
        fn new(accounts: usize, roles: usize) -> Self {
            Fake {
                accounts,
                roles,
                start: Some(tokio::time::Instant::now()),
                ..Fake::default()
            }
        }

        fn answer(&self, path: &str, query: &HashMap<&str, String>) -> (u16, String) {
            if let Some(s) = self.refusals.lock().unwrap().pop_front() {
                return (s, "{\"message\":\"HTTP 429 Unknown Code\"}".into());
            }
            let from: usize = query
                .get("next_token")
                .map_or(0, |t| t.trim_start_matches("tok").parse().unwrap());
            let max: usize = query["max_result"].parse().unwrap();
            if path == "/assignment/accounts" {
                let end = (from + max).min(self.accounts);
                let list: Vec<String> = (from..end)
                    .map(|i| {
                        format!(
                            "{{\"accountId\":\"{:012}\",\"accountName\":\"acct-{i}\",\"emailAddress\":\"a{i}@x\"}}",
                            i + 1
                        )
                    })
                    .collect();
                let next = if end < self.accounts {
                    format!(",\"nextToken\":\"tok{end}\"")
                } else {
                    String::new()
                };
                return (
                    200,
                    format!("{{\"accountList\":[{}]{next}}}", list.join(",")),
                );
            }
            let id = query["account_id"].clone();
            if let Some(s) = self
                .per_account
                .lock()
                .unwrap()
                .get_mut(&id)
                .and_then(VecDeque::pop_front)
            {
                return (s, "{\"message\":\"No access\"}".into());
            }
            let end = (from + max).min(self.roles);
            let list: Vec<String> = (from..end)
                .map(|r| format!("{{\"roleName\":\"Role{r}\",\"accountId\":\"{id}\"}}"))
                .collect();
            let next = if end < self.roles {
                format!(",\"nextToken\":\"tok{end}\"")
            } else {
                String::new()
            };
            (200, format!("{{\"roleList\":[{}]{next}}}", list.join(",")))
        }
    }

    impl Transport for Fake {
        async fn get(
            &self,
            path: &'static str,
            query: &[(&'static str, String)],
        ) -> Result<Reply, PortalError> {
            let at = tokio::time::Instant::now().duration_since(self.start.unwrap());
            let map: HashMap<&str, String> = query.iter().cloned().collect();
            let (status, body) = self.answer(path, &map);
            self.log
                .lock()
                .unwrap()
                .push((at, path, query.to_vec(), status));
            if !self.latency.is_zero() {
                tokio::time::sleep(self.latency).await;
            }
            Ok(Reply {
                status,
                error_type: (status == 429).then(|| "TooManyRequestsException".to_owned()),
                body: body.into_bytes(),
            })
        }
    }

    fn client(fake: Fake, rate: u32) -> PortalClient<Fake> {
        PortalClient::new(fake, Arc::new(TokenBucket::with_burst(rate, 1)))
            .with_jitter(Arc::new(SequenceJitter::new([0.0])))
    }

    #[tokio::test(start_paused = true)]
    async fn accounts_are_listed_in_pages_of_100_until_next_token_is_absent() {
        let c = client(Fake::new(250, 1), 1000);
        let pages: Vec<Vec<Account>> = c.accounts().try_collect().await.unwrap();
        assert_eq!(
            pages.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![100, 100, 50]
        );
        assert_eq!(pages[0][0].account_id, "000000000001");
        assert_eq!(pages[0][0].account_name.as_deref(), Some("acct-0"));
        assert_eq!(pages[0][0].email.as_deref(), Some("a0@x"));
        let log = c.transport.log.lock().unwrap();
        let queries: Vec<_> = log.iter().map(|(_, _, q, _)| q.clone()).collect();
        assert_eq!(queries[0], vec![("max_result", "100".to_owned())]);
        assert_eq!(
            queries[2],
            vec![
                ("next_token", "tok200".to_owned()),
                ("max_result", "100".to_owned())
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn roles_are_paged_too_and_a_403_account_has_none() {
        let fake = Fake::new(2, 230);
        fake.per_account
            .lock()
            .unwrap()
            .insert("000000000002".into(), VecDeque::from([403]));
        let c = client(fake, 1000);
        let all = c.fetch_all(4).await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].roles.len(), 230);
        assert_eq!(all[0].roles[229], "Role229");
        assert!(all[1].roles.is_empty());
        // 1 account page + 3 role pages + one refused role call; the 403 is final.
        assert_eq!(c.calls(), 5);
        assert_eq!(c.retries(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_and_server_errors_are_retried_with_jittered_backoff() {
        let fake = Fake::new(1, 1);
        *fake.refusals.lock().unwrap() = VecDeque::from([429, 503, 429]);
        let c = PortalClient::new(fake, Arc::new(TokenBucket::with_burst(1000, 100)))
            .with_jitter(Arc::new(SequenceJitter::new([0.0, 0.5, 0.999])));
        let pages: Vec<Vec<Account>> = c.accounts().try_collect().await.unwrap();
        assert_eq!(pages[0].len(), 1);
        let log = c.transport.log.lock().unwrap();
        let at: Vec<u128> = log.iter().map(|(t, ..)| t.as_millis()).collect();
        let statuses: Vec<u16> = log.iter().map(|l| l.3).collect();
        assert_eq!(statuses, vec![429, 503, 429, 200]);
        // Backoffs 100 ms (jitter 0), 200 + 100 ms (0.5), 400 + 399.6 ms (0.999; tokio's
        // timer rounds up to the millisecond).
        assert_eq!(at, vec![0, 100, 400, 1200]);
        assert_eq!((c.calls(), c.retries(), c.throttled()), (4, 3, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_refused_every_time_fails_after_the_last_attempt() {
        let fake = Fake::new(1, 1);
        *fake.refusals.lock().unwrap() = VecDeque::from(vec![500; 10]);
        let c = client(fake, 1000).with_retry(RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        });
        let err = c.accounts().try_collect::<Vec<_>>().await.unwrap_err();
        assert!(
            matches!(err, PortalError::Service { status: 500, .. }),
            "{err}"
        );
        assert_eq!(c.calls(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn client_errors_are_not_retried() {
        let fake = Fake::new(1, 1);
        *fake.refusals.lock().unwrap() = VecDeque::from([401, 200]);
        let c = client(fake, 1000);
        let err = c.accounts().try_collect::<Vec<_>>().await.unwrap_err();
        assert!(err.is_unauthorized(), "{err}");
        assert_eq!(c.calls(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn every_call_of_a_listing_waits_on_the_one_bucket_and_progress_is_reported() {
        let mut fake = Fake::new(250, 3);
        fake.latency = Duration::from_millis(50);
        *fake.refusals.lock().unwrap() = VecDeque::from([429]);
        let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
        let sink = seen.clone();
        let c = PortalClient::new(fake, Arc::new(TokenBucket::with_burst(20, 1)))
            .with_jitter(Arc::new(SequenceJitter::new([0.0])))
            .with_progress(Arc::new(move |p: &Progress| sink.lock().unwrap().push(*p)));
        let t0 = tokio::time::Instant::now();
        let all = c.fetch_all(8).await.unwrap();
        assert_eq!(all.len(), 250);
        assert!(all.iter().all(|a| a.roles == ["Role0", "Role1", "Role2"]));
        assert_eq!(all[249].account.account_id, "000000000250");
        // 3 account pages + 250 role lists + 1 retry, at 20/s with no burst.
        assert_eq!(c.calls(), 254);
        let log = c.transport.log.lock().unwrap();
        let at: Vec<u128> = log.iter().map(|(t, ..)| t.as_millis()).collect();
        for w in at.windows(2) {
            assert!(
                w[1] - w[0] >= 50,
                "calls closer than the rate allows: {w:?}"
            );
        }
        // The first call is refused and retried after 100 ms; from then on the bucket sets
        // the pace: 253 more calls 50 ms apart, the last one taking 50 ms.
        assert_eq!(t0.elapsed(), Duration::from_millis(150 + 252 * 50 + 50));
        let seen = seen.lock().unwrap();
        let last = *seen.last().unwrap();
        assert_eq!(
            (
                last.done,
                last.total,
                last.total_final,
                last.retries,
                last.throttled
            ),
            (250, 250, true, 1, 1)
        );
        assert!(seen.windows(2).all(|w| w[1].done >= w[0].done));
    }
}
