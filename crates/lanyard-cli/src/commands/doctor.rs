//! `lanyard doctor`: runs lanyard-core's checks and prints one line each, a verdict, and what to
//! do; exit 1 when something blocks sign-in.

use std::process::ExitCode;

use lanyard_core::doctor::{self, Status};
use lanyard_core::Context;

use super::session::runtime;
use crate::cli::DoctorArgs;

/// `lanyard doctor`.
pub(crate) fn run(ctx: &Context, args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let report = runtime()?.block_on(doctor::run(ctx, args.profile.as_deref()));
    let ok = report.failures().next().is_none();
    if args.json {
        let out = serde_json::json!({
            "checks": report.checks,
            "verdict": report.verdict(),
            "ok": ok,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for c in &report.checks {
            let status = match c.status {
                Status::Ok => "ok  ",
                Status::Info => "info",
                Status::Warn => "warn",
                Status::Fail => "FAIL",
            };
            let what = match &c.subject {
                Some(s) => format!("{} {s}", c.check),
                None => c.check.to_owned(),
            };
            println!("{status}  {what:<22} {}", c.detail);
            if let Some(fix) = &c.fix {
                if c.status != Status::Ok {
                    println!("      {:<22} -> {fix}", "");
                }
            }
        }
        println!("\n{}", report.verdict());
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
