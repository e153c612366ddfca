//! Tauri's build step: generates the app context from tauri.conf.json and the capabilities, and
//! declares the app's own commands so each needs an explicit `allow-*` grant in a capability
//! (without a manifest, app commands would be callable from any window).

fn main() {
    // The same list as lanyard_app::commands::COMMANDS (a unit test checks the grants).
    let commands: &[&str] = &include!("src/commands.in");
    println!("cargo:rerun-if-changed=src/commands.in");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .unwrap_or_else(|e| panic!("tauri build step failed: {e:#}"));
}
