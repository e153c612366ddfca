//! How Lanyard reaches AWS for the profile in force, as botocore does: each service's endpoint
//! ([`crate::endpoints`], PROTOCOL §5) and the HTTP client's CA bundle and proxies
//! ([`crate::http`]). A session signed in by name (`--sso-session`, the tray) uses the profile in
//! force (`AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, else `default`), exactly as `aws sso login
//! --sso-session` builds its clients from the current profile.

use crate::config::{ConfigFile, ConfigView};
use crate::context::Context;
use crate::endpoints::{Endpoint, EndpointConfig, Service};
use crate::env::Env;
use crate::http::HttpOptions;
use crate::sessions::resolve::default_profile;

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

    /// The environment and profile `profile` of `view`, or the profile in force when `None`.
    pub fn for_profile(env: &Env, view: &ConfigView, profile: Option<&str>) -> Self {
        let name = profile.map_or_else(|| default_profile(env), str::to_owned);
        let ca_bundle = view.profiles.get(name.as_str()).map(|p| p.get("ca_bundle"));
        Net {
            endpoints: EndpointConfig::for_profile(env, view, &name),
            http: HttpOptions::new(env, ca_bundle.map(|c| (name.as_str(), c))),
        }
    }

    /// Reads the config for [`Net::for_profile`].
    pub fn load(ctx: &Context, profile: Option<&str>) -> crate::Result<Self> {
        let file = ConfigFile::load_config(&ctx.env)?;
        Ok(Net::for_profile(&ctx.env, &file.view()?, profile))
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
