//! What the config-file integration tests share: a context on a sandbox HOME with the clock
//! stopped at 2026-01-01 08:00 UTC.

use std::path::Path;
use std::sync::Arc;

use lanyard_core::{Context, Env, ManualClock};
use time::macros::datetime;

/// A context whose HOME (and `~/.aws/config`) is `home`.
pub(crate) fn ctx(home: &Path) -> Context {
    let env = Env::from_pairs([
        ("HOME", home.to_path_buf()),
        ("AWS_CONFIG_FILE", home.join(".aws/config")),
    ]);
    let clock = ManualClock::new(datetime!(2026-01-01 08:00 UTC));
    Context::with_clock(env, Arc::new(clock)).expect("ctx")
}
