//! The config file on disk: locations from the environment, atomic saves that keep or set the
//! mode, backups and restore, refusal to overwrite another program's change, refusal to write a
//! file botocore would refuse — and crash safety shown against a real risk (fault injection
//! and SIGKILL mid-write), next to a plain truncate-and-write that does tear.

mod common;
use common::ctx;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use lanyard_core::config::edit::{set_profile_keys, KeyPath};
use lanyard_core::config::files::{self, write_atomic, WriteStage};
use lanyard_core::config::{config_file_path, credentials_file_path, expand_path, ConfigFile};
use lanyard_core::Env;

#[test]
fn locations_expand_vars_and_tilde_like_botocore() {
    let env = Env::from_pairs([
        ("HOME", "/home/ana"),
        ("X", "cfg"),
        ("AWS_CONFIG_FILE", "~/$X/${X}.ini"),
    ]);
    assert_eq!(
        config_file_path(&env),
        PathBuf::from("/home/ana/cfg/cfg.ini")
    );
    assert_eq!(
        credentials_file_path(&env),
        PathBuf::from("/home/ana/.aws/credentials")
    );
    assert_eq!(expand_path("$UNSET/a", &env), PathBuf::from("$UNSET/a"));
    assert_eq!(expand_path("~other/a", &env), PathBuf::from("~other/a"));
    assert_eq!(
        config_file_path(&Env::from_pairs([("HOME", "/h/")])),
        PathBuf::from("/h/.aws/config")
    );
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).expect("stat").permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn new_file_is_0600_and_existing_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().expect("tmp");
    let ctx = ctx(home.path());
    let path = config_file_path(&ctx.env);
    let mut f = ConfigFile::load(&path).expect("load");
    assert!(!f.existed());
    set_profile_keys(
        &mut f.doc,
        "dev",
        &[(KeyPath::parse("region"), "us-east-1".into())],
    )
    .expect("set");
    assert!(f.save(&ctx).expect("save"));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[profile dev]\nregion = us-east-1\n"
    );
    assert_eq!(mode(&path), 0o600);

    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    let mut f = ConfigFile::load(&path).expect("load");
    set_profile_keys(
        &mut f.doc,
        "dev",
        &[(KeyPath::parse("output"), "json".into())],
    )
    .expect("set");
    f.save(&ctx).expect("save");
    assert_eq!(mode(&path), 0o640);
    // No temp file is left behind.
    let left: Vec<_> = fs::read_dir(path.parent().expect("dir"))
        .expect("ls")
        .collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn a_save_refuses_when_another_program_changed_the_file() {
    let home = tempfile::tempdir().expect("tmp");
    let ctx = ctx(home.path());
    let path = config_file_path(&ctx.env);
    fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    fs::write(&path, "[default]\nregion = us-east-1\n").expect("write");
    let mut f = ConfigFile::load(&path).expect("load");
    fs::write(&path, "[default]\nregion = eu-west-1\n# theirs\n").expect("their write");
    set_profile_keys(
        &mut f.doc,
        "dev",
        &[(KeyPath::parse("region"), "x-y-1".into())],
    )
    .expect("set");
    let err = f.save(&ctx).expect_err("conflict");
    assert_eq!(err.code(), "config_changed");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[default]\nregion = eu-west-1\n# theirs\n"
    );
    // The caller reloads, re-applies and retries: both changes survive.
    let mut f = ConfigFile::load(&path).expect("reload");
    set_profile_keys(
        &mut f.doc,
        "dev",
        &[(KeyPath::parse("region"), "x-y-1".into())],
    )
    .expect("set");
    f.save(&ctx).expect("save");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[default]\nregion = eu-west-1\n# theirs\n[profile dev]\nregion = x-y-1\n"
    );
}

#[test]
fn a_save_never_writes_a_file_botocore_refuses() {
    let home = tempfile::tempdir().expect("tmp");
    let ctx = ctx(home.path());
    let path = config_file_path(&ctx.env);
    fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    let original = "[profile dup]\nregion = a\n[profile other]\n[profile dup]\n";
    fs::write(&path, original).expect("write");
    let mut f = ConfigFile::load(&path).expect("load");
    assert_eq!(f.view().expect_err("refused").code(), "config_refused");
    f.doc.set_value(1, "region", "b").expect("edit");
    let err = f.save(&ctx).expect_err("refused");
    assert!(err.to_string().contains("line 5"), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), original);
}

#[test]
fn a_check_vouches_only_for_the_document_version_it_checked() {
    let home = tempfile::tempdir().expect("tmp");
    let ctx = ctx(home.path());
    let path = config_file_path(&ctx.env);
    fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    let original = "[profile a]\nregion = us-east-1\n";
    fs::write(&path, original).expect("write");
    let mut f = ConfigFile::load(&path).expect("load");
    assert!(f.check().problems.is_empty());
    // Edited after the check: the save checks again and refuses the duplicate section.
    f.doc.add_section("profile a").expect("add");
    let err = f.save(&ctx).expect_err("refused");
    assert!(err.to_string().contains("line 3"), "{err}");
    // A clone is another document: the check of the original does not cover it.
    let mut f = ConfigFile::load(&path).expect("load");
    assert!(f.check().problems.is_empty());
    let mut bad = f.doc.clone();
    bad.add_section("profile a").expect("add");
    f.doc = bad;
    assert!(f.save(&ctx).is_err());
    assert_eq!(fs::read_to_string(&path).expect("read"), original);
    // Checked as edited: saved.
    let mut f = ConfigFile::load(&path).expect("load");
    f.doc.set_value(0, "region", "eu-west-1").expect("edit");
    assert!(f.check().findings.is_empty());
    assert!(f.save(&ctx).expect("save"));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[profile a]\nregion = eu-west-1\n"
    );
}

#[cfg(unix)]
#[test]
fn each_save_backs_up_the_previous_version_keeping_ten_and_restore_puts_it_back() {
    let home = tempfile::tempdir().expect("tmp");
    let ctx = ctx(home.path());
    let path = config_file_path(&ctx.env);
    for i in 0..13 {
        let mut f = ConfigFile::load(&path).expect("load");
        set_profile_keys(&mut f.doc, "p", &[(KeyPath::parse("n"), i.to_string())]).expect("set");
        f.save(&ctx).expect("save");
    }
    let backups = files::list_backups(&ctx.dirs.backups_dir(), &path).expect("list");
    assert_eq!(backups.len(), 10);
    for b in &backups {
        assert_eq!(mode(b), 0o600);
        let name = b.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with("config-20260101T080000.000Z-"), "{name}");
    }
    // The most recent backup is the version before the last save.
    assert_eq!(
        fs::read_to_string(&backups[0]).expect("read"),
        "[profile p]\nn = 11\n"
    );
    let mut f = ConfigFile::load(&path).expect("load");
    files::restore(&ctx, &mut f, 1).expect("restore");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[profile p]\nn = 11\n"
    );
    let mut f = ConfigFile::load(&path).expect("load");
    files::restore(&ctx, &mut f, 4).expect("restore 4");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "[profile p]\nn = 9\n"
    );
    let mut f = ConfigFile::load(&path).expect("load");
    assert_eq!(
        files::restore(&ctx, &mut f, 11).expect_err("none").code(),
        "no_backup"
    );
}

/// The unsafe way (what the AWS CLI does for its caches): truncate in place, then write.
fn write_in_place(
    path: &Path,
    bytes: &[u8],
    fault: &mut dyn FnMut(WriteStage) -> io::Result<()>,
) -> io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(&bytes[..bytes.len() / 2])?;
    fault(WriteStage::HalfWritten)?;
    f.write_all(&bytes[bytes.len() / 2..])?;
    fault(WriteStage::BeforeRename)
}

fn big_config(tag: &str) -> Vec<u8> {
    let mut s = String::new();
    for i in 0..60_000 {
        s.push_str(&format!("[profile {tag}-{i}]\nregion = us-east-1\n"));
    }
    s.into_bytes()
}

#[test]
fn a_fault_between_write_and_rename_leaves_the_old_file_but_truncate_and_write_tears_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("config");
    let (old, new) = (big_config("old"), big_config("new"));
    for stage in [WriteStage::HalfWritten, WriteStage::BeforeRename] {
        fs::write(&path, &old).expect("old");
        let mut fault = |s: WriteStage| {
            if s == stage {
                Err(io::Error::other("crash"))
            } else {
                Ok(())
            }
        };
        assert!(write_atomic(&path, &new, &mut fault).is_err());
        assert!(
            fs::read(&path).expect("read") == old,
            "atomic write tore the file at {stage:?}"
        );
        assert_eq!(
            fs::read_dir(dir.path()).expect("ls").count(),
            1,
            "temp file left"
        );
    }
    // The same fault, half-way through a plain truncate-and-write, tears the file.
    fs::write(&path, &old).expect("old");
    let mut fault = |s: WriteStage| {
        if s == WriteStage::HalfWritten {
            Err(io::Error::other("crash"))
        } else {
            Ok(())
        }
    };
    assert!(write_in_place(&path, &new, &mut fault).is_err());
    let after = fs::read(&path).expect("read");
    assert!(
        after != old && after != new,
        "truncate-and-write should have torn the file"
    );
    write_atomic(&path, &new, &mut |_| Ok(())).expect("write");
    assert!(fs::read(&path).expect("read") == new);
}

const CHILD_ENV: &str = "LANYARD_CRASH_CHILD";

/// Run as a child process by the SIGKILL test: writes two multi-megabyte versions of the file
/// in turn, forever, until killed. As a normal test it does nothing.
#[test]
fn crash_child_writer() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (how, path) = spec.split_once(':').expect("how:path");
    let path = PathBuf::from(path);
    let versions = [big_config("a"), big_config("b")];
    for i in 0.. {
        let bytes = &versions[i % 2];
        let r = match how {
            "atomic" => write_atomic(&path, bytes, &mut |_| Ok(())),
            _ => write_in_place(&path, bytes, &mut |_| Ok(())),
        };
        r.expect("write");
    }
}

/// Kills a writer with SIGKILL at varied moments, 200 times; counts how often the file is
/// neither version.
fn torn_after_kills(how: &str) -> usize {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("config");
    let versions = [big_config("a"), big_config("b")];
    fs::write(&path, &versions[0]).expect("seed");
    let exe = std::env::current_exe().expect("exe");
    let mut torn = 0;
    for i in 0..200u64 {
        let mut child = std::process::Command::new(&exe)
            .args([
                "--exact",
                "crash_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, format!("{how}:{}", path.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_micros(
            5_000 + (i * 7919) % 40_000,
        ));
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");
        let now = fs::read(&path).expect("read");
        if now != versions[0] && now != versions[1] {
            torn += 1;
            fs::write(&path, &versions[0]).expect("reseed");
        }
    }
    torn
}

#[cfg(unix)]
#[test]
fn sigkill_mid_write_200_times_never_tears_an_atomic_save_but_tears_a_plain_write() {
    assert_eq!(
        torn_after_kills("atomic"),
        0,
        "an atomic save left a torn file"
    );
    assert!(
        torn_after_kills("plain") > 0,
        "the test cannot see tearing: it proves nothing"
    );
}
