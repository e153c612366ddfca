//! The HTTP side: one router for every endpoint on one port, a response middleware (the `Date`
//! header from the emulator's clock, request ids, response counters), and the accept loop for
//! plain HTTP or TLS.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::clock::http_date;
use crate::errors::ApiError;
use crate::form::parse_form;
use crate::state::Shared;
use crate::{admin, federation, ids, oidc, pages, portal, sts};

/// Every route, with the shared state.
pub(crate) fn router(sh: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(root_get).post(sts::root_post))
        .route("/client/register", post(oidc::register_client))
        .route(
            "/device_authorization",
            post(oidc::start_device_authorization),
        )
        .route("/token", post(oidc::create_token))
        .route(
            "/authorize",
            get(pages::authorize).post(pages::authorize_decision),
        )
        .route(
            "/device",
            get(pages::device_page).post(pages::device_decision),
        )
        .route("/federation/credentials", get(portal::get_role_credentials))
        .route("/assignment/accounts", get(portal::list_accounts))
        .route("/assignment/roles", get(portal::list_account_roles))
        .route("/logout", post(portal::logout))
        .route("/federation", get(federation::federation))
        .route("/_emulator/state", get(admin::state))
        .route("/_emulator/vanity", get(admin::vanity).head(admin::vanity))
        .route("/_emulator/approve", post(admin::approve))
        .route("/_emulator/expire", post(admin::expire))
        .route("/_emulator/assignments", post(admin::assignments))
        .route("/_emulator/faults", post(admin::faults))
        .route("/_emulator/reset", post(admin::reset))
        .route("/_emulator/forget", post(admin::forget))
        .route("/_emulator/advance", post(admin::advance))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(sh.clone(), decorate))
        .with_state(sh)
}

/// `GET /`: STS when the query names an `Action`, else the index page.
async fn root_get(
    State(sh): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let q = q.unwrap_or_default();
    if !parse_form(q.as_bytes()).contains_key("Action") {
        return pages::index(&sh);
    }
    sts::root_get(&sh, &method, &uri, &headers, &q).await
}

async fn not_found() -> ApiError {
    ApiError::portal(404, "UnknownOperationException", "Not Found")
}

/// Adds `Date` (from the emulator's possibly skewed clock) and `x-amzn-RequestId`, and counts
/// responses by status for everything outside `/_emulator/`.
async fn decorate(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let admin = req.uri().path().starts_with("/_emulator/");
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut resp = next.run(req).await;
    let status = resp.status();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&http_date(sh.clock.now_secs())) {
        h.insert(header::DATE, v);
    }
    if !h.contains_key("x-amzn-RequestId") {
        if let Ok(v) = HeaderValue::from_str(&ids::request_id()) {
            h.insert("x-amzn-RequestId", v);
        }
    }
    if !admin {
        *sh.lock()
            .stats
            .responses
            .entry(status.as_u16())
            .or_insert(0) += 1;
    }
    tracing::debug!(%method, %path, status = status.as_u16(), "request");
    resp
}

/// Serves connections from `listener` until the task is dropped.
pub(crate) async fn accept_loop(listener: TcpListener, app: Router, tls: Option<TlsAcceptor>) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                // Typically EMFILE under load: back off briefly instead of spinning.
                tracing::warn!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let svc = TowerToHyperService::new(app);
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new());
            let result = match tls {
                Some(acceptor) => match acceptor.accept(stream).await {
                    Ok(s) => builder.serve_connection(TokioIo::new(s), svc).await,
                    Err(e) => {
                        tracing::debug!("TLS handshake failed: {e}");
                        return;
                    }
                },
                None => builder.serve_connection(TokioIo::new(stream), svc).await,
            };
            if let Err(e) = result {
                tracing::debug!("connection ended: {e}");
            }
        });
    }
}
