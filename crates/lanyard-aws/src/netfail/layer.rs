//! The connector layer of [`crate::http::client_with`]: it bounds the connection time and
//! wraps every connection failure with the trust and proxies the client was built with
//! ([`NetContext`]), which [`super::NetFailure::from_reqwest`] finds in the error chain.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::Proxies;
use super::{bypassed, redact, CONNECT_TIMEOUT};

/// What a client was built with, carried by its connection failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NetContext {
    /// [`crate::http::trust_description`] of the client's options.
    pub(crate) trust: String,
    /// Its proxies.
    pub(crate) proxies: Proxies,
}

impl NetContext {
    /// The proxy (redacted) a request to `scheme://host` goes through, if any.
    pub(crate) fn proxy_for(&self, scheme: &str, host: &str) -> Option<String> {
        let url = match scheme {
            "https" => self.proxies.https.as_deref(),
            "http" => self.proxies.http.as_deref(),
            _ => None,
        }?;
        (!bypassed(self.proxies.no_proxy.as_deref(), host)).then(|| redact(url))
    }
}

type BoxError = Box<dyn StdError + Send + Sync>;

/// A connection failure with the context of the client it happened in.
#[derive(Debug)]
pub(crate) struct Tagged {
    pub(super) ctx: Arc<NetContext>,
    source: BoxError,
}

impl fmt::Display for Tagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl StdError for Tagged {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// The connector layer of [`crate::http::client_with`]: bounds the connection time and tags
/// every connection failure with the client's [`NetContext`].
#[derive(Debug, Clone)]
pub(crate) struct TagLayer {
    ctx: Arc<NetContext>,
}

impl TagLayer {
    pub(crate) fn new(ctx: NetContext) -> Self {
        TagLayer { ctx: Arc::new(ctx) }
    }
}

impl<S> tower_layer::Layer<S> for TagLayer {
    type Service = Tagging<S>;

    fn layer(&self, inner: S) -> Tagging<S> {
        Tagging {
            inner,
            ctx: self.ctx.clone(),
        }
    }
}

/// The service [`TagLayer`] makes.
#[derive(Debug, Clone)]
pub(crate) struct Tagging<S> {
    inner: S,
    ctx: Arc<NetContext>,
}

fn tag(ctx: &Arc<NetContext>, source: BoxError) -> BoxError {
    Box::new(Tagged {
        ctx: ctx.clone(),
        source,
    })
}

impl<S, R> tower_service::Service<R> for Tagging<S>
where
    S: tower_service::Service<R, Error = BoxError>,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(|e| tag(&self.ctx, e))
    }

    fn call(&mut self, req: R) -> Self::Future {
        let connecting = self.inner.call(req);
        let ctx = self.ctx.clone();
        Box::pin(async move {
            match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
                Ok(Ok(conn)) => Ok(conn),
                Ok(Err(e)) => Err(tag(&ctx, e)),
                Err(_) => Err(tag(
                    &ctx,
                    Box::new(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!("no connection within {} s", CONNECT_TIMEOUT.as_secs()),
                    )),
                )),
            }
        })
    }
}
