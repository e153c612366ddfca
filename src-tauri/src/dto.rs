//! The shapes that cross IPC between the window and the app (its DTOs), in one module at the
//! boundary. The window's TypeScript types are generated from these by ts-rs
//! (`ui/src/lib/backend/generated/types.ts`); a test fails when that file is stale
//! (`UPDATE_GENERATED=1 cargo test -p lanyard-app generated` rewrites it). Field names are
//! snake_case, as in `lanyard ... --json` and settings.toml: the mock backend's fixtures are that
//! CLI's real output, and a test parses them as these very types (unknown fields refused), so the
//! mock cannot drift from what the app sends. Nothing secret has a field here: no token, no
//! client secret, no role credential.

use std::collections::BTreeMap;

use lanyard_core::cache::timefmt::format_cli;
use lanyard_core::config::profile_edit::{self, Detail};
use lanyard_core::config::{Finding, Outcome, ProfileKind, ProfileSummary, Severity};
use lanyard_core::populate::run::{Names, Preview, Run};
use lanyard_core::populate::Mode;
use lanyard_core::portal::list::Progress;
use lanyard_core::sessions::overview::SessionStatus;
use lanyard_core::sessions::state::State;
use lanyard_core::sessions::store::Storage;
use lanyard_core::settings::{Change, Settings};
use lanyard_core::sts::Identity;
use serde::{Deserialize, Serialize};

/// A session's state (lanyard-core's `State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SessionState {
    /// No token.
    SignedOut,
    /// Usable, with time left.
    Valid,
    /// Usable, ending within the first warning threshold.
    Expiring,
    /// Ended or unusable.
    Expired,
}

impl From<State> for SessionState {
    fn from(s: State) -> Self {
        match s {
            State::SignedOut => SessionState::SignedOut,
            State::Valid => SessionState::Valid,
            State::Expiring => SessionState::Expiring,
            State::Expired => SessionState::Expired,
        }
    }
}

/// Where a session keeps its tokens (lanyard-core's `Storage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum StorageMode {
    /// The AWS CLI's cache files (the default).
    File,
    /// The OS keychain (secure mode).
    Keychain,
}

impl From<Storage> for StorageMode {
    fn from(s: Storage) -> Self {
        match s {
            Storage::File => StorageMode::File,
            Storage::Keychain => StorageMode::Keychain,
        }
    }
}

impl From<StorageMode> for Storage {
    fn from(s: StorageMode) -> Self {
        match s {
            StorageMode::File => Storage::File,
            StorageMode::Keychain => Storage::Keychain,
        }
    }
}

/// An sso-session section or a legacy start URL in profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    /// `[sso-session NAME]`.
    SsoSession,
    /// `sso_start_url` directly in profiles.
    Legacy,
}

/// One session as the Sessions page shows it: `lanyard status --json`'s fields, plus what the
/// window needs beyond them (defaults when the CLI leaves them out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SessionDto {
    /// The sso-session name (a legacy session: its first profile).
    pub name: String,
    /// Section or legacy.
    pub kind: SessionKind,
    /// `sso_start_url`.
    pub start_url: String,
    /// `sso_region`.
    pub region: String,
    /// Where its tokens are kept.
    pub storage: StorageMode,
    /// Its state now.
    pub state: SessionState,
    /// The access token's expiry (UTC, `2026-01-01T10:00:00Z`).
    pub expires_at: Option<String>,
    /// When the session ends, real or estimated.
    pub session_ends_at: Option<String>,
    /// Whether `session_ends_at` is an estimate (sign-in time + session duration).
    #[serde(default)]
    pub end_is_estimate: bool,
    /// Whether the token can be refreshed ("Refresh now").
    pub refreshable: bool,
    /// Whether only a sign-in helps: the service refused the session (its token may still be
    /// served until `session_ends_at`), or its token file cannot be read.
    #[serde(default)]
    pub needs_sign_in: bool,
    /// Why: `invalid_grant`, `invalid_client`, `token_rejected`, `token_unreadable`.
    #[serde(default)]
    pub reason: Option<String>,
    /// When it was signed in (by Lanyard, or seen signed in by another program).
    #[serde(default)]
    pub signed_in_at: Option<String>,
    /// Whether another program (the AWS CLI, an SDK) made that sign-in.
    #[serde(default)]
    pub signed_in_elsewhere: bool,
    /// The profiles using it.
    pub profiles: Vec<String>,
    /// `sso_use_device_code = true`.
    #[serde(default)]
    pub use_device_code: bool,
    /// `sso_registration_scopes`, as written.
    #[serde(default)]
    pub scopes: Option<String>,
}

impl SessionDto {
    /// The DTO of one session of the overview.
    pub fn of(s: &SessionStatus) -> Self {
        let a = &s.assessment;
        SessionDto {
            name: s.name(),
            kind: match s.session.kind() {
                "legacy" => SessionKind::Legacy,
                _ => SessionKind::SsoSession,
            },
            start_url: s.session.config.start_url.clone(),
            region: s.session.config.region.clone(),
            storage: s.session.storage.into(),
            state: a.state.into(),
            expires_at: a.expires_at.map(format_cli),
            session_ends_at: a.session_ends_at.map(format_cli),
            end_is_estimate: a.end_is_estimate,
            refreshable: a.refreshable,
            needs_sign_in: a.needs_sign_in,
            reason: a.reason.clone(),
            signed_in_at: s.record.signed_in().map(format_cli),
            signed_in_elsewhere: s.record.signed_in_elsewhere,
            profiles: s.session.profiles.clone(),
            use_device_code: s.session.use_device_code,
            scopes: s.session.config.scopes.as_ref().map(|v| v.join(", ")),
        }
    }
}

/// Every session (the shape of `lanyard status --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SessionsOverview {
    /// In config order.
    pub sessions: Vec<SessionDto>,
}

impl SessionsOverview {
    /// The overview's DTO.
    pub fn of(statuses: &[SessionStatus]) -> Self {
        SessionsOverview {
            sessions: statuses.iter().map(SessionDto::of).collect(),
        }
    }
}

/// What kind of profile (lanyard-core's `ProfileKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ProfileKindDto {
    /// Uses an sso-session.
    Sso,
    /// SSO keys directly in the profile.
    LegacySso,
    /// Anything else.
    Other,
}

/// One profile (the shape of an entry of `lanyard profiles list --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ProfileDto {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: ProfileKindDto,
    /// `sso_session`.
    pub sso_session: Option<String>,
    /// `sso_account_id`.
    pub account_id: Option<String>,
    /// `sso_role_name`.
    pub role_name: Option<String>,
    /// `region`.
    pub region: Option<String>,
    /// Set on profiles `lanyard populate` wrote.
    pub generated: Option<String>,
    /// The account's name, from the session's cached account list (the window only; search
    /// matches it).
    #[serde(default)]
    pub account_name: Option<String>,
}

impl From<&ProfileSummary> for ProfileDto {
    fn from(p: &ProfileSummary) -> Self {
        ProfileDto {
            name: p.name.clone(),
            kind: match p.kind {
                ProfileKind::Sso => ProfileKindDto::Sso,
                ProfileKind::LegacySso => ProfileKindDto::LegacySso,
                ProfileKind::Other => ProfileKindDto::Other,
            },
            sso_session: p.sso_session.clone(),
            account_id: p.account_id.clone(),
            role_name: p.role_name.clone(),
            region: p.region.clone(),
            generated: p.generated.clone(),
            account_name: None,
        }
    }
}

/// The Profiles page: `lanyard profiles list --json`'s list, which profile the default mirrors
/// and whether the person's own default can be put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ProfilesPage {
    /// In botocore's order.
    pub profiles: Vec<ProfileDto>,
    /// The profile `[default]` mirrors (set by "Use as default").
    #[serde(default)]
    pub mirrors: Option<String>,
    /// Whether "Restore my default" has something to restore.
    #[serde(default)]
    pub can_restore: bool,
    /// The version of `~/.aws/config` this was read from (see [`ProfileDetail::version`]).
    #[serde(default)]
    pub version: String,
    /// What was changed in the mirrored `[default]` since Lanyard wrote it (a unified diff),
    /// if anything: a switch or restore asks about it first.
    #[serde(default)]
    pub default_changes: Option<String>,
}

/// A key and its value, as written in a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct KeyValue {
    /// The key.
    pub key: String,
    /// Its value (for a nested block, nothing: those are not edited in the form).
    pub value: String,
}

/// Error or warning (lanyard-core's `Severity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SeverityDto {
    /// botocore refuses it, or it cannot work.
    Error,
    /// It works, but not the way it looks.
    Warning,
}

/// One finding of `lanyard config check` (the shape of an entry of `config check --json`,
/// without the file, which is always `~/.aws/config` here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FindingDto {
    /// The stable code: the window shows the finding in the person's language by it.
    pub code: String,
    /// Error or warning.
    pub severity: SeverityDto,
    /// 1-based line in the file (after the edit, for a preview).
    pub line: Option<usize>,
    /// The key the finding is about: the form shows it beside that field.
    pub key: Option<String>,
    /// lanyard-core's English message (shown when the code has no translation).
    pub message: String,
}

/// One profile as the editor opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ProfileDetail {
    /// The profile.
    pub name: String,
    /// The raw text of its section(s) exactly as in the file: header, comments, keys.
    pub text: String,
    /// The 1-based line of its header.
    pub line: usize,
    /// The plain keys with their values, in file order (the form's fields; botocore's reading:
    /// the last of a repeated key).
    pub keys: Vec<KeyValue>,
    /// Keys holding a nested block (`s3 =` and its indented lines): kept as they are.
    pub nested: Vec<String>,
    /// The findings of `lanyard config check` about this profile.
    pub findings: Vec<FindingDto>,
    /// The version of `~/.aws/config` read: the lowercase hex SHA-1 of its bytes (empty when
    /// there is no file). An edit names it; a file no longer at that version is never
    /// overwritten.
    pub version: String,
}

/// What to do with changes made to a mirrored `[default]` since Lanyard wrote it, when the
/// default is switched or restored (none given: refuse with `default_edited`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum DefaultChanges {
    /// Carry them over to the new default.
    Keep,
    /// Drop them (the file as it was stays in the backups).
    Discard,
}

impl DefaultChanges {
    /// What core does with the changes, for this answer (none: refuse).
    pub fn core(answer: Option<Self>) -> lanyard_core::config::mirror::Changes {
        use lanyard_core::config::mirror::Changes;
        match answer {
            None => Changes::Refuse,
            Some(DefaultChanges::Keep) => Changes::Keep,
            Some(DefaultChanges::Discard) => Changes::Discard,
        }
    }
}

/// A change to the profiles of `~/.aws/config`, made on the lossless document (every other
/// byte of the file kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ProfileChange {
    /// A new `[profile NAME]` with these keys, appended.
    Create {
        /// Its name.
        name: String,
        /// Its keys, in order.
        keys: Vec<KeyValue>,
    },
    /// A copy of `name`'s section (comments and nested blocks included) as `new_name`, appended.
    Duplicate {
        /// The profile copied.
        name: String,
        /// The copy's name.
        new_name: String,
    },
    /// Sets the profile's plain keys to exactly `keys`: a changed value replaced in its line, a
    /// missing key removed, a new one added; comments and nested blocks kept. Renamed (its
    /// header rewritten in place) when `new_name` differs from `name`.
    Update {
        /// The profile edited.
        name: String,
        /// Its name after the edit.
        new_name: String,
        /// Its plain keys after the edit.
        keys: Vec<KeyValue>,
    },
    /// Removes the profile's section(s).
    Delete {
        /// The profile.
        name: String,
    },
}

/// What an edit of `~/.aws/config` did or would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "outcome", rename_all = "kebab-case", deny_unknown_fields)]
pub enum EditOutcome {
    /// Not written (a preview): what saving would change.
    Preview {
        /// A unified diff of the file, before and after (3 lines of context).
        diff: String,
        /// The findings about the profile(s) edited, after the edit.
        findings: Vec<FindingDto>,
        /// The version the diff was made against.
        version: String,
    },
    /// Not written: the edit brings in errors (the new findings of severity error).
    Invalid {
        /// The findings about the profile(s) edited, after the edit.
        findings: Vec<FindingDto>,
        /// The version the edit was checked against.
        version: String,
    },
    /// Written (atomically, the old file backed up).
    Saved {
        /// What was written, as a unified diff.
        diff: String,
        /// The file's version now.
        version: String,
    },
    /// Not written: the file is no longer at the version the edit named (another program
    /// changed it).
    Conflict {
        /// What changed on disk since that version, as a unified diff (empty when that
        /// version's text is no longer known).
        changes: String,
        /// The file's version now.
        version: String,
    },
}

/// `lanyard whoami`'s answer (STS GetCallerIdentity with the profile's credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct WhoAmI {
    /// The account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// The caller's user id.
    pub user_id: String,
}

/// What populate does with generated profiles that are no longer wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum PopulateModeDto {
    /// Add and update; keep them.
    Sync,
    /// Add and update, and remove them (`--prune`).
    Prune,
    /// Remove every profile generated for the session; add nothing (`--remove`).
    Remove,
}

/// The Populate page's choices (`lanyard populate`'s flags).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PopulateRequest {
    /// The sso-session.
    pub session: String,
    /// The name template (`--template`).
    pub template: String,
    /// `region` for every generated profile; None or blank leaves it as it is.
    pub region: Option<String>,
    /// `output` for every generated profile; None or blank leaves it as it is.
    pub output: Option<String>,
    /// Sync, prune or remove.
    pub mode: PopulateModeDto,
    /// Ask the portal again rather than use the cached account list.
    pub refresh: bool,
}

/// One account × role and the profile name the template gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct NamePreview {
    /// The account.
    pub account_id: String,
    /// Its name.
    pub account_name: Option<String>,
    /// The role.
    pub role_name: String,
    /// The profile name (cleaned as populate cleans it).
    pub profile: String,
}

/// The live preview of a template over the session's cached account list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TemplatePreview {
    /// The first names, in the account list's order.
    pub names: Vec<NamePreview>,
    /// Account × role pairs in all.
    pub total: usize,
    /// Why the template cannot be used (lanyard-core's message), if it cannot.
    pub error: Option<String>,
}

/// A populate dry run: what applying the request would write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PopulatePlanDto {
    /// A unified diff of `~/.aws/config` (3 lines of context); empty when nothing changes.
    pub diff: String,
    /// Profiles added.
    pub add: usize,
    /// Generated profiles updated.
    pub update: usize,
    /// Generated profiles removed.
    pub remove: usize,
    /// Generated profiles no longer wanted but kept (sync mode).
    pub kept: usize,
    /// Generated profiles already as wanted.
    pub unchanged: usize,
    /// Names that collided and got `-{account_id}`.
    pub suffixed: usize,
    /// The version of the config the plan was made against (apply names it).
    pub version: String,
}

/// Where a portal listing stands (event `populate-progress`, lanyard-core's `Progress`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PortalProgress {
    /// The sso-session listed.
    pub session: String,
    /// Accounts whose roles are in.
    pub done: usize,
    /// Accounts listed so far.
    pub total: usize,
    /// Whether every page of accounts is in (`total` is final).
    pub total_final: bool,
    /// Calls sent, retries included.
    pub calls: u64,
    /// Calls retried after a 429 or 5xx.
    pub retries: u64,
}

impl From<&Finding> for FindingDto {
    fn from(f: &Finding) -> Self {
        FindingDto {
            code: f.code.to_owned(),
            severity: match f.severity {
                Severity::Error => SeverityDto::Error,
                Severity::Warning => SeverityDto::Warning,
            },
            line: f.line,
            key: f.key.clone(),
            message: f.message.clone(),
        }
    }
}

fn findings(f: &[Finding]) -> Vec<FindingDto> {
    f.iter().map(FindingDto::from).collect()
}

fn key_values(pairs: Vec<(String, String)>) -> Vec<KeyValue> {
    pairs
        .into_iter()
        .map(|(key, value)| KeyValue { key, value })
        .collect()
}

fn pairs(keys: Vec<KeyValue>) -> Vec<(String, String)> {
    keys.into_iter().map(|kv| (kv.key, kv.value)).collect()
}

impl From<Detail> for ProfileDetail {
    fn from(d: Detail) -> Self {
        ProfileDetail {
            name: d.name,
            text: d.text,
            line: d.line,
            keys: key_values(d.keys),
            nested: d.nested,
            findings: findings(&d.findings),
            version: d.version,
        }
    }
}

impl From<ProfileChange> for profile_edit::Change {
    fn from(c: ProfileChange) -> Self {
        use profile_edit::Change;
        match c {
            ProfileChange::Create { name, keys } => Change::Create {
                name,
                keys: pairs(keys),
            },
            ProfileChange::Duplicate { name, new_name } => Change::Duplicate { name, new_name },
            ProfileChange::Update {
                name,
                new_name,
                keys,
            } => Change::Update {
                name,
                new_name,
                keys: pairs(keys),
            },
            ProfileChange::Delete { name } => Change::Delete { name },
        }
    }
}

impl From<Outcome> for EditOutcome {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Preview {
                diff,
                findings: f,
                version,
            } => EditOutcome::Preview {
                diff,
                findings: findings(&f),
                version,
            },
            Outcome::Invalid {
                findings: f,
                version,
            } => EditOutcome::Invalid {
                findings: findings(&f),
                version,
            },
            Outcome::Saved { diff, version } => EditOutcome::Saved { diff, version },
            Outcome::Conflict { changes, version } => EditOutcome::Conflict { changes, version },
        }
    }
}

impl From<Identity> for WhoAmI {
    fn from(i: Identity) -> Self {
        WhoAmI {
            account: i.account,
            arn: i.arn,
            user_id: i.user_id,
        }
    }
}

impl From<PopulateModeDto> for Mode {
    fn from(m: PopulateModeDto) -> Self {
        match m {
            PopulateModeDto::Sync => Mode::Sync,
            PopulateModeDto::Prune => Mode::Prune,
            PopulateModeDto::Remove => Mode::Remove,
        }
    }
}

impl PopulateRequest {
    /// The run it asks for, checked as lanyard-core checks it (template, region, output).
    pub fn run(&self) -> lanyard_core::Result<Run> {
        Run::new(
            &self.session,
            &self.template,
            self.region.as_deref(),
            self.output.as_deref(),
            self.mode.into(),
        )
    }
}

impl From<Names> for TemplatePreview {
    fn from(n: Names) -> Self {
        TemplatePreview {
            names: n
                .names
                .into_iter()
                .map(|p| NamePreview {
                    account_id: p.account_id,
                    account_name: p.account_name,
                    role_name: p.role_name,
                    profile: p.profile,
                })
                .collect(),
            total: n.total,
            error: n.error,
        }
    }
}

impl From<&Preview> for PopulatePlanDto {
    fn from(p: &Preview) -> Self {
        PopulatePlanDto {
            diff: p.diff.clone(),
            add: p.plan.add.len(),
            update: p.plan.update.len(),
            remove: p.plan.remove.len(),
            kept: p.plan.kept.len(),
            unchanged: p.plan.unchanged,
            suffixed: p.plan.suffixed.len(),
            version: p.version.clone(),
        }
    }
}

impl PortalProgress {
    /// Where `session`'s listing stands.
    pub fn of(session: &str, p: &Progress) -> Self {
        PortalProgress {
            session: session.to_owned(),
            done: p.done,
            total: p.total,
            total_final: p.total_final,
            calls: p.calls,
            retries: p.retries,
        }
    }
}

/// One account and the roles the person may use in it (`lanyard accounts list --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AccountDto {
    /// The 12-digit id.
    pub account_id: String,
    /// Its name.
    pub account_name: Option<String>,
    /// Its email address.
    pub email: Option<String>,
    /// The role names.
    pub roles: Vec<String>,
}

/// The accounts of a session (the shape of `lanyard accounts list --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AccountsList {
    /// The session.
    pub sso_session: String,
    /// When the portal was asked (UTC).
    pub fetched_at: String,
    /// The accounts.
    pub accounts: Vec<AccountDto>,
}

/// Settings of one session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SessionSettingsDto {
    /// The command that opens its sign-in page.
    pub browser: Option<String>,
    /// The Identity Center session duration (`8h` when unset).
    pub duration: Option<String>,
}

/// Lanyard's settings (settings.toml) as the Settings page edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SettingsDto {
    /// `en`, `zh-TW`, or None to follow the system.
    pub language: Option<String>,
    /// Desktop notifications.
    pub notifications: bool,
    /// Background refresh.
    pub background_refresh: bool,
    /// Start at login.
    pub autostart: bool,
    /// Warning thresholds (`15m`, `90s`, `1h`).
    pub warn_before: Vec<String>,
    /// Portal requests per second.
    pub portal_rate_limit: u32,
    /// Seconds copied credentials stay on the clipboard (0: never cleared).
    pub clipboard_clear_after: u32,
    /// Per-session settings, by session name.
    pub sessions: BTreeMap<String, SessionSettingsDto>,
}

impl From<&Settings> for SettingsDto {
    fn from(s: &Settings) -> Self {
        SettingsDto {
            language: s.language.clone(),
            notifications: s.notifications,
            background_refresh: s.background_refresh,
            autostart: s.autostart,
            warn_before: s.warn_before.clone(),
            portal_rate_limit: s.portal_rate_limit,
            clipboard_clear_after: s.clipboard_clear_after,
            sessions: s
                .sessions
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        SessionSettingsDto {
                            browser: v.browser.clone(),
                            duration: v.duration.clone(),
                        },
                    )
                })
                .collect(),
        }
    }
}

/// One change the Settings page makes (the language has its own command, `set_language`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "key", content = "value", rename_all = "snake_case")]
pub enum SettingChange {
    /// `notifications`.
    Notifications(bool),
    /// `background_refresh`.
    BackgroundRefresh(bool),
    /// `autostart`.
    Autostart(bool),
    /// `warn_before`.
    WarnBefore(Vec<String>),
    /// `portal_rate_limit`.
    PortalRateLimit(u32),
    /// `clipboard_clear_after`, in seconds (0: never).
    ClipboardClearAfter(u32),
    /// `[sessions.NAME] browser`; None removes it.
    SessionBrowser {
        /// The session.
        session: String,
        /// The command.
        browser: Option<String>,
    },
    /// `[sessions.NAME] duration`; None removes it.
    SessionDuration {
        /// The session.
        session: String,
        /// `8h`, `12h`, `90m`.
        duration: Option<String>,
    },
}

impl From<SettingChange> for Change {
    fn from(c: SettingChange) -> Self {
        let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        match c {
            SettingChange::Notifications(v) => Change::Notifications(v),
            SettingChange::BackgroundRefresh(v) => Change::BackgroundRefresh(v),
            SettingChange::Autostart(v) => Change::Autostart(v),
            SettingChange::WarnBefore(v) => Change::WarnBefore(v),
            SettingChange::PortalRateLimit(v) => Change::PortalRateLimit(v),
            SettingChange::ClipboardClearAfter(v) => Change::ClipboardClearAfter(v),
            SettingChange::SessionBrowser { session, browser } => {
                Change::SessionBrowser(session, blank(browser))
            }
            SettingChange::SessionDuration { session, duration } => {
                Change::SessionDuration(session, blank(duration))
            }
        }
    }
}

/// The configure sso-session form: creates or edits an `[sso-session NAME]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SsoSessionForm {
    /// The section name (fixed once created).
    pub name: String,
    /// `sso_start_url` (https).
    pub start_url: String,
    /// `sso_region` (a region name).
    pub region: String,
    /// `sso_registration_scopes`; None or blank leaves it as it is.
    pub scopes: Option<String>,
    /// `sso_use_device_code = true`, else the key is removed.
    pub use_device_code: bool,
    /// Where its tokens are kept.
    pub storage: StorageMode,
    /// The session duration in settings.toml; None or blank removes it (8 h).
    pub duration: Option<String>,
}

/// The configure sso wizard's result: a profile for an account and role of an sso-session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SsoProfileForm {
    /// The profile's name.
    pub profile: String,
    /// The sso-session it signs in through.
    pub sso_session: String,
    /// The chosen account.
    pub account_id: String,
    /// The chosen role.
    pub role_name: String,
    /// `region`; None or blank leaves it out.
    pub region: Option<String>,
    /// `output`; None or blank leaves it out.
    pub output: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::IpcError;
    use crate::i18n::Language;
    use crate::state::{AppInfo, Area, DeviceCode, SignInDone, StateChanged};
    use ts_rs::TS;

    /// Where the generated types live, from this crate's folder.
    const GENERATED: &str = "../ui/src/lib/backend/generated/types.ts";

    fn generated() -> String {
        let cfg = ts_rs::Config::new();
        let decls = [
            SessionState::decl(&cfg),
            StorageMode::decl(&cfg),
            SessionKind::decl(&cfg),
            SessionDto::decl(&cfg),
            SessionsOverview::decl(&cfg),
            ProfileKindDto::decl(&cfg),
            ProfileDto::decl(&cfg),
            ProfilesPage::decl(&cfg),
            KeyValue::decl(&cfg),
            SeverityDto::decl(&cfg),
            FindingDto::decl(&cfg),
            ProfileDetail::decl(&cfg),
            DefaultChanges::decl(&cfg),
            ProfileChange::decl(&cfg),
            EditOutcome::decl(&cfg),
            WhoAmI::decl(&cfg),
            PopulateModeDto::decl(&cfg),
            PopulateRequest::decl(&cfg),
            NamePreview::decl(&cfg),
            TemplatePreview::decl(&cfg),
            PopulatePlanDto::decl(&cfg),
            PortalProgress::decl(&cfg),
            AccountDto::decl(&cfg),
            AccountsList::decl(&cfg),
            SessionSettingsDto::decl(&cfg),
            SettingsDto::decl(&cfg),
            SettingChange::decl(&cfg),
            SsoSessionForm::decl(&cfg),
            SsoProfileForm::decl(&cfg),
            IpcError::decl(&cfg),
            Language::decl(&cfg),
            AppInfo::decl(&cfg),
            DeviceCode::decl(&cfg),
            SignInDone::decl(&cfg),
            Area::decl(&cfg),
            StateChanged::decl(&cfg),
        ];
        let mut out = String::from(
            "// Generated from src-tauri/src/dto.rs (and the few types of state.rs and commands.rs\n\
             // the window sees) by ts-rs. Do not edit: run\n\
             // `UPDATE_GENERATED=1 cargo test -p lanyard-app --features custom-protocol generated`.\n",
        );
        for d in decls {
            out.push_str("\nexport ");
            out.push_str(&d);
            out.push('\n');
        }
        out
    }

    /// The window's types are these types: the test fails when the generated file is stale (and
    /// rewrites it when asked to).
    #[test]
    fn generated_types_are_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
        let want = generated();
        if std::env::var_os("UPDATE_GENERATED").is_some() {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &want).expect("write generated types");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is stale: run UPDATE_GENERATED=1 cargo test -p lanyard-app --features \
             custom-protocol generated",
            path.display()
        );
    }

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../ui/src/lib/backend/fixtures")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The mock backend's fixtures (real `lanyard ... --json` output, scripts/ui-fixtures.sh)
    /// parse as the DTOs the app sends, unknown fields refused: a renamed or dropped field on
    /// either side fails here.
    #[test]
    fn fixtures_parse_as_the_dtos() {
        let status: SessionsOverview =
            serde_json::from_str(&fixture("status.json")).expect("status.json");
        assert!(
            status.sessions.len() >= 2,
            "the fixture shows several sessions"
        );
        assert!(status
            .sessions
            .iter()
            .any(|s| s.state == SessionState::Valid && s.end_is_estimate));
        assert!(status
            .sessions
            .iter()
            .any(|s| s.state == SessionState::SignedOut));
        let profiles: ProfilesPage =
            serde_json::from_str(&fixture("profiles.json")).expect("profiles.json");
        assert!(!profiles.profiles.is_empty());
        let accounts: AccountsList =
            serde_json::from_str(&fixture("accounts.json")).expect("accounts.json");
        assert!(accounts.accounts.iter().any(|a| !a.roles.is_empty()));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let bad = r#"{"sessions":[{"name":"a","kind":"legacy","start_url":"https://x","region":"us-east-1","storage":"file","state":"valid","expires_at":null,"session_ends_at":null,"refreshable":false,"profiles":[],"access_token":"x"}]}"#;
        assert!(serde_json::from_str::<SessionsOverview>(bad).is_err());
    }

    #[test]
    fn setting_changes_are_tagged_by_key() {
        let c: SettingChange = serde_json::from_value(serde_json::json!(
            {"key": "session_duration", "value": {"session": "corp", "duration": " "}}
        ))
        .expect("json");
        assert_eq!(
            Change::from(c),
            Change::SessionDuration("corp".into(), None)
        );
        let c: SettingChange =
            serde_json::from_value(serde_json::json!({"key": "portal_rate_limit", "value": 5}))
                .expect("json");
        assert_eq!(Change::from(c), Change::PortalRateLimit(5));
        let c: SettingChange =
            serde_json::from_value(serde_json::json!({"key": "clipboard_clear_after", "value": 0}))
                .expect("json");
        assert_eq!(Change::from(c), Change::ClipboardClearAfter(0));
    }
}
