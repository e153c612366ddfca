//! The `idc-emulator` binary: parses flags, starts the emulator on 127.0.0.1, prints exactly one
//! JSON line (`{"listening":"http://127.0.0.1:PORT"}`) on stdout, logs to stderr, and serves
//! until SIGINT or SIGTERM.

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use clap::Parser as _;
use idc_emulator::{Config, Emulator};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    if let Err(msg) = config.validate() {
        eprintln!("idc-emulator: {msg}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("idc-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: Config) -> ExitCode {
    let summary = format!(
        "{} accounts × {} roles, token ttl {}s, session ttl {}s, approve after {} polls{}{}{}",
        config.accounts,
        config.roles_per_account,
        config.token_ttl,
        config.session_ttl,
        config.device_approve_after,
        if config.auto_approve {
            ", auto-approve"
        } else {
            ""
        },
        if config.rate_limit > 0 {
            format!(", rate limit {}/s", config.rate_limit)
        } else {
            String::new()
        },
        if config.clock_skew != 0 {
            format!(", clock skew {}s", config.clock_skew)
        } else {
            String::new()
        },
    );
    let stop = shutdown_signal();
    let mut emu = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("idc-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{}", emu.listening_line())
            .and_then(|()| out.flush())
            .is_err()
        {
            eprintln!("idc-emulator: cannot write to stdout");
            return ExitCode::FAILURE;
        }
    }
    tracing::info!(url = emu.url(), "idc-emulator listening: {summary}");
    tokio::select! {
        () = emu.wait() => {}
        () = stop => tracing::info!("shutting down"),
    }
    drop(emu);
    ExitCode::SUCCESS
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, so call it
/// before announcing the port: a caller may signal as soon as it has read the first line.
#[cfg(unix)]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let term = signal(SignalKind::terminate()).ok();
    let int = signal(SignalKind::interrupt()).ok();
    async move {
        match (term, int) {
            (Some(mut t), Some(mut i)) => {
                tokio::select! {
                    _ = t.recv() => {}
                    _ = i.recv() => {}
                }
            }
            (Some(mut t), None) => {
                t.recv().await;
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
