//! Tests of the settings file: reading, defaults, writing back with comments kept.

use super::*;
use crate::env::Env;

fn dirs_with(text: Option<&str>) -> (tempfile::TempDir, Dirs) {
    let home = tempfile::tempdir().expect("home");
    let dirs = Dirs::from_env(&Env::from_pairs([("HOME", home.path())])).expect("dirs");
    if let Some(t) = text {
        std::fs::create_dir_all(dirs.config_dir()).expect("mkdir");
        std::fs::write(dirs.settings_file(), t).expect("write");
    }
    (home, dirs)
}

#[test]
fn a_profiles_console_browser_is_read_and_unknown_keys_are_ignored() {
    let (_h, dirs) = dirs_with(Some(
        "future_key = 1\n[profiles.dev]\nconsole_browser = \"firefox -P work %s\"\nother = true\n",
    ));
    let (s, warning) = Settings::load(&dirs);
    assert_eq!(warning, None);
    assert_eq!(s.console_browser("dev"), Some("firefox -P work %s"));
    assert_eq!(s.console_browser("prod"), None);
}

#[test]
fn a_missing_file_is_the_defaults_and_a_malformed_one_a_warning() {
    let (_h, dirs) = dirs_with(None);
    assert_eq!(Settings::load(&dirs), (Settings::default(), None));
    let (_h, dirs) = dirs_with(Some("[profiles.dev\nconsole_browser = 3\n"));
    let (s, warning) = Settings::load(&dirs);
    assert_eq!(s, Settings::default());
    let warning = warning.expect("warning");
    assert!(
        warning.contains("settings.toml line 1") && warning.contains("default settings"),
        "{warning}"
    );
    assert_eq!(
        std::fs::read_to_string(dirs.settings_file()).expect("read"),
        "[profiles.dev\nconsole_browser = 3\n",
        "never overwritten"
    );
}

#[test]
fn every_setting_is_read_with_its_default_when_absent() {
    let (_h, dirs) = dirs_with(Some(
        "language = \"zh-TW\"\nnotifications = false\nwarn_before = [\"90s\", \"30m\"]\n\
         portal_rate_limit = 7\n[sessions.corp]\nbrowser = \"firefox -P w\"\nduration = \"12h\"\n",
    ));
    let (s, warning) = Settings::load(&dirs);
    assert_eq!(warning, None);
    assert_eq!(s.language.as_deref(), Some("zh-TW"));
    assert!(!s.notifications && s.background_refresh && !s.autostart);
    assert_eq!(
        s.thresholds(),
        vec![Duration::minutes(30), Duration::seconds(90)]
    );
    assert_eq!(s.portal_rate_limit, 7);
    assert_eq!(
        s.clipboard_clear_after(),
        Duration::seconds(60),
        "the default"
    );
    assert_eq!(s.session_browser("corp"), Some("firefox -P w"));
    assert_eq!(s.session_duration("corp"), Duration::hours(12));
    assert_eq!(s.session_duration("other"), Duration::hours(8));
    assert_eq!(
        Settings::default().thresholds(),
        vec![Duration::minutes(15), Duration::minutes(5)]
    );
}

#[test]
fn an_invalid_value_falls_back_to_its_default_with_a_warning_naming_the_key() {
    let (_h, dirs) = dirs_with(Some(
        "warn_before = [\"soon\"]\nportal_rate_limit = 0\nnotifications = false\n\
         [sessions.corp]\nduration = \"forever\"\n",
    ));
    let (s, warning) = Settings::load(&dirs);
    let warning = warning.expect("warning");
    assert!(warning.contains("warn_before"), "{warning}");
    assert!(warning.contains("portal_rate_limit"), "{warning}");
    assert!(warning.contains("sessions.corp.duration"), "{warning}");
    assert_eq!(s.thresholds(), Settings::default().thresholds());
    assert_eq!(s.portal_rate_limit, DEFAULT_PORTAL_RATE_LIMIT);
    assert_eq!(s.session_duration("corp"), Duration::hours(8));
    assert!(!s.notifications, "valid values are kept");
}

#[test]
fn update_keeps_comments_and_unknown_keys_and_reads_back() {
    let (_h, dirs) = dirs_with(Some(
        "# my settings\nfuture_key = \"kept\"\nnotifications = true # inline\n\n[profiles.dev]\nconsole_browser = \"firefox\"\n",
    ));
    let s = update(
        &dirs,
        &[
            Change::Notifications(false),
            Change::WarnBefore(vec!["30m".into(), "90s".into()]),
            Change::SessionBrowser(
                "corp".into(),
                Some("chromium --profile-directory=Work".into()),
            ),
            Change::ConsoleBrowser("dev".into(), None),
            Change::ClipboardClearAfter(0),
        ],
    )
    .expect("saved");
    assert!(!s.notifications);
    assert_eq!(
        s.clipboard_clear_after(),
        Duration::ZERO,
        "0: never cleared"
    );
    assert_eq!(
        s.session_browser("corp"),
        Some("chromium --profile-directory=Work")
    );
    assert_eq!(s.console_browser("dev"), None);
    let text = std::fs::read_to_string(dirs.settings_file()).expect("read");
    assert!(
        text.starts_with("# my settings\nfuture_key = \"kept\"\n"),
        "{text}"
    );
    assert!(text.contains("notifications = false # inline"), "{text}");
    assert_eq!(Settings::load(&dirs), (s, None));
}

#[test]
fn update_creates_the_file_private_and_refuses_bad_values_and_malformed_files() {
    let (_h, dirs) = dirs_with(None);
    update(&dirs, &[Change::Language(Some("zh-TW".into()))]).expect("created");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dirs.settings_file())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = std::fs::read_to_string(dirs.settings_file()).expect("read");
    for bad in [
        Change::Language(Some("fr".into())),
        Change::WarnBefore(vec!["soon".into()]),
        Change::PortalRateLimit(0),
        Change::SessionDuration("corp".into(), Some("forever".into())),
    ] {
        let e = update(&dirs, &[Change::Autostart(true), bad]).expect_err("refused");
        assert!(matches!(e, SaveError::Invalid(_)), "{e}");
    }
    assert_eq!(
        std::fs::read_to_string(dirs.settings_file()).expect("read"),
        before,
        "all or none"
    );
    std::fs::write(dirs.settings_file(), "notifications = \"yes\"\n").expect("write");
    let e = update(&dirs, &[Change::Autostart(true)]).expect_err("malformed");
    assert!(
        e.to_string().contains("settings.toml") && e.to_string().contains("not changed"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(dirs.settings_file()).expect("read"),
        "notifications = \"yes\"\n"
    );
}
