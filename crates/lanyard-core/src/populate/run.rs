//! A populate run against the config file, shared by `lanyard populate` and the window's
//! Populate page: which session's accounts a run needs, the names a template gives (the page's
//! live preview), the plan against the file as it is with its diff, and the write that plans
//! again on the file as written — for the window, only onto the version it previewed
//! (see [`crate::config::versioned`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use aws_config_edit::Document;

use super::plan::{apply as apply_plan, base_names, final_names, plan, Mode, Options, Plan};
use super::MARKER;
use crate::account_cache::{self, AccountsError, FetchOptions};
use crate::config::error::ConfigError;
use crate::config::naming::Template;
use crate::config::versioned::{self, Edited, Known};
use crate::config::{view, ConfigFile, ConfigView};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::portal::list::{AccountRoles, ProgressSink};
use crate::sessions::resolve::{session_by_name, KnownSession, ResolveError};
use crate::sessions::store::Storage;

/// What a run is asked to do (`lanyard populate`'s flags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The sso-session.
    pub session: String,
    /// The name template.
    pub template: Template,
    /// `region` for every generated profile (`None`: leave it as it is).
    pub region: Option<String>,
    /// `output` for every generated profile (`None`: leave it as it is).
    pub output: Option<String>,
    /// Sync, prune or remove.
    pub mode: Mode,
}

/// A value for every generated profile: blank is none; a region botocore refuses or an output
/// format the AWS CLI does not have is refused (see [`crate::config::values`]).
fn value(key: &'static str, v: Option<&str>) -> Result<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => {
            crate::config::values::check_key(key, v, crate::config::values::Outputs::Known)?;
            Ok(Some(v.to_owned()))
        }
    }
}

impl Run {
    /// A run as the window asks for it: the template parsed; a blank region or output leaves
    /// it as it is; one with spaces is refused.
    pub fn new(
        session: &str,
        template: &str,
        region: Option<&str>,
        output: Option<&str>,
        mode: Mode,
    ) -> Result<Run> {
        Ok(Run {
            session: session.to_owned(),
            template: Template::parse(template)?,
            region: value("region", region)?,
            output: value("output", output)?,
            mode,
        })
    }

    /// The plan's options; `secure` is the `lanyard` executable of a secure-mode session.
    pub fn options<'a>(&'a self, secure: Option<&'a Path>) -> Options<'a> {
        Options {
            session: &self.session,
            template: &self.template,
            region: self.region.as_deref(),
            output: self.output.as_deref(),
            mode: self.mode,
            secure,
        }
    }
}

/// The session whose accounts a run needs: `None` in remove mode, which needs no account list
/// (and can remove the profiles generated for a session deleted since).
pub fn session_needed(
    view: &ConfigView<'_>,
    name: &str,
    mode: Mode,
) -> Result<Option<KnownSession>, ResolveError> {
    let has_generated = || view.profiles.values().any(|p| p.get(MARKER) == Some(name));
    match session_by_name(view, name) {
        Err(_) if mode == Mode::Remove && has_generated() => Ok(None),
        Err(e) => Err(e),
        Ok(_) if mode == Mode::Remove => Ok(None),
        Ok(session) => Ok(Some(session)),
    }
}

/// Whether a session keeps its tokens in the keychain (its profiles then run `lanyard` as
/// their `credential_process`).
pub fn is_secure(session: &KnownSession) -> bool {
    session.storage == Storage::Keychain
}

/// Plans `accounts` against the document as it is now and makes the plan's edits: what a
/// write does on the file as read just before writing, so that nothing another program wrote
/// meanwhile is lost.
pub fn replan(doc: &mut Document, accounts: &[AccountRoles], opts: &Options<'_>) -> Result<Plan> {
    let plan = {
        let v = view::read(doc).map_err(|p| {
            ConfigError::ConfigEdit(p.first().map_or_else(String::new, |p| p.message.clone()))
        })?;
        plan(&v, accounts, opts)?
    };
    apply_plan(doc, &plan)?;
    Ok(plan)
}

/// One account × role and the profile name the template gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePreview {
    /// The account.
    pub account_id: String,
    /// Its name.
    pub account_name: Option<String>,
    /// The role.
    pub role_name: String,
    /// The profile name, as populate names it.
    pub profile: String,
}

/// The names a template gives a session's account × role pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The first names, in the account list's order.
    pub names: Vec<NamePreview>,
    /// Account × role pairs in all.
    pub total: usize,
    /// Why the template cannot be used, if it cannot (nothing is named then).
    pub error: Option<String>,
}

/// The names `template` gives the pairs of `accounts` (the first `limit`), as populate names
/// them: rendered, cleaned, a name shared by several pairs given `-{account_id}`. Profiles
/// already in the config are not looked at (a plan also appends `-{account_id}` to a name a
/// hand-made profile holds).
pub fn names(accounts: &[AccountRoles], session: &str, template: &str, limit: usize) -> Names {
    let total = accounts.iter().map(|a| a.roles.len()).sum();
    let failed = |e: String| Names {
        names: Vec::new(),
        total,
        error: Some(e),
    };
    let template = match Template::parse(template) {
        Ok(t) => t,
        Err(e) => return failed(e.to_string()),
    };
    let named = base_names(accounts, &template, session)
        .and_then(|pairs| final_names(&pairs, &template, session, |_| false));
    let wanted = match named {
        Ok((wanted, _)) => wanted,
        Err(e) => return failed(e.to_string()),
    };
    let account_names = accounts
        .iter()
        .flat_map(|a| a.roles.iter().map(move |_| &a.account.account_name));
    Names {
        names: wanted
            .into_iter()
            .zip(account_names)
            .take(limit)
            .map(|((id, role, profile), account_name)| NamePreview {
                account_id: id.to_owned(),
                account_name: account_name.clone(),
                role_name: role.to_owned(),
                profile,
            })
            .collect(),
        total,
        error: None,
    }
}

/// [`names`] over the session's cached account list (none cached: nothing named, a total of
/// 0); a session that is not configured fails.
pub fn cached_names(ctx: &Context, session: &str, template: &str, limit: usize) -> Result<Names> {
    let file = ConfigFile::load_config(&ctx.env)?;
    let known = session_by_name(&file.view()?, session)?;
    let accounts = account_cache::load(
        &ctx.dirs,
        known.config.id.cache_key(),
        &known.config.start_url,
    )?
    .map(|l| l.accounts)
    .unwrap_or_default();
    Ok(names(&accounts, session, template, limit))
}

/// The accounts a run uses: none in remove mode; else the session's cached list, fetched from
/// the portal (a valid token, never a sign-in; `progress` told as it goes) when none is cached
/// or `refresh`.
pub async fn accounts_for(
    ctx: &Context,
    run: &Run,
    refresh: bool,
    progress: Option<ProgressSink>,
) -> Result<Vec<AccountRoles>, AccountsError> {
    let session = {
        let file = ConfigFile::load_config(&ctx.env)?;
        let view = file.view()?;
        session_needed(&view, &run.session, run.mode).map_err(Error::from)?
    };
    let Some(session) = session else {
        return Ok(Vec::new());
    };
    let opts = FetchOptions {
        progress,
        ..FetchOptions::from_settings(ctx)
    };
    Ok(account_cache::cached_or_fetch(ctx, &session, refresh, opts)
        .await?
        .accounts)
}

/// A dry run: what applying would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// What would change.
    pub plan: Plan,
    /// The unified diff of the file (empty when nothing changes).
    pub diff: String,
    /// The version of the file the plan was made against.
    pub version: String,
    /// The file's text at that version.
    pub text: Option<Arc<String>>,
}

/// The `lanyard` executable the profiles of a secure-mode session run, `None` otherwise (or
/// when the session is not configured).
fn secure_exe(view: &ConfigView<'_>, run: &Run) -> Option<PathBuf> {
    session_by_name(view, &run.session)
        .ok()
        .filter(is_secure)
        .map(|_| crate::credentials::lanyard_executable())
}

/// Plans `run` with `accounts` against the config file at `path` as it is now, without
/// writing: the plan, the diff and the file's version.
pub fn preview(path: &Path, run: &Run, accounts: &[AccountRoles]) -> Result<Preview> {
    let file = ConfigFile::load(path)?;
    let exe = secure_exe(&file.view()?, run);
    let mut doc = file.doc.clone();
    let plan = replan(&mut doc, accounts, &run.options(exe.as_deref()))?;
    // A [default] mirroring a profile the run changes follows it (as `apply` does; without the
    // mirror record here, the person's own changes to [default] are told by the mirror the
    // profile gave before the run).
    if let Some(before) = file.loaded_text() {
        crate::config::follow::after_edit(None, before, &mut doc)?;
    }
    Ok(Preview {
        plan,
        diff: versioned::diff(path, file.loaded_text().unwrap_or_default(), &doc.to_text()),
        version: file.version(),
        text: file.loaded_shared(),
    })
}

/// Applies `run` with `accounts` to the config file at `path` if it is still at `version`
/// (planned again on it: the same file and the same list give what was previewed): saved, or a
/// conflict when the file changed since (before or while writing), nothing written.
pub fn apply(
    ctx: &Context,
    path: &Path,
    run: &Run,
    accounts: &[AccountRoles],
    version: &str,
    known: Known<'_>,
) -> Result<Edited> {
    let mut file = ConfigFile::load(path)?;
    if let Some(conflict) = versioned::conflict(&file, version, known) {
        return Ok(conflict);
    }
    let exe = secure_exe(&file.view()?, run);
    replan(&mut file.doc, accounts, &run.options(exe.as_deref()))?;
    let followed = crate::config::follow::in_file(&ctx.dirs, &mut file)?;
    Ok(crate::config::follow::save(ctx, &mut file, followed)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::version_of;
    use crate::config::versioned::Outcome;
    use crate::env::Env;
    use crate::portal::list::Account;

    const SESSION: &str =
        "# mine\n[sso-session corp]\nsso_start_url = https://x/start\nsso_region = us-east-1\n";

    fn acct(id: &str, name: Option<&str>, roles: &[&str]) -> AccountRoles {
        AccountRoles {
            account: Account {
                account_id: id.into(),
                account_name: name.map(Into::into),
                email: None,
            },
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    fn accounts() -> Vec<AccountRoles> {
        vec![
            acct("111111111111", Some("Prod"), &["Admin", "ReadOnly"]),
            acct("222222222222", Some("Dev"), &["Admin"]),
        ]
    }

    fn file(text: &str) -> (tempfile::TempDir, PathBuf, Context) {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("config");
        std::fs::write(&path, text).unwrap();
        let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).unwrap();
        (home, path, ctx)
    }

    fn sync() -> Run {
        Run::new(
            "corp",
            "{account_name}.{role_name}",
            Some("eu-west-1"),
            Some(" "),
            Mode::Sync,
        )
        .unwrap()
    }

    #[test]
    fn the_names_a_template_gives_are_cleaned_and_a_shared_name_gets_the_account_id() {
        let n = names(&accounts(), "corp", "{account_name} {role_name}", 2);
        assert_eq!(n.total, 3);
        assert_eq!(n.error, None);
        assert_eq!(
            n.names,
            [
                NamePreview {
                    account_id: "111111111111".into(),
                    account_name: Some("Prod".into()),
                    role_name: "Admin".into(),
                    profile: "Prod-Admin".into(),
                },
                NamePreview {
                    account_id: "111111111111".into(),
                    account_name: Some("Prod".into()),
                    role_name: "ReadOnly".into(),
                    profile: "Prod-ReadOnly".into(),
                },
            ]
        );
        let shared = names(&accounts(), "corp", "{role_name}", 10);
        let profiles: Vec<&str> = shared.names.iter().map(|n| n.profile.as_str()).collect();
        assert_eq!(
            profiles,
            ["Admin-111111111111", "ReadOnly", "Admin-222222222222"]
        );
    }

    #[test]
    fn a_template_that_cannot_be_used_names_nothing_and_says_why() {
        let bad = names(&accounts(), "corp", "{account}", 10);
        assert!(bad.names.is_empty());
        assert_eq!(bad.total, 3);
        assert!(bad.error.unwrap().contains("unknown field {account}"));
        let nameless = [acct("333333333333", None, &["Admin"])];
        let empty = names(&nameless, "corp", "{account_name}", 10);
        assert!(empty.error.unwrap().contains("it is empty"));
        let ambiguous = names(&accounts(), "corp", "x", 10);
        assert!(ambiguous.names.is_empty());
        assert!(ambiguous.error.is_some());
    }

    #[test]
    fn a_run_refuses_a_region_with_spaces_and_a_bad_template_with_their_codes() {
        let e = Run::new("corp", "{role_name}", Some("eu west"), None, Mode::Sync).unwrap_err();
        assert_eq!(e.code(), "invalid_region");
        let e = Run::new("corp", "{role_name}", None, Some("a b"), Mode::Sync).unwrap_err();
        assert_eq!(e.code(), "invalid_output");
        let e = Run::new("corp", "{role", None, None, Mode::Sync).unwrap_err();
        assert_eq!(e.code(), "template");
        let r = sync();
        assert_eq!(
            (r.region.as_deref(), r.output.as_deref()),
            (Some("eu-west-1"), None)
        );
    }

    #[test]
    fn remove_needs_no_accounts_even_for_a_deleted_session_and_sync_needs_the_session() {
        let doc = Document::parse(&format!("{SESSION}[profile a]\nlanyard_generated = gone\n"));
        let v = view::read(&doc).unwrap();
        assert_eq!(session_needed(&v, "corp", Mode::Remove).unwrap(), None);
        assert_eq!(session_needed(&v, "gone", Mode::Remove).unwrap(), None);
        assert!(session_needed(&v, "corp", Mode::Sync).unwrap().is_some());
        let e = session_needed(&v, "gone", Mode::Prune).unwrap_err();
        assert_eq!(e.code(), "not_found");
        assert!(session_needed(&v, "other", Mode::Remove).is_err());
    }

    #[test]
    fn a_preview_is_the_diff_and_counts_against_the_file_and_writes_nothing() {
        let (_home, path, _) = file(SESSION);
        let p = preview(&path, &sync(), &accounts()).unwrap();
        assert_eq!(
            (
                p.plan.add.len(),
                p.plan.update.len(),
                p.plan.remove.len(),
                p.plan.unchanged
            ),
            (3, 0, 0, 0)
        );
        assert!(
            p.diff.starts_with(
                "--- a/config\n+++ b/config\n@@ -2,3 +2,21 @@\n [sso-session corp]\n sso_start_url = https://x/start\n \
                 sso_region = us-east-1\n+[profile Prod.Admin]\n+sso_session = corp\n"
            ),
            "{}",
            p.diff
        );
        assert_eq!(p.version, version_of(SESSION));
        assert_eq!(p.text.as_deref().map(String::as_str), Some(SESSION));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SESSION);
    }

    #[test]
    fn apply_writes_what_was_previewed_at_that_version_and_a_changed_file_is_a_conflict() {
        let (_home, path, ctx) = file(SESSION);
        let p = preview(&path, &sync(), &accounts()).unwrap();
        let out = apply(&ctx, &path, &sync(), &accounts(), &p.version, &|_| None).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            out.outcome,
            Outcome::Saved {
                diff: p.diff.clone(),
                version: version_of(&written),
            }
        );
        assert!(written.ends_with(
            "[profile Dev.Admin]\nsso_session = corp\nsso_account_id = 222222222222\n\
             sso_role_name = Admin\nregion = eu-west-1\nlanyard_generated = corp\n"
        ));
        // Applying the old preview again: the file is no longer at its version.
        let text = Arc::new(SESSION.to_owned());
        let known = |v: &str| (v == p.version).then(|| Arc::clone(&text));
        let again = apply(&ctx, &path, &sync(), &accounts(), &p.version, &known).unwrap();
        assert_eq!(
            again.outcome,
            Outcome::Conflict {
                changes: p.diff,
                version: version_of(&written),
            }
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    }

    #[test]
    fn a_name_held_by_a_hand_made_profile_is_suffixed_and_populate_errors_carry_their_code() {
        let (_home, path, _) = file(&format!("{SESSION}[profile Dev.Admin]\nregion = x\n"));
        let p = preview(&path, &sync(), &accounts()).unwrap();
        assert_eq!(p.plan.suffixed.len(), 1);
        assert!(p.diff.contains("+[profile Dev.Admin-222222222222]"));
        let (_home2, path2, _) = file(&format!(
            "{SESSION}[profile Dev.Admin]\n[profile Dev.Admin-222222222222]\n"
        ));
        let e = preview(&path2, &sync(), &accounts()).unwrap_err();
        assert_eq!(e.code(), "populate_taken");
    }

    #[test]
    fn cached_names_use_the_sessions_cached_list_and_name_nothing_without_one() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/config"), SESSION).unwrap();
        let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).unwrap();
        let none = cached_names(&ctx, "corp", "{role_name}", 5).unwrap();
        assert_eq!((none.names.len(), none.total, none.error), (0, 0, None));
        let list =
            account_cache::AccountList::new("corp", "https://x/start", ctx.clock.now(), accounts());
        account_cache::save(&ctx.dirs, &list).unwrap();
        let some = cached_names(&ctx, "corp", "{account_name}.{role_name}", 1).unwrap();
        assert_eq!(some.total, 3);
        // The cache's order: accounts by name.
        assert_eq!(some.names[0].profile, "Dev.Admin");
        let e = cached_names(&ctx, "other", "{role_name}", 5).unwrap_err();
        assert_eq!(e.code(), "not_found");
    }

    #[tokio::test]
    async fn a_run_uses_the_cached_list_without_a_sign_in_and_remove_needs_none() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/config"), SESSION).unwrap();
        let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).unwrap();
        // Nothing cached and no token: the fetch fails as signed out, nothing else happens.
        let e = accounts_for(&ctx, &sync(), false, None).await.unwrap_err();
        assert!(
            matches!(e, AccountsError::Session(ref s) if s.code() == "not_signed_in"),
            "{e}"
        );
        let list =
            account_cache::AccountList::new("corp", "https://x/start", ctx.clock.now(), accounts());
        account_cache::save(&ctx.dirs, &list).unwrap();
        let got = accounts_for(&ctx, &sync(), false, None).await.unwrap();
        assert_eq!(got, list.accounts);
        let remove = Run {
            mode: Mode::Remove,
            ..sync()
        };
        assert!(accounts_for(&ctx, &remove, true, None)
            .await
            .unwrap()
            .is_empty());
    }
}
