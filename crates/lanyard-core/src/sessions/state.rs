//! A session's state at a given time, from its token, its history and the settings — pure, so
//! the tray, the window and `lanyard status` agree and tests need no clock but their own.
//!
//! The end of a session (DESIGN.md, "Time left"): a legacy token's `expiresAt` is the real end.
//! A refreshable token's `expiresAt` is only the next refresh; the Identity Center session ends
//! at sign-in time + the session duration (8 h unless set), or when the client registration
//! expires, whichever is first — an estimate until a refresh is refused, which is the true end.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::history::SessionRecord;
use crate::cache::token::TokenFile;

/// What a session's state is in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// No token.
    SignedOut,
    /// Usable, with time left.
    Valid,
    /// Usable, but its end is within the first warning threshold.
    Expiring,
    /// Ended or unusable.
    Expired,
}

/// The settings the state depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// The Identity Center session duration assumed for the end estimate.
    pub session_duration: Duration,
    /// The first (earliest) warning threshold before the end.
    pub first_warning: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            session_duration: Duration::hours(8),
            first_warning: Duration::minutes(15),
        }
    }
}

/// A session's state and times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The state.
    pub state: State,
    /// The access token's expiry.
    pub expires_at: Option<OffsetDateTime>,
    /// When the session ends (real or estimated).
    pub session_ends_at: Option<OffsetDateTime>,
    /// Whether `session_ends_at` is an estimate.
    pub end_is_estimate: bool,
    /// Whether the token can be refreshed.
    pub refreshable: bool,
}

/// Assesses one session at `now`.
pub fn assess(
    token: Option<&TokenFile>,
    record: &SessionRecord,
    policy: Policy,
    now: OffsetDateTime,
) -> Assessment {
    let Some(token) = token else {
        return Assessment {
            state: State::SignedOut,
            expires_at: None,
            session_ends_at: None,
            end_is_estimate: false,
            refreshable: false,
        };
    };
    let refreshable = token.refreshable_at(now) && record.ended().is_none();
    let (session_ends_at, end_is_estimate) = if let Some(ended) = record.ended() {
        (Some(ended), false)
    } else if token.refresh_token.is_some() {
        let by_duration = record.signed_in().map(|t| t + policy.session_duration);
        let end = match (by_duration, token.registration_expires_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        (end, true)
    } else {
        (Some(token.expires_at), false)
    };
    let usable = if refreshable {
        session_ends_at.is_none_or(|end| end > now)
    } else {
        token.expires_at > now && record.ended().is_none()
    };
    let state = if !usable {
        State::Expired
    } else if session_ends_at.is_some_and(|end| end - now <= policy.first_warning) {
        State::Expiring
    } else {
        State::Valid
    };
    Assessment {
        state,
        expires_at: Some(token.expires_at),
        session_ends_at,
        end_is_estimate,
        refreshable,
    }
}

/// Time left as people read it: `3h12m` (prompt) — whole minutes, rounded down.
pub fn short_left(left: Duration) -> String {
    let minutes = left.whole_minutes().max(0);
    let (h, m) = (minutes / 60, minutes % 60);
    if h > 0 {
        format!("{h}h{m:02}m")
    } else {
        format!("{m}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::timefmt::format_cli;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-01-01 08:00 UTC);

    fn token(expires: OffsetDateTime, refresh: bool) -> TokenFile {
        TokenFile::for_tests(expires, refresh, T0 + Duration::days(90))
    }

    fn signed_in_at(t: OffsetDateTime) -> SessionRecord {
        SessionRecord {
            signed_in_at: Some(format_cli(t)),
            ..Default::default()
        }
    }

    #[test]
    fn no_token_is_signed_out() {
        let a = assess(None, &SessionRecord::default(), Policy::default(), T0);
        assert_eq!(a.state, State::SignedOut);
        assert_eq!(a.session_ends_at, None);
    }

    #[test]
    fn a_refreshable_session_ends_at_sign_in_plus_duration_as_an_estimate() {
        let t = token(T0 + Duration::hours(1), true);
        let rec = signed_in_at(T0);
        let a = assess(Some(&t), &rec, Policy::default(), T0 + Duration::hours(2));
        // The access token expired an hour ago, but the session can still refresh.
        assert_eq!(a.state, State::Valid);
        assert!(a.refreshable && a.end_is_estimate);
        assert_eq!(a.session_ends_at, Some(T0 + Duration::hours(8)));
        let a = assess(
            Some(&t),
            &rec,
            Policy::default(),
            T0 + Duration::minutes(7 * 60 + 46),
        );
        assert_eq!(a.state, State::Expiring);
        let a = assess(Some(&t), &rec, Policy::default(), T0 + Duration::hours(8));
        assert_eq!(a.state, State::Expired);
    }

    #[test]
    fn a_legacy_token_ends_at_its_expiry_for_real() {
        let t = token(T0 + Duration::hours(8), false);
        let a = assess(Some(&t), &SessionRecord::default(), Policy::default(), T0);
        assert_eq!(a.state, State::Valid);
        assert!(!a.end_is_estimate && !a.refreshable);
        assert_eq!(a.session_ends_at, Some(T0 + Duration::hours(8)));
        let a = assess(
            Some(&t),
            &SessionRecord::default(),
            Policy::default(),
            T0 + Duration::minutes(7 * 60 + 50),
        );
        assert_eq!(a.state, State::Expiring);
        let a = assess(
            Some(&t),
            &SessionRecord::default(),
            Policy::default(),
            T0 + Duration::hours(8),
        );
        assert_eq!(a.state, State::Expired);
    }

    #[test]
    fn a_refused_refresh_is_the_true_end() {
        let t = token(T0 + Duration::hours(1), true);
        let rec = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            ended_at: Some(format_cli(T0 + Duration::hours(3))),
            end_reason: Some("invalid_grant".into()),
            ..Default::default()
        };
        let a = assess(Some(&t), &rec, Policy::default(), T0 + Duration::hours(3));
        assert_eq!(a.state, State::Expired);
        assert_eq!(a.session_ends_at, Some(T0 + Duration::hours(3)));
        assert!(!a.end_is_estimate && !a.refreshable);
    }

    #[test]
    fn the_threshold_comes_from_the_policy() {
        let t = token(T0 + Duration::hours(8), false);
        let policy = Policy {
            first_warning: Duration::seconds(90),
            ..Policy::default()
        };
        let at = |m| assess(Some(&t), &SessionRecord::default(), policy, T0 + m).state;
        assert_eq!(at(Duration::minutes(8 * 60 - 2)), State::Valid);
        assert_eq!(at(Duration::seconds(8 * 3600 - 90)), State::Expiring);
    }

    #[test]
    fn short_left_reads_like_a_prompt() {
        assert_eq!(short_left(Duration::minutes(192)), "3h12m");
        assert_eq!(short_left(Duration::seconds(59)), "0m");
        assert_eq!(short_left(Duration::minutes(45)), "45m");
        assert_eq!(short_left(Duration::minutes(-5)), "0m");
    }
}
