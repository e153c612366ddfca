//! The Populate page's shapes: its request, the template's live preview, the dry run's plan and a
//! portal listing's progress.

use lanyard_core::populate::run::{Names, Preview, Run};
use lanyard_core::populate::Mode;
use lanyard_core::portal::list::Progress;
use serde::{Deserialize, Serialize};

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
