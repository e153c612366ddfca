//! ListAccounts and ListAccountRoles (PROTOCOL §3) as streams over pages of 100 (each read up
//! to 8 MiB), every call under one shared [`TokenBucket`], retried with jittered backoff on 429,
//! 5xx and connections that failed in a way safe to retry, and a whole
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
use super::{refusal, transport, PortalError};
use crate::netfail::{read_limited, BodyError, PAGE_BODY_LIMIT};
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
) -> Result<PortalClient<HttpTransport>, crate::net::NetError> {
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
        let body = read_limited(resp, PAGE_BODY_LIMIT)
            .await
            .map_err(|e| match e {
                BodyError::Transport(source) => transport(&self.base)(source),
                BodyError::TooLarge(limit) => PortalError::Malformed {
                    operation: match path {
                        "/assignment/accounts" => "ListAccounts",
                        "/assignment/roles" => "ListAccountRoles",
                        _ => "portal call",
                    },
                    reason: BodyError::too_large(limit),
                },
            })?;
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

    /// One GET under the bucket, retried on 429, 5xx and retryable connection failures; the
    /// body of the final 2xx parsed.
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
            let error = match self.transport.get(path, &query).await {
                Ok(reply) if (200..300).contains(&reply.status) => {
                    return serde_json::from_slice(&reply.body).map_err(|e| {
                        PortalError::Malformed {
                            operation,
                            reason: format!("the answer is {}", crate::netfail::json_reason(&e)),
                        }
                    });
                }
                Ok(reply) => refusal(operation, reply.status, reply.error_type, &reply.body),
                Err(e) => e,
            };
            if !error.retryable() || attempt >= self.retry.max_attempts {
                return Err(error);
            }
            let delay = self.retry.delay(attempt, self.jitter.next());
            self.retries.fetch_add(1, Ordering::Relaxed);
            if error.is_throttled() {
                self.throttled.fetch_add(1, Ordering::Relaxed);
            }
            tracing::debug!(
                operation,
                error = %error,
                attempt,
                delay_ms = delay.as_millis() as u64,
                "portal call refused; retrying"
            );
            self.report(|_| {});
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Whether the portal accepts the token: one ListAccounts call for one entry (retried like
    /// every listing). A 401 is [`PortalError::is_unauthorized`]: revoked, or forgotten.
    pub async fn check_token(&self) -> Result<(), PortalError> {
        let _: serde::de::IgnoredAny = self
            .get_json(
                "ListAccounts",
                "/assignment/accounts",
                vec![("max_result", "1".to_owned())],
            )
            .await?;
        Ok(())
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
#[path = "list_tests.rs"]
mod tests;
