//! lanyard-core owns Lanyard's domain: where its files live, the clock, secrets, and (as the
//! issues land) the AWS config engine, token caches, OIDC flows, the portal client, sessions and
//! credentials. Nothing here knows Tauri or a terminal exists.

pub mod account_cache;
pub mod base_error;
pub mod browser;
pub mod cache;
pub mod clipboard;
pub mod clock;
pub mod config;
pub mod console;
pub mod context;
pub mod credentials;
pub mod credentials_file;
pub mod dirs;
pub mod doctor;
pub mod endpoints;
pub mod env;
pub mod error;
pub mod fsio;
pub mod guard;
pub mod http;
pub mod listed;
pub mod logging;
pub mod net;
pub mod netfail;
pub mod oidc;
pub mod overview;
pub mod populate;
pub mod portal;
pub mod pyjson;
pub mod retry;
pub mod secret;
pub mod sessions;
pub mod settings;
pub mod sigv4;
pub mod sts;
pub mod watch;
pub mod whoami;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{ConfigFile, ConfigView, Finding, Severity};
pub use context::Context;
pub use dirs::Dirs;
pub use env::Env;
pub use error::{Error, Result};
pub use secret::Secret;
