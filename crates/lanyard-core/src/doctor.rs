//! `lanyard doctor`: what a person checks when sign-in fails, one line each with a plain verdict
//! and what to do — the config's findings, each session's token and client registration, the
//! endpoints in force and where each came from, whether each OIDC endpoint answers and how far
//! its clock (`Date`) is from ours, the CA bundle and proxies, whether a browser can be opened
//! and a loopback port bound. Nothing here changes the person's files (what the service says
//! about a session is recorded in Lanyard's own history, as any call would); no secret is shown.

mod session;

use std::collections::BTreeSet;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::config::NetSettings as _;
use crate::config::{validate::Severity, ConfigFile};
use crate::context::Context;
use crate::endpoints::Service;
use crate::http::describe;
use crate::net::Net;
use crate::sessions::resolve::{all_sessions, default_profile, KnownSession};
use crate::sessions::state::Policy;

/// A clock further off than this from the service's breaks token expiry checks.
pub const SKEW_FAIL: Duration = Duration::minutes(5);
/// A clock further off than this is worth fixing.
pub const SKEW_WARN: Duration = Duration::minutes(1);

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Fine.
    Ok,
    /// For information (where a setting comes from).
    Info,
    /// Works, but should be looked at.
    Warn,
    /// Sign-in (or its use) fails because of this.
    Fail,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked: `config`, `settings`, `session`, `registration`, `endpoint`, `reach`, `clock`,
    /// `ca_bundle`, `proxy`, `browser`, `loopback`.
    pub check: &'static str,
    /// Which one (a session name, a service, a region), if the check is per item.
    pub subject: Option<String>,
    /// The outcome.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do, when something is to be done.
    pub fix: Option<String>,
}

impl Check {
    fn new(check: &'static str, subject: Option<String>, status: Status, detail: String) -> Self {
        Check {
            check,
            subject,
            status,
            detail,
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every check, in the order a person should read (and fix) them.
    pub checks: Vec<Check>,
}

impl Report {
    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }

    /// One sentence: all is well, or how many problems and which.
    pub fn verdict(&self) -> String {
        let failed: Vec<String> = self
            .failures()
            .map(|c| match &c.subject {
                Some(s) => format!("{} {s}", c.check),
                None => c.check.to_owned(),
            })
            .collect();
        let warned = self
            .checks
            .iter()
            .filter(|c| c.status == Status::Warn)
            .count();
        match (failed.len(), warned) {
            (0, 0) => "All is well: Lanyard can sign in and serve credentials.".to_owned(),
            (0, n) => format!(
                "No blocking problem; {n} warning{} worth a look.",
                if n == 1 { "" } else { "s" }
            ),
            (n, _) => format!(
                "{n} problem{} to fix, in this order: {}.",
                if n == 1 { "" } else { "s" },
                failed.join(", ")
            ),
        }
    }
}

/// Runs every check.
pub async fn run(ctx: &Context, profile: Option<&str>) -> Report {
    let mut checks = Vec::new();
    let file = match ConfigFile::load_config(&ctx.env) {
        Ok(f) => Some(f),
        Err(e) => {
            checks.push(
                Check::new("config", None, Status::Fail, e.to_string())
                    .fix("fix that line (lanyard config restore puts back an earlier version)"),
            );
            None
        }
    };
    let view = file.as_ref().and_then(|f| match f.view() {
        Ok(v) => Some(v),
        Err(e) => {
            checks
                .push(Check::new("config", None, Status::Fail, e.to_string()).fix(
                    "fix that line: until then botocore and the AWS CLI cannot read the file",
                ));
            None
        }
    });
    if let (Some(file), Some(view)) = (&file, &view) {
        let findings = crate::config::validate(&file.doc, file.path());
        if findings.is_empty() {
            let detail = if file.existed() {
                format!(
                    "{}: {} profiles, {} sso-sessions, no problems",
                    file.path().display(),
                    view.profiles.len(),
                    view.sso_sessions.len()
                )
            } else {
                format!("{} does not exist yet", file.path().display())
            };
            checks.push(Check::new("config", None, Status::Ok, detail));
        }
        for f in findings {
            let status = match f.severity {
                Severity::Error => Status::Fail,
                Severity::Warning => Status::Warn,
            };
            let place = f.line.map(|l| format!(" line {l}")).unwrap_or_default();
            checks.push(
                Check::new(
                    "config",
                    None,
                    status,
                    format!("{}{place}: {}", f.file, f.message),
                )
                .fix("lanyard config check lists every finding; edit the line it names"),
            );
        }
    }
    checks.push(match crate::settings::Settings::load(&ctx.dirs) {
        (_, Some(w)) => Check::new("settings", None, Status::Warn, w)
            .fix("fix the settings file (the defaults are used meanwhile)"),
        (_, None) => Check::new(
            "settings",
            None,
            Status::Ok,
            format!(
                "{} is readable (or absent: defaults)",
                ctx.dirs.settings_file().display()
            ),
        ),
    });
    let in_force = profile.map_or_else(|| default_profile(&ctx.env), str::to_owned);
    let net = match &view {
        Some(v) => Net::for_profile(&ctx.env, v, Some(&in_force)),
        None => Net::from_env(&ctx.env),
    };
    let sessions = view.as_ref().map(all_sessions).unwrap_or_default();
    if view.is_some() && sessions.is_empty() {
        checks.push(
            Check::new(
                "session",
                None,
                Status::Warn,
                "no SSO session is configured".into(),
            )
            .fix("lanyard configure sso-session"),
        );
    }
    let now = ctx.clock.now();
    if let Some(v) = &view {
        let (settings, _) = crate::settings::Settings::load(&ctx.dirs);
        match crate::overview::overview_in(ctx, v, Policy::default(), &settings) {
            Ok(statuses) => {
                for st in &statuses {
                    checks.extend(session::state_checks(ctx, v, st, now));
                    checks.extend(session::service_checks(ctx, v, st).await);
                }
            }
            Err(e) => checks.push(Check::new("session", None, Status::Fail, e.to_string())),
        }
    }
    checks.extend(endpoint_checks(&net, &in_force, &sessions));
    checks.extend(reach_checks(&net, &sessions, now).await);
    checks.push(ca_check(&net));
    checks.push(proxy_check(&net));
    checks.push(browser_check(ctx));
    checks.push(loopback_check());
    Report { checks }
}

fn endpoint_checks(net: &Net, profile: &str, sessions: &[KnownSession]) -> Vec<Check> {
    let region = sessions
        .first()
        .map_or("us-east-1", |s| s.config.region.as_str());
    let mut out = Vec::new();
    if net.endpoints().ignored() {
        out.push(Check::new(
            "endpoint",
            None,
            Status::Info,
            "ignore_configured_endpoint_urls is true: AWS's own endpoints are used".into(),
        ));
    }
    for service in Service::ALL {
        out.push(match net.endpoint(service, region) {
            Ok(e) => Check::new(
                "endpoint",
                Some(service.id().to_owned()),
                Status::Info,
                format!("{} (from {}; profile in force: {profile})", e.url, e.source),
            ),
            Err(e) => Check::new(
                "endpoint",
                Some(service.id().to_owned()),
                Status::Fail,
                e.to_string(),
            )
            .fix("add the [services] section, or remove the profile's services key"),
        });
    }
    out
}

async fn reach_checks(net: &Net, sessions: &[KnownSession], now: OffsetDateTime) -> Vec<Check> {
    let regions: BTreeSet<&str> = sessions.iter().map(|s| s.config.region.as_str()).collect();
    let mut out = Vec::new();
    let http = match net.client() {
        Ok(h) => h,
        Err(e) => {
            out.push(
                Check::new("reach", None, Status::Fail, e.to_string())
                    .fix("fix the CA bundle or proxy setting named above"),
            );
            return out;
        }
    };
    for region in regions {
        let Ok(base) = net.url(Service::SsoOidc, region) else {
            continue;
        };
        let subject = Some(region.to_owned());
        match http.get(format!("{base}/")).send().await {
            Ok(resp) => {
                out.push(Check::new(
                    "reach",
                    subject.clone(),
                    Status::Ok,
                    format!("{base} answers (HTTP {})", resp.status().as_u16()),
                ));
                out.push(clock_check(subject, &resp, now));
            }
            Err(e) => out.push(
                Check::new(
                    "reach",
                    subject,
                    Status::Fail,
                    format!("{base} does not answer: {}", describe(&e.without_url())),
                )
                .fix("check the network, the proxy (https_proxy, no_proxy) and the endpoint settings above"),
            ),
        }
    }
    out
}

fn clock_check(subject: Option<String>, resp: &reqwest::Response, now: OffsetDateTime) -> Check {
    let date = resp
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .map(OffsetDateTime::from);
    let Some(theirs) = date else {
        return Check::new(
            "clock",
            subject,
            Status::Info,
            "the service sent no Date header to compare with".into(),
        );
    };
    let skew = now - theirs;
    let words = if skew.is_negative() {
        "behind"
    } else {
        "ahead of"
    };
    let off = skew.abs();
    let amount = if off >= Duration::minutes(1) {
        format!("{} min", off.whole_minutes())
    } else {
        format!("{} s", off.whole_seconds())
    };
    let detail = format!("this computer's clock is {amount} {words} the service's");
    if off > SKEW_FAIL {
        Check::new("clock", subject, Status::Fail, detail)
            .fix("set the clock right (enable NTP, e.g. timedatectl set-ntp true): tokens look expired or not yet valid")
    } else if off > SKEW_WARN {
        Check::new("clock", subject, Status::Warn, detail)
            .fix("enable time synchronisation (timedatectl set-ntp true)")
    } else {
        Check::new("clock", subject, Status::Ok, detail)
    }
}

fn ca_check(net: &Net) -> Check {
    // Which trust is in force, as botocore reads it: a CA bundle replaces the platform's roots.
    let trust = crate::http::trust_description(net.http());
    match &net.http().ca_bundle {
        None => Check::new(
            "ca_bundle",
            None,
            Status::Info,
            format!("{trust} (no AWS_CA_BUNDLE, no ca_bundle)"),
        ),
        Some(_) => match crate::http::client_with(net.http()) {
            Ok(_) => Check::new(
                "ca_bundle",
                None,
                Status::Ok,
                format!("{trust}, instead of the system's roots (as botocore uses it)"),
            ),
            Err(e) => Check::new("ca_bundle", None, Status::Fail, e.to_string())
                .fix("point AWS_CA_BUNDLE (or the profile's ca_bundle) at a readable PEM file"),
        },
    }
}

fn proxy_check(net: &Net) -> Check {
    let p = &net.http().proxies;
    let mut parts = Vec::new();
    if let Some(u) = &p.https {
        parts.push(format!("https via {}", redact_userinfo(u)));
    }
    if let Some(u) = &p.http {
        parts.push(format!("http via {}", redact_userinfo(u)));
    }
    if let Some(n) = &p.no_proxy {
        parts.push(format!("no_proxy = {n}"));
    }
    let detail = if parts.is_empty() {
        "none (direct connections)".to_owned()
    } else {
        parts.join("; ")
    };
    Check::new("proxy", None, Status::Info, detail)
}

/// A proxy URL without its password.
fn redact_userinfo(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) if !user.contains('/') => {
                let name = user.split(':').next().unwrap_or("");
                format!("{scheme}://{name}:***@{host}")
            }
            _ => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Whether a program is on `PATH` (as the environment snapshot has it).
fn on_path(env: &crate::env::Env, program: &str) -> bool {
    env.get("PATH").is_some_and(|path| {
        std::env::split_paths(path).any(|dir| {
            let p = dir.join(program);
            p.is_file()
        })
    })
}

fn browser_check(ctx: &Context) -> Check {
    use crate::browser::{Browser, Host};
    let env = &ctx.env;
    let device = "sign in with a device code (lanyard login --use-device-code, or \
                  sso_use_device_code = true in the sso-session)";
    let host = Host::detect(env);
    let browser = Browser::for_host(&host);
    let program = browser
        .commands("URL")
        .first()
        .and_then(|c| c.first())
        .cloned()
        .unwrap_or_default();
    let found = {
        let p = std::path::Path::new(&program);
        (p.is_absolute() && p.is_file()) || on_path(env, &program)
    };
    let how = match &browser {
        Browser::Variable(list) => format!("BROWSER={list}"),
        Browser::Wsl => "wslview (WSL)".to_owned(),
        _ => program.clone(),
    };
    if !found {
        return Check::new(
            "browser",
            None,
            Status::Warn,
            format!("no browser can be started ({how} is not found)"),
        )
        .fix(device);
    }
    if let Browser::Variable(_) = browser {
        return Check::new(
            "browser",
            None,
            Status::Ok,
            format!("pages open with {how}"),
        );
    }
    if let Some(marker) = host.ssh_marker() {
        return Check::new(
            "browser",
            None,
            Status::Warn,
            format!("inside an SSH session ({marker} is set): sign-in uses a device code unless BROWSER is set"),
        )
        .fix(device);
    }
    if !host.is_wsl() && !host.has_display() {
        return Check::new(
            "browser",
            None,
            Status::Warn,
            "no display (DISPLAY and WAYLAND_DISPLAY are unset): sign-in uses a device code".into(),
        )
        .fix(device);
    }
    Check::new(
        "browser",
        None,
        Status::Ok,
        format!("pages open with {how}"),
    )
}

fn loopback_check() -> Check {
    match std::net::TcpListener::bind(("127.0.0.1", 0)) {
        Ok(l) => Check::new(
            "loopback",
            None,
            Status::Ok,
            format!(
                "a port on 127.0.0.1 can be bound ({}): the browser sign-in can receive its redirect",
                l.local_addr().map(|a| a.port()).unwrap_or(0)
            ),
        ),
        Err(e) => Check::new(
            "loopback",
            None,
            Status::Fail,
            format!("no port on 127.0.0.1 can be bound: {e}"),
        )
        .fix("sign in with a device code (lanyard login --use-device-code)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_passwords_are_never_shown() {
        assert_eq!(
            redact_userinfo("http://me:s3cret@proxy:3128"),
            "http://me:***@proxy:3128"
        );
        assert_eq!(redact_userinfo("http://proxy:3128"), "http://proxy:3128");
    }

    #[test]
    fn the_verdict_names_the_failures_in_order() {
        let c = |check, status| Check::new(check, None, status, String::new());
        let r = Report {
            checks: vec![c("config", Status::Ok), c("proxy", Status::Info)],
        };
        assert_eq!(
            r.verdict(),
            "All is well: Lanyard can sign in and serve credentials."
        );
        let r = Report {
            checks: vec![
                c("config", Status::Fail),
                c("clock", Status::Warn),
                c("reach", Status::Fail),
            ],
        };
        assert_eq!(
            r.verdict(),
            "2 problems to fix, in this order: config, reach."
        );
    }
}
