//! STS GetCallerIdentity (AWS query protocol, SigV4-signed): who a profile's credentials
//! belong to — `lanyard whoami` and the window's Test button, the seed's
//! `aws sts get-caller-identity --profile P` — with the profile's cached or freshly fetched role
//! credentials (never a sign-in).

use time::OffsetDateTime;

use crate::cache::role_credentials::RoleCredentials;
use crate::config::ConfigFile;
use crate::context::Context;
use crate::endpoints::Service;
use crate::net::Net;
use crate::sessions::overview::{role_credentials, FetchError};
use crate::sigv4::{self, Keys, Request};

/// The answer of GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Identity {
    /// The unique id of the calling entity.
    pub user_id: String,
    /// The account.
    pub account: String,
    /// The ARN.
    pub arn: String,
}

/// Why GetCallerIdentity failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StsError {
    /// STS answered with an error.
    #[error("GetCallerIdentity failed: {code}: {message}")]
    Service {
        /// e.g. `SignatureDoesNotMatch`, `ExpiredToken`.
        code: String,
        /// STS's message.
        message: String,
    },
    /// STS could not be reached.
    #[error("cannot reach STS at {endpoint}: {}", crate::http::describe(source))]
    Transport {
        /// The endpoint.
        endpoint: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The answer was not the expected XML.
    #[error("unexpected answer from STS at {0}")]
    Unexpected(String),
}

fn xml_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(xml[start..end].trim())
}

/// Calls GetCallerIdentity with `creds`.
pub async fn get_caller_identity(
    http: &reqwest::Client,
    endpoint: &str,
    region: &str,
    creds: &RoleCredentials,
    now: OffsetDateTime,
) -> Result<Identity, StsError> {
    let url = reqwest::Url::parse(&format!("{endpoint}/"))
        .map_err(|_| StsError::Unexpected(endpoint.to_owned()))?;
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => return Err(StsError::Unexpected(endpoint.to_owned())),
    };
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let signed = sigv4::sign(
        &Request {
            method: "POST",
            host: &host,
            path: "/",
            query: "",
            headers: &[("content-type", content_type)],
            payload: body.as_bytes(),
            region,
            service: "sts",
        },
        Keys {
            access_key_id: &creds.access_key_id,
            secret_access_key: creds.secret_access_key.expose(),
            session_token: Some(creds.session_token.expose()),
        },
        now,
    );
    let mut req = http
        .post(url)
        .header("content-type", content_type)
        .body(body);
    for (k, v) in signed {
        req = req.header(k, v);
    }
    let resp = req.send().await.map_err(|source| StsError::Transport {
        endpoint: endpoint.to_owned(),
        source: source.without_url(),
    })?;
    let ok = resp.status().is_success();
    let text = resp.text().await.map_err(|source| StsError::Transport {
        endpoint: endpoint.to_owned(),
        source: source.without_url(),
    })?;
    if !ok {
        return Err(StsError::Service {
            code: xml_text(&text, "Code").unwrap_or("Unknown").to_owned(),
            message: xml_text(&text, "Message").unwrap_or("").to_owned(),
        });
    }
    let field = |tag| {
        xml_text(&text, tag)
            .map(str::to_owned)
            .ok_or_else(|| StsError::Unexpected(endpoint.to_owned()))
    };
    Ok(Identity {
        user_id: field("UserId")?,
        account: field("Account")?,
        arn: field("Arn")?,
    })
}

/// Why `whoami` failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WhoamiError {
    /// The profile's role credentials could not be had (not an SSO profile, signed out, the
    /// session ended, the portal refused): nothing was signed in.
    #[error(transparent)]
    Credentials(#[from] FetchError),
    /// STS refused or could not be reached.
    #[error(transparent)]
    Sts(#[from] StsError),
    /// The config, the endpoints, the HTTP client.
    #[error(transparent)]
    Core(#[from] crate::Error),
}

/// The region a profile's calls go to: its `region`, then `AWS_REGION`, `AWS_DEFAULT_REGION`,
/// then us-east-1.
fn region_in(view: &crate::config::ConfigView, env: &crate::env::Env, profile: &str) -> String {
    view.profiles
        .get(profile)
        .and_then(|p| p.get("region"))
        .or_else(|| env.get_str("AWS_REGION"))
        .or_else(|| env.get_str("AWS_DEFAULT_REGION"))
        .unwrap_or("us-east-1")
        .to_owned()
}

/// Who `profile`'s credentials belong to: its role credentials (cached while fresh, else
/// fetched with a valid token; never a sign-in), then GetCallerIdentity in the profile's
/// region at its STS endpoint.
pub async fn whoami(ctx: &Context, profile: &str) -> Result<Identity, WhoamiError> {
    let creds = role_credentials(ctx, profile).await?;
    let (region, net) = {
        let file = ConfigFile::load_config(&ctx.env)?;
        let view = file.view()?;
        (
            region_in(&view, &ctx.env, profile),
            Net::for_profile(&ctx.env, &view, Some(profile)),
        )
    };
    Ok(get_caller_identity(
        &net.client()?,
        &net.url(Service::Sts, &region)?,
        &region,
        &creds,
        ctx.clock.now(),
    )
    .await?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod whoami_tests {
    use super::*;
    use crate::env::Env;

    #[tokio::test]
    async fn whoami_never_signs_in_a_signed_out_profile_fails_with_its_code() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        std::fs::write(
            home.path().join(".aws/config"),
            "[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\n\
             [sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n\
             [profile plain]\nregion = eu-west-1\n",
        )
        .unwrap();
        // A browser that would leave a trace if anything tried to sign in.
        let opened = home.path().join("opened");
        let browser = format!("touch {}", opened.display());
        let ctx = Context::from_env(Env::from_pairs([
            ("HOME", home.path().as_os_str()),
            ("BROWSER", std::ffi::OsStr::new(&browser)),
        ]))
        .unwrap();
        let e = whoami(&ctx, "dev").await.unwrap_err();
        assert!(
            matches!(&e, WhoamiError::Credentials(FetchError::Session(s)) if s.code() == "not_signed_in"),
            "{e}"
        );
        assert!(!opened.exists(), "no browser was opened");
        let e = whoami(&ctx, "plain").await.unwrap_err();
        assert!(
            matches!(&e, WhoamiError::Credentials(FetchError::Resolve(r)) if r.code() == "not_sso"),
            "{e}"
        );
        let file = ConfigFile::load_config(&ctx.env).unwrap();
        let view = file.view().unwrap();
        assert_eq!(region_in(&view, &ctx.env, "plain"), "eu-west-1");
        assert_eq!(region_in(&view, &ctx.env, "dev"), "us-east-1");
    }
}
