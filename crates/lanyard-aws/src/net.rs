//! How Lanyard reaches AWS for the profile in force, as botocore does: each service's endpoint
//! ([`crate::endpoints`], PROTOCOL §5) and the HTTP client's CA bundle and proxies
//! ([`crate::http`]). Plain data: the config layer reads a profile's settings into it
//! ([`crate::config::net_settings`]: `Net::for_profile`, and `Net::for_session` for a session's
//! own calls — never an unrelated default profile, issue 20).

use crate::endpoints::{Endpoint, EndpointConfig, EndpointError, Service};
use crate::env::Env;
use crate::http::{HttpOptions, SetupError};

/// Why a call to AWS could not be prepared: its endpoint is refused, or the HTTP client cannot
/// be set up (the AWS side's own error; the layers above wrap it).
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The endpoint configuration is refused (botocore's wording).
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The HTTP client could not be set up.
    #[error(transparent)]
    Http(#[from] SetupError),
}

impl NetError {
    /// The stable code the window and `--json` scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            NetError::Endpoint(e) => e.code(),
            NetError::Http(e) => e.code(),
        }
    }
}

/// The endpoints and HTTP settings in force for one profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Net {
    endpoints: EndpointConfig,
    http: HttpOptions,
}

impl Net {
    /// The environment alone.
    pub fn from_env(env: &Env) -> Self {
        Net {
            endpoints: EndpointConfig::from_env(env),
            http: HttpOptions::from_env(env),
        }
    }

    /// The given settings.
    pub fn new(endpoints: EndpointConfig, http: HttpOptions) -> Self {
        Net { endpoints, http }
    }

    /// The endpoint of `service` for `region`, and where it came from.
    pub fn endpoint(&self, service: Service, region: &str) -> Result<Endpoint, EndpointError> {
        self.endpoints.resolve(service, region)
    }

    /// The base URL of `service` for `region`.
    pub fn url(&self, service: Service, region: &str) -> Result<String, EndpointError> {
        Ok(self.endpoint(service, region)?.url)
    }

    /// An HTTP client with the CA bundle and proxies in force.
    pub fn client(&self) -> Result<reqwest::Client, SetupError> {
        crate::http::client_with(&self.http)
    }

    /// The HTTP settings in force.
    pub fn http(&self) -> &HttpOptions {
        &self.http
    }

    /// The endpoint settings in force.
    pub fn endpoints(&self) -> &EndpointConfig {
        &self.endpoints
    }
}
