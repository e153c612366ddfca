//! lanyard-core owns Lanyard's domain over the AWS side (the crate lanyard-aws, whose modules it
//! re-exports under their old paths): where its files live, the clock, the config engine,
//! sessions (store, keychain, sign-in, refresh, schedule, history) and the features (credentials,
//! console, populate, switch, settings, watch, doctor). Nothing here knows Tauri or a terminal
//! exists.

pub mod account_cache;
pub mod base_error;
pub mod browser;
pub mod clipboard;
pub mod clock;
pub mod config;
pub mod console;
pub mod context;
pub mod credentials;
pub mod credentials_file;
pub mod dirs;
pub mod doctor;
pub mod error;
pub mod fsio;
pub mod guard;
pub mod listed;
pub mod logging;
pub mod overview;
pub mod populate;
pub mod sessions;
pub mod settings;
pub mod watch;
pub mod whoami;

// The AWS side is its own crate (issue 21); its modules keep their paths here.
pub use lanyard_aws::{
    cache, endpoints, env, http, net, netfail, oidc, portal, pyjson, retry, secret, sigv4, sts,
};

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{ConfigFile, ConfigView, Finding, Severity};
pub use context::Context;
pub use dirs::Dirs;
pub use env::Env;
pub use error::{Error, Result};
pub use secret::Secret;
