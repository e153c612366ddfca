//! Console sign-in through the federation endpoint (PROTOCOL §7): exchange role credentials for
//! a sign-in token, then build the login URL that opens the console as that role. The URL is a
//! credential for 15 minutes: it is opened or printed, never logged.

use serde_json::json;

use crate::cache::role_credentials::RoleCredentials;
use crate::config::ConfigFile;
use crate::config::NetSettings as _;
use crate::context::Context;
use crate::endpoints::Service;
use crate::net::Net;
use crate::oidc::pkce::quote_plus;
use crate::overview::{role_credentials, FetchError};
use crate::secret::Secret;

/// The AWS console's hosts, one per partition (aws, aws-cn, aws-us-gov): a destination must be
/// one of them or a sub-domain (`eu-west-1.console.aws.amazon.com`).
pub const CONSOLE_HOSTS: [&str; 3] = [
    "console.aws.amazon.com",
    "console.amazonaws.cn",
    "console.amazonaws-us-gov.com",
];

/// The console host of `region`'s partition (the global one without a region).
fn console_host(region: Option<&str>) -> String {
    match region {
        None => CONSOLE_HOSTS[0].to_owned(),
        Some(r) if r.starts_with("cn-") => format!("{r}.{}", CONSOLE_HOSTS[1]),
        Some(r) if r.starts_with("us-gov-") => format!("{r}.{}", CONSOLE_HOSTS[2]),
        Some(r) => format!("{r}.{}", CONSOLE_HOSTS[0]),
    }
}

/// Whether `url` is an `https://` page of an AWS console host ([`CONSOLE_HOSTS`]), with no user
/// name, password or port; `Err` says why not.
fn console_page(url: &str) -> Result<(), &'static str> {
    let parsed = url::Url::parse(url).map_err(|_| {
        "it is neither an https:// URL of the AWS console nor a path starting with /"
    })?;
    if parsed.scheme() != "https" {
        return Err("it is not an https:// URL");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() || parsed.port().is_some() {
        return Err("it carries a user name, password or port");
    }
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    let ok = CONSOLE_HOSTS
        .iter()
        .any(|h| host == *h || host.strip_suffix(h).is_some_and(|s| s.ends_with('.')));
    if ok {
        Ok(())
    } else {
        Err(
            "its host is not an AWS console host (console.aws.amazon.com, \
             console.amazonaws.cn, console.amazonaws-us-gov.com or a sub-domain of one)",
        )
    }
}

/// The console page to land on: `destination`, or the console home of `region`. The region
/// must be one botocore accepts. A destination must be an `https://` URL on an AWS console
/// host (see [`CONSOLE_HOSTS`]: any region's, any partition's), or a path starting with `/`
/// (`/s3/home`), which lands on that path of `region`'s console host — anything else (another
/// site, `http://`, `javascript:`) is refused, since the federation endpoint would send a
/// signed-in browser there.
pub fn destination(
    destination: Option<&str>,
    region: Option<&str>,
) -> Result<String, crate::config::values::ValueError> {
    if let Some(r) = region {
        crate::config::values::check_region("region", r)?;
    }
    let refuse = |reason| crate::config::values::ValueError::Destination {
        value: destination.unwrap_or_default().to_owned(),
        reason,
    };
    let Some(d) = destination else {
        return Ok(match region {
            Some(r) => format!("https://{}/console/home?region={r}", console_host(Some(r))),
            None => format!("https://{}/", console_host(None)),
        });
    };
    if d.contains(|c: char| c.is_whitespace() || c.is_control() || c == '\\') {
        return Err(refuse(
            "a URL has no spaces, control characters or backslashes",
        ));
    }
    let url = if d.starts_with('/') {
        if d.starts_with("//") {
            return Err(refuse("a path must start with a single /"));
        }
        format!("https://{}{d}", console_host(region))
    } else {
        d.to_owned()
    };
    console_page(&url).map_err(refuse)?;
    Ok(url)
}

/// Why the console URL could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConsoleError {
    /// The federation endpoint refused the credentials.
    #[error("the console sign-in endpoint refused the credentials (HTTP {0})")]
    Refused(u16),
    /// It could not be reached.
    #[error(
        "cannot reach the console sign-in endpoint at {endpoint}: {}",
        crate::http::describe(source)
    )]
    Transport {
        /// The endpoint.
        endpoint: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
}

/// Why a profile's console URL could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileConsoleError {
    /// The profile's role credentials could not be had (nothing was signed in).
    #[error(transparent)]
    Credentials(#[from] FetchError),
    /// The federation endpoint refused or could not be reached.
    #[error(transparent)]
    Console(#[from] ConsoleError),
    /// The config, the endpoints, the HTTP client.
    #[error(transparent)]
    Core(#[from] crate::Error),
}

crate::core_from_layers!(ProfileConsoleError);

/// The console login URL for `profile` (`lanyard console`, the tray's Open console): its role
/// credentials (cached, or fetched with a valid token; never a sign-in), exchanged at the sign-in
/// endpoint of `region` or else the profile's region (us-east-1 without one), landing on
/// `destination` or that region's console home.
pub async fn url_for_profile(
    ctx: &Context,
    profile: &str,
    region: Option<&str>,
    destination_url: Option<&str>,
) -> Result<Secret, ProfileConsoleError> {
    let (net, region) = {
        let file = ConfigFile::load_config(&ctx.env)?;
        let view = file.view()?;
        let region = region.map(str::to_owned).or_else(|| {
            view.profiles
                .get(profile)
                .and_then(|p| p.get("region"))
                .map(str::to_owned)
        });
        (Net::for_profile(&ctx.env, &view, Some(profile)), region)
    };
    // A region or destination that cannot be used is refused before any credential is had.
    let dest = destination(destination_url, region.as_deref()).map_err(crate::Error::from)?;
    let creds = role_credentials(ctx, profile).await?;
    Ok(login_url(
        &net.client()?,
        &net.url(Service::Signin, region.as_deref().unwrap_or("us-east-1"))?,
        &creds,
        &dest,
    )
    .await?)
}

/// The login URL for `creds` landing on `destination`.
pub async fn login_url(
    http: &reqwest::Client,
    endpoint: &str,
    creds: &RoleCredentials,
    destination: &str,
) -> Result<Secret, ConsoleError> {
    let session = json!({
        "sessionId": creds.access_key_id,
        "sessionKey": creds.secret_access_key.expose(),
        "sessionToken": creds.session_token.expose(),
    })
    .to_string();
    let federation = format!("{endpoint}/federation");
    let resp = http
        .get(&federation)
        .query(&[("Action", "getSigninToken"), ("Session", session.as_str())])
        .send()
        .await
        .map_err(|source| ConsoleError::Transport {
            endpoint: endpoint.to_owned(),
            source: source.without_url(),
        })?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(ConsoleError::Refused(status));
    }
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(rename = "SigninToken")]
        signin_token: Secret,
    }
    let body: Body = resp
        .json()
        .await
        .map_err(|source| ConsoleError::Transport {
            endpoint: endpoint.to_owned(),
            source: source.without_url(),
        })?;
    Ok(Secret::new(format!(
        "{federation}?Action=login&Issuer=Lanyard&Destination={}&SigninToken={}",
        quote_plus(destination),
        quote_plus(body.signin_token.expose())
    )))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn destination_defaults_to_the_console_home_of_the_region() {
        assert_eq!(
            destination(None, None).unwrap(),
            "https://console.aws.amazon.com/"
        );
        assert_eq!(
            destination(None, Some("eu-west-1")).unwrap(),
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(
            destination(None, Some("cn-north-1")).unwrap(),
            "https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1"
        );
        assert_eq!(
            destination(None, Some("us-gov-west-1")).unwrap(),
            "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"
        );
    }

    /// Issue 20: only AWS console pages (or a path on the region's console) are destinations;
    /// a region botocore refuses is refused, naming it.
    #[test]
    fn destinations_are_console_pages_or_paths_and_regions_are_checked() {
        for (given, region, want) in [
            (
                "https://console.aws.amazon.com/s3/home",
                None,
                "https://console.aws.amazon.com/s3/home",
            ),
            (
                "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:",
                Some("us-east-1"),
                "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:",
            ),
            (
                "https://console.amazonaws.cn/",
                None,
                "https://console.amazonaws.cn/",
            ),
            (
                "https://us-gov-west-1.console.amazonaws-us-gov.com/iam/home",
                None,
                "https://us-gov-west-1.console.amazonaws-us-gov.com/iam/home",
            ),
            (
                "/s3/buckets?region=eu-west-1",
                Some("eu-west-1"),
                "https://eu-west-1.console.aws.amazon.com/s3/buckets?region=eu-west-1",
            ),
            (
                "/cloudwatch/home",
                None,
                "https://console.aws.amazon.com/cloudwatch/home",
            ),
        ] {
            assert_eq!(destination(Some(given), region).unwrap(), want, "{given}");
        }
        for bad in [
            "https://evil.example/",
            "https://console.aws.amazon.com.evil.example/",
            "https://evilconsole.aws.amazon.com/",
            "http://console.aws.amazon.com/",
            "https://user@console.aws.amazon.com/",
            "https://console.aws.amazon.com:8443/",
            "javascript:alert(1)",
            "//evil.example/",
            "s3/home",
            "",
            "/s3 home",
            "/\\evil.example",
        ] {
            let e = destination(Some(bad), None).expect_err(bad);
            assert_eq!(e.code(), "invalid_destination", "{bad}");
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
        let e = destination(None, Some("US East")).expect_err("region");
        assert_eq!(e.code(), "invalid_region");
        assert!(e.to_string().contains("\"US East\""), "{e}");
        let e = destination(Some("/s3/home"), Some("us-east-1.evil.example")).expect_err("host");
        assert_eq!(e.code(), "invalid_region");
    }
}
