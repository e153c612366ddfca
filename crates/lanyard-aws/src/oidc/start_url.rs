//! Start URL, issuer URL and vanity URL (PROTOCOL §8), as the AWS CLI resolves them since
//! 2.35.13: the start URL must be https; an AWS-owned host is used as it is (never fetched: an
//! issuer host has no DNS record); any other host is a vanity URL, asked once with `HEAD`
//! (`GET` on 405/501), no automatic redirects, at most one redirect taken from `Location`, and
//! the result — normalised — must be https on an AWS-owned host. The resolved URL is only what
//! RegisterClient's `issuerUrl` and StartDeviceAuthorization's `startUrl` carry; everywhere else
//! (cache keys, token file, messages) the configured URL is used.

/// Host suffixes owned by AWS.
const AWS_SUFFIXES: &[&str] = &[
    ".awsapps.com",
    ".awsapps.cn",
    ".app.aws",
    ".portal.amazonaws.com",
    ".portal.amazonaws.com.cn",
    ".app.amazonwebservices.com.cn",
    ".portal.amazonaws.eu",
    ".api.amazonwebservices.eu",
];

/// Issuer hosts, exact.
const ISSUER_HOSTS: &[&str] = &[
    "identitycenter.amazonaws.com",
    "identitycenter.amazonaws.com.cn",
    "identitycenter.amazonaws.eu",
    "identitycenter.us-gov.amazonaws.com",
];

/// Why a start URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StartUrlError {
    /// Not an https URL.
    #[error("sso_start_url must be an https URL, not {0}")]
    NotHttps(String),
    /// The vanity host could not be asked.
    #[error("cannot resolve the start URL {url}: {reason}")]
    Unreachable {
        /// The configured URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The vanity URL does not lead to Identity Center.
    #[error("the start URL {url} does not lead to an IAM Identity Center URL (it answered {answer}); use the AWS access portal URL (https://…awsapps.com/start) or the issuer URL instead")]
    NotIdentityCenter {
        /// The configured URL.
        url: String,
        /// What it answered.
        answer: String,
    },
}

/// A resolved start URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The URL to send as `issuerUrl` / `startUrl`.
    pub url: String,
    /// The region the host names, if it names one.
    pub region: Option<String>,
    /// Whether it came from a vanity URL.
    pub vanity: bool,
}

/// The scheme and host (lower-case, without port or user info) of a URL.
fn scheme_host(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        host_port.split(']').next()?.to_owned() + "]"
    } else {
        host_port.split(':').next()?.to_owned()
    };
    Some((scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// Whether a host belongs to AWS (PROTOCOL §8's list).
pub fn is_aws_owned(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    ISSUER_HOSTS.contains(&host.as_str()) || AWS_SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// The region named by `{id}.portal.{region}.app.aws` or `{id}.{region}.portal.amazonaws.com`.
pub fn region_of(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    match labels.as_slice() {
        [_, "portal", region, "app", "aws"] => Some((*region).to_owned()),
        [_, region, "portal", "amazonaws", "com", ..] => Some((*region).to_owned()),
        _ => None,
    }
}

/// Drops the query and fragment, a trailing `/` and a default port (`:443`).
pub fn normalise(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let url = match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let authority = authority
                .strip_suffix(":443")
                .filter(|_| scheme.eq_ignore_ascii_case("https"))
                .unwrap_or(authority);
            format!("{scheme}://{authority}{path}")
        }
        None => url.to_owned(),
    };
    url.trim_end_matches('/').to_owned()
}

/// Resolves a configured start URL (see the module documentation).
pub async fn resolve(http: &reqwest::Client, configured: &str) -> Result<Resolved, StartUrlError> {
    let Some((scheme, host)) = scheme_host(configured) else {
        return Err(StartUrlError::NotHttps(configured.to_owned()));
    };
    if scheme != "https" {
        return Err(StartUrlError::NotHttps(configured.to_owned()));
    }
    if is_aws_owned(&host) {
        return Ok(Resolved {
            url: configured.to_owned(),
            region: region_of(&host),
            vanity: false,
        });
    }
    let unreachable = |e: reqwest::Error| StartUrlError::Unreachable {
        url: configured.to_owned(),
        reason: crate::http::describe(&e.without_url()),
    };
    let mut resp = http.head(configured).send().await.map_err(unreachable)?;
    if matches!(resp.status().as_u16(), 405 | 501) {
        resp = http.get(configured).send().await.map_err(unreachable)?;
    }
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let not_idc = |answer: String| StartUrlError::NotIdentityCenter {
        url: configured.to_owned(),
        answer,
    };
    let target = match (status, location) {
        (301 | 302 | 303 | 307 | 308, Some(loc)) => resp
            .url()
            .join(&loc)
            .map(String::from)
            .map_err(|_| not_idc(format!("HTTP {status} to {loc}")))?,
        (status, _) => return Err(not_idc(format!("HTTP {status} without a redirect"))),
    };
    let url = normalise(&target);
    match scheme_host(&url) {
        Some((scheme, host)) if scheme == "https" && is_aws_owned(&host) => Ok(Resolved {
            region: region_of(&host),
            url,
            vanity: true,
        }),
        _ => Err(not_idc(format!("HTTP {status} to {url}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_owned_hosts_are_the_protocol_list_and_nothing_that_only_looks_like_it() {
        for host in [
            "d-1234567890.awsapps.com",
            "ssoins-1.portal.us-east-1.app.aws",
            "identitycenter.amazonaws.com",
            "start.us-gov-west-1.portal.amazonaws.com",
            "d-1.awsapps.cn",
        ] {
            assert!(is_aws_owned(host), "{host}");
        }
        for host in [
            "awsapps.com.evil.example",
            "sso.example.com",
            "evilawsapps.com",
            "identitycenter.amazonaws.com.evil",
            "127.0.0.1",
        ] {
            assert!(!is_aws_owned(host), "{host}");
        }
    }

    #[test]
    fn the_region_comes_from_hosts_that_name_one() {
        assert_eq!(
            region_of("ssoins-7.portal.eu-west-2.app.aws").as_deref(),
            Some("eu-west-2")
        );
        assert_eq!(
            region_of("d-1.us-gov-west-1.portal.amazonaws.com").as_deref(),
            Some("us-gov-west-1")
        );
        assert_eq!(region_of("d-1234567890.awsapps.com"), None);
    }

    #[test]
    fn normalising_drops_query_fragment_slash_and_default_port() {
        assert_eq!(
            normalise("https://d-1.awsapps.com:443/start/?x=1#frag"),
            "https://d-1.awsapps.com/start"
        );
        assert_eq!(
            normalise("https://d-1.awsapps.com:8443/start/"),
            "https://d-1.awsapps.com:8443/start"
        );
    }

    #[tokio::test]
    async fn aws_hosts_are_used_as_they_are_and_http_is_refused_without_a_request() {
        let http = reqwest::Client::new();
        let r = resolve(&http, "https://identitycenter.amazonaws.com/ssoins-1")
            .await
            .expect("aws-owned");
        assert_eq!(r.url, "https://identitycenter.amazonaws.com/ssoins-1");
        assert!(!r.vanity);
        assert_eq!(
            resolve(&http, "http://d-1.awsapps.com/start").await,
            Err(StartUrlError::NotHttps(
                "http://d-1.awsapps.com/start".into()
            ))
        );
    }
}
