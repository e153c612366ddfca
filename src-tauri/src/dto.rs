//! The shapes that cross IPC between the window and the app (its DTOs), in one module at the
//! boundary. The window's TypeScript types are generated from these by ts-rs
//! (`ui/src/lib/backend/generated/types.ts`); a test fails when that file is stale
//! (`UPDATE_GENERATED=1 cargo test -p lanyard-app generated` rewrites it). Field names are
//! snake_case, as in `lanyard ... --json` and settings.toml: the mock backend's fixtures are that
//! CLI's real output, and a test parses them as these very types (unknown fields refused), so the
//! mock cannot drift from what the app sends. Nothing secret has a field here: no token, no
//! client secret, no role credential.
//!
//! One file per page: `sessions` (with the state and storage words other pages reuse), `profiles`
//! (and its editor), `sso_sessions` (and the configure sso wizard), `populate`, `settings`; and
//! `error`, what a failed command answers. Every type is re-exported here: callers name
//! `crate::dto::X`.

mod error;
mod populate;
mod profiles;
mod sessions;
mod settings;
mod sso_sessions;

pub use error::IpcError;
pub use populate::{
    NamePreview, PopulateModeDto, PopulatePlanDto, PopulateRequest, PortalProgress, TemplatePreview,
};
pub use profiles::{
    DefaultChanges, EditOutcome, FindingDto, KeyValue, ProfileChange, ProfileDetail, ProfileDto,
    ProfileKindDto, ProfilesPage, SeverityDto, WhoAmI,
};
pub use sessions::{SessionDto, SessionKind, SessionState, SessionsOverview, StorageMode};
pub use settings::{SessionSettingsDto, SettingChange, SettingsDto};
pub use sso_sessions::{AccountDto, AccountsList, SsoProfileForm, SsoSessionForm};

#[cfg(test)]
mod tests;
