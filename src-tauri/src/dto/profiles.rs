//! The Profiles page's shapes and its editor's: the profile list, one profile as the editor opens
//! it, a change to the profiles and what it did, the default switch's answer, `whoami`.

use lanyard_core::config::profile_edit::{self, Detail};
use lanyard_core::config::{Finding, Outcome, ProfileKind, ProfileSummary, Severity};
use lanyard_core::sts::Identity;
use serde::{Deserialize, Serialize};

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
