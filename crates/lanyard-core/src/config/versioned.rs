//! Edits named against a version of the config file (the lowercase hex SHA-1 of its bytes, see
//! [`ConfigFile::version`]): a file no longer at the version an edit names is never written —
//! the answer is a conflict showing what changed on disk since — and a write that races another
//! program ends the same way, never as an overwrite. Also the answers such an edit gives
//! (preview, invalid, saved, conflict), each with the text of the file at the version it names.

use std::path::Path;
use std::sync::Arc;

use super::diff::unified;
use super::files::ConfigFile;
use super::validate::Finding;
use crate::config::error::{ConfigError, Result};
use crate::context::Context;

/// Lines of context around each change of a diff.
pub const CONTEXT: usize = 3;

/// What an edit of the config file did or would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not written: what saving would change.
    Preview {
        /// A unified diff of the whole file, before and after.
        diff: String,
        /// The findings about the profile(s) edited, after the edit.
        findings: Vec<Finding>,
        /// The version the diff was made against.
        version: String,
    },
    /// Not written: the edit brings in errors.
    Invalid {
        /// The findings about the profile(s) edited after the edit, and every error the edit
        /// brings in (wherever it is).
        findings: Vec<Finding>,
        /// The version the edit was checked against.
        version: String,
    },
    /// Written (atomically, the old file backed up).
    Saved {
        /// What was written, as a unified diff (empty when nothing changed).
        diff: String,
        /// The file's version now.
        version: String,
    },
    /// Not written: the file is no longer at the version the edit named.
    Conflict {
        /// What changed on disk since that version, as a unified diff; empty when that
        /// version's text is not known.
        changes: String,
        /// The file's version now.
        version: String,
    },
}

/// An [`Outcome`] and the file's text at the version it names (`None`: there is no file), so
/// that a caller can remember it and show what changed when a later edit conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// What happened.
    pub outcome: Outcome,
    /// The file's text at the outcome's version.
    pub text: Option<Arc<String>>,
}

/// The texts of versions read earlier, by version (the window remembers a few): how a
/// conflict shows what changed since the version an edit names.
pub type Known<'a> = &'a dyn Fn(&str) -> Option<Arc<String>>;

/// The unified diff of the file at `path` from `old` to `new` (`a/NAME` and `b/NAME` headers,
/// three lines of context); empty when they are equal. Secret values are hidden
/// ([`super::secrets::hide_secrets`]): a diff is for showing.
pub fn diff(path: &Path, old: &str, new: &str) -> String {
    let name = path
        .file_name()
        .map_or_else(|| "config".into(), |n| n.to_string_lossy());
    super::secrets::hide_secrets(&unified(
        old,
        new,
        &format!("a/{name}"),
        &format!("b/{name}"),
        CONTEXT,
    ))
}

/// The conflict answer when `file` (as just read) is not at `version`: what changed since, when
/// that version's text is known (the empty version is the file's absence: an empty text).
pub fn conflict(file: &ConfigFile, version: &str, known: Known<'_>) -> Option<Edited> {
    let now = file.version();
    if now == version {
        return None;
    }
    let then = if version.is_empty() {
        Some(Arc::new(String::new()))
    } else {
        known(version)
    };
    // A text that does not hash to its version is not that version's.
    let then = then.filter(|t| version.is_empty() || super::files::version_of(t) == version);
    let changes = then.map_or_else(String::new, |t| {
        diff(file.path(), &t, file.loaded_text().unwrap_or_default())
    });
    Some(Edited {
        outcome: Outcome::Conflict {
            changes,
            version: now,
        },
        text: file.loaded_shared(),
    })
}

/// Saves an edited file (validated, backed up, atomic): [`Outcome::Saved`] with what was
/// written, or [`Outcome::Conflict`] when another program changed the file after it was read
/// (nothing written; the changes are those of the file on disk now).
pub fn save(ctx: &Context, file: &mut ConfigFile) -> Result<Edited> {
    let old = file.loaded_shared();
    let old = old.as_deref().map_or("", String::as_str);
    let written = diff(file.path(), old, &file.doc.to_text());
    match file.save(ctx) {
        Ok(_) => Ok(Edited {
            outcome: Outcome::Saved {
                diff: written,
                version: file.version(),
            },
            text: file.loaded_shared(),
        }),
        Err(ConfigError::ConfigChanged { .. }) => {
            let now = ConfigFile::load(file.path())?;
            Ok(Edited {
                outcome: Outcome::Conflict {
                    changes: diff(file.path(), old, now.loaded_text().unwrap_or_default()),
                    version: now.version(),
                },
                text: now.loaded_shared(),
            })
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn ctx(home: &Path) -> Context {
        Context::from_env(Env::from_pairs([("HOME", home)])).unwrap()
    }

    #[test]
    fn a_file_at_the_named_version_is_no_conflict_and_another_shows_what_changed_since() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        let old = "[profile a]\nregion = us-east-1\n".to_owned();
        let new = "[profile a]\nregion = eu-west-1\n";
        std::fs::write(&path, new).unwrap();
        let file = ConfigFile::load(&path).unwrap();
        assert_eq!(conflict(&file, &file.version(), &|_| None), None);

        let old_version = super::super::files::version_of(&old);
        let shared = Arc::new(old.clone());
        let known = move |v: &str| (v == old_version).then(|| Arc::clone(&shared));
        let c = conflict(&file, &super::super::files::version_of(&old), &known).unwrap();
        assert_eq!(
            c.outcome,
            Outcome::Conflict {
                changes: "--- a/config\n+++ b/config\n@@ -1,2 +1,2 @@\n [profile a]\n-region = us-east-1\n+region = eu-west-1\n".into(),
                version: file.version(),
            }
        );
        assert_eq!(c.text.as_deref().map(String::as_str), Some(new));
        // A version whose text is not known: no changes to show, still a conflict.
        let unknown = conflict(&file, "0123", &known).unwrap();
        assert!(
            matches!(unknown.outcome, Outcome::Conflict { ref changes, .. } if changes.is_empty())
        );
        // The empty version names a file that did not exist: everything in it is new.
        let absent = conflict(&file, "", &|_| None).unwrap();
        assert!(
            matches!(absent.outcome, Outcome::Conflict { ref changes, .. } if changes.contains("+region = eu-west-1")),
            "{absent:?}"
        );
    }

    #[test]
    fn a_file_changed_between_read_and_write_is_a_conflict_and_is_not_overwritten() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("config");
        std::fs::write(&path, "[profile a]\nregion = us-east-1\n").unwrap();
        let mut file = ConfigFile::load(&path).unwrap();
        let i = file.doc.find_section("profile a").unwrap();
        file.doc.set_value(i, "output", "json").unwrap();
        let theirs = "[profile a]\nregion = ap-south-1\n";
        std::fs::write(&path, theirs).unwrap();
        let out = save(&ctx(home.path()), &mut file).unwrap();
        assert_eq!(
            out.outcome,
            Outcome::Conflict {
                changes: "--- a/config\n+++ b/config\n@@ -1,2 +1,2 @@\n [profile a]\n-region = us-east-1\n+region = ap-south-1\n".into(),
                version: super::super::files::version_of(theirs),
            }
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    }

    #[test]
    fn a_save_answers_the_diff_written_and_the_new_version() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("config");
        std::fs::write(&path, "[profile a]\nregion = us-east-1\n").unwrap();
        let mut file = ConfigFile::load(&path).unwrap();
        let i = file.doc.find_section("profile a").unwrap();
        file.doc.set_value(i, "region", "eu-west-1").unwrap();
        let out = save(&ctx(home.path()), &mut file).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, "[profile a]\nregion = eu-west-1\n");
        assert_eq!(
            out.outcome,
            Outcome::Saved {
                diff: "--- a/config\n+++ b/config\n@@ -1,2 +1,2 @@\n [profile a]\n-region = us-east-1\n+region = eu-west-1\n".into(),
                version: super::super::files::version_of(&written),
            }
        );
        assert_eq!(out.text.as_deref(), Some(&written));
    }
}
