// @vitest-environment happy-dom
// The Settings page's clipboard field (issue 20): how long copied credentials stay on the
// clipboard, read from the settings, saved as a whole number of seconds (0: never cleared), a
// negative or fractional value refused before anything is sent, in the person's language.
import { mountIn, settle } from '../testing/mount';
import { describe, expect, it } from 'vitest';
import type { Language } from '../i18n';
import { createMockBackend } from '../backend/mock';
import SettingsPage from './SettingsPage.svelte';

async function render(lang: Language = 'en') {
  const backend = createMockBackend();
  mountIn(SettingsPage, { lang, backend, onlanguage: () => {} });
  await settle();
  return backend;
}

const input = () => document.getElementById('setting-clipboard') as HTMLInputElement;
const hint = () => document.getElementById('setting-clipboard-hint')!.textContent?.trim();

async function enter(value: string) {
  input().value = value;
  input().dispatchEvent(new Event('input', { bubbles: true }));
  (document.getElementById('save-clipboard') as HTMLButtonElement).click();
  await settle();
}

describe('SettingsPage clipboard', () => {
  it('shows the default, saves a new value and 0 for never', async () => {
    const backend = await render();
    expect(input().value).toBe('60');
    expect(document.querySelector('label[for="setting-clipboard"]')?.textContent).toBe(
      'Clear copied credentials from the clipboard after (seconds)',
    );
    await enter('5');
    expect((await backend.getSettings()).clipboard_clear_after).toBe(5);
    await enter('0');
    expect((await backend.getSettings()).clipboard_clear_after).toBe(0);
    expect(input().getAttribute('aria-invalid')).toBeNull();
  });

  it('refuses a negative or fractional number before saving, in Chinese', async () => {
    const backend = await render('zh-TW');
    await enter('-1');
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(hint()).toBe('請輸入 0 或更大的整數秒數。');
    await enter('1.5');
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect((await backend.getSettings()).clipboard_clear_after).toBe(60);
  });
});
