//! Reading a profile's endpoint settings out of the config (issue 21: the endpoint rules in
//! [`crate::endpoints`] stay plain data below the config engine; this is where the config
//! hands them a profile's `ignore_configured_endpoint_urls`, `endpoint_url` and `[services]`
//! block, PROTOCOL §5).

use super::view::Value;
use super::{ConfigView, SectionView};
use crate::endpoints::EndpointConfig;
use crate::env::Env;

/// A profile's endpoint settings, read from the config. An extension of [`EndpointConfig`],
/// which is the AWS side's plain data.
pub trait EndpointSettings {
    /// The environment and profile `name` of `view` (a profile not in the file adds nothing).
    fn for_profile(env: &Env, view: &ConfigView, name: &str) -> Self;
}

impl EndpointSettings for EndpointConfig {
    fn for_profile(env: &Env, view: &ConfigView, name: &str) -> Self {
        let Some(profile) = view.profiles.get(name) else {
            return EndpointConfig::from_env(env);
        };
        let services = profile.get("services").map(|section| {
            let block = view.services.get(section).map(services_urls);
            (section.to_owned(), block)
        });
        EndpointConfig::with_profile(
            env,
            name,
            profile.get("ignore_configured_endpoint_urls"),
            profile.get("endpoint_url"),
            services,
        )
    }
}

/// A `[services]` block's `endpoint_url` per service id (nested blocks only, as botocore).
fn services_urls(block: &SectionView) -> Vec<(String, String)> {
    block
        .settings
        .iter()
        .filter_map(|(id, setting)| match setting.value {
            Value::Nested(n) => n
                .get("endpoint_url")
                .filter(|u| !u.is_empty())
                .map(|u| (id.to_owned(), u.to_owned())),
            Value::Str(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
