//! The guard's promises, each against a real file and real concurrent writers.

use super::*;
use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn fast() -> Timing {
    Timing {
        settle: Duration::from_millis(60),
        suspect: Duration::from_millis(250),
        max_wait: Duration::from_millis(1500),
        watch: Duration::from_millis(10),
        active_within: Duration::from_secs(1),
    }
}

fn setup(text: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config");
    fs::write(&path, text).expect("seed");
    // An old file: another program wrote it long ago.
    let old = crate::clock::file_time_now() - Duration::from_secs(3600);
    File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(old))
        .expect("age");
    let locks = dir.path().join("locks");
    (dir, path, locks)
}

#[test]
fn one_lock_holder_at_a_time_per_file_across_handles() {
    let (_d, path, locks) = setup("x");
    let inside = Arc::new(AtomicUsize::new(0));
    let max_inside = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let (path, locks) = (path.clone(), locks.clone());
            let (inside, max_inside) = (inside.clone(), max_inside.clone());
            std::thread::spawn(move || {
                let _l = FileLock::acquire(&locks, &path).expect("lock");
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                max_inside.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                inside.fetch_sub(1, Ordering::SeqCst);
            })
        })
        .collect();
    for t in threads {
        t.join().expect("join");
    }
    assert_eq!(max_inside.load(Ordering::SeqCst), 1);
    // The same file named through a relative-free other spelling shares the lock file.
    let other = path.parent().expect("dir").join(".").join("config");
    let a = FileLock::acquire(&locks, &path).expect("lock");
    let a_path = a.path().to_owned();
    drop(a);
    assert_eq!(
        FileLock::acquire(&locks, &other).expect("lock").path(),
        a_path
    );
}

#[test]
fn a_quiet_file_is_read_at_once() {
    let (_d, path, locks) = setup("[default]\nregion = x\n");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    let t0 = crate::clock::monotonic_now();
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    assert!(t0.elapsed() < Duration::from_millis(50));
    assert_eq!(snap.bytes.as_deref(), Some(&b"[default]\nregion = x\n"[..]));
    assert!(!snap.others_active);
}

#[test]
fn an_empty_moment_of_a_truncate_then_write_writer_is_never_taken_for_the_file() {
    let (_d, path, locks) = setup("[default]\nregion = x\n");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    // Lanyard knows the good length from a first read.
    read_stable(&lock, &path, &fast()).expect("read");
    // Another program truncates, pauses longer than `settle`, then writes.
    fs::File::create(&path).expect("truncate");
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            fs::write(&path, "[default]\nregion = y\n").expect("write");
        })
    };
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    writer.join().expect("join");
    assert_eq!(snap.bytes.as_deref(), Some(&b"[default]\nregion = y\n"[..]));
    assert!(snap.others_active);
}

#[test]
fn a_file_that_never_stops_changing_is_refused_after_the_bound() {
    let (_d, path, locks) = setup("a");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (path, stop) = (path.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                fs::write(&path, format!("[default]\nn = {i}\n")).expect("write");
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    std::thread::sleep(Duration::from_millis(30));
    let err = read_stable(&lock, &path, &fast()).expect_err("busy");
    stop.store(true, Ordering::SeqCst);
    writer.join().expect("join");
    assert_eq!(err.code(), "file_busy");
    assert!(err.to_string().contains("config"), "{err}");
}

#[test]
fn lanyards_own_last_write_is_trusted_without_waiting() {
    let (_d, path, locks) = setup("[default]\n");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    let r = replace(&lock, &path, &snap, b"[default]\nregion = a\n", &mut |_| {
        Ok(())
    })
    .expect("replace");
    assert!(matches!(r, Replaced::Done { .. }));
    assert!(still_ours(&lock, &path));
    // Just written, so modified now: still read at once, because Lanyard wrote it.
    let t0 = crate::clock::monotonic_now();
    let again = read_stable(&lock, &path, &TIMING).expect("read");
    assert!(t0.elapsed() < Duration::from_millis(100));
    assert_eq!(
        again.bytes.as_deref(),
        Some(&b"[default]\nregion = a\n"[..])
    );
}

#[test]
fn a_change_between_read_and_replace_writes_nothing() {
    let (_d, path, locks) = setup("[default]\n");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    fs::write(&path, "[default]\nregion = theirs\n").expect("theirs");
    let r = replace(
        &lock,
        &path,
        &snap,
        b"[default]\nregion = ours\n",
        &mut |_| Ok(()),
    )
    .expect("replace");
    assert!(matches!(r, Replaced::Changed));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[default]\nregion = theirs\n"
    );
}

#[test]
fn an_in_place_write_into_the_replaced_version_is_handed_back_not_orphaned() {
    let (_d, path, locks) = setup("[default]\nregion = a\n");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    // The AWS CLI truncates and writes the old file in place just after Lanyard's check.
    let theirs = b"[default]\nregion = a\noutput = json\n";
    let r = replace(&lock, &path, &snap, b"[default]\nregion = b\n", &mut |s| {
        if s == Stage::BeforeRename {
            fs::write(&path, theirs)?;
        }
        Ok(())
    })
    .expect("replace");
    match r {
        Replaced::Orphaned(b) => assert_eq!(b, theirs),
        other => panic!("expected the orphaned write, got {other:?}"),
    }
}

#[test]
fn temp_files_of_a_killed_writer_are_cleaned_by_the_next_write() {
    let (d, path, locks) = setup("[default]\n");
    let stale = d.path().join(".config.lanyard-999999-0.tmp");
    fs::write(&stale, "half").expect("stale");
    let unrelated = d.path().join(".credentials.lanyard-999999-0.tmp");
    fs::write(&unrelated, "other file's").expect("other");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    replace(&lock, &path, &snap, b"[default]\nregion = a\n", &mut |_| {
        Ok(())
    })
    .expect("replace");
    assert!(!stale.exists());
    assert!(
        unrelated.exists(),
        "only this file's temps are its writer's to clean"
    );
}

#[cfg(unix)]
#[test]
fn mode_and_group_are_kept_and_refusals_name_the_file_or_folder() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (d, path, locks) = setup("[default]\n");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    let lock = FileLock::acquire(&locks, &path).expect("lock");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    replace(&lock, &path, &snap, b"[default]\nregion = a\n", &mut |_| {
        Ok(())
    })
    .expect("replace");
    let m = fs::metadata(&path).expect("stat");
    assert_eq!(m.mode() & 0o7777, 0o640);

    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    let err = replace(&lock, &path, &snap, b"x", &mut |_| Ok(())).expect_err("read-only");
    assert_eq!(err.code(), "read_only_file");
    assert!(err.to_string().contains(&*path.to_string_lossy()));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");

    let link = d.path().join("config-link");
    fs::hard_link(&path, &link).expect("link");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    let err = replace(&lock, &path, &snap, b"x", &mut |_| Ok(())).expect_err("hard link");
    assert_eq!(err.code(), "hard_link");
    fs::remove_file(&link).expect("unlink");

    fs::set_permissions(d.path(), fs::Permissions::from_mode(0o555)).expect("chmod dir");
    let snap = read_stable(&lock, &path, &fast()).expect("read");
    let err = replace(&lock, &path, &snap, b"x", &mut |_| Ok(())).expect_err("ro folder");
    fs::set_permissions(d.path(), fs::Permissions::from_mode(0o755)).expect("chmod dir");
    assert_eq!(err.code(), "read_only_folder");
    assert!(err.to_string().contains(&*d.path().to_string_lossy()));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[default]\nregion = a\n"
    );
}
