//! Section-level edits: add, remove, rename and copy sections, and the marker comment a tool
//! keeps under a section's header.

use super::check::{check_section_name, check_value};
use super::EditError;
use crate::document::{Document, LineKind};
use crate::text::Eol;

impl Document {
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
            if last.eol() == Eol::None {
                new.push(last.with_eol(nl));
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
