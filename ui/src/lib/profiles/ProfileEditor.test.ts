// @vitest-environment happy-dom
// The profile editor: findings beside their field by code (translated, else the English
// message), nothing saved without a preview and Save saving exactly what was previewed, an
// invalid edit has no Save, and a conflict shows the other program's changes, reads the profile
// again and never saves by itself.
import { mountIn, settle, unmountAll } from '../testing/mount';
import { describe, expect, it } from 'vitest';
import type { EditOutcome, FindingDto, ProfileDetail } from '../backend';
import { createMockBackend } from '../backend/mock';
import { stubBackend, type StubBackend } from '../backend/testing';
import type { Language } from '../i18n';
import ProfileEditor from './ProfileEditor.svelte';



const DETAIL: ProfileDetail = {
  name: 'dev',
  text: '[profile dev]\nsso_session = corp\nregion = Tokyo\n',
  line: 1,
  keys: [
    { key: 'sso_session', value: 'corp' },
    { key: 'region', value: 'Tokyo' },
    { key: 'cli_pager', value: 'less # pager' },
  ],
  nested: [],
  findings: [
    { code: 'region_format', severity: 'warning', line: 3, key: 'region', message: 'region "Tokyo" does not look like an AWS region name' },
    { code: 'inline_comment_in_value', severity: 'warning', line: 4, key: 'cli_pager', message: 'comment' },
    { code: 'some_future_code', severity: 'error', line: 1, key: null, message: 'A finding the window has no words for.' },
  ],
  version: 'v1',
};

function render(
  backend: StubBackend | ReturnType<typeof createMockBackend>,
  props: { target?: string | null; lang?: Language; version?: string } = {},
) {
  const events = { closed: 0, saved: [] as string[], changed: 0 };
  mountIn(ProfileEditor, {
    lang: props.lang ?? 'en',
    backend,
    target: props.target === undefined ? 'dev' : props.target,
    version: props.version ?? 'v1',
    sessions: ['corp', 'lab'],
    onclose: () => events.closed++,
    onsaved: (n: string) => events.saved.push(n),
    onchanged: () => events.changed++,
  });
  return events;
}

function stub(outcomes: EditOutcome[] = []) {
  const b = stubBackend();
  b.getProfile.mockResolvedValue(structuredClone(DETAIL));
  for (const o of outcomes) b.editProfile.mockResolvedValueOnce(o);
  return b;
}

const click = async (id: string) => {
  (document.getElementById(id) as HTMLButtonElement).click();
  await settle();
};
const input = async (id: string, value: string) => {
  const el = document.getElementById(id) as HTMLInputElement;
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
};
const findingBeside = (key: string) => document.querySelector(`[data-key="${key}"] .finding`) as HTMLElement | null;

describe('ProfileEditor findings', () => {
  it('shows each finding beside the field of its key, by code, and the rest above the form', async () => {
    render(stub());
    await settle();
    const region = findingBeside('region')!;
    expect(region.dataset.code).toBe('region_format');
    expect(region.textContent).toBe('Warning: This does not look like a region name such as us-east-1.');
    expect(document.getElementById('profile-field-region')?.getAttribute('aria-describedby')).toBe(region.id);
    expect(findingBeside('cli_pager')?.dataset.code).toBe('inline_comment_in_value');
    const general = document.getElementById('profile-findings')!;
    expect(general.textContent).toContain('Error: A finding the window has no words for.');
  });

  it('words them in Traditional Chinese', async () => {
    render(stub(), { lang: 'zh-TW' });
    await settle();
    expect(findingBeside('region')?.textContent).toBe('警告： 這看起來不像區域名稱，例如 us-east-1。');
    expect(document.getElementById('profile-findings')?.textContent).toContain('A finding the window has no words for.');
  });

  it('shows the raw section text read-only and focuses the name', async () => {
    render(stub());
    await settle();
    expect(document.getElementById('profile-raw')?.textContent).toBe(DETAIL.text);
    expect(document.getElementById('profile-raw')?.tagName).toBe('PRE');
    expect(document.activeElement?.id).toBe('profile-field-name');
    expect((document.getElementById('profile-field-sso_session') as HTMLSelectElement).value).toBe('corp');
  });
});

describe('ProfileEditor saving', () => {
  it('previews first, then saves exactly the previewed change at the previewed version', async () => {
    const b = stub([
      { outcome: 'preview', diff: '--- a/config\n+++ b/config\n@@ -3,1 +3,1 @@\n-region = Tokyo\n+region = ap-northeast-1\n', findings: [], version: 'v1' },
      { outcome: 'saved', diff: '', version: 'v2' },
    ]);
    const events = render(b);
    await settle();
    expect(document.getElementById('profile-save')).toBeNull();
    await input('profile-field-region', 'ap-northeast-1');
    await click('profile-preview');
    expect(b.editProfile).toHaveBeenCalledTimes(1);
    const [change, version, save] = b.editProfile.mock.calls[0];
    expect(save).toBe(false);
    expect(version).toBe('v1');
    expect(change).toEqual({
      op: 'update',
      name: 'dev',
      new_name: 'dev',
      keys: [
        { key: 'sso_session', value: 'corp' },
        { key: 'region', value: 'ap-northeast-1' },
        { key: 'cli_pager', value: 'less # pager' },
      ],
    });
    expect(document.querySelectorAll('#diff-view [data-kind="add"]')).toHaveLength(1);
    expect(findingBeside('region')).toBeNull();
    await click('profile-save');
    expect(b.editProfile).toHaveBeenCalledTimes(2);
    expect(b.editProfile.mock.calls[1]).toEqual([change, 'v1', true]);
    expect(events.saved).toEqual(['Saved profile dev.']);
  });

  it('asks for a new preview when the form changes after one', async () => {
    const b = stub([{ outcome: 'preview', diff: '--- a\n+++ b\n@@ -1,1 +1,1 @@\n-a\n+b\n', findings: [], version: 'v1' }]);
    render(b);
    await settle();
    await click('profile-preview');
    expect(document.getElementById('profile-save')).not.toBeNull();
    await input('profile-field-output', 'yaml');
    expect(document.getElementById('profile-save')).toBeNull();
    expect(document.getElementById('profile-stale')).not.toBeNull();
  });

  it('has no Save for an edit that brings in an error, and shows the error beside its field', async () => {
    const error: FindingDto = { code: 'sso_session_not_found', severity: 'error', line: 2, key: 'sso_session', message: 'x' };
    const b = stub([{ outcome: 'invalid', findings: [error], version: 'v1' }]);
    render(b);
    await settle();
    await click('profile-preview');
    expect(document.getElementById('profile-save')).toBeNull();
    expect(document.getElementById('profile-invalid')).not.toBeNull();
    expect(findingBeside('sso_session')?.textContent).toBe('Error: No SSO session with this name exists.');
    expect(document.getElementById('profile-field-sso_session')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('checks the name before asking the app', async () => {
    const b = stub();
    render(b);
    await settle();
    await input('profile-field-name', 'bad[name');
    await click('profile-preview');
    expect(b.editProfile).not.toHaveBeenCalled();
    expect(document.getElementById('profile-field-name-error')?.textContent).toBe('Enter a profile name without brackets or line breaks.');
    expect(document.activeElement?.id).toBe('profile-field-name');
  });

  it('on a conflict shows what changed, reads the profile again, and never saves by itself', async () => {
    const b = stub([
      { outcome: 'preview', diff: '--- a\n+++ b\n@@ -1,1 +1,1 @@\n-region = Tokyo\n+region = us-east-1\n', findings: [], version: 'v1' },
      { outcome: 'conflict', changes: '--- a/config\n+++ b/config\n@@ -4,1 +4,1 @@\n-cli_pager = less # pager\n+cli_pager = more\n', version: 'v2' },
    ]);
    b.getProfile.mockResolvedValueOnce(structuredClone(DETAIL)).mockResolvedValueOnce({
      ...structuredClone(DETAIL),
      keys: [
        { key: 'sso_session', value: 'corp' },
        { key: 'region', value: 'Tokyo' },
        { key: 'cli_pager', value: 'more' },
      ],
      findings: [],
      version: 'v2',
    });
    const events = render(b);
    await settle();
    await input('profile-field-region', 'us-east-1');
    await click('profile-preview');
    await click('profile-save');
    const conflict = document.getElementById('profile-conflict')!;
    expect(conflict.textContent).toContain('Your AWS config file changed on disk');
    expect(conflict.querySelector('#diff-view ins')?.textContent).toContain('cli_pager = more');
    expect(b.getProfile).toHaveBeenCalledTimes(2);
    expect(events.changed).toBe(1);
    expect(events.saved).toEqual([]);
    // The person's edit kept, the other program's taken.
    expect((document.getElementById('profile-field-region') as HTMLInputElement).value).toBe('us-east-1');
    expect((document.getElementById('profile-field-cli_pager') as HTMLInputElement).value).toBe('more');
    expect(document.getElementById('profile-save')).toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(b.editProfile).toHaveBeenCalledTimes(2);
    // The next preview is made against the file as it is now.
    b.editProfile.mockResolvedValueOnce({ outcome: 'preview', diff: '', findings: [], version: 'v2' });
    await click('profile-preview');
    expect(b.editProfile.mock.calls[2][1]).toBe('v2');
    expect(b.editProfile.mock.calls[2][2]).toBe(false);
  });
});

describe('ProfileEditor on the mock backend', () => {
  it('creates a new profile through a preview', async () => {
    const backend = createMockBackend();
    const events = render(backend, { target: null, version: backend.mock.configVersion() });
    await settle();
    expect(document.getElementById('profile-delete')).toBeNull();
    expect(document.getElementById('profile-raw')).toBeNull();
    await input('profile-field-name', 'fresh');
    // An SSO profile without its session is refused (sso_missing_config): no Save.
    await input('profile-field-sso_account_id', '111122223333');
    await input('profile-field-sso_role_name', 'Admin');
    await click('profile-preview');
    expect(document.getElementById('profile-findings')?.textContent).toContain('lacks a required setting');
    expect(document.getElementById('profile-save')).toBeNull();
    await input('profile-field-sso_account_id', '');
    await input('profile-field-sso_role_name', '');
    await input('profile-field-region', 'eu-west-1');
    await input('profile-field-output', 'json');
    await click('profile-preview');
    expect(document.querySelector('#diff-view')?.textContent).toContain('[profile fresh]');
    expect(document.getElementById('profile-save')?.textContent).toBe('Create profile');
    await click('profile-save');
    expect(events.saved).toEqual(['Created profile fresh.']);
    expect(backend.mock.configText()).toContain('[profile fresh]\nregion = eu-west-1\noutput = json\n');
  });

  it('deletes after showing the removal, and duplicates under a new name', async () => {
    const backend = createMockBackend();
    const events = render(backend, { target: 'build-bot', version: backend.mock.configVersion() });
    await settle();
    await click('profile-delete');
    expect(document.getElementById('profile-editor')?.dataset.mode).toBe('delete');
    expect(document.querySelectorAll('#diff-view [data-kind="del"]').length).toBeGreaterThan(2);
    await click('profile-save');
    expect(events.saved).toEqual(['Deleted profile build-bot.']);
    unmountAll();
    render(backend, { target: 'ops' });
    await settle();
    await click('profile-duplicate');
    expect((document.getElementById('profile-field-name') as HTMLInputElement).value).toBe('ops-copy');
    await click('profile-preview');
    await click('profile-save');
    expect(backend.mock.configText()).toContain('[profile ops-copy]\nsso_session = corp\n');
  });

  it('closes on Escape', async () => {
    const events = render(stub());
    await settle();
    document.getElementById('profile-field-name')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(events.closed).toBe(1);
  });
});


describe('ProfileEditor when the profile is gone', () => {
  it('says so by code and can still be closed', async () => {
    const b = stubBackend();
    b.getProfile.mockRejectedValue({ code: 'profile_not_found', message: 'no profile named dev' });
    const events = render(b);
    await settle();
    expect(document.getElementById('profile-editor-error')?.textContent).toContain('That profile does not exist.');
    await click('profile-cancel');
    expect(events.closed).toBe(1);
  });
});
