//! Deriving the structure from the lines: the state machine of Python's `configparser`
//! (`RawConfigParser._read`), which decides what is a header, a key, a continuation line or a
//! nested block, and how a continued value is joined.

use std::borrow::Cow;

use compact_str::CompactString;

use super::structure::{lowercase, Entry, EntryMore, Line, LineKind, Section, Texts};
use crate::text::{py_lstrip, py_rstrip, py_strip};

/// What [`derive`] found: line kinds and sections from its first line up to `end`.
pub(super) struct Derived {
    pub(super) kinds: Vec<LineKind>,
    pub(super) sections: Vec<Section>,
    pub(super) end: usize,
}

/// The structure of `lines[from..]`: the state machine of Python's `RawConfigParser._read`
/// (3.8–3.13), with `#`/`;` whole-line comments, no inline comments, `=` and `:` delimiters,
/// and empty lines allowed in values. `from` is 0 or a header line. Stops before the first
/// header line `i > from` for which `stop(i)` holds (the last section then ends there).
pub(super) fn derive(
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
fn split_option(stripped: &str) -> Option<(&str, &str)> {
    // Keys are short: a plain loop beats a vectorised search here.
    let d = stripped.bytes().position(|b| b == b'=' || b == b':')?;
    let key = py_rstrip(&stripped[..d]);
    let value = py_strip(&stripped[d + 1..]);
    Some((key, value))
}
