//! What an emulator instance is told at start: the command-line flags, their defaults and checks.

use std::net::{IpAddr, Ipv4Addr};

use clap::Parser;

/// The emulator's settings; one field per command-line flag.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "idc-emulator",
    version,
    about = "An IAM Identity Center (AWS SSO) emulator on 127.0.0.1: OIDC, portal, console \
             federation and STS GetCallerIdentity on one port."
)]
pub struct Config {
    /// Port to listen on (0 = any free port; the first stdout line says which).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Address to bind. Only 127.0.0.1 is accepted: the emulator never listens beyond loopback.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Number of generated accounts.
    #[arg(long, default_value_t = 3)]
    pub accounts: usize,

    /// Roles (permission sets) assigned per account.
    #[arg(long, default_value_t = 2)]
    pub roles_per_account: usize,

    /// Lifetime of access tokens and role credentials, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub token_ttl: u64,

    /// Never issue refresh tokens.
    #[arg(long)]
    pub no_refresh: bool,

    /// Issue refresh tokens to legacy clients too (registered without scopes), as some
    /// services do; the AWS CLI still treats a legacy token's expiry as the session's end.
    #[arg(long)]
    pub legacy_refresh_tokens: bool,

    /// Identity Center session length in seconds: after it, refresh fails with invalid_grant.
    #[arg(long, default_value_t = 28_800)]
    pub session_ttl: u64,

    /// Device codes approve themselves after this many polls (-1 = only by the page or admin call).
    #[arg(long, default_value_t = 2, allow_hyphen_values = true)]
    pub device_approve_after: i64,

    /// /authorize redirects with a code at once instead of showing Approve/Deny.
    #[arg(long)]
    pub auto_approve: bool,

    /// Added latency for every API request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,

    /// Token-bucket limit over the portal API in requests per second (burst = TPS; 0 = none).
    #[arg(long, default_value_t = 0)]
    pub rate_limit: u32,

    /// Probability (0..=1) that an API request fails with a 500.
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,

    /// Seconds the emulator's clock (Date header included) runs ahead (or behind, negative).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub clock_skew: i64,

    /// Seed for the generated accounts, names and roles.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Serve https with a self-signed certificate made at start (its CA is written to a file).
    #[arg(long)]
    pub tls: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: 0,
            host: "127.0.0.1".to_owned(),
            accounts: 3,
            roles_per_account: 2,
            token_ttl: 3600,
            no_refresh: false,
            legacy_refresh_tokens: false,
            session_ttl: 28_800,
            device_approve_after: 2,
            auto_approve: false,
            latency_ms: 0,
            rate_limit: 0,
            fail_rate: 0.0,
            clock_skew: 0,
            seed: 0,
            tls: false,
        }
    }
}

impl Config {
    /// Checks the settings; the error says which flag is wrong and why.
    pub fn validate(&self) -> Result<IpAddr, String> {
        let ip: IpAddr = self
            .host
            .parse()
            .map_err(|_| format!("--host {:?}: only 127.0.0.1 is allowed", self.host))?;
        if ip != IpAddr::V4(Ipv4Addr::LOCALHOST) {
            return Err(format!(
                "--host {ip}: refusing to bind anything but 127.0.0.1 (the emulator hands out \
                 tokens and credentials to whoever asks)"
            ));
        }
        if !(0.0..=1.0).contains(&self.fail_rate) {
            return Err(format!(
                "--fail-rate {}: must be between 0 and 1",
                self.fail_rate
            ));
        }
        if self.device_approve_after < -1 {
            return Err("--device-approve-after: must be -1 or more".to_owned());
        }
        if self.token_ttl == 0 || self.session_ttl == 0 {
            return Err("--token-ttl and --session-ttl must be positive".to_owned());
        }
        if self.accounts > 1_000_000 {
            return Err("--accounts: at most 1,000,000".to_owned());
        }
        if self.roles_per_account > 1000 {
            return Err("--roles-per-account: at most 1000".to_owned());
        }
        Ok(ip)
    }
}
