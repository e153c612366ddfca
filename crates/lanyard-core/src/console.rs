//! Console sign-in through the federation endpoint (PROTOCOL §7): exchange role credentials for
//! a sign-in token, then build the login URL that opens the console as that role. The URL is a
//! credential for 15 minutes: it is opened or printed, never logged.

use serde_json::json;

use crate::cache::role_credentials::RoleCredentials;
use crate::config::ConfigFile;
use crate::context::Context;
use crate::endpoints::Service;
use crate::net::Net;
use crate::oidc::pkce::quote_plus;
use crate::secret::Secret;
use crate::sessions::overview::{role_credentials, FetchError};

/// The console page to land on: `destination`, or the console home of `region`.
pub fn destination(destination: Option<&str>, region: Option<&str>) -> String {
    match (destination, region) {
        (Some(d), _) => d.to_owned(),
        (None, Some(r)) => format!("https://{r}.console.aws.amazon.com/console/home?region={r}"),
        (None, None) => "https://console.aws.amazon.com/".to_owned(),
    }
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
    let creds = role_credentials(ctx, profile).await?;
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
    let dest = destination(destination_url, region.as_deref());
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
mod tests {
    use super::*;

    #[test]
    fn destination_defaults_to_the_console_home_of_the_region() {
        assert_eq!(destination(None, None), "https://console.aws.amazon.com/");
        assert_eq!(
            destination(None, Some("eu-west-1")),
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(destination(Some("https://x/"), Some("r")), "https://x/");
    }
}
