// Generated from src-tauri/src/dto.rs (and the few types of state.rs and commands.rs
// the window sees) by ts-rs. Do not edit: run
// `UPDATE_GENERATED=1 cargo test -p lanyard-app --features custom-protocol generated`.

export type SessionState = "signed-out" | "valid" | "expiring" | "expired";

export type StorageMode = "file" | "keychain";

export type SessionKind = "sso-session" | "legacy";

export type SessionDto = { 
/**
 * The sso-session name (a legacy session: its first profile).
 */
name: string, 
/**
 * Section or legacy.
 */
kind: SessionKind, 
/**
 * `sso_start_url`.
 */
start_url: string, 
/**
 * `sso_region`.
 */
region: string, 
/**
 * Where its tokens are kept.
 */
storage: StorageMode, 
/**
 * Its state now.
 */
state: SessionState, 
/**
 * The access token's expiry (UTC, `2026-01-01T10:00:00Z`).
 */
expires_at: string | null, 
/**
 * When the session ends, real or estimated.
 */
session_ends_at: string | null, 
/**
 * Whether `session_ends_at` is an estimate (sign-in time + session duration).
 */
end_is_estimate: boolean, 
/**
 * Whether the token can be refreshed ("Refresh now").
 */
refreshable: boolean, 
/**
 * The profiles using it.
 */
profiles: Array<string>, 
/**
 * `sso_use_device_code = true`.
 */
use_device_code: boolean, 
/**
 * `sso_registration_scopes`, as written.
 */
scopes: string | null, };

export type SessionsOverview = { 
/**
 * In config order.
 */
sessions: Array<SessionDto>, };

export type ProfileKindDto = "sso" | "legacy-sso" | "other";

export type ProfileDto = { 
/**
 * Its name.
 */
name: string, 
/**
 * Its kind.
 */
kind: ProfileKindDto, 
/**
 * `sso_session`.
 */
sso_session: string | null, 
/**
 * `sso_account_id`.
 */
account_id: string | null, 
/**
 * `sso_role_name`.
 */
role_name: string | null, 
/**
 * `region`.
 */
region: string | null, 
/**
 * Set on profiles `lanyard populate` wrote.
 */
generated: string | null, };

export type ProfilesPage = { 
/**
 * In botocore's order.
 */
profiles: Array<ProfileDto>, 
/**
 * The profile `[default]` mirrors (set by "Use as default").
 */
mirrors: string | null, 
/**
 * Whether "Restore my default" has something to restore.
 */
can_restore: boolean, };

export type AccountDto = { 
/**
 * The 12-digit id.
 */
account_id: string, 
/**
 * Its name.
 */
account_name: string | null, 
/**
 * Its email address.
 */
email: string | null, 
/**
 * The role names.
 */
roles: Array<string>, };

export type AccountsList = { 
/**
 * The session.
 */
sso_session: string, 
/**
 * When the portal was asked (UTC).
 */
fetched_at: string, 
/**
 * The accounts.
 */
accounts: Array<AccountDto>, };

export type SessionSettingsDto = { 
/**
 * The command that opens its sign-in page.
 */
browser: string | null, 
/**
 * The Identity Center session duration (`8h` when unset).
 */
duration: string | null, };

export type SettingsDto = { 
/**
 * `en`, `zh-TW`, or None to follow the system.
 */
language: string | null, 
/**
 * Desktop notifications.
 */
notifications: boolean, 
/**
 * Background refresh.
 */
background_refresh: boolean, 
/**
 * Start at login.
 */
autostart: boolean, 
/**
 * Warning thresholds (`15m`, `90s`, `1h`).
 */
warn_before: Array<string>, 
/**
 * Portal requests per second.
 */
portal_rate_limit: number, 
/**
 * Per-session settings, by session name.
 */
sessions: { [key in string]: SessionSettingsDto }, };

export type SettingChange = { "key": "notifications", "value": boolean } | { "key": "background_refresh", "value": boolean } | { "key": "autostart", "value": boolean } | { "key": "warn_before", "value": Array<string> } | { "key": "portal_rate_limit", "value": number } | { "key": "session_browser", "value": { 
/**
 * The session.
 */
session: string, 
/**
 * The command.
 */
browser: string | null, } } | { "key": "session_duration", "value": { 
/**
 * The session.
 */
session: string, 
/**
 * `8h`, `12h`, `90m`.
 */
duration: string | null, } };

export type SsoSessionForm = { 
/**
 * The section name (fixed once created).
 */
name: string, 
/**
 * `sso_start_url` (https).
 */
start_url: string, 
/**
 * `sso_region` (a region name).
 */
region: string, 
/**
 * `sso_registration_scopes`; None or blank leaves it as it is.
 */
scopes: string | null, 
/**
 * `sso_use_device_code = true`, else the key is removed.
 */
use_device_code: boolean, 
/**
 * Where its tokens are kept.
 */
storage: StorageMode, 
/**
 * The session duration in settings.toml; None or blank removes it (8 h).
 */
duration: string | null, };

export type SsoProfileForm = { 
/**
 * The profile's name.
 */
profile: string, 
/**
 * The sso-session it signs in through.
 */
sso_session: string, 
/**
 * The chosen account.
 */
account_id: string, 
/**
 * The chosen role.
 */
role_name: string, 
/**
 * `region`; None or blank leaves it out.
 */
region: string | null, 
/**
 * `output`; None or blank leaves it out.
 */
output: string | null, };

export type IpcError = { code: string, message: string, };

export type Language = "en" | "zh-TW";

export type AppInfo = { 
/**
 * The app's version.
 */
version: string, 
/**
 * The language to show (`LANYARD_LANG`, else the OS language).
 */
language: Language, 
/**
 * Whether a tray host is running; if not, the window says that closing it quits.
 */
trayAvailable: boolean, };

export type DeviceCode = { 
/**
 * The session signing in.
 */
session: string, 
/**
 * The code to confirm.
 */
userCode: string, 
/**
 * Where to confirm it.
 */
verificationUri: string, 
/**
 * The same page with the code filled in (what the link opens).
 */
verificationUriComplete: string, };

export type SignInDone = { 
/**
 * The session.
 */
session: string, 
/**
 * True if it is signed in now.
 */
ok: boolean, 
/**
 * Why not, as lanyard-core's stable code (`SessionError::code`); `None` when ok.
 */
code: string | null, };
