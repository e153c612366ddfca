//! A mirrored `[default]` is still the person's: what they (or `aws configure set` without
//! `--profile`) change in it after Lanyard made it mirror a profile is never thrown away by the
//! next switch or restore. Lanyard remembers the body it wrote (`<data dir>/default-mirror.json`,
//! by config path); a switch or restore that finds a different body refuses, shows the change as
//! a diff, and goes ahead only when told to keep the change (carried onto the new default, key by
//! key) or to discard it (the file as it was stays in the backups).

use std::collections::BTreeMap;
use std::path::Path;

use aws_config_edit::Document;

use super::view::ConfigView;

/// What to do with changes made to a mirrored `[default]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Changes {
    /// Refuse, showing them ([`super::switch::SwitchError::DefaultEdited`]).
    #[default]
    Refuse,
    /// Carry them over onto the new default.
    Keep,
    /// Drop them.
    Discard,
}

fn record_file(dirs: &crate::dirs::Dirs) -> std::path::PathBuf {
    dirs.data_dir().join("default-mirror.json")
}

/// What Lanyard last wrote into the default of each config file: (profile, body).
type Records = BTreeMap<String, (String, String)>;

fn records(dirs: &crate::dirs::Dirs) -> Records {
    std::fs::read(record_file(dirs))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// The lines of the default section's keys (the `lanyard_mirrors` line and the mirrored keys,
/// as written), when it mirrors a profile: (profile, body).
pub fn mirrored_body(doc: &Document, view: &ConfigView) -> Option<(String, String)> {
    let d = view.profiles.get("default")?;
    let name = d.get(super::switch::MIRRORS_KEY)?.to_owned();
    let s = &doc.sections()[d.index];
    let last = s.entries().last().map_or(s.line(), |e| e.last_line());
    let mut body = String::new();
    for l in s.line() + 1..=last {
        body.push_str(doc.line_text(l).unwrap_or_default());
        body.push('\n');
    }
    Some((name, body))
}

/// Remembers what Lanyard wrote into the default of the config at `path` (`None`: it no longer
/// mirrors anything). A failure only costs a question later, so it is logged.
pub fn remember(dirs: &crate::dirs::Dirs, path: &Path, mirror: Option<(String, String)>) {
    let key = path.to_string_lossy().into_owned();
    let _lock = match crate::guard::FileLock::acquire(&dirs.locks_dir(), &record_file(dirs)) {
        Ok(l) => l,
        Err(e) => return tracing::warn!(error = %e, "cannot remember the mirrored default"),
    };
    let mut all = records(dirs);
    match mirror {
        Some(b) => all.insert(key, b),
        None => all.remove(&key),
    };
    let bytes = serde_json::to_vec_pretty(&all).unwrap_or_default();
    if let Err(e) = crate::fsio::write_private(&record_file(dirs), &bytes) {
        tracing::warn!(error = %e, "cannot remember the mirrored default");
    }
}

/// What was changed in a mirrored default since Lanyard wrote it: the body expected (the one
/// remembered, else the mirror the profile gives now) and the body found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The profile mirrored.
    pub profile: String,
    /// What Lanyard wrote.
    pub expected: String,
    /// What is there now.
    pub found: String,
}

impl Edited {
    /// The change as a unified diff (secret values hidden).
    pub fn diff(&self) -> String {
        super::secrets::hide_secrets(&super::diff::unified(
            &format!("[default]\n{}", self.expected),
            &format!("[default]\n{}", self.found),
            "a/[default]",
            "b/[default]",
            super::versioned::CONTEXT,
        ))
    }

    /// Key by key: each key changed or added (`Some(value)`) or removed (`None`).
    fn changes(&self) -> Vec<(String, Option<String>)> {
        let keys = |body: &str| -> BTreeMap<String, String> {
            let d = Document::parse(&format!("[default]\n{body}"));
            d.sections()
                .first()
                .map(|s| {
                    s.entries()
                        .iter()
                        .map(|e| (e.key().to_owned(), e.value().to_owned()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (a, b) = (keys(&self.expected), keys(&self.found));
        let mut out = Vec::new();
        for (k, v) in &b {
            if a.get(k) != Some(v) && k != super::switch::MIRRORS_KEY {
                out.push((k.clone(), Some(v.clone())));
            }
        }
        for k in a.keys() {
            if !b.contains_key(k) {
                out.push((k.clone(), None));
            }
        }
        out
    }
}

/// The change made to the mirrored default of `doc`, if any. `expected` is what Lanyard
/// remembers writing; without it, the mirror the profile gives now.
pub fn edited(
    doc: &Document,
    view: &ConfigView,
    remembered: Option<&(String, String)>,
) -> Option<Edited> {
    let (profile, found) = mirrored_body(doc, view)?;
    let expected = match remembered.filter(|(p, _)| *p == profile) {
        Some((_, body)) => body.clone(),
        None => {
            let text = super::switch::use_profile(doc, view, &profile).ok()?;
            let d = Document::parse(&text);
            let v = super::view::read(&d).ok()?;
            mirrored_body(&d, &v)?.1
        }
    };
    (expected != found).then_some(Edited {
        profile,
        expected,
        found,
    })
}

/// What Lanyard remembers of the default of the config at `path`.
pub fn remembered(dirs: &crate::dirs::Dirs, path: &Path) -> Option<(String, String)> {
    records(dirs).remove(&*path.to_string_lossy())
}

/// Carries `edit`'s changes onto the default of `doc` (made when there is none).
pub fn keep(doc: &mut Document, edit: &Edited) -> crate::config::error::Result<()> {
    let err = |e: aws_config_edit::EditError| {
        crate::config::error::ConfigError::ConfigEdit(e.to_string())
    };
    let i = match super::view::read(doc)
        .ok()
        .and_then(|v| v.profiles.get("default").map(|d| d.index))
    {
        Some(i) => i,
        None => doc.add_section("default").map_err(err)?,
    };
    for (key, value) in edit.changes() {
        match value {
            Some(v) if v.starts_with('\n') => {
                while doc.remove_key(i, &key).map_err(err)? {}
                for line in v.lines().filter(|l| !l.trim().is_empty()) {
                    if let Some((sk, sv)) = line.split_once('=') {
                        doc.set_sub_value(i, &key, sk.trim(), sv.trim())
                            .map_err(err)?;
                    }
                }
            }
            Some(v) => doc.set_value(i, &key, &v).map_err(err)?,
            None => while doc.remove_key(i, &key).map_err(err)? {},
        }
    }
    Ok(())
}
