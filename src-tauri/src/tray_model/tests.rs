//! Tests of the tray model: labels, states, actions and languages.

use super::*;

fn line(name: &str, state: State, left_min: Option<i64>, estimate: bool) -> SessionLine {
    SessionLine {
        name: name.into(),
        state,
        left: left_min.map(Duration::minutes),
        estimate,
        needs_sign_in: false,
    }
}

fn three() -> Vec<SessionLine> {
    vec![
        line("corp", State::Valid, Some(192), true),
        line("partner", State::Expired, None, false),
        line("lab", State::SignedOut, None, false),
    ]
}

fn input(language: Language, sessions: Vec<SessionLine>) -> TrayInput {
    TrayInput {
        language,
        sessions,
        profile: "dev".into(),
        ..TrayInput::default()
    }
}

fn with_profiles(language: Language) -> TrayInput {
    TrayInput {
        profile: "default".into(),
        profiles: vec!["prod".into(), "dev".into()],
        more_profiles: true,
        mirrors: Some("prod".into()),
        can_restore: true,
        ..input(language, three())
    }
}

#[test]
fn a_session_the_service_refused_says_it_needs_sign_in_in_both_languages_issue_20() {
    let refused = |state, left| SessionLine {
        needs_sign_in: true,
        ..line("corp", state, left, false)
    };
    let m = TrayModel::build(&input(
        Language::En,
        vec![refused(State::Expiring, Some(12))],
    ));
    assert!(
        m.labels().contains(&"corp — 12 min, then sign in again"),
        "{:?}",
        m.labels()
    );
    assert!(m.labels().contains(&"Sign in to corp"));
    let m = TrayModel::build(&input(Language::En, vec![refused(State::Expired, None)]));
    assert!(
        m.labels().contains(&"corp — needs sign-in"),
        "{:?}",
        m.labels()
    );
    let m = TrayModel::build(&input(Language::ZhTw, vec![refused(State::Expired, None)]));
    assert!(
        m.labels().contains(&"corp — 需要重新登入"),
        "{:?}",
        m.labels()
    );
}

fn submenu(model: &TrayModel) -> &[TrayEntry] {
    model
        .entries
        .iter()
        .find_map(|e| match e {
            TrayEntry::Submenu { entries, .. } => Some(entries.as_slice()),
            _ => None,
        })
        .expect("a Profiles submenu")
}

#[test]
fn no_sessions_english() {
    let model = TrayModel::build(&TrayInput::default());
    assert_eq!(
        model.labels(),
        [
            "No sessions configured",
            "Profile: default",
            "Copy credentials as env",
            "Open console",
            "Open Lanyard",
            "Quit"
        ]
    );
    assert_eq!(model.icon, TrayIcon::SignedOut);
}

#[test]
fn each_state_in_english() {
    let model = TrayModel::build(&input(Language::En, three()));
    assert_eq!(
        model.labels(),
        [
            "Expired: partner",
            "corp — ≈ 3 h 12 min",
            "Sign out of corp",
            "partner — expired",
            "Sign in to partner",
            "Sign out of partner",
            "lab — signed out",
            "Sign in to lab",
            "Sign in to all",
            "Profile: dev",
            "Copy credentials as env",
            "Open console",
            "Open Lanyard",
            "Quit"
        ]
    );
    assert_eq!(model.title, "Expired: partner");
    assert_eq!(model.icon, TrayIcon::Expired);
    let expiring = TrayModel::build(&input(
        Language::En,
        vec![
            line("corp", State::Expiring, Some(14), false),
            line("lab", State::Valid, Some(60), false),
        ],
    ));
    assert_eq!(
        expiring.labels()[..4],
        [
            "Ending soon: corp",
            "corp — 14 min",
            "Sign in to corp",
            "Sign out of corp"
        ]
    );
    assert_eq!(expiring.labels()[4], "lab — 1 h 0 min");
    assert_eq!(expiring.icon, TrayIcon::Expiring);
    let ok = TrayModel::build(&input(
        Language::En,
        vec![line("corp", State::Valid, Some(0), false)],
    ));
    assert_eq!(
        ok.labels()[..2],
        ["All sessions signed in", "corp — under a minute"]
    );
    assert_eq!(ok.icon, TrayIcon::Ok);
}

#[test]
fn each_state_in_traditional_chinese() {
    let model = TrayModel::build(&input(Language::ZhTw, three()));
    assert_eq!(
        model.labels(),
        [
            "已到期：partner",
            "corp — 約 3 小時 12 分鐘",
            "登出 corp",
            "partner — 已到期",
            "登入 partner",
            "登出 partner",
            "lab — 未登入",
            "登入 lab",
            "全部登入",
            "設定檔：dev",
            "複製憑證（環境變數格式）",
            "開啟主控台",
            "開啟 Lanyard",
            "結束"
        ]
    );
    let expiring = TrayModel::build(&input(
        Language::ZhTw,
        vec![line("corp", State::Expiring, Some(14), false)],
    ));
    assert_eq!(expiring.labels()[..2], ["即將到期：corp", "corp — 14 分鐘"]);
    let ok = TrayModel::build(&input(
        Language::ZhTw,
        vec![line("corp", State::Valid, Some(0), false)],
    ));
    assert_eq!(
        ok.labels()[..2],
        ["所有工作階段皆已登入", "corp — 不到 1 分鐘"]
    );
    assert_eq!(
        TrayModel::build(&TrayInput {
            language: Language::ZhTw,
            ..TrayInput::default()
        })
        .labels()[0],
        "尚未設定任何工作階段"
    );
}

#[test]
fn icon_is_the_worst_session_state() {
    use State::*;
    for (states, want) in [
        (vec![], TrayIcon::SignedOut),
        (vec![Valid], TrayIcon::Ok),
        (vec![Valid, SignedOut], TrayIcon::SignedOut),
        (vec![Valid, Expiring, SignedOut], TrayIcon::Expiring),
        (vec![Expired, Valid, Expiring], TrayIcon::Expired),
    ] {
        let sessions = states
            .iter()
            .enumerate()
            .map(|(i, s)| line(&format!("s{i}"), *s, Some(30), false))
            .collect();
        let model = TrayModel::build(&input(Language::En, sessions));
        assert_eq!(model.icon, want, "{states:?}");
    }
}

#[test]
fn menu_ids_round_trip_and_are_unique() {
    let mut ids = Vec::new();
    fn walk(entries: &[TrayEntry], ids: &mut Vec<String>) {
        for e in entries {
            match e {
                TrayEntry::Item { action, .. } | TrayEntry::Check { action, .. } => {
                    assert_eq!(TrayAction::from_id(&action.id()).as_ref(), Some(action));
                    ids.push(action.id());
                }
                TrayEntry::Info { id, .. } => {
                    assert_eq!(TrayAction::from_id(id), None);
                    ids.push(id.clone());
                }
                TrayEntry::Submenu { id, entries, .. } => {
                    assert_eq!(TrayAction::from_id(id), None);
                    ids.push(id.clone());
                    walk(entries, ids);
                }
                TrayEntry::Separator => {}
            }
        }
    }
    let model = TrayModel::build(&TrayInput {
        config_problem: Some("x".into()),
        settings_problem: Some("y".into()),
        ..with_profiles(Language::En)
    });
    walk(&model.entries, &mut ids);
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate menu ids");
    assert_eq!(
        TrayAction::from_id("sign-in:https://x.awsapps.com/start"),
        Some(TrayAction::SignIn("https://x.awsapps.com/start".into()))
    );
    assert_eq!(TrayAction::from_id("something-else"), None);
    let of = TrayAction::CopyCredentialsOf("dev".into());
    assert_eq!(TrayAction::from_id(&of.id()), Some(of));
    assert_eq!(
        TrayAction::from_id(ID_COPY_CREDENTIALS),
        Some(TrayAction::CopyCredentials)
    );
}

#[test]
fn ampersands_are_not_access_keys() {
    assert_eq!(menu_text("R&D — 5 min"), "R&&D — 5 min");
    assert_eq!(menu_text("corp_eu"), "corp_eu");
}

#[test]
fn time_left_rounds_down_to_minutes() {
    assert_eq!(
        time_left(Language::En, Duration::minutes(192), false),
        "3 h 12 min"
    );
    assert_eq!(
        time_left(Language::En, Duration::seconds(119), true),
        "≈ 1 min"
    );
    assert_eq!(
        time_left(Language::En, Duration::minutes(-3), false),
        "under a minute"
    );
    assert_eq!(
        time_left(Language::ZhTw, Duration::minutes(61), true),
        "約 1 小時 1 分鐘"
    );
}

#[test]
fn the_profiles_submenu_checks_the_mirrored_profile_and_offers_more_and_restore() {
    let model = TrayModel::build(&with_profiles(Language::En));
    assert!(
        model.labels().contains(&"Profile: prod"),
        "{:?}",
        model.labels()
    );
    let sub = submenu(&model);
    assert_eq!(
        sub[..2],
        [
            TrayEntry::Check {
                action: TrayAction::UseProfile("prod".into()),
                label: "prod".into(),
                checked: true,
            },
            TrayEntry::Check {
                action: TrayAction::UseProfile("dev".into()),
                label: "dev".into(),
                checked: false,
            },
        ]
    );
    let labels: Vec<&str> = sub
        .iter()
        .filter_map(|e| match e {
            TrayEntry::Item { label, .. } => Some(label.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(labels, ["More…", "Restore my default"]);
    let zh = TrayModel::build(&with_profiles(Language::ZhTw));
    assert!(zh.labels().contains(&"設定檔"));
    assert!(format!("{:?}", submenu(&zh)).contains("還原我的預設設定檔"));
    // No profiles and nothing saved: no submenu.
    let bare = TrayModel::build(&input(Language::En, three()));
    assert!(!bare
        .entries
        .iter()
        .any(|e| matches!(e, TrayEntry::Submenu { .. })));
}

#[test]
fn a_config_problem_is_named_right_under_the_first_line() {
    let model = TrayModel::build(&TrayInput {
        config_problem: Some("/home/p/.aws/config line 7: bad".into()),
        ..input(Language::En, three())
    });
    assert_eq!(
        model.labels()[1],
        "Config problem: /home/p/.aws/config line 7: bad"
    );
}

#[test]
fn a_countdown_within_the_same_minute_changes_nothing_shown() {
    let at = |left: Duration| {
        TrayModel::build(&input(
            Language::En,
            vec![SessionLine {
                left: Some(left),
                ..line("corp", State::Valid, None, false)
            }],
        ))
    };
    let shown = at(Duration::minutes(42) + Duration::seconds(59));
    let update = at(Duration::minutes(42) + Duration::milliseconds(1)).update_from(&shown);
    assert!(update.is_empty(), "{update:?}");
    assert_eq!(update.menu, MenuUpdate::Same);
}

#[test]
fn a_new_minute_relabels_only_its_line() {
    let at = |left_min| TrayModel::build(&input(Language::En, three_left(left_min)));
    let shown = at(192);
    let next = at(191);
    let update = next.update_from(&shown);
    assert_eq!(update.icon, None);
    assert_eq!(update.title, None);
    assert_eq!(
        update.menu,
        MenuUpdate::Relabel(vec![(
            format!("{ID_SESSION}corp"),
            "corp — ≈ 3 h 11 min".into()
        )])
    );
    assert!(
        next.labels().contains(&"corp — ≈ 3 h 11 min"),
        "{:?}",
        next.labels()
    );
}

/// [`three`], with corp's time left in minutes.
fn three_left(left_min: i64) -> Vec<SessionLine> {
    let mut s = three();
    s[0].left = Some(Duration::minutes(left_min));
    s
}

#[test]
fn a_state_change_sets_the_icon_and_title_and_rebuilds_when_entries_change() {
    let valid = TrayModel::build(&input(
        Language::En,
        vec![line("corp", State::Valid, Some(16), false)],
    ));
    let expiring = TrayModel::build(&input(
        Language::En,
        vec![line("corp", State::Expiring, Some(15), false)],
    ));
    let update = expiring.update_from(&valid);
    assert_eq!(update.icon, Some(TrayIcon::Expiring));
    assert_eq!(update.title.as_deref(), Some(expiring.title.as_str()));
    // Expiring adds "Sign in to corp" beside "Sign out of corp": other entries.
    assert_eq!(update.menu, MenuUpdate::Rebuild);
    assert!(expiring.update_from(&expiring).is_empty());
}

#[test]
fn a_profile_switch_or_a_language_rebuilds_or_relabels() {
    let shown = TrayModel::build(&with_profiles(Language::En));
    // Another profile checked: a new menu (the check marks are not set in place).
    let switched = TrayModel::build(&TrayInput {
        mirrors: Some("dev".into()),
        ..with_profiles(Language::En)
    });
    assert_eq!(switched.update_from(&shown).menu, MenuUpdate::Rebuild);
    // Another language: the same entries, every label new, the submenu's too.
    let zh = TrayModel::build(&with_profiles(Language::ZhTw));
    let MenuUpdate::Relabel(changed) = zh.update_from(&shown).menu else {
        panic!("expected new labels");
    };
    assert!(changed.iter().any(|(id, _)| id == ID_PROFILES));
    assert!(changed.iter().any(|(id, _)| id == ID_MORE_PROFILES));
    assert!(changed.iter().any(|(id, _)| id == ID_QUIT));
    // A session more: a new menu.
    let more = TrayModel::build(&TrayInput {
        sessions: [three(), vec![line("extra", State::SignedOut, None, false)]].concat(),
        ..with_profiles(Language::En)
    });
    assert_eq!(more.update_from(&shown).menu, MenuUpdate::Rebuild);
}
