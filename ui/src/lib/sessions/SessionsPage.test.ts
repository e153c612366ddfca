// @vitest-environment happy-dom
// The Sessions page over the mock backend (the CLI fixtures): a card per session with its state
// and a countdown that runs (≈ for an estimate); Sign in shows progress until sign-in-done;
// a device sign-in started elsewhere waits on its card with Cancel; a refused Refresh now is
// shown by its code; a change the app announces (`state-changed`) shows at once, not at the
// next poll.
import { mountIn, settle, unmountAll } from '../testing/mount';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockBackend } from '../backend/mock';
import SessionsPage from './SessionsPage.svelte';

beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'setTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

async function render(backend = createMockBackend({ signInMs: 3000 }), lang: 'en' | 'zh-TW' = 'en') {
  mountIn(SessionsPage, { lang, backend, pollMs: 60_000 });
  await settle();
  return backend;
}

const card = (name: string) => document.querySelector(`[data-session="${name}"]`) as HTMLElement;

describe('SessionsPage', () => {
  it('shows a card per session with its state, start URL and region', async () => {
    await render();
    const names = [...document.querySelectorAll('.card h2')].map((h) => h.textContent);
    expect(names).toEqual(expect.arrayContaining(['corp', 'lab']));
    expect(card('corp').dataset.state).toBe('valid');
    expect(card('corp').textContent).toContain('https://d-1234567890.awsapps.com/start');
    expect(card('corp').textContent).toContain('eu-west-1');
    expect(card('lab').querySelector('.badge')?.textContent).toBe('Signed out');
  });

  it('counts down live, marked as an estimate', async () => {
    await render();
    const first = card('corp').querySelector('time')!.textContent!;
    expect(first).toMatch(/^≈ \d+ h \d+ min$/);
    vi.advanceTimersByTime(61_000);
    await settle();
    const later = card('corp').querySelector('time')!.textContent!;
    expect(later).not.toBe(first);
  });

  it('shows progress while a device sign-in waits, and the new state after it', async () => {
    await render();
    const signIn = card('lab').querySelector('button.primary') as HTMLButtonElement;
    expect(signIn.getAttribute('aria-label')).toBe('Sign in to lab');
    signIn.click();
    await settle();
    expect(document.getElementById('session-lab-progress')?.textContent).toContain(
      'Waiting for the device code to be confirmed',
    );
    vi.advanceTimersByTime(3000);
    await settle();
    expect(document.getElementById('session-lab-progress')).toBeNull();
    expect(card('lab').dataset.state).toBe('valid');
  });

  it('shows a device sign-in started elsewhere (the tray) as waiting, with Cancel that stops it', async () => {
    const backend = createMockBackend({ signInMs: 60_000 });
    await backend.signIn('lab'); // before the window opened
    await render(backend);
    expect(document.getElementById('session-lab-progress')?.textContent).toContain('Waiting for the device code');
    let cancelled = '';
    const cancel = backend.cancelSignIn;
    backend.cancelSignIn = async (name) => {
      cancelled = name;
      return cancel(name);
    };
    (document.querySelector('#session-lab-progress button') as HTMLButtonElement).click();
    await settle();
    expect(cancelled).toBe('lab');
    expect(document.getElementById('session-lab-progress')).toBeNull();

    await backend.signIn('lab'); // from the tray, with the window open
    await settle();
    expect(document.getElementById('session-lab-progress')).not.toBeNull();
  });

  it('shows a refused Refresh now by its code, in Chinese', async () => {
    const backend = createMockBackend();
    backend.refreshSession = async () => Promise.reject({ code: 'session_ended', message: 'the session ended' });
    await render(backend, 'zh-TW');
    const refresh = [...card('corp').querySelectorAll('button')].find((b) => b.textContent === '立即更新')!;
    refresh.click();
    await settle();
    expect(document.getElementById('session-corp-error')?.textContent).toContain('工作階段已結束，請重新登入。');
  });

  it('says a session the service refused needs sign-in, and why, in both languages (issue 20)', async () => {
    await render(createMockBackend({ needsSignIn: true }));
    expect(document.getElementById('session-corp-needs')?.textContent).toContain(
      'Identity Center ended the session (the refresh was refused).',
    );
    expect(card('corp').dataset.state).toBe('expiring');
    expect(document.getElementById('session-lab-needs')).toBeNull();
    unmountAll();
    await render(createMockBackend({ needsSignIn: true }), 'zh-TW');
    expect(document.getElementById('session-corp-needs')?.textContent).toContain('請重新登入');
  });

  it('shows a sign-out made in the tray at once, on state-changed, not at the next poll (issue 20)', async () => {
    const backend = await render();
    expect(card('corp').dataset.state).toBe('valid');
    // The tray signs corp out (the same mock state): the app announces the sessions changed.
    await backend.signOut('corp');
    await settle();
    expect(card('corp').dataset.state).toBe('signed-out');
    await backend.signIn('corp');
    vi.advanceTimersByTime(3000);
    await settle();
    expect(card('corp').dataset.state).toBe('valid');
  });

  it('reads the sessions again only for a change of the sessions, and stops listening when closed', async () => {
    const backend = createMockBackend();
    let reads = 0;
    const overview = backend.sessionsOverview;
    backend.sessionsOverview = () => {
      reads++;
      return overview();
    };
    await render(backend);
    const first = reads;
    await backend.updateSettings([{ key: 'notifications', value: false }]);
    await settle();
    expect(reads).toBe(first);
    await backend.refreshSession('corp');
    await settle();
    expect(reads).toBe(first + 1);
    unmountAll();
    await backend.signOut('corp');
    await settle();
    expect(reads).toBe(first + 1);
  });

  it('shows the empty state without sessions', async () => {
    await render(createMockBackend({ empty: true }));
    expect(document.querySelector('.empty-state h2')?.textContent).toBe('No sessions yet');
  });
});
