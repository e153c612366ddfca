//! The SSO sessions page's commands: create or edit an `[sso-session NAME]` (its form checked as
//! the config check checks it), delete one no profile uses.

use lanyard_core::config::config_file_path;
use lanyard_core::config::edit::{self, Kind};
use lanyard_core::config::error::ConfigError;
use lanyard_core::config::files::edit_and_save;
use lanyard_core::config::validate::is_region_name;
use lanyard_core::credentials::lanyard_executable;
use lanyard_core::overview::store_of;
use lanyard_core::sessions::schedule::parse_duration;
use lanyard_core::sessions::storage::switch_storage;
use lanyard_core::sessions::store::{SessionId, Storage};
use lanyard_core::settings::{self, Change};
use tauri::State;

use super::{not_found, sso_session, sso_session_storage};
use crate::dto::{IpcError, SettingChange, SsoSessionForm};
use crate::state::{AppState, Command};

/// Creates (`create`) or edits an `[sso-session NAME]` section: start URL, region, scopes, the
/// device-code choice; its duration in the settings file; its storage mode (tokens moved).
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn save_sso_session(
    state: State<'_, AppState>,
    form: SsoSessionForm,
    create: bool,
) -> Result<(), IpcError> {
    check_form(&form)?;
    let ctx = &state.ctx;
    let name = form.name.trim().to_owned();
    let existing = sso_session_storage(&state, &name)?;
    match (create, existing) {
        (true, Some(_)) => {
            return Err(IpcError::new(
                "exists",
                format!("sso-session {name} exists"),
            ))
        }
        (false, None) => return Err(not_found(&name)),
        _ => {}
    }
    let to = Storage::from(form.storage);
    if to == Storage::Keychain && existing != Some(to) {
        // Secure mode without a keychain is refused before anything is written.
        store_of(ctx, to).ensure_available(&SessionId::Session(name.clone()))?;
    }
    let scopes = form
        .scopes
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    edit_and_save(ctx, &config_file_path(&ctx.env), |file| {
        let i = edit::upsert_sso_session(
            &mut file.doc,
            &name,
            Some(form.start_url.trim()),
            Some(form.region.trim()),
            scopes,
        )?;
        edit::set_use_device_code(&mut file.doc, i, Some(form.use_device_code))
    })?;
    settings::update(
        &ctx.dirs,
        &[Change::from(SettingChange::SessionDuration {
            session: name.clone(),
            duration: form.duration.clone(),
        })],
    )?;
    if existing.unwrap_or_default() != to {
        switch_storage(ctx, &name, to, &lanyard_executable())?;
    }
    state.send(Command::Reload);
    Ok(())
}

/// Removes `[sso-session NAME]` and its settings; refused while profiles use it.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn delete_sso_session(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    let ctx = &state.ctx;
    let users = sso_session(&state, &name)?
        .map(|s| s.profiles)
        .ok_or_else(|| not_found(&name))?;
    if !users.is_empty() {
        return Err(IpcError::new(
            "in_use",
            format!("profiles use sso-session {name}: {}", users.join(", ")),
        ));
    }
    edit_and_save(ctx, &config_file_path(&ctx.env), |file| {
        for i in edit::sections_for(&file.doc, Kind::SsoSession, &name)
            .into_iter()
            .rev()
        {
            file.doc
                .remove_section(i)
                .map_err(|e| ConfigError::ConfigEdit(e.to_string()))?;
        }
        Ok(())
    })?;
    settings::update(
        &ctx.dirs,
        &[
            Change::SessionBrowser(name.clone(), None),
            Change::SessionDuration(name, None),
        ],
    )?;
    state.send(Command::Reload);
    Ok(())
}

/// The same checks lanyard-core's config check makes of an sso-session (and the window's form
/// makes before sending), each with its own code so the window words it.
pub fn check_form(form: &SsoSessionForm) -> Result<(), IpcError> {
    let name = form.name.trim();
    if name.is_empty()
        || edit::header_for(Kind::SsoSession, name).is_err()
        || name.contains(['[', ']'])
    {
        return Err(IpcError::new(
            "invalid_name",
            format!("{name:?} cannot be an sso-session name"),
        ));
    }
    if !form.start_url.trim().starts_with("https://") {
        return Err(IpcError::new(
            "invalid_start_url",
            "the start URL must begin with https://",
        ));
    }
    if !is_region_name(form.region.trim()) {
        return Err(IpcError::new(
            "invalid_region",
            format!("{:?} is not a region name", form.region.trim()),
        ));
    }
    if let Some(d) = form
        .duration
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        parse_duration(d).map_err(|e| IpcError::new("invalid_duration", e.to_string()))?;
    }
    Ok(())
}
