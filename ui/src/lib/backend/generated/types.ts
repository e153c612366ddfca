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
 * Whether only a sign-in helps: the service refused the session (its token may still be
 * served until `session_ends_at`), or its token file cannot be read.
 */
needs_sign_in: boolean, 
/**
 * Why: `invalid_grant`, `invalid_client`, `token_rejected`, `token_unreadable`.
 */
reason: string | null, 
/**
 * When it was signed in (by Lanyard, or seen signed in by another program).
 */
signed_in_at: string | null, 
/**
 * Whether another program (the AWS CLI, an SDK) made that sign-in.
 */
signed_in_elsewhere: boolean, 
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
generated: string | null, 
/**
 * The account's name, from the session's cached account list (the window only; search
 * matches it).
 */
account_name: string | null, };

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
can_restore: boolean, 
/**
 * The version of `~/.aws/config` this was read from (see [`ProfileDetail::version`]).
 */
version: string, 
/**
 * What was changed in the mirrored `[default]` since Lanyard wrote it (a unified diff),
 * if anything: a switch or restore asks about it first.
 */
default_changes: string | null, };

export type KeyValue = { 
/**
 * The key.
 */
key: string, 
/**
 * Its value (for a nested block, nothing: those are not edited in the form).
 */
value: string, };

export type SeverityDto = "error" | "warning";

export type FindingDto = { 
/**
 * The stable code: the window shows the finding in the person's language by it.
 */
code: string, 
/**
 * Error or warning.
 */
severity: SeverityDto, 
/**
 * 1-based line in the file (after the edit, for a preview).
 */
line: number | null, 
/**
 * The key the finding is about: the form shows it beside that field.
 */
key: string | null, 
/**
 * lanyard-core's English message (shown when the code has no translation).
 */
message: string, };

export type ProfileDetail = { 
/**
 * The profile.
 */
name: string, 
/**
 * The raw text of its section(s) exactly as in the file: header, comments, keys.
 */
text: string, 
/**
 * The 1-based line of its header.
 */
line: number, 
/**
 * The plain keys with their values, in file order (the form's fields; botocore's reading:
 * the last of a repeated key).
 */
keys: Array<KeyValue>, 
/**
 * Keys holding a nested block (`s3 =` and its indented lines): kept as they are.
 */
nested: Array<string>, 
/**
 * The findings of `lanyard config check` about this profile.
 */
findings: Array<FindingDto>, 
/**
 * The version of `~/.aws/config` read: the lowercase hex SHA-1 of its bytes (empty when
 * there is no file). An edit names it; a file no longer at that version is never
 * overwritten.
 */
version: string, };

export type DefaultChanges = "keep" | "discard";

export type ProfileChange = { "op": "create", 
/**
 * Its name.
 */
name: string, 
/**
 * Its keys, in order.
 */
keys: Array<KeyValue>, } | { "op": "duplicate", 
/**
 * The profile copied.
 */
name: string, 
/**
 * The copy's name.
 */
new_name: string, } | { "op": "update", 
/**
 * The profile edited.
 */
name: string, 
/**
 * Its name after the edit.
 */
new_name: string, 
/**
 * Its plain keys after the edit.
 */
keys: Array<KeyValue>, } | { "op": "delete", 
/**
 * The profile.
 */
name: string, };

export type EditOutcome = { "outcome": "preview", 
/**
 * A unified diff of the file, before and after (3 lines of context).
 */
diff: string, 
/**
 * The findings about the profile(s) edited, after the edit.
 */
findings: Array<FindingDto>, 
/**
 * The version the diff was made against.
 */
version: string, } | { "outcome": "invalid", 
/**
 * The findings about the profile(s) edited, after the edit.
 */
findings: Array<FindingDto>, 
/**
 * The version the edit was checked against.
 */
version: string, } | { "outcome": "saved", 
/**
 * What was written, as a unified diff.
 */
diff: string, 
/**
 * The file's version now.
 */
version: string, } | { "outcome": "conflict", 
/**
 * What changed on disk since that version, as a unified diff (empty when that
 * version's text is no longer known).
 */
changes: string, 
/**
 * The file's version now.
 */
version: string, };

export type WhoAmI = { 
/**
 * The account id.
 */
account: string, 
/**
 * The caller's ARN.
 */
arn: string, 
/**
 * The caller's user id.
 */
user_id: string, };

export type PopulateModeDto = "sync" | "prune" | "remove";

export type PopulateRequest = { 
/**
 * The sso-session.
 */
session: string, 
/**
 * The name template (`--template`).
 */
template: string, 
/**
 * `region` for every generated profile; None or blank leaves it as it is.
 */
region: string | null, 
/**
 * `output` for every generated profile; None or blank leaves it as it is.
 */
output: string | null, 
/**
 * Sync, prune or remove.
 */
mode: PopulateModeDto, 
/**
 * Ask the portal again rather than use the cached account list.
 */
refresh: boolean, };

export type NamePreview = { 
/**
 * The account.
 */
account_id: string, 
/**
 * Its name.
 */
account_name: string | null, 
/**
 * The role.
 */
role_name: string, 
/**
 * The profile name (cleaned as populate cleans it).
 */
profile: string, };

export type TemplatePreview = { 
/**
 * The first names, in the account list's order.
 */
names: Array<NamePreview>, 
/**
 * Account × role pairs in all.
 */
total: number, 
/**
 * Why the template cannot be used (lanyard-core's message), if it cannot.
 */
error: string | null, };

export type PopulatePlanDto = { 
/**
 * A unified diff of `~/.aws/config` (3 lines of context); empty when nothing changes.
 */
diff: string, 
/**
 * Profiles added.
 */
add: number, 
/**
 * Generated profiles updated.
 */
update: number, 
/**
 * Generated profiles removed.
 */
remove: number, 
/**
 * Generated profiles no longer wanted but kept (sync mode).
 */
kept: number, 
/**
 * Generated profiles already as wanted.
 */
unchanged: number, 
/**
 * Names that collided and got `-{account_id}`.
 */
suffixed: number, 
/**
 * The version of the config the plan was made against (apply names it).
 */
version: string, };

export type PortalProgress = { 
/**
 * The sso-session listed.
 */
session: string, 
/**
 * Accounts whose roles are in.
 */
done: number, 
/**
 * Accounts listed so far.
 */
total: number, 
/**
 * Whether every page of accounts is in (`total` is final).
 */
total_final: boolean, 
/**
 * Calls sent, retries included.
 */
calls: bigint, 
/**
 * Calls retried after a 429 or 5xx.
 */
retries: bigint, };

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
 * Seconds copied credentials stay on the clipboard (0: never cleared).
 */
clipboard_clear_after: number, 
/**
 * Per-session settings, by session name.
 */
sessions: { [key in string]: SessionSettingsDto }, };

export type SettingChange = { "key": "notifications", "value": boolean } | { "key": "background_refresh", "value": boolean } | { "key": "autostart", "value": boolean } | { "key": "warn_before", "value": Array<string> } | { "key": "portal_rate_limit", "value": number } | { "key": "clipboard_clear_after", "value": number } | { "key": "session_browser", "value": { 
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

export type Area = "sessions" | "profiles" | "settings";

export type StateChanged = { 
/**
 * The areas that changed.
 */
what: Array<Area>, };
