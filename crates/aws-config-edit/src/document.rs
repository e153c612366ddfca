//! The document: the file's lines kept byte for byte, and the structure (sections, keys,
//! continuation lines, nested blocks) derived from them by the same state machine Python's
//! `configparser` runs, so that what this crate calls a key is what the AWS CLI calls a key.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;

use crate::text::{for_each_line, py_lstrip, py_rstrip, py_strip, Eol};

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
/// buffer), and how it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) eol: Eol,
    /// Whether the text is in the edits' buffer.
    pub(crate) edited: bool,
}

/// The two buffers line texts are in.
#[derive(Clone, Copy)]
struct Texts<'a> {
    src: &'a str,
    edits: &'a str,
}

impl<'a> Texts<'a> {
    #[inline]
    fn of(self, l: &Line) -> &'a str {
        if l.edited {
            &self.edits[l.start..l.end]
        } else {
            &self.src[l.start..l.end]
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
    fn more_mut(&mut self) -> &mut EntryMore {
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
    fn shift(&mut self, delta: isize) {
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

/// An edit made inside a [`Document::transaction`], recorded so that it can be undone.
#[derive(Debug, Clone)]
pub(crate) struct Undo {
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

/// A parsed AWS config or credentials file. Printing it (`to_string`) gives back the input
/// byte for byte until it is edited; an edit rewrites only the lines it must.
///
/// The text is kept once, as parsed (shared: see [`Document::source`]); lines are spans of it
/// (an edited line's new text is appended to a second buffer). The structure (sections, keys, values) is derived from the lines
/// and, after an edit, re-derived only around the lines that changed.
pub struct Document {
    pub(crate) bom: bool,
    /// The text parsed (a byte-order mark included), never changed.
    src: Arc<String>,
    /// The texts of edited lines.
    edits: String,
    pub(crate) lines: Vec<Line>,
    pub(crate) kinds: Vec<LineKind>,
    pub(crate) sections: Vec<Section>,
    /// This document's identity (a clone gets a new one) and how many edits it has had.
    version: Version,
    journal: Vec<Undo>,
    journaling: usize,
}

/// Identifies a document's text as it is at one moment: two equal versions mean the same
/// document (not a clone of it) with no edit in between. See [`Document::version`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    id: u64,
    edits: u64,
}

impl Version {
    fn new() -> Version {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Version {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            edits: 0,
        }
    }
}

impl Clone for Document {
    fn clone(&self) -> Self {
        Document {
            bom: self.bom,
            src: Arc::clone(&self.src),
            edits: self.edits.clone(),
            lines: self.lines.clone(),
            kinds: self.kinds.clone(),
            sections: self.sections.clone(),
            version: Version::new(),
            journal: self.journal.clone(),
            journaling: self.journaling,
        }
    }
}

impl PartialEq for Document {
    /// Documents are equal when they print the same lines (the structure follows from them).
    fn eq(&self, other: &Self) -> bool {
        self.bom == other.bom
            && self.lines.len() == other.lines.len()
            && self
                .lines
                .iter()
                .zip(&other.lines)
                .all(|(a, b)| a.eol == b.eol && self.span(a) == other.span(b))
    }
}

impl Eq for Document {}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<(&str, Eol)> = self.lines.iter().map(|l| (self.span(l), l.eol)).collect();
        f.debug_struct("Document")
            .field("bom", &self.bom)
            .field("lines", &lines)
            .field("kinds", &self.kinds)
            .field("sections", &self.sections)
            .finish()
    }
}

impl Default for Document {
    fn default() -> Self {
        Document::parse("")
    }
}

impl std::str::FromStr for Document {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Document::parse(s))
    }
}

/// The UTF-8 encoding of U+FEFF.
const BOM: char = '\u{feff}';

impl Document {
    /// Parses any text. This never fails: lines the AWS CLI would refuse are kept and
    /// classified ([`LineKind::Invalid`], [`LineKind::Stray`]); deciding what is an error is
    /// the caller's job.
    pub fn parse(text: &str) -> Document {
        Document::parse_string(text.to_owned())
    }

    /// [`Document::parse`], keeping the given text as it is (no copy).
    pub fn parse_string(text: String) -> Document {
        let bom = text.starts_with(BOM);
        let skip = if bom { BOM.len_utf8() } else { 0 };
        let body = &text[skip..];
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', body.as_bytes()).count() + 1);
        for_each_line(body, |start, end, eol| {
            lines.push(Line {
                start: start + skip,
                end: end + skip,
                eol,
                edited: false,
            })
        });
        let texts = Texts {
            src: &text,
            edits: "",
        };
        let derived = derive(texts, &lines, 0, |_| false);
        Document {
            bom,
            version: Version::new(),
            src: Arc::new(text),
            edits: String::new(),
            lines,
            kinds: derived.kinds,
            sections: derived.sections,
            journal: Vec::new(),
            journaling: 0,
        }
    }

    /// Parses bytes that must be UTF-8 (as botocore requires). The error gives the 1-based
    /// line of the first invalid byte.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Document, Utf8Error> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Document::parse(s)),
            Err(e) => Err(utf8_error(bytes, e)),
        }
    }

    /// [`Document::parse_bytes`], keeping the given bytes as the text (no copy).
    pub fn parse_bytes_owned(bytes: Vec<u8>) -> Result<Document, Utf8Error> {
        match String::from_utf8(bytes) {
            Ok(s) => Ok(Document::parse_string(s)),
            Err(e) => Err(utf8_error(e.as_bytes(), e.utf8_error())),
        }
    }

    /// The text this document was parsed from, byte for byte (a byte-order mark included),
    /// as it was before any edit. Shared, not copied.
    pub fn source(&self) -> Arc<String> {
        Arc::clone(&self.src)
    }

    fn texts(&self) -> Texts<'_> {
        Texts {
            src: &self.src,
            edits: &self.edits,
        }
    }

    #[inline]
    pub(crate) fn span(&self, l: &Line) -> &str {
        self.texts().of(l)
    }
}

/// The error for bytes that are not UTF-8: the 1-based line of the first bad byte.
fn utf8_error(bytes: &[u8], e: std::str::Utf8Error) -> Utf8Error {
    let upto = &bytes[..e.valid_up_to()];
    let line = 1 + upto
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && upto.get(i + 1) != Some(&b'\n')))
        .count();
    Utf8Error { line }
}

impl Document {
    /// The text of line index `i` (0-based), without its line break.
    #[inline]
    pub(crate) fn text(&self, i: usize) -> &str {
        self.span(&self.lines[i])
    }

    /// Whether the file starts with a UTF-8 byte-order mark (kept on output; botocore refuses
    /// such a file).
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The line break new lines are written with.
    pub fn newline(&self) -> Newline {
        for l in &self.lines {
            match l.eol {
                Eol::Lf => return Newline::Lf,
                Eol::CrLf => return Newline::CrLf,
                Eol::Cr => return Newline::Cr,
                Eol::None => {}
            }
        }
        Newline::Lf
    }

    /// Whether the file ends with a line break (an empty file counts as ending with one).
    pub fn ends_with_newline(&self) -> bool {
        !matches!(self.lines.last(), Some(l) if l.eol == Eol::None)
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The text of a line (1-based), without its line break (and without the BOM).
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.lines.get(line.checked_sub(1)?).map(|l| self.span(l))
    }

    /// What a line (1-based) is.
    pub fn line_kind(&self, line: usize) -> Option<LineKind> {
        self.kinds.get(line.checked_sub(1)?).copied()
    }

    /// The sections, in file order (duplicates included: rejecting them is the caller's job).
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// 1-based lines of content before the first header ([`LineKind::Stray`]).
    pub fn stray_lines(&self) -> Vec<usize> {
        self.lines_of_kind(LineKind::Stray)
    }

    /// 1-based lines the AWS CLI cannot read as a key ([`LineKind::Invalid`]).
    pub fn invalid_lines(&self) -> Vec<usize> {
        self.lines_of_kind(LineKind::Invalid)
    }

    fn lines_of_kind(&self, kind: LineKind) -> Vec<usize> {
        self.kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == kind)
            .map(|(i, _)| i + 1)
            .collect()
    }

    /// For a 1-based continuation line: the (section index, entry index) of the key whose
    /// value it belongs to.
    pub fn continuation_owner(&self, line: usize) -> Option<(usize, usize)> {
        let i = line.checked_sub(1)?;
        if self.kinds.get(i) != Some(&LineKind::Continuation) {
            return None;
        }
        // A continuation line belongs to the last key above it: any key line or header in
        // between would have ended that value.
        let si = self
            .sections
            .partition_point(|s| s.line < i)
            .checked_sub(1)?;
        let ei = self.sections[si]
            .entries
            .partition_point(|e| e.line < i)
            .checked_sub(1)?;
        Some((si, ei))
    }

    /// The index of the first section whose header text is exactly `name`.
    pub fn find_section(&self, name: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.name == name)
    }

    /// A section's text as written: its header line and every line after it up to its last
    /// key line (comments between its keys and nested blocks included), each with its own line
    /// break. Comments and blank lines after its last key are not part of it.
    pub fn section_text(&self, section: usize) -> Option<String> {
        let s = self.sections.get(section)?;
        let mut out = String::new();
        for l in &self.lines[s.line..s.content_end] {
            out.push_str(self.span(l));
            out.push_str(l.eol.as_str());
        }
        Some(out)
    }

    /// The sub-entries of a nested block (the continuation lines of a key whose value starts
    /// with a line break), one per physical line.
    pub fn sub_entries(&self, entry: &Entry) -> Vec<SubEntry> {
        if !entry.is_nested() {
            return Vec::new();
        }
        entry
            .continuations()
            .iter()
            .map(|&i| {
                let s = py_strip(self.text(i));
                let kv = s
                    .split_once('=')
                    .map(|(k, v)| (py_strip(k).to_owned(), py_strip(v).to_owned()));
                SubEntry { line: i, kv }
            })
            .collect()
    }

    /// This document's version: it changes with every edit, and a clone has its own. Lets a
    /// caller remember what it has checked.
    pub fn version(&self) -> Version {
        self.version
    }

    /// Whether parsing the printed document gives back these very lines (and so this
    /// structure). It does for every parsed document; an edit can break it only in corner
    /// cases: a line ending in a lone CR brought before an empty line ending in LF (printed,
    /// the two read as one CRLF), an empty last line without a line break (printed, it is not
    /// there), a byte-order mark brought to the start of the file.
    pub fn reads_back_identically(&self) -> bool {
        if memchr::memchr2(b'\r', b'\n', self.edits.as_bytes()).is_some() {
            return false;
        }
        if !self.bom
            && self
                .lines
                .first()
                .is_some_and(|l| self.span(l).starts_with(BOM))
        {
            return false;
        }
        let n = self.lines.len();
        for (i, l) in self.lines.iter().enumerate() {
            let last = i + 1 == n;
            if l.eol == Eol::None && (!last || l.start == l.end) {
                return false;
            }
            if l.eol == Eol::Cr
                && self
                    .lines
                    .get(i + 1)
                    .is_some_and(|next| next.start == next.end && next.eol == Eol::Lf)
            {
                return false;
            }
        }
        true
    }

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
        Line {
            start,
            end: self.edits.len(),
            eol,
            edited: true,
        }
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

/// What [`derive`] found: line kinds and sections from its first line up to `end`.
struct Derived {
    kinds: Vec<LineKind>,
    sections: Vec<Section>,
    end: usize,
}

/// The structure of `lines[from..]`: the state machine of Python's `RawConfigParser._read`
/// (3.8–3.13), with `#`/`;` whole-line comments, no inline comments, `=` and `:` delimiters,
/// and empty lines allowed in values. `from` is 0 or a header line. Stops before the first
/// header line `i > from` for which `stop(i)` holds (the last section then ends there).
fn derive(
    t: Texts<'_>,
    lines: &[Line],
    from: usize,
    mut stop: impl FnMut(usize) -> bool,
) -> Derived {
    let n = lines.len();
    let mut kinds = Vec::with_capacity(if from == 0 { n } else { 64 });
    let mut sections: Vec<Section> = Vec::new();
    // Keys of the open (last) section, moved into it when it is closed.
    let mut entries: Vec<Entry> = Vec::new();
    // The entry of the open section whose value continuation lines extend; only a non-empty
    // key name can be continued (Python tests the name's truthiness).
    let mut current: Option<usize> = None;
    let mut indent_level = 0usize;
    let mut end = n;
    for (i, line) in lines.iter().enumerate().skip(from) {
        let text = t.of(line);
        let body = py_lstrip(text);
        let s = py_rstrip(body);
        match s.as_bytes().first() {
            None => {
                kinds.push(LineKind::Blank);
                continue;
            }
            Some(b'#' | b';') => {
                kinds.push(LineKind::Comment);
                continue;
            }
            Some(_) => {}
        }
        let lead = &text[..text.len() - body.len()];
        let indent = if lead.is_ascii() {
            lead.len()
        } else {
            lead.chars().count()
        };
        if let Some(ei) = current {
            if indent > indent_level {
                kinds.push(LineKind::Continuation);
                let e = &mut entries[ei];
                e.more_mut().continuations.push(i);
                if let Some(section) = sections.last_mut() {
                    section.content_end = i + 1;
                }
                continue;
            }
        }
        indent_level = indent;
        if let Some(name) = header_name(s) {
            if i > from && stop(i) {
                end = i;
                break;
            }
            kinds.push(LineKind::Header);
            close_section(t, lines, &kinds, from, &mut sections, &mut entries, i);
            sections.push(Section {
                line: i,
                name: CompactString::new(name),
                entries: Vec::new(),
                end: n,
                content_end: i + 1,
            });
            current = None;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            kinds.push(LineKind::Stray);
            continue;
        };
        section.content_end = i + 1;
        match split_option(s) {
            Some((raw_key, value)) => {
                kinds.push(LineKind::Entry);
                current = if raw_key.is_empty() {
                    None
                } else {
                    Some(entries.len())
                };
                let more = match lowercase(raw_key) {
                    Cow::Borrowed(_) => None,
                    Cow::Owned(k) => Some(Box::new(EntryMore {
                        lower_key: Some(CompactString::from(k)),
                        ..EntryMore::default()
                    })),
                };
                entries.push(Entry {
                    line: i,
                    raw_key: CompactString::new(raw_key),
                    first_value: CompactString::new(value),
                    more,
                });
            }
            None => kinds.push(LineKind::Invalid),
        }
    }
    close_section(t, lines, &kinds, from, &mut sections, &mut entries, end);
    Derived {
        kinds,
        sections,
        end,
    }
}

/// Ends the open section at line `end`: gives it its keys, with the values of continued keys
/// joined.
fn close_section(
    t: Texts<'_>,
    lines: &[Line],
    kinds: &[LineKind],
    from: usize,
    sections: &mut [Section],
    entries: &mut Vec<Entry>,
    end: usize,
) {
    let Some(section) = sections.last_mut() else {
        return;
    };
    section.end = end;
    for e in entries.iter_mut() {
        if !e.continuations().is_empty() {
            let joined = joined_value(t, lines, kinds, from, e);
            e.more_mut().joined = Some(joined);
        }
    }
    // An exact-size vector for the section; the scratch keeps its capacity for the next one.
    let mut own = Vec::with_capacity(entries.len());
    own.append(entries);
    section.entries = own;
}

/// `configparser`'s value join: the key line's value, then for every following line of the
/// entry a stripped continuation or an empty part for a blank line; comments are skipped;
/// joined with `\n` and right-stripped.
fn joined_value(
    t: Texts<'_>,
    lines: &[Line],
    kinds: &[LineKind],
    from: usize,
    e: &Entry,
) -> String {
    let mut out = String::from(e.first_value.as_str());
    for i in e.line + 1..e.end() {
        match kinds[i - from] {
            LineKind::Continuation => {
                out.push('\n');
                out.push_str(py_strip(t.of(&lines[i])));
            }
            LineKind::Blank => out.push('\n'),
            _ => {}
        }
    }
    let kept = py_rstrip(&out).len();
    out.truncate(kept);
    out
}

/// `SECTCRE = r"\[(?P<header>.+)\]"` matched at the start of the stripped line: the text
/// between the first `[` and the last `]`, which must not be empty.
pub(crate) fn header_name(stripped: &str) -> Option<&str> {
    let rest = stripped.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// `OPTCRE = r"(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$"` on the stripped line: the key
/// is everything before the first `=` or `:`, right-stripped; the value what follows,
/// stripped.
pub(crate) fn split_option(stripped: &str) -> Option<(&str, &str)> {
    // Keys are short: a plain loop beats a vectorised search here.
    let d = stripped.bytes().position(|b| b == b'=' || b == b':')?;
    let key = py_rstrip(&stripped[..d]);
    let value = py_strip(&stripped[d + 1..]);
    Some((key, value))
}

impl Document {
    /// The whole text, as [`Display`](fmt::Display) prints it, built in one go.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.src.len() + self.edits.len());
        self.write_runs(|s| {
            out.push_str(s);
            Ok(())
        })
        .unwrap_or_default();
        out
    }

    /// Calls `w` with the text in as few pieces as it can: lines that follow each other in the
    /// parsed text, with their line breaks there, go out as one piece.
    fn write_runs(&self, mut w: impl FnMut(&str) -> fmt::Result) -> fmt::Result {
        if self.bom {
            w("\u{feff}")?;
        }
        let bytes = self.src.as_bytes();
        let mut run: Option<(usize, usize)> = None;
        for l in &self.lines {
            let eol = l.eol.as_str();
            let eol_in_buf =
                !l.edited && bytes.get(l.end..l.end + eol.len()) == Some(eol.as_bytes());
            match run {
                Some((start, end)) if end == l.start && eol_in_buf => {
                    run = Some((start, l.end + eol.len()));
                    continue;
                }
                _ => {}
            }
            if let Some((start, end)) = run.take() {
                w(&self.src[start..end])?;
            }
            if eol_in_buf {
                run = Some((l.start, l.end + eol.len()));
            } else {
                w(self.span(l))?;
                w(eol)?;
            }
        }
        if let Some((start, end)) = run {
            w(&self.src[start..end])?;
        }
        Ok(())
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_runs(|s| f.write_str(s))
    }
}

/// The file is not UTF-8 (botocore refuses it too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: the file is not valid UTF-8")]
pub struct Utf8Error {
    /// 1-based line of the first invalid byte.
    pub line: usize,
}
