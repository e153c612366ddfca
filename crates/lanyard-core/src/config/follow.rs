//! The default follows its profile (issue 20): while `[default]` mirrors a profile
//! (`lanyard_mirrors = NAME`, see [`super::switch`]), every Lanyard write that changes that
//! profile rewrites `[default]` in the same save ([`after_edit`], called by
//! [`super::files::edit_and_save`], the profile editor and populate, so that a preview shows
//! both sections); a rename of the profile renames what `[default]` mirrors
//! ([`rename_mirror`]); a removal leaves `[default]` as it is — the profile's last keys, still
//! marked, so tools go on working and it follows the profile again if it comes back. A hand edit of
//! the profile (another program, a text editor) is followed by [`follow`], which the app calls
//! when it reads the config. What the person changed in `[default]` itself is theirs: it is
//! carried, key by key, onto the new mirror, never overwritten (see [`super::mirror`]).
//! [`divergence`] is `lanyard config check`'s report of a default that no longer matches its
//! profile, line by line.

use std::path::Path;

use aws_config_edit::Document;

use super::files::ConfigFile;
use super::mirror::{self, Edited};
use super::switch::{self, MIRRORS_KEY};
use super::view::{self, ConfigView};
use crate::config::error::{ConfigError, Result};
use crate::context::Context;

mod diverged;
pub use diverged::{divergence, DIVERGED};

/// What following did to the mirrored default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followed {
    /// `[default]` has the profile's keys again.
    Updated {
        /// The profile mirrored.
        profile: String,
        /// Changes the person made to `[default]` itself were carried over onto it.
        kept: bool,
    },
    /// The profile was renamed: `[default]` mirrors it under its new name.
    Renamed {
        /// Its old name.
        from: String,
        /// Its new name.
        to: String,
    },
}

/// What an edit did to the mirrored default, and what to remember of it once written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    /// What was done.
    pub followed: Followed,
    /// The default as Lanyard wrote it (profile, body).
    record: (String, String),
}

impl Follow {
    /// Once the edit is written: remembers the default as Lanyard wrote it (the mirror record
    /// that tells the person's own changes to `[default]` from Lanyard's).
    pub fn remember(self, dirs: &crate::dirs::Dirs, path: &Path) {
        mirror::remember(dirs, path, Some(self.record));
    }
}

/// The body `[default]` has when it mirrors `name` exactly (as [`mirror::mirrored_body`]
/// reads it), `None` when `name` cannot be mirrored.
pub fn mirror_of(doc: &Document, view: &ConfigView, name: &str) -> Option<String> {
    let text = switch::use_profile(doc, view, name).ok()?;
    let d = Document::parse_string(text);
    let v = view::read(&d).ok()?;
    mirror::mirrored_body(&d, &v).map(|(_, body)| body)
}

fn read_view(doc: &Document) -> Result<ConfigView<'_>> {
    view::read(doc).map_err(|p| {
        ConfigError::ConfigEdit(format!(
            "the config cannot be read: {}",
            p.first().map(|p| p.message.clone()).unwrap_or_default()
        ))
    })
}

/// Makes `[default]` of `doc` mirror `name` again, then carries `changes` (the person's own
/// to `[default]`) onto it. Returns the record: the mirror as written, without those changes
/// (so that they still show as the person's).
fn remirror(doc: &mut Document, name: &str, changes: Option<&Edited>) -> Result<(String, String)> {
    let text = {
        let v = read_view(doc)?;
        switch::use_profile(doc, &v, name)?
    };
    *doc = Document::parse_string(text);
    let record = view::read(doc)
        .ok()
        .and_then(|v| mirror::mirrored_body(doc, &v))
        .ok_or_else(|| {
            ConfigError::ConfigEdit("the mirrored default cannot be read back".into())
        })?;
    if let Some(e) = changes {
        mirror::keep(doc, e)?;
    }
    Ok(record)
}

/// In a rename of profile `old` to `new` (see [`super::edit::rename_profile`]): a `[default]`
/// that mirrors `old` is marked as mirroring `new`, so that the save that renames it mirrors it
/// again under that name ([`after_edit`]).
pub fn rename_mirror(doc: &mut Document, old: &str, new: &str) -> Result<()> {
    let i = {
        let v = view::read_lenient(doc);
        match v.profiles.get("default") {
            Some(d) if d.get(MIRRORS_KEY) == Some(old) => d.index,
            _ => return Ok(()),
        }
    };
    doc.set_value(i, MIRRORS_KEY, new)
        .map_err(|e| ConfigError::ConfigEdit(e.to_string()))
}

/// The person's own changes to the mirrored default of `doc` (read as `view`), against what
/// Lanyard remembers writing, else `fallback` (the mirror the profile gave).
fn own_changes(
    doc: &Document,
    view: &ConfigView,
    name: &str,
    remembered: Option<&(String, String)>,
    fallback: Option<&String>,
) -> Option<Edited> {
    let (_, found) = mirror::mirrored_body(doc, view)?;
    let expected = remembered
        .filter(|(p, _)| p == name)
        .map(|(_, b)| b)
        .or(fallback)?
        .clone();
    (expected != found).then(|| Edited {
        profile: name.to_owned(),
        expected,
        found,
    })
}

/// After an edit turned the config text `before` into `doc`: when `[default]` mirrored a
/// profile that the edit changed, `[default]` is made to mirror it again (in `doc`, so the
/// same save writes both); a renamed profile (the edit renamed the mark too, see
/// [`rename_mirror`]) is mirrored under its new name. What the person had changed in
/// `[default]` itself (against `remembered`, the mirror record) is carried over. `None` when
/// there is nothing to follow: no mirrored default, an edit that left the profile as it was,
/// one that removed it (`[default]` keeps its last keys and its mark), or one that chose the
/// default itself (a switch or restore). Call [`Follow::remember`] once the edit is written.
pub fn after_edit(
    remembered: Option<&(String, String)>,
    before: &str,
    doc: &mut Document,
) -> Result<Option<Follow>> {
    if !before.contains(MIRRORS_KEY) {
        return Ok(None);
    }
    let old = Document::parse(before);
    let Ok(old_view) = view::read(&old) else {
        return Ok(None);
    };
    let Some(name) = switch::active(&old_view) else {
        return Ok(None);
    };
    let (to, changes) = {
        let Ok(new_view) = view::read(doc) else {
            // The save refuses such a file anyway.
            return Ok(None);
        };
        if !switch::has_saved(&new_view) {
            return Ok(None);
        }
        let old_body = mirror_of(&old, &old_view, &name);
        let to = match switch::active(&new_view) {
            // The profile removed: [default] keeps its last keys and its mark (it follows the
            // profile again if it comes back).
            Some(n) if n == name && !new_view.profiles.contains_key(name.as_str()) => {
                return Ok(None)
            }
            Some(n) if n == name => {
                if mirror_of(doc, &new_view, &name) == old_body {
                    return Ok(None);
                }
                n
            }
            // A rename ([`rename_mirror`] renamed the mark): the new name was not there
            // before and the old one is gone. Any other new mark is a switch.
            Some(n)
                if !old_view.profiles.contains_key(n.as_str())
                    && new_view.profiles.contains_key(n.as_str())
                    && !new_view.profiles.contains_key(name.as_str()) =>
            {
                n
            }
            _ => return Ok(None),
        };
        // The person's changes are those of [default] before this edit: what the edit itself
        // did to [default] (a session's storage switch rewrites it as one of its profiles) is
        // replaced by the mirror.
        let changes = own_changes(&old, &old_view, &name, remembered, old_body.as_ref());
        (to, changes)
    };
    let record = remirror(doc, &to, changes.as_ref())?;
    let followed = if to == name {
        Followed::Updated {
            profile: to,
            kept: changes.is_some(),
        }
    } else {
        Followed::Renamed { from: name, to }
    };
    let follow = Follow { followed, record };
    tracing::info!(followed = ?follow.followed, "the default follows its profile");
    Ok(Some(follow))
}

/// [`after_edit`] on a file loaded, then edited (its text as read is the text before), with
/// the mirror record kept in `dirs`.
pub fn in_file(dirs: &crate::dirs::Dirs, file: &mut ConfigFile) -> Result<Option<Follow>> {
    let Some(before) = file.loaded_shared() else {
        return Ok(None);
    };
    let path = file.path().to_path_buf();
    in_doc(dirs, &path, &before, &mut file.doc)
}

/// [`after_edit`] on the document of the config file at `path`, edited from `before`, with
/// the mirror record kept in `dirs`.
pub fn in_doc(
    dirs: &crate::dirs::Dirs,
    path: &Path,
    before: &str,
    doc: &mut Document,
) -> Result<Option<Follow>> {
    if !before.contains(MIRRORS_KEY) {
        return Ok(None);
    }
    let remembered = mirror::remembered(dirs, path);
    after_edit(remembered.as_ref(), before, doc)
}

/// [`super::versioned::save`] of a file edited with [`in_file`]: once written, what `follow`
/// did to the default is remembered.
pub fn save(
    ctx: &Context,
    file: &mut ConfigFile,
    follow: Option<Follow>,
) -> Result<super::versioned::Edited> {
    let out = super::versioned::save(ctx, file)?;
    if let (Some(f), super::versioned::Outcome::Saved { .. }) = (follow, &out.outcome) {
        f.remember(&ctx.dirs, file.path());
    }
    Ok(out)
}

/// What [`follow`] finds in a config: the profile mirrored, when it changed since Lanyard
/// mirrored it (the record's body differs from the mirror it gives now). A default without a
/// record (mirrored by another machine, say), one whose profile is gone, or a default the
/// person changed while the profile stayed as it was, is left alone.
fn profile_changed(
    doc: &Document,
    view: &ConfigView,
    remembered: Option<&(String, String)>,
) -> Option<String> {
    let name = switch::active(view)?;
    let (profile, body) = remembered?;
    if *profile != name || !switch::has_saved(view) || !view.profiles.contains_key(name.as_str()) {
        return None;
    }
    (mirror_of(doc, view, &name)? != *body).then_some(name)
}

/// A hand edit of the mirrored profile (another program, a text editor) since Lanyard last
/// wrote `[default]`: `[default]` is made to mirror it again, through
/// [`super::files::edit_and_save`], carrying over what the person changed in `[default]`
/// itself (never overwritten). `file` and `view` are the config as just read; nothing is
/// written when the profile is as Lanyard mirrored it (a hand edit of `[default]` alone is the
/// person's and stays). The app calls it whenever it reads the config.
pub fn follow(ctx: &Context, file: &ConfigFile, view: &ConfigView) -> Result<Option<Followed>> {
    if !file.loaded_text().is_some_and(|t| t.contains(MIRRORS_KEY)) {
        return Ok(None);
    }
    let path = file.path();
    let remembered = mirror::remembered(&ctx.dirs, path);
    if profile_changed(&file.doc, view, remembered.as_ref()).is_none() {
        return Ok(None);
    }
    let (done, _) = super::files::edit_and_save(ctx, path, |f| {
        // Again on the file as it is under the lock.
        let remembered = mirror::remembered(&ctx.dirs, path);
        let (name, changes) = {
            let v = read_view(&f.doc)?;
            let Some(name) = profile_changed(&f.doc, &v, remembered.as_ref()) else {
                return Ok(None);
            };
            let changes = own_changes(&f.doc, &v, &name, remembered.as_ref(), None);
            (name, changes)
        };
        let record = remirror(&mut f.doc, &name, changes.as_ref())?;
        Ok(Some((
            Followed::Updated {
                profile: name,
                kept: changes.is_some(),
            },
            record,
        )))
    })?;
    Ok(done.map(|(followed, record)| {
        mirror::remember(&ctx.dirs, path, Some(record));
        tracing::info!(?followed, "the default follows a hand edit of its profile");
        followed
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::switch::{apply_with, Changes, Choice};

    /// A hand-made config: a comment, `[default]`, a generated `dev` and `prod`.
    const OWN: &str = include_str!("follow/own.config");

    /// `text` with `[default]` made to mirror `name`, and the record a switch remembers.
    fn switched(text: &str, name: &str) -> (String, (String, String)) {
        let mut doc = Document::parse(text);
        let record = apply_with(&mut doc, Choice::Profile(name), Changes::Refuse, None)
            .unwrap()
            .unwrap();
        (doc.to_text(), record)
    }

    /// `text` after `edit` and the follow of the default.
    fn edited(
        text: &str,
        record: &(String, String),
        edit: impl FnOnce(&mut Document),
    ) -> (String, Option<Follow>) {
        let mut doc = Document::parse(text);
        edit(&mut doc);
        let f = after_edit(Some(record), text, &mut doc).unwrap();
        (doc.to_text(), f)
    }

    fn reads(text: &str, profile: &str, key: &str) -> Option<String> {
        let doc = Document::parse(text);
        let view = view::read(&doc).unwrap();
        view.profiles
            .get(profile)
            .and_then(|p| p.get(key))
            .map(str::to_owned)
    }

    fn restored(text: &str) -> String {
        let mut doc = Document::parse(text);
        let remembered = {
            let v = view::read(&doc).unwrap();
            mirror::mirrored_body(&doc, &v)
        };
        apply_with(
            &mut doc,
            Choice::Restore,
            Changes::Refuse,
            remembered.as_ref(),
        )
        .unwrap();
        doc.to_text()
    }

    fn set(doc: &mut Document, section: &str, key: &str, value: &str) {
        let i = doc.find_section(section).unwrap();
        doc.set_value(i, key, value).unwrap();
    }

    #[test]
    fn an_edit_of_the_mirrored_profile_rewrites_the_default_in_the_same_document() {
        let (one, record) = switched(OWN, "dev");
        let (two, f) = edited(&one, &record, |d| {
            set(d, "profile dev", "region", "ap-south-1")
        });
        let f = f.expect("followed");
        assert_eq!(
            f.followed,
            Followed::Updated {
                profile: "dev".into(),
                kept: false
            }
        );
        assert_eq!(
            reads(&two, "default", "region").as_deref(),
            Some("ap-south-1")
        );
        assert_eq!(reads(&two, "default", MIRRORS_KEY).as_deref(), Some("dev"));
        // The record is the default as written: nothing shows as the person's change.
        let doc = Document::parse(&two);
        let v = view::read(&doc).unwrap();
        assert_eq!(Some(&f.record), mirror::mirrored_body(&doc, &v).as_ref());
        assert_eq!(mirror::edited(&doc, &v, Some(&f.record)), None);
        // Restore gives back the person's default, byte for byte; dev keeps its edit.
        assert_eq!(
            restored(&two),
            OWN.replace("region = us-east-1", "region = ap-south-1")
        );
    }

    #[test]
    fn an_edit_elsewhere_or_a_switch_is_not_followed() {
        let (one, record) = switched(OWN, "dev");
        let (_, f) = edited(&one, &record, |d| set(d, "profile prod", "region", "x-1"));
        assert_eq!(f, None, "another profile changed");
        let (_, f) = edited(&one, &record, |d| {
            *d = Document::parse(&switched(&d.to_text(), "prod").0);
        });
        assert_eq!(f, None, "a switch chooses the default itself");
        let (_, f) = edited(OWN, &record, |d| set(d, "profile dev", "region", "x-1"));
        assert_eq!(f, None, "no mirrored default");
    }

    #[test]
    fn a_rename_is_followed_and_a_removal_leaves_the_default_as_it_is() {
        let (one, record) = switched(OWN, "dev");
        let (two, f) = edited(&one, &record, |d| {
            crate::config::edit::rename_profile(d, "dev", "develop").unwrap()
        });
        assert_eq!(
            f.unwrap().followed,
            Followed::Renamed {
                from: "dev".into(),
                to: "develop".into()
            }
        );
        assert_eq!(
            reads(&two, "default", MIRRORS_KEY).as_deref(),
            Some("develop")
        );
        assert_eq!(
            restored(&two),
            OWN.replace("[profile dev]", "[profile develop]")
        );
        // Removed (even with another profile added in the same save, as a populate run that
        // trades one account for another does): [default] keeps its keys and its mark.
        let (three, f) = edited(&one, &record, |d| {
            crate::config::edit::remove_profile(d, "dev").unwrap();
            set_new(d, "profile other", "region", "sa-east-1");
        });
        assert_eq!(f, None);
        assert_eq!(
            reads(&three, "default", MIRRORS_KEY).as_deref(),
            Some("dev")
        );
        assert_eq!(
            reads(&three, "default", "region").as_deref(),
            Some("us-east-1")
        );
        let want = OWN.replace(
            "[profile dev]\nregion = us-east-1\noutput = text\nlanyard_generated = corp\n\n",
            "",
        ) + "[profile other]\nregion = sa-east-1\n";
        assert_eq!(restored(&three), want);
        // When it comes back, the default follows it again.
        let (_, f) = edited(&three, &record, |d| {
            set_new(d, "profile dev", "region", "us-east-2");
        });
        assert_eq!(
            f.unwrap().followed,
            Followed::Updated {
                profile: "dev".into(),
                kept: false
            }
        );
    }

    fn set_new(doc: &mut Document, section: &str, key: &str, value: &str) {
        let i = doc.add_section(section).unwrap();
        doc.set_value(i, key, value).unwrap();
    }

    #[test]
    fn the_persons_change_to_the_default_is_carried_over_never_overwritten() {
        let (one, record) = switched(OWN, "dev");
        // The person sets the default's region (as `aws configure set region` does)...
        let mut doc = Document::parse(&one);
        set(&mut doc, "default", "region", "ap-northeast-1");
        let mine = doc.to_text();
        // ...then Lanyard edits dev's region and output.
        let (two, f) = edited(&mine, &record, |d| {
            set(d, "profile dev", "region", "us-west-2");
            set(d, "profile dev", "output", "yaml");
        });
        let f = f.unwrap();
        assert_eq!(
            f.followed,
            Followed::Updated {
                profile: "dev".into(),
                kept: true
            }
        );
        assert_eq!(
            reads(&two, "default", "region").as_deref(),
            Some("ap-northeast-1")
        );
        assert_eq!(reads(&two, "default", "output").as_deref(), Some("yaml"));
        // Still the person's change: a switch or restore asks about it.
        let doc = Document::parse(&two);
        let v = view::read(&doc).unwrap();
        let e = mirror::edited(&doc, &v, Some(&f.record)).unwrap();
        assert!(
            e.diff().contains("+region = ap-northeast-1"),
            "{}",
            e.diff()
        );
    }

    #[test]
    fn a_hand_edit_of_the_profile_is_found_against_the_record_and_one_of_the_default_is_not() {
        let (one, record) = switched(OWN, "dev");
        let changed = |text: &str| {
            let doc = Document::parse(text);
            let v = view::read(&doc).unwrap();
            profile_changed(&doc, &v, Some(&record))
        };
        assert_eq!(changed(&one), None);
        let mut doc = Document::parse(&one);
        set(&mut doc, "default", "region", "x-1");
        assert_eq!(changed(&doc.to_text()), None, "the default is the person's");
        set(&mut doc, "profile dev", "region", "x-2");
        assert_eq!(changed(&doc.to_text()).as_deref(), Some("dev"));
    }
}
