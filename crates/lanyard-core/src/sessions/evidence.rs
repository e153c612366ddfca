//! Telling a sign-in Lanyard did not make from a refresh, from what is on disk (issue 20): every
//! token Lanyard obtains or sees is remembered by a fingerprint ([`fingerprint`]); a token in the
//! cache that is not one of them was written by another program, and [`observe`] decides whether
//! that program signed in (a new session, whose end is estimated from now) or refreshed the
//! session Lanyard already knew (whose sign-in time stays). The registration's expiry is never
//! taken as the session's end.

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::history::{History, SessionRecord};
use super::store::{SessionId, TokenStore};
use crate::cache::token::TokenFile;

/// No tool refreshes a token with more than this left: Lanyard refreshes 20 minutes before the
/// expiry, botocore 15, the SDKs less. A token replaced earlier than this was not a refresh.
pub const NO_REFRESH_BEFORE: Duration = Duration::minutes(20);

/// A short fingerprint of a token (client id, refresh and access token), from which none of
/// them can be recovered: 16 hex digits of a SHA-256.
pub fn fingerprint(token: &TokenFile) -> String {
    let mut h = Sha256::new();
    h.update(token.client_id.as_deref().unwrap_or_default().as_bytes());
    h.update([0]);
    if let Some(r) = &token.refresh_token {
        h.update(r.expose().as_bytes());
    }
    h.update([0]);
    h.update(token.access_token.expose().as_bytes());
    hex::encode(&h.finalize()[..8])
}

/// What Lanyard can observe about a token it finds in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sighting {
    /// When the token was written: the file's modification time (the keychain has none: now).
    pub written_at: OffsetDateTime,
    /// Now.
    pub now: OffsetDateTime,
    /// Whether the session is a legacy one (its tokens are never refreshed by the AWS CLI).
    pub legacy: bool,
    /// The session duration the end estimate uses.
    pub session_duration: Duration,
}

/// The record after seeing `token`, or `None` when the token is already known (nothing new).
///
/// A token not in the record's lineage is a **new sign-in** at the time it was written (never
/// later than now) when any of these holds, else a **refresh** by another program:
/// - Lanyard knew no token of this session (the file appeared, or a record from before
///   lineages were kept whose token is not this one);
/// - it was issued to another client (a new registration);
/// - it cannot be refreshed, or the session is a legacy one (nothing refreshes those);
/// - the session had ended (a refresh was refused) before it was written;
/// - the token it replaced still had more than [`NO_REFRESH_BEFORE`] left when it was written;
/// - by then the known session had already reached its estimated end.
///
/// A new sign-in drops the recorded end. A record from before lineages were kept whose token is
/// exactly this one (same expiry) adopts it without a change.
pub fn observe(record: &SessionRecord, token: &TokenFile, s: Sighting) -> Option<SessionRecord> {
    if record.knows(token) {
        return None;
    }
    let at = s.written_at.min(s.now);
    let mut next = record.clone();
    let own_old_record = record.lineage.is_empty()
        && record.ended().is_none()
        && record.last_token_expiry() == Some(token.expires_at)
        && record
            .client_id
            .as_deref()
            .is_none_or(|c| token.client_id.as_deref() == Some(c));
    if own_old_record {
        next.refreshed(record.token_obtained().unwrap_or(at), token);
        return Some(next);
    }
    let replaced_early = record
        .last_token_expiry()
        .is_some_and(|exp| exp - at > NO_REFRESH_BEFORE);
    let past_estimate = record
        .signed_in()
        .is_some_and(|t| t + s.session_duration <= at);
    let signed_in = record.lineage.is_empty()
        || record.signed_in().is_none()
        || record.client_id != token.client_id
        || token.refresh_token.is_none()
        || s.legacy
        || record.ended().is_some_and(|e| e <= at)
        || replaced_early
        || past_estimate;
    if signed_in {
        next.sign_in(at, token, true);
    } else {
        next.refreshed(at, token);
    }
    Some(next)
}

/// Records what `token` (just read from `store`) tells about session `id` — a sign-in or a
/// refresh by another program — in the history, and returns the record to assess it with. A
/// history that cannot be written is logged; the conclusion is used all the same.
pub fn see(
    history: &History,
    store: &dyn TokenStore,
    id: &SessionId,
    record: SessionRecord,
    token: &TokenFile,
    now: OffsetDateTime,
    session_duration: Duration,
) -> SessionRecord {
    let sighting = Sighting {
        written_at: store.token_written_at(id).unwrap_or(now),
        now,
        legacy: matches!(id, SessionId::Legacy(_)),
        session_duration,
    };
    let Some(next) = observe(&record, token, sighting) else {
        return record;
    };
    if next.signed_in() != record.signed_in() {
        tracing::info!(
            session = id.display_name(),
            at = ?next.signed_in(),
            "a sign-in made by another program"
        );
    }
    history
        .record_observed(id.cache_key(), &next)
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot record a token another program wrote");
            next
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::timefmt::format_cli;
    use crate::secret::Secret;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-01-01 08:00 UTC);

    fn token(n: u32, expires: OffsetDateTime) -> TokenFile {
        let mut t = crate::sessions::test_token::token(expires, true, T0 + Duration::days(90));
        t.access_token = Secret::new(format!("at-{n}"));
        t.refresh_token = Some(Secret::new(format!("rt-{n}")));
        t
    }

    fn seen(at: OffsetDateTime) -> Sighting {
        Sighting {
            written_at: at,
            now: at + Duration::seconds(2),
            legacy: false,
            session_duration: Duration::hours(8),
        }
    }

    fn lanyard_signed_in(at: OffsetDateTime, t: &TokenFile) -> SessionRecord {
        let mut r = SessionRecord::default();
        r.sign_in(at, t, false);
        r
    }

    #[test]
    fn a_token_lanyard_made_is_nothing_new() {
        let t = token(1, T0 + Duration::hours(1));
        let r = lanyard_signed_in(T0, &t);
        assert_eq!(observe(&r, &t, seen(T0 + Duration::minutes(5))), None);
    }

    #[test]
    fn a_token_file_that_appeared_is_a_sign_in_at_its_write_time_issue_20() {
        let t = token(1, T0 + Duration::hours(1));
        let r = observe(&SessionRecord::default(), &t, seen(T0)).expect("news");
        assert_eq!(r.signed_in(), Some(T0));
        assert!(r.signed_in_elsewhere);
        assert!(r.knows(&t));
    }

    #[test]
    fn an_older_record_and_its_end_are_dropped_by_a_new_sign_in_elsewhere_issue_20() {
        let old = token(1, T0 + Duration::hours(1));
        let mut r = lanyard_signed_in(T0, &old);
        r.ended_at = Some(format_cli(T0 + Duration::hours(8)));
        r.end_reason = Some("invalid_grant".into());
        let next_day = T0 + Duration::hours(24);
        let new = token(2, next_day + Duration::hours(1));
        let r = observe(&r, &new, seen(next_day)).expect("news");
        assert_eq!(r.signed_in(), Some(next_day));
        assert_eq!(r.ended(), None);
    }

    #[test]
    fn a_session_past_its_estimate_was_signed_in_again_even_without_a_recorded_end() {
        let old = token(1, T0 + Duration::hours(1));
        let r = lanyard_signed_in(T0, &old);
        let later = T0 + Duration::hours(30);
        let r = observe(&r, &token(2, later + Duration::hours(1)), seen(later)).expect("news");
        assert_eq!(r.signed_in(), Some(later));
    }

    #[test]
    fn a_token_replaced_in_the_refresh_window_is_another_programs_refresh() {
        let old = token(1, T0 + Duration::hours(1));
        let r = lanyard_signed_in(T0, &old);
        // botocore refreshes with 15 minutes left: the sign-in time stays.
        let at = T0 + Duration::minutes(45);
        let r = observe(&r, &token(2, at + Duration::hours(1)), seen(at)).expect("news");
        assert_eq!(r.signed_in(), Some(T0));
        assert!(!r.signed_in_elsewhere);
    }

    #[test]
    fn a_token_replaced_with_time_left_or_for_another_client_is_a_sign_in() {
        let old = token(1, T0 + Duration::hours(1));
        let r = lanyard_signed_in(T0, &old);
        let at = T0 + Duration::minutes(10);
        let fresh = observe(&r, &token(2, at + Duration::hours(1)), seen(at)).expect("news");
        assert_eq!(fresh.signed_in(), Some(at));
        let late = T0 + Duration::minutes(50);
        let mut other = token(3, late + Duration::hours(1));
        other.client_id = Some("another-client".into());
        let fresh = observe(&r, &other, seen(late)).expect("news");
        assert_eq!(fresh.signed_in(), Some(late));
    }

    #[test]
    fn a_write_time_in_the_future_counts_as_now() {
        let t = token(1, T0 + Duration::hours(1));
        let s = Sighting {
            written_at: T0 + Duration::days(3),
            now: T0,
            legacy: false,
            session_duration: Duration::hours(8),
        };
        assert_eq!(
            observe(&SessionRecord::default(), &t, s).and_then(|r| r.signed_in()),
            Some(T0)
        );
    }

    #[test]
    fn a_record_kept_before_lineages_adopts_its_own_token() {
        let t = token(1, T0 + Duration::hours(1));
        let r = SessionRecord {
            signed_in_at: Some(format_cli(T0)),
            token_obtained_at: Some(format_cli(T0)),
            token_expires_at: Some(format_cli(t.expires_at)),
            ..Default::default()
        };
        let r = observe(&r, &t, seen(T0 + Duration::minutes(30))).expect("adopted");
        assert_eq!(r.signed_in(), Some(T0));
        assert!(r.knows(&t));
    }
}
