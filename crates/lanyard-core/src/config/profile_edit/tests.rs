//! Tests of the profile editor: detail, create, duplicate, update and delete on the lossless
//! document, secrets kept hidden, previews and saves against a version.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use super::*;
use crate::config::files::version_of;
use crate::env::Env;

const CONFIG: &str = "\
# Work config — keep these notes
[default]
region = eu-west-1

# dev account (OPS-1234)
[profile dev]
sso_session = corp
sso_account_id = 111122223333
  # an indented comment
sso_role_name = Developer
region   =   eu-west-1   
s3 =
    max_concurrent_requests = 20
output = json ; pretty
# trailing note

[profile ops]
region = us-east-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
";

fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn dev_keys() -> Vec<(String, String)> {
    kv(&[
        ("sso_session", "corp"),
        ("sso_account_id", "111122223333"),
        ("sso_role_name", "Developer"),
        ("region", "eu-west-1"),
        ("output", "json ; pretty"),
    ])
}

fn update(name: &str, new_name: &str, keys: Vec<(String, String)>) -> Change {
    Change::Update {
        name: name.into(),
        new_name: new_name.into(),
        keys,
    }
}

/// The file after `change`, or the error's code.
fn run(text: &str, change: &Change) -> Result<String, &'static str> {
    let mut doc = Document::parse(text);
    match apply(&mut doc, change) {
        Ok(()) => Ok(doc.to_string()),
        Err(e) => {
            assert_eq!(doc.to_string(), text, "a refused change changes nothing");
            Err(e.code())
        }
    }
}

fn file(text: &str) -> (tempfile::TempDir, std::path::PathBuf, Context) {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config");
    std::fs::write(&path, text).unwrap();
    let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).unwrap();
    (home, path, ctx)
}

#[test]
fn detail_has_the_section_text_as_written_its_keys_nested_blocks_findings_and_version() {
    let (_home, path, _) = file(CONFIG);
    let f = ConfigFile::load(&path).unwrap();
    let d = detail(&f, "dev").unwrap();
    assert_eq!(
        d.text,
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n  # an indented comment\n\
             sso_role_name = Developer\nregion   =   eu-west-1   \ns3 =\n    max_concurrent_requests = 20\n\
             output = json ; pretty\n"
    );
    assert_eq!(d.line, 6);
    assert_eq!(d.keys, dev_keys());
    assert_eq!(d.nested, ["s3"]);
    let codes: Vec<(&str, Option<&str>, Option<usize>)> = d
        .findings
        .iter()
        .map(|f| (f.code, f.key.as_deref(), f.line))
        .collect();
    // "json ; pretty" is the whole value: no output format the AWS CLI has.
    assert_eq!(
        codes,
        [
            ("invalid_output", Some("output"), Some(14)),
            ("inline_comment_in_value", Some("output"), Some(14))
        ]
    );
    assert_eq!(d.version, version_of(CONFIG));
    let e = detail(&f, "nope").unwrap_err();
    assert_eq!(e.code(), "profile_not_found");
    assert!(e.to_string().contains("\"nope\""), "{e}");
}

#[test]
fn detail_reads_the_last_of_a_repeated_key_and_shows_every_section_of_the_name() {
    let mut f = ConfigFile::load("/nonexistent/lanyard-test-config").unwrap();
    f.doc = Document::parse("[default]\na = 0\n[profile default]\na = 1\nb = 2\nA = 3\n");
    let d = detail(&f, "default").unwrap();
    assert_eq!(
        d.text,
        "[default]\na = 0\n[profile default]\na = 1\nb = 2\nA = 3\n"
    );
    assert_eq!(d.line, 1);
    assert_eq!(d.keys, kv(&[("a", "3"), ("b", "2")]));
    assert_eq!(d.version, "");
}

#[test]
fn create_appends_the_profile_with_its_keys_and_refuses_a_taken_or_bad_name() {
    let keys = kv(&[("region", "us-west-2"), ("output", "json")]);
    let create = |name: &str| Change::Create {
        name: name.into(),
        keys: keys.clone(),
    };
    assert_eq!(
        run(CONFIG, &create("new")).unwrap(),
        format!("{CONFIG}[profile new]\nregion = us-west-2\noutput = json\n")
    );
    assert_eq!(
        run(CONFIG, &create("team alpha")).unwrap(),
        format!("{CONFIG}[profile 'team alpha']\nregion = us-west-2\noutput = json\n")
    );
    assert_eq!(run(CONFIG, &create("ops")), Err("profile_exists"));
    assert_eq!(run(CONFIG, &create("a]b")), Err("invalid_profile_name"));
    assert_eq!(run(CONFIG, &create(" ")), Err("invalid_profile_name"));
    let twice = Change::Create {
        name: "x".into(),
        keys: kv(&[("region", "a"), ("Region", "b")]),
    };
    assert_eq!(run(CONFIG, &twice), Err("config_edit"));
}

#[test]
fn duplicate_copies_the_section_verbatim_comments_and_nested_blocks_included() {
    let dup = |new: &str| Change::Duplicate {
        name: "dev".into(),
        new_name: new.into(),
    };
    assert_eq!(
        run(CONFIG, &dup("dev copy")).unwrap(),
        format!(
            "{CONFIG}[profile 'dev copy']\nsso_session = corp\nsso_account_id = 111122223333\n  # an indented comment\n\
                 sso_role_name = Developer\nregion   =   eu-west-1   \ns3 =\n    max_concurrent_requests = 20\n\
                 output = json ; pretty\n"
        )
    );
    assert_eq!(run(CONFIG, &dup("ops")), Err("profile_exists"));
    let missing = Change::Duplicate {
        name: "nope".into(),
        new_name: "x".into(),
    };
    assert_eq!(run(CONFIG, &missing), Err("profile_not_found"));
}

#[test]
fn update_of_one_value_rewrites_only_that_value_in_its_line() {
    let mut keys = dev_keys();
    keys[3].1 = "us-west-2".into();
    assert_eq!(
        run(CONFIG, &update("dev", "dev", keys)).unwrap(),
        CONFIG.replace(
            "region   =   eu-west-1   \ns3",
            "region   =   us-west-2   \ns3"
        )
    );
    assert_eq!(
        run(CONFIG, &update("dev", "dev", dev_keys())).unwrap(),
        CONFIG,
        "the same keys change nothing"
    );
}

#[test]
fn update_removes_keys_not_given_and_adds_new_ones_keeping_comments_and_nested_blocks() {
    let mut keys = dev_keys();
    keys.remove(4); // output
    keys.remove(1); // sso_account_id
    keys.push(("cli_pager".into(), "less".into()));
    assert_eq!(
        run(CONFIG, &update("dev", "dev", keys)).unwrap(),
        CONFIG
            .replace("sso_account_id = 111122223333\n", "")
            .replace("output = json ; pretty\n", "cli_pager = less\n")
    );
}

#[test]
fn update_renames_the_header_in_place_and_refuses_a_taken_name_or_a_nested_key() {
    let renamed = run(CONFIG, &update("dev", "dev2", dev_keys())).unwrap();
    assert_eq!(renamed, CONFIG.replace("[profile dev]", "[profile dev2]"));
    assert_eq!(
        run(CONFIG, &update("dev", "ops", dev_keys())),
        Err("profile_exists")
    );
    assert_eq!(
        run(CONFIG, &update("nope", "nope", dev_keys())),
        Err("profile_not_found")
    );
    let mut nested = dev_keys();
    nested.push(("s3".into(), "x".into()));
    assert_eq!(
        run(CONFIG, &update("dev", "dev", nested)),
        Err("config_edit")
    );
}

#[test]
fn delete_removes_the_section_and_the_comment_above_it() {
    let gone = run(CONFIG, &Change::Delete { name: "dev".into() }).unwrap();
    let start = CONFIG.find("# dev account").unwrap();
    let end = CONFIG.find("# trailing note").unwrap();
    assert_eq!(gone, format!("{}{}", &CONFIG[..start], &CONFIG[end..]));
    assert_eq!(
        run(
            CONFIG,
            &Change::Delete {
                name: "nope".into()
            }
        ),
        Err("profile_not_found")
    );
}

#[test]
fn a_preview_shows_the_diff_and_the_edited_profiles_findings_and_writes_nothing() {
    let (_home, path, ctx) = file(CONFIG);
    let version = version_of(CONFIG);
    let mut keys = dev_keys();
    keys[3].1 = "us-west-2".into();
    let out = edit(
        &ctx,
        &path,
        &update("dev", "dev", keys),
        &version,
        false,
        &|_| None,
    )
    .unwrap();
    let Outcome::Preview {
        diff,
        findings,
        version: v,
    } = out.outcome
    else {
        panic!("{out:?}")
    };
    assert_eq!(
        diff,
        "--- a/config\n+++ b/config\n@@ -8,7 +8,7 @@\n sso_account_id = 111122223333\n   # an indented comment\n \
             sso_role_name = Developer\n-region   =   eu-west-1   \n+region   =   us-west-2   \n s3 =\n     \
             max_concurrent_requests = 20\n output = json ; pretty\n"
    );
    assert_eq!(findings.len(), 2);
    assert!(findings.iter().all(|f| f.key.as_deref() == Some("output")));
    assert_eq!(v, version);
    assert_eq!(out.text.as_deref().map(String::as_str), Some(CONFIG));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
}

#[test]
fn an_edit_that_brings_in_an_error_is_invalid_and_writes_nothing() {
    let (_home, path, ctx) = file(CONFIG);
    let mut keys = dev_keys();
    keys[0].1 = "nope".into();
    let out = edit(
        &ctx,
        &path,
        &update("dev", "dev", keys),
        &version_of(CONFIG),
        true,
        &|_| None,
    )
    .unwrap();
    let Outcome::Invalid { findings, version } = out.outcome else {
        panic!("{out:?}")
    };
    let errors: Vec<(&str, Option<&str>)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code, f.key.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            ("sso_session_not_found", Some("sso_session")),
            ("invalid_output", Some("output"))
        ]
    );
    assert_eq!(version, version_of(CONFIG));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
    // Issue 20: a value Lanyard refuses to write is such an error, in the refusal's words.
    let mut keys = dev_keys();
    keys[3].1 = "US East".into();
    let out = edit(
        &ctx,
        &path,
        &update("dev", "dev", keys),
        &version,
        true,
        &|_| None,
    );
    let Outcome::Invalid { findings, .. } = out.unwrap().outcome else {
        panic!("not refused")
    };
    assert!(findings.iter().any(|f| f.code == "invalid_region"
        && f.severity == Severity::Error
        && f.message.contains("\"US East\"")));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
}

#[test]
fn an_edit_against_an_older_version_is_a_conflict_showing_the_changes_since() {
    let theirs = CONFIG.replace("region = us-east-1", "region = ap-south-1");
    let (_home, path, ctx) = file(&theirs);
    let mine = version_of(CONFIG);
    let text = Arc::new(CONFIG.to_owned());
    let known = |v: &str| (v == mine).then(|| Arc::clone(&text));
    let out = edit(
        &ctx,
        &path,
        &Change::Delete { name: "dev".into() },
        &mine,
        true,
        &known,
    )
    .unwrap();
    assert_eq!(
        out.outcome,
        Outcome::Conflict {
            changes: "--- a/config\n+++ b/config\n@@ -15,7 +15,7 @@\n # trailing note\n \n [profile ops]\n\
                          -region = us-east-1\n+region = ap-south-1\n \n [sso-session corp]\n \
                          sso_start_url = https://d-1234567890.awsapps.com/start\n"
                .into(),
            version: version_of(&theirs),
        }
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

const STATIC: &str = "\
[profile static]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG
aws_session_token = FQoGZXIvYXdzEJr
region = eu-west-1
";

/// No secret value leaves the editor's logic: not in the section text or the keys the
/// window gets, not in a preview's diff, not in a conflict's changes; the hidden value given
/// back keeps the file's own, so a region edit changes only the region line.
#[test]
fn secret_values_are_hidden_from_the_editor_and_kept_when_given_back_hidden() {
    let (_home, path, ctx) = file(STATIC);
    let d = detail(&ConfigFile::load(&path).unwrap(), "static").unwrap();
    let shown = format!("{d:?}");
    for secret in ["wJalrXUtnFEMI/K7MDENG", "FQoGZXIvYXdzEJr"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(d
        .text
        .contains("aws_secret_access_key = (hidden by Lanyard)\n"));
    assert_eq!(
        d.keys,
        kv(&[
            ("aws_access_key_id", "AKIDEXAMPLE"),
            ("aws_secret_access_key", HIDDEN),
            ("aws_session_token", HIDDEN),
            ("region", "eu-west-1"),
        ])
    );
    // The form sends the keys back as shown, with the region changed.
    let mut keys = d.keys.clone();
    keys[3].1 = "eu-north-1".into();
    let change = update("static", "static", keys);
    let preview = edit(&ctx, &path, &change, &d.version, false, &|_| None).unwrap();
    let Outcome::Preview { diff, .. } = &preview.outcome else {
        panic!("{preview:?}")
    };
    assert!(
        !diff.contains("FQoGZXIvYXdzEJr") && !diff.contains("wJalr"),
        "{diff}"
    );
    edit(&ctx, &path, &change, &d.version, true, &|_| None).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        STATIC.replace("region = eu-west-1", "region = eu-north-1")
    );
    // A new value typed in is written; a hidden one where the file has none is refused.
    let mut keys = d.keys.clone();
    keys[1].1 = "new-secret".into();
    let written = run(STATIC, &update("static", "static", keys)).unwrap();
    assert!(written.contains("aws_secret_access_key = new-secret\n"));
    assert_eq!(
        run(
            STATIC,
            &Change::Create {
                name: "copy".into(),
                keys: kv(&[("aws_secret_access_key", HIDDEN)]),
            }
        ),
        Err("config_edit")
    );
    // Another program's new secret shows hidden in a conflict's changes.
    let theirs = STATIC.replace("FQoGZXIvYXdzEJr", "IQoJb3JpZ2luX2VjEKz");
    std::fs::write(&path, &theirs).unwrap();
    let text = Arc::new(STATIC.to_owned());
    let mine = version_of(STATIC);
    let known = |v: &str| (v == mine).then(|| Arc::clone(&text));
    let out = edit(&ctx, &path, &change, &mine, true, &known).unwrap();
    let Outcome::Conflict { changes, .. } = &out.outcome else {
        panic!("{out:?}")
    };
    assert!(
        changes.contains("+aws_session_token = (hidden by Lanyard)\n"),
        "{changes}"
    );
    assert!(!changes.contains("IQoJb3JpZ2luX2VjEKz") && !changes.contains("FQoGZXIvYXdzEJr"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn a_save_writes_the_edit_backs_up_the_old_file_and_answers_the_new_version() {
    let (_home, path, ctx) = file(CONFIG);
    let change = Change::Duplicate {
        name: "ops".into(),
        new_name: "ops2".into(),
    };
    let out = edit(&ctx, &path, &change, &version_of(CONFIG), true, &|_| None).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written,
        format!("{CONFIG}[profile ops2]\nregion = us-east-1\n")
    );
    assert_eq!(
        out.outcome,
        Outcome::Saved {
            diff: "--- a/config\n+++ b/config\n@@ -20,3 +20,5 @@\n [sso-session corp]\n \
                       sso_start_url = https://d-1234567890.awsapps.com/start\n sso_region = eu-west-1\n\
                       +[profile ops2]\n+region = us-east-1\n"
                .into(),
            version: version_of(&written),
        }
    );
    let backups = super::super::files::list_backups(&ctx.dirs.backups_dir(), &path).unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), CONFIG);
}

#[test]
fn editing_one_value_in_a_file_of_10000_profiles_changes_exactly_that_line() {
    let mut text = String::from("# generated by hand\n");
    for n in 0..10_000 {
        text.push_str(&format!(
            "# profile {n}\n[profile p{n}]\nregion = us-east-1\n; why\noutput = json\n\n"
        ));
    }
    let (_home, path, ctx) = file(&text);
    let change = update(
        "p5000",
        "p5000",
        kv(&[("region", "eu-central-1"), ("output", "json")]),
    );
    let out = edit(&ctx, &path, &change, &version_of(&text), true, &|_| None).unwrap();
    assert!(matches!(out.outcome, Outcome::Saved { .. }), "{out:?}");
    let written = std::fs::read_to_string(&path).unwrap();
    let (old, new): (Vec<&str>, Vec<&str>) = (
        text.split_inclusive('\n').collect(),
        written.split_inclusive('\n').collect(),
    );
    assert_eq!(old.len(), new.len());
    let changed: Vec<(usize, &str, &str)> = old
        .iter()
        .zip(&new)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i + 1, *a, *b))
        .collect();
    let line = 1 + 5000 * 6 + 3;
    assert_eq!(
        changed,
        [(line, "region = us-east-1\n", "region = eu-central-1\n")]
    );
}
