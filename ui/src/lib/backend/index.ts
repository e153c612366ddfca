// The one typed door to the Rust side: every backend call of the UI goes through `Backend`, so
// components never call `invoke` or `listen` themselves and tests (and the mock build) pass
// another implementation (./mock.ts). The payload types are generated from the Rust DTOs
// (./generated/types.ts, from src-tauri/src/dto.rs by ts-rs; a Rust test fails when stale); the
// command names mirror src-tauri/src/{commands,api}.rs and the grants in
// src-tauri/capabilities/default.json.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Language } from '../i18n';
import type {
  AccountsList,
  AppInfo,
  DefaultChanges,
  DeviceCode,
  EditOutcome,
  IpcError,
  PopulatePlanDto,
  PopulateRequest,
  PortalProgress,
  ProfileChange,
  ProfileDetail,
  ProfilesPage,
  SessionsOverview,
  SettingChange,
  SettingsDto,
  SignInDone,
  SsoProfileForm,
  SsoSessionForm,
  StateChanged,
  TemplatePreview,
  WhoAmI,
} from './generated/types';

export type * from './generated/types';

/** Stops listening to an event. */
export type Unlisten = () => void;

/** Event names (Rust: `state::EVENT_DEVICE_CODE`, `state::EVENT_SIGN_IN_DONE`,
 * `state::EVENT_POPULATE_PROGRESS`, `state::EVENT_STATE_CHANGED`). */
export const EVENT_DEVICE_CODE = 'device-code';
export const EVENT_SIGN_IN_DONE = 'sign-in-done';
export const EVENT_POPULATE_PROGRESS = 'populate-progress';
export const EVENT_STATE_CHANGED = 'state-changed';

export interface Backend {
  appInfo(): Promise<AppInfo>;
  /** Switches the tray's language to match the window's and saves it in settings.toml. */
  setLanguage(language: Language): Promise<void>;
  /** The device sign-ins already waiting (started before this window opened). */
  deviceSignIns(): Promise<DeviceCode[]>;
  /** Puts a waiting sign-in's user code on the clipboard. */
  copyDeviceCode(session: string): Promise<void>;
  /** Opens a waiting sign-in's verification page in the browser. */
  openDeviceVerification(session: string): Promise<void>;
  /** Calls `handler` whenever a device sign-in starts. */
  onDeviceCode(handler: (code: DeviceCode) => void): Promise<Unlisten>;
  /** Calls `handler` whenever a sign-in ends, either way. */
  onSignInDone(handler: (done: SignInDone) => void): Promise<Unlisten>;
  /** Calls `handler` whenever what the pages show changed — a tray action, another program,
   * this window's own action coming back — with the areas that changed: the pages read again
   * at once (their poll is only a fallback). */
  onStateChanged(handler: (changed: StateChanged) => void): Promise<Unlisten>;

  /** Every session and its state now. */
  sessionsOverview(): Promise<SessionsOverview>;
  /** Starts a sign-in; its device code and its end arrive as events. */
  signIn(session: string): Promise<void>;
  /** Signs in to every session that is signed out or expired. */
  signInAll(): Promise<void>;
  signOut(session: string): Promise<void>;
  /** Stops a sign-in that is waiting; `sign-in-done` follows with the code `cancelled`. */
  cancelSignIn(session: string): Promise<void>;
  /** Refreshes the token now. */
  refreshSession(session: string): Promise<void>;

  getSettings(): Promise<SettingsDto>;
  /** Saves the changes and answers the settings as saved. */
  updateSettings(changes: SettingChange[]): Promise<SettingsDto>;

  /** Creates (`create`) or edits an sso-session section. */
  saveSsoSession(form: SsoSessionForm, create: boolean): Promise<void>;
  deleteSsoSession(name: string): Promise<void>;

  /** The accounts and roles of a signed-in session (cached unless `refresh`). */
  listAccounts(session: string, refresh: boolean): Promise<AccountsList>;
  /** Writes the configure sso wizard's profile. */
  saveSsoProfile(form: SsoProfileForm): Promise<void>;

  listProfiles(): Promise<ProfilesPage>;
  /** Makes `profile` the default one. A change made to the mirrored `[default]` since Lanyard
   * wrote it is refused (`default_edited`) unless `changes` says to keep or discard it. */
  useProfile(profile: string, changes?: DefaultChanges): Promise<void>;
  /** Puts the person's own default back (changes to the mirror: as for useProfile). */
  restoreDefault(changes?: DefaultChanges): Promise<void>;
  /** One profile as the editor opens it (raw section text, keys, findings, file version). */
  getProfile(name: string): Promise<ProfileDetail>;
  /** Previews (`save` false) or saves a profile change made against the file at `version`.
   * A file changed since is never overwritten: the answer is then `conflict`. */
  editProfile(change: ProfileChange, version: string, save: boolean): Promise<EditOutcome>;
  /** `lanyard whoami` for the profile (STS GetCallerIdentity). */
  testProfile(profile: string): Promise<WhoAmI>;
  /** Has the app copy the profile's credentials as `export` lines (marked secret, cleared after
   * `clipboard_clear_after` if still there); its notification says how it went. */
  copyCredentials(profile: string): Promise<void>;

  /** The names `template` gives the session's cached account × role pairs (first `limit`). */
  populateNames(session: string, template: string, limit: number): Promise<TemplatePreview>;
  /** A populate dry run (fetches the accounts when not cached or `refresh`, reporting
   * `populate-progress`). */
  populatePreview(request: PopulateRequest): Promise<PopulatePlanDto>;
  /** Applies the request as previewed against the file at `version` (`saved` or `conflict`). */
  populateApply(request: PopulateRequest, version: string): Promise<EditOutcome>;
  /** Calls `handler` as a portal listing progresses. */
  onPopulateProgress(handler: (progress: PortalProgress) => void): Promise<Unlisten>;
}

export const tauriBackend: Backend = {
  appInfo: () => invoke<AppInfo>('app_info'),
  setLanguage: (language) => invoke<void>('set_language', { language }),
  deviceSignIns: () => invoke<DeviceCode[]>('device_sign_ins'),
  copyDeviceCode: (session) => invoke<void>('copy_device_code', { session }),
  openDeviceVerification: (session) => invoke<void>('open_device_verification', { session }),
  onDeviceCode: (handler) => listen<DeviceCode>(EVENT_DEVICE_CODE, (e) => handler(e.payload)),
  onSignInDone: (handler) => listen<SignInDone>(EVENT_SIGN_IN_DONE, (e) => handler(e.payload)),
  onStateChanged: (handler) => listen<StateChanged>(EVENT_STATE_CHANGED, (e) => handler(e.payload)),
  sessionsOverview: () => invoke<SessionsOverview>('sessions_overview'),
  signIn: (session) => invoke<void>('sign_in', { session }),
  signInAll: () => invoke<void>('sign_in_all'),
  signOut: (session) => invoke<void>('sign_out', { session }),
  cancelSignIn: (session) => invoke<void>('cancel_sign_in', { session }),
  refreshSession: (session) => invoke<void>('refresh_session', { session }),
  getSettings: () => invoke<SettingsDto>('get_settings'),
  updateSettings: (changes) => invoke<SettingsDto>('update_settings', { changes }),
  saveSsoSession: (form, create) => invoke<void>('save_sso_session', { form, create }),
  deleteSsoSession: (name) => invoke<void>('delete_sso_session', { name }),
  listAccounts: (session, refresh) => invoke<AccountsList>('list_accounts', { session, refresh }),
  saveSsoProfile: (form) => invoke<void>('save_sso_profile', { form }),
  listProfiles: () => invoke<ProfilesPage>('list_profiles'),
  useProfile: (profile, changes) => invoke<void>('use_profile', { profile, changes: changes ?? null }),
  restoreDefault: (changes) => invoke<void>('restore_default', { changes: changes ?? null }),
  getProfile: (name) => invoke<ProfileDetail>('get_profile', { name }),
  editProfile: (change, version, save) =>
    invoke<EditOutcome>('edit_profile', { change, version, save }),
  testProfile: (profile) => invoke<WhoAmI>('test_profile', { profile }),
  copyCredentials: (profile) => invoke<void>('copy_credentials', { profile }),
  populateNames: (session, template, limit) =>
    invoke<TemplatePreview>('populate_names', { session, template, limit }),
  populatePreview: (request) => invoke<PopulatePlanDto>('populate_preview', { request }),
  populateApply: (request, version) =>
    invoke<EditOutcome>('populate_apply', { request, version }),
  onPopulateProgress: (handler) =>
    listen<PortalProgress>(EVENT_POPULATE_PROGRESS, (e) => handler(e.payload)),
};

/** Whatever a command rejected with, as `{code, message}` (a thrown Error or string becomes
 * code `app`). */
export function asIpcError(e: unknown): IpcError {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    const message = 'message' in e && typeof e.message === 'string' ? e.message : '';
    return { code: e.code, message };
  }
  return { code: 'app', message: e instanceof Error ? e.message : String(e) };
}
