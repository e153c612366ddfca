//! Profile switching (issue 11): the chosen profile becomes what every tool uses when no
//! `--profile` / `AWS_PROFILE` is given, by mirroring its keys into the default section botocore
//! actually reads (`[default]`, or `[profile default]` when that comes later), marked with
//! `lanyard_mirrors = NAME`. The first switch keeps the person's own default, line for line, in
//! `[profile lanyard-saved-default]` (first key `lanyard_saved_header`: the header it had, or
//! `none`); restoring puts those lines back and removes what Lanyard added, so the file is again
//! byte for byte what it was. Keys named `lanyard_*` are never mirrored — except a secure-mode
//! profile's SSO details (`lanyard_sso_session`, `lanyard_account_id`, `lanyard_role_name`),
//! which go with its `credential_process` so the default is in the secure form too; every other
//! line of the file is left alone.

use aws_config_edit::Document;

pub use super::mirror::Changes;
use super::view::ConfigView;

/// The section that keeps the person's own default.
pub const SAVED_PROFILE: &str = "lanyard-saved-default";
/// The key in the default section naming the profile it mirrors.
pub const MIRRORS_KEY: &str = "lanyard_mirrors";
/// The first key of the saved section: the default's header (`default`, `profile default`) or
/// `none` when there was no default.
pub const SAVED_HEADER_KEY: &str = "lanyard_saved_header";
/// Present (`true`) in the saved section when the file had no final line break.
pub const SAVED_NO_EOL_KEY: &str = "lanyard_saved_no_final_newline";

/// Why a switch or restore cannot be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SwitchError {
    /// No such profile.
    #[error("no profile named {0:?} in the config")]
    NoSuchProfile(String),
    /// A profile that cannot be chosen.
    #[error("{0:?} cannot be chosen as the default: {1}")]
    NotChoosable(String, &'static str),
    /// Nothing to restore.
    #[error("there is nothing to restore: Lanyard has not changed the default profile")]
    NothingSaved,
    /// The person changed the mirrored default since Lanyard wrote it.
    #[error("[default] was changed since Lanyard made it mirror profile {profile}, so nothing was written:\n{diff}Run again with --keep-changes to carry the change over to the new default, or with --discard-changes to drop it (the file as it is now stays in Lanyard's backups).")]
    DefaultEdited {
        /// The profile it mirrored.
        profile: String,
        /// The change, as a unified diff.
        diff: String,
    },
    /// The saved section is not what Lanyard wrote.
    #[error("[profile {SAVED_PROFILE}] was edited by hand ({0}); restore the default by hand and remove that section")]
    SavedDamaged(&'static str),
}

/// What to make the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice<'a> {
    /// Mirror this profile.
    Profile(&'a str),
    /// Put the person's own default back.
    Restore,
}

/// Applies a choice to a document botocore reads, refusing when the mirrored default was
/// changed (see [`apply_with`]).
pub fn apply(doc: &mut Document, choice: Choice) -> crate::config::error::Result<()> {
    apply_with(doc, choice, Changes::Refuse, None).map(|_| ())
}

/// Applies a choice; a change made to the mirrored default since Lanyard wrote it
/// (`remembered`, see [`super::mirror`]) is refused, kept or discarded as `changes` says.
/// Returns what to remember of the new default (the mirror as Lanyard wrote it, without kept
/// changes, so that they are asked about again at the next switch).
pub fn apply_with(
    doc: &mut Document,
    choice: Choice,
    changes: Changes,
    remembered: Option<&(String, String)>,
) -> crate::config::error::Result<Option<(String, String)>> {
    let (text, edited) = {
        let view = super::view::read(doc).map_err(|p| {
            crate::config::error::ConfigError::ConfigEdit(format!(
                "the config cannot be read: {}",
                p.first().map(|p| p.message.clone()).unwrap_or_default()
            ))
        })?;
        let edited = super::mirror::edited(doc, &view, remembered);
        if let (Some(e), Changes::Refuse) = (&edited, changes) {
            return Err(SwitchError::DefaultEdited {
                profile: e.profile.clone(),
                diff: e.diff(),
            }
            .into());
        }
        let text = match choice {
            Choice::Profile(name) => use_profile(doc, &view, name)?,
            Choice::Restore => restore(doc, &view)?,
        };
        (text, edited)
    };
    *doc = Document::parse_string(text);
    let mirror = super::view::read(doc)
        .ok()
        .and_then(|v| super::mirror::mirrored_body(doc, &v));
    if let (Some(e), Changes::Keep) = (&edited, changes) {
        super::mirror::keep(doc, e)?;
    }
    Ok(mirror)
}

/// How many recently chosen profiles are remembered (for the tray's Profiles submenu).
pub const RECENT_KEPT: usize = 10;

fn recent_file(dirs: &crate::dirs::Dirs) -> std::path::PathBuf {
    dirs.data_dir().join("recent-profiles.json")
}

/// The profiles chosen most recently, newest first (an unreadable list is an empty one).
pub fn recent(dirs: &crate::dirs::Dirs) -> Vec<String> {
    std::fs::read(recent_file(dirs))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Remembers that `name` was just chosen.
pub fn remember(dirs: &crate::dirs::Dirs, name: &str) -> crate::config::error::Result<()> {
    let _lock = crate::guard::FileLock::acquire(&dirs.locks_dir(), &recent_file(dirs))?;
    let mut list = recent(dirs);
    list.retain(|n| n != name);
    list.insert(0, name.to_owned());
    list.truncate(RECENT_KEPT);
    let bytes = serde_json::to_vec(&list).unwrap_or_default();
    Ok(crate::fsio::write_private(&recent_file(dirs), &bytes)?)
}

/// The profiles a short menu offers: the recently chosen ones that still exist, newest first,
/// then the others by name, at most `limit`; and whether more exist than fit.
pub fn menu_profiles(view: &ConfigView, recent: &[String], limit: usize) -> (Vec<String>, bool) {
    let choosable = |n: &str| n != "default" && n != SAVED_PROFILE;
    let mut out: Vec<String> = recent
        .iter()
        .filter(|n| choosable(n) && view.profiles.contains_key(n.as_str()))
        .cloned()
        .collect();
    let mut rest: Vec<&str> = view
        .profiles
        .keys()
        .map(|k| &**k)
        .filter(|n| choosable(n) && !out.iter().any(|o| o == n))
        .collect();
    rest.sort_unstable();
    let total = out.len() + rest.len();
    out.extend(rest.into_iter().map(str::to_owned));
    out.truncate(limit);
    (out, total > limit)
}

/// Whether the person's own default is kept (so "Restore my default" has something to do).
pub fn has_saved(view: &ConfigView) -> bool {
    view.profiles.contains_key(SAVED_PROFILE)
}

/// Applies a choice to the config file in `ctx` (validated, conflict-checked, backed up,
/// atomic) and remembers a chosen profile. Returns whether the file changed. A change made to
/// the mirrored default is refused (see [`switch_file_with`]).
pub fn switch_file(ctx: &crate::Context, choice: Choice) -> crate::config::error::Result<bool> {
    switch_file_with(ctx, choice, Changes::Refuse)
}

/// [`switch_file`], with what to do about changes made to the mirrored default.
pub fn switch_file_with(
    ctx: &crate::Context,
    choice: Choice,
    changes: Changes,
) -> crate::config::error::Result<bool> {
    let path = super::config_file_path(&ctx.env);
    let remembered = super::mirror::remembered(&ctx.dirs, &path);
    let (mirror, written) = super::files::edit_and_save(ctx, &path, |file| {
        file.validate()?;
        apply_with(&mut file.doc, choice, changes, remembered.as_ref())
    })?;
    super::mirror::remember(&ctx.dirs, &path, mirror);
    remember_choice(&ctx.dirs, choice);
    Ok(written)
}

/// What was changed in the mirrored default of `file` (read as `view`) since Lanyard wrote it,
/// as a unified diff (secret values hidden); `None` when nothing was (or it mirrors nothing).
pub fn default_changes(
    dirs: &crate::dirs::Dirs,
    file: &super::ConfigFile,
    view: &ConfigView,
) -> Option<String> {
    let remembered = super::mirror::remembered(dirs, file.path());
    super::mirror::edited(&file.doc, view, remembered.as_ref()).map(|e| e.diff())
}

/// After a choice was written: a chosen profile goes first in the recent list (the tray's
/// Profiles submenu); a failure to remember is logged, never an error.
pub fn remember_choice(dirs: &crate::dirs::Dirs, choice: Choice) {
    if let Choice::Profile(name) = choice {
        if let Err(e) = remember(dirs, name) {
            tracing::warn!(error = %e, "cannot remember the chosen profile");
        }
    }
}

/// The profile the default section mirrors, if Lanyard switched it.
pub fn active(view: &ConfigView) -> Option<String> {
    view.profiles
        .get("default")
        .and_then(|d| d.get(MIRRORS_KEY))
        .map(str::to_owned)
}

/// The file's lines, each with its line break.
fn lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_owned).collect()
}

/// The line break the file uses.
fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// `text` with the default section mirroring profile `name`.
pub fn use_profile(doc: &Document, view: &ConfigView, name: &str) -> Result<String, SwitchError> {
    if name == "default" {
        return Err(SwitchError::NotChoosable(
            name.to_owned(),
            "it is the default already (use --restore to go back to your own)",
        ));
    }
    if name == SAVED_PROFILE {
        return Err(SwitchError::NotChoosable(
            name.to_owned(),
            "it keeps your own default (use --restore)",
        ));
    }
    let chosen = view
        .profiles
        .get(name)
        .ok_or_else(|| SwitchError::NoSuchProfile(name.to_owned()))?;
    let text = doc.to_text();
    let nl = eol(&text);
    let mut out = lines(&text);
    // The chosen profile's own keys, as written (continuation lines included), lanyard_* aside
    // (but a secure profile's SSO details, which Lanyard itself reads for the default).
    let section = &doc.sections()[chosen.index];
    let mut body = vec![format!("{MIRRORS_KEY} = {name}{nl}")];
    for e in section.entries() {
        if e.key().starts_with("lanyard_") && !super::sso_form::SECURE_KEYS.contains(&e.key()) {
            continue;
        }
        for l in e.line()..=e.last_line() {
            let mut line = out[l - 1].clone();
            if !line.ends_with('\n') {
                line.push_str(nl);
            }
            body.push(line);
        }
    }
    let default = view.profiles.get("default").map(|d| d.index);
    let saved = view.profiles.get(SAVED_PROFILE).is_some();
    match (default, saved) {
        (Some(i), true) => {
            // Switching again: only the default's keys change.
            let s = &doc.sections()[i];
            let content_last = s.entries().last().map_or(s.line(), |e| e.last_line());
            let tail_had_eol = out[content_last - 1].ends_with('\n');
            out.splice(s.line()..content_last, body);
            fix_final_eol(
                &mut out,
                content_last == text_line_count(&text) && !tail_had_eol,
            );
        }
        (Some(i), false) => {
            let s = &doc.sections()[i];
            let had_final_eol = text.ends_with('\n');
            // Keep the whole original body (up to the next header), verbatim.
            let mut saved_lines = vec![
                format!("[profile {SAVED_PROFILE}]{nl}"),
                format!("{SAVED_HEADER_KEY} = {}{nl}", s.name()),
            ];
            if !had_final_eol {
                saved_lines.push(format!("{SAVED_NO_EOL_KEY} = true{nl}"));
            }
            for line in &out[s.line()..s.last_line()] {
                let mut line = line.clone();
                if !line.ends_with('\n') {
                    line.push_str(nl);
                }
                saved_lines.push(line);
            }
            let content_last = s.entries().last().map_or(s.line(), |e| e.last_line());
            out.splice(s.line()..content_last, body);
            if let Some(last) = out.last_mut() {
                if !last.ends_with('\n') {
                    last.push_str(nl);
                }
            }
            out.extend(saved_lines);
        }
        (None, _) => {
            let had_final_eol = text.is_empty() || text.ends_with('\n');
            if let Some(last) = out.last_mut() {
                if !last.ends_with('\n') {
                    last.push_str(nl);
                }
            }
            out.push(format!("[default]{nl}"));
            out.extend(body);
            if !saved {
                out.push(format!("[profile {SAVED_PROFILE}]{nl}"));
                out.push(format!("{SAVED_HEADER_KEY} = none{nl}"));
                if !had_final_eol {
                    out.push(format!("{SAVED_NO_EOL_KEY} = true{nl}"));
                }
            }
        }
    }
    Ok(out.concat())
}

fn text_line_count(text: &str) -> usize {
    lines(text).len()
}

/// Keeps a file that had no final line break without one.
fn fix_final_eol(out: &mut [String], strip: bool) {
    if strip {
        if let Some(last) = out.last_mut() {
            while last.ends_with('\n') || last.ends_with('\r') {
                last.pop();
            }
        }
    }
}

/// `text` with the person's own default back, as it was before the first switch.
pub fn restore(doc: &Document, view: &ConfigView) -> Result<String, SwitchError> {
    let saved = view
        .profiles
        .get(SAVED_PROFILE)
        .ok_or(SwitchError::NothingSaved)?;
    let saved_section = &doc.sections()[saved.index];
    let first = saved_section
        .entries()
        .first()
        .filter(|e| e.key() == SAVED_HEADER_KEY)
        .ok_or(SwitchError::SavedDamaged(
            "its first key is not lanyard_saved_header",
        ))?;
    let header = first.value().to_owned();
    let text = doc.to_text();
    let mut out = lines(&text);
    let no_eol = saved_section
        .entries()
        .get(1)
        .filter(|e| e.key() == SAVED_NO_EOL_KEY);
    let body_from = no_eol.map_or(first.last_line(), |e| e.last_line()) + 1;
    let saved_body: Vec<String> = out[body_from - 1..saved_section.last_line()].to_vec();
    // Remove the saved section (it is after the default: Lanyard appended it).
    let saved_range = (saved_section.line() - 1)..saved_section.last_line();
    let default = view.profiles.get("default").map(|d| d.index);
    let default_range = default.map(|i| {
        let s = &doc.sections()[i];
        (s.line(), s.last_line())
    });
    out.drain(saved_range.clone());
    match (header.as_str(), default_range) {
        ("none", Some((line, last))) if last <= saved_range.start => {
            out.drain(line - 1..last);
        }
        ("none", _) => {}
        (_, Some((line, last))) if last <= saved_range.start => {
            out.splice(line..last, saved_body);
        }
        _ => {
            return Err(SwitchError::SavedDamaged(
                "the default section is not before it",
            ))
        }
    }
    let mut result = out.concat();
    if no_eol.is_some() {
        while result.ends_with('\n') || result.ends_with('\r') {
            result.pop();
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(
        text: &str,
        f: impl Fn(&Document, &ConfigView) -> Result<String, SwitchError>,
    ) -> Result<String, SwitchError> {
        let doc = Document::parse(text);
        let view = crate::config::view::read(&doc).expect("valid");
        f(&doc, &view)
    }

    fn switch(text: &str, name: &str) -> String {
        apply(text, |d, v| use_profile(d, v, name)).expect("switch")
    }

    fn restored(text: &str) -> String {
        apply(text, restore).expect("restore")
    }

    fn reads(text: &str, profile: &str, key: &str) -> Option<String> {
        let doc = Document::parse(text);
        let view = crate::config::view::read(&doc).expect("valid");
        view.profiles
            .get(profile)
            .and_then(|p| p.get(key))
            .map(str::to_owned)
    }

    const BOTH: &str = "\
# my config
[default]
# my own default
region = eu-west-1
output = json

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
region = us-east-1
lanyard_generated = corp
s3 =
    max_concurrent_requests = 20

[profile prod]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://d-1.awsapps.com/start
sso_region = us-east-1
";

    #[test]
    fn switching_mirrors_the_keys_and_restore_gives_back_every_byte() {
        let one = switch(BOTH, "dev");
        assert_eq!(
            reads(&one, "default", "sso_account_id").as_deref(),
            Some("111111111111")
        );
        assert_eq!(reads(&one, "default", MIRRORS_KEY).as_deref(), Some("dev"));
        assert_eq!(
            reads(&one, "default", "lanyard_generated"),
            None,
            "lanyard_* not mirrored"
        );
        assert_eq!(
            reads(&one, "default", "output"),
            None,
            "the own default's keys are gone"
        );
        assert_eq!(
            one.matches("s3 =\n    max_concurrent_requests = 20\n")
                .count(),
            2,
            "nested blocks are mirrored with their lines"
        );
        assert_eq!(
            reads(&one, SAVED_PROFILE, "region").as_deref(),
            Some("eu-west-1")
        );
        assert!(one.starts_with("# my config\n[default]\nlanyard_mirrors = dev\n"));
        // Switching again changes only the default's keys; the saved default stays.
        let two = switch(&one, "prod");
        assert_eq!(
            reads(&two, "default", "sso_account_id").as_deref(),
            Some("222222222222")
        );
        assert_eq!(reads(&two, "default", "region"), None);
        assert_eq!(restored(&two), BOTH);
        assert_eq!(restored(&one), BOTH);
    }

    #[test]
    fn the_later_profile_default_is_the_one_mirrored_as_botocore_reads_it() {
        let text =
            "[default]\nregion = a\n[profile dev]\nregion = b\n[profile default]\noutput = text\n";
        let one = switch(text, "dev");
        assert!(
            one.starts_with("[default]\nregion = a\n"),
            "the ignored one is untouched"
        );
        assert_eq!(reads(&one, "default", "region").as_deref(), Some("b"));
        assert_eq!(
            reads(&one, SAVED_PROFILE, SAVED_HEADER_KEY).as_deref(),
            Some("profile default")
        );
        assert_eq!(restored(&one), text);
    }

    #[test]
    fn with_no_default_one_is_added_and_restore_removes_it() {
        for text in [
            "[profile dev]\nregion = b\n",
            "[profile dev]\nregion = b",
            "[profile dev]\r\nregion = b\r\n",
        ] {
            let one = switch(text, "dev");
            assert_eq!(reads(&one, "default", "region").as_deref(), Some("b"));
            assert_eq!(restored(&one), text, "{text:?}");
        }
    }

    #[test]
    fn a_file_without_a_final_line_break_comes_back_without_one() {
        let text = "[profile dev]\nregion = b\n[default]\nregion = a";
        let one = switch(text, "dev");
        assert_eq!(restored(&one), text);
        let two = switch(&one, "dev");
        assert_eq!(restored(&two), text);
    }

    #[test]
    fn refusals_are_clear() {
        let e = |text: &str, name: &str| {
            apply(text, |d, v| use_profile(d, v, name))
                .expect_err("refused")
                .to_string()
        };
        assert!(e(BOTH, "nope").contains("no profile named \"nope\""));
        assert!(e(BOTH, "default").contains("--restore"));
        assert_eq!(
            apply(BOTH, restore).expect_err("refused"),
            SwitchError::NothingSaved
        );
    }

    #[test]
    fn the_menu_offers_recent_profiles_first_then_the_rest_by_name() {
        let text =
            "[profile b]\n[profile a]\n[default]\n[profile c]\n[profile lanyard-saved-default]\n";
        let doc = Document::parse(text);
        let view = crate::config::view::read(&doc).expect("valid");
        let recent = vec!["c".to_owned(), "gone".to_owned()];
        assert_eq!(
            menu_profiles(&view, &recent, 10),
            (vec!["c".to_owned(), "a".to_owned(), "b".to_owned()], false)
        );
        assert_eq!(
            menu_profiles(&view, &recent, 2),
            (vec!["c".to_owned(), "a".to_owned()], true)
        );
    }

    #[test]
    fn remembering_keeps_the_newest_first_without_repeats() {
        let home = tempfile::tempdir().expect("home");
        let dirs =
            crate::dirs::Dirs::from_env(&crate::env::Env::from_pairs([("HOME", home.path())]))
                .expect("dirs");
        dirs.ensure().expect("ensure");
        for n in ["a", "b", "a"] {
            remember(&dirs, n).expect("remember");
        }
        assert_eq!(recent(&dirs), vec!["a".to_owned(), "b".to_owned()]);
    }
}
