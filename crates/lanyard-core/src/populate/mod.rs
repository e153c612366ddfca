//! `populate`: one profile per account × role of an sso-session, named by a template, kept in
//! sync with the portal's lists (generated profiles carry `lanyard_generated = SESSION`; a
//! hand-made profile is never overwritten), the unified diff a dry run shows, and a run against
//! the config file as the CLI and the window make it.

/// The unified diff moved to the config engine (issue 21); its old path stays.
pub use crate::config::diff;
pub mod plan;
pub mod run;

pub use crate::config::naming::{PopulateError, Template, TemplateError, DEFAULT_TEMPLATE};
pub use plan::{apply, plan, Mode, Options, Plan, Reason, MARKER};
