//! The one definition of where Lanyard keeps its own files (DESIGN.md, "Where Lanyard keeps its
//! own files"): settings under the OS config folder, state, caches, backups, logs and locks under
//! the OS data folder. The app and the CLI both resolve them here, from an injected [`Env`].

use std::path::{Path, PathBuf};

use crate::base_error::{BaseError, Result};
use crate::env::Env;

/// The name of Lanyard's folder inside the OS config and data folders.
const APP_DIR: &str = "lanyard";

/// Lanyard's own folders, resolved for one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    home: PathBuf,
    config_dir: PathBuf,
    data_dir: PathBuf,
}

impl Dirs {
    /// Resolves the folders from the environment.
    ///
    /// `LANYARD_CONFIG_DIR` and `LANYARD_DATA_DIR` override everything (portable installs,
    /// tests). Otherwise, on Linux and other Unix: `$XDG_CONFIG_HOME/lanyard` (default
    /// `~/.config/lanyard`) and `$XDG_DATA_HOME/lanyard` (default `~/.local/share/lanyard`);
    /// on macOS both under `~/Library/Application Support/lanyard`; on Windows
    /// `%APPDATA%\lanyard` and `%LOCALAPPDATA%\lanyard`.
    pub fn from_env(env: &Env) -> Result<Self> {
        let home = home_dir(env).ok_or(BaseError::NoHome)?;
        let config_dir = match env.get("LANYARD_CONFIG_DIR") {
            Some(p) => PathBuf::from(p),
            None => os_config_dir(env, &home).join(APP_DIR),
        };
        let data_dir = match env.get("LANYARD_DATA_DIR") {
            Some(p) => PathBuf::from(p),
            None => os_data_dir(env, &home).join(APP_DIR),
        };
        Ok(Dirs {
            home,
            config_dir,
            data_dir,
        })
    }

    /// The person's home folder (where `~/.aws` lives unless overridden).
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Lanyard's settings folder (`settings.toml` lives here).
    pub fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    /// Lanyard's state folder: sign-in times, the account cache, backups, logs, locks.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The settings file shared by the app and the CLI.
    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.toml")
    }

    /// Where log files go.
    pub fn logs_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }

    /// Where previous versions of the AWS config are kept before each save.
    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// Where the single-flight lock files live.
    pub fn locks_dir(&self) -> PathBuf {
        self.data_dir.join("locks")
    }

    /// Creates the settings and data folders (and logs, backups, locks) if missing. Folders
    /// Lanyard creates are private to the person (0700 on Unix).
    pub fn ensure(&self) -> Result<()> {
        for dir in [
            self.config_dir.clone(),
            self.data_dir.clone(),
            self.logs_dir(),
            self.backups_dir(),
            self.locks_dir(),
        ] {
            create_private_dir(&dir)?;
        }
        Ok(())
    }
}

/// Creates `dir` (and missing parents). The folder itself, when Lanyard creates it, is 0700;
/// parents that did not exist get the platform default, as `mkdir -p` would give them.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| BaseError::io("cannot create folder", parent, e))?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Ok(()) => Ok(()),
        // Another process made it between our check and our create: that is fine.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(BaseError::io("cannot create folder", dir, e)),
    }
}

fn home_dir(env: &Env) -> Option<PathBuf> {
    env.get("HOME")
        .or_else(|| {
            if cfg!(windows) {
                env.get("USERPROFILE")
            } else {
                None
            }
        })
        .map(PathBuf::from)
}

fn os_config_dir(env: &Env, home: &Path) -> PathBuf {
    if cfg!(target_os = "macos") {
        home.join("Library/Application Support")
    } else if cfg!(windows) {
        env.get("APPDATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join("AppData").join("Roaming"))
    } else {
        xdg(env, "XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config"))
    }
}

fn os_data_dir(env: &Env, home: &Path) -> PathBuf {
    if cfg!(target_os = "macos") {
        home.join("Library/Application Support")
    } else if cfg!(windows) {
        env.get("LOCALAPPDATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join("AppData").join("Local"))
    } else {
        xdg(env, "XDG_DATA_HOME").unwrap_or_else(|| home.join(".local").join("share"))
    }
}

/// An XDG base folder variable counts only when it is an absolute path (XDG spec).
fn xdg(env: &Env, key: &str) -> Option<PathBuf> {
    env.get(key).map(PathBuf::from).filter(|p| p.is_absolute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn linux_folders_follow_xdg_defaults_under_home() {
        let dirs = Dirs::from_env(&Env::from_pairs([("HOME", "/home/ana")])).expect("dirs");
        assert_eq!(dirs.config_dir(), Path::new("/home/ana/.config/lanyard"));
        assert_eq!(dirs.data_dir(), Path::new("/home/ana/.local/share/lanyard"));
        assert_eq!(
            dirs.settings_file(),
            Path::new("/home/ana/.config/lanyard/settings.toml")
        );
        assert_eq!(
            dirs.backups_dir(),
            Path::new("/home/ana/.local/share/lanyard/backups")
        );
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn absolute_xdg_variables_win_and_relative_ones_are_ignored() {
        let env = Env::from_pairs([
            ("HOME", "/home/ana"),
            ("XDG_CONFIG_HOME", "/cfg"),
            ("XDG_DATA_HOME", "relative/data"),
        ]);
        let dirs = Dirs::from_env(&env).expect("dirs");
        assert_eq!(dirs.config_dir(), Path::new("/cfg/lanyard"));
        assert_eq!(dirs.data_dir(), Path::new("/home/ana/.local/share/lanyard"));
    }

    #[test]
    fn lanyard_overrides_win_over_the_os_folders() {
        let env = Env::from_pairs([
            ("HOME", "/home/ana"),
            ("LANYARD_CONFIG_DIR", "/x/settings"),
            ("LANYARD_DATA_DIR", "/x/data"),
        ]);
        let dirs = Dirs::from_env(&env).expect("dirs");
        assert_eq!(dirs.config_dir(), Path::new("/x/settings"));
        assert_eq!(dirs.data_dir(), Path::new("/x/data"));
    }

    #[cfg(unix)]
    #[test]
    fn no_home_is_a_clear_error() {
        let err = Dirs::from_env(&Env::default()).expect_err("no HOME");
        assert_eq!(err.code(), "no_home");
        assert!(err.to_string().contains("HOME"));
    }

    #[cfg(unix)]
    #[test]
    fn ensure_creates_every_folder_private_0700() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().expect("tempdir");
        let dirs = Dirs::from_env(&Env::from_pairs([("HOME", home.path())])).expect("dirs");
        dirs.ensure().expect("ensure");
        for dir in [
            dirs.config_dir().to_path_buf(),
            dirs.data_dir().to_path_buf(),
            dirs.logs_dir(),
            dirs.backups_dir(),
            dirs.locks_dir(),
        ] {
            let mode = std::fs::metadata(&dir).expect("stat").permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{} has mode {mode:o}", dir.display());
        }
        // Idempotent: a second call on existing folders succeeds.
        dirs.ensure().expect("ensure again");
    }
}
