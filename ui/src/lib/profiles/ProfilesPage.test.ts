// @vitest-environment happy-dom
// The Profiles page over the mock backend: the grid lists the profiles (not `default` nor the
// saved default), virtualised at 10,000 with the whole count in aria-rowcount; search and
// filters narrow it with a live count; the arrow keys move the one tab stop; "Use as default",
// "Restore my default" and "Test" answer in the page; "Edit" opens the editor; a tested profile's
// credentials are copied through the app; a change the app announces (`state-changed`: a
// default switched in the tray) shows at once.
import { mountIn, settle } from '../testing/mount';
import { describe, expect, it } from 'vitest';
import type { Language } from '../i18n';
import { createMockBackend, type MockOptions } from '../backend/mock';
import ProfilesPage from './ProfilesPage.svelte';



/** Past the mock's timers (testProfile answers after a timeout). */
async function later() {
  await new Promise((r) => setTimeout(r, 5));
  await settle();
}

async function render(opts: MockOptions = {}, lang: Language = 'en') {
  const backend = createMockBackend(opts);
  mountIn(ProfilesPage, { lang, backend });
  await settle();
  return backend;
}

const rows = () => [...document.querySelectorAll<HTMLElement>('[role="row"][data-profile]')].map((r) => r.dataset.profile);
const count = () => document.getElementById('profiles-count')!;

async function type(value: string) {
  const input = document.getElementById('profiles-search') as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
}

describe('ProfilesPage', () => {
  it('lists the profiles in botocore order, without default and the saved default, the default marked', async () => {
    await render();
    expect(rows()).toEqual(['dev', 'ops', 'lab-admin', 'legacy', 'acme-ci-dev.PowerUserAccess', 'acme-retired.ReadOnlyAccess', 'build-bot']);
    expect(document.getElementById('profile-dev-default')?.textContent).toBe('default');
    expect(count().textContent?.trim()).toBe('7 profiles');
    expect(count().getAttribute('role')).toBe('status');
    const grid = document.getElementById('profiles-grid')!;
    expect(grid.getAttribute('role')).toBe('grid');
    expect(grid.getAttribute('aria-rowcount')).toBe('8');
    expect(document.querySelector('[data-profile="ops"]')?.getAttribute('aria-rowindex')).toBe('3');
  });

  it('searches with a live count that says which query it shows', async () => {
    await render();
    await type('acme');
    expect(rows()).toEqual(['acme-ci-dev.PowerUserAccess', 'acme-retired.ReadOnlyAccess']);
    expect(count().textContent?.trim()).toBe('2 of 7 profiles');
    expect(count().dataset.query).toBe('acme');
    await type('4444');
    expect(rows()).toEqual(['ops']);
    await type('nothing-like-this');
    expect(rows()).toEqual([]);
    expect(document.getElementById('profiles-none')).not.toBeNull();
  });

  it('filters by kind with toggle buttons, combined with the search', async () => {
    await render();
    const generated = document.getElementById('profiles-filter-generated') as HTMLButtonElement;
    expect(generated.getAttribute('aria-pressed')).toBe('false');
    generated.click();
    await settle();
    expect(generated.getAttribute('aria-pressed')).toBe('true');
    expect(rows()).toEqual(['acme-ci-dev.PowerUserAccess', 'acme-retired.ReadOnlyAccess']);
    (document.getElementById('profiles-filter-legacy') as HTMLButtonElement).click();
    await settle();
    expect(rows()).toEqual(['legacy', 'acme-ci-dev.PowerUserAccess', 'acme-retired.ReadOnlyAccess']);
    await type('retired');
    expect(rows()).toEqual(['acme-retired.ReadOnlyAccess']);
  });

  it('puts only a window of 10,000 profiles in the DOM, each row knowing its index', async () => {
    await render({ profiles: 10_000 });
    const grid = document.getElementById('profiles-grid')!;
    expect(grid.getAttribute('aria-rowcount')).toBe('10001');
    const rendered = document.querySelectorAll('[role="row"][data-profile]');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(60);
    expect(count().textContent?.trim()).toBe('10,000 profiles');
    await type('payments');
    expect(Number(count().dataset.count)).toBeGreaterThan(100);
    expect(document.querySelectorAll('[role="row"][data-profile]').length).toBeLessThan(60);
  });

  it('moves the one tab stop with the arrow keys and scrolls far rows in', async () => {
    await render({ profiles: 500 });
    const stops = () => document.querySelectorAll('#profiles-grid [tabindex="0"]');
    expect(stops()).toHaveLength(1);
    const first = stops()[0] as HTMLElement;
    expect(first.closest('[role="row"]')?.getAttribute('aria-rowindex')).toBe('2');
    first.focus();
    const key = async (k: string, ctrlKey = false) => {
      (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key: k, ctrlKey, bubbles: true }));
      await settle();
    };
    await key('ArrowDown');
    expect(document.activeElement?.closest('[role="row"]')?.getAttribute('aria-rowindex')).toBe('3');
    await key('End');
    expect((document.activeElement as HTMLElement).dataset.action).toBe('edit');
    await key('End', true);
    expect(document.activeElement?.closest('[role="row"]')?.getAttribute('aria-rowindex')).toBe('501');
    expect(stops()).toHaveLength(1);
  });

  it('uses a profile as the default, then restores the person own', async () => {
    await render();
    (document.querySelector('[data-profile="ops"] [data-action="use"]') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById('profiles-notice')?.textContent).toBe('ops is now the default profile');
    expect(document.getElementById('profile-ops-default')).not.toBeNull();
    expect(document.querySelector('[data-profile="ops"] [data-action="use"]')?.getAttribute('aria-disabled')).toBe('true');
    (document.getElementById('restore-default') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById('profiles-notice')?.textContent).toBe('Your own default profile is back');
    expect(document.querySelector('.badge')).toBeNull();
    expect((document.getElementById('restore-default') as HTMLButtonElement).disabled).toBe(true);
  });

  const EDITED = '--- a/[default]\n+++ b/[default]\n@@ -1,3 +1,3 @@\n [default]\n lanyard_mirrors = dev\n-region = us-east-1\n+region = ap-northeast-1\n';

  it('shows a change made to the mirrored default, and never switches over it without asking (issue 19)', async () => {
    const backend = await render({ defaultEdited: EDITED });
    const panel = () => document.getElementById('default-edited');
    expect(panel()?.textContent).toContain('[default] was changed since Lanyard set it');
    expect(panel()?.textContent).toContain('region = ap-northeast-1');
    expect(document.getElementById('default-edited-keep')).toBeNull();
    (document.querySelector('[data-profile="ops"] [data-action="use"]') as HTMLButtonElement).click();
    await settle();
    // Refused: still dev's mirror, and the question is asked for ops.
    expect(document.getElementById('profile-dev-default')).not.toBeNull();
    expect(panel()?.textContent).toContain('Before ops becomes the default');
    expect(document.getElementById('profiles-error')).toBeNull();
    (document.getElementById('default-edited-cancel') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById('default-edited-keep')).toBeNull();
    expect((await backend.listProfiles()).default_changes).toBe(EDITED);
    (document.getElementById('restore-default') as HTMLButtonElement).click();
    await settle();
    expect(panel()?.textContent).toContain('Before your own default comes back');
    (document.getElementById('default-edited-keep') as HTMLButtonElement).click();
    await settle();
    expect(panel()).toBeNull();
    expect(document.getElementById('profiles-notice')?.textContent).toBe('Your own default profile is back');
    expect((await backend.listProfiles()).default_changes).toBeNull();
  });

  it('asks in the person language, and discards when told to', async () => {
    await render({ defaultEdited: EDITED }, 'zh-TW');
    (document.querySelector('[data-profile="ops"] [data-action="use"]') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById('default-edited-discard')?.textContent).toBe('捨棄變更');
    (document.getElementById('default-edited-discard') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById('default-edited')).toBeNull();
    expect(document.getElementById('profile-ops-default')).not.toBeNull();
  });

  it('tests a profile: account and ARN, or the reason by code in the person language', async () => {
    await render({}, 'zh-TW');
    (document.querySelector('[data-profile="dev"] [data-action="test"]') as HTMLButtonElement).click();
    await settle();
    expect(document.querySelector('[data-profile="dev"] [data-action="test"]')?.getAttribute('aria-busy')).toBe('true');
    await later();
    const result = document.getElementById('profile-test-result')!;
    expect(result.dataset.profile).toBe('dev');
    expect(document.getElementById('profile-test-account')?.textContent).toBe('111122223333');
    expect(document.getElementById('profile-test-arn')?.textContent).toMatch(/^arn:aws:sts::111122223333:assumed-role\//);
    (document.querySelector('[data-profile="lab-admin"] [data-action="test"]') as HTMLButtonElement).click();
    await later();
    const error = document.getElementById('profile-test-error')!;
    expect(error.dataset.code).toBe('not_signed_in');
    expect(error.textContent).toContain('請先登入。');
  });

  it('shows a default switched in the tray at once, on state-changed (issue 20)', async () => {
    const backend = await render();
    expect(document.getElementById('profile-dev-default')).not.toBeNull();
    // The tray's Profiles > ops (the same mock state): the app announces the config changed.
    await backend.useProfile('ops');
    await settle();
    expect(document.getElementById('profile-ops-default')).not.toBeNull();
    expect(document.getElementById('profile-dev-default')).toBeNull();
    // A hand edit another program made shows too.
    backend.mock.externalEdit({ profile: 'ops', key: 'region', value: 'sa-east-1' });
    await settle();
    expect(document.querySelector('[data-profile="ops"]')?.textContent).toContain('sa-east-1');
  });

  it('has the app copy the credentials of a profile that tests fine', async () => {
    const backend = await render();
    const asked: string[] = [];
    backend.copyCredentials = async (name) => {
      asked.push(name);
    };
    (document.querySelector('[data-profile="dev"] [data-action="test"]') as HTMLButtonElement).click();
    await later();
    const copy = document.getElementById('profile-copy-credentials') as HTMLButtonElement;
    expect(copy.getAttribute('aria-label')).toBe('Copy credentials as env: dev');
    copy.click();
    await settle();
    expect(asked).toEqual(['dev']);
    expect(document.getElementById('profiles-notice')?.textContent).toContain('Copying the credentials of dev');
  });

  it('opens the editor from a row and gives the focus back when it closes', async () => {
    await render();
    const edit = document.querySelector('[data-profile="ops"] [data-action="edit"]') as HTMLButtonElement;
    edit.focus();
    edit.click();
    await settle();
    expect(document.getElementById('profile-editor')).not.toBeNull();
    expect((document.getElementById('profile-field-name') as HTMLInputElement).value).toBe('ops');
    (document.getElementById('profile-cancel') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById('profile-editor')).toBeNull();
    expect(document.activeElement).toBe(edit);
  });

  it('shows the empty state, with New profile, when there is no profile', async () => {
    await render({ empty: true });
    expect(document.querySelector('.empty-state h2')?.textContent).toBe('No profiles yet');
    expect(document.getElementById('profile-new')).not.toBeNull();
  });
});

describe('ProfilesPage scrolling', () => {
  it('keeps its place when the list reloads, and goes back to the top for a new search', async () => {
    await render({ profiles: 2000 });
    const box = document.getElementById('profiles-grid')!.parentElement!;
    box.scrollTop = 52 * 1000;
    box.dispatchEvent(new Event('scroll'));
    await settle();
    const row = document.querySelector<HTMLElement>('[role="row"][data-row="1000"]')!;
    expect(row).not.toBeNull();
    const name = row.dataset.profile!;
    (row.querySelector('[data-action="use"]') as HTMLButtonElement).click();
    await settle();
    expect(document.getElementById(`profile-${name}-default`)).not.toBeNull();
    expect(box.scrollTop).toBe(52 * 1000);
    await type('a');
    expect(box.scrollTop).toBe(0);
  });
});
