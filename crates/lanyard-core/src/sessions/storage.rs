//! Moving a session between file mode and secure mode (`lanyard configure sso-session --storage`,
//! Settings): under the session's lock, its token, client registration and cached role
//! credentials are copied to the new store, then the config records the mode and the session's
//! profiles are rewritten into that mode's form (losslessly, see [`crate::config::sso_form`]),
//! and only then is the old store emptied. A store that cannot be used (no keychain) stops the
//! move before anything changed; a failed config save takes the copies back out.

use std::path::Path;
use std::sync::Arc;

use super::error::{Result, SessionsError};
use super::lock::SessionLock;
use super::overview::store_of;
use super::resolve::session_by_name;
use super::store::{SessionId, Storage, TokenStore};
use crate::config::{config_file_path, files, sso_form, ConfigFile};
use crate::context::Context;

/// What a switch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwitchReport {
    /// The mode the session was in.
    pub from: Storage,
    /// The mode it is in now.
    pub to: Storage,
    /// What was moved: `token`, `registration`, `role <account>/<role>`.
    pub moved: Vec<String>,
    /// The profiles rewritten into the new mode's form.
    pub profiles: Vec<String>,
    /// Whether the config file was written.
    pub config_written: bool,
}

/// One item being moved: how to copy it to the new store and how to delete it from a store.
enum Item {
    Token,
    Registration,
    Role(String, String),
}

impl Item {
    fn label(&self) -> String {
        match self {
            Item::Token => "token".into(),
            Item::Registration => "registration".into(),
            Item::Role(a, r) => format!("role {a}/{r}"),
        }
    }
}

/// Copies what `src` holds of the session to `dst`; returns the items copied.
fn copy_items(
    src: &dyn TokenStore,
    dst: &dyn TokenStore,
    session: &super::resolve::KnownSession,
) -> Result<Vec<Item>> {
    let id = &session.config.id;
    let key = session.config.registration_key();
    let mut copied = Vec::new();
    let result = (|| {
        if let Some(t) = src.load_token(id)? {
            dst.save_token(id, &t)?;
            copied.push(Item::Token);
        }
        if let Some(r) = src.load_registration(&key)? {
            dst.save_registration(&key, &r)?;
            copied.push(Item::Registration);
        }
        for (account, role) in &session.roles {
            if let Some(c) = src.load_role_credentials(id, account, role)? {
                dst.save_role_credentials(id, account, role, &c)?;
                copied.push(Item::Role(account.clone(), role.clone()));
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(copied),
        Err(e) => {
            delete_items(dst, session, &copied);
            Err(e)
        }
    }
}

/// Deletes items from a store, logging (not failing on) what cannot be deleted.
fn delete_items(store: &dyn TokenStore, session: &super::resolve::KnownSession, items: &[Item]) {
    let id: &SessionId = &session.config.id;
    for item in items {
        let result = match item {
            Item::Token => store.delete_token(id),
            Item::Registration => store.delete_registration(&session.config.registration_key()),
            Item::Role(a, r) => store.delete_role_credentials(id, a, r),
        };
        if let Err(e) = result {
            tracing::warn!(session = id.display_name(), item = %item.label(), error = %e, "cannot delete a moved item from the old store");
        }
    }
}

/// Switches sso-session `name` to `to`, moving what it has stored and rewriting its profiles
/// (their secure-mode `credential_process` runs `lanyard`). The session stays signed in.
pub fn switch_storage(
    ctx: &Context,
    name: &str,
    to: Storage,
    lanyard: &Path,
) -> Result<SwitchReport> {
    let session = {
        let file = ConfigFile::load_config(&ctx.env)?;
        let view = file.view()?;
        session_by_name(&view, name).map_err(|e| SessionsError::Storage(e.to_string()))?
    };
    let from = session.storage;
    // No refresh or sign-in of this session may write to the old store while it moves.
    let _lock = SessionLock::acquire(&ctx.dirs.locks_dir(), &session.config.id.file_stem())?;
    let (src, dst): (Arc<dyn TokenStore>, Arc<dyn TokenStore>) =
        (store_of(ctx, from), store_of(ctx, to));
    let copied = if from == to {
        Vec::new()
    } else {
        dst.ensure_available(&session.config.id)?;
        src.ensure_available(&session.config.id)?;
        copy_items(src.as_ref(), dst.as_ref(), &session)?
    };
    let saved = files::edit_and_save(ctx, &config_file_path(&ctx.env), |file| {
        sso_form::set_session_storage(&mut file.doc, name, to, lanyard)
    });
    let (profiles, config_written) = match saved {
        Ok(v) => v,
        Err(e) => {
            if from != to {
                delete_items(dst.as_ref(), &session, &copied);
            }
            return Err(e.into());
        }
    };
    if from != to {
        delete_items(src.as_ref(), &session, &copied);
    }
    tracing::info!(session = name, %from, %to, moved = copied.len(), "storage switched");
    Ok(SwitchReport {
        from,
        to,
        moved: copied.iter().map(Item::label).collect(),
        profiles,
        config_written,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::env::Env;
    use crate::ManualClock;
    use time::macros::datetime;

    const CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n";

    fn ctx(home: &Path) -> Context {
        let env = Env::from_pairs([("HOME", home.as_os_str().to_owned())]);
        let ctx = Context::with_clock(
            env,
            Arc::new(ManualClock::new(datetime!(2026-01-01 08:00 UTC))),
        )
        .unwrap();
        ctx.dirs.ensure().unwrap();
        ctx
    }

    #[test]
    fn switching_to_the_mode_a_session_is_in_moves_and_rewrites_nothing() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/config"), CONFIG).unwrap();
        let ctx = ctx(home.path());
        let report =
            switch_storage(&ctx, "corp", Storage::File, Path::new("/bin/lanyard")).unwrap();
        assert_eq!(
            report,
            SwitchReport {
                from: Storage::File,
                to: Storage::File,
                moved: vec![],
                profiles: vec![],
                config_written: false
            }
        );
        assert_eq!(
            std::fs::read_to_string(home.path().join(".aws/config")).unwrap(),
            CONFIG
        );
    }

    #[test]
    fn an_unknown_session_is_refused_with_botocores_wording() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/config"), CONFIG).unwrap();
        let err = switch_storage(
            &ctx(home.path()),
            "ghost",
            Storage::Keychain,
            Path::new("/bin/lanyard"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "The specified sso-session does not exist: \"ghost\""
        );
        assert_eq!(err.code(), "storage");
    }
}
