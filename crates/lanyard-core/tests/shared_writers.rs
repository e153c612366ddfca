//! Issue 19 in-process and across processes: Lanyard writers killed with SIGKILL at every step
//! of a save never block the next writer nor leave a temp file after it; the app's threads
//! (tray, window) and other Lanyard processes editing at once lose and refuse nothing.

mod common;
use common::ctx;

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use lanyard_core::config::edit::{set_profile_keys, KeyPath};
use lanyard_core::config::files::{self, ConfigFile, SaveEnv, Stage};
use lanyard_core::guard::{self, FileLock};
use lanyard_core::Context;

fn set(file: &mut ConfigFile, profile: &str, region: &str) {
    set_profile_keys(
        &mut file.doc,
        profile,
        &[(KeyPath::parse("region"), region.to_owned())],
    )
    .expect("set");
}

fn edit(ctx: &Context, profile: &str) -> lanyard_core::config::error::Result<bool> {
    let path = lanyard_core::config::config_file_path(&ctx.env);
    files::edit_and_save(ctx, &path, |f| {
        set(f, profile, "eu-west-1");
        Ok(())
    })
    .map(|((), w)| w)
}

const SEED: &str = "# mine\n[default]\nregion = us-west-2\n\n[profile dev]\nregion = us-east-1\n";

fn seeded() -> (tempfile::TempDir, Context, PathBuf) {
    let home = tempfile::tempdir().expect("home");
    let ctx = ctx(home.path());
    let path = lanyard_core::config::config_file_path(&ctx.env);
    fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    fs::write(&path, SEED).expect("seed");
    let old = lanyard_core::clock::file_time_now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(old))
        .expect("age");
    (home, ctx, path)
}

const KILL_ENV: &str = "LANYARD_KILL_CHILD";

/// Run as a child process: takes the lock and saves an edit, stopping for good at the stage
/// named in the environment (after saying so in a marker file), until the parent kills it. As
/// a normal test it does nothing.
#[test]
fn kill_child_saver() {
    let Ok(spec) = std::env::var(KILL_ENV) else {
        return;
    };
    let mut parts = spec.splitn(3, '|');
    let (stage, home, marker) = (
        parts.next().expect("stage").to_owned(),
        PathBuf::from(parts.next().expect("home")),
        PathBuf::from(parts.next().expect("marker")),
    );
    let ctx = ctx(&home);
    let path = lanyard_core::config::config_file_path(&ctx.env);
    let stop = |at: &str| {
        if at == stage {
            fs::write(&marker, at).expect("marker");
            loop {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    };
    let lock = FileLock::acquire(&ctx.dirs.locks_dir(), &path).expect("lock");
    stop("locked");
    let mut file = ConfigFile::load(&path).expect("load");
    set(&mut file, "killed", "ap-south-1");
    let env = SaveEnv::of(&ctx);
    file.save_locked(&lock, &env, &mut |s| {
        stop(&format!("{s:?}"));
        Ok(())
    })
    .expect("save");
    stop("saved");
}

#[cfg(unix)]
#[test]
fn a_writer_killed_at_every_step_of_a_save_blocks_nothing_tears_nothing_and_leaves_no_temp() {
    let exe = std::env::current_exe().expect("exe");
    for stage in [
        "locked",
        &format!("{:?}", Stage::Created),
        &format!("{:?}", Stage::HalfWritten),
        &format!("{:?}", Stage::BeforeRename),
        &format!("{:?}", Stage::Renamed),
        "saved",
    ] {
        let (home, ctx, path) = seeded();
        let marker = home.path().join("marker");
        let mut child = std::process::Command::new(&exe)
            .args(["--exact", "kill_child_saver", "--nocapture"])
            .env(
                KILL_ENV,
                format!("{stage}|{}|{}", home.path().display(), marker.display()),
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let mut waited = 0;
        while !marker.exists() {
            assert!(waited < 3000, "{stage}: the child never got there");
            std::thread::sleep(Duration::from_millis(10));
            waited += 10;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");
        let text = fs::read_to_string(&path).expect("read");
        let killed_edit = text.starts_with(SEED)
            && text.ends_with("[profile killed]\nregion = ap-south-1\n")
            && text.len() <= SEED.len() + 40;
        assert!(text == SEED || killed_edit, "{stage}: torn file:\n{text}");
        // The next writer is not blocked by the dead one's lock, and cleans its temp file.
        let t0 = lanyard_core::clock::monotonic_now();
        assert!(edit(&ctx, "next").expect("next edit"), "{stage}");
        assert!(
            t0.elapsed() < guard::TIMING.max_wait,
            "{stage}: the next edit waited"
        );
        let names: Vec<String> = fs::read_dir(path.parent().expect("dir"))
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["config".to_owned()], "{stage}: left {names:?}");
        let text = fs::read_to_string(&path).expect("read");
        assert!(
            text.starts_with(SEED) && text.contains("[profile next]"),
            "{stage}"
        );
    }
}

#[test]
fn the_apps_threads_and_each_other_edit_different_profiles_at_once_and_lose_nothing() {
    let (_home, ctx, path) = seeded();
    let threads: Vec<_> = (0..5)
        .map(|t| {
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                for r in 0..50 {
                    edit(&ctx, &format!("t{t}-{r}")).expect("no edit is refused");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("join");
    }
    let file = ConfigFile::load(&path).expect("load");
    let view = file.view().expect("view");
    for t in 0..5 {
        for r in 0..50 {
            assert!(
                view.profiles.contains_key(format!("t{t}-{r}").as_str()),
                "t{t}-{r} lost"
            );
        }
    }
    assert!(file.loaded_text().expect("text").starts_with(SEED));
}

#[test]
fn an_edit_over_another_programs_change_of_the_same_key_is_refused_naming_it() {
    let (_home, ctx, path) = seeded();
    let mut first = true;
    let err = files::edit_and_save(&ctx, &path, |f| {
        if first {
            first = false;
            // Another program changes dev's region between Lanyard's read and its write.
            fs::write(
                &path,
                SEED.replace("region = us-east-1", "region = sa-east-1"),
            )
            .expect("theirs");
        }
        set(f, "dev", "eu-west-1");
        Ok(())
    })
    .expect_err("conflict");
    assert_eq!(err.code(), "edit_conflict");
    assert!(err.to_string().contains("[profile dev] region"), "{err}");
    assert!(fs::read_to_string(&path)
        .expect("read")
        .contains("region = sa-east-1"));
    // A change to another key is merged instead.
    let mut first = true;
    files::edit_and_save(&ctx, &path, |f| {
        if first {
            first = false;
            let now = fs::read_to_string(&path).expect("read");
            fs::write(&path, format!("{now}output = json\n")).expect("theirs");
        }
        set(f, "other", "eu-west-1");
        Ok(())
    })
    .expect("merged");
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains("output = json") && text.contains("[profile other]"));
}
