//! The Profiles page's commands: the list, the editor (read one, preview or save a change), the
//! default switch and restore, `whoami` and copying a profile's credentials.

use lanyard_core::account_cache;
use lanyard_core::config::switch::{self, Choice};
use lanyard_core::config::{config_file_path, profile_edit, profile_summaries, ConfigFile};
use lanyard_core::overview::FetchError;
use lanyard_core::whoami::{self, WhoamiError};
use tauri::State;

use super::answer;
use crate::dto::{
    DefaultChanges, EditOutcome, IpcError, ProfileChange, ProfileDetail, ProfileDto, ProfilesPage,
    WhoAmI,
};
use crate::state::{AppState, Command};
use crate::tray_model::TrayAction;

/// Every profile (with its account's name from its session's cached account list), the one the
/// default mirrors, whether the person's default can come back, and the file's version.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub fn list_profiles(state: State<'_, AppState>) -> Result<ProfilesPage, IpcError> {
    profiles_page(&state)
}

/// [`list_profiles`] on the app's state.
pub fn profiles_page(state: &AppState) -> Result<ProfilesPage, IpcError> {
    let file = ConfigFile::load_config(&state.ctx.env)?;
    let view = file.view()?;
    let names = account_cache::profile_account_names(&state.ctx.dirs, &view);
    let page = ProfilesPage {
        profiles: profile_summaries(&view)
            .iter()
            .map(|p| ProfileDto {
                account_name: names.get(&p.name).cloned(),
                ..ProfileDto::from(p)
            })
            .collect(),
        mirrors: switch::active(&view),
        can_restore: switch::has_saved(&view),
        version: file.version(),
        default_changes: switch::default_changes(&state.ctx.dirs, &file, &view),
    };
    state.remember_text(&page.version, file.loaded_shared());
    Ok(page)
}

/// One profile as the editor opens it: its section's text as written, its keys, its findings,
/// the file's version.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn get_profile(state: State<'_, AppState>, name: String) -> Result<ProfileDetail, IpcError> {
    profile_detail(&state, &name)
}

/// [`get_profile`] on the app's state.
pub fn profile_detail(state: &AppState, name: &str) -> Result<ProfileDetail, IpcError> {
    let file = ConfigFile::load_config(&state.ctx.env)?;
    state.remember_text(&file.version(), file.loaded_shared());
    Ok(profile_edit::detail(&file, name)?.into())
}

/// Previews (`save` false) or saves a change to the profiles, made against the config file at
/// `version`: a file changed since is never overwritten (the answer is `conflict`, with what
/// changed), an edit that brings in an error is not written (`invalid`). Keys and values are
/// not logged (a profile may hold static keys).
#[tauri::command]
#[tracing::instrument(skip_all, fields(save, version = %version), err(Debug))]
pub fn edit_profile(
    state: State<'_, AppState>,
    change: ProfileChange,
    version: String,
    save: bool,
) -> Result<EditOutcome, IpcError> {
    edit(&state, change, &version, save)
}

/// [`edit_profile`] on the app's state.
pub fn edit(
    state: &AppState,
    change: ProfileChange,
    version: &str,
    save: bool,
) -> Result<EditOutcome, IpcError> {
    let path = config_file_path(&state.ctx.env);
    let edited = profile_edit::edit(&state.ctx, &path, &change.into(), version, save, &|v| {
        state.known_text(v)
    })?;
    Ok(answer(state, edited))
}

/// `lanyard whoami` for `profile`: GetCallerIdentity with its role credentials (cached, or
/// fetched with a valid token; never a sign-in: an ended session is `not_signed_in`,
/// `expired` or `session_ended`).
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn test_profile(state: State<'_, AppState>, profile: String) -> Result<WhoAmI, IpcError> {
    Ok(whoami::whoami(&state.ctx, &profile)
        .await
        .map_err(whoami_error)?
        .into())
}

/// Copies `profile`'s role credentials as `export` lines. The copy is made by the tray process
/// (as the tray's Copy credentials is), which marks the entry secret for clipboard managers and
/// clears it after `clipboard_clear_after` if it is still there, even once this window closed;
/// its notification says how it went.
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn copy_credentials(state: State<'_, AppState>, profile: String) {
    state.send(Command::Action(TrayAction::CopyCredentialsOf(profile)));
}

/// Makes `profile` what tools use when none is named (`[default]` mirrors it). A change made
/// to the mirrored default since is refused (`default_edited`) unless `changes` says what to do.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn use_profile(
    state: State<'_, AppState>,
    profile: String,
    changes: Option<DefaultChanges>,
) -> Result<(), IpcError> {
    switch::switch_file_with(
        &state.ctx,
        Choice::Profile(&profile),
        DefaultChanges::core(changes),
    )?;
    state.send(Command::Reload);
    Ok(())
}

/// Puts the person's own `[default]` back (changes made to the mirror: as for `use_profile`).
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn restore_default(
    state: State<'_, AppState>,
    changes: Option<DefaultChanges>,
) -> Result<(), IpcError> {
    switch::switch_file_with(&state.ctx, Choice::Restore, DefaultChanges::core(changes))?;
    state.send(Command::Reload);
    Ok(())
}

/// A `whoami` failure, with the codes the window branches on (a token the portal refuses:
/// `not_signed_in`).
pub(super) fn whoami_error(e: WhoamiError) -> IpcError {
    match e {
        WhoamiError::Credentials(FetchError::Resolve(r)) => IpcError::new(r.code(), r.to_string()),
        WhoamiError::Credentials(FetchError::Session(s)) => s.into(),
        WhoamiError::Credentials(FetchError::Portal(p)) if p.is_unauthorized() => {
            IpcError::new("not_signed_in", p.to_string())
        }
        WhoamiError::Credentials(FetchError::Portal(p)) => IpcError::new(p.code(), p.to_string()),
        WhoamiError::Credentials(FetchError::Core(c)) | WhoamiError::Core(c) => c.into(),
        WhoamiError::Sts(s) => IpcError::new(s.code(), s.to_string()),
        other => IpcError::new("app", other.to_string()),
    }
}
