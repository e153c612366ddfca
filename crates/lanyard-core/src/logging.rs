//! Logging set-up shared by the binaries: `tracing` events go to a daily log file in Lanyard's
//! data folder (`logs/<component>.YYYY-MM-DD.log`), opened at the first line, and nowhere else — what a person must see,
//! the binaries print themselves, so stderr stays one clear line per problem (what
//! `credential_process` callers show). The level comes
//! from `LANYARD_LOG` (an `EnvFilter` directive, default `info`). Secrets never reach a log
//! because they are [`crate::Secret`]s, which print `<redacted>`.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::RollingFileAppender;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::base_error::{BaseError, Result};
use crate::dirs::{create_private_dir, Dirs};
use crate::env::Env;

/// How many lines the app's background writer queues before a logging thread waits for it
/// (none is dropped). tracing-appender's default, 128,000, preallocates about 4 MB that stay
/// resident for the app's life; a burst of a thousand lines is far more than Lanyard writes.
const BUFFERED_LINES: usize = 1000;

/// Keeps the background log writer alive (the app's); drop it at exit so the last lines are
/// flushed.
#[derive(Debug)]
pub struct LogGuard(#[allow(dead_code)] Option<WorkerGuard>);

/// The log file, opened (and its folders made) at the first line written: a command that logs
/// nothing — `credentials` on a warm cache, every `credential_process` call — opens no file
/// (issue 21).
struct LazyFile {
    dirs: Dirs,
    component: String,
    file: Mutex<Option<RollingFileAppender>>,
}

impl LazyFile {
    fn open(&self) -> std::io::Result<RollingFileAppender> {
        let logs = self.dirs.logs_dir();
        let io = |e: BaseError| std::io::Error::other(e.to_string());
        create_private_dir(self.dirs.data_dir()).map_err(io)?;
        create_private_dir(&logs).map_err(io)?;
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(&self.component)
            .filename_suffix("log")
            .max_log_files(7)
            .build(&logs)
            .map_err(std::io::Error::other)
    }
}

/// A handle on the shared [`LazyFile`], one per event.
struct LazyWriter(Arc<LazyFile>);

impl Write for LazyWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut file = self.0.file.lock().unwrap_or_else(PoisonError::into_inner);
        if file.is_none() {
            *file = Some(self.0.open()?);
        }
        match file.as_mut() {
            Some(f) => f.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let mut file = self.0.file.lock().unwrap_or_else(PoisonError::into_inner);
        match file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// Installs the global subscriber for a binary named `component` (`cli`, `app`). Nothing is
/// opened until a line is logged; the app writes through a background thread, the CLI (short
/// lived) in place.
pub fn init(dirs: &Dirs, env: &Env, component: &str) -> Result<LogGuard> {
    let lazy = Arc::new(LazyFile {
        dirs: dirs.clone(),
        component: component.to_owned(),
        file: Mutex::new(None),
    });
    let level = env.get_str("LANYARD_LOG").unwrap_or("info");
    let file_filter = EnvFilter::try_new(level).map_err(|e| BaseError::Logging(e.to_string()))?;
    let (layer, guard) = if component == "cli" {
        let shared = lazy.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || LazyWriter(shared.clone()))
            .with_ansi(false)
            .with_filter(file_filter)
            .boxed();
        (layer, None)
    } else {
        let (writer, guard) = NonBlockingBuilder::default()
            .buffered_lines_limit(BUFFERED_LINES)
            .lossy(false)
            .finish(LazyWriter(lazy));
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(writer)
            .with_ansi(false)
            .with_filter(file_filter)
            .boxed();
        (layer, Some(guard))
    };
    tracing_subscriber::registry()
        .with(layer)
        .try_init()
        .map_err(|e| BaseError::Logging(e.to_string()))?;
    Ok(LogGuard(guard))
}
