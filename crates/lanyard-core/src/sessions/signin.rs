//! Sign-in, refresh and the valid-token rule for one session (PROTOCOL §1, §2, §4): the PKCE
//! flow for sso-sessions, the device-code flow on request and for legacy profiles, client
//! registrations reused by the CLI's rules, and every login or refresh under the session's
//! single-flight lock so parallel callers never race a rotating refresh token.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use time::{Duration, OffsetDateTime};

use super::error::SessionsError;
use super::history::History;
use super::lock::SessionLock;
use super::store::{RegistrationKey, SessionId, TokenStore};
use crate::cache::registration::{Flow, Registration, PKCE_GRANT_TYPES};
use crate::cache::token::TokenFile;
use crate::clock::Clock;
use crate::dirs::Dirs;
use crate::oidc::loopback::{CallbackError, Listener};
use crate::oidc::{
    pkce, CreateTokenRequest, OidcClient, OidcError, OidcErrorKind, RegisterClientRequest,
    StartDeviceAuthorizationRequest, GRANT_AUTHORIZATION_CODE, GRANT_DEVICE_CODE,
    GRANT_REFRESH_TOKEN,
};

mod refresh;

/// The PKCE registration's redirect URI: no port, loopback port-agnostic matching.
const PKCE_REGISTERED_REDIRECT: &str = "http://127.0.0.1/oauth/callback";
// The scope a PKCE registration asks for when none is configured: the one a new session gets.
use crate::config::migrate::DEFAULT_SCOPES as DEFAULT_SCOPE;
/// Refresh this long before the access token expires: earlier than the AWS CLI's 15-minute
/// window, so tools reading the cache never have to refresh (and never race) themselves.
pub const REFRESH_BEFORE: Duration = Duration::minutes(20);

/// A session's sign-in settings, as resolved from the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    /// Which session.
    pub id: SessionId,
    /// `sso_start_url` as configured.
    pub start_url: String,
    /// `sso_region`.
    pub region: String,
    /// `sso_registration_scopes`, parsed; None when not configured.
    pub scopes: Option<Vec<String>>,
}

impl SessionConfig {
    /// The key of this session's client registration in the cache.
    pub fn registration_key(&self) -> RegistrationKey {
        RegistrationKey {
            start_url: self.start_url.clone(),
            region: self.region.clone(),
            scopes: self.scopes.clone(),
            session_name: match &self.id {
                SessionId::Session(n) => Some(n.clone()),
                SessionId::Legacy(_) => None,
            },
        }
    }
}

/// What the person must see during a device-code sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePrompt {
    /// The code to type (not a secret: it is shown on purpose).
    pub user_code: String,
    /// Where to type it.
    pub verification_uri: String,
    /// The same page with the code filled in.
    pub verification_uri_complete: String,
}

/// How a sign-in talks to the person: the CLI prints, the app shows a dialog.
pub trait SignInUi: Send + Sync {
    /// Shows the device code; called once, after the first poll.
    fn device_code(&self, prompt: &DevicePrompt);
    /// Opens (or prints) the authorize URL of a PKCE sign-in.
    fn authorize_url(&self, url: &str);
}

/// How to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginOptions {
    /// Use the device-code flow even for an sso-session.
    pub use_device_code: bool,
    /// A fixed loopback port for the PKCE redirect (0 = any).
    pub redirect_port: u16,
    /// How long to wait for the PKCE redirect.
    pub callback_timeout: StdDuration,
}

impl Default for LoginOptions {
    fn default() -> Self {
        LoginOptions {
            use_device_code: false,
            redirect_port: 0,
            callback_timeout: crate::oidc::loopback::DEFAULT_TIMEOUT,
        }
    }
}

/// Why a session has no usable token. Messages name the session and never a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// A call to the OIDC service failed.
    #[error(transparent)]
    Oidc(#[from] OidcError),
    /// The PKCE redirect did not arrive or reported an error.
    #[error(transparent)]
    Callback(#[from] CallbackError),
    /// The device code expired before anyone approved it.
    #[error("the device code expired before the sign-in was approved; run the sign-in again")]
    DeviceCodeExpired,
    /// The person (or an administrator) denied the sign-in.
    #[error("the sign-in was denied")]
    Denied,
    /// Never signed in (no token in the cache).
    #[error("session {name} is not signed in; run: lanyard login --sso-session {name}")]
    NotSignedIn {
        /// The session.
        name: String,
    },
    /// The token expired and cannot be refreshed.
    #[error("session {name} has expired ({reason}); run: lanyard login {flag} {name}")]
    Expired {
        /// The session.
        name: String,
        /// Why it could not be refreshed.
        reason: &'static str,
        /// `--sso-session` or, for legacy sessions, `--profile` hint.
        flag: &'static str,
    },
    /// The Identity Center session ended: the refresh was refused with `invalid_grant` (or the
    /// token was rejected), and the access token has expired too.
    #[error("session {name} has ended (the service refused to refresh it); run: lanyard login --sso-session {name}")]
    SessionEnded {
        /// The session.
        name: String,
    },
    /// The service no longer knows the session's client registration (`invalid_client`): it was
    /// dropped, and the next sign-in registers again.
    #[error("Identity Center no longer knows the client registration of session {name} (invalid_client); it was removed, and the next sign-in registers again: run: lanyard login --sso-session {name}")]
    RegistrationRefused {
        /// The session.
        name: String,
    },
    /// The start URL is not https or its vanity URL does not resolve.
    #[error(transparent)]
    StartUrl(#[from] crate::oidc::start_url::StartUrlError),
    /// Files, HTTP client set-up.
    #[error(transparent)]
    Core(#[from] SessionsError),
}

impl SessionError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            SessionError::Oidc(e) => e.code(),
            SessionError::Callback(CallbackError::TimedOut(_)) => "callback_timeout",
            SessionError::Callback(_) => "callback",
            SessionError::DeviceCodeExpired => "device_code_expired",
            SessionError::Denied => "access_denied",
            SessionError::NotSignedIn { .. } => "not_signed_in",
            SessionError::Expired { .. } => "expired",
            SessionError::SessionEnded { .. } => "session_ended",
            SessionError::RegistrationRefused { .. } => "registration_refused",
            SessionError::StartUrl(_) => "start_url",
            SessionError::Core(e) => e.code(),
        }
    }
}

/// Signs sessions in and keeps their tokens valid.
#[derive(Debug, Clone)]
pub struct SignIn {
    http: reqwest::Client,
    oidc_base: String,
    store: Arc<dyn TokenStore>,
    clock: Arc<dyn Clock>,
    dirs: Dirs,
    session_duration: Duration,
}

/// What [`SignIn::registration`] may do with a cached registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reuse {
    /// Reuse it if the AWS CLI's rules allow (PKCE: after checking the service still knows it).
    IfValid,
    /// The service refused it: register again.
    Never,
}

/// Whether the service still accepts a session's client registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// It knows the client.
    Known,
    /// It no longer does (`invalid_client`): the registration was dropped.
    Refused,
    /// The token names no client (an old legacy token): nothing to ask.
    NotChecked,
}

/// The refresh token sent to check that the service still knows a client registration: a
/// service that knows the client answers `invalid_grant`, one that forgot it `invalid_client`.
const REGISTRATION_CHECK: &str = "lanyard-registration-check";

impl SignIn {
    /// A sign-in service for one OIDC endpoint (see [`crate::net::Net::url`]).
    pub fn new(
        http: reqwest::Client,
        oidc_base: impl Into<String>,
        store: Arc<dyn TokenStore>,
        clock: Arc<dyn Clock>,
        dirs: Dirs,
    ) -> Self {
        SignIn {
            http,
            oidc_base: oidc_base.into(),
            store,
            clock,
            dirs,
            session_duration: Duration::hours(8),
        }
    }

    /// The session duration assumed when telling another program's sign-in from a refresh
    /// ([`crate::sessions::evidence::observe`]); 8 hours unless set.
    pub fn with_session_duration(mut self, d: Duration) -> Self {
        self.session_duration = d;
        self
    }

    fn oidc(&self) -> OidcClient {
        OidcClient::new(self.http.clone(), self.oidc_base.clone())
    }

    async fn lock(&self, id: &SessionId) -> Result<SessionLock, SessionError> {
        let dir = self.dirs.locks_dir();
        let key = id.file_stem();
        tokio::task::spawn_blocking(move || SessionLock::acquire(&dir, &key))
            .await
            .map_err(|e| SessionsError::logging(format!("lock task failed: {e}")))?
            .map_err(SessionError::from)
    }

    /// Signs in anew (like `aws sso login`, which never reuses a token), under the session's
    /// lock. PKCE for sso-sessions unless `use_device_code`; legacy sessions always use the
    /// device code.
    pub async fn login(
        &self,
        cfg: &SessionConfig,
        opts: LoginOptions,
        ui: &dyn SignInUi,
    ) -> Result<TokenFile, SessionError> {
        let _lock = self.lock(&cfg.id).await?;
        self.login_locked(cfg, opts, ui).await
    }

    /// Signs in only when no valid token exists (for `credentials --login`): ten callers at
    /// once make one sign-in; the others wait and reuse it.
    pub async fn login_if_needed(
        &self,
        cfg: &SessionConfig,
        opts: LoginOptions,
        ui: &dyn SignInUi,
    ) -> Result<TokenFile, SessionError> {
        match self.valid_token(cfg).await {
            Ok(t) => return Ok(t),
            Err(SessionError::Core(e)) => return Err(SessionError::Core(e)),
            Err(_) => {}
        }
        let _lock = self.lock(&cfg.id).await?;
        if let Some(t) = self.store.load_token(&cfg.id)? {
            if t.expires_at > self.clock.now() + REFRESH_BEFORE {
                return Ok(t);
            }
        }
        self.login_locked(cfg, opts, ui).await
    }

    async fn login_locked(
        &self,
        cfg: &SessionConfig,
        opts: LoginOptions,
        ui: &dyn SignInUi,
    ) -> Result<TokenFile, SessionError> {
        // A store that cannot keep the token (no keychain) is said before the person signs in.
        self.store.ensure_available(&cfg.id)?;
        let pkce = matches!(cfg.id, SessionId::Session(_)) && !opts.use_device_code;
        let flow = if pkce { Flow::Pkce } else { Flow::DeviceCode };
        let issuer = crate::oidc::start_url::resolve(&self.http, &cfg.start_url).await?;
        if issuer.vanity {
            tracing::info!(session = cfg.id.display_name(), issuer = %issuer.url, "vanity start URL resolved");
        }
        if let Some(region) = issuer.region.as_deref().filter(|r| *r != cfg.region) {
            tracing::warn!(session = cfg.id.display_name(), %region, configured = %cfg.region, "the start URL names another region than sso_region");
        }
        let mut registration = self
            .registration(cfg, flow, &issuer.url, Reuse::IfValid)
            .await?;
        let mut again = true;
        let token = loop {
            let got = if pkce {
                self.pkce(cfg, &registration, opts, ui).await
            } else {
                self.device(&registration, ui, &issuer.url).await
            };
            match got {
                // The service forgot the client between our check and its use: register again,
                // once.
                Err(SessionError::Oidc(e)) if again && refuses_client(&e) => {
                    tracing::warn!(
                        session = cfg.id.display_name(),
                        "the client registration was refused; registering again"
                    );
                    again = false;
                    registration = self
                        .registration(cfg, flow, &issuer.url, Reuse::Never)
                        .await?;
                }
                other => break other?,
            }
        };
        let now = self.clock.now();
        let file = TokenFile {
            start_url: Some(cfg.start_url.clone()),
            region: Some(cfg.region.clone()),
            access_token: token.access_token,
            expires_at: whole_seconds(now + Duration::seconds(token.expires_in)),
            client_id: Some(registration.client_id.clone()),
            client_secret: Some(registration.client_secret.clone()),
            registration_expires_at: Some(registration.expires_at),
            refresh_token: token.refresh_token,
            extra: Default::default(),
        };
        // Recorded first: a process that sees the new file already knows it as Lanyard's.
        History::new(&self.dirs).record_sign_in(cfg.id.cache_key(), now, &file)?;
        self.store.save_token(&cfg.id, &file)?;
        tracing::info!(session = cfg.id.display_name(), pkce, "signed in");
        Ok(file)
    }

    /// A registration that serves `flow`: the cached one if the CLI's rules allow, else a new
    /// one, cached for the next sign-in (by Lanyard or the AWS CLI).
    async fn registration(
        &self,
        cfg: &SessionConfig,
        flow: Flow,
        issuer_url: &str,
        reuse: Reuse,
    ) -> Result<Registration, SessionError> {
        let key = cfg.registration_key();
        let now = self.clock.now();
        match self.store.load_registration(&key) {
            Ok(Some(reg)) if reuse == Reuse::IfValid && reg.reusable_for(flow, now) => {
                // A PKCE sign-in shows the client to the person's browser first: a client the
                // service forgot would end on an error page, so check it before.
                if flow == Flow::Pkce && !self.still_known(&reg).await {
                    tracing::warn!(session = cfg.id.display_name(), "the service no longer knows the cached client registration; registering again");
                } else {
                    return Ok(reg);
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "ignoring an unreadable client registration"),
        }
        let client_name = match &cfg.id {
            SessionId::Session(name) => format!("botocore-client-{name}"),
            SessionId::Legacy(_) => format!("botocore-client-{}", now.unix_timestamp()),
        };
        let req = match flow {
            Flow::Pkce => RegisterClientRequest {
                client_name,
                client_type: "public".into(),
                scopes: Some(
                    cfg.scopes
                        .clone()
                        .unwrap_or_else(|| vec![DEFAULT_SCOPE.to_owned()]),
                ),
                redirect_uris: Some(vec![PKCE_REGISTERED_REDIRECT.to_owned()]),
                grant_types: Some(PKCE_GRANT_TYPES.iter().map(|s| (*s).to_owned()).collect()),
                issuer_url: Some(issuer_url.to_owned()),
            },
            Flow::DeviceCode => RegisterClientRequest {
                client_name,
                client_type: "public".into(),
                scopes: cfg.scopes.clone(),
                redirect_uris: None,
                grant_types: None,
                issuer_url: None,
            },
        };
        let resp = self.oidc().register_client(&req).await?;
        let reg = Registration {
            client_id: resp.client_id,
            client_secret: resp.client_secret,
            expires_at: OffsetDateTime::from_unix_timestamp(resp.client_secret_expires_at)
                .unwrap_or(now),
            scopes: req.scopes,
            grant_types: req.grant_types,
            extra: Default::default(),
        };
        self.store.save_registration(&key, &reg)?;
        Ok(reg)
    }

    /// Asks the service whether it still knows the client registration the session's token was
    /// issued to. A refused one is handled as a refused refresh is: the session needs sign-in
    /// (recorded) and the registration is dropped, so the next sign-in registers again.
    pub async fn acceptance(&self, cfg: &SessionConfig) -> Result<Acceptance, SessionError> {
        let token = self.load(cfg)?;
        let (Some(client_id), Some(client_secret)) = (token.client_id, token.client_secret) else {
            return Ok(Acceptance::NotChecked);
        };
        if self.knows_client(client_id, client_secret).await? {
            return Ok(Acceptance::Known);
        }
        self.registration_refused(cfg)?;
        Ok(Acceptance::Refused)
    }

    /// Whether the service still knows a registration: a refresh with a token that cannot be
    /// valid is answered `invalid_grant` by a service that knows the client and
    /// `invalid_client` by one that does not. Anything else (unreachable, another error) counts
    /// as known: the sign-in itself will say what is wrong.
    async fn still_known(&self, reg: &Registration) -> bool {
        self.knows_client(reg.client_id.clone(), reg.client_secret.clone())
            .await
            .unwrap_or(true)
    }

    /// The one registration check: a refresh with [`REGISTRATION_CHECK`], which no service can
    /// accept. False only for `invalid_client`; any other OIDC answer means the client is known;
    /// a transport failure is the error.
    async fn knows_client(
        &self,
        client_id: String,
        client_secret: crate::secret::Secret,
    ) -> Result<bool, OidcError> {
        let req = CreateTokenRequest {
            client_id,
            client_secret,
            grant_type: GRANT_REFRESH_TOKEN.into(),
            refresh_token: Some(crate::secret::Secret::new(REGISTRATION_CHECK)),
            ..Default::default()
        };
        match self.oidc().create_token(&req).await {
            Err(e) if e.kind() == Some(&OidcErrorKind::InvalidClient) => Ok(false),
            Err(e) if e.kind().is_some() => Ok(true),
            Err(e) => Err(e),
            Ok(_) => Ok(true),
        }
    }

    /// The service refused the session's client registration (a check or a refresh met
    /// `invalid_client`): the session needs sign-in (recorded, so every Lanyard process and the
    /// window hear of it) and the registration is dropped, so the next sign-in registers again.
    fn registration_refused(&self, cfg: &SessionConfig) -> Result<(), SessionError> {
        History::new(&self.dirs).record_end(
            cfg.id.cache_key(),
            self.clock.now(),
            crate::sessions::state::REASON_INVALID_CLIENT,
        )?;
        self.store.delete_registration(&cfg.registration_key())?;
        Ok(())
    }

    async fn pkce(
        &self,
        cfg: &SessionConfig,
        reg: &Registration,
        opts: LoginOptions,
        ui: &dyn SignInUi,
    ) -> Result<crate::oidc::CreateTokenResponse, SessionError> {
        let listener = Listener::bind(opts.redirect_port).await?;
        let redirect_uri = pkce::redirect_uri(listener.port());
        let verifier = pkce::new_verifier();
        let state = pkce::new_state();
        let scopes = cfg
            .scopes
            .clone()
            .unwrap_or_else(|| vec![DEFAULT_SCOPE.to_owned()]);
        let url = pkce::authorize_url(
            &self.oidc_base,
            &reg.client_id,
            &redirect_uri,
            &state,
            &scopes,
            &pkce::challenge(&verifier),
        );
        ui.authorize_url(&url);
        let code = listener
            .wait_for_code(&state, opts.callback_timeout)
            .await?;
        let req = CreateTokenRequest {
            client_id: reg.client_id.clone(),
            client_secret: reg.client_secret.clone(),
            grant_type: GRANT_AUTHORIZATION_CODE.into(),
            code: Some(code),
            redirect_uri: Some(redirect_uri),
            code_verifier: Some(verifier),
            ..Default::default()
        };
        self.oidc().create_token(&req).await.map_err(map_denied)
    }

    async fn device(
        &self,
        reg: &Registration,
        ui: &dyn SignInUi,
        start_url: &str,
    ) -> Result<crate::oidc::CreateTokenResponse, SessionError> {
        let oidc = self.oidc();
        let auth = oidc
            .start_device_authorization(&StartDeviceAuthorizationRequest {
                client_id: reg.client_id.clone(),
                client_secret: reg.client_secret.clone(),
                start_url: start_url.to_owned(),
            })
            .await?;
        let req = CreateTokenRequest {
            client_id: reg.client_id.clone(),
            client_secret: reg.client_secret.clone(),
            grant_type: GRANT_DEVICE_CODE.into(),
            device_code: Some(auth.device_code.clone()),
            ..Default::default()
        };
        let mut interval = auth.interval.filter(|i| *i > 0).unwrap_or(5) as u64;
        // As the CLI does: one attempt before showing the code (the client may already be
        // authorized), then poll at the interval, slower on slow_down.
        let mut shown = false;
        // Our own bound besides expired_token: the code's lifetime plus a minute.
        let deadline = tokio::time::Instant::now()
            + StdDuration::from_secs(auth.expires_in.max(0) as u64 + 60);
        loop {
            match oidc.create_token(&req).await {
                Ok(token) => return Ok(token),
                Err(e) => match e.kind() {
                    Some(OidcErrorKind::AuthorizationPending) => {}
                    Some(OidcErrorKind::SlowDown) => interval += 5,
                    Some(OidcErrorKind::ExpiredToken) => {
                        return Err(SessionError::DeviceCodeExpired)
                    }
                    Some(OidcErrorKind::AccessDenied) => return Err(SessionError::Denied),
                    _ => return Err(e.into()),
                },
            }
            if !shown {
                ui.device_code(&DevicePrompt {
                    user_code: auth.user_code.clone(),
                    verification_uri: auth.verification_uri.clone(),
                    verification_uri_complete: auth.verification_uri_complete.clone(),
                });
                shown = true;
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(SessionError::DeviceCodeExpired);
            }
            tokio::time::sleep(StdDuration::from_secs(interval)).await;
        }
    }
}

/// Drops sub-second precision: the cache's time format has none, so the token a call returns
/// is exactly the token the cache holds.
fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

/// Whether the service refused the client itself: it no longer knows the registration.
fn refuses_client(e: &OidcError) -> bool {
    matches!(
        e.kind(),
        Some(OidcErrorKind::InvalidClient | OidcErrorKind::UnauthorizedClient)
    )
}

fn map_denied(e: OidcError) -> SessionError {
    match e.kind() {
        Some(OidcErrorKind::AccessDenied) => SessionError::Denied,
        _ => SessionError::Oidc(e),
    }
}
