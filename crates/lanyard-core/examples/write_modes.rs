//! Measures the two ways a guarded edit could put its bytes in place — replace-by-rename (what
//! Lanyard does, `config::files::edit_and_save`) and an in-place write with a journal (what the
//! AWS CLI does, plus a journal for crashes) — against the same races: a writer that reads,
//! truncates, pauses and writes (the AWS CLI's ConfigFileWriter, slowed), and the real AWS CLI
//! v1 (`aws configure set`, when `tests/.venv/bin/aws` exists). Both modes share the lock and
//! the stability check; only the write differs. Prints, per mode and race, the edits each side
//! reported, how many of them are missing at the end, and whether the file ended torn.
//! docs/ARCHITECTURE.md ("Writing shared files") records a run. Usage:
//! `cargo run -p lanyard-core --example write_modes -- [SECONDS]`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lanyard_core::clock::monotonic_now;
use lanyard_core::config::edit::{set_profile_keys, KeyPath};
use lanyard_core::config::files::{self, ConfigFile};
use lanyard_core::guard::{self, FileLock};
use lanyard_core::{Context, Env};

const SEED: &str = "# mine\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n\n[profile dev]\nsso_session = corp\nregion = us-east-1\n";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Rename,
    InPlace,
}

fn set_region(file: &mut ConfigFile, profile: &str) -> lanyard_core::config::error::Result<()> {
    set_profile_keys(
        &mut file.doc,
        profile,
        &[(KeyPath::parse("region"), "ap-south-1".to_owned())],
    )
}

/// The in-place alternative: the same lock and stable read, then the journal (the new bytes,
/// synced, in Lanyard's data folder), the file opened without truncation, written, cut to
/// length, synced, the journal removed.
fn edit_in_place(
    ctx: &Context,
    path: &Path,
    profile: &str,
) -> lanyard_core::config::error::Result<()> {
    let lock = FileLock::acquire(&ctx.dirs.locks_dir(), path)?;
    for _ in 0..6 {
        let snap = guard::read_stable(&lock, path, &guard::TIMING)?;
        let text = String::from_utf8_lossy(snap.bytes.as_deref().unwrap_or_default()).into_owned();
        let mut file = ConfigFile::load(path)?;
        if file.loaded_text().unwrap_or_default() != text {
            continue;
        }
        set_region(&mut file, profile)?;
        let new = file.doc.to_text();
        if !guard::unchanged(path, &snap)? {
            continue;
        }
        let io = |e| lanyard_core::config::error::ConfigError::io("cannot write", path, e);
        let journal = ctx.dirs.data_dir().join("config.journal");
        lanyard_core::fsio::write_private(&journal, new.as_bytes())?;
        let mut f = fs::OpenOptions::new().write(true).open(path).map_err(io)?;
        f.write_all(new.as_bytes()).map_err(io)?;
        f.set_len(new.len() as u64).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        lock.remember_written(path);
        lanyard_core::fsio::remove_if_present(&journal)?;
        return Ok(());
    }
    Err(lanyard_core::base_error::BaseError::FileBusy {
        path: path.to_owned(),
        waited_ms: 0,
    }
    .into())
}

fn lanyard_edit(ctx: &Context, path: &Path, mode: Mode, profile: &str) -> bool {
    let r = match mode {
        Mode::Rename => files::edit_and_save(ctx, path, |f| set_region(f, profile)).map(|_| ()),
        Mode::InPlace => edit_in_place(ctx, path, profile),
    };
    r.is_ok()
}

struct Tally {
    lanyard_ok: Vec<String>,
    other_ok: Vec<String>,
}

fn report(race: &str, mode: Mode, path: &Path, t: &Tally, secs: f64) {
    let text = fs::read_to_string(path).unwrap_or_default();
    let has = |p: &String| text.contains(&format!("[profile {p}]\n"));
    let lost_l = t.lanyard_ok.iter().filter(|p| !has(p)).count();
    let lost_o = t.other_ok.iter().filter(|p| !has(p)).count();
    let seed_kept = text.starts_with(SEED);
    let torn =
        !lanyard_core::config::view::parse_problems(&aws_config_edit::Document::parse(&text))
            .is_empty()
            || !seed_kept;
    println!(
        "{race:<26} {:<9} lanyard {:>4} edits, {:>3} lost | other {:>4} edits, {:>3} lost | seed kept: {} | torn: {}  ({secs:.0} s)",
        format!("{mode:?}"),
        t.lanyard_ok.len(),
        lost_l,
        t.other_ok.len(),
        lost_o,
        if seed_kept { "yes" } else { "NO" },
        if torn { "YES" } else { "no" },
    );
}

fn sandbox() -> (tempfile::TempDir, Context, PathBuf) {
    let home = tempfile::tempdir().expect("home");
    let env = Env::from_pairs([
        ("HOME", home.path().to_path_buf()),
        ("AWS_CONFIG_FILE", home.path().join(".aws/config")),
    ]);
    let ctx = Context::from_env(env).expect("ctx");
    let path = lanyard_core::config::config_file_path(&ctx.env);
    fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    fs::write(&path, SEED).expect("seed");
    (home, ctx, path)
}

/// Lanyard editing in a loop beside `other` (which returns the sections it added) for `secs`.
fn race(
    name: &str,
    mode: Mode,
    secs: f64,
    other: impl FnOnce(PathBuf, Arc<AtomicBool>) -> Vec<String> + Send + 'static,
) {
    let (_home, ctx, path) = sandbox();
    let stop = Arc::new(AtomicBool::new(false));
    let o = {
        let (path, stop) = (path.clone(), stop.clone());
        std::thread::spawn(move || other(path, stop))
    };
    let start = monotonic_now();
    let mut lanyard_ok = Vec::new();
    let mut i = 0;
    while start.elapsed().as_secs_f64() < secs {
        let p = format!("l{i}");
        if lanyard_edit(&ctx, &path, mode, &p) {
            lanyard_ok.push(p);
        }
        i += 1;
    }
    stop.store(true, Ordering::SeqCst);
    let other_ok = o.join().expect("join");
    report(
        name,
        mode,
        &path,
        &Tally {
            lanyard_ok,
            other_ok,
        },
        secs,
    );
}

/// Reads, truncates, pauses (0–250 ms), writes what it read plus a section of its own; again
/// 100–400 ms later.
fn truncate_pause_write(path: PathBuf, stop: Arc<AtomicBool>) -> Vec<String> {
    let mut ok = Vec::new();
    let mut j = 0u64;
    while !stop.load(Ordering::SeqCst) {
        let text = fs::read_to_string(&path).unwrap_or_default();
        let name = format!("w{j}");
        if let Ok(mut f) = fs::File::create(&path) {
            std::thread::sleep(Duration::from_millis((j * 7919) % 251));
            let mut out = text;
            out.push_str(&format!("[profile {name}]\nregion = eu-central-1\n"));
            if f.write_all(out.as_bytes()).is_ok() {
                ok.push(name);
            }
        }
        j += 1;
        std::thread::sleep(Duration::from_millis(100 + (j * 131) % 300));
    }
    ok
}

/// `aws configure set profile.cN.region eu-west-3` in a loop.
fn aws_cli(aws: PathBuf) -> impl FnOnce(PathBuf, Arc<AtomicBool>) -> Vec<String> + Send {
    move |path, stop| {
        let home = path
            .parent()
            .and_then(Path::parent)
            .expect("home")
            .to_owned();
        let mut ok = Vec::new();
        let mut j = 0;
        while !stop.load(Ordering::SeqCst) {
            let name = format!("c{j}");
            let done = std::process::Command::new(&aws)
                .args([
                    "configure",
                    "set",
                    &format!("profile.{name}.region"),
                    "eu-west-3",
                ])
                .env_clear()
                .env("HOME", &home)
                .env("AWS_CONFIG_FILE", &path)
                .env("PATH", "/usr/bin:/bin")
                .status()
                .is_ok_and(|s| s.success());
            if done {
                ok.push(name);
            }
            j += 1;
        }
        ok
    }
}

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(15.0);
    println!("each line: one race, one write mode; edits that reported success, and how many of them the file lacks at the end");
    for mode in [Mode::Rename, Mode::InPlace] {
        race("truncate-pause-write", mode, secs, truncate_pause_write);
    }
    let aws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/.venv/bin/aws");
    if aws.exists() {
        for mode in [Mode::Rename, Mode::InPlace] {
            race("aws configure set (v1)", mode, secs, aws_cli(aws.clone()));
        }
    } else {
        println!("aws configure set: skipped ({} is missing)", aws.display());
    }
}
