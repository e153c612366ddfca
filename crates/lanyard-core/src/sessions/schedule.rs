//! The session schedule: for each session's [`Assessment`], what is due next and when —
//! background refresh, a warning at each threshold before the session's end, the end itself.
//! Pure and clock-free: callers pass `now` (from the injected clock), so tests move time by hand.
//!
//! Rules (issue 10): each (session, event) fires once; a session found inside a threshold (or
//! past it) fires only the latest event it has passed, so start-up and sleep/resume (a clock
//! jump) give one notification, never a storm; a new sign-in (a different end) re-arms the
//! warnings; a refresh fires once per access-token expiry. Idle, the app wakes at most once a
//! minute (the countdown tick), at the instants the soonest session's time left (shown in whole
//! minutes, rounded down) changes, see [`Scheduler::next_wakeup`].

use std::collections::{BTreeMap, BTreeSet};

use time::{Duration, OffsetDateTime};

use super::signin::REFRESH_BEFORE;
use super::state::{Assessment, Policy, State};

/// The countdown's resolution: the tray shows whole minutes, so idle wake-ups are a minute apart
/// (lined up with the soonest session's end: see [`Scheduler::next_wakeup`]).
pub const TICK: Duration = Duration::minutes(1);

/// The schedule's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Warn this long before each session's end, one warning per entry.
    pub thresholds: Vec<Duration>,
    /// Refresh refreshable sessions in the background before their access token expires.
    pub background_refresh: bool,
    /// The Identity Center session duration assumed for end estimates.
    pub session_duration: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            thresholds: vec![Duration::minutes(15), Duration::minutes(5)],
            background_refresh: true,
            session_duration: Policy::default().session_duration,
        }
    }
}

impl Settings {
    /// The state policy these settings imply: the first warning is the largest threshold.
    pub fn policy(&self) -> Policy {
        Policy {
            session_duration: self.session_duration,
            first_warning: self
                .thresholds
                .iter()
                .copied()
                .max()
                .unwrap_or(Duration::ZERO),
            legacy: false,
        }
    }

    /// Thresholds from strings such as `["15m", "90s"]`.
    pub fn with_thresholds<S: AsRef<str>>(mut self, raw: &[S]) -> Result<Self, ParseDurationError> {
        self.thresholds = raw
            .iter()
            .map(|s| parse_duration(s.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(self)
    }
}

/// A threshold that is not `<number><s|m|h>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a duration: {0:?} (use a whole number followed by s, m or h, such as 90s, 15m, 1h)")]
pub struct ParseDurationError(pub String);

/// Parses `90s`, `15m`, `1h` (a bare number means minutes). Zero and negatives are refused.
pub fn parse_duration(raw: &str) -> Result<Duration, ParseDurationError> {
    let s = raw.trim();
    let err = || ParseDurationError(raw.to_owned());
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], s[i..].trim()),
        None => (s, "m"),
    };
    let n: i64 = digits.parse().map_err(|_| err())?;
    if n <= 0 {
        return Err(err());
    }
    match unit {
        "s" => Ok(Duration::seconds(n)),
        "m" | "min" => Ok(Duration::minutes(n)),
        "h" => Ok(Duration::hours(n)),
        _ => Err(err()),
    }
}

/// Something due for a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Event {
    /// Refresh the access token in the background.
    Refresh,
    /// The session ends within this threshold.
    Warning(Duration),
    /// The session has ended.
    End,
    /// The service refused the session (a refresh refused, its token or client rejected) or
    /// its token cannot be read: only a sign-in helps. Fires once, and instead of the warnings
    /// and the end that would follow for that same end.
    NeedsSignIn,
}

/// An event and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// What.
    pub event: Event,
    /// When.
    pub at: OffsetDateTime,
}

/// Every event of one session, in time order (past ones included).
pub fn events(a: &Assessment, settings: &Settings) -> Vec<Due> {
    let mut out = Vec::new();
    if a.state == State::SignedOut {
        return out;
    }
    if settings.background_refresh && a.refreshable {
        if let Some(exp) = a.expires_at {
            let at = exp - REFRESH_BEFORE;
            // No point refreshing at or after the session's end.
            if a.session_ends_at.is_none_or(|end| at < end) {
                out.push(Due {
                    event: Event::Refresh,
                    at,
                });
            }
        }
    }
    if let Some(end) = a.session_ends_at {
        let mut thresholds = settings.thresholds.clone();
        thresholds.sort_unstable_by(|a, b| b.cmp(a));
        thresholds.dedup();
        for t in thresholds {
            out.push(Due {
                event: Event::Warning(t),
                at: end - t,
            });
        }
        out.push(Due {
            event: Event::End,
            at: end,
        });
    }
    out.sort_by_key(|d| (d.at, d.event));
    out
}

/// An event that has come due and should be acted on (refresh) or shown (warning, end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    /// The session's key (its cache key).
    pub session: String,
    /// What fired.
    pub event: Event,
    /// The session's end, when known.
    pub ends_at: Option<OffsetDateTime>,
    /// Whether `ends_at` is an estimate.
    pub end_is_estimate: bool,
}

#[derive(Debug, Clone, Default)]
struct Memory {
    /// The end the fired warnings were for; another end (a new sign-in) re-arms them.
    end: Option<OffsetDateTime>,
    /// Warnings and the end already fired (or skipped as superseded) for `end`.
    fired: BTreeSet<Event>,
    /// The access-token expiry a refresh was fired for.
    refreshed_for: Option<OffsetDateTime>,
}

/// Remembers what fired, so each (session, event) fires once.
#[derive(Debug, Clone, Default)]
pub struct Scheduler {
    settings: Settings,
    memory: BTreeMap<String, Memory>,
    next: Option<OffsetDateTime>,
    /// The soonest end still to come among the sessions of the last [`Scheduler::due`]: the
    /// countdown ticks line up with it.
    soonest_end: Option<OffsetDateTime>,
}

impl Scheduler {
    /// A scheduler that has fired nothing yet.
    pub fn new(settings: Settings) -> Self {
        Scheduler {
            settings,
            memory: BTreeMap::new(),
            next: None,
            soonest_end: None,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// New settings (the settings file changed), keeping what already fired: a threshold that
    /// is added and already passed fires once, as at start.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
        self.next = None;
    }

    /// What is due at `now` for these sessions (key, assessment at `now`). Per session, of the
    /// warnings and end that have passed and not fired, only the latest fires (the others are
    /// superseded); a due refresh fires once per access-token expiry. Also computes the next
    /// deadline and the soonest end still to come, for [`Scheduler::next_wakeup`]. Sessions no
    /// longer listed are forgotten.
    pub fn due(&mut self, now: OffsetDateTime, sessions: &[(String, Assessment)]) -> Vec<Fired> {
        let mut out = Vec::new();
        let mut next: Option<OffsetDateTime> = None;
        let mut soonest_end: Option<OffsetDateTime> = None;
        self.memory
            .retain(|k, _| sessions.iter().any(|(key, _)| key == k));
        for (key, a) in sessions {
            if a.state == State::SignedOut {
                self.memory.remove(key);
                continue;
            }
            if let Some(end) = a.session_ends_at.filter(|end| *end > now) {
                soonest_end = Some(soonest_end.map_or(end, |s| s.min(end)));
            }
            let mem = self.memory.entry(key.clone()).or_default();
            if mem.end != a.session_ends_at {
                mem.end = a.session_ends_at;
                mem.fired.clear();
            }
            let fired = |event| Fired {
                session: key.clone(),
                event,
                ends_at: a.session_ends_at,
                end_is_estimate: a.end_is_estimate,
            };
            if a.needs_sign_in && a.reason.is_some() {
                // Said once; the warnings and the end of this same end would say it again.
                if mem.fired.insert(Event::NeedsSignIn) {
                    mem.fired.extend(
                        self.settings
                            .thresholds
                            .iter()
                            .map(|t| Event::Warning(*t))
                            .chain([Event::End]),
                    );
                    out.push(fired(Event::NeedsSignIn));
                }
                continue;
            }
            let mut latest_passed = None;
            for d in events(a, &self.settings) {
                match d.event {
                    Event::Refresh => {
                        if mem.refreshed_for == a.expires_at {
                            continue;
                        }
                        if d.at <= now {
                            mem.refreshed_for = a.expires_at;
                            out.push(fired(Event::Refresh));
                        } else {
                            next = Some(next.map_or(d.at, |n| n.min(d.at)));
                        }
                    }
                    // Passed: the latest one not yet fired fires (a fired one falls through).
                    ev if d.at <= now && mem.fired.insert(ev) => latest_passed = Some(ev),
                    _ if d.at <= now => {}
                    ev if !mem.fired.contains(&ev) => {
                        next = Some(next.map_or(d.at, |n| n.min(d.at)));
                    }
                    _ => {}
                }
            }
            if let Some(ev) = latest_passed {
                out.push(fired(ev));
            }
        }
        self.next = next;
        self.soonest_end = soonest_end;
        out
    }

    /// Forgets that a refresh fired for `session`, so it fires again at the next [`Scheduler::due`]
    /// (after a failed refresh the app retries on the next minute tick).
    pub fn rearm_refresh(&mut self, session: &str) {
        if let Some(m) = self.memory.get_mut(session) {
            m.refreshed_for = None;
        }
    }

    /// When to wake up next: the next deadline seen by the last [`Scheduler::due`], or the next
    /// countdown tick, whichever is first (never before `now`).
    ///
    /// The tick is the first instant after `now` that is a whole number of minutes before the
    /// soonest session end still to come: where that session's time left, shown in whole minutes
    /// rounded down, changes (a wake-up never returns before its deadline, and just after it the
    /// label already shows the new minute, which holds until the next tick). Whole-minute
    /// warnings and the end fall on ticks, so they add no wake-up of their own. With no end to
    /// come, the tick is a minute from `now`. Either way it is at most a minute away.
    pub fn next_wakeup(&self, now: OffsetDateTime) -> OffsetDateTime {
        let tick = self
            .soonest_end
            .filter(|end| *end > now)
            .map_or(now + TICK, |end| label_tick(now, end));
        self.next.map_or(tick, |n| n.clamp(now, tick))
    }
}

/// The first instant after `now` that is a whole number of minutes (zero included) before `end`
/// (`end` is after `now`): at most a minute away.
fn label_tick(now: OffsetDateTime, end: OffsetDateTime) -> OffsetDateTime {
    let left = (end - now).whole_nanoseconds();
    let minute = TICK.whole_nanoseconds();
    // In (0, minute]: what is left past the last whole minute, or a whole minute.
    let to_tick = (left - 1).rem_euclid(minute) + 1;
    i64::try_from(to_tick).map_or(now + TICK, |ns| now + Duration::nanoseconds(ns))
}

#[cfg(test)]
mod tests;
