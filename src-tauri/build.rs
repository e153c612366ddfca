//! Tauri's build step: generates the app context from tauri.conf.json and the capabilities, and
//! declares the app's own commands so each needs an explicit `allow-*` grant in a capability
//! (without a manifest, app commands would be callable from any window).

fn main() {
    // Keep the list in step with lanyard_app::commands::COMMANDS (a unit test checks the grants).
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "set_language",
            "device_sign_ins",
            "copy_device_code",
            "open_device_verification",
            "sessions_overview",
            "sign_in",
            "sign_in_all",
            "sign_out",
            "refresh_session",
            "get_settings",
            "update_settings",
            "save_sso_session",
            "delete_sso_session",
            "list_profiles",
            "use_profile",
            "restore_default",
            "list_accounts",
            "save_sso_profile",
            "cancel_sign_in",
            "get_profile",
            "edit_profile",
            "test_profile",
            "populate_names",
            "populate_preview",
            "populate_apply",
        ]),
    ))
    .unwrap_or_else(|e| panic!("tauri build step failed: {e:#}"));
}
