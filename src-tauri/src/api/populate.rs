//! The Populate page's commands: the template's live names, the dry run, the apply; a portal
//! listing's progress sent to the window as it goes.

use lanyard_core::config::config_file_path;
use lanyard_core::populate::run as populate_run;
use tauri::{AppHandle, Runtime, State};

use super::{accounts_error, answer};
use crate::dto::{EditOutcome, IpcError, PopulatePlanDto, PopulateRequest, TemplatePreview};
use crate::progress::Events;
use crate::state::AppState;

/// The names `template` gives the session's cached account × role pairs (the first `limit`);
/// a template that cannot be used says why in the answer. No cached list: nothing named.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub fn populate_names(
    state: State<'_, AppState>,
    session: String,
    template: String,
    limit: usize,
) -> Result<TemplatePreview, IpcError> {
    Ok(populate_run::cached_names(&state.ctx, &session, &template, limit)?.into())
}

/// A populate dry run: the diff of the config file and the counts. The accounts come from the
/// session's cached list, fetched from the portal (progress as `populate-progress` events)
/// when none is cached or `refresh`.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub async fn populate_preview<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: PopulateRequest,
) -> Result<PopulatePlanDto, IpcError> {
    let run = request.run()?;
    let accounts = run_accounts(&app, &state, &run, request.refresh).await?;
    let preview = populate_run::preview(&config_file_path(&state.ctx.env), &run, &accounts)?;
    state.remember_text(&preview.version, preview.text.clone());
    Ok(PopulatePlanDto::from(&preview))
}

/// Applies the request as previewed against the config file at `version` (planned again with
/// the same cached account list): `saved`, or `conflict` when the file changed since.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub async fn populate_apply<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: PopulateRequest,
    version: String,
) -> Result<EditOutcome, IpcError> {
    let run = request.run()?;
    let accounts = run_accounts(&app, &state, &run, false).await?;
    let path = config_file_path(&state.ctx.env);
    let edited = populate_run::apply(&state.ctx, &path, &run, &accounts, &version, &|v| {
        state.known_text(v)
    })?;
    Ok(answer(&state, edited))
}

/// A run's accounts, a fetch's progress sent to the window as throttled events.
async fn run_accounts<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    run: &populate_run::Run,
    refresh: bool,
) -> Result<Vec<lanyard_core::portal::list::AccountRoles>, IpcError> {
    let events = Events::new(app, &run.session, state.ctx.clock.clone());
    let accounts = populate_run::accounts_for(&state.ctx, run, refresh, Some(events.sink())).await;
    events.finish();
    accounts.map_err(accounts_error)
}
