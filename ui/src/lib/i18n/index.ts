// The UI's message catalogs: one JSON file per language, shared with the Rust side (tray and
// notification text) so that each string is translated once.
import en from './en.json';
import zhTW from './zh-TW.json';

export type Language = 'en' | 'zh-TW';

/** Every language, in the order the language switcher lists them. */
export const languages: readonly Language[] = ['en', 'zh-TW'];
export type MessageKey = keyof typeof en;

export const catalogs: Record<Language, Record<MessageKey, string>> = { en, 'zh-TW': zhTW };

/** Picks the UI language from the OS's preferred languages: any Chinese variant written in
 * Traditional script (zh-TW, zh-HK, zh-MO, zh-Hant) gets zh-TW, everything else English. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) {
      if (/^zh-(tw|hk|mo)\b|hant/.test(lower)) return 'zh-TW';
      return 'en';
    }
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The message for `key` in `lang`, falling back to English. */
export function t(lang: Language, key: MessageKey): string {
  return catalogs[lang][key] ?? catalogs.en[key];
}

/** The message for `key` with its `{name}` placeholders replaced from `args` (the same rule as
 * the Rust side's `i18n::fill`). */
export function fill(lang: Language, key: MessageKey, args: Record<string, string>): string {
  return t(lang, key).replace(/\{(\w+)\}/g, (whole, name: string) => args[name] ?? whole);
}
