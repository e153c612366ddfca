//! `whoami`: who a profile's credentials belong to — its role credentials (never a sign-in), then
//! STS GetCallerIdentity at the profile's STS endpoint. A feature over the overview's credentials
//! and the AWS side's [`crate::sts`].

use crate::config::ConfigFile;
use crate::config::NetSettings as _;
use crate::context::Context;
use crate::endpoints::Service;
use crate::net::Net;
use crate::overview::{role_credentials, FetchError};
use crate::sts::{get_caller_identity, Identity, StsError};

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

crate::core_from_layers!(WhoamiError);

impl WhoamiError {
    /// The stable code of the failure (what `lanyard whoami --json` and the window report).
    pub fn code(&self) -> &'static str {
        match self {
            WhoamiError::Credentials(FetchError::Resolve(e)) => e.code(),
            WhoamiError::Credentials(FetchError::Session(e)) => e.code(),
            WhoamiError::Credentials(FetchError::Portal(e)) => e.code(),
            WhoamiError::Credentials(FetchError::Core(e)) | WhoamiError::Core(e) => e.code(),
            WhoamiError::Sts(e) => e.code(),
        }
    }
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
mod tests {
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
