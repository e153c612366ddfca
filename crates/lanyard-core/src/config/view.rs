//! The typed view of a config file exactly as botocore 1.44.8 reads it: `raw_config_parse`
//! (Python's `RawConfigParser`, `[DEFAULT]` inheritance, nested blocks) followed by
//! `build_profile_map` (profiles, sso_sessions, services, other sections; names split with
//! `shlex`; a later section replacing an earlier one of the same name), and the list of
//! reasons botocore refuses a file, each with its line.
//!
//! The view borrows its names, keys and values from the [`Document`] it reads: building it
//! copies no text.

mod problems;
mod settings;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use aws_config_edit::{Document, Entry};
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

use super::shlex;
pub(crate) use problems::parse_problems_with;
pub use problems::{parse_problems, ParseProblem};
use settings::{value_of, Defaults, SMALL};
pub use settings::{Nested, Setting, Settings, Value};

/// The hasher of the view's maps (fast; the keys are names from the user's own file).
pub type Hasher = foldhash::fast::RandomState;

/// A map of sections by name, in botocore's order.
pub type SectionMap<'a> = IndexMap<Cow<'a, str>, SectionView<'a>, Hasher>;

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
