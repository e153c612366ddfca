//! The document: the file's lines kept byte for byte, and the structure (sections, keys,
//! continuation lines, nested blocks) derived from them by the same state machine Python's
//! `configparser` runs, so that what this crate calls a key is what the AWS CLI calls a key.

mod change;
mod derive;
mod print;
mod structure;

use std::fmt;
use std::sync::Arc;

use crate::text::{for_each_line, py_strip, Eol};

use change::Undo;
pub(crate) use change::Window;
use derive::derive;
pub(crate) use derive::header_name;
use structure::Texts;
pub(crate) use structure::{lowercase, Line};
pub use structure::{Entry, LineKind, Newline, Section, SubEntry};

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
                .all(|(a, b)| a.eol() == b.eol() && self.span(a) == other.span(b))
    }
}

impl Eq for Document {}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<(&str, Eol)> = self.lines.iter().map(|l| (self.span(l), l.eol())).collect();
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
            lines.push(Line::new(start + skip, end + skip, eol, false))
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
            match l.eol() {
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
        !matches!(self.lines.last(), Some(l) if l.eol() == Eol::None)
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
            out.push_str(l.eol().as_str());
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
            if l.eol() == Eol::None && (!last || l.start() == l.end()) {
                return false;
            }
            if l.eol() == Eol::Cr
                && self
                    .lines
                    .get(i + 1)
                    .is_some_and(|next| next.start() == next.end() && next.eol() == Eol::Lf)
            {
                return false;
            }
        }
        true
    }
}

/// The file is not UTF-8 (botocore refuses it too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: the file is not valid UTF-8")]
pub struct Utf8Error {
    /// 1-based line of the first invalid byte.
    pub line: usize,
}
