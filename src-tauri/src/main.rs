//! The `lanyard-app` binary: everything is in the library ([`lanyard_app::run`]).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> anyhow::Result<()> {
    let code = lanyard_app::run()?;
    std::process::exit(code)
}
