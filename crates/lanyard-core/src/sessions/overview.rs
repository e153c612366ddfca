//! Every session with its state now, and a profile's role credentials from a valid token — the
//! wiring the tray app needs (and the CLI's `status` / `export` do the same steps): config + token
//! cache + history → [`Assessment`]s; cached role credentials, else a valid (refreshed if due)
//! token → the portal → the session's store. [`store_for`] is the one place that picks a
//! session's store (the AWS CLI's cache files, or the keychain in secure mode).

use std::sync::Arc;

use super::history::{History, SessionRecord};
use super::keychain::KeychainStore;
use super::resolve::{all_sessions, KnownSession, ResolveError};
use super::signin::{SessionError, SignIn};
use super::state::{assess, Assessment, Policy};
use super::store::{FileStore, SessionId, Storage, TokenStore};
use crate::cache::role_credentials::RoleCredentials;
use crate::config::ConfigFile;
use crate::context::Context;
use crate::credentials::profile_role;
use crate::endpoints::Service;
use crate::net::Net;
use crate::portal::{get_role_credentials, PortalError};

/// One session and its state.
#[derive(Debug, Clone)]
pub struct SessionStatus {
    /// The session as configured.
    pub session: KnownSession,
    /// Its sign-in history.
    pub record: SessionRecord,
    /// Its state at the time of the overview.
    pub assessment: Assessment,
}

impl SessionStatus {
    /// The name people know it by: the sso-session name; for a legacy start URL, the first
    /// profile using it (the URL itself if none).
    pub fn name(&self) -> String {
        display_name(&self.session)
    }
}

/// See [`SessionStatus::name`].
pub fn display_name(s: &KnownSession) -> String {
    match &s.config.id {
        SessionId::Session(n) => n.clone(),
        SessionId::Legacy(url) => s.profiles.first().unwrap_or(url).clone(),
    }
}

/// The store of a session, by its `lanyard_storage`: the AWS CLI's cache files of this
/// context's home, or the OS keychain. Every reader and writer of tokens, registrations and
/// role credentials gets its store here.
pub fn store_for(ctx: &Context, session: &KnownSession) -> Arc<dyn TokenStore> {
    store_of(ctx, session.storage)
}

/// The store of a storage mode (for moving a session between modes).
pub fn store_of(ctx: &Context, storage: Storage) -> Arc<dyn TokenStore> {
    match storage {
        Storage::File => Arc::new(FileStore::for_home(ctx.dirs.home())),
        Storage::Keychain => Arc::new(KeychainStore::new()),
    }
}

/// The sign-in service for a session, on its region's OIDC endpoint as `net` resolves it.
pub fn sign_in_service(ctx: &Context, net: &Net, s: &KnownSession) -> crate::Result<SignIn> {
    Ok(SignIn::new(
        net.client()?,
        net.url(Service::SsoOidc, &s.config.region)?,
        store_for(ctx, s),
        ctx.clock.clone(),
        ctx.dirs.clone(),
    ))
}

/// Every configured session, in config order, assessed at the context's clock. An unreadable
/// token (or an unavailable keychain) counts as signed out (logged), so one bad session does
/// not hide the others. A session whose duration is set in `settings` (`[sessions.NAME]
/// duration`) has its end estimated with it instead of `policy`'s.
pub fn overview(
    ctx: &Context,
    policy: Policy,
    settings: &crate::settings::Settings,
) -> crate::Result<Vec<SessionStatus>> {
    let file = ConfigFile::load_config(&ctx.env)?;
    overview_in(ctx, &file.view()?, policy, settings)
}

/// [`overview`] of a config already read.
pub fn overview_in(
    ctx: &Context,
    view: &crate::config::ConfigView,
    policy: Policy,
    settings: &crate::settings::Settings,
) -> crate::Result<Vec<SessionStatus>> {
    let history = History::new(&ctx.dirs).load()?;
    let now = ctx.clock.now();
    Ok(all_sessions(view)
        .into_iter()
        .map(|session| {
            let store = store_for(ctx, &session);
            let token = store.load_token(&session.config.id).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "unreadable token");
                None
            });
            let record = history
                .get(session.config.id.cache_key())
                .cloned()
                .unwrap_or_default();
            let policy = Policy {
                session_duration: settings.session_duration(&display_name(&session)),
                ..policy
            };
            let assessment = assess(token.as_ref(), &record, policy, now);
            SessionStatus {
                session,
                record,
                assessment,
            }
        })
        .collect())
}

/// Why a profile's role credentials could not be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The profile is not an SSO profile, or its session is not configured.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// No valid token (signed out, expired, refresh refused).
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The portal refused or failed.
    #[error(transparent)]
    Portal(#[from] PortalError),
    /// Config, files, HTTP client.
    #[error(transparent)]
    Core(#[from] crate::Error),
}

/// A profile's role credentials: the session store's cached ones while fresh, else fetched with
/// a valid token (refreshed first if due) and cached there (as the AWS CLI would, in file
/// mode). Never signs in.
pub async fn role_credentials(ctx: &Context, profile: &str) -> Result<RoleCredentials, FetchError> {
    let file = ConfigFile::load_config(&ctx.env)?;
    let view = file.view()?;
    let role = profile_role(&view, profile)?;
    let store = store_for(ctx, &role.session);
    if let Some(c) = role.cached(store.as_ref(), ctx.clock.now())? {
        return Ok(c);
    }
    let config = &role.session.config;
    let net = Net::for_profile(&ctx.env, &view, Some(profile));
    let token = sign_in_service(ctx, &net, &role.session)?
        .valid_token(config)
        .await?;
    let creds = get_role_credentials(
        &net.client()?,
        &net.url(Service::Sso, &config.region)?,
        &token.access_token,
        &role.account_id,
        &role.role_name,
    )
    .await?;
    role.store(store.as_ref(), &creds)?;
    Ok(creds)
}
