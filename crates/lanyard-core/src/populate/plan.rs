//! What `populate` changes in the config, decided before anything is written: one profile per
//! account × role named by the template, collisions resolved by appending `-{account_id}`,
//! hand-made profiles never touched, generated profiles (`lanyard_generated = SESSION`) updated
//! in place, and with `--prune` (or `--remove`) the generated ones no longer wanted removed.
//! [`apply`] then makes exactly those edits on the lossless document.

use std::path::Path;

use crate::config::sso_form::session_profile_keys;
use crate::sessions::store::Storage;
use std::collections::{HashMap, HashSet};

use aws_config_edit::{Document, Newline};

use crate::config::edit::{header_for, Kind};
use crate::config::error::ConfigError;
use crate::config::naming::{invalid_reason, PopulateError, Template, Values};
use crate::config::view::{classify, SectionKind};
use crate::config::ConfigView;
use crate::error::{Error, Result};
use crate::portal::list::AccountRoles;

/// The key that marks a profile as generated, and for which session.
pub const MARKER: &str = "lanyard_generated";

/// What to do about generated profiles that are no longer wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Add and update; keep the others (they are reported).
    Sync,
    /// Add and update, and remove generated profiles of the session that are not wanted.
    Prune,
    /// Remove every profile generated for the session; add nothing.
    Remove,
}

/// The inputs of a plan.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The sso-session.
    pub session: &'a str,
    /// The name template.
    pub template: &'a Template,
    /// `region` for every generated profile (`None`: leave it as it is).
    pub region: Option<&'a str>,
    /// `output` for every generated profile (`None`: leave it as it is).
    pub output: Option<&'a str>,
    /// Sync, prune or remove.
    pub mode: Mode,
    /// In secure mode (the session's tokens in the keychain), the `lanyard` executable the
    /// profiles' `credential_process` runs; `None` writes the SDKs' `sso_*` keys.
    pub secure: Option<&'a std::path::Path>,
}

/// A profile to write: its name and the keys to set, in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileEdit {
    /// The profile.
    pub name: String,
    /// The account.
    pub account_id: String,
    /// The role.
    pub role_name: String,
    /// Keys to set (all of them for a new profile, the changed ones for an update).
    pub keys: Vec<(&'static str, String)>,
}

/// Why a generated profile is (or would be) removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its account or role is no longer assigned to the person.
    Gone,
    /// Its account and role now get another name (a renamed account, another template).
    Renamed(String),
    /// `--remove`.
    Removed,
}

/// A generated profile that is not wanted any more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The profile.
    pub name: String,
    /// Why.
    pub reason: Reason,
}

/// A name that got `-{account_id}` appended, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suffixed {
    /// What the template gave.
    pub base: String,
    /// The name used.
    pub name: String,
    /// `true` when a hand-made profile held the name, `false` when two pairs shared it.
    pub hand_made: bool,
}

/// Everything a populate would change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// New profiles, in the order they are appended.
    pub add: Vec<ProfileEdit>,
    /// Generated profiles whose keys change.
    pub update: Vec<ProfileEdit>,
    /// Generated profiles to remove.
    pub remove: Vec<Removal>,
    /// Generated profiles not wanted but kept (no `--prune`).
    pub kept: Vec<Removal>,
    /// Generated profiles already as wanted.
    pub unchanged: usize,
    /// Names that collided and got `-{account_id}`.
    pub suffixed: Vec<Suffixed>,
}

impl Plan {
    /// Whether the plan writes nothing.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.update.is_empty() && self.remove.is_empty()
    }
}

/// A profile generated for `session`: its `lanyard_generated` says so.
fn generated_for(view: &ConfigView<'_>, name: &str, session: &str) -> bool {
    view.profiles
        .get(name)
        .is_some_and(|p| p.get(MARKER) == Some(session))
}

/// An account id, a role name and a profile name for them.
pub(crate) type Named<'a> = (&'a str, &'a str, String);

/// Every account × role pair, in the list's order, and the name the template gives it (cleaned;
/// before collisions are resolved). A name that cannot be used fails.
pub(crate) fn base_names<'a>(
    accounts: &'a [AccountRoles],
    template: &Template,
    session: &str,
) -> Result<Vec<Named<'a>>, PopulateError> {
    let mut pairs = Vec::new();
    for a in accounts {
        let id = a.account.account_id.as_str();
        for role in &a.roles {
            let base = template.render(&Values {
                account_name: a.account.account_name.as_deref().unwrap_or(""),
                account_id: id,
                role_name: role,
                session,
            });
            if let Some(reason) = invalid_reason(&base) {
                return Err(PopulateError::InvalidName {
                    template: template.as_str().to_owned(),
                    name: base,
                    account_id: id.to_owned(),
                    role_name: role.clone(),
                    reason,
                });
            }
            pairs.push((id, role.as_str(), base));
        }
    }
    Ok(pairs)
}

/// The names used for `pairs` (from [`base_names`]): a shared name, or one a person made
/// (`hand_made`), gets `-{account_id}` for every pair that wants it (so that no pair's name
/// depends on the order of the listing). Fails when a name is still a hand-made profile's, or
/// still shared.
pub(crate) fn final_names<'a>(
    pairs: &[Named<'a>],
    template: &Template,
    session: &str,
    hand_made: impl Fn(&str) -> bool,
) -> Result<(Vec<Named<'a>>, Vec<Suffixed>), PopulateError> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for (_, _, base) in pairs {
        *count.entry(base.as_str()).or_default() += 1;
    }
    let mut suffixed = Vec::new();
    let mut wanted: Vec<Named<'a>> = Vec::with_capacity(pairs.len());
    for (id, role, base) in pairs {
        let shared = count[base.as_str()] > 1;
        let taken = hand_made(base);
        let name = if shared || taken {
            let name = crate::config::naming::clean(&format!("{base}-{id}"));
            suffixed.push(Suffixed {
                base: base.clone(),
                name: name.clone(),
                hand_made: taken,
            });
            name
        } else {
            base.clone()
        };
        if hand_made(&name) {
            return Err(PopulateError::Taken {
                name,
                account_id: (*id).to_owned(),
                role_name: (*role).to_owned(),
                session: session.to_owned(),
            });
        }
        wanted.push((id, role, name));
    }
    let mut by_name: HashMap<&str, (&str, &str)> = HashMap::with_capacity(wanted.len());
    for (id, role, name) in &wanted {
        if let Some((id0, role0)) = by_name.insert(name.as_str(), (id, role)) {
            return Err(PopulateError::Ambiguous {
                template: template.as_str().to_owned(),
                name: name.clone(),
                first: format!("account {id0} role {role0}"),
                second: format!("account {id} role {role}"),
            });
        }
    }
    Ok((wanted, suffixed))
}

/// The plan for `accounts` (as fetched) against the config as read.
pub fn plan(
    view: &ConfigView<'_>,
    accounts: &[AccountRoles],
    opts: &Options<'_>,
) -> Result<Plan, PopulateError> {
    let session = opts.session;
    let ours: Vec<&str> = view
        .profiles
        .keys()
        .map(|k| &**k)
        .filter(|n| generated_for(view, n, session))
        .collect();
    if opts.mode == Mode::Remove {
        return Ok(Plan {
            remove: ours
                .iter()
                .map(|n| Removal {
                    name: (*n).to_owned(),
                    reason: Reason::Removed,
                })
                .collect(),
            ..Plan::default()
        });
    }
    let hand_made =
        |name: &str| view.profiles.contains_key(name) && !generated_for(view, name, session);

    let pairs = base_names(accounts, opts.template, session)?;
    let (wanted, suffixed) = final_names(&pairs, opts.template, session, hand_made)?;
    let mut plan = Plan {
        suffixed,
        ..Plan::default()
    };

    for (id, role, name) in &wanted {
        let mut keys = match opts.secure {
            None => session_profile_keys(session, Storage::File, name, id, role, Path::new("")),
            Some(lanyard) => {
                session_profile_keys(session, Storage::Keychain, name, id, role, lanyard)
            }
        };
        if let Some(r) = opts.region {
            keys.push(("region", r.to_owned()));
        }
        if let Some(o) = opts.output {
            keys.push(("output", o.to_owned()));
        }
        keys.push((MARKER, session.to_owned()));
        let edit = |keys| ProfileEdit {
            name: name.clone(),
            account_id: (*id).to_owned(),
            role_name: (*role).to_owned(),
            keys,
        };
        match view.profiles.get(name.as_str()) {
            None => plan.add.push(edit(keys)),
            Some(p) => {
                let changed: Vec<_> = keys
                    .into_iter()
                    .filter(|(k, v)| p.get(k) != Some(v.as_str()))
                    .collect();
                if changed.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.update.push(edit(changed));
                }
            }
        }
    }

    // Generated profiles of the session that this run does not produce.
    let pair_names: HashMap<(&str, &str), &str> = wanted
        .iter()
        .map(|(id, role, name)| ((*id, *role), name.as_str()))
        .collect();
    let wanted_names: HashSet<&str> = wanted.iter().map(|(_, _, n)| n.as_str()).collect();
    for name in ours {
        if wanted_names.contains(name) {
            continue;
        }
        let p = &view.profiles[name];
        let pair = (
            p.get("sso_account_id")
                .or_else(|| p.get("lanyard_account_id"))
                .unwrap_or(""),
            p.get("sso_role_name")
                .or_else(|| p.get("lanyard_role_name"))
                .unwrap_or(""),
        );
        let reason = match pair_names.get(&pair) {
            Some(new) => Reason::Renamed((*new).to_owned()),
            None => Reason::Gone,
        };
        let r = Removal {
            name: name.to_owned(),
            reason,
        };
        if opts.mode == Mode::Prune {
            plan.remove.push(r);
        } else {
            plan.kept.push(r);
        }
    }
    Ok(plan)
}

fn edit_err(e: aws_config_edit::EditError) -> Error {
    ConfigError::ConfigEdit(e.to_string()).into()
}

/// Makes the plan's edits on the document: updates in place, removals (every section botocore
/// maps to the name), and new profiles appended at the end as the AWS CLI appends them — no
/// blank line before each, keys in the CLI's order, the file's own line breaks. The text of
/// everything else is kept byte for byte.
pub fn apply(doc: &mut Document, plan: &Plan) -> Result<()> {
    if plan.is_empty() {
        return Ok(());
    }
    let mut sections: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in doc.sections().iter().enumerate() {
        if let SectionKind::Profile(name) = classify(s.name()) {
            sections.entry(name.into_owned()).or_default().push(i);
        }
    }
    let missing = |name: &str| Error::from(ConfigError::ProfileNotFound(name.to_owned()));
    doc.transaction(|doc| {
        for u in &plan.update {
            let i = *sections
                .get(&u.name)
                .and_then(|v| v.last())
                .ok_or_else(|| missing(&u.name))?;
            for (k, v) in &u.keys {
                doc.set_value(i, k, v).map_err(edit_err)?;
            }
        }
        let mut doomed: Vec<usize> = Vec::new();
        for r in &plan.remove {
            doomed.extend(sections.get(&r.name).ok_or_else(|| missing(&r.name))?);
        }
        doomed.sort_unstable();
        doomed.dedup();
        for i in doomed.into_iter().rev() {
            doc.remove_section(i).map_err(edit_err)?;
        }
        Ok::<(), Error>(())
    })?;
    if plan.add.is_empty() {
        return Ok(());
    }
    // New sections are written by the engine one small document at a time and appended as
    // text: the same bytes as appending them to the big document one edit at a time, without
    // re-deriving its structure thousands of times.
    let mut block = String::new();
    for a in &plan.add {
        let mut d = Document::default();
        let i = d
            .add_section(&header_for(Kind::Profile, &a.name)?)
            .map_err(edit_err)?;
        for (k, v) in &a.keys {
            d.set_value(i, k, v).map_err(edit_err)?;
        }
        block.push_str(&d.to_text());
    }
    let nl = match doc.newline() {
        Newline::Lf => "\n",
        Newline::CrLf => "\r\n",
        Newline::Cr => "\r",
    };
    if nl != "\n" {
        block = block.replace('\n', nl);
    }
    let mut text = doc.to_text();
    if doc.line_count() > 0 && !doc.ends_with_newline() {
        text.push_str(nl);
    }
    text.push_str(&block);
    *doc = Document::parse_string(text);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::view;
    use crate::portal::list::Account;

    fn acct(id: &str, name: &str, roles: &[&str]) -> AccountRoles {
        AccountRoles {
            account: Account {
                account_id: id.into(),
                account_name: Some(name.into()),
                email: None,
            },
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    fn run(
        config: &str,
        accounts: &[AccountRoles],
        template: &str,
        mode: Mode,
    ) -> Result<(Plan, String), PopulateError> {
        let t = Template::parse(template).unwrap();
        let mut doc = Document::parse(config);
        let opts = Options {
            session: "corp",
            template: &t,
            region: Some("eu-west-1"),
            output: None,
            mode,
            secure: None,
        };
        let p = plan(&view::read(&doc).unwrap(), accounts, &opts)?;
        apply(&mut doc, &p).unwrap();
        Ok((p, doc.to_string()))
    }

    const SESSION: &str =
        "[sso-session corp]\nsso_start_url = https://x/start\nsso_region = us-east-1\n";

    #[test]
    fn new_profiles_are_appended_in_the_cli_key_order_and_a_second_run_changes_nothing() {
        let accounts = [acct("111111111111", "Prod", &["Admin", "ReadOnly"])];
        let (p, text) = run(SESSION, &accounts, "{account_name}.{role_name}", Mode::Sync).unwrap();
        assert_eq!(p.add.len(), 2);
        assert_eq!(
            text,
            format!(
                "{SESSION}[profile Prod.Admin]\nsso_session = corp\nsso_account_id = 111111111111\n\
                 sso_role_name = Admin\nregion = eu-west-1\nlanyard_generated = corp\n\
                 [profile Prod.ReadOnly]\nsso_session = corp\nsso_account_id = 111111111111\n\
                 sso_role_name = ReadOnly\nregion = eu-west-1\nlanyard_generated = corp\n"
            )
        );
        let (again, same) =
            run(&text, &accounts, "{account_name}.{role_name}", Mode::Sync).unwrap();
        assert!(again.is_empty(), "{again:?}");
        assert_eq!(again.unchanged, 2);
        assert_eq!(same, text);
    }

    #[test]
    fn a_file_without_a_final_line_break_and_crlf_files_are_continued_in_kind() {
        let accounts = [acct("111111111111", "Prod", &["Admin"])];
        let (_, text) = run("[profile x]\nregion = a", &accounts, "p", Mode::Sync).unwrap();
        assert!(
            text.starts_with("[profile x]\nregion = a\n[profile p]\n"),
            "{text}"
        );
        let (_, text) = run("[profile x]\r\nregion = a\r\n", &accounts, "p", Mode::Sync).unwrap();
        assert!(
            text.contains("\r\n[profile p]\r\nsso_session = corp\r\n"),
            "{text:?}"
        );
        assert!(!text.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn two_pairs_with_one_name_both_get_their_account_id() {
        let accounts = [
            acct("111111111111", "Sandbox", &["Admin"]),
            acct("222222222222", "Sandbox", &["Admin", "ReadOnly"]),
        ];
        let (p, text) = run(SESSION, &accounts, "{account_name}.{role_name}", Mode::Sync).unwrap();
        let names: Vec<&str> = p.add.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Sandbox.Admin-111111111111",
                "Sandbox.Admin-222222222222",
                "Sandbox.ReadOnly"
            ]
        );
        assert_eq!(p.suffixed.len(), 2);
        assert!(!p.suffixed[0].hand_made);
        assert!(!text.contains("[profile Sandbox.Admin]"));
    }

    #[test]
    fn a_hand_made_profile_is_never_overwritten_its_name_gets_the_account_id() {
        let config = format!("{SESSION}# mine\n[profile Prod.Admin]\nregion = us-west-2\n");
        let accounts = [acct("111111111111", "Prod", &["Admin"])];
        let (p, text) = run(
            &config,
            &accounts,
            "{account_name}.{role_name}",
            Mode::Prune,
        )
        .unwrap();
        assert_eq!(p.add[0].name, "Prod.Admin-111111111111");
        assert!(p.suffixed[0].hand_made);
        assert!(
            text.starts_with(&config),
            "the hand-made profile is untouched"
        );
        // A profile generated for another session counts as someone else's too.
        let config = format!("{SESSION}[profile Prod.Admin]\nlanyard_generated = other\n");
        let (p, _) = run(
            &config,
            &accounts,
            "{account_name}.{role_name}",
            Mode::Prune,
        )
        .unwrap();
        assert_eq!(p.add[0].name, "Prod.Admin-111111111111");
        assert!(p.remove.is_empty());
    }

    #[test]
    fn when_the_suffixed_name_is_hand_made_too_it_is_an_error_naming_it() {
        let config = format!(
            "{SESSION}[profile Prod.Admin]\nregion = a\n[profile Prod.Admin-111111111111]\nregion = b\n"
        );
        let accounts = [acct("111111111111", "Prod", &["Admin"])];
        let err = run(&config, &accounts, "{account_name}.{role_name}", Mode::Sync).unwrap_err();
        assert!(
            matches!(&err, PopulateError::Taken { name, .. } if name == "Prod.Admin-111111111111")
        );
        assert!(err.to_string().contains("never overwrites"), "{err}");
    }

    #[test]
    fn a_template_without_the_role_is_ambiguous_and_an_empty_name_is_invalid() {
        let accounts = [acct("111111111111", "Prod", &["Admin", "ReadOnly"])];
        let err = run(SESSION, &accounts, "{account_name}", Mode::Sync).unwrap_err();
        assert!(matches!(err, PopulateError::Ambiguous { .. }), "{err}");
        assert!(err.to_string().contains("{role_name}"));
        let nameless = [AccountRoles {
            account: Account {
                account_id: "111111111111".into(),
                account_name: None,
                email: None,
            },
            roles: vec!["Admin".into()],
        }];
        let err = run(SESSION, &nameless, "{account_name}", Mode::Sync).unwrap_err();
        assert!(
            matches!(&err, PopulateError::InvalidName { name, reason: "it is empty", .. } if name.is_empty()),
            "{err}"
        );
        let err = run(SESSION, &accounts, "{role_name}?", Mode::Sync);
        assert!(err.is_ok(), "cleaned to Admin- and ReadOnly-");
        let err = run(SESSION, &accounts, "***", Mode::Sync).unwrap_err();
        assert!(matches!(
            err,
            PopulateError::InvalidName {
                reason: "it has no letter or digit",
                ..
            }
        ));
    }

    #[test]
    fn generated_profiles_are_updated_in_place_keeping_other_keys_and_comments() {
        let config = format!(
            "{SESSION}[profile Prod.Admin]\n# note\nsso_session = corp\nsso_account_id = 111111111111\n\
             sso_role_name = Admin\nregion = us-east-1\nlanyard_generated = corp\ncli_pager =\n"
        );
        let accounts = [acct("111111111111", "Prod", &["Admin"])];
        let (p, text) = run(&config, &accounts, "{account_name}.{role_name}", Mode::Sync).unwrap();
        assert_eq!(p.update.len(), 1);
        assert_eq!(p.update[0].keys, vec![("region", "eu-west-1".to_owned())]);
        assert_eq!(
            text,
            config.replace("\nregion = us-east-1", "\nregion = eu-west-1")
        );
    }

    #[test]
    fn prune_removes_only_generated_profiles_of_the_session_that_are_gone_or_renamed() {
        let accounts = [
            acct("111111111111", "Prod", &["Admin", "ReadOnly"]),
            acct("222222222222", "Dev", &["Admin"]),
        ];
        let (_, full) = run(SESSION, &accounts, "{account_name}.{role_name}", Mode::Sync).unwrap();
        let config = format!("{full}[profile mine]\nsso_session = corp\nsso_account_id = 222222222222\n\
                              [profile theirs]\nlanyard_generated = other\nsso_account_id = 222222222222\n");
        // Dev is gone, Prod lost ReadOnly, and Prod's Admin is now named by id.
        let fewer = [acct("111111111111", "Prod", &["Admin"])];
        let (kept, same) = run(&config, &fewer, "{account_name}.{role_name}", Mode::Sync).unwrap();
        assert!(kept.is_empty());
        assert_eq!(same, config, "without --prune nothing is removed");
        assert_eq!(kept.kept.len(), 2);
        let (p, text) = run(&config, &fewer, "{account_id}.{role_name}", Mode::Prune).unwrap();
        let removed: Vec<(&str, &Reason)> = p
            .remove
            .iter()
            .map(|r| (r.name.as_str(), &r.reason))
            .collect();
        assert_eq!(
            removed,
            [
                ("Prod.Admin", &Reason::Renamed("111111111111.Admin".into())),
                ("Prod.ReadOnly", &Reason::Gone),
                ("Dev.Admin", &Reason::Gone),
            ]
        );
        assert_eq!(p.add.len(), 1);
        assert!(text.contains("[profile mine]") && text.contains("[profile theirs]"));
        assert!(!text.contains("[profile Prod.") && !text.contains("[profile Dev."));
    }

    #[test]
    fn remove_takes_every_generated_profile_of_the_session_and_nothing_else() {
        let accounts = [acct("111111111111", "Prod", &["Admin", "ReadOnly"])];
        let config = format!("# top\n[profile mine]\nregion = x\n{SESSION}");
        let (_, full) = run(&config, &accounts, "{account_name}.{role_name}", Mode::Sync).unwrap();
        let full = format!("{full}[profile theirs]\nlanyard_generated = other\n");
        let (p, text) = run(&full, &[], "{account_name}.{role_name}", Mode::Remove).unwrap();
        assert_eq!(p.remove.len(), 2);
        assert!(p.remove.iter().all(|r| r.reason == Reason::Removed));
        assert_eq!(
            text,
            format!("{config}[profile theirs]\nlanyard_generated = other\n")
        );
        let (again, _) = run(&text, &[], "x", Mode::Remove).unwrap();
        assert!(again.is_empty());
    }

    #[test]
    fn a_secure_sessions_profiles_are_written_in_the_credential_process_form() {
        let t = Template::parse("{account_name}.{role_name}").expect("template");
        let accounts = vec![AccountRoles {
            account: crate::portal::list::Account {
                account_id: "111111111111".into(),
                account_name: Some("Prod".into()),
                email: None,
            },
            roles: vec!["Admin".into()],
        }];
        let mut doc = Document::parse("[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\nlanyard_storage = keychain\n");
        let opts = Options {
            session: "corp",
            template: &t,
            region: None,
            output: None,
            mode: Mode::Sync,
            secure: Some(Path::new("/usr/bin/lanyard")),
        };
        let p = plan(&view::read(&doc).expect("view"), &accounts, &opts).expect("plan");
        apply(&mut doc, &p).expect("apply");
        assert!(
            doc.to_string().ends_with(
                "[profile Prod.Admin]\ncredential_process = /usr/bin/lanyard credentials --profile Prod.Admin\n\
                 lanyard_sso_session = corp\nlanyard_account_id = 111111111111\nlanyard_role_name = Admin\n\
                 lanyard_generated = corp\n"
            ),
            "{doc}"
        );
        // A second run finds nothing to change, and prune recognises the secure profile's pair.
        let again = plan(
            &view::read(&doc).expect("view"),
            &accounts,
            &Options {
                mode: Mode::Prune,
                ..opts
            },
        )
        .expect("plan");
        assert!(again.is_empty(), "{again:?}");
    }
}
