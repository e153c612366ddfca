//! The reasons botocore refuses a whole file (`ConfigParseError`), each with its line: a
//! byte-order mark, text before the first section, duplicate sections and keys, lines that are
//! not `key = value`, nested blocks with a line without `=`.

use std::collections::HashMap;

use aws_config_edit::text::py_strip;
use aws_config_edit::{Document, Entry};

use super::settings::{nested_pairs, SMALL};
use super::{Hasher, Headers};

/// A reason botocore refuses the whole file (`ConfigParseError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    /// Stable code: `bom`, `text_before_section`, `duplicate_section`, `duplicate_key`,
    /// `key_without_value`, `empty_key`, `nested_line_without_equals`.
    pub code: &'static str,
    /// 1-based line.
    pub line: usize,
    /// The header of the section the line is in, if any.
    pub section: Option<String>,
    /// The key involved, if any.
    pub key: Option<String>,
    /// What is wrong, for a person.
    pub message: String,
}

const REFUSE: &str = "the AWS CLI refuses the whole file";

/// Everything in the document that makes botocore refuse it, in line order. Empty means
/// botocore reads the file.
pub fn parse_problems(doc: &Document) -> Vec<ParseProblem> {
    parse_problems_with(doc, &Headers::of(doc))
}

pub(crate) fn parse_problems_with(doc: &Document, headers: &Headers) -> Vec<ParseProblem> {
    let mut out = Vec::new();
    if doc.has_bom() {
        out.push(ParseProblem {
            code: "bom",
            line: 1,
            section: None,
            key: None,
            message: format!(
                "the file starts with a byte-order mark (BOM), which the AWS CLI reads as text \
                 before the first section: {REFUSE}; save it as UTF-8 without BOM"
            ),
        });
    } else if let Some(&line) = doc.stray_lines().first() {
        out.push(ParseProblem {
            code: "text_before_section",
            line,
            section: None,
            key: None,
            message: format!(
                "{:?} comes before the first [section] header: {REFUSE}",
                py_strip(doc.line_text(line).unwrap_or_default())
            ),
        });
    }
    let sections = doc.sections();
    // Keys of header texts that several sections share: (header, key) -> first line.
    let mut shared_keys: HashMap<(&str, &str), usize, Hasher> = HashMap::default();
    for (index, section) in sections.iter().enumerate() {
        let name = section.name();
        let (first_index, count) = headers.group(index);
        let first = sections[first_index].line();
        if name != "DEFAULT" && first_index != index {
            out.push(ParseProblem {
                code: "duplicate_section",
                line: section.line(),
                section: Some(name.to_owned()),
                key: None,
                message: format!(
                    "section [{name}] already appears on line {first}: {REFUSE} \
                     (merge the two sections)"
                ),
            });
        }
        let entries = section.entries();
        // Keys of a section whose header is unique: found among its earlier entries (a hash
        // set for large sections).
        let repeats = headers.repeats[index];
        let local: Option<HashMap<&str, usize, Hasher>> =
            (count == 1 && repeats && entries.len() > SMALL)
                .then(|| HashMap::with_capacity_and_hasher(entries.len(), Hasher::default()));
        let mut local = local;
        for (j, entry) in entries.iter().enumerate() {
            if entry.key().is_empty() {
                out.push(ParseProblem {
                    code: "empty_key",
                    line: entry.line(),
                    section: Some(name.to_owned()),
                    key: None,
                    message: format!("the line has a value but no key name: {REFUSE}"),
                });
            }
            let earlier = if count > 1 {
                match shared_keys.get(&(name, entry.key())) {
                    Some(&l) => Some(l),
                    None => {
                        shared_keys.insert((name, entry.key()), entry.line());
                        None
                    }
                }
            } else if !repeats {
                None
            } else if let Some(seen) = local.as_mut() {
                match seen.get(entry.key()) {
                    Some(&l) => Some(l),
                    None => {
                        seen.insert(entry.key(), entry.line());
                        None
                    }
                }
            } else {
                entries[..j]
                    .iter()
                    .find(|e| e.key() == entry.key())
                    .map(Entry::line)
            };
            if let Some(first) = earlier {
                out.push(ParseProblem {
                    code: "duplicate_key",
                    line: entry.line(),
                    section: Some(name.to_owned()),
                    key: Some(entry.key().to_owned()),
                    message: format!(
                        "key {} already appears in [{name}] on line {first}: {REFUSE}",
                        entry.key()
                    ),
                });
            }
            if entry.is_nested() {
                if let Err(line) = nested_pairs(doc, entry, |_, _| {}) {
                    out.push(ParseProblem {
                        code: "nested_line_without_equals",
                        line,
                        section: Some(name.to_owned()),
                        key: Some(entry.key().to_owned()),
                        message: format!(
                            "this line of the nested block {} has no \"=\": {REFUSE}",
                            entry.key()
                        ),
                    });
                }
            }
        }
    }
    for line in doc.invalid_lines() {
        let section = sections
            .partition_point(|s| s.line() < line)
            .checked_sub(1)
            .map(|i| sections[i].name().to_owned());
        out.push(ParseProblem {
            code: "key_without_value",
            line,
            section,
            key: None,
            message: format!(
                "{:?} is not a \"key = value\" line: {REFUSE}",
                py_strip(doc.line_text(line).unwrap_or_default())
            ),
        });
    }
    out.sort_by_key(|p| p.line);
    out
}
