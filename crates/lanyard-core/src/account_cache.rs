//! The account/role cache in Lanyard's data folder (`<data>/accounts/<sha1 of the session>.json`):
//! what the portal last listed for an sso-session and when (the injected clock's time), written
//! atomically and private (0600). Also the fetch that fills it: a valid token for the session,
//! the portal client under the shared rate limit, every account with its roles.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};
use time::OffsetDateTime;

use crate::cache::timefmt::{format_cli, parse_lenient};
use crate::config::ConfigView;
use crate::context::Context;
use crate::dirs::Dirs;
use crate::error::{Error, Result};
use crate::overview::sign_in_service;
use crate::portal::list::{
    portal_client, Account, AccountRoles, ProgressSink, DEFAULT_CONCURRENCY,
};
use crate::portal::ratelimit::TokenBucket;
use crate::portal::PortalError;
use crate::sessions::resolve::{profile_account_role, profile_session_name, KnownSession};
use crate::sessions::signin::SessionError;

/// Every account of a session with its roles, as fetched at one time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountList {
    /// The sso-session (or, for a legacy session, its start URL).
    pub sso_session: String,
    /// The session's start URL when fetched: a cache for another URL is not used.
    pub start_url: String,
    /// When the lists were fetched.
    pub fetched_at: OffsetDateTime,
    /// Accounts sorted by name (then id), each with its roles sorted by name.
    pub accounts: Vec<AccountRoles>,
}

#[derive(Serialize, Deserialize)]
struct FileAccount {
    account_id: String,
    account_name: Option<String>,
    email: Option<String>,
    roles: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct FileForm {
    sso_session: String,
    #[serde(default)]
    start_url: String,
    fetched_at: String,
    accounts: Vec<FileAccount>,
}

impl AccountList {
    /// A list fetched now, put in a stable order (the AWS CLI sorts accounts by name).
    pub fn new(
        sso_session: impl Into<String>,
        start_url: impl Into<String>,
        fetched_at: OffsetDateTime,
        mut accounts: Vec<AccountRoles>,
    ) -> Self {
        for a in &mut accounts {
            a.roles.sort();
            a.roles.dedup();
        }
        accounts.sort_by(|a, b| {
            let key = |x: &AccountRoles| {
                (
                    x.account.account_name.clone().unwrap_or_default(),
                    x.account.account_id.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        AccountList {
            sso_session: sso_session.into(),
            start_url: start_url.into(),
            fetched_at,
            accounts,
        }
    }

    /// How old the list is at `now`.
    pub fn age(&self, now: OffsetDateTime) -> time::Duration {
        now - self.fetched_at
    }

    /// Account × role pairs.
    pub fn assignments(&self) -> usize {
        self.accounts.iter().map(|a| a.roles.len()).sum()
    }

    /// The JSON `lanyard accounts list --json` prints: `{"sso_session", "fetched_at",
    /// "accounts": [{"account_id", "account_name", "email", "roles": [..]}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "sso_session": self.sso_session,
            "fetched_at": format_cli(self.fetched_at),
            "accounts": self.accounts.iter().map(|a| serde_json::json!({
                "account_id": a.account.account_id,
                "account_name": a.account.account_name,
                "email": a.account.email,
                "roles": a.roles,
            })).collect::<Vec<_>>(),
        })
    }

    fn to_file(&self) -> FileForm {
        FileForm {
            sso_session: self.sso_session.clone(),
            start_url: self.start_url.clone(),
            fetched_at: format_cli(self.fetched_at),
            accounts: self
                .accounts
                .iter()
                .map(|a| FileAccount {
                    account_id: a.account.account_id.clone(),
                    account_name: a.account.account_name.clone(),
                    email: a.account.email.clone(),
                    roles: a.roles.clone(),
                })
                .collect(),
        }
    }

    fn from_file(f: FileForm) -> Option<Self> {
        Some(AccountList {
            sso_session: f.sso_session,
            start_url: f.start_url,
            fetched_at: parse_lenient(&f.fetched_at)?,
            accounts: f
                .accounts
                .into_iter()
                .map(|a| AccountRoles {
                    account: Account {
                        account_id: a.account_id,
                        account_name: a.account_name,
                        email: a.email,
                    },
                    roles: a.roles,
                })
                .collect(),
        })
    }
}

/// The cache file of a session.
pub fn cache_path(dirs: &Dirs, session: &str) -> PathBuf {
    let digest = Sha1::digest(session.as_bytes());
    dirs.data_dir()
        .join("accounts")
        .join(format!("{}.json", hex::encode(digest)))
}

/// The cached list of a session, if there is one for this start URL. An unreadable file is
/// treated as no cache (and logged): it is only a cache.
pub fn load(dirs: &Dirs, session: &str, start_url: &str) -> Result<Option<AccountList>> {
    let path = cache_path(dirs, session);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read", &path, e)),
    };
    let list = serde_json::from_slice::<FileForm>(&bytes)
        .ok()
        .and_then(AccountList::from_file);
    match list {
        Some(l) if l.sso_session == session && l.start_url == start_url => Ok(Some(l)),
        Some(_) => Ok(None),
        None => {
            tracing::warn!(path = %path.display(), "unreadable account cache; ignoring it");
            Ok(None)
        }
    }
}

/// Writes the cache file (atomic, 0600).
pub fn save(dirs: &Dirs, list: &AccountList) -> Result<()> {
    let path = cache_path(dirs, &list.sso_session);
    let mut text = serde_json::to_string_pretty(&list.to_file())
        .map_err(|e| Error::io("cannot encode", &path, std::io::Error::other(e)))?;
    text.push('\n');
    Ok(crate::fsio::write_private(&path, text.as_bytes())?)
}

/// Why the accounts of a session could not be fetched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountsError {
    /// No valid token (signed out, expired, refresh refused).
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The portal refused or failed.
    #[error(transparent)]
    Portal(#[from] PortalError),
    /// Files, the HTTP client.
    #[error(transparent)]
    Core(#[from] Error),
}

crate::core_from_layers!(AccountsError);

/// How to fetch.
#[derive(Clone)]
pub struct FetchOptions {
    /// Portal requests per second (the settings' `portal_rate_limit` unless overridden).
    pub rate_limit: u32,
    /// Role listings in flight at once.
    pub concurrency: usize,
    /// Where progress goes.
    pub progress: Option<ProgressSink>,
}

impl std::fmt::Debug for FetchOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchOptions")
            .field("rate_limit", &self.rate_limit)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl FetchOptions {
    /// The settings' rate limit, default concurrency, no progress.
    pub fn from_settings(ctx: &Context) -> Self {
        let (settings, warning) = crate::settings::Settings::load(&ctx.dirs);
        if let Some(w) = warning {
            tracing::warn!(warning = %w, "settings");
        }
        FetchOptions {
            rate_limit: settings.portal_rate_limit,
            concurrency: DEFAULT_CONCURRENCY,
            progress: None,
        }
    }
}

/// What a fetch did.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The lists, also written to the cache.
    pub list: AccountList,
    /// Portal calls sent, retries included.
    pub calls: u64,
    /// Calls retried after a 429 or 5xx.
    pub retries: u64,
    /// Calls answered 429.
    pub throttled: u64,
}

/// Fetches every account and role of a session with its cached token (refreshed first if
/// due; never signs in) and writes the cache.
pub async fn fetch(
    ctx: &Context,
    session: &KnownSession,
    opts: FetchOptions,
) -> Result<Fetched, AccountsError> {
    let cfg = &session.config;
    // The session's own profiles (and the environment) decide endpoints and CA, never an
    // unrelated default profile (issue 20).
    let net = crate::overview::load_session_net(ctx, session)?;
    let token = sign_in_service(ctx, &net, session)?
        .valid_token(cfg)
        .await?;
    let limiter = Arc::new(TokenBucket::new(opts.rate_limit));
    let mut client = portal_client(&net, &cfg.region, token.access_token.clone(), limiter)?;
    if let Some(p) = opts.progress {
        client = client.with_progress(p);
    }
    let accounts = match client.fetch_all(opts.concurrency).await {
        Ok(a) => a,
        Err(e) if e.is_unauthorized() => {
            let store = crate::overview::store_for(ctx, session);
            crate::overview::token_rejected(ctx, session, store.as_ref());
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    let list = AccountList::new(
        cfg.id.cache_key(),
        cfg.start_url.clone(),
        ctx.clock.now(),
        accounts,
    );
    save(&ctx.dirs, &list)?;
    tracing::info!(
        accounts = list.accounts.len(),
        calls = client.calls(),
        retries = client.retries(),
        "fetched the account list"
    );
    Ok(Fetched {
        list,
        calls: client.calls(),
        retries: client.retries(),
        throttled: client.throttled(),
    })
}

/// The accounts of a session: the cached list unless `refresh` or none is cached for its start
/// URL, else fetched (see [`fetch`]: a valid token, never a sign-in) and cached.
pub async fn cached_or_fetch(
    ctx: &Context,
    session: &KnownSession,
    refresh: bool,
    opts: FetchOptions,
) -> Result<AccountList, AccountsError> {
    if !refresh {
        let cfg = &session.config;
        if let Some(list) = load(&ctx.dirs, cfg.id.cache_key(), &cfg.start_url)? {
            return Ok(list);
        }
    }
    Ok(fetch(ctx, session, opts).await?.list)
}

/// The account name of each profile of `view` that names an account of a session with a
/// cached list (one cache read per session, whatever the number of profiles). A cache that
/// cannot be read names nothing (it is only a cache; logged).
pub fn profile_account_names(dirs: &Dirs, view: &ConfigView<'_>) -> HashMap<String, String> {
    // Each profile's session key (the sso-session's name, or a legacy start URL) and account.
    let wanted: Vec<(&str, &str, &str)> = view
        .profiles
        .iter()
        .filter_map(|(name, p)| {
            let key = profile_session_name(p).or_else(|| p.get("sso_start_url"))?;
            let account = profile_account_role(p).0?;
            Some((&**name, key, account))
        })
        .collect();
    let mut lists: HashMap<&str, HashMap<String, String>> = HashMap::new();
    for &(_, key, _) in &wanted {
        if lists.contains_key(key) {
            continue;
        }
        let start_url = match view.sso_sessions.get(key) {
            Some(s) => s.get("sso_start_url").unwrap_or_default(),
            None => key,
        };
        let names = match load(dirs, key, start_url) {
            Ok(list) => list
                .into_iter()
                .flat_map(|l| l.accounts)
                .filter_map(|a| Some((a.account.account_id, a.account.account_name?)))
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read an account cache; no account names");
                HashMap::new()
            }
        };
        lists.insert(key, names);
    }
    wanted
        .into_iter()
        .filter_map(|(profile, key, account)| {
            let name = lists.get(key)?.get(account)?;
            Some((profile.to_owned(), name.clone()))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::env::Env;

    fn list() -> AccountList {
        let acct = |id: &str, name: Option<&str>, roles: &[&str]| AccountRoles {
            account: Account {
                account_id: id.into(),
                account_name: name.map(Into::into),
                email: Some(format!("{id}@x")),
            },
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        };
        AccountList::new(
            "corp",
            "https://d-1.awsapps.com/start",
            datetime!(2026-03-01 08:00:00 UTC),
            vec![
                acct("222222222222", Some("zeta"), &["ReadOnly", "Admin"]),
                acct("111111111111", Some("alpha"), &["Admin"]),
                acct("333333333333", None, &[]),
            ],
        )
    }

    #[test]
    fn sorted_by_name_then_id_with_sorted_roles_and_the_json_shape() {
        let l = list();
        let ids: Vec<&str> = l
            .accounts
            .iter()
            .map(|a| a.account.account_id.as_str())
            .collect();
        assert_eq!(ids, ["333333333333", "111111111111", "222222222222"]);
        assert_eq!(l.accounts[2].roles, ["Admin", "ReadOnly"]);
        assert_eq!(l.assignments(), 3);
        let j = l.to_json();
        assert_eq!(
            j.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["sso_session", "fetched_at", "accounts"]
        );
        assert_eq!(j["fetched_at"], "2026-03-01T08:00:00Z");
        assert_eq!(
            j["accounts"][1],
            serde_json::json!({"account_id": "111111111111", "account_name": "alpha",
                               "email": "111111111111@x", "roles": ["Admin"]})
        );
        assert_eq!(j["accounts"][0]["account_name"], serde_json::Value::Null);
    }

    #[test]
    fn saved_privately_read_back_with_its_age_and_ignored_for_another_start_url() {
        let home = tempfile::tempdir().unwrap();
        let dirs = Dirs::from_env(&Env::from_pairs([("HOME", home.path())])).unwrap();
        assert_eq!(
            load(&dirs, "corp", "https://d-1.awsapps.com/start").unwrap(),
            None
        );
        save(&dirs, &list()).unwrap();
        let path = cache_path(&dirs, "corp");
        assert!(path.starts_with(dirs.data_dir()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let back = load(&dirs, "corp", "https://d-1.awsapps.com/start")
            .unwrap()
            .unwrap();
        assert_eq!(back, list());
        assert_eq!(
            back.age(datetime!(2026-03-01 09:30:00 UTC)),
            time::Duration::minutes(90)
        );
        assert_eq!(load(&dirs, "corp", "https://other/start").unwrap(), None);
        assert_eq!(
            load(&dirs, "other", "https://d-1.awsapps.com/start").unwrap(),
            None
        );
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(
            load(&dirs, "corp", "https://d-1.awsapps.com/start").unwrap(),
            None
        );
    }

    #[test]
    fn profiles_get_their_account_names_from_their_sessions_cached_lists() {
        let home = tempfile::tempdir().unwrap();
        let dirs = Dirs::from_env(&Env::from_pairs([("HOME", home.path())])).unwrap();
        save(&dirs, &list()).unwrap();
        let legacy = AccountList::new(
            "https://legacy/start",
            "https://legacy/start",
            datetime!(2026-03-01 08:00:00 UTC),
            vec![AccountRoles {
                account: Account {
                    account_id: "444444444444".into(),
                    account_name: Some("old".into()),
                    email: None,
                },
                roles: vec!["R".into()],
            }],
        );
        save(&dirs, &legacy).unwrap();
        let doc = aws_config_edit::Document::parse(
            "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n\
             [sso-session moved]\nsso_start_url = https://elsewhere/start\nsso_region = us-east-1\n\
             [profile a]\nsso_session = corp\nsso_account_id = 222222222222\n\
             [profile b]\nlanyard_sso_session = corp\nlanyard_account_id = 111111111111\n\
             [profile nameless]\nsso_session = corp\nsso_account_id = 333333333333\n\
             [profile unknown]\nsso_session = corp\nsso_account_id = 999999999999\n\
             [profile l]\nsso_start_url = https://legacy/start\nsso_region = x\nsso_account_id = 444444444444\n\
             [profile m]\nsso_session = moved\nsso_account_id = 111111111111\n[profile plain]\nregion = x\n",
        );
        let view = crate::config::view::read(&doc).unwrap();
        let names = profile_account_names(&dirs, &view);
        let mut got: Vec<(&str, &str)> = names
            .iter()
            .map(|(p, n)| (p.as_str(), n.as_str()))
            .collect();
        got.sort_unstable();
        assert_eq!(got, [("a", "zeta"), ("b", "alpha"), ("l", "old")]);
    }
}
