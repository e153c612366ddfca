//! Edits: set and remove keys and sub-keys, add, remove and rename sections. Each edit touches
//! only the lines it must; new lines follow the AWS CLI writer's style (`key = value`, a new key
//! right after the section's last key line, sub-keys indented like their block or by four
//! spaces, the file's own line breaks, a new section appended with no blank line before it).

use crate::document::{header_name, lowercase, Document, Line, LineKind, Window};
use crate::text::{indent_str, is_py_space, py_strip, Eol};

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

fn check_no_line_break(what: &'static str, text: &str) -> Result<(), EditError> {
    if text.contains(['\r', '\n']) {
        return Err(EditError::LineBreak {
            what,
            text: text.to_owned(),
        });
    }
    Ok(())
}

fn check_key(key: &str, sub: bool) -> Result<(), EditError> {
    check_no_line_break(if sub { "sub-key" } else { "key" }, key)?;
    let bad = |why| Err(EditError::InvalidKey(key.to_owned(), why));
    if key.is_empty() {
        return bad("it is empty");
    }
    if key.starts_with(is_py_space) || key.ends_with(is_py_space) {
        return bad("it starts or ends with whitespace");
    }
    if key.starts_with(['#', ';']) {
        return bad("a line starting with # or ; is a comment");
    }
    if !sub && key.starts_with('[') {
        return bad("a line starting with [ is a section header");
    }
    if key.contains('=') || (!sub && key.contains(':')) {
        return bad("it contains the delimiter = or :");
    }
    Ok(())
}

fn check_value(value: &str) -> Result<(), EditError> {
    check_no_line_break("value", value)?;
    if value.starts_with(is_py_space) || value.ends_with(is_py_space) {
        return Err(EditError::InvalidValue(
            value.to_owned(),
            "leading or trailing whitespace is stripped by the AWS CLI",
        ));
    }
    Ok(())
}

fn check_section_name(name: &str) -> Result<(), EditError> {
    check_no_line_break("section name", name)?;
    let line = format!("[{name}]");
    if header_name(py_strip(&line)) != Some(name) {
        return Err(EditError::InvalidSectionName(
            name.to_owned(),
            "it would not read back as the same name",
        ));
    }
    Ok(())
}

/// The line `text` with the value after its first delimiter replaced, keeping the indentation,
/// the key as written, the spacing around the delimiter and trailing whitespace.
fn with_value(text: &str, delimiters: &[char], value: &str) -> String {
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
    fn new_key_indent(&self, section: usize) -> String {
        match self.sections.get(section + 1) {
            Some(next) => crate::text::indent_str(self.text(next.line)).to_owned(),
            None => String::new(),
        }
    }

    /// Checks that an edit changed nothing but what it was asked to: every other section and
    /// every other key reads as before (each section's name and its keys' botocore values).
    /// Only the sections the edit re-derived can differ; the caller undoes a refused edit.
    fn guard(
        &self,
        window: &Window,
        edited_keys: Option<(usize, &[&str])>,
        removed_section: Option<usize>,
    ) -> Result<(), EditError> {
        self.guard_keys(window, edited_keys, removed_section)
    }

    /// [`Document::guard`] for an edit of several keys of one section.
    fn guard_keys(
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

    fn section_checked(&self, section: usize) -> Result<&crate::Section, EditError> {
        self.sections
            .get(section)
            .ok_or(EditError::NoSuchSection(section))
    }

    /// Inserts lines before line index `at`. Appending after a last line that has no line
    /// break gives that line one and leaves the new last line without one, so that removing
    /// the new lines again gives back the original bytes.
    fn insert_lines(&mut self, at: usize, texts: &[String]) -> Window {
        let nl = self.newline().eol();
        let mut start = at;
        let mut new = Vec::with_capacity(texts.len() + 1);
        let mut last_eol = nl;
        if at == self.lines.len() {
            if let Some(&last) = self.lines.last() {
                if last.eol == Eol::None {
                    new.push(Line { eol: nl, ..last });
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
    fn remove_lines(&mut self, start: usize, end: usize) -> Option<Window> {
        if start >= end {
            return None;
        }
        if end == self.lines.len() && self.lines[end - 1].eol == Eol::None && start > 0 {
            let before = Line {
                eol: Eol::None,
                ..self.lines[start - 1]
            };
            return Some(self.replace_lines(start - 1, end, vec![before]));
        }
        Some(self.replace_lines(start, end, Vec::new()))
    }

    /// Replaces the text of line index `line` and removes the lines after it up to `end`; the
    /// line keeps its line break, unless the removed lines ended the file without one.
    fn rewrite_line(&mut self, line: usize, text: &str, end: usize) -> Window {
        let mut eol = self.lines[line].eol;
        if end > line + 1 && end == self.lines.len() && self.lines[end - 1].eol == Eol::None {
            eol = Eol::None;
        }
        let new = self.new_line(text, eol);
        self.replace_lines(line, end, vec![new])
    }

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

    /// Sets the comment line right under a section's header that starts with `# {marker}` to
    /// `# {marker}{text}`: rewritten in place when there is one, inserted under the header
    /// when not. Tools use it to annotate a section they manage (Lanyard: the expiry of
    /// credentials it wrote); comments do not change what the AWS CLI reads.
    pub fn set_header_comment(
        &mut self,
        section: usize,
        marker: &str,
        text: &str,
    ) -> Result<(), EditError> {
        let line = format!("# {marker}{text}");
        check_value(&line)?;
        self.transaction(|doc| {
            let header = doc.section_checked(section)?.line;
            let below = header + 1;
            let window = if doc.header_comment_at(below, marker) {
                doc.rewrite_line(below, &line, below + 1)
            } else {
                doc.insert_lines(below, std::slice::from_ref(&line))
            };
            doc.guard(&window, None, None)
        })
    }

    /// Removes the comment line under a section's header that starts with `# {marker}`;
    /// whether there was one.
    pub fn remove_header_comment(
        &mut self,
        section: usize,
        marker: &str,
    ) -> Result<bool, EditError> {
        let mut removed = false;
        self.transaction(|doc| {
            let below = doc.section_checked(section)?.line + 1;
            if !doc.header_comment_at(below, marker) {
                return Ok(());
            }
            removed = true;
            match doc.remove_lines(below, below + 1) {
                Some(window) => doc.guard(&window, None, None),
                None => Ok(()),
            }
        })?;
        Ok(removed)
    }

    /// The text of the comment under a section's header that starts with `# {marker}`,
    /// after the marker.
    pub fn header_comment(&self, section: usize, marker: &str) -> Option<&str> {
        let below = self.sections.get(section)?.line + 1;
        if !self.header_comment_at(below, marker) {
            return None;
        }
        self.text(below)
            .trim_start()
            .strip_prefix('#')
            .map(str::trim_start)
            .and_then(|t| t.strip_prefix(marker))
    }

    fn header_comment_at(&self, line: usize, marker: &str) -> bool {
        line < self.lines.len()
            && self.kinds[line] == crate::LineKind::Comment
            && self
                .text(line)
                .trim_start()
                .strip_prefix('#')
                .is_some_and(|t| t.trim_start().starts_with(marker))
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

    /// Appends a new section `[name]` at the end of the file, with no blank line before it (a
    /// line break is added to the last line only if it has none), as the AWS CLI does.
    /// Returns the new section's index.
    pub fn add_section(&mut self, name: &str) -> Result<usize, EditError> {
        check_section_name(name)?;
        let nl = self.newline().eol();
        let n = self.lines.len();
        let mut start = n;
        let mut new = Vec::with_capacity(2);
        if let Some(&last) = self.lines.last() {
            if last.eol == Eol::None {
                new.push(Line { eol: nl, ..last });
                start = n - 1;
            }
        }
        let header = self.new_line(&format!("[{name}]"), nl);
        new.push(header);
        self.replace_lines(start, n, new);
        Ok(self.sections.len() - 1)
    }

    /// Removes a section: its header, its keys and the comments between them, the comment
    /// lines directly above the header (no blank line between), and the blank lines after its
    /// last key. Comments after those blank lines stay (they may describe what follows).
    pub fn remove_section(&mut self, section: usize) -> Result<(), EditError> {
        self.transaction(|doc| {
            let s = doc.section_checked(section)?;
            let floor = match section.checked_sub(1) {
                Some(p) => doc.sections[p].content_end,
                None => 0,
            };
            let mut start = s.line;
            while start > floor && doc.kinds[start - 1] == LineKind::Comment {
                start -= 1;
            }
            let mut end = s.content_end;
            while end < s.end && doc.kinds[end] == LineKind::Blank {
                end += 1;
            }
            match doc.remove_lines(start, end) {
                Some(window) => doc.guard(&window, None, Some(section)),
                None => Ok(()),
            }
        })
    }

    /// Appends a copy of a section under a new header name: its header line (only the text
    /// between the brackets changed) and every line after it up to its last key line —
    /// comments between its keys and nested blocks included — each with its text unchanged,
    /// at the end of the file as [`Document::add_section`] appends (no blank line before it,
    /// the file's own line breaks). Returns the new section's index. Refused, with nothing
    /// changed, when the copy would not read as a section of the same keys and values (an
    /// indented header read as part of the value above it, say).
    pub fn append_section_copy(
        &mut self,
        section: usize,
        new_name: &str,
    ) -> Result<usize, EditError> {
        check_section_name(new_name)?;
        let keys = |s: &crate::Section| {
            s.entries
                .iter()
                .map(|e| (e.key().to_owned(), e.value().to_owned()))
                .collect::<Vec<_>>()
        };
        let s = self.section_checked(section)?;
        let (first, last) = (s.line, s.content_end);
        let want = keys(s);
        let header = self.text(first);
        let (Some(open), Some(close)) = (header.find('['), header.rfind(']')) else {
            return Err(EditError::WouldChangeOtherLines);
        };
        let mut texts = Vec::with_capacity(last - first);
        texts.push(format!(
            "{}{}{}",
            &header[..=open],
            new_name,
            &header[close..]
        ));
        texts.extend((first + 1..last).map(|i| self.text(i).to_owned()));
        self.transaction(|doc| {
            let at = doc.lines.len();
            let window = doc.insert_lines(at, &texts);
            // The sections that were re-derived must read as before, plus exactly the copy.
            let got = &doc.sections[window.first..window.first + window.new_count];
            let Some((copied, kept)) = got.split_last() else {
                return Err(EditError::WouldChangeOtherLines);
            };
            let kept_same = kept.len() == window.old.len()
                && kept
                    .iter()
                    .zip(&window.old)
                    .all(|(g, w)| g.name == w.name && keys(g) == keys(w));
            if !kept_same || copied.name != new_name || keys(copied) != want {
                return Err(EditError::WouldChangeOtherLines);
            }
            Ok(doc.sections.len() - 1)
        })
    }

    /// Renames a section: only the text between the brackets of its header changes.
    pub fn rename_section(&mut self, section: usize, new_name: &str) -> Result<(), EditError> {
        check_section_name(new_name)?;
        let line = self.section_checked(section)?.line;
        let text = self.text(line);
        let (Some(open), Some(close)) = (text.find('['), text.rfind(']')) else {
            return Ok(());
        };
        let new = format!("{}{}{}", &text[..=open], new_name, &text[close..]);
        self.rewrite_line(line, &new, line + 1);
        Ok(())
    }
}
