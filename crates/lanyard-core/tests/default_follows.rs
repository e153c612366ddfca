//! Issue 20: a `[default]` that mirrors a profile follows it — through every Lanyard writer
//! (`edit_and_save`, the window's profile editor, the window's populate) in the same save, and
//! after a hand edit of the profile when the app reads the config (`follow::follow`) — while a
//! hand edit of `[default]` itself stays the person's; "Restore my default" still gives back
//! the person's own default byte for byte.
#![allow(clippy::unwrap_used)]

mod common;
use common::ctx;

use std::fs;
use std::path::PathBuf;

use lanyard_core::config::edit::{self, set_profile_keys, KeyPath};
use lanyard_core::config::files::{self, ConfigFile};
use lanyard_core::config::follow::{self, Followed};
use lanyard_core::config::profile_edit::{self, Change};
use lanyard_core::config::switch::{self, Choice};
use lanyard_core::config::{mirror, Outcome};
use lanyard_core::populate::run::{self as populate_run, Run};
use lanyard_core::populate::Mode;
use lanyard_core::portal::list::{Account, AccountRoles};
use lanyard_core::Context;

const OWN: &str = "\
# mine
[default]
region = eu-west-1
output = json

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
region = us-east-1

[profile prod]
region = eu-central-1

[sso-session corp]
sso_start_url = https://d-1.awsapps.com/start
sso_region = us-east-1
";

/// A sandbox whose config is `text`, with `[default]` made to mirror `dev` by a switch.
fn mirrored(text: &str) -> (tempfile::TempDir, Context, PathBuf) {
    let home = tempfile::tempdir().expect("home");
    let ctx = ctx(home.path());
    ctx.dirs.ensure().expect("dirs");
    let path = lanyard_core::config::config_file_path(&ctx.env);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(&path, text).expect("seed");
    switch::switch_file(&ctx, Choice::Profile("dev")).expect("switch");
    (home, ctx, path)
}

fn reads(path: &PathBuf, profile: &str, key: &str) -> Option<String> {
    let file = ConfigFile::load(path).expect("load");
    let view = file.view().expect("view");
    view.profiles
        .get(profile)
        .and_then(|p| p.get(key))
        .map(str::to_owned)
}

/// What a switch or restore would ask about now (`None`: nothing the person changed).
fn asked(ctx: &Context, path: &PathBuf) -> Option<String> {
    let file = ConfigFile::load(path).expect("load");
    let view = file.view().expect("view");
    switch::default_changes(&ctx.dirs, &file, &view)
}

fn restore(ctx: &Context) {
    switch::switch_file(ctx, Choice::Restore).expect("restore without a question");
}

#[test]
fn issue_20_an_edit_through_edit_and_save_updates_the_default_and_the_record() {
    let (_home, ctx, path) = mirrored(OWN);
    files::edit_and_save(&ctx, &path, |f| {
        set_profile_keys(
            &mut f.doc,
            "dev",
            &[(KeyPath::parse("region"), "ap-south-1".to_owned())],
        )
    })
    .expect("edit");
    assert_eq!(
        reads(&path, "default", "region").as_deref(),
        Some("ap-south-1")
    );
    assert_eq!(
        asked(&ctx, &path),
        None,
        "the record is the default as written"
    );
    restore(&ctx);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        OWN.replace("\nregion = us-east-1", "\nregion = ap-south-1")
    );
}

#[test]
fn issue_20_the_window_editor_previews_and_saves_both_sections() {
    let (_home, ctx, path) = mirrored(OWN);
    let version = ConfigFile::load(&path).unwrap().version();
    let change = Change::Update {
        name: "dev".into(),
        new_name: "dev".into(),
        keys: vec![
            ("sso_session".into(), "corp".into()),
            ("sso_account_id".into(), "111111111111".into()),
            ("sso_role_name".into(), "Dev".into()),
            ("region".into(), "us-west-2".into()),
        ],
    };
    let preview = profile_edit::edit(&ctx, &path, &change, &version, false, &|_| None).unwrap();
    let Outcome::Preview { diff, .. } = &preview.outcome else {
        panic!("{preview:?}")
    };
    assert_eq!(
        diff.matches("+region = us-west-2").count(),
        2,
        "the preview shows [default] too:\n{diff}"
    );
    let saved = profile_edit::edit(&ctx, &path, &change, &version, true, &|_| None).unwrap();
    let Outcome::Saved { diff: written, .. } = &saved.outcome else {
        panic!("{saved:?}")
    };
    assert_eq!(written, diff, "what was previewed is what was written");
    assert_eq!(
        reads(&path, "default", "region").as_deref(),
        Some("us-west-2")
    );
    assert_eq!(asked(&ctx, &path), None);
    // A rename through the editor: [default] mirrors the new name.
    let version = ConfigFile::load(&path).unwrap().version();
    let rename = Change::Update {
        name: "dev".into(),
        new_name: "develop".into(),
        keys: match change {
            Change::Update { keys, .. } => keys,
            _ => unreachable!(),
        },
    };
    profile_edit::edit(&ctx, &path, &rename, &version, true, &|_| None).unwrap();
    assert_eq!(
        reads(&path, "default", switch::MIRRORS_KEY).as_deref(),
        Some("develop")
    );
    assert_eq!(
        mirror::remembered(&ctx.dirs, &path)
            .map(|(p, _)| p)
            .as_deref(),
        Some("develop")
    );
    restore(&ctx);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        OWN.replace("\nregion = us-east-1", "\nregion = us-west-2")
            .replace("[profile dev]", "[profile develop]")
    );
}

#[test]
fn issue_20_removing_the_mirrored_profile_leaves_the_default_and_restore_still_works() {
    let (_home, ctx, path) = mirrored(OWN);
    let record = mirror::remembered(&ctx.dirs, &path);
    files::edit_and_save(&ctx, &path, |f| edit::remove_profile(&mut f.doc, "dev")).unwrap();
    assert_eq!(
        reads(&path, "default", switch::MIRRORS_KEY).as_deref(),
        Some("dev")
    );
    assert_eq!(
        reads(&path, "default", "sso_account_id").as_deref(),
        Some("111111111111")
    );
    assert_eq!(mirror::remembered(&ctx.dirs, &path), record);
    assert_eq!(follow_now(&ctx, &path), None, "nothing to follow");
    restore(&ctx);
    let dev = "[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\n\
               sso_role_name = Dev\nregion = us-east-1\n\n";
    assert_eq!(fs::read_to_string(&path).unwrap(), OWN.replace(dev, ""));
}

#[test]
fn issue_20_the_windows_populate_previews_and_writes_the_default_with_the_profile() {
    let text =
        "# mine\n[sso-session corp]\nsso_start_url = https://x/start\nsso_region = us-east-1\n";
    let home = tempfile::tempdir().unwrap();
    let ctx = ctx(home.path());
    ctx.dirs.ensure().unwrap();
    let path = lanyard_core::config::config_file_path(&ctx.env);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    let accounts = vec![AccountRoles {
        account: Account {
            account_id: "222222222222".into(),
            account_name: Some("Dev".into()),
            email: None,
        },
        roles: vec!["Admin".into()],
    }];
    let run = |region: &str| {
        Run::new(
            "corp",
            "{account_name}.{role_name}",
            Some(region),
            None,
            Mode::Sync,
        )
        .unwrap()
    };
    let first = populate_run::preview(&path, &run("eu-west-1"), &accounts).unwrap();
    populate_run::apply(
        &ctx,
        &path,
        &run("eu-west-1"),
        &accounts,
        &first.version,
        &|_| None,
    )
    .unwrap();
    switch::switch_file(&ctx, Choice::Profile("Dev.Admin")).unwrap();
    let p = populate_run::preview(&path, &run("ap-south-1"), &accounts).unwrap();
    assert_eq!(
        p.diff.matches("+region = ap-south-1").count(),
        2,
        "the preview shows [default] too:\n{}",
        p.diff
    );
    let out = populate_run::apply(
        &ctx,
        &path,
        &run("ap-south-1"),
        &accounts,
        &p.version,
        &|_| None,
    )
    .unwrap();
    assert!(matches!(out.outcome, Outcome::Saved { ref diff, .. } if *diff == p.diff));
    assert_eq!(
        reads(&path, "default", "region").as_deref(),
        Some("ap-south-1")
    );
    assert_eq!(asked(&ctx, &path), None);
    restore(&ctx);
    assert!(
        fs::read_to_string(&path).unwrap().starts_with(text),
        "the file before the switch, plus the generated profile"
    );
    assert_eq!(reads(&path, "default", "region"), None);
}

/// `follow` as the app calls it on the config it just read.
fn follow_now(ctx: &Context, path: &PathBuf) -> Option<Followed> {
    let file = ConfigFile::load(path).unwrap();
    let view = file.view().unwrap();
    follow::follow(ctx, &file, &view).unwrap()
}

#[test]
fn issue_20_a_hand_edit_of_the_profile_is_mirrored_again_once() {
    let (_home, ctx, path) = mirrored(OWN);
    assert_eq!(follow_now(&ctx, &path), None, "nothing changed");
    let text = fs::read_to_string(&path).unwrap();
    // Only [profile dev] (after [default] in the file) changes.
    let at = text.find("[profile dev]").unwrap();
    let hand = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("\nregion = us-east-1\n", "\nregion = ca-central-1\n", 1)
    );
    assert_ne!(hand, text);
    fs::write(&path, &hand).unwrap();
    assert_eq!(
        follow_now(&ctx, &path),
        Some(Followed::Updated {
            profile: "dev".into(),
            kept: false
        })
    );
    assert_eq!(
        reads(&path, "default", "region").as_deref(),
        Some("ca-central-1")
    );
    let written = fs::read(&path).unwrap();
    assert_eq!(follow_now(&ctx, &path), None, "once");
    assert_eq!(fs::read(&path).unwrap(), written);
    assert_eq!(asked(&ctx, &path), None);
    restore(&ctx);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        OWN.replace("\nregion = us-east-1", "\nregion = ca-central-1")
    );
}

#[test]
fn issue_20_a_hand_edit_of_the_default_is_never_overwritten() {
    let (_home, ctx, path) = mirrored(OWN);
    // The person edits [default] (as `aws configure set region` does): not followed.
    let text = fs::read_to_string(&path).unwrap();
    let mine = text.replacen(
        "lanyard_mirrors = dev\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = us-east-1\n",
        "lanyard_mirrors = dev\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = ap-northeast-1\n",
        1,
    );
    assert_ne!(mine, text);
    fs::write(&path, &mine).unwrap();
    assert_eq!(follow_now(&ctx, &path), None);
    assert_eq!(fs::read_to_string(&path).unwrap(), mine, "nothing written");
    // Then the profile changes too (by hand): it is followed, the person's region stays.
    let at = mine.find("[profile dev]").unwrap();
    let both = format!(
        "{}{}",
        &mine[..at],
        mine[at..].replacen("sso_role_name = Dev\n", "sso_role_name = Ops\n", 1)
    );
    fs::write(&path, &both).unwrap();
    assert_eq!(
        follow_now(&ctx, &path),
        Some(Followed::Updated {
            profile: "dev".into(),
            kept: true
        })
    );
    assert_eq!(
        reads(&path, "default", "sso_role_name").as_deref(),
        Some("Ops")
    );
    assert_eq!(
        reads(&path, "default", "region").as_deref(),
        Some("ap-northeast-1")
    );
    // Still the person's change: a restore asks about it.
    let diff = asked(&ctx, &path).expect("asked");
    assert!(diff.contains("+region = ap-northeast-1"), "{diff}");
    // And a Lanyard edit of the profile carries it over too.
    files::edit_and_save(&ctx, &path, |f| {
        set_profile_keys(
            &mut f.doc,
            "dev",
            &[(KeyPath::parse("output"), "yaml".to_owned())],
        )
    })
    .unwrap();
    assert_eq!(reads(&path, "default", "output").as_deref(), Some("yaml"));
    assert_eq!(
        reads(&path, "default", "region").as_deref(),
        Some("ap-northeast-1")
    );
}
