//! The commands the window's pages call (Sessions, SSO sessions, Profiles and its editor,
//! Populate, Settings), each granted by name in capabilities/default.json. Each reads through lanyard-core or hands the
//! action to the sessions engine, as the tray does, so a sign-in started here shows its device
//! code and notifications exactly like one started from the tray. After a change on disk the
//! engine is told to reload, so the tray follows at once. An edit names the version of the config
//! file the window read; the last few texts read are kept ([`AppState::remember_text`]) so that a
//! conflict shows what changed since.

use lanyard_core::config::edit::{self, KeyPath, Kind};
use lanyard_core::config::files::edit_and_save;
use lanyard_core::config::profile_edit;
use lanyard_core::config::sso_form::session_profile_keys;
use lanyard_core::config::switch::{self, Choice};
use lanyard_core::config::validate::is_region_name;
use lanyard_core::config::{config_file_path, profile_summaries, ConfigFile};
use lanyard_core::config::{Edited, Outcome};
use lanyard_core::credentials::lanyard_executable;
use lanyard_core::populate::run as populate_run;
use lanyard_core::portal::account_cache::{self, AccountsError, FetchOptions};
use lanyard_core::sessions::overview::FetchError;
use lanyard_core::sessions::overview::{
    display_name, load_session_net, overview, sign_in_service, store_of, SessionStatus,
};
use lanyard_core::sessions::resolve::{all_sessions, KnownSession};
use lanyard_core::sessions::schedule::parse_duration;
use lanyard_core::sessions::storage::switch_storage;
use lanyard_core::sessions::store::{SessionId, Storage};
use lanyard_core::settings::{self, Change, Settings};
use lanyard_core::sts::{self, WhoamiError};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;

use crate::commands::IpcError;
use crate::dto::{
    AccountsList, DefaultChanges, EditOutcome, PopulatePlanDto, PopulateRequest, ProfileChange,
    ProfileDetail, ProfileDto, ProfilesPage, SessionsOverview, SettingChange, SettingsDto,
    SsoProfileForm, SsoSessionForm, TemplatePreview, WhoAmI,
};
use crate::engine::{self, Command};
use crate::progress::Events;
use crate::state::AppState;
use crate::tray::model::TrayAction;

/// Every session with its state now (never a token: see [`crate::dto::SessionDto`]).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub fn sessions_overview(state: State<'_, AppState>) -> Result<SessionsOverview, IpcError> {
    Ok(SessionsOverview::of(&statuses(&state)?))
}

/// Starts signing in to `session` (browser or device code, as the session is configured); the
/// device code arrives as the `device-code` event, the end as `sign-in-done`.
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn sign_in(state: State<'_, AppState>, session: String) {
    state.send(Command::Action(TrayAction::SignIn(session)));
}

/// Stops a sign-in that is waiting for its browser page or device code (`sign-in-done` follows,
/// with the code `cancelled`).
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn cancel_sign_in(state: State<'_, AppState>, session: String) {
    state.send(Command::Action(TrayAction::CancelSignIn(session)));
}

/// Signs in to every session that is signed out or expired.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn sign_in_all(state: State<'_, AppState>) {
    state.send(Command::Action(TrayAction::SignInAll));
}

/// Signs out of `session` (its token revoked and removed, with its role credentials).
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn sign_out(state: State<'_, AppState>, session: String) {
    state.send(Command::Action(TrayAction::SignOut(session)));
}

/// Refreshes `session`'s token now, whatever its time left ("Refresh now").
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn refresh_session(state: State<'_, AppState>, session: String) -> Result<(), IpcError> {
    let s = find(&state, &session)?;
    let net = load_session_net(&state.ctx, &s)?;
    sign_in_service(&state.ctx, &net, &s)?
        .refresh(&s.config)
        .await?;
    state.send(Command::Reload);
    Ok(())
}

/// The settings file as it is now (defaults where it has nothing or cannot be read).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn get_settings(state: State<'_, AppState>) -> SettingsDto {
    SettingsDto::from(&Settings::load(&state.ctx.dirs).0)
}

/// Writes `changes` to the settings file (comments and unknown keys kept) and returns the
/// result; turning autostart on or off also registers or removes the login start.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub fn update_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    changes: Vec<SettingChange>,
) -> Result<SettingsDto, IpcError> {
    let changes: Vec<Change> = changes.into_iter().map(Change::from).collect();
    let saved = settings::update(&state.ctx.dirs, &changes)?;
    if let Some(on) = changes.iter().rev().find_map(|c| match c {
        Change::Autostart(on) => Some(*on),
        _ => None,
    }) {
        let launch = app.autolaunch();
        let done = if on {
            launch.enable()
        } else {
            launch.disable()
        };
        done.map_err(|e| IpcError::new("autostart", e.to_string()))?;
    }
    state.send(Command::Reload);
    Ok(SettingsDto::from(&saved))
}

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
                .map_err(|e| lanyard_core::Error::ConfigEdit(e.to_string()))?;
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
    Ok(sts::whoami(&state.ctx, &profile)
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

/// Remembers the text an edit answered with and, when it wrote, tells the engine to reload.
fn answer(state: &AppState, edited: Edited) -> EditOutcome {
    let version = match &edited.outcome {
        Outcome::Preview { version, .. }
        | Outcome::Invalid { version, .. }
        | Outcome::Saved { version, .. }
        | Outcome::Conflict { version, .. } => version.clone(),
    };
    state.remember_text(&version, edited.text);
    if matches!(edited.outcome, Outcome::Saved { .. }) {
        state.send(Command::Reload);
    }
    edited.outcome.into()
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

fn accounts_error(e: AccountsError) -> IpcError {
    match e {
        AccountsError::Session(s) => s.into(),
        AccountsError::Portal(p) if p.is_unauthorized() => {
            IpcError::new("not_signed_in", p.to_string())
        }
        AccountsError::Portal(p) => IpcError::new(p.code(), p.to_string()),
        AccountsError::Core(c) => c.into(),
        other => IpcError::new("portal", other.to_string()),
    }
}

fn whoami_error(e: WhoamiError) -> IpcError {
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

/// The sessions assessed as the engine assesses them (the settings file's policy).
fn statuses(state: &AppState) -> Result<Vec<SessionStatus>, IpcError> {
    let (file, _) = Settings::load(&state.ctx.dirs);
    let policy = engine::settings(&state.ctx.env, &file).policy();
    Ok(overview(&state.ctx, policy, &file)?)
}

/// The configured sessions, from the config alone (no token or keychain is read).
fn configured(state: &AppState) -> Result<Vec<KnownSession>, IpcError> {
    let file = ConfigFile::load_config(&state.ctx.env)?;
    Ok(all_sessions(&file.view()?))
}

/// The session the window names (as the overview names it).
fn find(state: &AppState, name: &str) -> Result<KnownSession, IpcError> {
    configured(state)?
        .into_iter()
        .find(|s| display_name(s) == name)
        .ok_or_else(|| not_found(name))
}

/// The sso-session `name`, None when it has no (complete) section.
fn sso_session(state: &AppState, name: &str) -> Result<Option<KnownSession>, IpcError> {
    Ok(configured(state)?
        .into_iter()
        .find(|s| matches!(&s.config.id, SessionId::Session(n) if n == name)))
}

fn not_found(name: &str) -> IpcError {
    IpcError::new("not_found", format!("no session named {name}"))
}

/// The storage of sso-session `name`, None when it has no section.
fn sso_session_storage(state: &AppState, name: &str) -> Result<Option<Storage>, IpcError> {
    Ok(sso_session(state, name)?.map(|s| s.storage))
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use lanyard_core::config::version_of;
    use lanyard_core::portal::account_cache::AccountList;
    use lanyard_core::portal::list::{Account, AccountRoles};
    use lanyard_core::sessions::signin::SessionError;
    use lanyard_core::{Context, Env};
    use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

    use super::*;
    use crate::dto::{KeyValue, PopulateModeDto, StorageMode};
    use crate::i18n::Language;

    const CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://d-1.awsapps.com/start
sso_region = us-east-1

# mine
[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
region = us-east-1
";

    /// The app's state over a fresh HOME holding `config`, and what it sends the engine.
    fn app(config: &str) -> (tempfile::TempDir, AppState, UnboundedReceiver<Command>) {
        let home = tempfile::tempdir().expect("home");
        std::fs::create_dir_all(home.path().join(".aws")).expect("mkdir");
        std::fs::write(home.path().join(".aws/config"), config).expect("config");
        let ctx = Context::from_env(Env::from_pairs([("HOME", home.path())])).expect("ctx");
        let state = AppState::new(ctx, Language::En, false);
        let (tx, rx) = unbounded_channel();
        state.set_engine(tx);
        (home, state, rx)
    }

    fn config_path(home: &Path) -> std::path::PathBuf {
        home.join(".aws/config")
    }

    fn region(value: &str) -> ProfileChange {
        ProfileChange::Update {
            name: "dev".into(),
            new_name: "dev".into(),
            keys: [
                ("sso_session", "corp"),
                ("sso_account_id", "111111111111"),
                ("sso_role_name", "Admin"),
                ("region", value),
            ]
            .iter()
            .map(|(k, v)| KeyValue {
                key: (*k).into(),
                value: (*v).into(),
            })
            .collect(),
        }
    }

    #[test]
    fn the_profile_list_names_accounts_from_the_cached_list_and_gives_the_version() {
        let (_home, state, _rx) = app(CONFIG);
        let page = profiles_page(&state).expect("page");
        assert_eq!(page.version, version_of(CONFIG));
        assert_eq!(page.profiles[0].account_name, None, "nothing cached yet");
        let list = AccountList::new(
            "corp",
            "https://d-1.awsapps.com/start",
            state.ctx.clock.now(),
            vec![AccountRoles {
                account: Account {
                    account_id: "111111111111".into(),
                    account_name: Some("Production".into()),
                    email: None,
                },
                roles: vec!["Admin".into()],
            }],
        );
        account_cache::save(&state.ctx.dirs, &list).expect("save");
        let page = profiles_page(&state).expect("page");
        assert_eq!(page.profiles[0].account_name.as_deref(), Some("Production"));
        assert_eq!(
            state
                .known_text(&page.version)
                .as_deref()
                .map(String::as_str),
            Some(CONFIG)
        );
    }

    #[test]
    fn a_saved_edit_is_written_reloads_the_tray_and_a_later_edit_against_the_old_version_conflicts()
    {
        let (home, state, mut rx) = app(CONFIG);
        let detail = profile_detail(&state, "dev").expect("detail");
        assert_eq!(detail.line, 6);
        let saved = edit(&state, region("eu-west-1"), &detail.version, true).expect("edit");
        let written = std::fs::read_to_string(config_path(home.path())).expect("read");
        assert_eq!(
            written,
            CONFIG.replace("\nregion = us-east-1", "\nregion = eu-west-1")
        );
        assert!(
            matches!(&saved, EditOutcome::Saved { version, .. } if *version == version_of(&written))
        );
        assert!(matches!(rx.try_recv(), Ok(Command::Reload)));
        // The window still holds the old version: its edit is refused, showing our own save.
        let late = edit(&state, region("ap-south-1"), &detail.version, true).expect("edit");
        assert_eq!(
            late,
            EditOutcome::Conflict {
                changes: "--- a/config\n+++ b/config\n@@ -7,4 +7,4 @@\n sso_session = corp\n \
                          sso_account_id = 111111111111\n sso_role_name = Admin\n\
                          -region = us-east-1\n+region = eu-west-1\n"
                    .into(),
                version: version_of(&written),
            }
        );
        assert!(rx.try_recv().is_err(), "nothing written, nothing to reload");
        assert_eq!(
            std::fs::read_to_string(config_path(home.path())).expect("read"),
            written
        );
    }

    #[test]
    fn a_preview_writes_nothing_and_reloads_nothing() {
        let (home, state, mut rx) = app(CONFIG);
        let out = edit(&state, region("eu-west-1"), &version_of(CONFIG), false).expect("edit");
        let json = serde_json::to_value(&out).expect("json");
        assert_eq!(json["outcome"], "preview");
        assert!(json["diff"]
            .as_str()
            .is_some_and(|d| d.contains("+region = eu-west-1")));
        assert!(rx.try_recv().is_err());
        assert_eq!(
            std::fs::read_to_string(config_path(home.path())).expect("read"),
            CONFIG
        );
    }

    #[test]
    fn editor_errors_cross_ipc_with_their_codes() {
        let (_home, state, _rx) = app(CONFIG);
        let code = |r: Result<EditOutcome, IpcError>| r.err().map_or("ok", |e| e.code());
        assert_eq!(
            profile_detail(&state, "nope").err().map(|e| e.code()),
            Some("profile_not_found")
        );
        let create = |name: &str| ProfileChange::Create {
            name: name.into(),
            keys: Vec::new(),
        };
        let v = version_of(CONFIG);
        assert_eq!(
            code(edit(&state, create("dev"), &v, false)),
            "profile_exists"
        );
        assert_eq!(
            code(edit(&state, create("a]b"), &v, false)),
            "invalid_profile_name"
        );
        let gone = ProfileChange::Delete {
            name: "nope".into(),
        };
        assert_eq!(code(edit(&state, gone, &v, false)), "profile_not_found");
    }

    #[test]
    fn whoami_failures_keep_the_codes_the_window_branches_on() {
        let signed_out = WhoamiError::Credentials(FetchError::Session(SessionError::NotSignedIn {
            name: "corp".into(),
        }));
        assert_eq!(whoami_error(signed_out).code(), "not_signed_in");
        let not_sso = WhoamiError::Credentials(FetchError::Resolve(
            lanyard_core::sessions::resolve::ResolveError::NotSso("x".into()),
        ));
        assert_eq!(whoami_error(not_sso).code(), "not_sso");
        let sts = WhoamiError::Sts(lanyard_core::sts::StsError::Service {
            status: 400,
            code: "ExpiredToken".into(),
            message: "expired".into(),
        });
        assert_eq!(whoami_error(sts).code(), "service_refused");
    }

    #[test]
    fn a_populate_request_is_checked_with_the_codes_of_core() {
        let request = |template: &str, region: Option<&str>| PopulateRequest {
            session: "corp".into(),
            template: template.into(),
            region: region.map(Into::into),
            output: None,
            mode: PopulateModeDto::Prune,
            refresh: false,
        };
        let code = |r: PopulateRequest| r.run().err().map_or("ok", |e| IpcError::from(e).code());
        assert_eq!(code(request("{account_name}.{role_name}", Some(" "))), "ok");
        assert_eq!(code(request("{nope}", None)), "template");
        assert_eq!(
            code(request("{role_name}", Some("eu west"))),
            "invalid_region"
        );
        let run = request("{role_name}", None).run().expect("run");
        assert_eq!(run.mode, lanyard_core::populate::Mode::Prune);
    }

    fn form() -> SsoSessionForm {
        SsoSessionForm {
            name: "corp".into(),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            scopes: None,
            use_device_code: false,
            storage: StorageMode::File,
            duration: Some("12h".into()),
        }
    }

    fn code(f: SsoSessionForm) -> &'static str {
        check_form(&f).err().map_or("ok", |e| e.code())
    }

    fn profile() -> SsoProfileForm {
        SsoProfileForm {
            profile: "Developer-111122223333".into(),
            sso_session: "corp".into(),
            account_id: "111122223333".into(),
            role_name: "Developer".into(),
            region: Some("eu-west-1".into()),
            output: Some("json".into()),
        }
    }

    fn profile_code(f: SsoProfileForm) -> &'static str {
        check_profile_form(&f).err().map_or("ok", |e| e.code())
    }

    #[test]
    fn the_wizard_profile_is_checked_like_the_cli() {
        assert_eq!(profile_code(profile()), "ok");
        assert_eq!(
            profile_code(SsoProfileForm {
                profile: "".into(),
                ..profile()
            }),
            "invalid_profile_name"
        );
        assert_eq!(
            profile_code(SsoProfileForm {
                region: Some("eu".into()),
                ..profile()
            }),
            "invalid_region"
        );
        assert_eq!(
            profile_code(SsoProfileForm {
                region: None,
                output: None,
                ..profile()
            }),
            "ok"
        );
        assert_eq!(
            profile_code(SsoProfileForm {
                output: Some("js on".into()),
                ..profile()
            }),
            "invalid_output"
        );
        assert_eq!(
            profile_code(SsoProfileForm {
                role_name: " ".into(),
                ..profile()
            }),
            "invalid_choice"
        );
    }

    #[test]
    fn the_form_is_checked_like_the_config() {
        assert_eq!(code(form()), "ok");
        assert_eq!(
            code(SsoSessionForm {
                name: " ".into(),
                ..form()
            }),
            "invalid_name"
        );
        assert_eq!(
            code(SsoSessionForm {
                name: "a]b".into(),
                ..form()
            }),
            "invalid_name"
        );
        assert_eq!(
            code(SsoSessionForm {
                start_url: "http://x".into(),
                ..form()
            }),
            "invalid_start_url"
        );
        assert_eq!(
            code(SsoSessionForm {
                region: "Frankfurt".into(),
                ..form()
            }),
            "invalid_region"
        );
        assert_eq!(
            code(SsoSessionForm {
                duration: Some("soon".into()),
                ..form()
            }),
            "invalid_duration"
        );
        assert_eq!(
            code(SsoSessionForm {
                duration: Some(" ".into()),
                ..form()
            }),
            "ok"
        );
    }
}
