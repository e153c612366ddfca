//! Lanyard's own settings, `<config dir>/lanyard/settings.toml` (DESIGN.md), shared by the app and
//! the CLI. This reads what the built features use — a per-profile console browser command;
//! the settings issue adds the rest (thresholds, refresh, notifications, language...) and the
//! writer. Unknown keys are ignored here, so nothing written later breaks this reader; a
//! malformed file gives the defaults and a warning naming it, and is never overwritten.
//!
//! ```toml
//! [profiles.dev]
//! console_browser = "firefox -P work %s"   # like a BROWSER entry: %s is the URL, else appended
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::dirs::Dirs;

/// Settings of one profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProfileSettings {
    /// The command that opens this profile's console (a browser profile or container).
    pub console_browser: Option<String>,
}

/// Everything Lanyard reads from its settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Per-profile settings, by profile name.
    pub profiles: BTreeMap<String, ProfileSettings>,
}

impl Settings {
    /// Reads the settings file: defaults when it is missing; defaults and a warning (naming the
    /// file and the problem) when it is malformed.
    pub fn load(dirs: &Dirs) -> (Settings, Option<String>) {
        let path = dirs.settings_file();
        match std::fs::read_to_string(&path) {
            Ok(text) => match toml::from_str(&text) {
                Ok(settings) => (settings, None),
                Err(e) => (
                    Settings::default(),
                    Some(format!(
                        "{}: {}; using the default settings",
                        path.display(),
                        e.message()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
            Err(e) => (
                Settings::default(),
                Some(format!(
                    "{}: cannot read it ({e}); using the default settings",
                    path.display()
                )),
            ),
        }
    }

    /// The console browser command of a profile, if one is set.
    pub fn console_browser(&self, profile: &str) -> Option<&str> {
        self.profiles
            .get(profile)
            .and_then(|p| p.console_browser.as_deref())
            .filter(|c| !c.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn dirs_with(text: Option<&str>) -> (tempfile::TempDir, Dirs) {
        let home = tempfile::tempdir().expect("home");
        let dirs = Dirs::from_env(&Env::from_pairs([("HOME", home.path())])).expect("dirs");
        if let Some(t) = text {
            std::fs::create_dir_all(dirs.config_dir()).expect("mkdir");
            std::fs::write(dirs.settings_file(), t).expect("write");
        }
        (home, dirs)
    }

    #[test]
    fn a_profiles_console_browser_is_read_and_unknown_keys_are_ignored() {
        let (_h, dirs) = dirs_with(Some(
            "future_key = 1\n[profiles.dev]\nconsole_browser = \"firefox -P work %s\"\nother = true\n",
        ));
        let (s, warning) = Settings::load(&dirs);
        assert_eq!(warning, None);
        assert_eq!(s.console_browser("dev"), Some("firefox -P work %s"));
        assert_eq!(s.console_browser("prod"), None);
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_a_malformed_one_a_warning() {
        let (_h, dirs) = dirs_with(None);
        assert_eq!(Settings::load(&dirs), (Settings::default(), None));
        let (_h, dirs) = dirs_with(Some("[profiles.dev\nconsole_browser = 3\n"));
        let (s, warning) = Settings::load(&dirs);
        assert_eq!(s, Settings::default());
        let warning = warning.expect("warning");
        assert!(
            warning.contains("settings.toml") && warning.contains("default settings"),
            "{warning}"
        );
        assert_eq!(
            std::fs::read_to_string(dirs.settings_file()).expect("read"),
            "[profiles.dev\nconsole_browser = 3\n",
            "never overwritten"
        );
    }
}
