//! The injectable clock: every expiry, refresh window and notification deadline asks a
//! [`Clock`], so tests move time by hand instead of sleeping. This is the only module allowed
//! to read the system time (clippy's `disallowed-methods` bans it everywhere else).

use std::sync::{Arc, Mutex, PoisonError};

use time::{Duration, OffsetDateTime};

/// A source of the current UTC time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one sanctioned read of the system time
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// The kernel's wall time, to compare with file modification times only: another program's
/// write is dated by the kernel, not by an injected clock. Never for expiry or schedules.
#[allow(clippy::disallowed_methods)] // sanctioned: file times are the kernel's
pub fn file_time_now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

/// A monotonic instant, to bound real waits on other programs (how long a file has been quiet,
/// how long Lanyard has waited for it). Never for expiry or schedules.
#[allow(clippy::disallowed_methods)] // sanctioned: waits on other processes are real time
pub fn monotonic_now() -> std::time::Instant {
    std::time::Instant::now()
}

/// A clock that moves only when told to: for tests of expiry, refresh and schedules, and for
/// simulating sleep/resume (a jump).
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<OffsetDateTime>>,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: OffsetDateTime) -> Self {
        ManualClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }

    /// Sets the clock to an exact time.
    pub fn set(&self, to: OffsetDateTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn manual_clock_moves_only_when_told_and_clones_share_time() {
        let clock = ManualClock::new(datetime!(2026-01-01 08:00 UTC));
        let other = clock.clone();
        assert_eq!(clock.now(), datetime!(2026-01-01 08:00 UTC));
        clock.advance(Duration::minutes(90));
        assert_eq!(other.now(), datetime!(2026-01-01 09:30 UTC));
        other.set(datetime!(2025-12-31 23:00 UTC));
        assert_eq!(clock.now(), datetime!(2025-12-31 23:00 UTC));
    }

    #[test]
    fn system_clock_is_utc_and_after_2020() {
        let now = SystemClock.now();
        assert_eq!(now.offset(), time::UtcOffset::UTC);
        assert!(now > datetime!(2020-01-01 00:00 UTC));
    }
}
