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
    fn a_section_removed_by_one_and_edited_by_the_other_is_named() {
        let ours = BASE.replacen("us-east-1", "eu-west-1", 1);
        let theirs = "[profile b]\nregion = us-east-1\n";
        let both = same_keys_changed(BASE, &ours, theirs);
        assert_eq!(both, vec!["[profile a] region".to_owned()]);
    }
}
