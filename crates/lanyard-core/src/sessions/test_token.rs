//! Test data for the sessions layer: a token of session shape (tests only).

use time::OffsetDateTime;

use crate::cache::token::TokenFile;
use crate::secret::Secret;

/// A token of session-shaped test data: expiring at `expires_at`, with a refresh token when
/// `refreshable`, its registration expiring at `registration_expires_at`.
pub(crate) fn token(
    expires_at: OffsetDateTime,
    refreshable: bool,
    registration_expires_at: OffsetDateTime,
) -> TokenFile {
    TokenFile {
        start_url: Some("https://d-1.awsapps.com/start".into()),
        region: Some("us-east-1".into()),
        access_token: Secret::new("at"),
        expires_at,
        client_id: Some("c".into()),
        client_secret: Some(Secret::new("s")),
        registration_expires_at: Some(registration_expires_at),
        refresh_token: refreshable.then(|| Secret::new("rt")),
        extra: Default::default(),
    }
}
