//! Whether the account and role a profile names are among those the portal lists for its
//! session. Not listed is a warning, never a refusal: a person may hold access the listing does
//! not show (a new assignment, an account outside the listing's reach). What is compared is the
//! account cache `lanyard accounts list` and `populate` keep (no network, so no call is made
//! when the session is not signed in), or a listing the caller already has (the wizard's).

use std::fmt;

use crate::account_cache;
use crate::cache::timefmt::format_cli;
use crate::config::ConfigView;
use crate::context::Context;
use crate::portal::list::AccountRoles;
use crate::sessions::resolve::{profile_account_role, session_for_profile, KnownSession};

/// How many names of the listing a warning shows.
const SHOWN: usize = 5;

/// An account or role the listing does not have, with a few of what it does have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlisted {
    /// The session (its display name).
    pub session: String,
    /// The account named.
    pub account: String,
    /// The role named, when it is the role that is not listed (the account is).
    pub role: Option<String>,
    /// A few of what the listing has: accounts as `Name (id)`, or the account's roles.
    pub listed: Vec<String>,
    /// How many the listing has in all.
    pub total: usize,
    /// When the listing was fetched (`None`: just now).
    pub as_of: Option<String>,
}

impl fmt::Display for Unlisted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let when = self
            .as_of
            .as_ref()
            .map_or(String::new(), |t| format!(" (as listed at {t})"));
        match &self.role {
            None => write!(
                f,
                "account {} is not among the {} accounts the portal lists for sso-session {}{when}",
                self.account, self.total, self.session
            )?,
            Some(role) => write!(
                f,
                "role {role} is not among the {} roles the portal lists in account {} for \
                 sso-session {}{when}",
                self.total, self.account, self.session
            )?,
        }
        if self.listed.is_empty() {
            return Ok(());
        }
        write!(f, ": {}", self.listed.join(", "))?;
        if self.total > self.listed.len() {
            write!(f, " and {} more", self.total - self.listed.len())?;
        }
        Ok(())
    }
}

/// An account as a listing shows it: `Name (id)`, or the id.
fn label(a: &AccountRoles) -> String {
    match &a.account.account_name {
        Some(n) if !n.is_empty() => format!("{n} ({})", a.account.account_id),
        _ => a.account.account_id.clone(),
    }
}

/// What `accounts` (a listing of `session`) says of `account` and `role`: `None` when both are
/// listed (or the role is not given, or the listing has no roles for the account).
pub fn unlisted(
    accounts: &[AccountRoles],
    session: &str,
    account: &str,
    role: Option<&str>,
) -> Option<Unlisted> {
    let found = accounts.iter().find(|a| a.account.account_id == account);
    let (role, listed, total) = match (found, role) {
        (None, _) => (
            None,
            accounts.iter().take(SHOWN).map(label).collect(),
            accounts.len(),
        ),
        (Some(a), Some(r)) if !a.roles.is_empty() && !a.roles.iter().any(|x| x == r) => (
            Some(r.to_owned()),
            a.roles.iter().take(SHOWN).cloned().collect(),
            a.roles.len(),
        ),
        _ => return None,
    };
    Some(Unlisted {
        session: session.to_owned(),
        account: account.to_owned(),
        role,
        listed,
        total,
        as_of: None,
    })
}

/// [`unlisted`] against the session's account cache; `None` when there is no cache for the
/// session's start URL (nothing is fetched) or it lists both.
pub fn unlisted_in_cache(
    ctx: &Context,
    session: &KnownSession,
    account: &str,
    role: Option<&str>,
) -> Option<Unlisted> {
    let cfg = &session.config;
    let list = match account_cache::load(&ctx.dirs, cfg.id.cache_key(), &cfg.start_url) {
        Ok(Some(l)) => l,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the account cache");
            return None;
        }
    };
    let mut found = unlisted(&list.accounts, cfg.id.display_name(), account, role)?;
    found.as_of = Some(format_cli(list.fetched_at));
    Some(found)
}

/// [`unlisted_in_cache`] for the account and role profile `profile` of `view` names (either
/// form); `None` for a profile that names no account or no session.
pub fn profile_unlisted(ctx: &Context, view: &ConfigView<'_>, profile: &str) -> Option<Unlisted> {
    let session = session_for_profile(view, profile).ok()?;
    let (account, role) = profile_account_role(view.profiles.get(profile)?);
    unlisted_in_cache(ctx, &session, account?, role)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::list::Account;

    fn listing() -> Vec<AccountRoles> {
        (1..=7)
            .map(|n| AccountRoles {
                account: Account {
                    account_id: format!("{n:012}"),
                    account_name: (n != 2).then(|| format!("Acct{n}")),
                    email: None,
                },
                roles: vec!["Admin".into(), "ReadOnly".into()],
            })
            .collect()
    }

    /// Issue 20: an account or role the portal does not list is named with a few of what it
    /// does list; one it lists is not.
    #[test]
    fn what_the_listing_lacks_is_named_with_a_few_it_has() {
        let l = listing();
        assert_eq!(unlisted(&l, "corp", "000000000003", Some("Admin")), None);
        assert_eq!(unlisted(&l, "corp", "000000000003", None), None);
        let a = unlisted(&l, "corp", "999999999999", Some("Admin")).expect("account");
        assert_eq!(
            a.to_string(),
            "account 999999999999 is not among the 7 accounts the portal lists for sso-session \
             corp: Acct1 (000000000001), 000000000002, Acct3 (000000000003), Acct4 \
             (000000000004), Acct5 (000000000005) and 2 more"
        );
        let mut r = unlisted(&l, "corp", "000000000001", Some("Owner")).expect("role");
        r.as_of = Some("2030-01-01T00:00:00Z".into());
        assert_eq!(
            r.to_string(),
            "role Owner is not among the 2 roles the portal lists in account 000000000001 for \
             sso-session corp (as listed at 2030-01-01T00:00:00Z): Admin, ReadOnly"
        );
    }
}
