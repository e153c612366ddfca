//! The engine's tests: the schedule's settings from the settings file and `LANYARD_WARN_BEFORE`.

use time::Duration;

use super::*;

#[test]
fn warn_before_overrides_the_thresholds_when_valid() {
    let file = lanyard_core::settings::Settings::default();
    let s = settings(&Env::from_pairs([(WARN_BEFORE_VAR, "2m, 90s")]), &file);
    assert_eq!(s.thresholds, [Duration::minutes(2), Duration::seconds(90)]);
    let s = settings(&Env::from_pairs([(WARN_BEFORE_VAR, "soon")]), &file);
    assert_eq!(s.thresholds, Settings::default().thresholds);
    assert_eq!(settings(&Env::default(), &file), Settings::default());
}

#[test]
fn the_settings_files_thresholds_and_refresh_choice_drive_the_schedule() {
    let file = lanyard_core::settings::Settings {
        warn_before: vec!["5m".into(), "1h".into()],
        background_refresh: false,
        ..Default::default()
    };
    let s = settings(&Env::default(), &file);
    assert_eq!(s.thresholds, [Duration::hours(1), Duration::minutes(5)]);
    assert!(!s.background_refresh);
}
