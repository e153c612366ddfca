import { describe, expect, it } from 'vitest';
import { catalogs, languages } from '../i18n';
import { pageById, pages } from './pages';

describe('pages', () => {
  it('are the five of the design, in order, with unique ids', () => {
    expect(pages.map((p) => p.id)).toEqual([
      'sessions',
      'profiles',
      'ssoSessions',
      'populate',
      'settings',
    ]);
  });

  it('have every label and empty state translated in every language', () => {
    for (const lang of languages) {
      for (const page of pages) {
        const keys = [page.label, ...(page.empty ? [page.empty.title, page.empty.body] : [])];
        for (const key of keys) expect(catalogs[lang][key], `${lang} ${key}`).toBeTruthy();
      }
    }
  });

  it('give every list page an empty state, and only Settings none', () => {
    expect(pages.filter((p) => !p.empty).map((p) => p.id)).toEqual(['settings']);
  });

  it('fall back to the first page for an unknown id', () => {
    expect(pageById('populate').id).toBe('populate');
    expect(pageById('nope').id).toBe('sessions');
  });

  it('show the zh-TW navigation labels the end-to-end test looks for', () => {
    expect(catalogs['zh-TW']['nav.sessions']).toBe('工作階段');
    expect(catalogs['zh-TW']['nav.settings']).toBe('設定');
  });
});
