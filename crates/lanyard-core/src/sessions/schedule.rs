//! The session schedule: for each session's [`Assessment`], what is due next and when —
//! background refresh, a warning at each threshold before the session's end, the end itself.
//! Pure and clock-free: callers pass `now` (from the injected clock), so tests move time by hand.
//!
//! Rules (issue 10): each (session, event) fires once; a session found inside a threshold (or
//! past it) fires only the latest event it has passed, so start-up and sleep/resume (a clock
//! jump) give one notification, never a storm; a new sign-in (a different end) re-arms the
//! warnings; a refresh fires once per access-token expiry. Idle, the app wakes at most once a
//! minute (the countdown tick), see [`Scheduler::next_wakeup`].

use std::collections::{BTreeMap, BTreeSet};

use time::{Duration, OffsetDateTime};

use super::signin::REFRESH_BEFORE;
use super::state::{Assessment, Policy, State};

/// The countdown's resolution: the tray shows whole minutes, so idle wake-ups are a minute apart.
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
}

impl Scheduler {
    /// A scheduler that has fired nothing yet.
    pub fn new(settings: Settings) -> Self {
        Scheduler {
            settings,
            memory: BTreeMap::new(),
            next: None,
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
    /// deadline for [`Scheduler::next_wakeup`]. Sessions no longer listed are forgotten.
    pub fn due(&mut self, now: OffsetDateTime, sessions: &[(String, Assessment)]) -> Vec<Fired> {
        let mut out = Vec::new();
        let mut next: Option<OffsetDateTime> = None;
        self.memory
            .retain(|k, _| sessions.iter().any(|(key, _)| key == k));
        for (key, a) in sessions {
            if a.state == State::SignedOut {
                self.memory.remove(key);
                continue;
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
    pub fn next_wakeup(&self, now: OffsetDateTime) -> OffsetDateTime {
        let tick = now + TICK;
        self.next.map_or(tick, |n| n.clamp(now, tick))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::timefmt::format_cli;
    use crate::cache::token::TokenFile;
    use crate::clock::{Clock, ManualClock};
    use crate::sessions::history::SessionRecord;
    use crate::sessions::state::assess;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-01-01 08:00 UTC);

    fn token(expires: OffsetDateTime, refresh: bool) -> TokenFile {
        TokenFile::for_tests(expires, refresh, T0 + Duration::days(90))
    }

    /// One session "corp", re-assessed at the clock's time on every call.
    struct World {
        clock: ManualClock,
        token: Option<TokenFile>,
        record: SessionRecord,
        sched: Scheduler,
    }

    impl World {
        fn new(token: Option<TokenFile>, record: SessionRecord, settings: Settings) -> Self {
            World {
                clock: ManualClock::new(T0),
                token,
                record,
                sched: Scheduler::new(settings),
            }
        }
        fn tick(&mut self) -> Vec<Event> {
            let now = self.clock.now();
            let a = assess(
                self.token.as_ref(),
                &self.record,
                self.sched.settings().policy(),
                now,
            );
            self.sched
                .due(now, &[("corp".to_owned(), a)])
                .into_iter()
                .map(|f| f.event)
                .collect()
        }
        /// Ticks at every wake-up until `until`, collecting what fired and when.
        fn run_until(&mut self, until: OffsetDateTime) -> Vec<(OffsetDateTime, Event)> {
            let mut out = Vec::new();
            loop {
                for e in self.tick() {
                    out.push((self.clock.now(), e));
                }
                let next = self.sched.next_wakeup(self.clock.now());
                if next > until {
                    return out;
                }
                self.clock.set(next);
            }
        }
    }

    fn legacy(ends: OffsetDateTime) -> World {
        World::new(
            Some(token(ends, false)),
            SessionRecord::default(),
            Settings::default(),
        )
    }

    #[test]
    fn durations_parse_in_seconds_minutes_and_hours() {
        assert_eq!(parse_duration("90s"), Ok(Duration::seconds(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::minutes(15)));
        assert_eq!(parse_duration(" 1h "), Ok(Duration::hours(1)));
        assert_eq!(parse_duration("5"), Ok(Duration::minutes(5)));
        for bad in ["", "m", "0s", "-5m", "5d", "1.5h", "s90"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        let s = Settings::default()
            .with_thresholds(&["2m", "90s"])
            .expect("ok");
        assert_eq!(s.thresholds, [Duration::minutes(2), Duration::seconds(90)]);
        assert_eq!(s.policy().first_warning, Duration::minutes(2));
    }

    #[test]
    fn each_threshold_fires_once_then_the_end() {
        let end = T0 + Duration::hours(1);
        let mut w = legacy(end);
        let fired = w.run_until(end + Duration::minutes(10));
        assert_eq!(
            fired,
            vec![
                (
                    end - Duration::minutes(15),
                    Event::Warning(Duration::minutes(15))
                ),
                (
                    end - Duration::minutes(5),
                    Event::Warning(Duration::minutes(5))
                ),
                (end, Event::End),
            ]
        );
    }

    #[test]
    fn idle_wakeups_are_a_minute_apart_and_deadlines_are_hit_exactly() {
        let end = T0 + Duration::hours(1) + Duration::seconds(30);
        let mut w = legacy(end);
        w.tick();
        assert_eq!(w.sched.next_wakeup(T0), T0 + TICK);
        w.clock
            .set(end - Duration::minutes(15) - Duration::seconds(10));
        w.tick();
        assert_eq!(
            w.sched.next_wakeup(w.clock.now()),
            end - Duration::minutes(15)
        );
        // Everything fired: only the tick remains.
        w.clock.set(end + Duration::seconds(1));
        w.tick();
        let now = w.clock.now();
        assert_eq!(w.sched.next_wakeup(now), now + TICK);
    }

    #[test]
    fn thresholds_in_seconds_need_no_waiting() {
        let end = T0 + Duration::seconds(100);
        let settings = Settings::default().with_thresholds(&["90s"]).expect("ok");
        let mut w = World::new(Some(token(end, false)), SessionRecord::default(), settings);
        assert_eq!(w.tick(), vec![]);
        assert_eq!(w.sched.next_wakeup(T0), T0 + Duration::seconds(10));
        let fired = w.run_until(end);
        assert_eq!(
            fired,
            vec![
                (
                    T0 + Duration::seconds(10),
                    Event::Warning(Duration::seconds(90))
                ),
                (end, Event::End)
            ]
        );
    }

    #[test]
    fn refresh_is_due_before_the_cli_window_and_once_per_token() {
        // A refreshable session signed in at T0 with a one-hour access token.
        let record = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            ..Default::default()
        };
        let exp = T0 + Duration::hours(1);
        let mut w = World::new(Some(token(exp, true)), record, Settings::default());
        let fired = w.run_until(exp - Duration::minutes(10));
        assert_eq!(fired, vec![(exp - REFRESH_BEFORE, Event::Refresh)]);
        // Before the AWS CLI's own 15-minute window, so the CLI never refreshes (or races).
        assert!(REFRESH_BEFORE > Duration::minutes(15));
        // The refresh succeeds: a new token, a new refresh deadline.
        let exp2 = exp + Duration::hours(1);
        w.token = Some(token(exp2, true));
        let fired = w.run_until(exp2 - Duration::minutes(10));
        assert_eq!(fired, vec![(exp2 - REFRESH_BEFORE, Event::Refresh)]);
        // With background refresh off, nothing is refreshed.
        let settings = Settings {
            background_refresh: false,
            ..Settings::default()
        };
        let mut off = World::new(
            Some(token(exp, true)),
            SessionRecord {
                signed_in_at: Some(format_cli(T0)),
                ..Default::default()
            },
            settings,
        );
        assert_eq!(off.run_until(exp), vec![]);
    }

    #[test]
    fn a_failed_refresh_can_be_rearmed() {
        let record = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            ..Default::default()
        };
        let mut w = World::new(
            Some(token(T0 + Duration::minutes(10), true)),
            record,
            Settings::default(),
        );
        assert_eq!(w.tick(), vec![Event::Refresh]);
        assert_eq!(w.tick(), vec![]);
        w.sched.rearm_refresh("corp");
        assert_eq!(w.tick(), vec![Event::Refresh]);
    }

    #[test]
    fn refreshable_sessions_are_warned_before_the_estimated_end() {
        let record = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            ..Default::default()
        };
        let settings = Settings {
            background_refresh: false,
            ..Settings::default()
        };
        let mut w = World::new(Some(token(T0 + Duration::hours(1), true)), record, settings);
        let end = T0 + Duration::hours(8);
        w.clock.set(end - Duration::minutes(16));
        let fired = w.run_until(end);
        assert_eq!(
            fired,
            vec![
                (
                    end - Duration::minutes(15),
                    Event::Warning(Duration::minutes(15))
                ),
                (
                    end - Duration::minutes(5),
                    Event::Warning(Duration::minutes(5))
                ),
                (end, Event::End),
            ]
        );
    }

    #[test]
    fn invalid_grant_is_the_end_and_fires_once() {
        let record = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            ..Default::default()
        };
        let exp = T0 + Duration::hours(1);
        let mut w = World::new(Some(token(exp, true)), record, Settings::default());
        w.clock.set(exp - REFRESH_BEFORE);
        assert_eq!(w.tick(), vec![Event::Refresh]);
        // The refresh is refused with invalid_grant: history records the true end now.
        w.record.ended_at = Some(format_cli(w.clock.now()));
        w.record.end_reason = Some("invalid_grant".into());
        assert_eq!(w.tick(), vec![Event::End]);
        w.clock.advance(Duration::minutes(30));
        assert_eq!(w.tick(), vec![]);
    }

    #[test]
    fn a_session_inside_a_threshold_at_start_is_warned_once() {
        let end = T0 + Duration::minutes(14);
        let mut w = legacy(end);
        assert_eq!(w.tick(), vec![Event::Warning(Duration::minutes(15))]);
        assert_eq!(w.tick(), vec![]);
        let fired = w.run_until(end);
        assert_eq!(
            fired,
            vec![
                (
                    end - Duration::minutes(5),
                    Event::Warning(Duration::minutes(5))
                ),
                (end, Event::End)
            ]
        );
        // Already past both thresholds at start: only the 5-minute one.
        let mut w = legacy(T0 + Duration::minutes(3));
        assert_eq!(w.tick(), vec![Event::Warning(Duration::minutes(5))]);
        // Already ended at start: the end, once.
        let mut w = legacy(T0 - Duration::minutes(3));
        assert_eq!(w.tick(), vec![Event::End]);
        assert_eq!(w.tick(), vec![]);
    }

    #[test]
    fn a_clock_jump_fires_the_latest_passed_event_once() {
        let end = T0 + Duration::hours(1);
        let mut w = legacy(end);
        assert_eq!(w.tick(), vec![]);
        // Asleep from before the first threshold until after the end.
        w.clock.set(end + Duration::hours(2));
        assert_eq!(w.tick(), vec![Event::End]);
        assert_eq!(w.tick(), vec![]);
        // A jump into the second threshold skips the first.
        let mut w = legacy(end);
        w.tick();
        w.clock.set(end - Duration::minutes(2));
        assert_eq!(w.tick(), vec![Event::Warning(Duration::minutes(5))]);
        // A jump backwards fires nothing again.
        w.clock.set(end - Duration::minutes(30));
        assert_eq!(w.tick(), vec![]);
        w.clock.set(end - Duration::minutes(1));
        assert_eq!(w.tick(), vec![]);
    }

    #[test]
    fn a_new_sign_in_rearms_the_warnings_and_signing_out_forgets() {
        let end = T0 + Duration::minutes(14);
        let mut w = legacy(end);
        assert_eq!(w.tick(), vec![Event::Warning(Duration::minutes(15))]);
        w.token = Some(token(T0 + Duration::minutes(10), false));
        assert_eq!(w.tick(), vec![Event::Warning(Duration::minutes(15))]);
        w.token = None;
        assert_eq!(w.tick(), vec![]);
        w.token = Some(token(T0 + Duration::minutes(10), false));
        assert_eq!(w.tick(), vec![Event::Warning(Duration::minutes(15))]);
    }

    #[test]
    fn events_are_per_session() {
        let now = T0;
        let policy = Settings::default().policy();
        let a = assess(
            Some(&token(T0 + Duration::minutes(14), false)),
            &SessionRecord::default(),
            policy,
            now,
        );
        let b = assess(
            Some(&token(T0 + Duration::minutes(3), false)),
            &SessionRecord::default(),
            policy,
            now,
        );
        let mut s = Scheduler::new(Settings::default());
        let fired = s.due(now, &[("a".into(), a.clone()), ("b".into(), b)]);
        assert_eq!(
            fired
                .iter()
                .map(|f| (f.session.as_str(), f.event))
                .collect::<Vec<_>>(),
            vec![
                ("a", Event::Warning(Duration::minutes(15))),
                ("b", Event::Warning(Duration::minutes(5)))
            ]
        );
        assert_eq!(fired[0].ends_at, Some(T0 + Duration::minutes(14)));
        assert_eq!(s.next_wakeup(now), now + TICK);
        // Dropping b forgets it; a keeps its memory.
        assert_eq!(s.due(now, &[("a".into(), a)]), vec![]);
    }
}
