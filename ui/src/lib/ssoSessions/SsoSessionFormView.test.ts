// @vitest-environment happy-dom
// The configure sso-session form in a DOM: wrong fields are named (in the chosen language),
// marked aria-invalid and the first gets the focus, nothing is sent; a good form is sent as
// typed; the app's refusal is shown by its code.
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IpcError, SsoSessionForm } from '../backend';
import SsoSessionFormView from './SsoSessionFormView.svelte';

const blank: SsoSessionForm = {
  name: '',
  start_url: '',
  region: '',
  scopes: 'sso:account:access',
  use_device_code: false,
  storage: 'file',
  duration: null,
};

let mounted: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = undefined;
  document.body.innerHTML = '';
});

function render(onsave: (f: SsoSessionForm) => Promise<IpcError | null>, lang: 'en' | 'zh-TW' = 'en', create = true) {
  mounted = mount(SsoSessionFormView, {
    target: document.body,
    props: { lang, initial: blank, create, onsave, oncancel: () => {} },
  });
  flushSync();
}

function type(id: string, value: string) {
  const input = document.getElementById(id) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

async function submit() {
  document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  for (let i = 0; i < 3; i++) await tick();
  flushSync();
}

describe('SsoSessionFormView', () => {
  it('names the wrong fields, focuses the first and sends nothing', async () => {
    const onsave = vi.fn(async () => null);
    render(onsave);
    type('sso-name', 'corp');
    type('sso-start-url', 'http://d-1.awsapps.com/start');
    type('sso-region', 'Frankfurt');
    await submit();
    expect(onsave).not.toHaveBeenCalled();
    expect(document.getElementById('sso-start-url-error')?.textContent).toBe('The start URL must begin with https://.');
    expect(document.getElementById('sso-region-error')?.textContent).toBe('Enter a region name such as us-east-1.');
    expect(document.getElementById('sso-start-url')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('sso-name')?.getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement?.id).toBe('sso-start-url');
  });

  it('words the checks in Traditional Chinese', async () => {
    render(vi.fn(async () => null), 'zh-TW');
    await submit();
    expect(document.getElementById('sso-name-error')?.textContent).toBe('請輸入不含方括號或換行的名稱。');
    expect(document.querySelector('label[for="sso-device-code"]')?.textContent).toBe('使用裝置代碼登入');
  });

  it('sends a good form as typed, the device-code choice and duration included', async () => {
    const onsave = vi.fn(async (_f: SsoSessionForm) => null);
    render(onsave);
    type('sso-name', 'corp');
    type('sso-start-url', 'https://d-1234567890.awsapps.com/start');
    type('sso-region', 'eu-west-1');
    type('sso-duration', '12h');
    const device = document.getElementById('sso-device-code') as HTMLInputElement;
    device.click();
    flushSync();
    await submit();
    expect(onsave).toHaveBeenCalledWith({
      name: 'corp',
      start_url: 'https://d-1234567890.awsapps.com/start',
      region: 'eu-west-1',
      scopes: 'sso:account:access',
      use_device_code: true,
      storage: 'file',
      duration: '12h',
    });
  });

  it('shows the app refusal by its code', async () => {
    render(async () => ({ code: 'exists', message: 'sso-session corp exists' }));
    type('sso-name', 'corp');
    type('sso-start-url', 'https://d-1234567890.awsapps.com/start');
    type('sso-region', 'eu-west-1');
    await submit();
    const alert = document.getElementById('sso-form-error');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toContain('An SSO session with this name exists already.');
  });

  it('keeps the name fixed when editing', () => {
    render(vi.fn(async () => null), 'en', false);
    expect((document.getElementById('sso-name') as HTMLInputElement).disabled).toBe(true);
  });
});
