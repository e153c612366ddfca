//! The Rust side of the UI's message catalogs (`ui/src/lib/i18n/{en,zh-TW}.json`), embedded so
//! the tray and notifications use the same translations as the window, and the choice of
//! language: `LANYARD_LANG` first, then the POSIX locale variables, then English.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use lanyard_core::Env;
use serde::{Deserialize, Serialize};

const EN_JSON: &str = include_str!("../../ui/src/lib/i18n/en.json");
const ZH_TW_JSON: &str = include_str!("../../ui/src/lib/i18n/zh-TW.json");

/// A language Lanyard is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Language {
    /// English, the fallback.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Traditional Chinese.
    #[serde(rename = "zh-TW")]
    ZhTw,
}

impl Language {
    /// The settings file's tag for this language.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::ZhTw => "zh-TW",
        }
    }

    /// The language for one tag: a BCP 47 tag (`zh-Hant-TW`) or a POSIX locale (`zh_TW.UTF-8`).
    /// Same rule as the UI's `detectLanguage`: Chinese in Traditional script (TW, HK, MO, Hant)
    /// is zh-TW; any other Chinese is English (no Simplified catalog); English is English;
    /// anything else is undecided (`None`), so the caller may look at the next preference.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let lower = tag.trim().to_ascii_lowercase().replace('_', "-");
        let lower = lower.split(['.', '@']).next().unwrap_or_default();
        if lower.starts_with("zh") {
            let traditional = lower.contains("hant")
                || ["zh-tw", "zh-hk", "zh-mo"]
                    .iter()
                    .any(|p| lower == *p || lower.starts_with(&format!("{p}-")));
            return Some(if traditional {
                Language::ZhTw
            } else {
                Language::En
            });
        }
        if lower.starts_with("en") {
            return Some(Language::En);
        }
        None
    }

    /// The language to use in this environment: `LANYARD_LANG` overrides the OS language
    /// (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, then `LANGUAGE`'s first entry).
    pub fn detect(env: &Env) -> Language {
        Language::detect_with(env, None)
    }

    /// The language: `LANYARD_LANG`, then the one chosen in Settings (`language` in the
    /// settings file), then the system's.
    pub fn detect_with(env: &Env, chosen: Option<&str>) -> Language {
        if let Some(lang) = env.get_str("LANYARD_LANG").and_then(Language::from_tag) {
            return lang;
        }
        if let Some(lang) = chosen.and_then(Language::from_tag) {
            return lang;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"]
            .iter()
            .filter_map(|k| env.get_str(k))
            .filter_map(|v| v.split(':').next())
            .find_map(Language::from_tag)
            .unwrap_or_default()
    }
}

type Catalog = BTreeMap<String, String>;

fn parse(json: &str) -> Catalog {
    // The catalogs are checked by the unit tests below and by the UI's vitest suite, so a
    // malformed file cannot reach a build that passed `make test`; still, degrade to keys.
    serde_json::from_str(json).unwrap_or_default()
}

fn catalog(lang: Language) -> &'static Catalog {
    static EN: OnceLock<Catalog> = OnceLock::new();
    static ZH_TW: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Language::En => EN.get_or_init(|| parse(EN_JSON)),
        Language::ZhTw => ZH_TW.get_or_init(|| parse(ZH_TW_JSON)),
    }
}

/// The message for `key` in `lang`, falling back to English, then to the key itself.
pub fn text(lang: Language, key: &str) -> String {
    catalog(lang)
        .get(key)
        .or_else(|| catalog(Language::En).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The message for `key` with its `{name}` placeholders filled in from `args`.
pub fn fill(lang: Language, key: &str, args: &[(&str, &str)]) -> String {
    let mut out = text(lang, key);
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> std::collections::BTreeSet<&str> {
        s.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(p, _)| p))
            .collect()
    }

    #[test]
    fn both_catalogs_use_the_same_placeholders() {
        for (key, en) in catalog(Language::En) {
            let zh = &catalog(Language::ZhTw)[key];
            assert_eq!(placeholders(en), placeholders(zh), "{key}");
        }
        assert_eq!(
            fill(Language::En, "tray.signIn", &[("name", "corp")]),
            "Sign in to corp"
        );
    }

    #[test]
    fn both_catalogs_parse_and_have_the_same_keys() {
        let en: Catalog = serde_json::from_str(EN_JSON).expect("en.json is a flat string map");
        let zh: Catalog = serde_json::from_str(ZH_TW_JSON).expect("zh-TW.json is a flat map");
        assert!(!en.is_empty());
        assert_eq!(en.keys().collect::<Vec<_>>(), zh.keys().collect::<Vec<_>>());
    }

    #[test]
    fn text_translates_and_falls_back() {
        assert_eq!(text(Language::En, "tray.open"), "Open Lanyard");
        assert_eq!(text(Language::ZhTw, "tray.quit"), "結束");
        assert_eq!(text(Language::ZhTw, "no.such.key"), "no.such.key");
    }

    #[test]
    fn tags_and_posix_locales_map_like_the_ui() {
        for (tag, want) in [
            ("zh-TW", Some(Language::ZhTw)),
            ("zh_TW.UTF-8", Some(Language::ZhTw)),
            ("zh_HK", Some(Language::ZhTw)),
            ("zh-Hant-TW", Some(Language::ZhTw)),
            ("zh_CN.UTF-8", Some(Language::En)),
            ("zh-twx", Some(Language::En)),
            ("en_US.UTF-8", Some(Language::En)),
            ("de_DE.UTF-8", None),
            ("C", None),
        ] {
            assert_eq!(Language::from_tag(tag), want, "{tag}");
        }
    }

    #[test]
    fn lanyard_lang_overrides_the_os_language() {
        let env = Env::from_pairs([("LANG", "zh_TW.UTF-8"), ("LANYARD_LANG", "en")]);
        assert_eq!(Language::detect(&env), Language::En);
        let env = Env::from_pairs([("LANG", "en_US.UTF-8"), ("LANYARD_LANG", "zh-TW")]);
        assert_eq!(Language::detect(&env), Language::ZhTw);
        let env = Env::from_pairs([("LC_ALL", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")]);
        assert_eq!(Language::detect(&env), Language::ZhTw);
        assert_eq!(
            Language::detect(&Env::from_pairs([("LANG", "C")])),
            Language::En
        );
        assert_eq!(Language::detect(&Env::default()), Language::En);
    }
}
