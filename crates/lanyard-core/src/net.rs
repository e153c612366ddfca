//! How Lanyard reaches AWS for the profile in force, as botocore does: each service's endpoint
//! ([`crate::endpoints`], PROTOCOL §5) and the HTTP client's CA bundle and proxies
//! ([`crate::http`]). Plain data: the config layer reads a profile's settings into it
//! ([`crate::config::net_settings`]: `Net::for_profile`, and `Net::for_session` for a session's
//! own calls — never an unrelated default profile, issue 20).

use crate::endpoints::{Endpoint, EndpointConfig, Service};
use crate::env::Env;
use crate::http::HttpOptions;

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
    pub fn endpoint(&self, service: Service, region: &str) -> crate::Result<Endpoint> {
        Ok(self.endpoints.resolve(service, region)?)
    }

    /// The base URL of `service` for `region`.
    pub fn url(&self, service: Service, region: &str) -> crate::Result<String> {
        Ok(self.endpoint(service, region)?.url)
    }

    /// An HTTP client with the CA bundle and proxies in force.
    pub fn client(&self) -> crate::Result<reqwest::Client> {
        Ok(crate::http::client_with(&self.http)?)
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
