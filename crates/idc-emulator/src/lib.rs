//! idc-emulator: an AWS IAM Identity Center (SSO OIDC, SSO portal, console federation and STS
//! GetCallerIdentity) that runs on 127.0.0.1 for tests, benchmarks and demos.
//!
//! It depends on nothing else of Lanyard's: it is an independent oracle of the wire protocol
//! (docs/PROTOCOL.md §1–3 and §7), checked against the real botocore client.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emu = idc_emulator::Emulator::start(idc_emulator::Config::default()).await?;
//! println!("{}", emu.url());
//! # Ok(()) }
//! ```

mod admin;
pub mod clock;
mod config;
mod data;
mod errors;
mod federation;
mod form;
mod html;
mod ids;
mod oidc;
mod pages;
mod portal;
mod server;
mod state;
mod sts;
mod tls;
mod urls;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use config::Config;
use state::Shared;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running emulator. Dropping it stops accepting connections.
#[derive(Debug)]
pub struct Emulator {
    url: String,
    ca_path: Option<PathBuf>,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Emulator {
    /// Validates `config`, binds 127.0.0.1 and starts serving on the current tokio runtime.
    pub async fn start(config: Config) -> io::Result<Emulator> {
        let ip = config
            .validate()
            .map_err(|m| io::Error::new(io::ErrorKind::InvalidInput, m))?;
        let listener = TcpListener::bind((ip, config.port)).await?;
        let port = listener.local_addr()?.port();
        let (tls, ca_path) = if config.tls {
            let (acceptor, pem) = tls::make_acceptor()?;
            (Some(acceptor), Some(tls::write_ca(&pem, port)?))
        } else {
            (None, None)
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://127.0.0.1:{port}");
        let shared = Arc::new(Shared::new(config));
        let _ = shared.base_url.set(url.clone());
        let app = server::router(shared.clone());
        let task = tokio::spawn(server::accept_loop(listener, app, tls));
        Ok(Emulator {
            url,
            ca_path,
            shared,
            task,
        })
    }

    /// `http://127.0.0.1:PORT` (or `https://…` with `--tls`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where the CA certificate PEM was written (only with `--tls`).
    pub fn ca_path(&self) -> Option<&Path> {
        self.ca_path.as_deref()
    }

    /// The one JSON line the binary prints first on stdout.
    pub fn listening_line(&self) -> String {
        // Written by hand so the key order ("listening" first) never depends on map features.
        let quote = |s: &str| serde_json::Value::from(s).to_string();
        match &self.ca_path {
            Some(ca) => format!(
                "{{\"listening\":{},\"ca\":{}}}",
                quote(&self.url),
                quote(&ca.to_string_lossy())
            ),
            None => format!("{{\"listening\":{}}}", quote(&self.url)),
        }
    }

    /// The emulator's clock (tests move it forward instead of sleeping).
    pub fn clock(&self) -> &clock::Clock {
        &self.shared.clock
    }

    /// Serves until the accept loop ends (it only ends if the task is aborted).
    pub async fn wait(&mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
        if let Some(ca) = &self.ca_path {
            tls::remove_ca(ca);
        }
    }
}
