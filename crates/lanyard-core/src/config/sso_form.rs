//! The SSO keys a profile carries, by its session's storage mode. File mode writes what every
//! SDK reads: `sso_session`, `sso_account_id`, `sso_role_name`. Secure mode (tokens in the
//! keychain) must not: botocore prefers `sso_*` keys over `credential_process` and would look
//! for a token file that is not there. A secure profile instead runs
//! `credential_process = <absolute path of lanyard> credentials --profile NAME` and keeps its
//! SSO details in Lanyard's own keys (`lanyard_sso_session`, `lanyard_account_id`,
//! `lanyard_role_name`), which the SDKs ignore. [`session_profile_keys`] is the one place that
//! decides the keys (the wizard and populate write what it returns; an edit is put in its
//! session's form by [`conform_profile`]);
//! [`rewrite_profile`] turns an existing profile from one form into the other in place — key
//! lines renamed, `credential_process` added or removed — so that switching a session's mode
//! and back gives the file's original bytes.

use std::path::Path;

use aws_config_edit::Document;

use super::edit::{find, Kind};
use super::keys::{profile_session_name, Storage, STORAGE_KEY};
use super::shlex;
use crate::config::error::{ConfigError, Result};

/// The SDKs' keys of an sso-session profile, in the AWS CLI's order.
pub const SDK_KEYS: [&str; 3] = ["sso_session", "sso_account_id", "sso_role_name"];
/// Their secure-mode counterparts, in the same order.
pub const SECURE_KEYS: [&str; 3] = [
    "lanyard_sso_session",
    "lanyard_account_id",
    "lanyard_role_name",
];
/// The key a secure profile's credentials come through.
pub const CREDENTIAL_PROCESS: &str = "credential_process";

fn edit_err(e: aws_config_edit::EditError) -> ConfigError {
    ConfigError::ConfigEdit(e.to_string())
}

/// A word of a `credential_process` command line, quoted as the SDKs split it (POSIX shell
/// rules; on Windows botocore splits on spaces outside double quotes).
fn quote_word(s: &str) -> String {
    if cfg!(windows) {
        if s.contains([' ', '\t']) {
            format!("\"{s}\"")
        } else {
            s.to_owned()
        }
    } else {
        shlex::quote(s)
    }
}

/// `<lanyard> credentials --profile NAME`, the command of a secure profile.
pub fn credential_process(lanyard: &Path, profile: &str) -> String {
    format!(
        "{} credentials --profile {}",
        quote_word(&lanyard.to_string_lossy()),
        quote_word(profile)
    )
}

/// Whether a `credential_process` value is one Lanyard wrote (`…lanyard… credentials
/// --profile X`), and so may be removed when the profile goes back to file mode.
pub fn is_lanyard_process(value: &str) -> bool {
    let Ok(words) = shlex::split(value) else {
        return false;
    };
    matches!(words.as_slice(), [exe, c, p, _] if c == "credentials" && p == "--profile"
        && Path::new(exe).file_name().is_some_and(|n| n.to_string_lossy().starts_with("lanyard")))
}

/// The SSO keys (in order) a profile named `profile` of sso-session `session` kept in
/// `storage` must carry for (account, role), and the `lanyard` executable its
/// `credential_process` runs in secure mode (see [`crate::env::lanyard_executable`]).
pub fn session_profile_keys(
    session: &str,
    storage: Storage,
    profile: &str,
    account: &str,
    role: &str,
    lanyard: &Path,
) -> Vec<(&'static str, String)> {
    match storage {
        Storage::File => vec![
            ("sso_session", session.to_owned()),
            ("sso_account_id", account.to_owned()),
            ("sso_role_name", role.to_owned()),
        ],
        Storage::Keychain => vec![
            (CREDENTIAL_PROCESS, credential_process(lanyard, profile)),
            ("lanyard_sso_session", session.to_owned()),
            ("lanyard_account_id", account.to_owned()),
            ("lanyard_role_name", role.to_owned()),
        ],
    }
}

/// Turns the profile `profile` into `storage`'s form, in place: each key of the other form is
/// renamed (its line otherwise untouched), `credential_process` is set (secure) or Lanyard's
/// removed (file). Returns whether anything changed; a profile that is not there is left alone.
pub fn rewrite_profile(
    doc: &mut Document,
    profile: &str,
    storage: Storage,
    lanyard: &Path,
) -> Result<bool> {
    let Some(i) = find(doc, Kind::Profile, profile) else {
        return Ok(false);
    };
    let before = doc.to_text();
    doc.transaction(|doc| {
        let (from, to) = match storage {
            Storage::Keychain => (SDK_KEYS, SECURE_KEYS),
            Storage::File => (SECURE_KEYS, SDK_KEYS),
        };
        for (old, new) in from.iter().zip(to) {
            let section = &doc.sections()[i];
            let has_new = section.entry(new).is_some();
            match section.entry(old).map(|e| e.value().to_owned()) {
                None => {}
                // Both forms: the one just written (the old name, e.g. by `profiles set`) wins.
                Some(value) if has_new => {
                    doc.set_value(i, new, &value).map_err(edit_err)?;
                    doc.remove_key(i, old).map_err(edit_err)?;
                }
                Some(_) => {
                    doc.rename_key(i, old, new).map_err(edit_err)?;
                }
            }
        }
        let process = doc.sections()[i]
            .entry(CREDENTIAL_PROCESS)
            .map(|e| e.value().to_owned());
        match storage {
            Storage::Keychain => {
                let want = credential_process(lanyard, profile);
                if process.as_deref() != Some(want.as_str()) {
                    doc.set_value(i, CREDENTIAL_PROCESS, &want)
                        .map_err(edit_err)?;
                }
            }
            Storage::File => {
                if process.as_deref().is_some_and(is_lanyard_process) {
                    doc.remove_key(i, CREDENTIAL_PROCESS).map_err(edit_err)?;
                }
            }
        }
        Ok::<(), ConfigError>(())
    })?;
    Ok(doc.to_text() != before)
}

/// The storage mode of the session a profile names in `doc` (either form), if it names one
/// that is configured.
fn profile_storage(doc: &Document, profile: &str) -> Option<Storage> {
    let view = super::view::read_lenient(doc);
    let session = profile_session_name(view.profiles.get(profile)?)?;
    let section = view.sso_sessions.get(session)?;
    Storage::from_config(section.get(STORAGE_KEY))
}

/// Puts a profile in the form its session's mode asks for (after an edit by the editor or a
/// rename); a profile without an sso-session is left alone. Returns whether anything changed.
pub fn conform_profile(doc: &mut Document, profile: &str, lanyard: &Path) -> Result<bool> {
    match profile_storage(doc, profile) {
        Some(storage) => rewrite_profile(doc, profile, storage, lanyard),
        None => Ok(false),
    }
}

/// Records `storage` in `[sso-session NAME]` (`lanyard_storage = keychain`, or the key removed
/// for files) and rewrites every profile of the session into that mode's form. Returns the
/// profiles rewritten. The tokens are not moved here (see [`crate::sessions::storage`]).
pub fn set_session_storage(
    doc: &mut Document,
    session: &str,
    storage: Storage,
    lanyard: &Path,
) -> Result<Vec<String>> {
    doc.transaction(|doc| {
        let i = find(doc, Kind::SsoSession, session).ok_or_else(|| {
            ConfigError::NoSession(format!("there is no sso-session named {session:?}"))
        })?;
        match storage {
            Storage::Keychain => doc
                .set_value(i, STORAGE_KEY, Storage::Keychain.as_str())
                .map_err(edit_err)?,
            Storage::File => {
                doc.remove_key(i, STORAGE_KEY).map_err(edit_err)?;
            }
        }
        let profiles: Vec<String> = {
            let view = super::view::read_lenient(doc);
            view.profiles
                .iter()
                .filter(|(_, p)| profile_session_name(p) == Some(session))
                .map(|(n, _)| n.to_string())
                .collect()
        };
        let mut rewritten = Vec::new();
        for p in profiles {
            if rewrite_profile(doc, &p, storage, lanyard)? {
                rewritten.push(p);
            }
        }
        Ok(rewritten)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const LANYARD: &str = "/opt/lanyard/bin/lanyard";

    const FILE_MODE: &str = "\
# mine
[profile dev]
sso_session = corp
sso_account_id = 111111111111   
sso_role_name=Admin
region = us-east-1

[profile other]
sso_session = elsewhere
sso_account_id = 2
sso_role_name = R

[sso-session corp]
sso_start_url = https://d-1.awsapps.com/start
sso_region = us-east-1
";

    #[test]
    fn the_keys_of_each_mode() {
        let lanyard = Path::new(LANYARD);
        assert_eq!(
            session_profile_keys("corp", Storage::File, "dev", "1", "Admin", lanyard),
            vec![
                ("sso_session", "corp".to_owned()),
                ("sso_account_id", "1".to_owned()),
                ("sso_role_name", "Admin".to_owned())
            ]
        );
        assert_eq!(
            session_profile_keys("corp", Storage::Keychain, "team a", "1", "Admin", lanyard),
            vec![
                (
                    CREDENTIAL_PROCESS,
                    "/opt/lanyard/bin/lanyard credentials --profile 'team a'".to_owned()
                ),
                ("lanyard_sso_session", "corp".to_owned()),
                ("lanyard_account_id", "1".to_owned()),
                ("lanyard_role_name", "Admin".to_owned())
            ]
        );
        assert!(is_lanyard_process(
            "'/my apps/lanyard' credentials --profile 'team a'"
        ));
        assert!(!is_lanyard_process("/usr/bin/aws-vault exec dev --json"));
    }

    #[test]
    fn switching_a_session_rewrites_only_its_profiles_and_switching_back_gives_the_bytes_back() {
        let mut doc = Document::parse(FILE_MODE);
        let lanyard = Path::new(LANYARD);
        let changed = set_session_storage(&mut doc, "corp", Storage::Keychain, lanyard).unwrap();
        assert_eq!(changed, vec!["dev"]);
        assert_eq!(
            doc.to_text(),
            "\
# mine
[profile dev]
lanyard_sso_session = corp
lanyard_account_id = 111111111111   
lanyard_role_name=Admin
region = us-east-1
credential_process = /opt/lanyard/bin/lanyard credentials --profile dev

[profile other]
sso_session = elsewhere
sso_account_id = 2
sso_role_name = R

[sso-session corp]
sso_start_url = https://d-1.awsapps.com/start
sso_region = us-east-1
lanyard_storage = keychain
"
        );
        set_session_storage(&mut doc, "corp", Storage::File, lanyard).unwrap();
        assert_eq!(doc.to_text(), FILE_MODE);
    }

    #[test]
    fn an_edit_in_the_sdk_form_is_conformed_to_a_secure_session() {
        let lanyard = Path::new(LANYARD);
        let mut doc = Document::parse(FILE_MODE);
        set_session_storage(&mut doc, "corp", Storage::Keychain, lanyard).unwrap();
        let i = find(&doc, Kind::Profile, "dev").unwrap();
        doc.set_value(i, "sso_account_id", "333333333333").unwrap();
        assert!(conform_profile(&mut doc, "dev", lanyard).unwrap());
        let text = doc.to_text();
        let dev = text.split("[profile other]").next().unwrap();
        assert!(dev.contains("lanyard_account_id = 333333333333"), "{text}");
        assert!(!dev.contains("\nsso_account_id"), "{text}");
        assert!(!conform_profile(&mut doc, "other", lanyard).unwrap());
    }
}
