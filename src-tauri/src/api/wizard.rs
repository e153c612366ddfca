//! The configure sso wizard's commands: the accounts and roles a session may use, and the profile
//! it writes for the chosen one (checked as the CLI checks it).

use lanyard_core::account_cache::{self, FetchOptions};
use lanyard_core::config::config_file_path;
use lanyard_core::config::edit::{self, KeyPath};
use lanyard_core::config::files::edit_and_save;
use lanyard_core::config::sso_form::session_profile_keys;
use lanyard_core::config::validate::is_region_name;
use lanyard_core::credentials::lanyard_executable;
use tauri::State;

use super::{accounts_error, find, not_found, sso_session_storage};
use crate::dto::{AccountsList, IpcError, SsoProfileForm};
use crate::state::{AppState, Command};

/// The accounts and roles `session` may use (the configure sso wizard): the cached lists unless
/// `refresh` or none are cached, else fetched from the portal with a valid token (refreshed if
/// due; never a sign-in) under the settings' rate limit, and cached.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_accounts(
    state: State<'_, AppState>,
    session: String,
    refresh: bool,
) -> Result<AccountsList, IpcError> {
    let ctx = &state.ctx;
    let s = find(&state, &session)?;
    let list = account_cache::cached_or_fetch(ctx, &s, refresh, FetchOptions::from_settings(ctx))
        .await
        .map_err(accounts_error)?;
    serde_json::from_value(list.to_json()).map_err(|e| IpcError::new("app", e.to_string()))
}

/// Writes the configure sso wizard's profile: the session's keys for the chosen account and
/// role (in its storage mode's form), region and output when given.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn save_sso_profile(state: State<'_, AppState>, form: SsoProfileForm) -> Result<(), IpcError> {
    check_profile_form(&form)?;
    let storage = sso_session_storage(&state, &form.sso_session)?
        .ok_or_else(|| not_found(&form.sso_session))?;
    let ctx = &state.ctx;
    let exe = lanyard_executable();
    let profile = form.profile.trim();
    edit_and_save(ctx, &config_file_path(&ctx.env), |file| {
        let mut pairs: Vec<(KeyPath, String)> = session_profile_keys(
            &form.sso_session,
            storage,
            profile,
            &form.account_id,
            &form.role_name,
            &exe,
        )
        .into_iter()
        .map(|(k, v)| (KeyPath::Key(k.to_owned()), v))
        .collect();
        for (k, v) in [("region", &form.region), ("output", &form.output)] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                pairs.push((KeyPath::Key(k.to_owned()), v.to_owned()));
            }
        }
        edit::set_profile_keys(&mut file.doc, profile, &pairs)
    })?;
    state.send(Command::Reload);
    Ok(())
}

/// The wizard's last step checked as the CLI checks it: a profile name the config can hold, a
/// region name, an output without spaces.
pub fn check_profile_form(form: &SsoProfileForm) -> Result<(), IpcError> {
    let name = form.profile.trim();
    if edit::check_profile_name(name).is_err() {
        return Err(IpcError::new(
            "invalid_profile_name",
            format!("{name:?} cannot be a profile name"),
        ));
    }
    if let Some(r) = form
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        if !is_region_name(r) {
            return Err(IpcError::new(
                "invalid_region",
                format!("{r:?} is not a region name"),
            ));
        }
    }
    if form
        .output
        .as_deref()
        .is_some_and(|o| o.trim().contains(char::is_whitespace))
    {
        return Err(IpcError::new(
            "invalid_output",
            "the output format contains spaces",
        ));
    }
    if form.account_id.trim().is_empty() || form.role_name.trim().is_empty() {
        return Err(IpcError::new(
            "invalid_choice",
            "choose an account and a role",
        ));
    }
    Ok(())
}
