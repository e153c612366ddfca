//! When and how long a call to an AWS service waits before it is tried again: HTTP 429
//! (TooManyRequestsException), 5xx and connections that failed in a way safe to retry are
//! retried with exponential backoff and jitter; anything else is final. Listings ride out long
//! throttling ([`RetryPolicy::default`]); single calls (GetRoleCredentials, Logout, OIDC, STS)
//! give up after 5 attempts as the AWS CLI does ([`RetryPolicy::single_call`], [`Retry`]). The
//! jitter source is injected ([`Jitter`]) so tests get exact delays.

use std::fmt::{Debug, Display};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A source of jitter: numbers in `[0, 1)`.
pub trait Jitter: Send + Sync + Debug {
    /// The next number in `[0, 1)`.
    fn next(&self) -> f64;
}

/// Jitter from the operating system's random source.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomJitter;

impl Jitter for RandomJitter {
    fn next(&self) -> f64 {
        let mut b = [0u8; 8];
        if getrandom::fill(&mut b).is_err() {
            return 0.5;
        }
        // 53 random bits, as a float in [0, 1).
        (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Jitter that repeats a fixed sequence (tests, benchmarks): deterministic delays.
#[derive(Debug)]
pub struct SequenceJitter {
    values: Vec<f64>,
    at: Mutex<usize>,
}

impl SequenceJitter {
    /// Cycles through `values` (each clamped into `[0, 1)`); an empty list gives 0.
    pub fn new(values: impl Into<Vec<f64>>) -> Self {
        SequenceJitter {
            values: values.into(),
            at: Mutex::new(0),
        }
    }
}

impl Jitter for SequenceJitter {
    fn next(&self) -> f64 {
        if self.values.is_empty() {
            return 0.0;
        }
        let mut at = self.at.lock().unwrap_or_else(PoisonError::into_inner);
        let v = self.values[*at % self.values.len()];
        *at += 1;
        v.clamp(0.0, 1.0 - f64::EPSILON)
    }
}

/// How often and how patiently a call is retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// The backoff before the first retry (before jitter).
    pub base: Duration,
    /// The longest backoff.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// 8 attempts, backoff from 200 ms doubling up to 10 s: a throttled listing rides out
    /// several seconds of refusals before it gives up.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// One call: 5 attempts in all (the AWS CLI's legacy mode; its standard mode makes 3),
    /// backoff from 200 ms doubling up to 5 s — a few seconds at most before giving up.
    pub fn single_call() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(5),
        }
    }

    /// Whether an answer with this status is worth another try.
    pub fn retryable(status: u16) -> bool {
        status == 429 || (500..=599).contains(&status)
    }

    /// The wait before retry number `retry` (1 for the first retry), given a jitter value in
    /// `[0, 1)`: "equal jitter" — half the exponential backoff for sure, the other half
    /// random, so that throttled callers spread out but never retry at once.
    pub fn delay(&self, retry: u32, jitter: f64) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
            .min(self.cap);
        let half = exp / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// A retry policy with its jitter: how one call is tried again.
#[derive(Debug, Clone)]
pub struct Retry {
    /// Attempts and backoff.
    pub policy: RetryPolicy,
    /// The jitter source.
    pub jitter: Arc<dyn Jitter>,
}

impl Default for Retry {
    /// [`RetryPolicy::single_call`] with random jitter.
    fn default() -> Self {
        Retry {
            policy: RetryPolicy::single_call(),
            jitter: Arc::new(RandomJitter),
        }
    }
}

impl Retry {
    /// Runs `attempt` until it succeeds, fails in a way `retryable` refuses, or the attempts
    /// run out; the last result is returned.
    pub async fn run<T, E, F, Fut>(
        &self,
        operation: &'static str,
        mut attempt: F,
        retryable: impl Fn(&E) -> bool,
    ) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Display,
    {
        let mut n = 1;
        loop {
            match attempt().await {
                Err(e) if n < self.policy.max_attempts && retryable(&e) => {
                    let delay = self.policy.delay(n, self.jitter.next());
                    tracing::debug!(
                        operation,
                        attempt = n,
                        delay_ms = delay.as_millis() as u64,
                        error = %e,
                        "call failed; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    n += 1;
                }
                done => return done,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_throttling_and_server_errors_are_retried() {
        for s in [429, 500, 502, 503, 504, 599] {
            assert!(RetryPolicy::retryable(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 499, 600] {
            assert!(!RetryPolicy::retryable(s), "{s}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_on_the_upper_half() {
        let p = RetryPolicy::default();
        let ms = |retry, j| p.delay(retry, j).as_millis();
        assert_eq!([ms(1, 0.0), ms(2, 0.0), ms(3, 0.0)], [100, 200, 400]);
        assert_eq!([ms(1, 0.5), ms(2, 0.5), ms(3, 0.5)], [150, 300, 600]);
        assert_eq!(ms(1, 0.999_999), 199);
        // 200 ms * 2^9 is past the 10 s cap.
        assert_eq!(ms(10, 0.0), 5_000);
        assert_eq!(ms(30, 1.0), 10_000);
    }

    #[tokio::test(start_paused = true)]
    async fn a_single_call_is_tried_five_times_at_most_and_only_while_retryable() {
        let retry = Retry {
            policy: RetryPolicy::single_call(),
            jitter: Arc::new(SequenceJitter::new([0.0])),
        };
        let tries = Mutex::new(0u32);
        let t0 = tokio::time::Instant::now();
        let out: Result<(), String> = retry
            .run(
                "Op",
                || {
                    *tries.lock().unwrap_or_else(PoisonError::into_inner) += 1;
                    async { Err("503".to_owned()) }
                },
                |e| e == "503",
            )
            .await;
        assert_eq!(out, Err("503".to_owned()));
        assert_eq!(*tries.lock().unwrap_or_else(PoisonError::into_inner), 5);
        // 100 + 200 + 400 + 800 ms of backoff (jitter 0).
        assert_eq!(t0.elapsed(), Duration::from_millis(1500));
        let tries = Mutex::new(0u32);
        let out: Result<(), String> = retry
            .run(
                "Op",
                || {
                    *tries.lock().unwrap_or_else(PoisonError::into_inner) += 1;
                    async { Err("400".to_owned()) }
                },
                |e| e == "503",
            )
            .await;
        assert!(out.is_err());
        assert_eq!(*tries.lock().unwrap_or_else(PoisonError::into_inner), 1);
    }

    #[test]
    fn sequence_jitter_cycles_and_random_jitter_stays_in_range() {
        let j = SequenceJitter::new([0.1, 0.9]);
        assert_eq!([j.next(), j.next(), j.next()], [0.1, 0.9, 0.1]);
        assert_eq!(SequenceJitter::new(Vec::new()).next(), 0.0);
        for _ in 0..1000 {
            let v = RandomJitter.next();
            assert!((0.0..1.0).contains(&v), "{v}");
        }
    }
}
