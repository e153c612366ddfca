//! The emulator's one clock: system time shifted by `--clock-skew` and by admin "advance" calls.
//!
//! Every timestamp the emulator hands out (expiries, `Date` headers, SigV4 skew checks, rate
//! limiting) asks this clock, so a skewed or advanced emulator is consistent everywhere.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, as the emulator sees them.
#[derive(Debug)]
pub struct Clock {
    skew_ms: i64,
    advanced_ms: AtomicI64,
}

impl Clock {
    /// A clock running `skew_secs` ahead (positive) or behind (negative) the system clock.
    pub fn new(skew_secs: i64) -> Self {
        Self {
            skew_ms: skew_secs.saturating_mul(1000),
            advanced_ms: AtomicI64::new(0),
        }
    }

    /// Now, in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        system_now_ms() + self.skew_ms + self.advanced_ms.load(Ordering::Relaxed)
    }

    /// Now, in epoch seconds.
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock forward (or back, with a negative value) by `secs` seconds.
    pub fn advance(&self, secs: i64) {
        self.advanced_ms
            .fetch_add(secs.saturating_mul(1000), Ordering::Relaxed);
    }

    /// Forgets every `advance` (used by the admin reset).
    pub fn reset(&self) {
        self.advanced_ms.store(0, Ordering::Relaxed);
    }
}

// The single place the emulator reads the system time: it is a stand-in for a real service, so it
// needs real time (the workspace bans direct reads so that everything else goes through a clock).
#[allow(clippy::disallowed_methods)]
fn system_now_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// Formats epoch seconds as an HTTP `Date` (IMF-fixdate), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        [secs.div_euclid(86_400).rem_euclid(7) as usize];
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(mo - 1) as usize];
    format!("{wd}, {d:02} {mon} {y:04} {h:02}:{mi:02}:{s:02} GMT")
}

/// Formats epoch seconds as a SigV4 `X-Amz-Date` (`20240101T080000Z`).
pub(crate) fn amz_date(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// Parses a SigV4 `X-Amz-Date` (`20240101T080000Z`) into epoch seconds.
pub(crate) fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse::<i64>().ok() };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
}

/// Parses an HTTP `Date` (IMF-fixdate) into epoch seconds; used only for requests that sign with
/// `Date` instead of `X-Amz-Date`.
pub(crate) fn parse_http_date(s: &str) -> Option<i64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let mut parts = s.split_whitespace().skip(1);
    let d: i64 = parts.next()?.parse().ok()?;
    let mon = parts.next()?;
    let mo = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == mon)? as i64
        + 1;
    let y: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi, sec) = (hms.next()??, hms.next()??, hms.next()??);
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
}

fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

// Howard Hinnant's civil-from-days / days-from-civil algorithms (proleptic Gregorian, UTC).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(amz_date(1_704_096_000), "20240101T080000Z");
        assert_eq!(parse_amz_date("20240101T080000Z"), Some(1_704_096_000));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_amz_date("2024-01-01"), None);
    }

    #[test]
    fn skew_and_advance_move_the_clock() {
        let plain = Clock::new(0);
        let ahead = Clock::new(3600);
        let diff = ahead.now_ms() - plain.now_ms();
        assert!((3_599_000..=3_601_000).contains(&diff), "{diff}");
        ahead.advance(10);
        let diff = ahead.now_ms() - plain.now_ms();
        assert!((3_609_000..=3_611_000).contains(&diff), "{diff}");
        ahead.reset();
        let diff = ahead.now_ms() - plain.now_ms();
        assert!((3_599_000..=3_601_000).contains(&diff), "{diff}");
    }
}
