//! Whether a tray host is running. On Linux the tray icon is a StatusNotifierItem, which only
//! shows if a StatusNotifierWatcher owns `org.kde.StatusNotifierWatcher` on the session bus
//! (KDE, most desktops, GNOME with the AppIndicator extension). Without one the icon is invisible,
//! so the app must not hide in it. Other platforms always have a tray.

/// The well-known bus name of the StatusNotifierWatcher.
#[cfg(target_os = "linux")]
pub const WATCHER_NAME: &str = "org.kde.StatusNotifierWatcher";

/// True if a tray host is running now. A missing or unreachable session bus counts as "no".
#[cfg(target_os = "linux")]
pub fn is_available() -> bool {
    match watcher_has_owner() {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "cannot ask the session bus for a tray host");
            false
        }
    }
}

#[cfg(target_os = "linux")]
fn watcher_has_owner() -> zbus::Result<bool> {
    // On tokio, not on an async-io thread pool that would outlive the check (see Cargo.toml).
    let _rt = crate::async_rt::enter();
    let conn = zbus::blocking::Connection::session()?;
    let dbus = zbus::blocking::fdo::DBusProxy::new(&conn)?;
    let name = zbus::names::BusName::try_from(WATCHER_NAME)?;
    Ok(dbus.name_has_owner(name)?)
}

/// True: macOS and Windows always have a menu bar / notification area.
#[cfg(not(target_os = "linux"))]
pub fn is_available() -> bool {
    true
}
