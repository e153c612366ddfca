//! The parts the structure is made of: what each line is, where its text lies, and the
//! sections, keys and nested-block sub-keys derived from the lines.

use std::borrow::Cow;

use compact_str::CompactString;

use crate::text::Eol;

/// The line break style new lines are written with: the file's own (its first line break),
/// `\n` for a file that has none yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newline {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
    /// `\r`
    Cr,
}

impl Newline {
    pub(crate) fn eol(self) -> Eol {
        match self {
            Newline::Lf => Eol::Lf,
            Newline::CrLf => Eol::CrLf,
            Newline::Cr => Eol::Cr,
        }
    }
}

/// What a line is, as the AWS CLI's parser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or whitespace only.
    Blank,
    /// A whole-line comment: its first non-blank character is `#` or `;` (indented or not).
    Comment,
    /// A section header, `[name]`.
    Header,
    /// A `key = value` (or `key: value`) line.
    Entry,
    /// A line indented deeper than the key line above it: part of that key's value (a
    /// continuation line, or a `sub_key = value` line of a nested block).
    Continuation,
    /// Inside a section but neither a key nor a continuation: a line without `=` or `:`.
    /// The AWS CLI refuses the file.
    Invalid,
    /// Text before the first section header. The AWS CLI refuses the file.
    Stray,
}

/// One line: where its text is (in the parsed text, or for an edited line in the edits'
/// buffer), and how it ends. Sixteen bytes (a large file has a hundred thousand lines): the
/// line ending and the buffer are kept in the top bits of the start offset, which no text
/// reaches (2^61 bytes).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    /// The start offset; bits 61–62: the line ending, bit 63: whether the text is in the
    /// edits' buffer.
    tagged_start: u64,
    end: u64,
}

const EOL_SHIFT: u32 = 61;
const EDITED_BIT: u64 = 1 << 63;
const OFFSET_MASK: u64 = (1 << EOL_SHIFT) - 1;

impl Line {
    #[inline]
    pub(crate) fn new(start: usize, end: usize, eol: Eol, edited: bool) -> Line {
        let eol_bits: u64 = match eol {
            Eol::None => 0,
            Eol::Lf => 1,
            Eol::CrLf => 2,
            Eol::Cr => 3,
        };
        let edited_bit = if edited { EDITED_BIT } else { 0 };
        Line {
            tagged_start: start as u64 | (eol_bits << EOL_SHIFT) | edited_bit,
            end: end as u64,
        }
    }

    /// Byte offset of the text's start (in its buffer).
    #[inline]
    pub(crate) fn start(self) -> usize {
        (self.tagged_start & OFFSET_MASK) as usize
    }

    /// Byte offset one past the text's end, before the line break.
    #[inline]
    pub(crate) fn end(self) -> usize {
        self.end as usize
    }

    /// How the line ends.
    #[inline]
    pub(crate) fn eol(self) -> Eol {
        match (self.tagged_start >> EOL_SHIFT) & 3 {
            0 => Eol::None,
            1 => Eol::Lf,
            2 => Eol::CrLf,
            _ => Eol::Cr,
        }
    }

    /// Whether the text is in the edits' buffer.
    #[inline]
    pub(crate) fn edited(self) -> bool {
        self.tagged_start & EDITED_BIT != 0
    }

    /// The same text, ending with `eol`.
    #[inline]
    pub(crate) fn with_eol(self, eol: Eol) -> Line {
        Line::new(self.start(), self.end(), eol, self.edited())
    }
}

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Line")
            .field("start", &self.start())
            .field("end", &self.end())
            .field("eol", &self.eol())
            .field("edited", &self.edited())
            .finish()
    }
}

/// The two buffers line texts are in.
#[derive(Clone, Copy)]
pub(super) struct Texts<'a> {
    pub(super) src: &'a str,
    pub(super) edits: &'a str,
}

impl<'a> Texts<'a> {
    #[inline]
    pub(super) fn of(self, l: &Line) -> &'a str {
        let range = l.start()..l.end();
        if l.edited() {
            &self.edits[range]
        } else {
            &self.src[range]
        }
    }
}

/// One `sub_key = value` line of a nested block (such as the lines under `s3 =`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubEntry {
    pub(crate) line: usize,
    pub(crate) kv: Option<(String, String)>,
}

impl SubEntry {
    /// 1-based line number.
    pub fn line(&self) -> usize {
        self.line + 1
    }
    /// The sub-key (as written, stripped; botocore does not lower-case sub-keys), or `None`
    /// when the line has no `=` (botocore refuses the file).
    pub fn key(&self) -> Option<&str> {
        self.kv.as_ref().map(|(k, _)| k.as_str())
    }
    /// The sub-value, stripped.
    pub fn value(&self) -> Option<&str> {
        self.kv.as_ref().map(|(_, v)| v.as_str())
    }
}

/// A key of a section, with its value as botocore reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub(crate) line: usize,
    pub(crate) raw_key: CompactString,
    pub(crate) first_value: CompactString,
    /// What few keys have (kept apart so that the usual key stays small).
    pub(crate) more: Option<Box<EntryMore>>,
}

/// The rarer parts of an [`Entry`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EntryMore {
    /// The lower-cased key, when it differs from `raw_key`.
    pub(crate) lower_key: Option<CompactString>,
    pub(crate) continuations: Vec<usize>,
    /// The joined value, when the entry has continuation lines.
    pub(crate) joined: Option<String>,
}

impl Entry {
    /// 1-based line number of the key line.
    pub fn line(&self) -> usize {
        self.line + 1
    }
    /// 1-based line number of the entry's last line (the key line or its last continuation).
    pub fn last_line(&self) -> usize {
        self.end()
    }
    /// Index one past the entry's last line (its key line or last continuation line).
    pub(crate) fn end(&self) -> usize {
        self.continuations().last().map_or(self.line, |&l| l) + 1
    }
    /// Indices of the continuation lines.
    pub(crate) fn continuations(&self) -> &[usize] {
        self.more.as_ref().map_or(&[], |m| &m.continuations)
    }
    pub(super) fn more_mut(&mut self) -> &mut EntryMore {
        self.more.get_or_insert_with(Box::default)
    }
    /// The key as botocore names it: stripped and lower-cased.
    pub fn key(&self) -> &str {
        self.more
            .as_ref()
            .and_then(|m| m.lower_key.as_deref())
            .unwrap_or(&self.raw_key)
    }
    /// The key as written (stripped, original case).
    pub fn raw_key(&self) -> &str {
        &self.raw_key
    }
    /// The value as botocore's `configparser` produces it: the text after the delimiter and
    /// every continuation line, stripped, joined with `\n` (a blank line inside the value
    /// gives an empty part), right-stripped. A nested block's value starts with `\n`.
    pub fn value(&self) -> &str {
        self.more
            .as_ref()
            .and_then(|m| m.joined.as_deref())
            .unwrap_or(&self.first_value)
    }
    /// The value written on the key line itself.
    pub fn first_value(&self) -> &str {
        &self.first_value
    }
    /// 1-based line numbers of the continuation lines.
    pub fn continuation_lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.continuations().iter().map(|l| l + 1)
    }
    /// Whether botocore reads this key as a nested block (`s3 =` then indented lines).
    pub fn is_nested(&self) -> bool {
        self.value().starts_with('\n')
    }
    fn shift(&mut self, delta: isize) {
        self.line = self.line.wrapping_add_signed(delta);
        if let Some(m) = &mut self.more {
            for c in &mut m.continuations {
                *c = c.wrapping_add_signed(delta);
            }
        }
    }
}

/// A section: its header and its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub(crate) line: usize,
    pub(crate) name: CompactString,
    pub(crate) entries: Vec<Entry>,
    /// One past the last line that belongs to the section (the next header or the end).
    pub(crate) end: usize,
    /// One past the section's last non-blank, non-comment line (header, key, continuation or
    /// invalid line): where a new key goes.
    pub(crate) content_end: usize,
}

impl Section {
    /// 1-based line number of the header.
    pub fn line(&self) -> usize {
        self.line + 1
    }
    /// The text between the brackets, exactly as `configparser` takes it (not stripped:
    /// `[profile  x ]` gives `profile  x `).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The keys, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
    /// The first key with this botocore name (lower-cased).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        let key = lowercase(key);
        self.entries.iter().find(|e| e.key() == key)
    }
    /// 1-based number of the section's last line (before the next header).
    pub fn last_line(&self) -> usize {
        self.end
    }
    pub(super) fn shift(&mut self, delta: isize) {
        self.line = self.line.wrapping_add_signed(delta);
        self.end = self.end.wrapping_add_signed(delta);
        self.content_end = self.content_end.wrapping_add_signed(delta);
        for e in &mut self.entries {
            e.shift(delta);
        }
    }
}

/// `s.to_lowercase()`, without allocating when `s` is already lower-case.
pub(crate) fn lowercase(s: &str) -> Cow<'_, str> {
    // Usual case in one pass: ASCII without an upper-case letter.
    if !s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        return Cow::Borrowed(s);
    }
    if s.is_ascii() {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        let lower = s.to_lowercase();
        if lower == s {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(lower)
        }
    }
}
