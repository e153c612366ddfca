//! The listings against a scripted portal under paused time: paging, retries, the shared
//! rate limit and progress.
#![allow(clippy::unwrap_used)]

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
        if status == 0 {
            // Status 0 plays a connection the portal refused.
            return Err(PortalError::Transport {
                endpoint: "https://portal".into(),
                failure: Box::new(crate::netfail::NetFailure {
                    kind: crate::netfail::NetFailureKind::Refused,
                    host: "portal:443".into(),
                    proxy: None,
                    trust: None,
                    connecting: true,
                    detail: "Connection refused (os error 111)".into(),
                }),
            });
        }
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
async fn refused_connections_are_retried_and_the_last_one_says_unreachable_issue_20() {
    let fake = Fake::new(1, 1);
    *fake.refusals.lock().unwrap() = VecDeque::from([0, 0]);
    let c = client(fake, 1000);
    let pages: Vec<Vec<Account>> = c.accounts().try_collect().await.unwrap();
    assert_eq!(pages[0].len(), 1);
    assert_eq!((c.calls(), c.retries(), c.throttled()), (3, 2, 0));
    let fake = Fake::new(1, 1);
    *fake.refusals.lock().unwrap() = VecDeque::from(vec![0; 10]);
    let c = client(fake, 1000).with_retry(RetryPolicy {
        max_attempts: 3,
        ..RetryPolicy::default()
    });
    let err = c.accounts().try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(err.code(), "unreachable", "{err}");
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
