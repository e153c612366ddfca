//! Every session with its state now, and a profile's role credentials from a valid token — the
//! wiring the tray app needs (and the CLI's `status` / `export` do the same steps): config + token
//! cache + history → [`Assessment`]s; cached role credentials, else a valid (refreshed if due)
//! token → the portal → the session's store. A feature over the sessions layer (issue 21): it
//! reads the settings (each session's duration) and the credentials' profile resolution.

use crate::cache::role_credentials::RoleCredentials;
use crate::config::ConfigFile;
use crate::config::NetSettings as _;
use crate::context::Context;
use crate::credentials::profile_role;
use crate::endpoints::Service;
use crate::net::Net;
use crate::portal::{get_role_credentials, PortalError};
use crate::sessions::evidence::see;
use crate::sessions::history::{History, SessionRecord};
use crate::sessions::resolve::{all_sessions, KnownSession, ResolveError};
use crate::sessions::signin::{SessionError, SignIn};
use crate::sessions::state::{assess, unreadable, Assessment, Policy};
use crate::sessions::store::SessionId;

// What the layer below decides for one session, here too so that callers above need one path.
pub use crate::sessions::overview::{
    display_name, load_session_net, session_net, store_for, store_of, token_rejected,
};

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

/// The sign-in service for a session, on its region's OIDC endpoint as `net` resolves it, with
/// the session duration of the settings (for telling another program's sign-in from a refresh).
pub fn sign_in_service(
    ctx: &Context,
    net: &Net,
    s: &KnownSession,
) -> Result<SignIn, crate::net::NetError> {
    let (settings, _) = crate::settings::Settings::load(&ctx.dirs);
    Ok(SignIn::new(
        net.client()?,
        net.url(Service::SsoOidc, &s.config.region)?,
        store_for(ctx, s),
        ctx.clock.clone(),
        ctx.dirs.clone(),
    )
    .with_session_duration(settings.session_duration(&display_name(s))))
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
    let store_history = History::new(&ctx.dirs);
    let history = store_history.load()?;
    let now = ctx.clock.now();
    Ok(all_sessions(view)
        .into_iter()
        .map(|session| {
            let store = store_for(ctx, &session);
            let id = &session.config.id;
            let record = history.get(id.cache_key()).cloned().unwrap_or_default();
            let policy = Policy {
                session_duration: settings.session_duration(&display_name(&session)),
                legacy: matches!(id, SessionId::Legacy(_)),
                ..policy
            };
            let (record, assessment) = match store.load_token(id) {
                Ok(Some(token)) => {
                    let record = see(
                        &store_history,
                        store.as_ref(),
                        id,
                        record,
                        &token,
                        now,
                        policy.session_duration,
                    );
                    let a = assess(Some(&token), &record, policy, now);
                    (record, a)
                }
                Ok(None) => {
                    let a = assess(None, &record, policy, now);
                    (record, a)
                }
                // A damaged token file: needs sign-in everywhere (the AWS CLI cannot use it).
                Err(e) => {
                    tracing::warn!(session = id.display_name(), error = %e, "unreadable token");
                    (record, unreadable())
                }
            };
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

crate::core_from_layers!(FetchError);

/// A profile's cached role credentials while fresh, read without any async runtime or network
/// set-up: the hot path of `credential_process` (issue 21). `None`: they must be fetched
/// ([`role_credentials`]).
pub fn cached_role_credentials(
    ctx: &Context,
    profile: &str,
) -> Result<Option<RoleCredentials>, FetchError> {
    let file = ConfigFile::load_config(&ctx.env)?;
    let view = file.view()?;
    let role = profile_role(&view, profile)?;
    let store = store_for(ctx, &role.session);
    Ok(role.cached(store.as_ref(), ctx.clock.now())?)
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
    let creds = match get_role_credentials(
        &net.client()?,
        &net.url(Service::Sso, &config.region)?,
        &token.access_token,
        &role.account_id,
        &role.role_name,
    )
    .await
    {
        Ok(c) => c,
        Err(e) if e.is_unauthorized() => {
            token_rejected(ctx, &role.session, store.as_ref());
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    role.store(store.as_ref(), &creds)?;
    Ok(creds)
}
