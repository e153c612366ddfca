//! Tauri's build step: generates the app context from tauri.conf.json and the capabilities.

fn main() {
    tauri_build::build()
}
