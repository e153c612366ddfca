//! The line-level steps every edit is made of: inserting, removing and rewriting lines (keeping
//! the file's line breaks, and the missing one at its end), the indentation a new key needs,
//! and the guard that refuses an edit which changed how any other key or section reads.

use super::EditError;
use crate::document::{Document, Window};
use crate::text::{is_py_space, Eol};

/// The line `text` with the value after its first delimiter replaced, keeping the indentation,
/// the key as written, the spacing around the delimiter and trailing whitespace.
pub(super) fn with_value(text: &str, delimiters: &[char], value: &str) -> String {
    let Some(d) = text.find(delimiters) else {
        return text.to_owned();
    };
    let tail = &text[d + 1..];
    let lead = tail.len() - tail.trim_start_matches(is_py_space).len();
    if lead == tail.len() {
        // Empty value: write `key = value` spacing unless the line already has a space.
        if value.is_empty() {
            return text.to_owned();
        }
        let sep = if text.ends_with(is_py_space) { "" } else { " " };
        return format!("{text}{sep}{value}");
    }
    let vstart = d + 1 + lead;
    let vend = text.trim_end_matches(is_py_space).len();
    format!("{}{}{}", &text[..vstart], value, &text[vend..])
}

impl Document {
    /// Indentation for a new key line of `section`: none, unless the next section's header is
    /// indented — then the same, so that the header is not read as a continuation of the new
    /// key (an indented line after a key continues its value, blank lines in between or not).
    pub(super) fn new_key_indent(&self, section: usize) -> String {
        match self.sections.get(section + 1) {
            Some(next) => crate::text::indent_str(self.text(next.line)).to_owned(),
            None => String::new(),
        }
    }

    /// Checks that an edit changed nothing but what it was asked to: every other section and
    /// every other key reads as before (each section's name and its keys' botocore values).
    /// Only the sections the edit re-derived can differ; the caller undoes a refused edit.
    pub(super) fn guard(
        &self,
        window: &Window,
        edited_keys: Option<(usize, &[&str])>,
        removed_section: Option<usize>,
    ) -> Result<(), EditError> {
        self.guard_keys(window, edited_keys, removed_section)
    }

    /// [`Document::guard`] for an edit of several keys of one section.
    pub(super) fn guard_keys(
        &self,
        window: &Window,
        edited_keys: Option<(usize, &[&str])>,
        removed_section: Option<usize>,
    ) -> Result<(), EditError> {
        let mut want: Vec<&crate::Section> = window.old.iter().collect();
        if let Some(r) = removed_section {
            match r.checked_sub(window.first).filter(|&j| j < want.len()) {
                Some(j) => {
                    want.remove(j);
                }
                None => return Err(EditError::WouldChangeOtherLines),
            }
        }
        let got = &self.sections[window.first..window.first + window.new_count];
        if want.len() != got.len() {
            return Err(EditError::WouldChangeOtherLines);
        }
        for (j, (w, g)) in want.iter().zip(got).enumerate() {
            let skip: &[&str] = match edited_keys {
                Some((s, keys)) if s == window.first + j => keys,
                _ => &[],
            };
            let kept = |e: &&crate::Entry| !skip.contains(&e.key());
            let same_keys = w
                .entries
                .iter()
                .filter(kept)
                .map(|e| (e.key(), e.value()))
                .eq(g.entries.iter().filter(kept).map(|e| (e.key(), e.value())));
            if w.name != g.name || !same_keys {
                return Err(EditError::WouldChangeOtherLines);
            }
        }
        Ok(())
    }

    pub(super) fn section_checked(&self, section: usize) -> Result<&crate::Section, EditError> {
        self.sections
            .get(section)
            .ok_or(EditError::NoSuchSection(section))
    }

    /// Inserts lines before line index `at`. Appending after a last line that has no line
    /// break gives that line one and leaves the new last line without one, so that removing
    /// the new lines again gives back the original bytes.
    pub(super) fn insert_lines(&mut self, at: usize, texts: &[String]) -> Window {
        let nl = self.newline().eol();
        let mut start = at;
        let mut new = Vec::with_capacity(texts.len() + 1);
        let mut last_eol = nl;
        if at == self.lines.len() {
            if let Some(&last) = self.lines.last() {
                if last.eol() == Eol::None {
                    new.push(last.with_eol(nl));
                    start = at - 1;
                    last_eol = Eol::None;
                }
            }
        }
        let count = texts.len();
        for (i, text) in texts.iter().enumerate() {
            let eol = if i + 1 == count { last_eol } else { nl };
            let line = self.new_line(text, eol);
            new.push(line);
        }
        self.replace_lines(start, at, new)
    }

    /// Removes line indices `start..end`; a removed last line without a line break passes that
    /// property to the new last line.
    pub(super) fn remove_lines(&mut self, start: usize, end: usize) -> Option<Window> {
        if start >= end {
            return None;
        }
        if end == self.lines.len() && self.lines[end - 1].eol() == Eol::None && start > 0 {
            let before = self.lines[start - 1].with_eol(Eol::None);
            return Some(self.replace_lines(start - 1, end, vec![before]));
        }
        Some(self.replace_lines(start, end, Vec::new()))
    }

    /// Replaces the text of line index `line` and removes the lines after it up to `end`; the
    /// line keeps its line break, unless the removed lines ended the file without one.
    pub(super) fn rewrite_line(&mut self, line: usize, text: &str, end: usize) -> Window {
        let mut eol = self.lines[line].eol();
        if end > line + 1 && end == self.lines.len() && self.lines[end - 1].eol() == Eol::None {
            eol = Eol::None;
        }
        let new = self.new_line(text, eol);
        self.replace_lines(line, end, vec![new])
    }
}
