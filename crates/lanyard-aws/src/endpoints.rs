//! Endpoint resolution, the one rule every AWS call Lanyard makes follows, exactly as botocore's
//! `ConfiguredEndpointProvider` (PROTOCOL §5): unless `ignore_configured_endpoint_urls` is true
//! (`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, else the profile's key), the service's own variable
//! (`AWS_ENDPOINT_URL_SSO_OIDC`, `…_SSO`, `…_STS`, `…_SIGNIN`), then `AWS_ENDPOINT_URL`, then the
//! `[services NAME]` block the profile names in `services` (sub-section `sso_oidc`, `sso`, …,
//! key `endpoint_url`), then the profile's `endpoint_url`; else the service's default host.
//! Each answer says where it came from, for `lanyard doctor`.

use std::fmt;

use crate::env::Env;

/// An AWS service Lanyard calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    /// IAM Identity Center OIDC (`sso-oidc`): registration, tokens.
    SsoOidc,
    /// The SSO portal (`sso`): accounts, roles, role credentials, logout.
    Sso,
    /// STS: `whoami`.
    Sts,
    /// The console federation endpoint (`signin`).
    Signin,
}

impl Service {
    /// Every service, in the order `doctor` lists them.
    pub const ALL: [Service; 4] = [
        Service::SsoOidc,
        Service::Sso,
        Service::Sts,
        Service::Signin,
    ];

    /// botocore's snake-case service id: the `[services]` sub-section name.
    pub fn id(self) -> &'static str {
        match self {
            Service::SsoOidc => "sso_oidc",
            Service::Sso => "sso",
            Service::Sts => "sts",
            Service::Signin => "signin",
        }
    }

    /// The service's own environment variable.
    pub fn variable(self) -> &'static str {
        match self {
            Service::SsoOidc => "AWS_ENDPOINT_URL_SSO_OIDC",
            Service::Sso => "AWS_ENDPOINT_URL_SSO",
            Service::Sts => "AWS_ENDPOINT_URL_STS",
            Service::Signin => "AWS_ENDPOINT_URL_SIGNIN",
        }
    }

    /// The AWS endpoint for a region (China regions on `amazonaws.com.cn`).
    pub fn default_url(self, region: &str) -> String {
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        match self {
            Service::SsoOidc => format!("https://oidc.{region}.{suffix}"),
            Service::Sso => format!("https://portal.sso.{region}.{suffix}"),
            Service::Sts => format!("https://sts.{region}.{suffix}"),
            Service::Signin => match region {
                r if r.starts_with("cn-") => "https://signin.amazonaws.cn".to_owned(),
                r if r.starts_with("us-gov-") => "https://signin.amazonaws-us-gov.com".to_owned(),
                _ => "https://signin.aws.amazon.com".to_owned(),
            },
        }
    }
}

/// Where an endpoint came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The service's own variable.
    ServiceVariable(&'static str),
    /// `AWS_ENDPOINT_URL`.
    GlobalVariable,
    /// `[services NAME]`, sub-section of the service, named by the profile's `services`.
    ServicesSection {
        /// The services section.
        section: String,
        /// The profile naming it.
        profile: String,
    },
    /// The profile's `endpoint_url`.
    ProfileEndpointUrl(String),
    /// AWS's own endpoint (none configured, or configured ones ignored).
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::ServiceVariable(v) => write!(f, "{v}"),
            Source::GlobalVariable => f.write_str("AWS_ENDPOINT_URL"),
            Source::ServicesSection { section, profile } => {
                write!(
                    f,
                    "[services {section}] (services = {section} in profile {profile})"
                )
            }
            Source::ProfileEndpointUrl(p) => write!(f, "endpoint_url of profile {p}"),
            Source::Default => f.write_str("AWS default"),
        }
    }
}

/// An endpoint and its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Scheme and host (and path prefix if configured), without a trailing slash.
    pub url: String,
    /// Where it came from.
    pub source: Source,
}

/// A configuration botocore refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The profile names a `[services]` section that is not there (botocore's wording).
    #[error("The profile is configured to use the services section but the \"{0}\" services configuration does not exist.")]
    NoSuchServices(String),
    /// A region botocore refuses (`InvalidRegionError`): never made into a host name.
    #[error("Provided region_name '{0}' doesn't match a supported format.")]
    InvalidRegion(String),
}

impl EndpointError {
    /// The stable code the window and `--json` scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            EndpointError::InvalidRegion(_) => "invalid_region",
            EndpointError::NoSuchServices(_) => "endpoint_config",
        }
    }
}

/// The endpoint settings in force for one profile: what the environment and that profile (and
/// the `[services]` block it names) configure. Plain data, resolved once per command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointConfig {
    env: Env,
    ignore: bool,
    profile: Option<String>,
    /// `services` of the profile, with its block's per-service `endpoint_url`s.
    services: Option<ServicesRef>,
    profile_url: Option<String>,
}

/// The `[services]` block a profile names: its name, and its `(service id, endpoint_url)`
/// pairs — `None` when the block is missing.
pub type ServicesRef = (String, Option<Vec<(String, String)>>);

/// botocore's `ensure_boolean`: only `true` (any case) is true.
fn ensure_boolean(raw: &str) -> bool {
    raw.eq_ignore_ascii_case("true")
}

impl EndpointConfig {
    /// The environment alone (no profile in the config).
    pub fn from_env(env: &Env) -> Self {
        EndpointConfig {
            env: env.clone(),
            ignore: env
                .get_str("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
                .is_some_and(ensure_boolean),
            ..Default::default()
        }
    }

    /// The environment and a profile's endpoint settings, read by the config layer
    /// ([`crate::config::endpoint_settings`]): its name, `ignore_configured_endpoint_urls`,
    /// `endpoint_url`, and the `[services]` block it names with that block's per-service URLs.
    pub fn with_profile(
        env: &Env,
        name: &str,
        ignore: Option<&str>,
        endpoint_url: Option<&str>,
        services: Option<ServicesRef>,
    ) -> Self {
        let mut c = EndpointConfig::from_env(env);
        c.profile = Some(name.to_owned());
        // The variable, when present at all, decides; else the profile's key.
        if env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_none() {
            c.ignore = ignore.is_some_and(ensure_boolean);
        }
        c.profile_url = endpoint_url.map(str::to_owned);
        c.services = services;
        c
    }

    /// Whether configured endpoints are ignored.
    pub fn ignored(&self) -> bool {
        self.ignore
    }

    /// The endpoint of `service` for `region`, by botocore's precedence. A region botocore
    /// refuses (`validate_region_name`, see [`is_botocore_region`]) is
    /// refused first, whatever endpoint is configured, as botocore refuses it for any client.
    pub fn resolve(&self, service: Service, region: &str) -> Result<Endpoint, EndpointError> {
        if !is_botocore_region(region) {
            return Err(EndpointError::InvalidRegion(region.to_owned()));
        }
        let found = |url: &str, source| Endpoint {
            url: url.trim_end_matches('/').to_owned(),
            source,
        };
        if !self.ignore {
            if let Some(url) = self.env.get_str(service.variable()) {
                return Ok(found(url, Source::ServiceVariable(service.variable())));
            }
            if let Some(url) = self.env.get_str("AWS_ENDPOINT_URL") {
                return Ok(found(url, Source::GlobalVariable));
            }
            if let Some((section, block)) = &self.services {
                let block = block
                    .as_ref()
                    .ok_or_else(|| EndpointError::NoSuchServices(section.clone()))?;
                if let Some((_, url)) = block.iter().find(|(id, _)| id == service.id()) {
                    return Ok(found(
                        url,
                        Source::ServicesSection {
                            section: section.clone(),
                            profile: self.profile.clone().unwrap_or_default(),
                        },
                    ));
                }
            }
            if let Some(url) = self.profile_url.as_deref().filter(|u| !u.is_empty()) {
                return Ok(found(
                    url,
                    Source::ProfileEndpointUrl(self.profile.clone().unwrap_or_default()),
                ));
            }
        }
        Ok(Endpoint {
            url: service.default_url(region),
            source: Source::Default,
        })
    }
}

/// botocore's `validate_region_name`: a host label (`^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$`)
/// — letters, digits and hyphens, at most 63, not all digits, no hyphen first or last. Empty is
/// refused too (botocore reads an empty value as no region at all).
pub fn is_botocore_region(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 63
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !v.starts_with('-')
        && !v.ends_with('-')
        && !v.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 20: a region botocore refuses never becomes part of a host name.
    #[test]
    fn a_region_botocore_refuses_is_refused_before_it_forms_a_host() {
        let c = EndpointConfig::from_env(&Env::default());
        for bad in ["US East", "us-east-1.evil.example", "", "-x", "123", "a/b"] {
            for service in Service::ALL {
                let err = c.resolve(service, bad).expect_err(bad);
                assert_eq!(
                    err.to_string(),
                    format!("Provided region_name '{bad}' doesn't match a supported format.")
                );
            }
        }
        let env = Env::from_pairs([("AWS_ENDPOINT_URL", "http://127.0.0.1:9")]);
        let err = EndpointConfig::from_env(&env)
            .resolve(Service::SsoOidc, "US East")
            .expect_err("refused with an endpoint configured too");
        assert_eq!(err, EndpointError::InvalidRegion("US East".into()));
        assert!(c.resolve(Service::SsoOidc, "eu-west-1").is_ok());
    }

    #[test]
    fn default_hosts_follow_the_partition() {
        assert_eq!(
            Service::SsoOidc.default_url("cn-north-1"),
            "https://oidc.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            Service::Sso.default_url("eu-central-1"),
            "https://portal.sso.eu-central-1.amazonaws.com"
        );
        assert_eq!(
            Service::Signin.default_url("us-gov-west-1"),
            "https://signin.amazonaws-us-gov.com"
        );
        assert_eq!(
            Service::Signin.default_url("eu-west-1"),
            "https://signin.aws.amazon.com"
        );
    }
}
