// @vitest-environment happy-dom
// The device-code dialog mounted in a DOM with a fake backend: it renders the code from the
// event (and one already waiting), copies through the backend, opens the link through the
// backend (not in the window), and closes when that sign-in is done.
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend, DeviceCode, SignInDone } from '../backend';
import { stubBackend } from '../backend/testing';
import DeviceCodeDialog from './DeviceCodeDialog.svelte';
import { ended, started } from './device-codes';

const lab: DeviceCode = {
  session: 'lab',
  userCode: 'WXYZ-2345',
  verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=WXYZ-2345',
};

function fakeBackend(waiting: DeviceCode[] = []) {
  let deviceCode: ((c: DeviceCode) => void) | undefined;
  let signInDone: ((d: SignInDone) => void) | undefined;
  const backend = {
    ...stubBackend(),
    deviceSignIns: vi.fn(async () => waiting),
    copyDeviceCode: vi.fn(async (_session: string) => {}),
    openDeviceVerification: vi.fn(async (_session: string) => {}),
    onDeviceCode: vi.fn(async (h: (c: DeviceCode) => void) => {
      deviceCode = h;
      return () => (deviceCode = undefined);
    }),
    onSignInDone: vi.fn(async (h: (d: SignInDone) => void) => {
      signInDone = h;
      return () => (signInDone = undefined);
    }),
  };
  return {
    backend,
    emitDeviceCode: (c: DeviceCode) => {
      if (!deviceCode) throw new Error('nobody listens to device-code');
      deviceCode(c);
      flushSync();
    },
    emitDone: (d: SignInDone) => {
      if (!signInDone) throw new Error('nobody listens to sign-in-done');
      signInDone(d);
      flushSync();
    },
    listening: () => deviceCode !== undefined && signInDone !== undefined,
  };
}

let mounted: ReturnType<typeof mount> | undefined;

async function render(backend: Backend, lang: 'en' | 'zh-TW' = 'en') {
  mounted = mount(DeviceCodeDialog, { target: document.body, props: { lang, backend } });
  // Let onMount's listen and fetch promises settle.
  for (let i = 0; i < 3; i++) await tick();
  flushSync();
}

const dialog = () => document.querySelector('#device-code-dialog');
const text = (sel: string) => document.querySelector(sel)?.textContent?.trim();

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = undefined;
  document.body.innerHTML = '';
});

describe('DeviceCodeDialog', () => {
  it('shows nothing until a device sign-in starts, then the code large with its link', async () => {
    const f = fakeBackend();
    await render(f.backend);
    expect(f.listening()).toBe(true);
    expect(dialog()).toBeNull();

    f.emitDeviceCode(lab);
    expect(dialog()).not.toBeNull();
    expect(text('#device-code-title')).toBe('Sign in to lab');
    expect(text('#device-code')).toBe('WXYZ-2345');
    const link = document.querySelector<HTMLAnchorElement>('#device-code-link');
    expect(link?.textContent).toBe(lab.verificationUri);
    expect(link?.getAttribute('href')).toBe(lab.verificationUriComplete);
  });

  it('copies the code through the backend and says so', async () => {
    const f = fakeBackend();
    await render(f.backend);
    f.emitDeviceCode(lab);
    document.querySelector<HTMLButtonElement>('#device-code-copy')?.click();
    await tick();
    flushSync();
    expect(f.backend.copyDeviceCode).toHaveBeenCalledWith('lab');
    expect(text('#device-code-note')).toBe('Copied');
  });

  it('says when copying failed', async () => {
    const f = fakeBackend();
    f.backend.copyDeviceCode.mockRejectedValueOnce({ code: 'clipboard', message: 'no display' });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await render(f.backend);
    f.emitDeviceCode(lab);
    document.querySelector<HTMLButtonElement>('#device-code-copy')?.click();
    await tick();
    await tick();
    flushSync();
    expect(text('#device-code-note')).toContain('Could not copy');
  });

  it('opens the verification page through the backend, not in the window', async () => {
    const f = fakeBackend();
    await render(f.backend);
    f.emitDeviceCode(lab);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    document.querySelector('#device-code-link')?.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(f.backend.openDeviceVerification).toHaveBeenCalledWith('lab');
  });

  it('closes when that sign-in is done, not when another one is', async () => {
    const f = fakeBackend();
    await render(f.backend);
    f.emitDeviceCode(lab);
    f.emitDone({ session: 'corp', ok: true, code: null });
    expect(text('#device-code')).toBe('WXYZ-2345');
    f.emitDone({ session: 'lab', ok: false, code: 'access_denied' });
    expect(dialog()).toBeNull();
  });

  it('shows a sign-in that was already waiting when the window opened, in zh-TW too', async () => {
    const f = fakeBackend([lab]);
    await render(f.backend, 'zh-TW');
    expect(text('#device-code')).toBe('WXYZ-2345');
    expect(text('#device-code-title')).toBe('登入 lab');
    expect(text('#device-code-copy')).toBe('複製代碼');
  });

  it('can be hidden, and comes back for the next code of that session', async () => {
    const f = fakeBackend();
    await render(f.backend);
    f.emitDeviceCode(lab);
    document.querySelector<HTMLButtonElement>('#device-code-hide')?.click();
    flushSync();
    expect(dialog()).toBeNull();
    f.emitDeviceCode({ ...lab, userCode: 'ABCD-6789' });
    expect(text('#device-code')).toBe('ABCD-6789');
  });
});

describe('device-codes list', () => {
  it('keeps one entry per session, newest last, and drops ended ones', () => {
    const corp = { ...lab, session: 'corp', userCode: 'C' };
    let list = started(started([], lab), corp);
    list = started(list, { ...lab, userCode: 'NEW' });
    expect(list.map((c) => `${c.session}:${c.userCode}`)).toEqual(['corp:C', 'lab:NEW']);
    expect(ended(list, 'lab').map((c) => c.session)).toEqual(['corp']);
  });
});
