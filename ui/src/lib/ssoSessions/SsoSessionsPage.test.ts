// @vitest-environment happy-dom
// The SSO sessions page over the mock backend: the delete dialog takes the focus, Escape closes
// it, the app's refusal (profiles still use the session) is shown in it by code, and a session
// nobody uses is deleted; a new session saved in the form is listed.
import { mountIn, settle, unmountAll } from '../testing/mount';
import { describe, expect, it } from 'vitest';
import { createMockBackend } from '../backend/mock';
import SsoSessionsPage from './SsoSessionsPage.svelte';



async function render() {
  const backend = createMockBackend();
  mountIn(SsoSessionsPage, { lang: 'en', backend });
  await settle();
  return backend;
}

const button = (label: string) => document.querySelector(`button[aria-label="${label}"]`) as HTMLButtonElement;

describe('SsoSessionsPage', () => {
  it('lists the sso-sessions (not the legacy start URL)', async () => {
    await render();
    const rows = [...document.querySelectorAll('tbody tr')].map((r) => (r as HTMLElement).dataset.session);
    expect(rows).toEqual(['corp', 'lab']);
  });

  it('asks before deleting, focuses the dialog button, closes on Escape', async () => {
    await render();
    button('Delete corp').click();
    await settle();
    const dialog = document.getElementById('delete-dialog')!;
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(document.activeElement?.id).toBe('delete-confirm');
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(document.getElementById('delete-dialog')).toBeNull();
  });

  it('shows the refusal when profiles use the session', async () => {
    await render();
    button('Delete corp').click();
    await settle();
    (document.getElementById('delete-confirm') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById('delete-error')?.textContent).toContain('Profiles still use this SSO session');
    expect(document.querySelector('tr[data-session="corp"]')).not.toBeNull();
  });

  it('saves a new session from the form and deletes it again', async () => {
    const backend = await render();
    await backend.saveSsoSession(
      { name: 'spare', start_url: 'https://spare.awsapps.com/start', region: 'us-east-1', scopes: null, use_device_code: false, storage: 'file', duration: null },
      true,
    );
    unmountAll();
    mountIn(SsoSessionsPage, { lang: 'en', backend });
    await settle();
    expect(document.querySelector('tr[data-session="spare"]')).not.toBeNull();
    button('Delete spare').click();
    await settle();
    (document.getElementById('delete-confirm') as HTMLButtonElement).click();
    await settle();
    expect(document.querySelector('tr[data-session="spare"]')).toBeNull();
    expect(document.getElementById('sso-notice')?.textContent).toBe('Deleted SSO session spare.');
  });
});
