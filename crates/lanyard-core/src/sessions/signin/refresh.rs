//! Keeping a session's token valid (PROTOCOL §4.1): the valid-token rule, refresh under the
//! session's single-flight lock, and what a refused refresh means — the session ended
//! (`invalid_grant`) or the service forgot the client (`invalid_client`), recorded so every
//! surface shows it, with the access token still served to its own expiry as the AWS CLI does.

use time::{Duration, OffsetDateTime};

use super::{refuses_client, whole_seconds, SessionConfig, SessionError, SignIn, REFRESH_BEFORE};
use crate::cache::token::TokenFile;
use crate::oidc::{CreateTokenRequest, OidcErrorKind, GRANT_REFRESH_TOKEN};
use crate::sessions::history::History;
use crate::sessions::store::SessionId;

impl SignIn {
    /// A token with more than [`REFRESH_BEFORE`] left, refreshing it first if needed (single
    /// flight). A legacy token that cannot refresh is served until it expires.
    pub async fn valid_token(&self, cfg: &SessionConfig) -> Result<TokenFile, SessionError> {
        let now = self.clock.now();
        let token = self.load(cfg)?;
        if !self.due(cfg, &token, now)? {
            return Ok(token);
        }
        if let Some(e) = self.refused(cfg)? {
            // The service refused this session already: serve the token to its own end.
            return if token.expires_at > now {
                Ok(token)
            } else {
                Err(e)
            };
        }
        if !self.can_refresh(cfg, &token, now) {
            return if token.expires_at > now {
                Ok(token)
            } else {
                Err(self.expired(cfg, &token, now))
            };
        }
        let seen = token.access_token;
        let _lock = self.lock(&cfg.id).await?;
        // Another process may have refreshed (or signed in) while we waited for the lock: a
        // token other than the one we saw is theirs, and fresh — use it instead of refreshing
        // again (which would also rotate the refresh token under their feet).
        let token = self.load(cfg)?;
        let now = self.clock.now();
        let replaced = token.access_token != seen && token.expires_at > now;
        if replaced || !self.due(cfg, &token, now)? {
            return Ok(token);
        }
        let expires_at = token.expires_at;
        match self.refresh_locked(cfg, token.clone()).await {
            Ok(t) => Ok(t),
            // As the AWS CLI does: a token that cannot be refreshed is still served until its
            // own expiry (an ended session then needs sign-in).
            Err(e) if expires_at > self.clock.now() && !matches!(e, SessionError::Core(_)) => {
                tracing::warn!(session = cfg.id.display_name(), error = %e, "refresh failed; serving the access token until it expires");
                Ok(token)
            }
            Err(e) => Err(e),
        }
    }

    /// The error of a session the service already refused (its history records the end).
    fn refused(&self, cfg: &SessionConfig) -> Result<Option<SessionError>, SessionError> {
        let record = History::new(&self.dirs).get(cfg.id.cache_key())?;
        let name = cfg.id.display_name().to_owned();
        Ok(record.ended().map(|_| match record.end_reason.as_deref() {
            Some(crate::sessions::state::REASON_INVALID_CLIENT) => {
                SessionError::RegistrationRefused { name }
            }
            _ => SessionError::SessionEnded { name },
        }))
    }

    /// Whether Lanyard refreshes this token: never a legacy session's (the AWS CLI does not
    /// either; its `expiresAt` is the end, whatever the service returned with it).
    fn can_refresh(&self, cfg: &SessionConfig, token: &TokenFile, now: OffsetDateTime) -> bool {
        matches!(cfg.id, SessionId::Session(_)) && token.refreshable_at(now)
    }

    /// Whether a token should be refreshed now: less than [`REFRESH_BEFORE`] left — or, for a
    /// token Lanyard obtained itself and whose lifetime it therefore knows, less than half that
    /// lifetime when that is shorter, so a service issuing short tokens does not make every
    /// caller refresh a token that was just obtained.
    fn due(
        &self,
        cfg: &SessionConfig,
        token: &TokenFile,
        now: OffsetDateTime,
    ) -> Result<bool, SessionError> {
        let left = token.expires_at - now;
        if left <= Duration::ZERO {
            return Ok(true);
        }
        if left > REFRESH_BEFORE {
            return Ok(false);
        }
        let lifetime = History::new(&self.dirs)
            .get(cfg.id.cache_key())?
            .token_lifetime(token.expires_at);
        let threshold = lifetime.map_or(REFRESH_BEFORE, |l| REFRESH_BEFORE.min(l / 2));
        Ok(left <= threshold)
    }

    /// Refreshes now, whatever the time left ("Refresh now"), under the lock.
    pub async fn refresh(&self, cfg: &SessionConfig) -> Result<TokenFile, SessionError> {
        let _lock = self.lock(&cfg.id).await?;
        let token = self.load(cfg)?;
        let now = self.clock.now();
        if !self.can_refresh(cfg, &token, now) {
            return Err(self.expired(cfg, &token, now));
        }
        self.refresh_locked(cfg, token).await
    }

    /// The session's token, noting first whether another program signed in or refreshed since
    /// (so a refresh continues the right lineage and an old end is dropped).
    pub(super) fn load(&self, cfg: &SessionConfig) -> Result<TokenFile, SessionError> {
        let token = self
            .store
            .load_token(&cfg.id)?
            .ok_or_else(|| SessionError::NotSignedIn {
                name: cfg.id.display_name().to_owned(),
            })?;
        let history = History::new(&self.dirs);
        let record = history.get(cfg.id.cache_key())?;
        crate::sessions::evidence::see(
            &history,
            self.store.as_ref(),
            &cfg.id,
            record,
            &token,
            self.clock.now(),
            self.session_duration,
        );
        Ok(token)
    }

    fn expired(&self, cfg: &SessionConfig, token: &TokenFile, now: OffsetDateTime) -> SessionError {
        let reason = match (&cfg.id, token.registration_expires_at) {
            (SessionId::Legacy(_), _) => "legacy sessions cannot be refreshed",
            (_, Some(t)) if t <= now => "its client registration expired",
            _ if token.refresh_token.is_none() => "it has no refresh token",
            _ => "it cannot be refreshed",
        };
        SessionError::Expired {
            name: cfg.id.display_name().to_owned(),
            reason,
            flag: match cfg.id {
                SessionId::Session(_) => "--sso-session",
                SessionId::Legacy(_) => "--profile <a profile of>",
            },
        }
    }

    async fn refresh_locked(
        &self,
        cfg: &SessionConfig,
        token: TokenFile,
    ) -> Result<TokenFile, SessionError> {
        let (Some(client_id), Some(client_secret), Some(refresh_token)) = (
            token.client_id.clone(),
            token.client_secret.clone(),
            token.refresh_token.clone(),
        ) else {
            return Err(self.expired(cfg, &token, self.clock.now()));
        };
        let req = CreateTokenRequest {
            client_id,
            client_secret,
            grant_type: GRANT_REFRESH_TOKEN.into(),
            refresh_token: Some(refresh_token),
            ..Default::default()
        };
        match self.oidc().create_token(&req).await {
            Ok(resp) => {
                let now = self.clock.now();
                // Exactly what botocore writes on refresh: the same fields, a new expiry, and
                // the new refresh token if one was returned.
                let file = TokenFile {
                    start_url: Some(cfg.start_url.clone()),
                    region: Some(cfg.region.clone()),
                    access_token: resp.access_token,
                    expires_at: whole_seconds(now + Duration::seconds(resp.expires_in)),
                    refresh_token: resp.refresh_token,
                    ..token
                };
                History::new(&self.dirs).record_refresh(cfg.id.cache_key(), now, &file)?;
                self.store.save_token(&cfg.id, &file)?;
                tracing::info!(session = cfg.id.display_name(), "refreshed");
                Ok(file)
            }
            Err(e) if e.kind() == Some(&OidcErrorKind::InvalidGrant) => {
                History::new(&self.dirs).record_end(
                    cfg.id.cache_key(),
                    self.clock.now(),
                    crate::sessions::state::REASON_INVALID_GRANT,
                )?;
                tracing::warn!(session = cfg.id.display_name(), "the session ended");
                Err(SessionError::SessionEnded {
                    name: cfg.id.display_name().to_owned(),
                })
            }
            Err(e) if refuses_client(&e) => {
                // Recorded and dropped, so the next sign-in registers again (once, by itself).
                self.registration_refused(cfg)?;
                tracing::warn!(
                    session = cfg.id.display_name(),
                    "the service refused the client registration"
                );
                Err(SessionError::RegistrationRefused {
                    name: cfg.id.display_name().to_owned(),
                })
            }
            Err(e) => Err(e.into()),
        }
    }
}
