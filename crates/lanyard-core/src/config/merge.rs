//! Which keys two writers of the same file both changed: an edit applied again over another
//! program's change is refused only when both touched the same `[section] key` (or the same
//! section as a whole: added, removed, or its comments and layout), never for mere overlap.

use std::collections::{BTreeMap, BTreeSet};

use aws_config_edit::Document;

/// What a file says, key by key: `[section] key` → its value as botocore reads it; a section's
/// own entry (`[section]`) is its presence.
fn keys(text: &str) -> BTreeMap<String, String> {
    let doc = Document::parse(text);
    let mut out = BTreeMap::new();
    for s in doc.sections() {
        // botocore keeps the last of repeated sections' keys; a repeat is rare enough to merge.
        out.insert(format!("[{}]", s.name()), String::new());
        for e in s.entries() {
            out.insert(format!("[{}] {}", s.name(), e.key()), e.value().to_owned());
        }
    }
    out
}

fn changed(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> BTreeSet<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// The keys both `ours` and `theirs` changed from `base`, to each a different result.
pub(crate) fn same_keys_changed(base: &str, ours: &str, theirs: &str) -> Vec<String> {
    let (b, o, t) = (keys(base), keys(ours), keys(theirs));
    changed(&b, &o)
        .intersection(&changed(&b, &t))
        .filter(|k| o.get(*k) != t.get(*k))
        .cloned()
        .collect()
}

/// Replays onto `onto` what another writer changed from `base` to `theirs`, key by key: the
/// sections it added (as it wrote them), the keys it set or removed, the sections it removed.
/// Used when that writer's version ended in a file nobody reads (it wrote in place into a
/// version Lanyard had just replaced) and the file has changed again since. `None` when a change
/// cannot be replayed as an edit.
pub(crate) fn replay(base: &str, theirs: &str, onto: &str) -> Option<String> {
    let (b, t) = (Document::parse(base), Document::parse(theirs));
    let mut out = Document::parse(onto);
    let mut appended = String::new();
    for (i, s) in t.sections().iter().enumerate() {
        let name = s.name();
        let Some(bi) = b.find_section(name) else {
            if out.find_section(name).is_none() {
                appended.push_str(&t.section_text(i)?);
            }
            continue;
        };
        let Some(oi) = out.find_section(name) else {
            continue;
        };
        let bs = &b.sections()[bi];
        for e in s.entries() {
            if bs.entry(e.key()).map(|x| x.value()) == Some(e.value()) {
                continue;
            }
            if e.is_nested() {
                while out.remove_key(oi, e.key()).ok()? {}
                for line in e.value().lines().filter(|l| !l.trim().is_empty()) {
                    let (k, v) = line.split_once('=')?;
                    out.set_sub_value(oi, e.key(), k.trim(), v.trim()).ok()?;
                }
            } else {
                out.set_value(oi, e.raw_key(), e.value()).ok()?;
            }
        }
        for e in bs.entries() {
            if s.entry(e.key()).is_none() {
                while out.remove_key(oi, e.key()).ok()? {}
            }
        }
    }
    for s in b.sections() {
        if t.find_section(s.name()).is_none() {
            if let Some(oi) = out.find_section(s.name()) {
                out.remove_section(oi).ok()?;
            }
        }
    }
    let mut text = out.to_text();
    if !appended.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&appended);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[profile a]\nregion = us-east-1\n\n[profile b]\nregion = us-east-1\n";

    #[test]
    fn edits_of_different_keys_do_not_conflict() {
        let ours = BASE.replace(
            "[profile a]\nregion = us-east-1",
            "[profile a]\nregion = eu-west-1",
        );
        let theirs = format!("{BASE}output = json\n");
        assert!(same_keys_changed(BASE, &ours, &theirs).is_empty());
        let theirs = format!("{BASE}[profile c]\nregion = x\n");
        assert!(same_keys_changed(BASE, &ours, &theirs).is_empty());
    }

    #[test]
    fn the_same_key_changed_differently_is_named() {
        let ours = BASE.replacen("us-east-1", "eu-west-1", 1);
        let theirs = BASE.replacen("us-east-1", "ap-south-1", 1);
        assert_eq!(
            same_keys_changed(BASE, &ours, &theirs),
            vec!["[profile a] region".to_owned()]
        );
        // Both made the same change: nothing to refuse.
        assert!(same_keys_changed(BASE, &ours, &ours).is_empty());
    }

    #[test]
    fn another_writers_changes_are_replayed_onto_a_newer_file() {
        let theirs = format!("{BASE}output = json\n[profile w]\n# theirs\nregion = x\n")
            .replace("[profile a]\nregion = us-east-1", "[profile a]");
        let onto = format!("{BASE}[profile l]\nregion = y\n");
        let got = replay(BASE, &theirs, &onto).expect("replayed");
        let want = Document::parse(&got);
        let a = want.find_section("profile a").expect("a");
        assert!(want.sections()[a].entry("region").is_none(), "{got}");
        let b = want.find_section("profile b").expect("b");
        assert_eq!(
            want.sections()[b].entry("output").map(|e| e.value()),
            Some("json")
        );
        assert!(got.contains("[profile l]\nregion = y\n"), "{got}");
        assert!(
            got.ends_with("[profile w]\n# theirs\nregion = x\n"),
            "{got}"
        );
    }

    #[test]
    fn a_section_removed_by_one_and_edited_by_the_other_is_named() {
        let ours = BASE.replacen("us-east-1", "eu-west-1", 1);
        let theirs = "[profile b]\nregion = us-east-1\n";
        let both = same_keys_changed(BASE, &ours, theirs);
        assert_eq!(both, vec!["[profile a] region".to_owned()]);
    }
}
