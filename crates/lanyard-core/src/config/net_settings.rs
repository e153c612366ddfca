//! Reading the network settings of a profile, or of a session's profiles, out of the config
//! (issue 21: [`crate::net::Net`] stays plain data below the config engine). A session's own
//! calls (sign-in, refresh, sign-out, listings) use [`Net::for_session`]: the environment and
//! the profiles that use that session — never an unrelated default profile, whose
//! `endpoint_url` may point at LocalStack (issue 20).

use super::endpoint_settings::EndpointSettings;
use super::{ConfigFile, ConfigView};
use crate::context::Context;
use crate::endpoints::{EndpointConfig, Service};
use crate::env::{profile_in_force, Env};
use crate::http::HttpOptions;
use crate::net::Net;

/// A profile's (or a session's profiles') network settings, read from the config: how Lanyard
/// reaches AWS for them. An extension of [`Net`], which is the AWS side's plain data.
pub trait NetSettings: Sized {
    /// The environment and profile `profile` of `view`, or the profile in force when `None`.
    fn for_profile(env: &Env, view: &ConfigView, profile: Option<&str>) -> Self;

    /// The endpoints and HTTP settings for a session's own calls: the environment's and those
    /// of `profiles` (the profiles that use the session), resolved for the session's `region`.
    /// When those profiles agree on the sign-in and portal endpoints and the CA bundle, theirs;
    /// when none uses the session, the environment's; when they disagree, the environment's
    /// (with the services' defaults) and [`SessionNet::disagreement`] says how.
    fn for_session(env: &Env, view: &ConfigView, profiles: &[String], region: &str) -> SessionNet;

    /// Reads the config for [`NetSettings::for_profile`].
    fn load(ctx: &Context, profile: Option<&str>) -> crate::config::error::Result<Self>;
}

impl NetSettings for Net {
    /// The environment and profile `profile` of `view`, or the profile in force when `None`.
    fn for_profile(env: &Env, view: &ConfigView, profile: Option<&str>) -> Self {
        let name = profile.map_or_else(|| profile_in_force(env), str::to_owned);
        let ca_bundle = view.profiles.get(name.as_str()).map(|p| p.get("ca_bundle"));
        Net::new(
            EndpointConfig::for_profile(env, view, &name),
            HttpOptions::new(env, ca_bundle.map(|c| (name.as_str(), c))),
        )
    }

    /// The endpoints and HTTP settings for a session's own calls: the environment's and those
    /// of `profiles` (the profiles that use the session), resolved for the session's `region`.
    /// When those profiles agree on the sign-in and portal endpoints and the CA bundle, theirs;
    /// when none uses the session, the environment's; when they disagree, the environment's
    /// (with the services' defaults) and [`SessionNet::disagreement`] says how.
    fn for_session(env: &Env, view: &ConfigView, profiles: &[String], region: &str) -> SessionNet {
        let seen: Vec<(&String, Net, String)> = profiles
            .iter()
            .map(|p| {
                let net = Net::for_profile(env, view, Some(p));
                let key = describe_for(&net, region);
                (p, net, key)
            })
            .collect();
        let Some((_, first, first_key)) = seen.first() else {
            return SessionNet {
                net: Net::from_env(env),
                disagreement: None,
            };
        };
        if seen.iter().all(|(_, _, k)| k == first_key) {
            return SessionNet {
                net: first.clone(),
                disagreement: None,
            };
        }
        let lines = seen
            .iter()
            .map(|(p, _, k)| format!("{p}: {k}"))
            .collect::<Vec<_>>()
            .join("; ");
        SessionNet {
            net: Net::from_env(env),
            disagreement: Some(lines),
        }
    }

    /// Reads the config for [`Net::for_profile`].
    fn load(ctx: &Context, profile: Option<&str>) -> crate::config::error::Result<Self> {
        let file = ConfigFile::load_config(&ctx.env)?;
        Ok(Net::for_profile(&ctx.env, &file.view()?, profile))
    }
}

/// The sign-in and portal endpoints and the CA bundle in force for `region`, in words (what
/// profiles of one session must agree on).
fn describe_for(net: &Net, region: &str) -> String {
    let url = |s| match net.endpoint(s, region) {
        Ok(e) => e.url,
        Err(e) => format!("({e})"),
    };
    let ca = match &net.http().ca_bundle {
        Some((path, _)) => path.display().to_string(),
        None => "no CA bundle".to_owned(),
    };
    format!(
        "sign-in {}, portal {}, {ca}",
        url(Service::SsoOidc),
        url(Service::Sso)
    )
}

/// [`Net::for_session`]'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionNet {
    /// The settings to use.
    pub net: Net,
    /// When the session's profiles disagree: each profile's endpoints, in words.
    pub disagreement: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_config_edit::Document;

    fn view(text: &str) -> ConfigView<'static> {
        let doc: &'static Document = Box::leak(Box::new(Document::parse(text)));
        crate::config::view::read(doc).expect("valid config")
    }

    const SESSION: &str = "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n";

    #[test]
    fn a_sessions_calls_never_use_an_unrelated_default_profiles_endpoint_issue_20() {
        let v = view(&format!(
            "[default]\nendpoint_url = http://127.0.0.1:4566\n{SESSION}[profile dev]\nsso_session = corp\n"
        ));
        let env = Env::from_pairs::<&str, &str>([]);
        let s = Net::for_session(&env, &v, &["dev".to_owned()], "us-east-1");
        let url = s.net.url(Service::SsoOidc, "us-east-1").expect("url");
        assert_eq!(url, "https://oidc.us-east-1.amazonaws.com");
        assert_eq!(s.disagreement, None);
        // No profile uses it: the environment only.
        let s = Net::for_session(&env, &v, &[], "us-east-1");
        assert_eq!(
            s.net.url(Service::Sso, "us-east-1").expect("url"),
            "https://portal.sso.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn profiles_of_one_session_that_disagree_fall_back_to_the_environment_and_say_so() {
        let v = view(&format!(
            "{SESSION}[profile a]\nsso_session = corp\nendpoint_url = http://127.0.0.1:1\n[profile b]\nsso_session = corp\nendpoint_url = http://127.0.0.1:1\n[profile c]\nsso_session = corp\n"
        ));
        let env = Env::from_pairs::<&str, &str>([]);
        let agree = Net::for_session(&env, &v, &["a".into(), "b".into()], "us-east-1");
        assert_eq!(agree.disagreement, None);
        assert_eq!(
            agree.net.url(Service::SsoOidc, "us-east-1").expect("url"),
            "http://127.0.0.1:1"
        );
        let all = Net::for_session(&env, &v, &["a".into(), "b".into(), "c".into()], "us-east-1");
        let said = all.disagreement.expect("disagreement");
        assert!(said.contains("a: sign-in http://127.0.0.1:1"), "{said}");
        assert!(
            said.contains("c: sign-in https://oidc.us-east-1.amazonaws.com"),
            "{said}"
        );
        assert_eq!(
            all.net.url(Service::SsoOidc, "us-east-1").expect("url"),
            "https://oidc.us-east-1.amazonaws.com"
        );
    }
}
