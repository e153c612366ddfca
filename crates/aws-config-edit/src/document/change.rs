//! Changing lines: the one primitive every edit goes through (replace a run of lines), the
//! re-derivation of the structure around the lines that changed, and transactions that undo
//! every change of a failed edit.

use super::derive::derive;
use super::structure::{Line, LineKind, Section};
use super::Document;
use crate::text::Eol;

/// An edit made inside a [`Document::transaction`], recorded so that it can be undone.
#[derive(Debug, Clone)]
pub(super) struct Undo {
    at: usize,
    new_len: usize,
    old: Vec<Line>,
}

/// What a change of lines re-derived: the sections from `first` on that it replaced
/// (`old`) and how many took their place.
pub(crate) struct Window {
    pub(crate) first: usize,
    pub(crate) old: Vec<Section>,
    pub(crate) new_count: usize,
}

impl Document {
    /// Runs `edit` on the document; when it fails, every change it made is undone, so that
    /// the document is as it was before. Several edits can so be made all or none.
    pub fn transaction<T, E>(
        &mut self,
        edit: impl FnOnce(&mut Document) -> Result<T, E>,
    ) -> Result<T, E> {
        let mark = self.journal.len();
        self.journaling += 1;
        let result = edit(self);
        self.journaling -= 1;
        if result.is_err() {
            while self.journal.len() > mark {
                if let Some(u) = self.journal.pop() {
                    self.replace_lines_unrecorded(u.at, u.at + u.new_len, u.old);
                }
            }
        }
        if self.journaling == 0 {
            self.journal.clear();
        }
        result
    }

    /// A new line holding `text` (appended to the edits' buffer).
    pub(crate) fn new_line(&mut self, text: &str, eol: Eol) -> Line {
        let start = self.edits.len();
        self.edits.push_str(text);
        Line::new(start, self.edits.len(), eol, true)
    }

    /// Replaces line indices `a..b` with `new` and re-derives the structure around them.
    pub(crate) fn replace_lines(&mut self, a: usize, b: usize, new: Vec<Line>) -> Window {
        let new_len = new.len();
        let old: Vec<Line> = self.lines.splice(a..b, new).collect();
        if self.journaling > 0 {
            self.journal.push(Undo {
                at: a,
                new_len,
                old,
            });
        }
        self.relayout_around(a, b, new_len)
    }

    fn replace_lines_unrecorded(&mut self, a: usize, b: usize, new: Vec<Line>) {
        let new_len = new.len();
        self.lines.splice(a..b, new);
        self.relayout_around(a, b, new_len);
    }

    /// Re-derives the structure after old lines `a..b` became `new_len` lines. Lines before the
    /// last header above `a` read as before (the parser only looks forward), and once a line
    /// after the change is a header both before and after it, everything from there on reads
    /// as before too (a header resets the parser's state): only the sections in between are
    /// re-derived; those after it only move.
    fn relayout_around(&mut self, a: usize, b: usize, new_len: usize) -> Window {
        self.version.edits += 1;
        let delta = new_len as isize - (b - a) as isize;
        let (from, first) = match self.sections.partition_point(|s| s.line < a).checked_sub(1) {
            Some(si) => (self.sections[si].line, si),
            None => (0, 0),
        };
        let changed_end = a + new_len;
        let old_kinds = &self.kinds;
        let derived = derive(self.texts(), &self.lines, from, |i| {
            i >= changed_end
                && old_kinds.get(i.wrapping_add_signed(-delta)) == Some(&LineKind::Header)
        });
        let stop_old = derived.end.wrapping_add_signed(-delta);
        let old_end = self.sections.partition_point(|s| s.line < stop_old);
        let new_count = derived.sections.len();
        self.kinds.splice(from..stop_old, derived.kinds);
        let old: Vec<Section> = self
            .sections
            .splice(first..old_end, derived.sections)
            .collect();
        if delta != 0 {
            for s in &mut self.sections[first + new_count..] {
                s.shift(delta);
            }
        }
        #[cfg(debug_assertions)]
        {
            let full = derive(self.texts(), &self.lines, 0, |_| false);
            debug_assert_eq!(full.kinds, self.kinds, "incremental re-derivation (kinds)");
            debug_assert_eq!(full.sections, self.sections, "incremental re-derivation");
        }
        Window {
            first,
            old,
            new_count,
        }
    }
}
