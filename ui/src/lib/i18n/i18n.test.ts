import { describe, expect, it } from 'vitest';
import { catalogs, detectLanguage, fill, t } from './index';
import en from './en.json';
import zhTW from './zh-TW.json';

describe('message catalogs', () => {
  it('have exactly the same keys in English and Traditional Chinese', () => {
    expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same {placeholders} in both languages (fill would leave a missing one as is)', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(en)) {
      expect(names((zhTW as Record<string, string>)[key]), key).toEqual(names(text));
    }
  });

  it('have no empty message in either language', () => {
    for (const catalog of Object.values(catalogs)) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(text.trim(), key).not.toBe('');
      }
    }
  });
});

describe('detectLanguage', () => {
  it('chooses Traditional Chinese for zh-TW, zh-HK and zh-Hant tags', () => {
    expect(detectLanguage(['zh-TW'])).toBe('zh-TW');
    expect(detectLanguage(['zh-HK', 'en'])).toBe('zh-TW');
    expect(detectLanguage(['zh-Hant-TW'])).toBe('zh-TW');
  });

  it('chooses English for English, Simplified Chinese and unknown languages', () => {
    expect(detectLanguage(['en-US'])).toBe('en');
    expect(detectLanguage(['zh-CN', 'zh-TW'])).toBe('en');
    expect(detectLanguage(['de-DE'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });
});

describe('t', () => {
  it('returns the message in the chosen language', () => {
    expect(t('en', 'app.title')).toBe('Lanyard');
    expect(t('zh-TW', 'app.tagline')).toContain('工作階段');
  });
});

describe('fill', () => {
  it('replaces named placeholders and leaves unknown ones', () => {
    expect(fill('en', 'deviceCode.title', { name: 'lab' })).toBe('Sign in to lab');
    expect(fill('zh-TW', 'deviceCode.title', { name: 'lab' })).toBe('登入 lab');
    expect(fill('en', 'deviceCode.title', {})).toBe('Sign in to {name}');
  });
});
