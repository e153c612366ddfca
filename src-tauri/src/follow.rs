//! The app's side of the default following its profile (issue 20): when the engine reads the
//! config, a hand edit of the profile `[default]` mirrors is mirrored again
//! (`lanyard_core::config::follow::follow`, where the rules are) and said once, in a
//! notification.

use lanyard_core::config::follow::{self, Followed};
use lanyard_core::config::{ConfigFile, ConfigView};
use lanyard_core::Context;
use tauri::{AppHandle, Manager, Runtime};

use crate::i18n::{self, Language};
use crate::notify::{self, Note};
use crate::state::AppState;

/// After the engine read the config (`file`, as `view`): follows a hand edit of the mirrored
/// profile, with a notification when `[default]` was rewritten. A failure is logged; the next
/// read tries again.
pub fn on_reload<R: Runtime>(
    app: &AppHandle<R>,
    ctx: &Context,
    file: &ConfigFile,
    view: &ConfigView,
) {
    match follow::follow(ctx, file, view) {
        Ok(Some(done)) => {
            let lang = app.state::<AppState>().language();
            notify::show(app, note(lang, &done), |_| {});
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "cannot make the default follow its profile"),
    }
}

/// The notification saying what following did.
pub fn note(lang: Language, done: &Followed) -> Note {
    let (profile, body) = match done {
        Followed::Updated {
            profile,
            kept: true,
        } => (profile, "notify.defaultFollows.kept"),
        Followed::Updated { profile, .. } => (profile, "notify.defaultFollows.body"),
        Followed::Renamed { to, .. } => (to, "notify.defaultFollows.body"),
    };
    let args = [("profile", profile.as_str())];
    Note {
        title: i18n::fill(lang, "notify.defaultFollows.title", &args),
        body: i18n::fill(lang, body, &args),
        sign_in_again: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_the_profile_and_says_when_the_persons_changes_were_kept() {
        let updated = |kept| Followed::Updated {
            profile: "dev".into(),
            kept,
        };
        let n = note(Language::En, &updated(false));
        assert_eq!(n.title, "The default profile follows dev");
        assert!(
            n.body.starts_with("dev was changed outside Lanyard"),
            "{}",
            n.body
        );
        assert!(!n.body.contains("kept"));
        assert!(note(Language::En, &updated(true))
            .body
            .contains("[default] kept"));
        let zh = note(Language::ZhTw, &updated(true));
        assert_eq!(zh.title, "預設設定檔跟隨 dev");
        assert!(zh.body.contains("[default]") && !zh.body.contains('{'));
    }
}
