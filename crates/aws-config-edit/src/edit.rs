//! Edits: set and remove keys and sub-keys, add, remove and rename sections. Each edit touches
//! only the lines it must; new lines follow the AWS CLI writer's style (`key = value`, a new key
//! right after the section's last key line, sub-keys indented like their block or by four
//! spaces, the file's own line breaks, a new section appended with no blank line before it).
mod check;
mod lines;
mod section;

use crate::document::{lowercase, Document};
use crate::text::indent_str;
use check::{check_key, check_value};
use lines::with_value;

/// Why an edit was refused. The document is unchanged when an edit fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// The section index is out of range.
    #[error("there is no section number {0}")]
    NoSuchSection(usize),
    /// A key, sub-key, value or section name contains a line break.
    #[error(
        "the {what} {text:?} contains a line break (CR or LF), which the file format cannot hold"
    )]
    LineBreak {
        /// "key", "value", ...
        what: &'static str,
        /// The offending text.
        text: String,
    },
    /// A key or sub-key the AWS CLI would read as something else.
    #[error("{0:?} cannot be written as a key: {1}")]
    InvalidKey(String, &'static str),
    /// A value the AWS CLI would read differently than given.
    #[error("the value {0:?} cannot be written as given: {1}")]
    InvalidValue(String, &'static str),
    /// A section name that would not read back as itself.
    #[error("[{0}] cannot be written as a section header: {1}")]
    InvalidSectionName(String, &'static str),
    /// The edit would change how other lines read (such as an indented header that would
    /// become part of a value); it was undone.
    #[error("this edit would change how other lines of the file are read, so it was not made")]
    WouldChangeOtherLines,
    /// A sub-key was set under a key that holds a plain (non-empty) value.
    #[error("{0} holds a plain value, not a nested block of sub-keys")]
    NotANestedBlock(String),
}

impl Document {
    /// Sets `key = value` in a section: an existing key (matched as botocore names keys,
    /// case-insensitively) keeps its line, spelling and spacing and gets the new value (its
    /// continuation lines or nested block are removed); a new key is written as `key = value`
    /// right after the section's last key line.
    pub fn set_value(&mut self, section: usize, key: &str, value: &str) -> Result<(), EditError> {
        check_key(key, false)?;
        check_value(value)?;
        self.transaction(|doc| {
            let s = doc.section_checked(section)?;
            let lower = lowercase(key);
            let window = match s.entries.iter().find(|e| e.key() == lower) {
                Some(e) => {
                    let (line, end) = (e.line, e.end());
                    let text = with_value(doc.text(line), &['=', ':'], value);
                    doc.rewrite_line(line, &text, end)
                }
                None => {
                    let at = s.content_end;
                    let indent = doc.new_key_indent(section);
                    doc.insert_lines(at, &[format!("{indent}{key} = {value}")])
                }
            };
            doc.guard(&window, Some((section, &[&*lower])), None)
        })
    }

    /// Replaces the key `old_key` with `new_key = value` on the same line, keeping the line's
    /// indentation (its continuation lines or nested block are removed), so the new key stands
    /// where the old one stood; any other line of `new_key` in the section is removed. Returns
    /// whether `old_key` was there; without it, nothing changes.
    pub fn replace_key(
        &mut self,
        section: usize,
        old_key: &str,
        new_key: &str,
        value: &str,
    ) -> Result<bool, EditError> {
        check_key(new_key, false)?;
        check_value(value)?;
        let old_lower = lowercase(old_key);
        let new_lower = lowercase(new_key);
        let mut found = false;
        self.transaction(|doc| {
            let s = doc.section_checked(section)?;
            let Some(e) = s.entries.iter().find(|e| e.key() == old_lower) else {
                return Ok(());
            };
            found = true;
            let (line, end) = (e.line, e.end());
            let others: Vec<(usize, usize)> = s
                .entries
                .iter()
                .filter(|e| e.key() == new_lower && e.line != line)
                .map(|e| (e.line, e.end()))
                .collect();
            let text = format!("{}{new_key} = {value}", indent_str(doc.text(line)));
            // Bottom-up, so that the earlier line indices stay valid.
            let mut spans: Vec<(usize, usize, bool)> = others
                .into_iter()
                .map(|(a, b)| (a, b, false))
                .chain([(line, end, true)])
                .collect();
            spans.sort_by_key(|&(a, _, _)| std::cmp::Reverse(a));
            for (a, b, is_old) in spans {
                let window = if is_old {
                    Some(doc.rewrite_line(a, &text, b))
                } else {
                    doc.remove_lines(a, b)
                };
                if let Some(window) = window {
                    doc.guard_keys(&window, Some((section, &[&*old_lower, &*new_lower])), None)?;
                }
            }
            Ok(())
        })?;
        Ok(found)
    }

    /// Sets `sub_key = value` inside the nested block `key` (such as `s3`). An existing
    /// sub-key gets the new value in place; a new one goes after the block's last line with the
    /// block's indentation (four spaces deeper than the key for a new block). A missing block
    /// is created as `key =` after the section's last key line.
    pub fn set_sub_value(
        &mut self,
        section: usize,
        key: &str,
        sub_key: &str,
        value: &str,
    ) -> Result<(), EditError> {
        check_key(key, false)?;
        check_key(sub_key, true)?;
        check_value(value)?;
        self.transaction(|doc| {
            let s = doc.section_checked(section)?;
            let lower = lowercase(key);
            let Some(e) = s.entries.iter().find(|e| e.key() == lower) else {
                let at = s.content_end;
                let indent = doc.new_key_indent(section);
                let window = doc.insert_lines(
                    at,
                    &[
                        format!("{indent}{key} ="),
                        format!("{indent}    {sub_key} = {value}"),
                    ],
                );
                return doc.guard(&window, Some((section, &[&*lower])), None);
            };
            let window = if e.is_nested() {
                let subs = doc.sub_entries(e);
                if let Some(sub) = subs.iter().rev().find(|s| s.key() == Some(sub_key)) {
                    let text = with_value(doc.text(sub.line), &['='], value);
                    doc.rewrite_line(sub.line, &text, sub.line + 1)
                } else {
                    let last = *e.continuations().last().unwrap_or(&e.line);
                    let indent = indent_str(doc.text(last)).to_owned();
                    let at = e.end();
                    doc.insert_lines(at, &[format!("{indent}{sub_key} = {value}")])
                }
            } else if e.value().is_empty() {
                let indent = format!("{}    ", indent_str(doc.text(e.line)));
                let at = e.line + 1;
                doc.insert_lines(at, &[format!("{indent}{sub_key} = {value}")])
            } else {
                return Err(EditError::NotANestedBlock(e.key().to_owned()));
            };
            doc.guard(&window, Some((section, &[&*lower])), None)
        })
    }

    /// Renames a key in place: its line keeps its indentation, the spacing around the
    /// delimiter, its value and any continuation lines; only the key's text changes, so that
    /// renaming it back gives the original bytes. Returns whether the key was there; refused
    /// when the section already has the new key.
    pub fn rename_key(&mut self, section: usize, old: &str, new: &str) -> Result<bool, EditError> {
        check_key(new, false)?;
        self.transaction(|doc| {
            let s = doc.section_checked(section)?;
            let (old_lower, new_lower) = (lowercase(old), lowercase(new));
            if old_lower != new_lower && s.entries.iter().any(|e| e.key() == new_lower) {
                return Err(EditError::InvalidKey(
                    new.to_owned(),
                    "the section already has that key",
                ));
            }
            let Some((line, raw)) = s
                .entries
                .iter()
                .find(|e| e.key() == old_lower)
                .map(|e| (e.line, e.raw_key().to_owned()))
            else {
                return Ok(false);
            };
            let text = doc.text(line);
            let indent = indent_str(text);
            let Some(after) = text[indent.len()..].strip_prefix(raw.as_str()) else {
                return Err(EditError::WouldChangeOtherLines);
            };
            let renamed = format!("{indent}{new}{after}");
            let window = doc.rewrite_line(line, &renamed, line + 1);
            doc.guard(&window, Some((section, &[&*old_lower, &*new_lower])), None)?;
            Ok(true)
        })
    }

    /// Removes every line of a key (its key line and its continuation lines or nested block).
    /// Returns whether the key was there.
    pub fn remove_key(&mut self, section: usize, key: &str) -> Result<bool, EditError> {
        let s = self.section_checked(section)?;
        let lower = lowercase(key);
        let spans: Vec<(usize, usize)> = s
            .entries
            .iter()
            .filter(|e| e.key() == lower)
            .map(|e| (e.line, e.end()))
            .collect();
        for &(start, end) in spans.iter().rev() {
            self.remove_lines(start, end);
        }
        Ok(!spans.is_empty())
    }

    /// Removes `sub_key` from the nested block `key`; a block left with no sub-key line is
    /// removed with its `key =` line. Returns whether the sub-key was there.
    pub fn remove_sub_key(
        &mut self,
        section: usize,
        key: &str,
        sub_key: &str,
    ) -> Result<bool, EditError> {
        let s = self.section_checked(section)?;
        let lower = lowercase(key);
        let Some(e) = s.entries.iter().find(|e| e.key() == lower && e.is_nested()) else {
            return Ok(false);
        };
        let subs = self.sub_entries(e);
        let matching: Vec<usize> = subs
            .iter()
            .filter(|s| s.key() == Some(sub_key))
            .map(|s| s.line)
            .collect();
        if matching.is_empty() {
            return Ok(false);
        }
        let (key_line, entry_end) = (e.line, e.end());
        if matching.len() == subs.len() {
            self.remove_lines(key_line, entry_end);
        } else {
            for &l in matching.iter().rev() {
                self.remove_lines(l, l + 1);
            }
        }
        Ok(true)
    }
}
