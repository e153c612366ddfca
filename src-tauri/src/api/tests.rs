//! The pages' commands tested on the app's state over a fresh HOME: the profile list, the editor's
//! saves, previews and conflicts, and the codes of refused forms and failures.

use std::path::Path;

use lanyard_core::account_cache::{self, AccountList};
use lanyard_core::config::version_of;
use lanyard_core::overview::FetchError;
use lanyard_core::portal::list::{Account, AccountRoles};
use lanyard_core::sessions::signin::SessionError;
use lanyard_core::whoami::WhoamiError;
use lanyard_core::{Context, Env};
use std::sync::mpsc::{channel, Receiver};

use super::profiles::whoami_error;
use super::{check_form, check_profile_form, edit, profile_detail, profiles_page};
use crate::dto::{
    EditOutcome, IpcError, KeyValue, PopulateModeDto, PopulateRequest, ProfileChange,
    SsoProfileForm, SsoSessionForm, StorageMode,
};
use crate::i18n::Language;
use crate::state::{AppState, Command};

const CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://d-1.awsapps.com/start
sso_region = us-east-1

# mine
[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
region = us-east-1
";

/// The app's state over a fresh HOME holding `config`, and what it sends the engine.
fn app(config: &str) -> (tempfile::TempDir, AppState, Receiver<Command>) {
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir_all(home.path().join(".aws")).expect("mkdir");
    std::fs::write(home.path().join(".aws/config"), config).expect("config");
    let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).expect("ctx");
    let state = AppState::new(ctx, Language::En, false);
    let (tx, rx) = channel();
    state.set_engine(tx);
    (home, state, rx)
}

fn config_path(home: &Path) -> std::path::PathBuf {
    home.join(".aws/config")
}

fn region(value: &str) -> ProfileChange {
    ProfileChange::Update {
        name: "dev".into(),
        new_name: "dev".into(),
        keys: [
            ("sso_session", "corp"),
            ("sso_account_id", "111111111111"),
            ("sso_role_name", "Admin"),
            ("region", value),
        ]
        .iter()
        .map(|(k, v)| KeyValue {
            key: (*k).into(),
            value: (*v).into(),
        })
        .collect(),
    }
}

#[test]
fn the_profile_list_names_accounts_from_the_cached_list_and_gives_the_version() {
    let (_home, state, _rx) = app(CONFIG);
    let page = profiles_page(&state).expect("page");
    assert_eq!(page.version, version_of(CONFIG));
    assert_eq!(page.profiles[0].account_name, None, "nothing cached yet");
    let list = AccountList::new(
        "corp",
        "https://d-1.awsapps.com/start",
        state.ctx.clock.now(),
        vec![AccountRoles {
            account: Account {
                account_id: "111111111111".into(),
                account_name: Some("Production".into()),
                email: None,
            },
            roles: vec!["Admin".into()],
        }],
    );
    account_cache::save(&state.ctx.dirs, &list).expect("save");
    let page = profiles_page(&state).expect("page");
    assert_eq!(page.profiles[0].account_name.as_deref(), Some("Production"));
    assert_eq!(
        state
            .known_text(&page.version)
            .as_deref()
            .map(String::as_str),
        Some(CONFIG)
    );
}

#[test]
fn a_saved_edit_is_written_reloads_the_tray_and_a_later_edit_against_the_old_version_conflicts() {
    let (home, state, rx) = app(CONFIG);
    let detail = profile_detail(&state, "dev").expect("detail");
    assert_eq!(detail.line, 6);
    let saved = edit(&state, region("eu-west-1"), &detail.version, true).expect("edit");
    let written = std::fs::read_to_string(config_path(home.path())).expect("read");
    assert_eq!(
        written,
        CONFIG.replace("\nregion = us-east-1", "\nregion = eu-west-1")
    );
    assert!(
        matches!(&saved, EditOutcome::Saved { version, .. } if *version == version_of(&written))
    );
    assert!(matches!(rx.try_recv(), Ok(Command::Reload)));
    // The window still holds the old version: its edit is refused, showing our own save.
    let late = edit(&state, region("ap-south-1"), &detail.version, true).expect("edit");
    assert_eq!(
        late,
        EditOutcome::Conflict {
            changes: "--- a/config\n+++ b/config\n@@ -7,4 +7,4 @@\n sso_session = corp\n \
                      sso_account_id = 111111111111\n sso_role_name = Admin\n\
                      -region = us-east-1\n+region = eu-west-1\n"
                .into(),
            version: version_of(&written),
        }
    );
    assert!(rx.try_recv().is_err(), "nothing written, nothing to reload");
    assert_eq!(
        std::fs::read_to_string(config_path(home.path())).expect("read"),
        written
    );
}

#[test]
fn a_preview_writes_nothing_and_reloads_nothing() {
    let (home, state, rx) = app(CONFIG);
    let out = edit(&state, region("eu-west-1"), &version_of(CONFIG), false).expect("edit");
    let json = serde_json::to_value(&out).expect("json");
    assert_eq!(json["outcome"], "preview");
    assert!(json["diff"]
        .as_str()
        .is_some_and(|d| d.contains("+region = eu-west-1")));
    assert!(rx.try_recv().is_err());
    assert_eq!(
        std::fs::read_to_string(config_path(home.path())).expect("read"),
        CONFIG
    );
}

#[test]
fn editor_errors_cross_ipc_with_their_codes() {
    let (_home, state, _rx) = app(CONFIG);
    let code = |r: Result<EditOutcome, IpcError>| r.err().map_or("ok", |e| e.code());
    assert_eq!(
        profile_detail(&state, "nope").err().map(|e| e.code()),
        Some("profile_not_found")
    );
    let create = |name: &str| ProfileChange::Create {
        name: name.into(),
        keys: Vec::new(),
    };
    let v = version_of(CONFIG);
    assert_eq!(
        code(edit(&state, create("dev"), &v, false)),
        "profile_exists"
    );
    assert_eq!(
        code(edit(&state, create("a]b"), &v, false)),
        "invalid_profile_name"
    );
    let gone = ProfileChange::Delete {
        name: "nope".into(),
    };
    assert_eq!(code(edit(&state, gone, &v, false)), "profile_not_found");
}

#[test]
fn whoami_failures_keep_the_codes_the_window_branches_on() {
    let signed_out = WhoamiError::Credentials(FetchError::Session(SessionError::NotSignedIn {
        name: "corp".into(),
    }));
    assert_eq!(whoami_error(signed_out).code(), "not_signed_in");
    let not_sso = WhoamiError::Credentials(FetchError::Resolve(
        lanyard_core::sessions::resolve::ResolveError::NotSso("x".into()),
    ));
    assert_eq!(whoami_error(not_sso).code(), "not_sso");
    let sts = WhoamiError::Sts(lanyard_core::sts::StsError::Service {
        status: 400,
        code: "ExpiredToken".into(),
        message: "expired".into(),
    });
    assert_eq!(whoami_error(sts).code(), "service_refused");
}

#[test]
fn a_populate_request_is_checked_with_the_codes_of_core() {
    let request = |template: &str, region: Option<&str>| PopulateRequest {
        session: "corp".into(),
        template: template.into(),
        region: region.map(Into::into),
        output: None,
        mode: PopulateModeDto::Prune,
        refresh: false,
    };
    let code = |r: PopulateRequest| r.run().err().map_or("ok", |e| IpcError::from(e).code());
    assert_eq!(code(request("{account_name}.{role_name}", Some(" "))), "ok");
    assert_eq!(code(request("{nope}", None)), "template");
    assert_eq!(
        code(request("{role_name}", Some("eu west"))),
        "invalid_region"
    );
    let run = request("{role_name}", None).run().expect("run");
    assert_eq!(run.mode, lanyard_core::populate::Mode::Prune);
}

fn form() -> SsoSessionForm {
    SsoSessionForm {
        name: "corp".into(),
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        region: "eu-west-1".into(),
        scopes: None,
        use_device_code: false,
        storage: StorageMode::File,
        duration: Some("12h".into()),
    }
}

fn code(f: SsoSessionForm) -> &'static str {
    check_form(&f).err().map_or("ok", |e| e.code())
}

fn profile() -> SsoProfileForm {
    SsoProfileForm {
        profile: "Developer-111122223333".into(),
        sso_session: "corp".into(),
        account_id: "111122223333".into(),
        role_name: "Developer".into(),
        region: Some("eu-west-1".into()),
        output: Some("json".into()),
    }
}

fn profile_code(f: SsoProfileForm) -> &'static str {
    check_profile_form(&f).err().map_or("ok", |e| e.code())
}

#[test]
fn the_wizard_profile_is_checked_like_the_cli() {
    assert_eq!(profile_code(profile()), "ok");
    assert_eq!(
        profile_code(SsoProfileForm {
            profile: "".into(),
            ..profile()
        }),
        "invalid_profile_name"
    );
    assert_eq!(
        profile_code(SsoProfileForm {
            region: Some("eu".into()),
            ..profile()
        }),
        "invalid_region"
    );
    assert_eq!(
        profile_code(SsoProfileForm {
            region: None,
            output: None,
            ..profile()
        }),
        "ok"
    );
    assert_eq!(
        profile_code(SsoProfileForm {
            output: Some("js on".into()),
            ..profile()
        }),
        "invalid_output"
    );
    assert_eq!(
        profile_code(SsoProfileForm {
            role_name: " ".into(),
            ..profile()
        }),
        "invalid_choice"
    );
}

#[test]
fn the_form_is_checked_like_the_config() {
    assert_eq!(code(form()), "ok");
    assert_eq!(
        code(SsoSessionForm {
            name: " ".into(),
            ..form()
        }),
        "invalid_name"
    );
    assert_eq!(
        code(SsoSessionForm {
            name: "a]b".into(),
            ..form()
        }),
        "invalid_name"
    );
    assert_eq!(
        code(SsoSessionForm {
            start_url: "http://x".into(),
            ..form()
        }),
        "invalid_start_url"
    );
    assert_eq!(
        code(SsoSessionForm {
            region: "Frankfurt".into(),
            ..form()
        }),
        "invalid_region"
    );
    assert_eq!(
        code(SsoSessionForm {
            duration: Some("soon".into()),
            ..form()
        }),
        "invalid_duration"
    );
    assert_eq!(
        code(SsoSessionForm {
            duration: Some(" ".into()),
            ..form()
        }),
        "ok"
    );
}
