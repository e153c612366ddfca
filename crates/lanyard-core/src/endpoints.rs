//! The environment's endpoint overrides, the one rule every AWS call Lanyard makes follows
//! (PROTOCOL §5): the service's own variable (`AWS_ENDPOINT_URL_SSO_OIDC`, `…_SSO`, `…_STS`,
//! `…_SIGNIN`), then `AWS_ENDPOINT_URL`, else the service's default host. (The config file's
//! `[services]` blocks and `endpoint_url` come with the endpoint-resolution work.)

use crate::env::Env;

/// The base URL for a service: its variable, then `AWS_ENDPOINT_URL`, else `default` — without
/// a trailing slash.
pub fn resolve(env: &Env, service_variable: &str, default: impl FnOnce() -> String) -> String {
    env.get_str(service_variable)
        .or_else(|| env.get_str("AWS_ENDPOINT_URL"))
        .map(|s| s.trim_end_matches('/').to_owned())
        .unwrap_or_else(default)
}
