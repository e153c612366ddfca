//! `populate`: one profile per account × role of an sso-session, named by a template, kept in
//! sync with the portal's lists (generated profiles carry `lanyard_generated = SESSION`; a
//! hand-made profile is never overwritten), and the unified diff a dry run shows.

pub mod diff;
pub mod plan;
pub mod template;

pub use plan::{apply, plan, Mode, Options, Plan, PopulateError, Reason, MARKER};
pub use template::{Template, TemplateError, DEFAULT_TEMPLATE};
