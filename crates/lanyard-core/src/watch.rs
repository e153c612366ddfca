//! Watching the files Lanyard shares with the AWS CLI (issue 11): the config file, the
//! credentials file, `~/.aws/sso/cache` and Lanyard's settings — so an `aws sso login` in a
//! terminal or a hand edit shows at once. Folders are watched, not files (every careful writer,
//! Lanyard and the AWS CLI included, replaces a file by renaming a new one over it); a folder
//! that does not exist yet is found through its nearest existing parent and watched as soon as it
//! appears. Lanyard's session history (`sessions.json`) is watched too: when another Lanyard
//! process (the CLI) learns that the service refused a session, the tray shows it at once.
//! Bursts are debounced into one call naming what changed. The OS does the waiting
//! (inotify on Linux, asked for changes only; FSEvents, ReadDirectoryChanges through `notify`
//! elsewhere): nothing polls, and no program's reads wake it, so an idle app stays asleep.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

#[cfg(target_os = "linux")]
#[path = "watch/linux.rs"]
mod backend;
#[cfg(not(target_os = "linux"))]
#[path = "watch/portable.rs"]
mod backend;
use backend::Backend;

use crate::config::{config_file_path, credentials_file_path};
use crate::context::Context;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Changed {
    /// The AWS config file.
    Config,
    /// The AWS credentials file.
    Credentials,
    /// A token or registration file in the SSO cache.
    Cache,
    /// Lanyard's settings file.
    Settings,
    /// Lanyard's session history (sign-ins, ends), written by any Lanyard process.
    Sessions,
}

/// The files watched, by what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    config: PathBuf,
    credentials: PathBuf,
    cache: PathBuf,
    settings: PathBuf,
    sessions: PathBuf,
    /// The folders whose entries matter (computed once: every event is classified against them).
    folders: BTreeSet<PathBuf>,
}

impl Targets {
    /// The files of this context.
    pub fn of(ctx: &Context) -> Self {
        let config = absolute(&config_file_path(&ctx.env));
        let credentials = absolute(&credentials_file_path(&ctx.env));
        let cache = absolute(crate::sessions::store::FileStore::for_home(ctx.dirs.home()).dir());
        let settings = absolute(&ctx.dirs.settings_file());
        let sessions = absolute(&ctx.dirs.data_dir().join("sessions.json"));
        let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
        let folders = [
            parent(&config),
            parent(&credentials),
            cache.clone(),
            parent(&settings),
            parent(&sessions),
        ]
        .into_iter()
        .collect();
        Targets {
            config,
            credentials,
            cache,
            settings,
            sessions,
            folders,
        }
    }

    /// What an event on `path` means, if anything.
    pub fn classify(&self, path: &Path) -> Option<Changed> {
        if path == self.config {
            Some(Changed::Config)
        } else if path == self.credentials {
            Some(Changed::Credentials)
        } else if path == self.settings {
            Some(Changed::Settings)
        } else if path == self.sessions {
            Some(Changed::Sessions)
        } else if path.parent() == Some(self.cache.as_path())
            && path.extension().is_some_and(|e| e == "json")
        {
            Some(Changed::Cache)
        } else if self.folders.iter().any(|f| f.starts_with(path)) {
            // A watched folder (or one above it) appeared or went: re-read everything.
            Some(Changed::Cache)
        } else {
            None
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}

/// The nearest existing folder at or above `p`.
fn nearest_existing(p: &Path) -> Option<PathBuf> {
    p.ancestors().find(|a| a.is_dir()).map(Path::to_path_buf)
}

/// A running watch; dropping it stops it (the backend, owner of the event channel's sender,
/// goes, so the thread's receive ends).
pub struct Watch {
    watcher: Arc<Mutex<Option<Backend>>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Ok(mut w) = self.watcher.lock() {
            w.take();
        }
    }
}

impl Watch {
    /// How many times the OS woke the watch with events (Linux; tests).
    #[cfg(all(test, target_os = "linux"))]
    fn wakes(&self) -> usize {
        self.watcher
            .lock()
            .ok()
            .and_then(|w| w.as_ref().map(Backend::wakes))
            .unwrap_or(0)
    }
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watch")
    }
}

/// Starts watching; `on_change` is called from a background thread with what changed, at most
/// once per `debounce` while changes keep coming.
pub fn start(
    targets: Targets,
    debounce: Duration,
    on_change: impl Fn(BTreeSet<Changed>) + Send + 'static,
) -> crate::Result<Watch> {
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let mut watcher = Backend::new(tx).map_err(crate::Error::Watch)?;
    let mut watched: BTreeSet<PathBuf> = BTreeSet::new();
    refresh_watches(&mut watcher, &targets, &mut watched);
    let shared = Arc::new(Mutex::new(Some(watcher)));
    let inner = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("lanyard-watch".into())
        .spawn(move || {
            // What the changed paths mean for Lanyard.
            let meaning = |paths: Vec<PathBuf>| -> Vec<Changed> {
                paths.iter().filter_map(|p| targets.classify(p)).collect()
            };
            while let Ok(first) = rx.recv() {
                let mut changed: BTreeSet<Changed> = meaning(first).into_iter().collect();
                if changed.is_empty() {
                    // No change: no debounce wait, so no later wake-up either.
                    continue;
                }
                while let Ok(ev) = rx.recv_timeout(debounce) {
                    changed.extend(meaning(ev));
                }
                match inner.lock() {
                    Ok(mut guard) => match guard.as_mut() {
                        Some(w) => refresh_watches(w, &targets, &mut watched),
                        None => return,
                    },
                    Err(_) => return,
                }
                tracing::debug!(?changed, "files changed");
                on_change(changed);
            }
        })
        .map_err(|e| crate::Error::Watch(e.to_string()))?;
    Ok(Watch { watcher: shared })
}

/// Watches each target folder, or its nearest existing parent until it exists.
fn refresh_watches(watcher: &mut Backend, targets: &Targets, watched: &mut BTreeSet<PathBuf>) {
    let wanted: BTreeSet<PathBuf> = targets
        .folders
        .iter()
        .filter_map(|f| nearest_existing(f))
        .collect();
    for gone in watched.difference(&wanted).cloned().collect::<Vec<_>>() {
        watcher.unwatch(&gone);
        watched.remove(&gone);
    }
    for dir in wanted {
        if !watched.contains(&dir) {
            match watcher.watch(&dir) {
                Ok(()) => {
                    watched.insert(dir);
                }
                Err(e) => tracing::warn!(dir = %dir.display(), error = %e, "cannot watch"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn targets(home: &Path) -> Targets {
        let ctx = Context::from_env(Env::from_pairs([("HOME", home)])).expect("ctx");
        Targets::of(&ctx)
    }

    fn wait(rx: &mpsc::Receiver<BTreeSet<Changed>>, want: Changed) -> BTreeSet<Changed> {
        loop {
            let got = rx
                .recv_timeout(Duration::from_secs(5))
                .unwrap_or_else(|_| panic!("no {want:?} event within 5 s"));
            if got.contains(&want) {
                return got;
            }
        }
    }

    #[test]
    fn a_renamed_over_token_and_a_config_edit_are_seen_even_in_folders_made_later() {
        let home = tempfile::tempdir().expect("home");
        let (tx, rx) = mpsc::channel();
        let _w = start(targets(home.path()), Duration::from_millis(50), move |c| {
            let _ = tx.send(c);
        })
        .expect("watch");
        // ~/.aws does not exist yet: the CLI creates it on its first login.
        let cache = home.path().join(".aws/sso/cache");
        std::fs::create_dir_all(&cache).expect("mkdir");
        // Give the watcher a moment to follow the new folders, as it does after each event.
        let _ = rx.recv_timeout(Duration::from_secs(2));
        std::fs::write(cache.join("tmp1234"), "{}").expect("tmp");
        std::fs::rename(cache.join("tmp1234"), cache.join("abc.json")).expect("rename");
        wait(&rx, Changed::Cache);
        std::fs::write(home.path().join(".aws/config"), "[profile a]\n").expect("config");
        wait(&rx, Changed::Config);
    }

    /// Issue 21: other programs' reads (every `aws` command reads the config) and Lanyard's own
    /// never wake the watch; a write in place, as the AWS CLI writes the config, does.
    #[test]
    fn reads_wake_nothing_and_a_write_in_place_is_seen() {
        use std::io::Write as _;
        let home = tempfile::tempdir().expect("home");
        let aws = home.path().join(".aws");
        std::fs::create_dir_all(aws.join("sso/cache")).expect("mkdir");
        std::fs::write(aws.join("config"), "[profile a]\n").expect("config");
        std::fs::write(aws.join("sso/cache/abc.json"), "{}").expect("token");
        let (tx, rx) = mpsc::channel();
        let w = start(targets(home.path()), Duration::from_millis(50), move |c| {
            let _ = tx.send(c);
        })
        .expect("watch");
        #[cfg(target_os = "linux")]
        let woken = w.wakes();
        for _ in 0..20 {
            std::fs::read(aws.join("config")).expect("read config");
            std::fs::read(aws.join("sso/cache/abc.json")).expect("read token");
            std::fs::read_dir(aws.join("sso/cache"))
                .expect("list")
                .for_each(drop);
        }
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(500)).ok(),
            None,
            "reads are not changes"
        );
        #[cfg(target_os = "linux")]
        assert_eq!(w.wakes(), woken, "reads do not even wake the watch");
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(aws.join("config"))
            .expect("open in place");
        f.write_all(b"[profile b]\n").expect("write");
        drop(f);
        wait(&rx, Changed::Config);
    }

    #[test]
    fn only_the_shared_files_count() {
        let home = Path::new("/home/p");
        let t = targets(home);
        assert_eq!(t.classify(&home.join(".aws/config")), Some(Changed::Config));
        assert_eq!(
            t.classify(&home.join(".aws/credentials")),
            Some(Changed::Credentials)
        );
        assert_eq!(
            t.classify(&home.join(".aws/sso/cache/x.json")),
            Some(Changed::Cache)
        );
        assert_eq!(t.classify(&home.join(".aws/sso/cache/x.tmp")), None);
        assert_eq!(t.classify(&home.join(".aws/config.lock")), None);
        assert_eq!(
            t.classify(&home.join(".config/lanyard/settings.toml")),
            Some(Changed::Settings)
        );
    }
}
