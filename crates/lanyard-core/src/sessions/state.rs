//! A session's state at a given time, from its token, its history and the settings — pure, so
//! the tray, the window, `doctor` and `lanyard status` agree and tests need no clock but their own.
//!
//! The end of a session (DESIGN.md, "Time left"; issue 20): a legacy session's token
//! `expiresAt` is the real end, whatever the service returned with it. A refreshable token's
//! `expiresAt` is only the next refresh; the Identity Center session ends at sign-in time + the
//! session duration (8 h unless set) — an estimate, bounded by the client registration's
//! expiry, which is never itself taken as the end. The sign-in time is Lanyard's own, or the
//! time another program's sign-in was seen ([`super::evidence`]); with neither, the end is
//! unknown. When the service refused the session (a refresh refused, the token rejected), the
//! session needs sign-in: its end is real — the access token's own expiry, served until then as
//! the AWS CLI does, or at once when the token itself was rejected.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::history::SessionRecord;
use crate::cache::token::TokenFile;

/// Why a session's token is no longer accepted, as recorded in its history's `end_reason`:
/// the portal rejected the access token itself (HTTP 401), so it cannot even be served to its
/// expiry.
pub const REASON_TOKEN_REJECTED: &str = "token_rejected";
/// `end_reason` when the service no longer knows the client registration.
pub const REASON_INVALID_CLIENT: &str = "invalid_client";
/// `end_reason` when a refresh was refused: the Identity Center session ended.
pub const REASON_INVALID_GRANT: &str = "invalid_grant";
/// The reason shown for a token file that cannot be read.
pub const REASON_UNREADABLE: &str = "token_unreadable";

/// What a session's state is in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// No token.
    SignedOut,
    /// Usable, with time left.
    Valid,
    /// Usable, but its end is within the first warning threshold (or known and not renewable).
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
    /// Whether the session is a legacy one (`sso_start_url` in the profile): its token is never
    /// refreshed and its `expiresAt` is the end.
    pub legacy: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            session_duration: Duration::hours(8),
            first_warning: Duration::minutes(15),
            legacy: false,
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
    /// Whether only a new sign-in helps: the service refused the session, or its token is
    /// unreadable or has expired for good (even while a refused token is still served).
    pub needs_sign_in: bool,
    /// Why, when the service refused it or the token cannot be read (`invalid_grant`,
    /// `invalid_client`, `token_rejected`, `token_unreadable`).
    pub reason: Option<String>,
}

/// The assessment of a session whose token file exists but cannot be read: it needs sign-in
/// (the AWS CLI cannot use it either).
pub fn unreadable() -> Assessment {
    Assessment {
        state: State::Expired,
        expires_at: None,
        session_ends_at: None,
        end_is_estimate: false,
        refreshable: false,
        needs_sign_in: true,
        reason: Some(REASON_UNREADABLE.to_owned()),
    }
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
            needs_sign_in: false,
            reason: None,
        };
    };
    let ended = record.ended();
    let refreshable = !policy.legacy && token.refreshable_at(now) && ended.is_none();
    let rejected = record.end_reason.as_deref() == Some(REASON_TOKEN_REJECTED);
    let (session_ends_at, end_is_estimate) = match ended {
        // The token itself was refused: it ended when that was seen.
        Some(at) if rejected => (Some(at.min(token.expires_at)), false),
        // A refresh was refused: the access token is served to its own end.
        Some(at) => (Some(at.max(token.expires_at)), false),
        None if policy.legacy || token.refresh_token.is_none() => (Some(token.expires_at), false),
        None => {
            let by_duration = record.signed_in().map(|t| t + policy.session_duration);
            let end = match (by_duration, token.registration_expires_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, _) => a,
            };
            (end, true)
        }
    };
    let usable = if rejected && ended.is_some() {
        false
    } else if refreshable {
        session_ends_at.is_none_or(|end| end > now)
    } else {
        token.expires_at > now
    };
    let state = if !usable {
        State::Expired
    } else if ended.is_some()
        || session_ends_at.is_some_and(|end| end - now <= policy.first_warning)
    {
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
        needs_sign_in: ended.is_some() || state == State::Expired,
        reason: record.end_reason.clone().filter(|_| ended.is_some()),
    }
}

/// Why a session needs sign-in, in words (the CLI's and doctor's; the window and tray have
/// `sessions.reason.*` in both languages).
pub fn reason_words(reason: &str) -> &'static str {
    match reason {
        REASON_INVALID_GRANT => "Identity Center ended the session (a refresh was refused)",
        REASON_INVALID_CLIENT => {
            "Identity Center no longer knows the session's client registration; signing in registers again"
        }
        REASON_TOKEN_REJECTED => "the AWS access portal rejected the session's token",
        REASON_UNREADABLE => "its token file cannot be read",
        _ => "the service refused the session",
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
        crate::sessions::test_token::token(expires, refresh, T0 + Duration::days(90))
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
    fn the_registration_expiry_is_never_the_end_issue_20() {
        // A token another program wrote, not yet seen: no sign-in time, so no end — never the
        // registration's 90 days.
        let t = token(T0 + Duration::hours(1), true);
        let a = assess(Some(&t), &SessionRecord::default(), Policy::default(), T0);
        assert_eq!(a.state, State::Valid);
        assert_eq!(a.session_ends_at, None);
        // The registration still bounds an estimate it ends before.
        let mut short = t.clone();
        short.registration_expires_at = Some(T0 + Duration::hours(2));
        let a = assess(Some(&short), &signed_in_at(T0), Policy::default(), T0);
        assert_eq!(a.session_ends_at, Some(T0 + Duration::hours(2)));
    }

    #[test]
    fn a_refused_refresh_serves_the_token_to_its_own_end_and_needs_sign_in_issue_20() {
        let t = token(T0 + Duration::hours(1), true);
        let rec = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            ended_at: Some(format_cli(T0 + Duration::minutes(30))),
            end_reason: Some(REASON_INVALID_GRANT.into()),
            ..Default::default()
        };
        let a = assess(
            Some(&t),
            &rec,
            Policy::default(),
            T0 + Duration::minutes(30),
        );
        assert_eq!(a.state, State::Expiring);
        assert_eq!(a.session_ends_at, Some(T0 + Duration::hours(1)));
        assert!(a.needs_sign_in && !a.refreshable && !a.end_is_estimate);
        assert_eq!(a.reason.as_deref(), Some(REASON_INVALID_GRANT));
        let a = assess(Some(&t), &rec, Policy::default(), T0 + Duration::hours(1));
        assert_eq!(a.state, State::Expired);
    }

    #[test]
    fn a_rejected_token_ends_when_it_was_rejected_issue_20() {
        let t = token(T0 + Duration::hours(1), true);
        let rec = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            ended_at: Some(format_cli(T0 + Duration::minutes(10))),
            end_reason: Some(REASON_TOKEN_REJECTED.into()),
            ..Default::default()
        };
        let a = assess(
            Some(&t),
            &rec,
            Policy::default(),
            T0 + Duration::minutes(11),
        );
        assert_eq!(a.state, State::Expired);
        assert!(a.needs_sign_in);
        assert_eq!(a.session_ends_at, Some(T0 + Duration::minutes(10)));
    }

    #[test]
    fn a_legacy_token_with_a_refresh_token_still_ends_at_its_expiry_issue_20() {
        let t = token(T0 + Duration::hours(1), true);
        let legacy = Policy {
            legacy: true,
            ..Policy::default()
        };
        let a = assess(Some(&t), &signed_in_at(T0), legacy, T0);
        assert_eq!(a.session_ends_at, Some(T0 + Duration::hours(1)));
        assert!(!a.refreshable && !a.end_is_estimate);
        let a = assess(Some(&t), &signed_in_at(T0), legacy, T0 + Duration::hours(2));
        assert_eq!(a.state, State::Expired);
    }

    #[test]
    fn an_unreadable_token_needs_sign_in() {
        let a = unreadable();
        assert_eq!(a.state, State::Expired);
        assert!(a.needs_sign_in);
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
