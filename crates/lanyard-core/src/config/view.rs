//! The typed view of a config file exactly as botocore 1.44.8 reads it: `raw_config_parse`
//! (Python's `RawConfigParser`, `[DEFAULT]` inheritance, nested blocks) followed by
//! `build_profile_map` (profiles, sso_sessions, services, other sections; names split with
//! `shlex`; a later section replacing an earlier one of the same name), and the list of
//! reasons botocore refuses a file, each with its line.

use aws_config_edit::text::{py_splitlines, py_strip};
use aws_config_edit::{Document, Entry};
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

use super::shlex;

/// A value: a string, or a nested block (`s3 =` with indented `k = v` lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A plain value (possibly multi-line, lines joined with `\n`).
    Str(String),
    /// A nested block's sub-keys (not lower-cased, as in botocore).
    Nested(IndexMap<String, String>),
}

impl Value {
    /// The plain value, if this is not a nested block.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Nested(_) => None,
        }
    }

    /// As botocore's JSON: a string or an object.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Str(s) => Json::String(s.clone()),
            Value::Nested(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                    .collect(),
            ),
        }
    }
}

/// One key of a section as botocore reads it, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The value.
    pub value: Value,
    /// 1-based line of the key (for an inherited `[DEFAULT]` key, the line in `[DEFAULT]`).
    pub line: usize,
    /// Whether the key comes from a `[DEFAULT]` section.
    pub inherited: bool,
}

/// A section as botocore reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionView {
    /// The header text between the brackets, as written (`profile dev`).
    pub header: String,
    /// 1-based line of the header.
    pub line: usize,
    /// Index of the section in [`Document::sections`].
    pub index: usize,
    /// The keys, lower-cased, in botocore's order (own keys, then inherited ones).
    pub settings: IndexMap<String, Setting>,
}

impl SectionView {
    /// A plain value by (lower-case) key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings.get(key).and_then(|s| s.value.as_str())
    }

    /// The section's keys as botocore's JSON object.
    pub fn to_json(&self) -> Json {
        Json::Object(
            self.settings
                .iter()
                .map(|(k, s)| (k.clone(), s.value.to_json()))
                .collect(),
        )
    }
}

/// Where botocore files a section, by its header text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionKind {
    /// `[profile NAME]` or `[default]`.
    Profile(String),
    /// `[sso-session NAME]`.
    SsoSession(String),
    /// `[services NAME]`.
    Services(String),
    /// `[DEFAULT]`: its keys are added to every other section.
    Defaults,
    /// Any other section (`[preview]`, `[plugins]`...), kept under its own name.
    Other(String),
    /// A header starting with `profile`, `sso-session` or `services` that does not split into
    /// exactly two words (`[profileless]`, `[profile a b]`, a quote left open): botocore drops
    /// the section.
    Dropped(&'static str),
}

/// Classifies a header as `build_profile_map` does (the prefix test is a plain `startswith`,
/// so `[profiles x]` is a profile named `x`).
pub fn classify(header: &str) -> SectionKind {
    let named = |make: fn(String) -> SectionKind| match shlex::split(header) {
        Ok(parts) if parts.len() == 2 => make(parts[1].clone()),
        Ok(_) => SectionKind::Dropped("its name is not exactly two words"),
        Err(_) => SectionKind::Dropped("its name has an unclosed quote or a trailing backslash"),
    };
    if header == "DEFAULT" {
        SectionKind::Defaults
    } else if header.starts_with("profile") {
        named(SectionKind::Profile)
    } else if header.starts_with("sso-session") {
        named(SectionKind::SsoSession)
    } else if header.starts_with("services") {
        named(SectionKind::Services)
    } else if header == "default" {
        SectionKind::Profile("default".to_owned())
    } else {
        SectionKind::Other(header.to_owned())
    }
}

/// A section botocore does not use, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// Header text.
    pub header: String,
    /// 1-based header line.
    pub line: usize,
    /// Why.
    pub reason: IgnoredReason,
}

/// Why botocore does not use a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoredReason {
    /// The name does not parse (see [`SectionKind::Dropped`]).
    Dropped(&'static str),
    /// A later section with the same name replaces it wholesale.
    Replaced {
        /// Header of the section that wins.
        by_header: String,
        /// Its line.
        by_line: usize,
    },
    /// Its name is one of the three keys botocore's result reserves (`sso_sessions`).
    Reserved,
}

/// The whole file as botocore reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigView {
    /// `profiles`, by profile name.
    pub profiles: IndexMap<String, SectionView>,
    /// `sso_sessions`, by session name.
    pub sso_sessions: IndexMap<String, SectionView>,
    /// `services`, by name.
    pub services: IndexMap<String, SectionView>,
    /// Every other section, by its header text.
    pub other: IndexMap<String, SectionView>,
    /// Sections botocore drops or that a later one replaces.
    pub ignored: Vec<Ignored>,
}

impl ConfigView {
    /// The object botocore's `load_config` returns, as JSON:
    /// `{"profiles":{…},"sso_sessions":{…},"services":{…}, <other sections>}`.
    pub fn to_botocore_json(&self) -> Json {
        let group = |m: &IndexMap<String, SectionView>| {
            Json::Object(m.iter().map(|(k, s)| (k.clone(), s.to_json())).collect())
        };
        let mut out = Map::new();
        out.insert("profiles".into(), group(&self.profiles));
        out.insert("sso_sessions".into(), group(&self.sso_sessions));
        out.insert("services".into(), group(&self.services));
        for (k, s) in &self.other {
            out.insert(k.clone(), s.to_json());
        }
        Json::Object(out)
    }
}

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

/// Everything in the document that makes botocore refuse it, in line order. Empty means
/// botocore reads the file.
pub fn parse_problems(doc: &Document) -> Vec<ParseProblem> {
    let mut out = Vec::new();
    let refuse = "the AWS CLI refuses the whole file";
    if doc.has_bom() {
        out.push(ParseProblem {
            code: "bom",
            line: 1,
            section: None,
            key: None,
            message: format!(
                "the file starts with a byte-order mark (BOM), which the AWS CLI reads as text \
                 before the first section: {refuse}; save it as UTF-8 without BOM"
            ),
        });
    } else if let Some(&line) = doc.stray_lines().first() {
        out.push(ParseProblem {
            code: "text_before_section",
            line,
            section: None,
            key: None,
            message: format!(
                "{:?} comes before the first [section] header: {refuse}",
                py_strip(doc.line_text(line).unwrap_or_default())
            ),
        });
    }
    let mut seen_sections: IndexMap<&str, usize> = IndexMap::new();
    let mut seen_keys: IndexMap<(&str, &str), usize> = IndexMap::new();
    for section in doc.sections() {
        let name = section.name();
        if name != "DEFAULT" {
            if let Some(first) = seen_sections.get(name) {
                out.push(ParseProblem {
                    code: "duplicate_section",
                    line: section.line(),
                    section: Some(name.to_owned()),
                    key: None,
                    message: format!(
                        "section [{name}] already appears on line {first}: {refuse} \
                         (merge the two sections)"
                    ),
                });
            } else {
                seen_sections.insert(name, section.line());
            }
        }
        for entry in section.entries() {
            if entry.key().is_empty() {
                out.push(ParseProblem {
                    code: "empty_key",
                    line: entry.line(),
                    section: Some(name.to_owned()),
                    key: None,
                    message: format!("the line has a value but no key name: {refuse}"),
                });
            }
            if let Some(first) = seen_keys.get(&(name, entry.key())) {
                out.push(ParseProblem {
                    code: "duplicate_key",
                    line: entry.line(),
                    section: Some(name.to_owned()),
                    key: Some(entry.key().to_owned()),
                    message: format!(
                        "key {} already appears in [{name}] on line {first}: {refuse}",
                        entry.key()
                    ),
                });
            } else {
                seen_keys.insert((name, entry.key()), entry.line());
            }
            if entry.is_nested() {
                if let Err(line) = nested(doc, entry) {
                    out.push(ParseProblem {
                        code: "nested_line_without_equals",
                        line,
                        section: Some(name.to_owned()),
                        key: Some(entry.key().to_owned()),
                        message: format!(
                            "this line of the nested block {} has no \"=\": {refuse}",
                            entry.key()
                        ),
                    });
                }
            }
        }
    }
    for line in doc.invalid_lines() {
        let section = doc
            .sections()
            .iter()
            .rev()
            .find(|s| s.line() < line)
            .map(|s| s.name().to_owned());
        out.push(ParseProblem {
            code: "key_without_value",
            line,
            section,
            key: None,
            message: format!(
                "{:?} is not a \"key = value\" line: {refuse}",
                py_strip(doc.line_text(line).unwrap_or_default())
            ),
        });
    }
    out.sort_by_key(|p| p.line);
    out
}

/// botocore's `_parse_nested` on an entry's value, line by line so that a failure names its
/// physical line.
fn nested(doc: &Document, entry: &Entry) -> Result<IndexMap<String, String>, usize> {
    let mut out = IndexMap::new();
    for line in entry.continuation_lines() {
        let text = doc.line_text(line).unwrap_or_default();
        for piece in py_splitlines(py_strip(text)) {
            let piece = py_strip(piece);
            if piece.is_empty() {
                continue;
            }
            let (k, v) = piece.split_once('=').ok_or(line)?;
            out.insert(py_strip(k).to_owned(), py_strip(v).to_owned());
        }
    }
    Ok(out)
}

fn value_of(doc: &Document, entry: &Entry) -> Value {
    if entry.is_nested() {
        Value::Nested(nested(doc, entry).unwrap_or_default())
    } else {
        Value::Str(entry.value().to_owned())
    }
}

/// Reads the document as botocore's `load_config` does. Fails with every [`ParseProblem`]
/// when botocore would refuse the file.
pub fn read(doc: &Document) -> Result<ConfigView, Vec<ParseProblem>> {
    let problems = parse_problems(doc);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(read_lenient(doc))
}

/// Reads the document as botocore would if it did not refuse it (duplicates: first section
/// and key win). For validation of files that have problems.
pub fn read_lenient(doc: &Document) -> ConfigView {
    let mut defaults: IndexMap<String, Setting> = IndexMap::new();
    for section in doc.sections().iter().filter(|s| s.name() == "DEFAULT") {
        for e in section.entries() {
            defaults.entry(e.key().to_owned()).or_insert(Setting {
                value: value_of(doc, e),
                line: e.line(),
                inherited: true,
            });
        }
    }
    let mut view = ConfigView::default();
    let mut seen = std::collections::HashSet::new();
    for (index, section) in doc.sections().iter().enumerate() {
        let header = section.name();
        if header == "DEFAULT" || !seen.insert(header) {
            continue;
        }
        let mut settings: IndexMap<String, Setting> = IndexMap::new();
        for e in section.entries() {
            settings.entry(e.key().to_owned()).or_insert(Setting {
                value: value_of(doc, e),
                line: e.line(),
                inherited: false,
            });
        }
        for (k, s) in &defaults {
            settings.entry(k.clone()).or_insert_with(|| s.clone());
        }
        let sv = SectionView {
            header: header.to_owned(),
            line: section.line(),
            index,
            settings,
        };
        let (map, name) = match classify(header) {
            SectionKind::Profile(n) => (&mut view.profiles, n),
            SectionKind::SsoSession(n) => (&mut view.sso_sessions, n),
            SectionKind::Services(n) => (&mut view.services, n),
            SectionKind::Other(n) if n == "sso_sessions" => {
                view.ignored.push(Ignored {
                    header: sv.header,
                    line: sv.line,
                    reason: IgnoredReason::Reserved,
                });
                continue;
            }
            SectionKind::Other(n) => (&mut view.other, n),
            SectionKind::Dropped(why) => {
                view.ignored.push(Ignored {
                    header: sv.header,
                    line: sv.line,
                    reason: IgnoredReason::Dropped(why),
                });
                continue;
            }
            SectionKind::Defaults => continue,
        };
        let (by_header, by_line) = (sv.header.clone(), sv.line);
        if let Some(old) = map.insert(name, sv) {
            view.ignored.push(Ignored {
                header: old.header,
                line: old.line,
                reason: IgnoredReason::Replaced { by_header, by_line },
            });
        }
    }
    view
}
