//! [`Context`]: what every operation needs from the outside world — the environment, Lanyard's
//! folders and the clock — bundled once by a binary (or a test) and passed down, so nothing in
//! the core reads the process environment or the system time on its own.

use std::sync::Arc;

use crate::base_error::Result;
use crate::clock::{Clock, SystemClock};
use crate::dirs::Dirs;
use crate::env::Env;

/// The injected outside world.
#[derive(Debug, Clone)]
pub struct Context {
    /// Environment variables, captured once.
    pub env: Env,
    /// Lanyard's own folders.
    pub dirs: Dirs,
    /// The time source.
    pub clock: Arc<dyn Clock>,
}

impl Context {
    /// A context for this environment with the real clock.
    pub fn from_env(env: Env) -> Result<Self> {
        Self::with_clock(env, Arc::new(SystemClock))
    }

    /// A context with a given clock (tests use [`crate::ManualClock`]).
    pub fn with_clock(env: Env, clock: Arc<dyn Clock>) -> Result<Self> {
        let dirs = Dirs::from_env(&env)?;
        Ok(Context { env, dirs, clock })
    }
}
