//! The token bucket every portal call of a process waits on (DESIGN.md, `portal`): one shared
//! limit (default 20 requests/s, `portal_rate_limit` in the settings) so that listing thousands
//! of accounts never turns into a storm of HTTP 429s.
//!
//! It is a token bucket written as GCRA (a "theoretical arrival time"): each caller reserves
//! the next free slot under a short lock and then sleeps until it, so waiters are served in
//! arrival order and nobody spins. Time is tokio's, so tests run it under paused time.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// A shared token bucket: `rate` tokens per second, at most `burst` at once.
#[derive(Debug)]
pub struct TokenBucket {
    /// Time between two tokens.
    interval: Duration,
    /// How far ahead of the steady pace a caller may go: `(burst - 1) * interval`.
    tolerance: Duration,
    rate: u32,
    burst: u32,
    /// When the bucket will next be empty at the steady pace (`None` before the first call).
    next: Mutex<Option<Instant>>,
}

impl TokenBucket {
    /// A bucket of `rate` requests per second (at least 1) with the default burst, a quarter of
    /// the rate (at least 1): enough to start quickly, small enough that a service whose own
    /// bucket has the same rate always keeps tokens in reserve (a request that arrives a
    /// little early over the network is then not refused).
    pub fn new(rate: u32) -> Self {
        let rate = rate.max(1);
        Self::with_burst(rate, (rate / 4).max(1))
    }

    /// A bucket with an explicit burst (at least 1).
    pub fn with_burst(rate: u32, burst: u32) -> Self {
        let rate = rate.max(1);
        let burst = burst.max(1);
        let interval = Duration::from_secs(1) / rate;
        TokenBucket {
            interval,
            tolerance: interval * (burst - 1),
            rate,
            burst,
            next: Mutex::new(None),
        }
    }

    /// Requests per second.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// The most requests let through at once.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The instant the caller may go, reserved now (the slot is taken even if the caller then
    /// gives up).
    fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let base = next.map_or(now, |n| n.max(now));
        let start = base.checked_sub(self.tolerance).map_or(now, |s| s.max(now));
        *next = Some(base + self.interval);
        start
    }

    /// Waits for a token.
    pub async fn acquire(&self) {
        let start = self.reserve();
        if start > Instant::now() {
            tokio::time::sleep_until(start).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The instants (ms after start) at which `n` callers, all asking at once, are let through.
    async fn admitted(bucket: Arc<TokenBucket>, n: usize) -> Vec<u128> {
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..n {
            let b = bucket.clone();
            tasks.push(tokio::spawn(async move {
                b.acquire().await;
                Instant::now().duration_since(t0).as_millis()
            }));
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out.sort_unstable();
        out
    }

    #[tokio::test(start_paused = true)]
    async fn lets_a_burst_through_then_one_token_per_interval() {
        let times = admitted(Arc::new(TokenBucket::with_burst(20, 5)), 25).await;
        assert_eq!(&times[..5], &[0, 0, 0, 0, 0], "the burst goes at once");
        // Then one every 50 ms: the 6th at 50 ms, the 25th at 20 * 50 ms.
        let steady: Vec<u128> = (1..=20).map(|i| i * 50).collect();
        assert_eq!(&times[5..], steady.as_slice());
    }

    #[tokio::test(start_paused = true)]
    async fn never_exceeds_the_rate_plus_burst_in_any_second() {
        let bucket = Arc::new(TokenBucket::new(20));
        assert_eq!(bucket.burst(), 5);
        let times = admitted(bucket, 200).await;
        for (i, &t) in times.iter().enumerate() {
            let in_window = times[i..].iter().take_while(|&&u| u < t + 1000).count();
            assert!(
                in_window <= 20 + 5,
                "{in_window} requests in the second after {t} ms"
            );
        }
        // 200 requests at 20/s with 5 at once: the last goes at (200 - 5) * 50 ms.
        assert_eq!(times.last().copied(), Some(195 * 50));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_bucket_refills_only_up_to_its_burst() {
        let bucket = Arc::new(TokenBucket::with_burst(10, 3));
        admitted(bucket.clone(), 3).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        let times = admitted(bucket, 5).await;
        assert_eq!(times, vec![0, 0, 0, 100, 200]);
    }

    #[tokio::test(start_paused = true)]
    async fn shared_by_clones_of_an_arc_across_tasks() {
        // Two groups of callers on one bucket get one pace between them, not one each.
        let bucket = Arc::new(TokenBucket::with_burst(4, 1));
        let (a, b) = tokio::join!(admitted(bucket.clone(), 4), admitted(bucket, 4));
        let mut all: Vec<u128> = a.into_iter().chain(b).collect();
        all.sort_unstable();
        assert_eq!(all, vec![0, 250, 500, 750, 1000, 1250, 1500, 1750]);
    }

    #[test]
    fn a_zero_rate_is_taken_as_one() {
        let b = TokenBucket::new(0);
        assert_eq!((b.rate(), b.burst()), (1, 1));
    }
}
