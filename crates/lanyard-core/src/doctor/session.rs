//! Doctor's checks of each session: its state exactly as `status`, the tray and the window show
//! it (one assessment, [`crate::overview`]), its client registration, whether the
//! profiles that use it agree on its endpoints, and — for a session that looks signed in —
//! whether the service still accepts it (the registration, and the token at the portal). What
//! the service says is recorded in Lanyard's session history, so every surface shows it.

use std::sync::Arc;

use time::OffsetDateTime;

use super::{Check, Status};
use crate::config::ConfigView;
use crate::config::NetSettings as _;
use crate::context::Context;
use crate::net::Net;
use crate::overview::{
    display_name, session_net, sign_in_service, store_for, token_rejected, SessionStatus,
};
use crate::portal::list::portal_client;
use crate::portal::ratelimit::TokenBucket;
use crate::portal::PortalError;
use crate::sessions::signin::Acceptance;
use crate::sessions::state::{reason_words, short_left, State};
use crate::sessions::store::SessionId;
use crate::settings::DEFAULT_PORTAL_RATE_LIMIT;

fn login_hint(st: &SessionStatus) -> String {
    let flag = match st.session.config.id {
        SessionId::Session(_) => "--sso-session",
        SessionId::Legacy(_) => "--profile",
    };
    format!("lanyard login {flag} {}", display_name(&st.session))
}

/// The state, registration and endpoint agreement of one session (no network).
pub(super) fn state_checks(
    ctx: &Context,
    view: &ConfigView<'_>,
    st: &SessionStatus,
    now: OffsetDateTime,
) -> Vec<Check> {
    let name = display_name(&st.session);
    let login = login_hint(st);
    let a = &st.assessment;
    let left = |end: Option<OffsetDateTime>| {
        end.map(|e| short_left(e - now))
            .unwrap_or_else(|| "?".into())
    };
    let estimate = if a.end_is_estimate { " (estimate)" } else { "" };
    let why = a.reason.as_deref().map(reason_words).unwrap_or_default();
    let mut out = vec![match a.state {
        State::SignedOut => Check::new(
            "session",
            Some(name.clone()),
            Status::Info,
            "not signed in".into(),
        )
        .fix(login.clone()),
        State::Expired if a.reason.is_some() => Check::new(
            "session",
            Some(name.clone()),
            Status::Fail,
            format!("needs sign-in: {why}"),
        )
        .fix(login.clone()),
        State::Expired => Check::new(
            "session",
            Some(name.clone()),
            Status::Fail,
            "expired: the token can no longer be used or refreshed".into(),
        )
        .fix(login.clone()),
        _ if a.needs_sign_in => Check::new(
            "session",
            Some(name.clone()),
            Status::Warn,
            format!(
                "needs sign-in: {why}; its access token is served for {} more",
                left(a.session_ends_at)
            ),
        )
        .fix(login.clone()),
        State::Valid => {
            let seen = if st.record.signed_in_elsewhere {
                " (signed in by another program)"
            } else {
                ""
            };
            let left = match a.session_ends_at {
                Some(_) => format!("{} left{estimate}", left(a.session_ends_at)),
                None => "its end is unknown".to_owned(),
            };
            Check::new(
                "session",
                Some(name.clone()),
                Status::Ok,
                format!("signed in{seen}; {left}"),
            )
        }
        State::Expiring => Check::new(
            "session",
            Some(name.clone()),
            Status::Warn,
            format!("ends soon: {} left{estimate}", left(a.session_ends_at)),
        )
        .fix(login.clone()),
    }];
    if let SessionId::Session(_) = st.session.config.id {
        let store = store_for(ctx, &st.session);
        match store.load_registration(&st.session.config.registration_key()) {
            Ok(Some(reg)) if reg.expires_at <= now => out.push(
                Check::new(
                    "registration",
                    Some(name.clone()),
                    if a.state == State::SignedOut {
                        Status::Info
                    } else {
                        Status::Fail
                    },
                    format!(
                        "the client registration expired at {}: the token cannot be refreshed",
                        crate::cache::timefmt::format_cli(reg.expires_at)
                    ),
                )
                .fix(format!("{login} (it registers again)")),
            ),
            Ok(Some(reg)) => out.push(Check::new(
                "registration",
                Some(name.clone()),
                Status::Ok,
                format!(
                    "client registered until {}",
                    crate::cache::timefmt::format_cli(reg.expires_at)
                ),
            )),
            Ok(None) => {}
            Err(e) => out.push(
                Check::new(
                    "registration",
                    Some(name.clone()),
                    Status::Warn,
                    e.to_string(),
                )
                .fix(format!("{login} (it registers again)")),
            ),
        }
    }
    let s = &st.session;
    if let Some(how) = Net::for_session(&ctx.env, view, &s.profiles, &s.config.region).disagreement
    {
        out.push(
            Check::new(
                "endpoint",
                Some(name),
                Status::Warn,
                format!(
                    "the profiles of this session disagree on its endpoints ({how}); its sign-in, refresh and listings use the environment's endpoints and the services' defaults"
                ),
            )
            .fix("give every profile of the session the same endpoint_url / services / ca_bundle, or set AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO"),
        );
    }
    out
}

/// Asks the service whether it still accepts a session that looks signed in: its client
/// registration (a refused one is dropped, so the next sign-in registers again) and its access
/// token at the portal (a rejected one marks the session as needing sign-in).
pub(super) async fn service_checks(
    ctx: &Context,
    view: &ConfigView<'_>,
    st: &SessionStatus,
) -> Vec<Check> {
    let a = &st.assessment;
    if a.needs_sign_in || matches!(a.state, State::SignedOut | State::Expired) {
        return Vec::new();
    }
    let name = display_name(&st.session);
    let login = login_hint(st);
    let net = session_net(ctx, view, &st.session);
    let mut out = Vec::new();
    match sign_in_service(ctx, &net, &st.session) {
        Ok(svc) => match svc.acceptance(&st.session.config).await {
            Ok(Acceptance::Refused) => return vec![
                Check::new(
                    "registration",
                    Some(name.clone()),
                    Status::Fail,
                    "Identity Center refuses the session's client registration (invalid_client): the service no longer knows it (revoked, or the instance was replaced); it was removed".into(),
                )
                .fix(format!("{login} (it registers again)"))],
            Ok(Acceptance::Known | Acceptance::NotChecked) => {}
            Err(e) => out.push(Check::new(
                "registration",
                Some(name.clone()),
                Status::Warn,
                format!("cannot ask the service about the client registration: {e}"),
            )),
        },
        Err(e) => out.push(Check::new("registration", Some(name.clone()), Status::Warn, e.to_string())),
    }
    if let Some(check) = token_check(ctx, &net, st, &name, &login).await {
        out.push(check);
    }
    out
}

/// One portal call with the session's access token (the first page of its accounts, one
/// entry): a 401 means the token was revoked or forgotten.
async fn token_check(
    ctx: &Context,
    net: &Net,
    st: &SessionStatus,
    name: &str,
    login: &str,
) -> Option<Check> {
    let store = store_for(ctx, &st.session);
    let token = store.load_token(&st.session.config.id).ok()??;
    if token.expires_at <= ctx.clock.now() {
        return None;
    }
    let limiter = Arc::new(TokenBucket::new(DEFAULT_PORTAL_RATE_LIMIT));
    let client = portal_client(
        net,
        &st.session.config.region,
        token.access_token.clone(),
        limiter,
    )
    .ok()?;
    match client.check_token().await {
        Err(e) if e.is_unauthorized() => {
            token_rejected(ctx, &st.session, store.as_ref());
            Some(
                Check::new(
                    "session",
                    Some(name.to_owned()),
                    Status::Fail,
                    "the AWS access portal rejects the session's token (HTTP 401): it was revoked or the service forgot it".into(),
                )
                .fix(login.to_owned()),
            )
        }
        Ok(()) => Some(Check::new(
            "session",
            Some(name.to_owned()),
            Status::Ok,
            "the AWS access portal accepts the session's token".into(),
        )),
        // Unreachable: the network checks say so already.
        Err(PortalError::Transport { .. }) => None,
        Err(e) => Some(Check::new(
            "session",
            Some(name.to_owned()),
            Status::Warn,
            format!("the AWS access portal answered a check of the token with an error: {e}"),
        )),
    }
}
