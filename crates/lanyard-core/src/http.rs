//! The one HTTP client set-up for every AWS call Lanyard makes: rustls with the platform's root
//! certificates, bounded timeouts, a user agent naming Lanyard, no redirects followed.

use std::time::Duration;

use crate::error::{Error, Result};

/// A client for OIDC, portal and federation calls.
pub fn client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(concat!("lanyard/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Http(e.to_string()))
}
