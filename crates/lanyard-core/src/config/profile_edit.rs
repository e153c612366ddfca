//! The profile editor's logic: one profile as the editor opens it (its section's text as
//! written, its keys as botocore reads them, its findings, the file's version), and a change —
//! create, duplicate, update, delete — made on the lossless document (every other byte of the
//! file kept), checked for new errors, then previewed as a diff or saved against the version the
//! editor read (see [`super::versioned`]).

use std::path::Path;

use aws_config_edit::Document;

use super::edit::{check_profile_name, find, header_for, remove_profile, rename_profile, Kind};
use super::files::ConfigFile;
use super::secrets::{hide_secrets, is_secret_key, HIDDEN};
use super::validate::{new_findings, Finding, Severity, Validation};
use super::versioned::{self, Edited, Known, Outcome};
use super::view::{classify, SectionKind};
use crate::context::Context;
use crate::error::{Error, Result};

/// One profile as the editor opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// The profile.
    pub name: String,
    /// The text of its section(s) as written, in file order: header, keys and the comments
    /// between them (see [`Document::section_text`]).
    pub text: String,
    /// The 1-based line of its (first) header.
    pub line: usize,
    /// Its plain keys (botocore's lower-cased names) with their values, in file order, each
    /// once: a repeated key keeps its first place and takes its last value. From the section
    /// botocore reads when several map to the name (`[default]` and `[profile default]`).
    pub keys: Vec<(String, String)>,
    /// Its keys that hold a nested block (`s3 =` and its indented lines).
    pub nested: Vec<String>,
    /// The validation findings about it.
    pub findings: Vec<Finding>,
    /// The file's version (see [`ConfigFile::version`]).
    pub version: String,
}

/// A change to the profiles of the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new `[profile NAME]` with these keys, appended.
    Create {
        /// Its name.
        name: String,
        /// Its keys, in order.
        keys: Vec<(String, String)>,
    },
    /// A copy of `name`'s section (comments and nested blocks included) as `new_name`,
    /// appended.
    Duplicate {
        /// The profile copied.
        name: String,
        /// The copy's name.
        new_name: String,
    },
    /// Sets the profile's plain keys to exactly `keys`: a changed value replaced in its own
    /// line, a key not given removed, a new one added after the last key; comments and nested
    /// blocks kept. Renamed (headers rewritten in place) when `new_name` differs.
    Update {
        /// The profile edited.
        name: String,
        /// Its name after the edit.
        new_name: String,
        /// Its plain keys after the edit.
        keys: Vec<(String, String)>,
    },
    /// Removes every section botocore maps to the name.
    Delete {
        /// The profile.
        name: String,
    },
}

impl Change {
    /// The profiles the change leaves edited (whose findings the editor shows).
    fn edited(&self) -> Vec<&str> {
        match self {
            Change::Create { name, .. } => vec![name.trim()],
            Change::Duplicate { new_name, .. } | Change::Update { new_name, .. } => {
                vec![new_name.trim()]
            }
            Change::Delete { .. } => Vec::new(),
        }
    }
}

/// The findings of `findings` about profile `name` (by the section they name).
fn about<'f>(findings: &'f [Finding], names: &[&str]) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| {
            f.section.as_deref().is_some_and(|s| match classify(s) {
                SectionKind::Profile(n) => names.contains(&&*n),
                _ => false,
            })
        })
        .collect()
}

/// The profile `name` as the editor opens it.
pub fn detail(file: &ConfigFile, name: &str) -> Result<Detail> {
    let doc = &file.doc;
    let all = super::edit::sections_for(doc, Kind::Profile, name);
    let (Some(&first), Some(&read)) = (all.first(), all.last()) else {
        return Err(Error::ProfileNotFound(name.to_owned()));
    };
    // Secret values (static credentials) never leave here: the window sees them hidden.
    let text: String = hide_secrets(
        &all.iter()
            .filter_map(|&i| doc.section_text(i))
            .collect::<String>(),
    );
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut nested: Vec<String> = Vec::new();
    for e in doc.sections()[read].entries() {
        let key = e.key();
        if e.is_nested() {
            if !nested.iter().any(|k| k == key) {
                nested.push(key.to_owned());
            }
        } else {
            let value = if is_secret_key(key) {
                HIDDEN
            } else {
                e.value()
            };
            if let Some(kv) = keys.iter_mut().find(|(k, _)| k == key) {
                kv.1 = value.to_owned();
            } else {
                keys.push((key.to_owned(), value.to_owned()));
            }
        }
    }
    let validation = Validation::of(doc, file.path());
    Ok(Detail {
        name: name.to_owned(),
        text,
        line: doc.sections()[first].line(),
        keys,
        nested,
        findings: about(&validation.findings, &[name])
            .into_iter()
            .cloned()
            .collect(),
        version: file.version(),
    })
}

fn edit_err(e: aws_config_edit::EditError) -> Error {
    Error::ConfigEdit(e.to_string())
}

/// Keys as given, trimmed (botocore strips keys and values); a key given twice (as botocore
/// names keys, case-insensitively) or empty is refused.
fn clean_keys(keys: &[(String, String)]) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(keys.len());
    for (k, v) in keys {
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() {
            // Not the value itself: it may be a secret.
            return Err(Error::ConfigEdit("a value has no key name".into()));
        }
        if out
            .iter()
            .any(|(o, _)| o.to_lowercase() == k.to_lowercase())
        {
            return Err(Error::ConfigEdit(format!("the key {k} is given twice")));
        }
        out.push((k.to_owned(), v.to_owned()));
    }
    Ok(out)
}

/// A secret key given with the hidden placeholder where the file has no value to keep.
fn hidden_without_value(key: &str) -> Error {
    Error::ConfigEdit(format!("{key} has no value to keep: enter its value"))
}

/// Puts a profile in its session's storage form after an edit (see
/// [`super::sso_form::conform_profile`]); nothing changes for other profiles.
fn conform(doc: &mut Document, name: &str) -> Result<()> {
    super::sso_form::conform_profile(doc, name, &crate::credentials::lanyard_executable())?;
    Ok(())
}

/// Makes `change` on the document; on failure the document is as it was.
pub fn apply(doc: &mut Document, change: &Change) -> Result<()> {
    match change {
        Change::Create { name, keys } => {
            let name = name.trim();
            check_profile_name(name)?;
            if find(doc, Kind::Profile, name).is_some() {
                return Err(Error::ProfileExists(name.to_owned()));
            }
            let keys = clean_keys(keys)?;
            if let Some((k, _)) = keys.iter().find(|(k, v)| is_secret_key(k) && v == HIDDEN) {
                return Err(hidden_without_value(k));
            }
            let header = header_for(Kind::Profile, name)?;
            doc.transaction(|doc| {
                let i = doc.add_section(&header).map_err(edit_err)?;
                for (k, v) in &keys {
                    doc.set_value(i, k, v).map_err(edit_err)?;
                }
                conform(doc, name)
            })
        }
        Change::Duplicate { name, new_name } => {
            let new_name = new_name.trim();
            let i = find(doc, Kind::Profile, name)
                .ok_or_else(|| Error::ProfileNotFound(name.clone()))?;
            check_profile_name(new_name)?;
            if find(doc, Kind::Profile, new_name).is_some() {
                return Err(Error::ProfileExists(new_name.to_owned()));
            }
            let header = header_for(Kind::Profile, new_name)?;
            doc.transaction(|doc| {
                doc.append_section_copy(i, &header).map_err(edit_err)?;
                conform(doc, new_name)
            })
        }
        Change::Update {
            name,
            new_name,
            keys,
        } => update(doc, name, new_name.trim(), keys),
        Change::Delete { name } => remove_profile(doc, name),
    }
}

fn update(doc: &mut Document, name: &str, new_name: &str, keys: &[(String, String)]) -> Result<()> {
    let i = find(doc, Kind::Profile, name).ok_or_else(|| Error::ProfileNotFound(name.into()))?;
    if new_name != name {
        check_profile_name(new_name)?;
        if find(doc, Kind::Profile, new_name).is_some() {
            return Err(Error::ProfileExists(new_name.to_owned()));
        }
    }
    let keys = clean_keys(keys)?;
    let wanted: Vec<String> = keys.iter().map(|(k, _)| k.to_lowercase()).collect();
    doc.transaction(|doc| {
        let entries = doc.sections()[i].entries();
        if let Some(k) = entries
            .iter()
            .find(|e| e.is_nested() && wanted.iter().any(|w| w == e.key()))
        {
            return Err(Error::ConfigEdit(format!(
                "{} holds a nested block, which is kept as it is: edit it in the file",
                k.key()
            )));
        }
        let mut gone: Vec<String> = entries
            .iter()
            .filter(|e| !e.is_nested() && !wanted.iter().any(|w| w == e.key()))
            .map(|e| e.key().to_owned())
            .collect();
        gone.dedup();
        for k in &gone {
            doc.remove_key(i, k).map_err(edit_err)?;
        }
        for ((k, v), lower) in keys.iter().zip(&wanted) {
            let lines: Vec<String> = doc.sections()[i]
                .entries()
                .iter()
                .filter(|e| e.key() == lower)
                .map(|e| e.value().to_owned())
                .collect();
            if is_secret_key(k) && v == HIDDEN {
                // The hidden value given back: the file keeps its own.
                if lines.is_empty() {
                    return Err(hidden_without_value(k));
                }
                continue;
            }
            match lines.as_slice() {
                // Botocore reads the last of a repeated key (the file is refused meanwhile):
                // the one line left holds the value.
                [.., last] if lines.len() > 1 => {
                    if last != v {
                        doc.replace_key(i, k, k, v).map_err(edit_err)?;
                    }
                }
                [one] if one == v => {}
                _ => doc.set_value(i, k, v).map_err(edit_err)?,
            }
        }
        if new_name == name {
            conform(doc, name)
        } else {
            rename_profile(doc, name, new_name)
        }
    })
}

/// Previews (`save` false) or saves `change` to the config file at `path`, made against the
/// file at `version`: [`Outcome::Conflict`] when the file is no longer at that version (its
/// changes since, when `known` has that version's text), [`Outcome::Invalid`] when the change
/// brings in an error finding, else the diff ([`Outcome::Preview`]) or the write
/// ([`Outcome::Saved`], or a conflict when another program wrote the file meanwhile). Nothing
/// is written but a save.
pub fn edit(
    ctx: &Context,
    path: &Path,
    change: &Change,
    version: &str,
    save: bool,
    known: Known<'_>,
) -> Result<Edited> {
    let mut file = ConfigFile::load(path)?;
    if let Some(conflict) = versioned::conflict(&file, version, known) {
        return Ok(conflict);
    }
    let before = Validation::of(&file.doc, file.path()).findings;
    apply(&mut file.doc, change)?;
    // A [default] mirroring the profile follows it in the same save (and preview).
    let followed = super::follow::in_file(&ctx.dirs, &mut file)?;
    let after = file.check().findings;
    let mut findings: Vec<Finding> = about(&after, &change.edited())
        .into_iter()
        .cloned()
        .collect();
    let errors: Vec<&Finding> = new_findings(&before, &after)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let version = file.version();
    if !errors.is_empty() {
        for f in errors {
            if !findings.contains(f) {
                findings.push(f.clone());
            }
        }
        findings.sort_by_key(|f| f.line.unwrap_or(0));
        return Ok(Edited {
            outcome: Outcome::Invalid { findings, version },
            text: file.loaded_shared(),
        });
    }
    if save {
        return super::follow::save(ctx, &mut file, followed);
    }
    let diff = versioned::diff(
        file.path(),
        file.loaded_text().unwrap_or_default(),
        &file.doc.to_text(),
    );
    Ok(Edited {
        outcome: Outcome::Preview {
            diff,
            findings,
            version,
        },
        text: file.loaded_shared(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
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
}
