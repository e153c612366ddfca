//! Tests of the browser commands (`BROWSER`, the platform opener, WSL) and of the sign-in flow
//! choice.

use super::*;

#[test]
fn browser_variable_is_a_list_with_percent_s_or_an_appended_url() {
    let env = Env::from_pairs([("BROWSER", "/opt/rec 'a b':firefox -P work %s")]);
    let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        commands_for(&env, "https://x/?a=1"),
        vec![
            words(&["/opt/rec", "a b", "https://x/?a=1"]),
            words(&["firefox", "-P", "work", "https://x/?a=1"]),
        ]
    );
}

#[test]
fn without_browser_the_platform_opener_is_used() {
    let linux = Host::new(Env::default(), Os::Unix, Some("6.1.0-13-amd64\n".into()));
    assert_eq!(
        Browser::for_host(&linux).commands("u"),
        vec![vec!["xdg-open".to_owned(), "u".into()]]
    );
    let mac = Host::new(Env::default(), Os::MacOs, None);
    assert_eq!(
        Browser::for_host(&mac).commands("u"),
        vec![vec!["open".to_owned(), "u".into()]]
    );
}

#[test]
fn wsl_is_told_by_the_kernel_release_or_the_distro_variable_and_opens_with_wslview() {
    for release in [
        "5.15.90.1-microsoft-standard-WSL2\n",
        "4.4.0-19041-Microsoft",
    ] {
        let host = Host::new(Env::default(), Os::Unix, Some(release.into()));
        assert!(host.is_wsl(), "{release}");
        assert_eq!(
            Browser::for_host(&host).commands("u"),
            vec![vec!["wslview".to_owned(), "u".into()]]
        );
    }
    let by_var = Host::new(
        Env::from_pairs([("WSL_DISTRO_NAME", "Ubuntu")]),
        Os::Unix,
        None,
    );
    assert!(by_var.is_wsl());
    assert!(!Host::new(Env::default(), Os::Unix, Some("6.1.0".into())).is_wsl());
    // BROWSER still wins on WSL.
    let with_browser = Host::new(
        Env::from_pairs([("WSL_DISTRO_NAME", "Ubuntu"), ("BROWSER", "w3m")]),
        Os::Unix,
        None,
    );
    assert_eq!(
        Browser::for_host(&with_browser),
        Browser::Variable("w3m".into())
    );
}

fn known(id: SessionId, use_device_code: bool) -> KnownSession {
    KnownSession {
        config: crate::sessions::signin::SessionConfig {
            id,
            start_url: "https://d-1.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: None,
        },
        use_device_code,
        storage: crate::sessions::store::Storage::File,
        profiles: Vec::new(),
        roles: Vec::new(),
    }
}

/// One row of the decision table: the environment, the session and what was asked, and
/// the flow, the browser and whether a reason is given.
#[test]
fn the_flow_follows_the_decision_table() {
    use Flow::{DeviceCode as D, Pkce as P};
    let corp = known(SessionId::Session("corp".into()), false);
    let corp_device = known(SessionId::Session("corp".into()), true);
    let legacy = known(
        SessionId::Legacy("https://d-1.awsapps.com/start".into()),
        true,
    );
    let desktop: &[(&str, &str)] = &[("DISPLAY", ":0")];
    let headless: &[(&str, &str)] = &[];
    let ssh: &[(&str, &str)] = &[
        ("SSH_CONNECTION", "10.0.0.1 5 10.0.0.2 22"),
        ("DISPLAY", ":0"),
    ];
    let ssh_tty: &[(&str, &str)] = &[("SSH_TTY", "/dev/pts/1")];
    let ssh_browser: &[(&str, &str)] = &[("SSH_CONNECTION", "x"), ("BROWSER", "w3m")];
    let headless_browser: &[(&str, &str)] = &[("BROWSER", "/rec %s")];
    let wsl: &[(&str, &str)] = &[("WSL_DISTRO_NAME", "Ubuntu")];
    let wsl_ssh: &[(&str, &str)] = &[("WSL_DISTRO_NAME", "Ubuntu"), ("SSH_TTY", "/dev/pts/0")];
    let wayland: &[(&str, &str)] = &[("WAYLAND_DISPLAY", "wayland-0")];
    let empty_display: &[(&str, &str)] = &[("DISPLAY", "")];
    let none = Asked::default();
    let flag = Asked {
        use_device_code: true,
        ..none
    };
    let print = Asked {
        no_browser: true,
        ..none
    };
    let port = Asked {
        redirect_port: true,
        ..none
    };
    let xdg = Some(Browser::Platform(Os::Unix));
    let rec = Some(Browser::Variable("/rec %s".into()));
    let cmd = Some(Browser::Command("firefox -P work %s".into()));
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        &[(&str, &str)],
        &KnownSession,
        Option<&str>,
        Asked,
        Flow,
        Option<Browser>,
        bool,
    )> = vec![
        (desktop, &corp, None, none, P, xdg.clone(), false),
        (desktop, &corp, None, flag, D, xdg.clone(), false),
        (desktop, &corp, None, print, P, None, false),
        (desktop, &corp_device, None, none, D, xdg.clone(), true),
        (desktop, &legacy, None, none, D, xdg.clone(), false),
        (wayland, &corp, None, none, P, xdg.clone(), false),
        (headless, &corp, None, none, D, None, true),
        (empty_display, &corp, None, none, D, None, true),
        (headless, &corp, None, print, D, None, true),
        (headless, &corp, None, port, P, None, false),
        (headless_browser, &corp, None, none, P, rec.clone(), false),
        (headless_browser, &corp, None, print, D, None, true),
        (
            headless,
            &corp,
            Some("firefox -P work %s"),
            none,
            P,
            cmd.clone(),
            false,
        ),
        (
            headless_browser,
            &corp,
            Some("firefox -P work %s"),
            none,
            P,
            cmd.clone(),
            false,
        ),
        (ssh, &corp, None, none, D, None, true),
        (ssh_tty, &corp, None, none, D, None, true),
        (ssh, &corp, None, port, P, None, false),
        (ssh, &legacy, None, none, D, None, false),
        (
            ssh_browser,
            &corp,
            None,
            none,
            P,
            Some(Browser::Variable("w3m".into())),
            false,
        ),
        (wsl, &corp, None, none, P, Some(Browser::Wsl), false),
        (wsl_ssh, &corp, None, none, D, None, true),
        (
            headless_browser,
            &corp_device,
            None,
            none,
            D,
            rec.clone(),
            true,
        ),
    ];
    for (i, (env, session, command, asked, flow, browser, reason)) in rows.into_iter().enumerate() {
        let host = Host::new(
            Env::from_pairs(env.iter().copied()),
            Os::Unix,
            Some("6.1.0".into()),
        );
        let c = choose_flow(&host, session, command, asked);
        assert_eq!(
            (c.flow, c.browser, c.reason.is_some()),
            (flow, browser, reason),
            "row {i}: {env:?} {asked:?}, reason {:?}",
            c.reason
        );
    }
}

#[test]
fn each_reason_names_its_cause() {
    let corp = known(SessionId::Session("corp".into()), false);
    let reason = |pairs: &[(&str, &str)], s: &KnownSession| {
        let host = Host::new(Env::from_pairs(pairs.iter().copied()), Os::Unix, None);
        choose_flow(&host, s, None, Asked::default())
            .reason
            .unwrap_or_default()
    };
    assert_eq!(
        reason(&[], &corp),
        "No display (DISPLAY and WAYLAND_DISPLAY are unset): signing in with a device code instead."
    );
    assert!(reason(&[("SSH_CONNECTION", "x")], &corp)
        .starts_with("In an SSH session (SSH_CONNECTION is set)"));
    assert!(reason(&[("SSH_TTY", "/dev/pts/1")], &corp).contains("SSH_TTY is set"));
    assert_eq!(
        reason(
            &[("DISPLAY", ":0")],
            &known(SessionId::Session("corp".into()), true)
        ),
        "sso-session corp sets sso_use_device_code = true: signing in with a device code."
    );
    // macOS and Windows always have a display.
    let mac = Host::new(Env::default(), Os::MacOs, None);
    assert_eq!(
        choose_flow(&mac, &corp, None, Asked::default()).flow,
        Flow::Pkce
    );
}

#[test]
fn a_configured_command_is_used_alone() {
    let env = Env::from_pairs([("BROWSER", "true")]);
    assert!(open_with(
        &env,
        Some("true --profile work %s"),
        "https://x/"
    ));
    // No fallback to BROWSER when the configured command cannot start.
    assert!(!open_with(&env, Some("/nonexistent/browser"), "https://x/"));
    assert!(open_with(&env, None, "https://x/"));
}

#[test]
fn a_command_that_cannot_start_falls_through_to_the_next() {
    let env = Env::from_pairs([("BROWSER", "/nonexistent/browser:true")]);
    assert!(open(&env, "https://example.invalid/"));
    let env = Env::from_pairs([("BROWSER", "/nonexistent/browser")]);
    assert!(!open(&env, "https://example.invalid/"));
}
