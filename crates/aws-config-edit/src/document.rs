//! The document: the file's lines kept byte for byte, and the structure (sections, keys,
//! continuation lines, nested blocks) derived from them by the same state machine Python's
//! `configparser` runs, so that what this crate calls a key is what the AWS CLI calls a key.

use std::fmt;

use crate::text::{indent_chars, is_py_space, py_rstrip, py_strip, split_lines, Eol};

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) eol: Eol,
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
    pub(crate) raw_key: String,
    pub(crate) key: String,
    pub(crate) first_value: String,
    pub(crate) continuations: Vec<usize>,
    /// Index one past the entry's last line (its key line or last continuation line).
    pub(crate) end: usize,
    pub(crate) value: String,
}

impl Entry {
    /// 1-based line number of the key line.
    pub fn line(&self) -> usize {
        self.line + 1
    }
    /// 1-based line number of the entry's last line (the key line or its last continuation).
    pub fn last_line(&self) -> usize {
        self.end
    }
    /// The key as botocore names it: stripped and lower-cased.
    pub fn key(&self) -> &str {
        &self.key
    }
    /// The key as written (stripped, original case).
    pub fn raw_key(&self) -> &str {
        &self.raw_key
    }
    /// The value as botocore's `configparser` produces it: the text after the delimiter and
    /// every continuation line, stripped, joined with `\n` (a blank line inside the value
    /// gives an empty part), right-stripped. A nested block's value starts with `\n`.
    pub fn value(&self) -> &str {
        &self.value
    }
    /// The value written on the key line itself.
    pub fn first_value(&self) -> &str {
        &self.first_value
    }
    /// 1-based line numbers of the continuation lines.
    pub fn continuation_lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.continuations.iter().map(|l| l + 1)
    }
    /// Whether botocore reads this key as a nested block (`s3 =` then indented lines).
    pub fn is_nested(&self) -> bool {
        self.value.starts_with('\n')
    }
}

/// A section: its header and its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub(crate) line: usize,
    pub(crate) name: String,
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
        let key = key.to_lowercase();
        self.entries.iter().find(|e| e.key == key)
    }
    /// 1-based number of the section's last line (before the next header).
    pub fn last_line(&self) -> usize {
        self.end
    }
}

/// A parsed AWS config or credentials file. Printing it (`to_string`) gives back the input
/// byte for byte until it is edited; an edit rewrites only the lines it must.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub(crate) bom: bool,
    pub(crate) lines: Vec<Line>,
    pub(crate) kinds: Vec<LineKind>,
    pub(crate) sections: Vec<Section>,
    pub(crate) owners: Vec<Option<(usize, usize)>>,
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
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let lines = split_lines(body)
            .into_iter()
            .map(|(t, eol)| Line {
                text: t.to_owned(),
                eol,
            })
            .collect();
        let mut doc = Document {
            bom,
            lines,
            kinds: Vec::new(),
            sections: Vec::new(),
            owners: Vec::new(),
        };
        doc.relayout();
        doc
    }

    /// Parses bytes that must be UTF-8 (as botocore requires). The error gives the 1-based
    /// line of the first invalid byte.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Document, Utf8Error> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Document::parse(s)),
            Err(e) => {
                let upto = &bytes[..e.valid_up_to()];
                let line = 1 + upto
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && upto.get(i + 1) != Some(&b'\n'))
                    })
                    .count();
                Err(Utf8Error { line })
            }
        }
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
        self.lines
            .get(line.checked_sub(1)?)
            .map(|l| l.text.as_str())
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
        self.owners.get(line.checked_sub(1)?).copied().flatten()
    }

    /// The index of the first section whose header text is exactly `name`.
    pub fn find_section(&self, name: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.name == name)
    }

    /// The sub-entries of a nested block (the continuation lines of a key whose value starts
    /// with a line break), one per physical line.
    pub fn sub_entries(&self, entry: &Entry) -> Vec<SubEntry> {
        if !entry.is_nested() {
            return Vec::new();
        }
        entry
            .continuations
            .iter()
            .map(|&i| {
                let s = py_strip(&self.lines[i].text);
                let kv = s
                    .split_once('=')
                    .map(|(k, v)| (py_strip(k).to_owned(), py_strip(v).to_owned()));
                SubEntry { line: i, kv }
            })
            .collect()
    }

    /// Re-derives the structure from the lines: the state machine of Python's
    /// `RawConfigParser._read` (3.8–3.13), with `#`/`;` whole-line comments, no inline
    /// comments, `=` and `:` delimiters, and empty lines allowed in values.
    pub(crate) fn relayout(&mut self) {
        let n = self.lines.len();
        let mut kinds = Vec::with_capacity(n);
        let mut owners = vec![None; n];
        let mut sections: Vec<Section> = Vec::new();
        // (section, entry) whose value continuation lines extend; only a non-empty key name
        // can be continued (Python tests the name's truthiness).
        let mut current: Option<(usize, usize)> = None;
        let mut indent_level = 0usize;
        for (i, line) in self.lines.iter().enumerate() {
            let s = py_strip(&line.text);
            if s.starts_with('#') || s.starts_with(';') {
                kinds.push(LineKind::Comment);
                continue;
            }
            if s.is_empty() {
                kinds.push(LineKind::Blank);
                continue;
            }
            let indent = indent_chars(&line.text);
            if let Some((si, ei)) = current {
                if indent > indent_level {
                    kinds.push(LineKind::Continuation);
                    owners[i] = Some((si, ei));
                    let e = &mut sections[si].entries[ei];
                    e.continuations.push(i);
                    e.end = i + 1;
                    sections[si].content_end = i + 1;
                    continue;
                }
            }
            indent_level = indent;
            if let Some(name) = header_name(s) {
                kinds.push(LineKind::Header);
                if let Some(prev) = sections.last_mut() {
                    prev.end = i;
                }
                sections.push(Section {
                    line: i,
                    name: name.to_owned(),
                    entries: Vec::new(),
                    end: n,
                    content_end: i + 1,
                });
                current = None;
                continue;
            }
            let Some(section_index) = sections.len().checked_sub(1) else {
                kinds.push(LineKind::Stray);
                continue;
            };
            let section = &mut sections[section_index];
            section.content_end = i + 1;
            match split_option(s) {
                Some((raw_key, value)) => {
                    kinds.push(LineKind::Entry);
                    let key = raw_key.to_lowercase();
                    current = if key.is_empty() {
                        None
                    } else {
                        Some((section_index, section.entries.len()))
                    };
                    section.entries.push(Entry {
                        line: i,
                        raw_key: raw_key.to_owned(),
                        key,
                        first_value: value.to_owned(),
                        continuations: Vec::new(),
                        end: i + 1,
                        value: String::new(),
                    });
                }
                None => kinds.push(LineKind::Invalid),
            }
        }
        for section in &mut sections {
            for entry in &mut section.entries {
                entry.value = joined_value(&self.lines, &kinds, entry);
            }
        }
        self.kinds = kinds;
        self.owners = owners;
        self.sections = sections;
    }
}

/// `configparser`'s value join: the key line's value, then for every following line of the
/// entry a stripped continuation or an empty part for a blank line; comments are skipped;
/// joined with `\n` and right-stripped.
fn joined_value(lines: &[Line], kinds: &[LineKind], entry: &Entry) -> String {
    if entry.continuations.is_empty() {
        return entry.first_value.clone();
    }
    let mut parts: Vec<&str> = vec![&entry.first_value];
    for i in entry.line + 1..entry.end {
        match kinds[i] {
            LineKind::Continuation => parts.push(py_strip(&lines[i].text)),
            LineKind::Blank => parts.push(""),
            _ => {}
        }
    }
    py_rstrip(&parts.join("\n")).to_owned()
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
    let d = stripped.find(['=', ':'])?;
    let key = stripped[..d].trim_end_matches(is_py_space);
    let value = py_strip(&stripped[d + 1..]);
    Some((key, value))
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bom {
            f.write_str("\u{feff}")?;
        }
        for l in &self.lines {
            f.write_str(&l.text)?;
            f.write_str(l.eol.as_str())?;
        }
        Ok(())
    }
}

/// The file is not UTF-8 (botocore refuses it too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: the file is not valid UTF-8")]
pub struct Utf8Error {
    /// 1-based line of the first invalid byte.
    pub line: usize,
}
