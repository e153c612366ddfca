//! Tests of the schedule: thresholds, refresh timing, warnings and ends fired once.

use super::*;
use crate::cache::timefmt::format_cli;
use crate::cache::token::TokenFile;
use crate::clock::{Clock, ManualClock};
use crate::sessions::history::SessionRecord;
use crate::sessions::state::assess;
use time::macros::datetime;

const T0: OffsetDateTime = datetime!(2026-01-01 08:00 UTC);

fn token(expires: OffsetDateTime, refresh: bool) -> TokenFile {
    crate::sessions::test_token::token(expires, refresh, T0 + Duration::days(90))
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
    // The first tick is where the time left reaches a whole minute (1 h 0 min), then a minute
    // apart.
    assert_eq!(w.sched.next_wakeup(T0), T0 + Duration::seconds(30));
    w.clock.set(T0 + Duration::seconds(30));
    w.tick();
    assert_eq!(w.sched.next_wakeup(w.clock.now()), w.clock.now() + TICK);
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
    // The refresh is refused with invalid_grant: history records the end now; the token is
    // served to its own expiry, and the person is told once that only a sign-in helps —
    // not again by warnings or at that expiry (issue 20).
    w.record.ended_at = Some(format_cli(w.clock.now()));
    w.record.end_reason = Some("invalid_grant".into());
    assert_eq!(w.tick(), vec![Event::NeedsSignIn]);
    w.clock.advance(Duration::minutes(10));
    assert_eq!(w.tick(), vec![]);
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

/// The time left as the tray shows it: whole minutes, rounded down.
fn shown(end: OffsetDateTime, at: OffsetDateTime) -> i64 {
    (end - at).whole_minutes()
}

/// The wake-ups from the clock's time until `until`, each one ticking the world.
fn wakeups(w: &mut World, until: OffsetDateTime) -> Vec<OffsetDateTime> {
    let mut out = Vec::new();
    w.tick();
    loop {
        let next = w.sched.next_wakeup(w.clock.now());
        if next > until {
            return out;
        }
        out.push(next);
        w.clock.set(next);
        w.tick();
    }
}

#[test]
fn ticks_fall_where_the_shown_time_left_changes() {
    let end = T0 + Duration::minutes(20) + Duration::seconds(37);
    let mut w = legacy(end);
    let ticks = wakeups(&mut w, end + Duration::minutes(3));
    // 37 s to the first (20 min left), then a minute apart up to the end and after it.
    assert_eq!(ticks[0], T0 + Duration::seconds(37));
    assert!(ticks.windows(2).all(|p| p[1] - p[0] == TICK), "{ticks:?}");
    assert!(ticks.contains(&end));
    for t in ticks.iter().filter(|t| **t <= end) {
        let left = end - *t;
        assert_eq!(left, Duration::minutes(left.whole_minutes()), "{t}");
    }
    // The label changes just after each tick and holds until the next one: a wake-up (never
    // before its deadline) shows what stays true until the next tick.
    let ns = Duration::nanoseconds(1);
    for p in ticks.windows(2).filter(|p| p[1] <= end) {
        assert_ne!(shown(end, p[0]), shown(end, p[0] + ns));
        for at in [p[0] + ns, p[0] + Duration::seconds(29), p[1] - ns, p[1]] {
            assert_eq!(shown(end, at), shown(end, p[1]), "{at}");
        }
    }
}

#[test]
fn whole_minute_warnings_and_the_end_add_no_wakeup() {
    let end = T0 + Duration::minutes(20) + Duration::seconds(37);
    let mut w = legacy(end);
    let ticks = wakeups(&mut w, end + Duration::minutes(3));
    let mut w = legacy(end);
    let fired = w.run_until(end + Duration::minutes(3));
    assert_eq!(
        fired.iter().map(|(_, e)| *e).collect::<Vec<_>>(),
        [
            Event::Warning(Duration::minutes(15)),
            Event::Warning(Duration::minutes(5)),
            Event::End
        ]
    );
    // Each fired at its exact time, which is a tick: 20 min 37 s with a wake-up every minute.
    assert_eq!(fired[0].0, end - Duration::minutes(15));
    assert!(fired.iter().all(|(at, _)| ticks.contains(at)), "{fired:?}");
    assert_eq!(ticks.len(), 20 + 1 + 3);
}

#[test]
fn the_soonest_end_to_come_sets_the_tick() {
    let policy = Settings::default().policy();
    let at = |end: OffsetDateTime| {
        assess(
            Some(&token(end, false)),
            &SessionRecord::default(),
            policy,
            T0,
        )
    };
    let mut s = Scheduler::new(Settings::default());
    // One ends in 3 h 10 s, one in 40 min 25 s, one ended 5 s ago: the 40-minute one sets it.
    s.due(
        T0,
        &[
            (
                "far".into(),
                at(T0 + Duration::hours(3) + Duration::seconds(10)),
            ),
            (
                "near".into(),
                at(T0 + Duration::minutes(40) + Duration::seconds(25)),
            ),
            ("ended".into(), at(T0 - Duration::seconds(5))),
        ],
    );
    assert_eq!(s.next_wakeup(T0), T0 + Duration::seconds(25));
    // Later (a clock jump, or a command): still lined up with that end.
    let later = T0 + Duration::minutes(7) + Duration::seconds(3);
    assert_eq!(s.next_wakeup(later), later + Duration::seconds(22));
    // Ending in under a minute: the tick is the end.
    let soon = T0 + Duration::seconds(40);
    s.due(T0, &[("soon".into(), at(soon))]);
    assert_eq!(s.next_wakeup(T0), soon);
    // Nothing to come: a minute from now.
    s.due(T0, &[("ended".into(), at(T0 - Duration::seconds(5)))]);
    assert_eq!(s.next_wakeup(T0), T0 + TICK);
    s.due(T0, &[]);
    assert_eq!(s.next_wakeup(T0), T0 + TICK);
}
