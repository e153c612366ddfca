//! Logging set-up shared by the binaries: `tracing` events go to a daily log file in Lanyard's
//! data folder (`logs/<component>.YYYY-MM-DD.log`) and nowhere else — what a person must see,
//! the binaries print themselves, so stderr stays one clear line per problem (what
//! `credential_process` callers show). The level comes
//! from `LANYARD_LOG` (an `EnvFilter` directive, default `info`). Secrets never reach a log
//! because they are [`crate::Secret`]s, which print `<redacted>`.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::dirs::{create_private_dir, Dirs};
use crate::env::Env;
use crate::error::{Error, Result};

/// Keeps the background log writer alive; drop it at exit so the last lines are flushed.
#[derive(Debug)]
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

/// Installs the global subscriber for a binary named `component` (`cli`, `app`).
pub fn init(dirs: &Dirs, env: &Env, component: &str) -> Result<LogGuard> {
    let logs = dirs.logs_dir();
    create_private_dir(dirs.data_dir())?;
    create_private_dir(&logs)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(component)
        .filename_suffix("log")
        .max_log_files(7)
        .build(&logs)
        .map_err(|e| Error::Logging(e.to_string()))?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let level = env.get_str("LANYARD_LOG").unwrap_or("info");
    let file_filter = EnvFilter::try_new(level).map_err(|e| Error::Logging(e.to_string()))?;
    let file_layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(file_filter);
    tracing_subscriber::registry()
        .with(file_layer)
        .try_init()
        .map_err(|e| Error::Logging(e.to_string()))?;
    Ok(LogGuard(guard))
}
