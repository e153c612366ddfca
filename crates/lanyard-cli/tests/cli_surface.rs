//! The `lanyard` command surface as a person meets it: help, version, completions, exit codes,
//! and the private folders it creates on first run.

use std::path::Path;
use std::process::{Command, Output};

fn lanyard(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("run lanyard")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The command list of DESIGN.md ("The CLI").
const COMMANDS: &[&str] = &[
    "login",
    "logout",
    "status",
    "token",
    "doctor",
    "configure",
    "profiles",
    "accounts",
    "populate",
    "credentials",
    "export",
    "whoami",
    "console",
    "config",
    "completions",
];

fn listed_commands(help: &str) -> Vec<String> {
    // clap prints "Commands:" followed by "  name  description" lines up to a blank line.
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn help_lists_every_command_of_the_design() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = lanyard(home.path(), &["--help"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = listed_commands(&stdout(&out));
    for cmd in COMMANDS {
        assert!(
            listed.iter().any(|l| l == cmd),
            "`lanyard --help` does not list `{cmd}`; it lists {listed:?}"
        );
    }
}

#[test]
fn subcommand_help_lists_every_subcommand() {
    let home = tempfile::tempdir().expect("tempdir");
    for (group, subs) in [
        (
            "profiles",
            &[
                "list", "show", "set", "unset", "remove", "rename", "use", "migrate",
            ][..],
        ),
        ("config", &["show", "check", "restore"][..]),
        ("configure", &["sso-session", "sso"][..]),
        ("accounts", &["list"][..]),
    ] {
        let out = lanyard(home.path(), &[group, "--help"]);
        assert!(out.status.success(), "{group}: {}", stderr(&out));
        let listed = listed_commands(&stdout(&out));
        for sub in subs {
            assert!(
                listed.iter().any(|l| l == sub),
                "`lanyard {group} --help` misses `{sub}`: {listed:?}"
            );
        }
    }
}

#[test]
fn version_prints_the_crate_version() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = lanyard(home.path(), &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        format!("lanyard {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_failing_command_exits_1_saying_why_on_stderr_only() {
    let home = tempfile::tempdir().expect("tempdir");
    // No terminal and no --sso-session: the wizard cannot ask.
    let out = lanyard(home.path(), &["configure", "sso"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains("missing --sso-session"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).is_empty(),
        "stdout must stay clean: {:?}",
        stdout(&out)
    );
}

#[test]
fn a_usage_error_exits_2() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = lanyard(home.path(), &["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
    let out = lanyard(home.path(), &["token"]); // --sso-session is required
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--sso-session"), "{}", stderr(&out));
}

#[test]
fn bash_completion_script_is_accepted_by_bash() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = lanyard(home.path(), &["completions", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let script = home.path().join("lanyard.bash");
    std::fs::write(&script, &out.stdout).expect("write script");
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("run bash -n");
    assert!(
        check.status.success(),
        "bash -n rejected the script: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // And sourcing it registers the completion function for `lanyard`.
    let probe = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p lanyard",
            script.display()
        ))
        .output()
        .expect("run bash");
    assert!(
        String::from_utf8_lossy(&probe.stdout).contains("lanyard"),
        "{}",
        String::from_utf8_lossy(&probe.stderr)
    );
}

#[test]
fn completions_exist_for_zsh_fish_and_powershell() {
    let home = tempfile::tempdir().expect("tempdir");
    for (shell, marker) in [
        ("zsh", "#compdef lanyard"),
        ("fish", "complete -c lanyard"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = lanyard(home.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(
            stdout(&out).contains(marker),
            "{shell} script lacks {marker}"
        );
    }
}

#[cfg(unix)]
#[test]
fn first_run_creates_private_folders_and_a_log_file_at_the_first_line_logged() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().expect("tempdir");
    let _ = lanyard(home.path(), &["doctor"]);
    // Nothing logged, no log file (issue 21: the hot path opens none).
    let data = home.path().join(".local/share/lanyard");
    assert_eq!(
        std::fs::read_dir(data.join("logs")).map_or(0, |d| d.count()),
        0,
        "a log file was opened with nothing to log"
    );
    let logged = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .args(["profiles", "set", "dev", "region=us-east-1"])
        .env_clear()
        .env("HOME", home.path())
        .env("LANYARD_LOG", "debug")
        .output()
        .expect("run lanyard");
    assert!(logged.status.success(), "{logged:?}");
    let config = home.path().join(".config/lanyard");
    let data = home.path().join(".local/share/lanyard");
    for dir in [&config, &data, &data.join("logs"), &data.join("backups")] {
        let mode = std::fs::metadata(dir)
            .unwrap_or_else(|e| panic!("{} missing: {e}", dir.display()))
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700, "{} is {mode:o}", dir.display());
    }
    let logs: Vec<_> = std::fs::read_dir(data.join("logs"))
        .expect("logs dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        logs.iter()
            .any(|n| n.starts_with("cli") && n.ends_with(".log")),
        "no cli log file in {logs:?}"
    );
}
