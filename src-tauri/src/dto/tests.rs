//! The DTOs' tests: the generated TypeScript types are current, the mock backend's fixtures parse
//! as these types, and the tagged shapes read as the window writes them.

use lanyard_core::settings::Change;
use ts_rs::TS;

use super::*;
use crate::i18n::Language;
use crate::state::{AppInfo, Area, DeviceCode, SignInDone, StateChanged};

/// Where the generated types live, from this crate's folder.
const GENERATED: &str = "../ui/src/lib/backend/generated/types.ts";

fn generated() -> String {
    let cfg = ts_rs::Config::new();
    let decls = [
        SessionState::decl(&cfg),
        StorageMode::decl(&cfg),
        SessionKind::decl(&cfg),
        SessionDto::decl(&cfg),
        SessionsOverview::decl(&cfg),
        ProfileKindDto::decl(&cfg),
        ProfileDto::decl(&cfg),
        ProfilesPage::decl(&cfg),
        KeyValue::decl(&cfg),
        SeverityDto::decl(&cfg),
        FindingDto::decl(&cfg),
        ProfileDetail::decl(&cfg),
        DefaultChanges::decl(&cfg),
        ProfileChange::decl(&cfg),
        EditOutcome::decl(&cfg),
        WhoAmI::decl(&cfg),
        PopulateModeDto::decl(&cfg),
        PopulateRequest::decl(&cfg),
        NamePreview::decl(&cfg),
        TemplatePreview::decl(&cfg),
        PopulatePlanDto::decl(&cfg),
        PortalProgress::decl(&cfg),
        AccountDto::decl(&cfg),
        AccountsList::decl(&cfg),
        SessionSettingsDto::decl(&cfg),
        SettingsDto::decl(&cfg),
        SettingChange::decl(&cfg),
        SsoSessionForm::decl(&cfg),
        SsoProfileForm::decl(&cfg),
        IpcError::decl(&cfg),
        Language::decl(&cfg),
        AppInfo::decl(&cfg),
        DeviceCode::decl(&cfg),
        SignInDone::decl(&cfg),
        Area::decl(&cfg),
        StateChanged::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from src-tauri/src/dto.rs (and the few types of state.rs and commands.rs\n\
         // the window sees) by ts-rs. Do not edit: run\n\
         // `UPDATE_GENERATED=1 cargo test -p lanyard-app --features custom-protocol generated`.\n",
    );
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

/// The window's types are these types: the test fails when the generated file is stale (and
/// rewrites it when asked to).
#[test]
fn generated_types_are_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
    let want = generated();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &want).expect("write generated types");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is stale: run UPDATE_GENERATED=1 cargo test -p lanyard-app --features \
         custom-protocol generated",
        path.display()
    );
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ui/src/lib/backend/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The mock backend's fixtures (real `lanyard ... --json` output, scripts/ui-fixtures.sh)
/// parse as the DTOs the app sends, unknown fields refused: a renamed or dropped field on
/// either side fails here.
#[test]
fn fixtures_parse_as_the_dtos() {
    let status: SessionsOverview =
        serde_json::from_str(&fixture("status.json")).expect("status.json");
    assert!(
        status.sessions.len() >= 2,
        "the fixture shows several sessions"
    );
    assert!(status
        .sessions
        .iter()
        .any(|s| s.state == SessionState::Valid && s.end_is_estimate));
    assert!(status
        .sessions
        .iter()
        .any(|s| s.state == SessionState::SignedOut));
    let profiles: ProfilesPage =
        serde_json::from_str(&fixture("profiles.json")).expect("profiles.json");
    assert!(!profiles.profiles.is_empty());
    let accounts: AccountsList =
        serde_json::from_str(&fixture("accounts.json")).expect("accounts.json");
    assert!(accounts.accounts.iter().any(|a| !a.roles.is_empty()));
}

#[test]
fn unknown_fields_are_refused() {
    let bad = r#"{"sessions":[{"name":"a","kind":"legacy","start_url":"https://x","region":"us-east-1","storage":"file","state":"valid","expires_at":null,"session_ends_at":null,"refreshable":false,"profiles":[],"access_token":"x"}]}"#;
    assert!(serde_json::from_str::<SessionsOverview>(bad).is_err());
}

#[test]
fn setting_changes_are_tagged_by_key() {
    let c: SettingChange = serde_json::from_value(serde_json::json!(
        {"key": "session_duration", "value": {"session": "corp", "duration": " "}}
    ))
    .expect("json");
    assert_eq!(
        Change::from(c),
        Change::SessionDuration("corp".into(), None)
    );
    let c: SettingChange =
        serde_json::from_value(serde_json::json!({"key": "portal_rate_limit", "value": 5}))
            .expect("json");
    assert_eq!(Change::from(c), Change::PortalRateLimit(5));
    let c: SettingChange =
        serde_json::from_value(serde_json::json!({"key": "clipboard_clear_after", "value": 0}))
            .expect("json");
    assert_eq!(Change::from(c), Change::ClipboardClearAfter(0));
}
