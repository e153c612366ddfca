//! The profile editor's logic: one profile as the editor opens it (its section's text as
//! written, its keys as botocore reads them, its findings, the file's version), and a change —
//! create, duplicate, update, delete — made on the lossless document (every other byte of the
//! file kept), checked for new errors, then previewed as a diff or saved against the version the
//! editor read (see [`super::versioned`]).

use std::path::Path;

use aws_config_edit::Document;

use super::edit::{check_profile_name, find, header_for, remove_profile, rename_profile, Kind};
use super::files::ConfigFile;
use super::secrets::{hide_secrets, is_secret_key, HIDDEN};
use super::validate::{new_findings, Finding, Severity, Validation};
use super::versioned::{self, Edited, Known, Outcome};
use super::view::{classify, SectionKind};
use crate::config::error::{ConfigError, Result};
use crate::context::Context;

/// One profile as the editor opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// The profile.
    pub name: String,
    /// The text of its section(s) as written, in file order: header, keys and the comments
    /// between them (see [`Document::section_text`]).
    pub text: String,
    /// The 1-based line of its (first) header.
    pub line: usize,
    /// Its plain keys (botocore's lower-cased names) with their values, in file order, each
    /// once: a repeated key keeps its first place and takes its last value. From the section
    /// botocore reads when several map to the name (`[default]` and `[profile default]`).
    pub keys: Vec<(String, String)>,
    /// Its keys that hold a nested block (`s3 =` and its indented lines).
    pub nested: Vec<String>,
    /// The validation findings about it.
    pub findings: Vec<Finding>,
    /// The file's version (see [`ConfigFile::version`]).
    pub version: String,
}

/// A change to the profiles of the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new `[profile NAME]` with these keys, appended.
    Create {
        /// Its name.
        name: String,
        /// Its keys, in order.
        keys: Vec<(String, String)>,
    },
    /// A copy of `name`'s section (comments and nested blocks included) as `new_name`,
    /// appended.
    Duplicate {
        /// The profile copied.
        name: String,
        /// The copy's name.
        new_name: String,
    },
    /// Sets the profile's plain keys to exactly `keys`: a changed value replaced in its own
    /// line, a key not given removed, a new one added after the last key; comments and nested
    /// blocks kept. Renamed (headers rewritten in place) when `new_name` differs.
    Update {
        /// The profile edited.
        name: String,
        /// Its name after the edit.
        new_name: String,
        /// Its plain keys after the edit.
        keys: Vec<(String, String)>,
    },
    /// Removes every section botocore maps to the name.
    Delete {
        /// The profile.
        name: String,
    },
}

impl Change {
    /// The profiles the change leaves edited (whose findings the editor shows).
    fn edited(&self) -> Vec<&str> {
        match self {
            Change::Create { name, .. } => vec![name.trim()],
            Change::Duplicate { new_name, .. } | Change::Update { new_name, .. } => {
                vec![new_name.trim()]
            }
            Change::Delete { .. } => Vec::new(),
        }
    }
}

/// The findings of `findings` about profile `name` (by the section they name).
fn about<'f>(findings: &'f [Finding], names: &[&str]) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| {
            f.section.as_deref().is_some_and(|s| match classify(s) {
                SectionKind::Profile(n) => names.contains(&&*n),
                _ => false,
            })
        })
        .collect()
}

/// The profile `name` as the editor opens it.
pub fn detail(file: &ConfigFile, name: &str) -> Result<Detail> {
    let doc = &file.doc;
    let all = super::edit::sections_for(doc, Kind::Profile, name);
    let (Some(&first), Some(&read)) = (all.first(), all.last()) else {
        return Err(ConfigError::ProfileNotFound(name.to_owned()));
    };
    // Secret values (static credentials) never leave here: the window sees them hidden.
    let text: String = hide_secrets(
        &all.iter()
            .filter_map(|&i| doc.section_text(i))
            .collect::<String>(),
    );
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut nested: Vec<String> = Vec::new();
    for e in doc.sections()[read].entries() {
        let key = e.key();
        if e.is_nested() {
            if !nested.iter().any(|k| k == key) {
                nested.push(key.to_owned());
            }
        } else {
            let value = if is_secret_key(key) {
                HIDDEN
            } else {
                e.value()
            };
            if let Some(kv) = keys.iter_mut().find(|(k, _)| k == key) {
                kv.1 = value.to_owned();
            } else {
                keys.push((key.to_owned(), value.to_owned()));
            }
        }
    }
    let validation = Validation::of(doc, file.path());
    Ok(Detail {
        name: name.to_owned(),
        text,
        line: doc.sections()[first].line(),
        keys,
        nested,
        findings: about(&validation.findings, &[name])
            .into_iter()
            .cloned()
            .collect(),
        version: file.version(),
    })
}

fn edit_err(e: aws_config_edit::EditError) -> ConfigError {
    ConfigError::ConfigEdit(e.to_string())
}

/// Keys as given, trimmed (botocore strips keys and values); a key given twice (as botocore
/// names keys, case-insensitively) or empty is refused.
fn clean_keys(keys: &[(String, String)]) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(keys.len());
    for (k, v) in keys {
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() {
            // Not the value itself: it may be a secret.
            return Err(ConfigError::ConfigEdit("a value has no key name".into()));
        }
        if out
            .iter()
            .any(|(o, _)| o.to_lowercase() == k.to_lowercase())
        {
            return Err(ConfigError::ConfigEdit(format!(
                "the key {k} is given twice"
            )));
        }
        out.push((k.to_owned(), v.to_owned()));
    }
    Ok(out)
}

/// A secret key given with the hidden placeholder where the file has no value to keep.
fn hidden_without_value(key: &str) -> ConfigError {
    ConfigError::ConfigEdit(format!("{key} has no value to keep: enter its value"))
}

/// Puts a profile in its session's storage form after an edit (see
/// [`super::sso_form::conform_profile`]); nothing changes for other profiles.
fn conform(doc: &mut Document, name: &str) -> Result<()> {
    super::sso_form::conform_profile(doc, name, &crate::env::lanyard_executable())?;
    Ok(())
}

/// Makes `change` on the document; on failure the document is as it was.
pub fn apply(doc: &mut Document, change: &Change) -> Result<()> {
    match change {
        Change::Create { name, keys } => {
            let name = name.trim();
            check_profile_name(name)?;
            if find(doc, Kind::Profile, name).is_some() {
                return Err(ConfigError::ProfileExists(name.to_owned()));
            }
            let keys = clean_keys(keys)?;
            if let Some((k, _)) = keys.iter().find(|(k, v)| is_secret_key(k) && v == HIDDEN) {
                return Err(hidden_without_value(k));
            }
            let header = header_for(Kind::Profile, name)?;
            doc.transaction(|doc| {
                let i = doc.add_section(&header).map_err(edit_err)?;
                for (k, v) in &keys {
                    doc.set_value(i, k, v).map_err(edit_err)?;
                }
                conform(doc, name)
            })
        }
        Change::Duplicate { name, new_name } => {
            let new_name = new_name.trim();
            let i = find(doc, Kind::Profile, name)
                .ok_or_else(|| ConfigError::ProfileNotFound(name.clone()))?;
            check_profile_name(new_name)?;
            if find(doc, Kind::Profile, new_name).is_some() {
                return Err(ConfigError::ProfileExists(new_name.to_owned()));
            }
            let header = header_for(Kind::Profile, new_name)?;
            doc.transaction(|doc| {
                doc.append_section_copy(i, &header).map_err(edit_err)?;
                conform(doc, new_name)
            })
        }
        Change::Update {
            name,
            new_name,
            keys,
        } => update(doc, name, new_name.trim(), keys),
        Change::Delete { name } => remove_profile(doc, name),
    }
}

fn update(doc: &mut Document, name: &str, new_name: &str, keys: &[(String, String)]) -> Result<()> {
    let i =
        find(doc, Kind::Profile, name).ok_or_else(|| ConfigError::ProfileNotFound(name.into()))?;
    if new_name != name {
        check_profile_name(new_name)?;
        if find(doc, Kind::Profile, new_name).is_some() {
            return Err(ConfigError::ProfileExists(new_name.to_owned()));
        }
    }
    let keys = clean_keys(keys)?;
    let wanted: Vec<String> = keys.iter().map(|(k, _)| k.to_lowercase()).collect();
    doc.transaction(|doc| {
        let entries = doc.sections()[i].entries();
        if let Some(k) = entries
            .iter()
            .find(|e| e.is_nested() && wanted.iter().any(|w| w == e.key()))
        {
            return Err(ConfigError::ConfigEdit(format!(
                "{} holds a nested block, which is kept as it is: edit it in the file",
                k.key()
            )));
        }
        let mut gone: Vec<String> = entries
            .iter()
            .filter(|e| !e.is_nested() && !wanted.iter().any(|w| w == e.key()))
            .map(|e| e.key().to_owned())
            .collect();
        gone.dedup();
        for k in &gone {
            doc.remove_key(i, k).map_err(edit_err)?;
        }
        for ((k, v), lower) in keys.iter().zip(&wanted) {
            let lines: Vec<String> = doc.sections()[i]
                .entries()
                .iter()
                .filter(|e| e.key() == lower)
                .map(|e| e.value().to_owned())
                .collect();
            if is_secret_key(k) && v == HIDDEN {
                // The hidden value given back: the file keeps its own.
                if lines.is_empty() {
                    return Err(hidden_without_value(k));
                }
                continue;
            }
            match lines.as_slice() {
                // Botocore reads the last of a repeated key (the file is refused meanwhile):
                // the one line left holds the value.
                [.., last] if lines.len() > 1 => {
                    if last != v {
                        doc.replace_key(i, k, k, v).map_err(edit_err)?;
                    }
                }
                [one] if one == v => {}
                _ => doc.set_value(i, k, v).map_err(edit_err)?,
            }
        }
        if new_name == name {
            conform(doc, name)
        } else {
            rename_profile(doc, name, new_name)
        }
    })
}

/// Previews (`save` false) or saves `change` to the config file at `path`, made against the
/// file at `version`: [`Outcome::Conflict`] when the file is no longer at that version (its
/// changes since, when `known` has that version's text), [`Outcome::Invalid`] when the change
/// brings in an error finding, else the diff ([`Outcome::Preview`]) or the write
/// ([`Outcome::Saved`], or a conflict when another program wrote the file meanwhile). Nothing
/// is written but a save.
pub fn edit(
    ctx: &Context,
    path: &Path,
    change: &Change,
    version: &str,
    save: bool,
    known: Known<'_>,
) -> Result<Edited> {
    let mut file = ConfigFile::load(path)?;
    if let Some(conflict) = versioned::conflict(&file, version, known) {
        return Ok(conflict);
    }
    let before = Validation::of(&file.doc, file.path()).findings;
    apply(&mut file.doc, change)?;
    // A [default] mirroring the profile follows it in the same save (and preview).
    let followed = super::follow::in_file(&ctx.dirs, &mut file)?;
    let after = file.check().findings;
    let mut findings: Vec<Finding> = about(&after, &change.edited())
        .into_iter()
        .cloned()
        .collect();
    let errors: Vec<&Finding> = new_findings(&before, &after)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let version = file.version();
    if !errors.is_empty() {
        for f in errors {
            if !findings.contains(f) {
                findings.push(f.clone());
            }
        }
        findings.sort_by_key(|f| f.line.unwrap_or(0));
        return Ok(Edited {
            outcome: Outcome::Invalid { findings, version },
            text: file.loaded_shared(),
        });
    }
    if save {
        return super::follow::save(ctx, &mut file, followed);
    }
    let diff = versioned::diff(
        file.path(),
        file.loaded_text().unwrap_or_default(),
        &file.doc.to_text(),
    );
    Ok(Edited {
        outcome: Outcome::Preview {
            diff,
            findings,
            version,
        },
        text: file.loaded_shared(),
    })
}

#[cfg(test)]
mod tests;
