//! A section's keys as botocore reads them: plain and nested values, where each is written,
//! the `[DEFAULT]` keys a section inherits, and which of a repeated key counts. Read from the
//! document when asked, so that building a view copies no text.

use std::collections::HashSet;
use std::sync::Arc;

use aws_config_edit::text::{py_splitlines_iter, py_strip};
use aws_config_edit::{Document, Entry};
use serde_json::Value as Json;

use super::Hasher;

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
pub(super) type Defaults<'a> = Vec<(&'a str, Setting<'a>)>;

/// Up to this many keys, a section's repeated keys are found by looking back; above, with a
/// hash set.
pub(super) const SMALL: usize = 16;

impl<'a> Settings<'a> {
    pub(super) fn new(
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

/// botocore's `_parse_nested` on an entry's value, line by line so that a failure names its
/// physical line: calls `pair` with each sub-key and value.
pub(super) fn nested_pairs<'a>(
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

pub(super) fn value_of<'a>(doc: &'a Document, entry: &'a Entry) -> Value<'a> {
    if entry.is_nested() {
        Value::Nested(nested(doc, entry).unwrap_or_default())
    } else {
        Value::Str(entry.value())
    }
}
