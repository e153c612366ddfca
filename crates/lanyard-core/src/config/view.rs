//! The typed view of a config file exactly as botocore 1.44.8 reads it: `raw_config_parse`
//! (Python's `RawConfigParser`, `[DEFAULT]` inheritance, nested blocks) followed by
//! `build_profile_map` (profiles, sso_sessions, services, other sections; names split with
//! `shlex`; a later section replacing an earlier one of the same name), and the list of
//! reasons botocore refuses a file, each with its line.
//!
//! The view borrows its names, keys and values from the [`Document`] it reads: building it
//! copies no text.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use aws_config_edit::text::{py_splitlines_iter, py_strip};
use aws_config_edit::{Document, Entry};
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

use super::shlex;

/// The hasher of the view's maps (fast; the keys are names from the user's own file).
pub type Hasher = foldhash::fast::RandomState;

/// A map of sections by name, in botocore's order.
pub type SectionMap<'a> = IndexMap<Cow<'a, str>, SectionView<'a>, Hasher>;

/// A value: a string, or a nested block (`s3 =` with indented `k = v` lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    /// A plain value (possibly multi-line, lines joined with `\n`).
    Str(&'a str),
    /// A nested block's sub-keys (not lower-cased, as in botocore).
    Nested(Nested<'a>),
}

impl<'a> Value<'a> {
    /// The plain value, if this is not a nested block.
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Value::Str(s) => Some(*s),
            Value::Nested(_) => None,
        }
    }

    /// As botocore's JSON: a string or an object.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Str(s) => Json::String((*s).to_owned()),
            Value::Nested(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (k.to_owned(), Json::String(v.to_owned())))
                    .collect(),
            ),
        }
    }
}

/// A nested block's sub-keys in file order; a repeated sub-key keeps its first place and takes
/// its last value (a Python dict). Two blocks are equal when they hold the same pairs, in any
/// order.
#[derive(Debug, Clone, Default, Eq)]
pub struct Nested<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Nested<'a> {
    fn insert(&mut self, key: &'a str, value: &'a str) {
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((key, value)),
        }
    }

    /// The sub-keys and values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.pairs.iter().copied()
    }

    /// A sub-key's value.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// The number of sub-keys.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there is no sub-key.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl PartialEq for Nested<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<'a, 'b> IntoIterator for &'b Nested<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Copied<std::slice::Iter<'b, (&'a str, &'a str)>>;
    fn into_iter(self) -> Self::IntoIter {
        self.pairs.iter().copied()
    }
}

/// One key of a section as botocore reads it, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<'a> {
    /// The value.
    pub value: Value<'a>,
    /// 1-based line of the key (for an inherited `[DEFAULT]` key, the line in `[DEFAULT]`).
    pub line: usize,
    /// Whether the key comes from a `[DEFAULT]` section.
    pub inherited: bool,
}

/// A section's keys (lower-cased) in botocore's order, each once: its own keys (the first of
/// a repeated key counts), then the `[DEFAULT]` keys it does not have. Read from the document
/// when asked: building a view copies nothing per key.
#[derive(Clone, Default)]
pub struct Settings<'a> {
    doc: Option<&'a Document>,
    own: &'a [Entry],
    /// For a section with a repeated key: the indices of the entries that count (the first
    /// of each key); `None` when every entry counts.
    pick: Option<Box<[usize]>>,
    defaults: Option<Arc<Defaults<'a>>>,
}

/// The keys of the `[DEFAULT]` sections, first one wins.
type Defaults<'a> = Vec<(&'a str, Setting<'a>)>;

/// Up to this many keys, a section's repeated keys are found by looking back; above, with a
/// hash set.
const SMALL: usize = 16;

impl<'a> Settings<'a> {
    fn new(
        doc: &'a Document,
        own: &'a [Entry],
        repeats: bool,
        defaults: Option<Arc<Defaults<'a>>>,
    ) -> Self {
        let mut pick = None;
        if !repeats {
        } else if own.len() > SMALL {
            let mut seen: HashSet<&str, Hasher> =
                HashSet::with_capacity_and_hasher(own.len(), Hasher::default());
            let firsts: Vec<usize> = (0..own.len())
                .filter(|&j| seen.insert(own[j].key()))
                .collect();
            if firsts.len() < own.len() {
                pick = Some(firsts.into_boxed_slice());
            }
        } else if (1..own.len()).any(|j| own[..j].iter().any(|x| x.key() == own[j].key())) {
            let firsts: Vec<usize> = (0..own.len())
                .filter(|&j| !own[..j].iter().any(|x| x.key() == own[j].key()))
                .collect();
            pick = Some(firsts.into_boxed_slice());
        }
        Settings {
            doc: Some(doc),
            own,
            pick,
            defaults,
        }
    }

    /// Whether `own[j]` is the first entry with its key.
    fn counts(&self, j: usize) -> bool {
        match &self.pick {
            Some(firsts) => firsts.binary_search(&j).is_ok(),
            None => true,
        }
    }

    /// The keys with their plain values (`None` for a nested block) and lines, in order:
    /// what most checks need, without building values.
    pub(crate) fn plain(&self) -> impl Iterator<Item = (&'a str, Option<&'a str>, usize)> + '_ {
        let own = self
            .own
            .iter()
            .enumerate()
            .filter(|(j, _)| self.counts(*j))
            .map(|(_, e)| (e.key(), (!e.is_nested()).then(|| e.value()), e.line()));
        let inherited = self
            .defaults
            .iter()
            .flat_map(|d| d.iter())
            .filter(|(k, _)| !self.own_has(k))
            .map(|(k, s)| (*k, s.value.as_str(), s.line));
        own.chain(inherited)
    }

    fn own_setting(&self, e: &'a Entry) -> Setting<'a> {
        Setting {
            value: match self.doc {
                Some(doc) => value_of(doc, e),
                None => Value::Str(e.value()),
            },
            line: e.line(),
            inherited: false,
        }
    }

    fn own_has(&self, key: &str) -> bool {
        self.own.iter().any(|e| e.key() == key)
    }

    /// A key's setting.
    pub fn get(&self, key: &str) -> Option<Setting<'a>> {
        if let Some(e) = self.own.iter().find(|e| e.key() == key) {
            return Some(self.own_setting(e));
        }
        self.defaults
            .as_ref()?
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| s.clone())
    }

    /// Whether the key is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.own_has(key)
            || self
                .defaults
                .as_ref()
                .is_some_and(|d| d.iter().any(|(k, _)| *k == key))
    }

    /// The keys and settings, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, Setting<'a>)> + '_ {
        let own = self
            .own
            .iter()
            .enumerate()
            .filter(|(j, _)| self.counts(*j))
            .map(|(_, e)| (e.key(), self.own_setting(e)));
        let inherited = self
            .defaults
            .iter()
            .flat_map(|d| d.iter())
            .filter(|(k, _)| !self.own_has(k))
            .map(|(k, s)| (*k, s.clone()));
        own.chain(inherited)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys().count()
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.own.is_empty() && self.defaults.as_ref().is_none_or(|d| d.is_empty())
    }
}

impl PartialEq for Settings<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Settings<'_> {}

impl std::fmt::Debug for Settings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A section as botocore reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionView<'a> {
    /// The header text between the brackets, as written (`profile dev`).
    pub header: &'a str,
    /// 1-based line of the header.
    pub line: usize,
    /// Index of the section in [`Document::sections`].
    pub index: usize,
    /// The keys, lower-cased, in botocore's order (own keys, then inherited ones).
    pub settings: Settings<'a>,
}

impl<'a> SectionView<'a> {
    /// A plain value by (lower-case) key.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.settings.get(key).and_then(|s| s.value.as_str())
    }

    /// The section's keys as botocore's JSON object.
    pub fn to_json(&self) -> Json {
        Json::Object(
            self.settings
                .iter()
                .map(|(k, s)| (k.to_owned(), s.value.to_json()))
                .collect(),
        )
    }
}

/// Where botocore files a section, by its header text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionKind<'a> {
    /// `[profile NAME]` or `[default]`.
    Profile(Cow<'a, str>),
    /// `[sso-session NAME]`.
    SsoSession(Cow<'a, str>),
    /// `[services NAME]`.
    Services(Cow<'a, str>),
    /// `[DEFAULT]`: its keys are added to every other section.
    Defaults,
    /// Any other section (`[preview]`, `[plugins]`...), kept under its own name.
    Other(&'a str),
    /// A header starting with `profile`, `sso-session` or `services` that does not split into
    /// exactly two words (`[profileless]`, `[profile a b]`, a quote left open): botocore drops
    /// the section.
    Dropped(&'static str),
}

/// Classifies a header as `build_profile_map` does (the prefix test is a plain `startswith`,
/// so `[profiles x]` is a profile named `x`).
pub fn classify<'h>(header: &'h str) -> SectionKind<'h> {
    let named = |make: fn(Cow<'h, str>) -> SectionKind<'h>| {
        if let Some(mut words) = shlex::split_plain(header) {
            return match (words.next(), words.next(), words.next()) {
                (Some(_), Some(name), None) => make(Cow::Borrowed(name)),
                _ => SectionKind::Dropped("its name is not exactly two words"),
            };
        }
        match shlex::split(header) {
            Ok(mut parts) if parts.len() == 2 => make(Cow::Owned(parts.swap_remove(1))),
            Ok(_) => SectionKind::Dropped("its name is not exactly two words"),
            Err(_) => {
                SectionKind::Dropped("its name has an unclosed quote or a trailing backslash")
            }
        }
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
        SectionKind::Profile(Cow::Borrowed("default"))
    } else {
        SectionKind::Other(header)
    }
}

/// A section botocore does not use, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored<'a> {
    /// Header text.
    pub header: &'a str,
    /// 1-based header line.
    pub line: usize,
    /// Why.
    pub reason: IgnoredReason<'a>,
}

/// Why botocore does not use a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoredReason<'a> {
    /// The name does not parse (see [`SectionKind::Dropped`]).
    Dropped(&'static str),
    /// A later section with the same name replaces it wholesale.
    Replaced {
        /// Header of the section that wins.
        by_header: &'a str,
        /// Its line.
        by_line: usize,
    },
    /// Its name is one of the three keys botocore's result reserves (`sso_sessions`).
    Reserved,
}

/// The whole file as botocore reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigView<'a> {
    /// `profiles`, by profile name.
    pub profiles: SectionMap<'a>,
    /// `sso_sessions`, by session name.
    pub sso_sessions: SectionMap<'a>,
    /// `services`, by name.
    pub services: SectionMap<'a>,
    /// Every other section, by its header text.
    pub other: SectionMap<'a>,
    /// Sections botocore drops or that a later one replaces.
    pub ignored: Vec<Ignored<'a>>,
}

impl ConfigView<'_> {
    /// The object botocore's `load_config` returns, as JSON:
    /// `{"profiles":{…},"sso_sessions":{…},"services":{…}, <other sections>}`.
    pub fn to_botocore_json(&self) -> Json {
        let group = |m: &SectionMap<'_>| {
            Json::Object(
                m.iter()
                    .map(|(k, s)| (k.clone().into_owned(), s.to_json()))
                    .collect(),
            )
        };
        let mut out = Map::new();
        out.insert("profiles".into(), group(&self.profiles));
        out.insert("sso_sessions".into(), group(&self.sso_sessions));
        out.insert("services".into(), group(&self.services));
        for (k, s) in &self.other {
            out.insert(k.clone().into_owned(), s.to_json());
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

const REFUSE: &str = "the AWS CLI refuses the whole file";

/// The sections grouped by header text: for each section, the first section with its text and
/// how many sections have it.
pub(crate) struct Headers {
    group_of: Vec<usize>,
    groups: Vec<(usize, usize)>,
    /// Whether each section repeats a key of its own.
    repeats: Vec<bool>,
}

impl Headers {
    pub(crate) fn of(doc: &Document) -> Headers {
        let sections = doc.sections();
        let mut texts: HashMap<&str, usize, Hasher> =
            HashMap::with_capacity_and_hasher(sections.len(), Hasher::default());
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut group_of: Vec<usize> = Vec::with_capacity(sections.len());
        for (index, section) in sections.iter().enumerate() {
            let g = *texts.entry(section.name()).or_insert_with(|| {
                groups.push((index, 0));
                groups.len() - 1
            });
            groups[g].1 += 1;
            group_of.push(g);
        }
        let repeats = sections
            .iter()
            .map(|s| repeats_a_key(s.entries()))
            .collect();
        Headers {
            group_of,
            groups,
            repeats,
        }
    }

    /// For section `index`: the index of the first section with its header text, and how many
    /// sections have that text.
    fn group(&self, index: usize) -> (usize, usize) {
        self.groups[self.group_of[index]]
    }
}

/// Whether two entries have the same key.
fn repeats_a_key(entries: &[Entry]) -> bool {
    if entries.len() > SMALL {
        let mut seen: HashSet<&str, Hasher> =
            HashSet::with_capacity_and_hasher(entries.len(), Hasher::default());
        return !entries.iter().all(|e| seen.insert(e.key()));
    }
    let mut keys = [""; SMALL];
    for (j, e) in entries.iter().enumerate() {
        let k = e.key();
        if keys[..j].contains(&k) {
            return true;
        }
        keys[j] = k;
    }
    false
}

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

/// botocore's `_parse_nested` on an entry's value, line by line so that a failure names its
/// physical line: calls `pair` with each sub-key and value.
fn nested_pairs<'a>(
    doc: &'a Document,
    entry: &Entry,
    mut pair: impl FnMut(&'a str, &'a str),
) -> Result<(), usize> {
    for line in entry.continuation_lines() {
        let text = doc.line_text(line).unwrap_or_default();
        for piece in py_splitlines_iter(py_strip(text)) {
            let piece = py_strip(piece);
            if piece.is_empty() {
                continue;
            }
            let (k, v) = piece.split_once('=').ok_or(line)?;
            pair(py_strip(k), py_strip(v));
        }
    }
    Ok(())
}

/// A nested block's sub-keys; `Err` with the line of the first line without `=`.
fn nested<'a>(doc: &'a Document, entry: &Entry) -> Result<Nested<'a>, usize> {
    let mut out = Nested::default();
    nested_pairs(doc, entry, |k, v| out.insert(k, v))?;
    Ok(out)
}

fn value_of<'a>(doc: &'a Document, entry: &'a Entry) -> Value<'a> {
    if entry.is_nested() {
        Value::Nested(nested(doc, entry).unwrap_or_default())
    } else {
        Value::Str(entry.value())
    }
}

/// Reads the document as botocore's `load_config` does. Fails with every [`ParseProblem`]
/// when botocore would refuse the file.
pub fn read(doc: &Document) -> Result<ConfigView<'_>, Vec<ParseProblem>> {
    let problems = parse_problems(doc);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(read_lenient(doc))
}

/// Reads the document as botocore would if it did not refuse it (duplicates: first section
/// and key win). For validation of files that have problems.
pub fn read_lenient(doc: &Document) -> ConfigView<'_> {
    read_lenient_with(doc, &Headers::of(doc))
}

pub(crate) fn read_lenient_with<'a>(doc: &'a Document, headers: &Headers) -> ConfigView<'a> {
    let mut defaults: Defaults<'_> = Vec::new();
    for section in doc.sections().iter().filter(|s| s.name() == "DEFAULT") {
        for e in section.entries() {
            if !defaults.iter().any(|(k, _)| *k == e.key()) {
                let setting = Setting {
                    value: value_of(doc, e),
                    line: e.line(),
                    inherited: true,
                };
                defaults.push((e.key(), setting));
            }
        }
    }
    let defaults = (!defaults.is_empty()).then(|| Arc::new(defaults));
    let mut view = ConfigView {
        profiles: IndexMap::with_capacity_and_hasher(doc.sections().len(), Hasher::default()),
        ..ConfigView::default()
    };
    for (index, section) in doc.sections().iter().enumerate() {
        let header = section.name();
        // A later section with the same header text adds nothing (botocore's parser refuses
        // it; leniently, the first one counts).
        if header == "DEFAULT" || headers.group(index).0 != index {
            continue;
        }
        let (map, name) = match classify(header) {
            SectionKind::Profile(n) => (&mut view.profiles, n),
            SectionKind::SsoSession(n) => (&mut view.sso_sessions, n),
            SectionKind::Services(n) => (&mut view.services, n),
            SectionKind::Other("sso_sessions") => {
                view.ignored.push(Ignored {
                    header,
                    line: section.line(),
                    reason: IgnoredReason::Reserved,
                });
                continue;
            }
            SectionKind::Other(n) => (&mut view.other, Cow::Borrowed(n)),
            SectionKind::Dropped(why) => {
                view.ignored.push(Ignored {
                    header,
                    line: section.line(),
                    reason: IgnoredReason::Dropped(why),
                });
                continue;
            }
            SectionKind::Defaults => continue,
        };
        let sv = SectionView {
            header,
            line: section.line(),
            index,
            settings: Settings::new(
                doc,
                section.entries(),
                headers.repeats[index],
                defaults.clone(),
            ),
        };
        let (by_header, by_line) = (sv.header, sv.line);
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
