//! `lanyard config check`'s report of a mirrored `[default]` that no longer matches the
//! profile it names (`lanyard_mirrors`): key by key, with both lines (issue 20).

use std::path::Path;

use super::super::switch::{self, MIRRORS_KEY};
use super::super::validate::{Finding, Severity};
use super::super::view::{ConfigView, SectionView, Setting};

/// The finding code of a mirrored default that differs from its profile.
pub const DIVERGED: &str = "default_diverged";

/// The keys a mirror carries, as botocore reads them: the profile's own keys but `lanyard_*`
/// (a secure profile's SSO details aside); for `[default]`, all but `lanyard_mirrors`.
fn mirrored_keys<'a>(view: &'a SectionView<'a>, default: bool) -> Vec<(&'a str, Setting<'a>)> {
    view.settings
        .iter()
        .filter(|(k, s)| {
            !s.inherited
                && if default {
                    *k != MIRRORS_KEY
                } else {
                    !k.starts_with("lanyard_") || super::super::sso_form::SECURE_KEYS.contains(k)
                }
        })
        .collect()
}

/// `lanyard config check`'s report of a mirrored default that differs from its profile: one
/// [`DIVERGED`] warning per key that differs, is missing or is extra (values are not shown:
/// they may be secrets), or one when the profile is not in the file.
pub fn divergence(view: &ConfigView, path: &Path) -> Vec<Finding> {
    let Some(name) = switch::active(view) else {
        return Vec::new();
    };
    let Some(default) = view.profiles.get("default") else {
        return Vec::new();
    };
    let mirrors_line = default
        .settings
        .get(MIRRORS_KEY)
        .map_or(default.line, |s| s.line);
    let finding = |line: usize, key: Option<&str>, message: String| Finding {
        code: DIVERGED,
        severity: Severity::Warning,
        file: path.display().to_string(),
        line: Some(line),
        section: Some(default.header.to_owned()),
        key: key.map(str::to_owned),
        message,
    };
    let Some(profile) = view.profiles.get(name.as_str()) else {
        return vec![finding(
            mirrors_line,
            Some(MIRRORS_KEY),
            format!(
                "[{}] says {MIRRORS_KEY} = {name} (line {mirrors_line}), but there is no profile {name} in the file",
                default.header
            ),
        )];
    };
    let ours = mirrored_keys(default, true);
    let theirs = mirrored_keys(profile, false);
    let (d, p) = (default.header, profile.header);
    let mut out = Vec::new();
    for (k, s) in &theirs {
        match ours.iter().find(|(o, _)| o == k) {
            Some((_, mine)) if mine.value == s.value => {}
            Some((_, mine)) => out.push(finding(
                mine.line,
                Some(k),
                format!(
                    "[{d}] says {MIRRORS_KEY} = {name}, but its {k} (line {}) differs from {k} in [{p}] (line {})",
                    mine.line, s.line
                ),
            )),
            None => out.push(finding(
                mirrors_line,
                Some(k),
                format!(
                    "[{d}] says {MIRRORS_KEY} = {name} (line {mirrors_line}), but it has no {k}, which [{p}] has (line {})",
                    s.line
                ),
            )),
        }
    }
    for (k, mine) in &ours {
        if !theirs.iter().any(|(t, _)| t == k) {
            out.push(finding(
                mine.line,
                Some(k),
                format!(
                    "[{d}] says {MIRRORS_KEY} = {name}, but its {k} (line {}) is not in [{p}] (line {})",
                    mine.line, profile.line
                ),
            ));
        }
    }
    out.sort_by_key(|f| f.line);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use aws_config_edit::Document;

    use super::*;
    use crate::config::switch::{apply_with, Changes, Choice};
    use crate::config::view;

    /// A hand-made config: a comment, `[default]`, a generated `dev` and `prod`.
    const OWN: &str = include_str!("own.config");

    fn switched(text: &str, name: &str) -> String {
        let mut doc = Document::parse(text);
        apply_with(&mut doc, Choice::Profile(name), Changes::Refuse, None).unwrap();
        doc.to_text()
    }

    fn set(doc: &mut Document, section: &str, key: &str, value: &str) {
        let i = doc.find_section(section).unwrap();
        doc.set_value(i, key, value).unwrap();
    }

    #[test]
    fn divergence_names_each_key_and_both_lines() {
        let one = switched(OWN, "dev");
        let mut doc = Document::parse(&one);
        set(&mut doc, "default", "region", "x-1");
        set(&mut doc, "default", "extra", "1");
        let i = doc.find_section("profile dev").unwrap();
        doc.set_value(i, "cli_pager", "").unwrap();
        let text = doc.to_text();
        let doc = Document::parse(&text);
        let v = view::read(&doc).unwrap();
        let found = divergence(&v, Path::new("/c"));
        let got: Vec<(Option<usize>, Option<&str>)> =
            found.iter().map(|f| (f.line, f.key.as_deref())).collect();
        // [default] at line 2: lanyard_mirrors 3, region 4, output 5, extra 6.
        assert_eq!(
            got,
            [
                (Some(3), Some("cli_pager")),
                (Some(4), Some("region")),
                (Some(6), Some("extra"))
            ]
        );
        assert!(found.iter().all(|f| f.code == DIVERGED));
        assert!(
            found[1].message.contains("region (line 4)")
                && found[1].message.contains("[profile dev] (line 9)"),
            "{}",
            found[1].message
        );
        assert!(!found[1].message.contains("x-1"), "values are not shown");
        assert!(divergence(
            &view::read(&Document::parse(&one)).unwrap(),
            Path::new("/c")
        )
        .is_empty());
        let gone = one.replace("[profile dev]", "[profile other]");
        let d = Document::parse(&gone);
        let f = divergence(&view::read(&d).unwrap(), Path::new("/c"));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("no profile dev"), "{}", f[0].message);
    }
}
