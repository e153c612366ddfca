//! `lanyard config show|check|restore`, and the load → edit → save loop every config-writing
//! command shares (with a reload-and-retry when another program wrote the file meanwhile).

use std::process::ExitCode;

use anyhow::Context as _;
use aws_config_edit::Document;
use lanyard_core::config::error::ConfigError;
use lanyard_core::config::{self, backups, files, ConfigFile, Finding, Severity};
use lanyard_core::Context;

use crate::cli::ConfigCommand;

/// Loads the config file, applies `edit`, validates the result, saves. When another program
/// changed the file since it was read, reloads and re-applies (`files::edit_and_save`).
/// Returns `edit`'s result and whether anything was written.
///
/// The edited document is validated in full before it is saved: a file botocore would refuse
/// is never written (the save refuses it), and the other findings the edit brought (those the
/// file did not have before it) are printed on stderr as warnings — findings that were there
/// already do not hold up an unrelated edit.
pub(crate) fn edit_config<T, E>(
    ctx: &Context,
    mut edit: impl FnMut(&mut Document) -> Result<T, E>,
) -> anyhow::Result<(T, bool)>
where
    E: From<ConfigError> + std::error::Error + Send + Sync + 'static,
{
    let path = config::config_file_path(&ctx.env);
    let ((out, before, after), written) =
        files::edit_and_save_any(ctx, &path, |file| -> Result<_, E> {
            // A file botocore already refuses is reported as it is on disk (its own line
            // numbers); the save itself would refuse it too.
            let before = file.validate()?;
            let out = edit(&mut file.doc)?;
            let after = file.check().findings;
            Ok((out, before, after))
        })?;
    warn_new_findings(&before, &after);
    Ok((out, written))
}

/// Prints, on stderr, the findings of `after` that `before` did not have: as warnings, since
/// the edit went ahead (`warning: file:line: severity (code) [section] key: message`).
pub(crate) fn warn_new_findings(before: &[Finding], after: &[Finding]) {
    for f in config::new_findings(before, after) {
        eprintln!("warning: {}", finding_line(f));
    }
}

/// One finding as `config check` prints it: `file:line: severity (code) [section] key: message`.
fn finding_line(f: &Finding) -> String {
    let sev = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = match (&f.section, &f.key) {
        (Some(s), Some(k)) => format!(" [{s}] {k}:"),
        (Some(s), None) => format!(" [{s}]:"),
        _ => String::new(),
    };
    format!(
        "{}:{}: {sev} ({}){place} {}",
        f.file,
        f.line.map_or(String::new(), |l| l.to_string()),
        f.code,
        f.message
    )
}

/// Prints machine-readable output on stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Runs `lanyard config ...`.
pub(crate) fn run(ctx: &Context, cmd: ConfigCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCommand::Show { json } => show(ctx, json),
        ConfigCommand::Check(j) => check(ctx, j.json),
        ConfigCommand::Restore {
            n,
            credentials,
            list,
            last_good,
        } => {
            let path = if credentials {
                config::credentials_file_path(&ctx.env)
            } else {
                config::config_file_path(&ctx.env)
            };
            if list {
                return list_backups(ctx, &path);
            }
            let which = if last_good {
                backups::Which::LastGood
            } else {
                backups::Which::Nth(n.unwrap_or(1))
            };
            restore(ctx, &path, which)
        }
    }
}

fn show(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    let file = ConfigFile::load_config(&ctx.env)?;
    let view = file.view()?;
    if json {
        out(&serde_json::to_string_pretty(&view.to_botocore_json())?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let groups = [
        ("profile", &view.profiles),
        ("sso-session", &view.sso_sessions),
        ("services", &view.services),
    ];
    for (label, group) in groups {
        for (name, s) in group {
            println!("[{label} {name}]  (line {})", s.line);
            print_settings(s);
        }
    }
    for (name, s) in &view.other {
        println!("[{name}]  (line {})", s.line);
        print_settings(s);
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a section's keys as botocore reads them, one per line.
pub(crate) fn print_settings(s: &config::SectionView<'_>) {
    for (k, setting) in s.settings.iter() {
        match &setting.value {
            config::Value::Str(v) => println!("  {k} = {}", v.replace('\n', "\n    ")),
            config::Value::Nested(m) => {
                println!("  {k} =");
                for (sk, sv) in m {
                    println!("      {sk} = {sv}");
                }
            }
        }
    }
}

fn check(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    let path = config::config_file_path(&ctx.env);
    let findings = match ConfigFile::load(&path) {
        Ok(f) => {
            let mut all = config::validate(&f.doc, f.path());
            // A mirrored [default] that no longer matches its profile, key by key (issue 20).
            if let Ok(view) = f.view() {
                all.extend(config::follow::divergence(&view, f.path()));
                all.sort_by_key(|f| f.line.unwrap_or(0));
            }
            all
        }
        Err(ConfigError::ConfigRefused { line, message, .. }) => vec![Finding {
            code: "invalid_utf8",
            severity: Severity::Error,
            file: path.display().to_string(),
            line: Some(line),
            section: None,
            key: None,
            message,
        }],
        Err(e) => return Err(e.into()),
    };
    if json {
        out(&serde_json::to_string_pretty(
            &[("findings", findings.as_slice())]
                .into_iter()
                .collect::<std::collections::BTreeMap<&str, &[Finding]>>(),
        )?)?;
    } else if findings.is_empty() {
        eprintln!("{}: no problems found", path.display());
    } else {
        for f in &findings {
            println!("{}", finding_line(f));
        }
    }
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if errors {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn list_backups(ctx: &Context, path: &std::path::Path) -> anyhow::Result<ExitCode> {
    let all = backups::list(&ctx.dirs.backups_dir(), path)?;
    if all.is_empty() {
        eprintln!("{}: no backups yet", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    println!("Versions of {} that can be restored:", path.display());
    for b in &all {
        let when = b.when.map_or_else(
            || "unknown time".to_owned(),
            lanyard_core::credentials::iso_utc,
        );
        let which =
            b.n.map_or_else(|| "--last-good".to_owned(), |n| format!("{n:>11}"));
        println!(
            "  {which}  {when}  {:>9} bytes  {}",
            b.size,
            b.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn restore(
    ctx: &Context,
    path: &std::path::Path,
    which: backups::Which,
) -> anyhow::Result<ExitCode> {
    let mut file = ConfigFile::load(path)?;
    let before = config::validate(&file.doc, file.path());
    let used = backups::restore_which(ctx, &mut file, which)
        .with_context(|| format!("cannot restore {}", file.path().display()))?;
    warn_new_findings(&before, &config::validate(&file.doc, file.path()));
    eprintln!(
        "restored {} from {} (the version it replaced is backed up too)",
        file.path().display(),
        used.display()
    );
    Ok(ExitCode::SUCCESS)
}
