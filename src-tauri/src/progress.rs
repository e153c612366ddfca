//! The Populate page's progress events: a portal listing reports after every call (10,000
//! accounts would be 10,000 reports), the window gets at most one `populate-progress` every
//! [`EVERY`] and always the last one.

use std::sync::{Arc, Mutex, PoisonError};

use lanyard_core::clock::Clock;
use lanyard_core::portal::list::{Progress, ProgressSink};
use tauri::{AppHandle, Emitter, Runtime};
use time::{Duration, OffsetDateTime};

use crate::dto::PortalProgress;
use crate::state::EVENT_POPULATE_PROGRESS;

/// The least time between two progress events (the final one excepted).
pub const EVERY: Duration = Duration::milliseconds(50);

/// Lets reports through at most once per [`EVERY`], and keeps the last one held back.
#[derive(Debug)]
pub struct Throttle {
    clock: Arc<dyn Clock>,
    state: Mutex<ThrottleState>,
}

#[derive(Debug, Default)]
struct ThrottleState {
    last_sent: Option<OffsetDateTime>,
    held: Option<Progress>,
}

impl Throttle {
    /// A throttle on `clock`'s time.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Throttle {
            clock,
            state: Mutex::new(ThrottleState::default()),
        }
    }

    /// A report: `Some` when it is to be sent now (the first, one [`EVERY`] after the last
    /// sent, or the one that completes the listing), else `None` (held back).
    pub fn offer(&self, p: Progress) -> Option<Progress> {
        let now = self.clock.now();
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let complete = p.total_final && p.done >= p.total;
        let due = s.last_sent.is_none_or(|t| now - t >= EVERY);
        if complete || due {
            s.last_sent = Some(now);
            s.held = None;
            Some(p)
        } else {
            s.held = Some(p);
            None
        }
    }

    /// The last report held back, if any (to send when the listing ends).
    pub fn finish(&self) -> Option<Progress> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .held
            .take()
    }
}

/// Progress of `session`'s listing as throttled `populate-progress` events to the window.
pub struct Events<R: Runtime> {
    app: AppHandle<R>,
    session: String,
    throttle: Arc<Throttle>,
}

impl<R: Runtime> Events<R> {
    /// Events for `session`'s listing, throttled on `clock`.
    pub fn new(app: &AppHandle<R>, session: &str, clock: Arc<dyn Clock>) -> Self {
        Events {
            app: app.clone(),
            session: session.to_owned(),
            throttle: Arc::new(Throttle::new(clock)),
        }
    }

    /// The sink the portal client reports to.
    pub fn sink(&self) -> ProgressSink {
        let (app, session, throttle) = (
            self.app.clone(),
            self.session.clone(),
            Arc::clone(&self.throttle),
        );
        Arc::new(move |p: &Progress| {
            if let Some(p) = throttle.offer(*p) {
                emit(&app, &session, &p);
            }
        })
    }

    /// Sends the last report held back (the listing ended).
    pub fn finish(&self) {
        if let Some(p) = self.throttle.finish() {
            emit(&self.app, &self.session, &p);
        }
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, session: &str, p: &Progress) {
    if let Err(e) = app.emit(EVENT_POPULATE_PROGRESS, PortalProgress::of(session, p)) {
        tracing::warn!(error = %e, "cannot send the listing's progress to the webview");
    }
}

#[cfg(test)]
mod tests {
    use lanyard_core::ManualClock;
    use time::macros::datetime;

    use super::*;

    fn progress(done: usize, total: usize, total_final: bool) -> Progress {
        Progress {
            done,
            total,
            total_final,
            ..Progress::default()
        }
    }

    #[test]
    fn ten_thousand_reports_over_two_seconds_send_about_forty_and_the_last() {
        let clock = ManualClock::new(datetime!(2026-03-01 08:00:00 UTC));
        let t = Throttle::new(Arc::new(clock.clone()));
        let mut sent = Vec::new();
        for done in 0..10_000 {
            if let Some(p) = t.offer(progress(done, 10_000, true)) {
                sent.push(p.done);
            }
            clock.advance(Duration::microseconds(200));
        }
        // 10,000 reports 0.2 ms apart: 2 s, one event per 50 ms.
        assert_eq!(sent.len(), 40, "{sent:?}");
        assert_eq!(sent[..3], [0, 250, 500]);
        // The last report was held back: it goes out at the end.
        assert_eq!(t.finish().map(|p| p.done), Some(9_999));
        assert_eq!(t.finish(), None);
    }

    #[test]
    fn the_report_that_completes_the_listing_is_always_sent() {
        let clock = ManualClock::new(datetime!(2026-03-01 08:00:00 UTC));
        let t = Throttle::new(Arc::new(clock));
        assert!(t.offer(progress(0, 2, false)).is_some());
        assert!(t.offer(progress(1, 2, false)).is_none());
        assert!(
            t.offer(progress(2, 2, false)).is_none(),
            "the total is not final"
        );
        assert_eq!(t.offer(progress(2, 2, true)).map(|p| p.done), Some(2));
        assert_eq!(t.finish(), None, "nothing held back after the final one");
    }
}
