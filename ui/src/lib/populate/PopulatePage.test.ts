// @vitest-environment happy-dom
// The Populate page: the template's names previewed live (and its error shown), the dry run's
// progress (indeterminate until the account total is final), its counts and diff, Apply at the
// dry run's version, and a conflict showing the other program's changes without writing.
import { mountIn, settle } from '../testing/mount';
import { describe, expect, it } from 'vitest';
import type { PopulatePlanDto, PortalProgress } from '../backend';
import { createMockBackend } from '../backend/mock';
import { stubBackend } from '../backend/testing';
import type { Language } from '../i18n';
import PopulatePage from './PopulatePage.svelte';


/** Past the page's debounce and the mock's timers. */
async function later(ms = 5) {
  await new Promise((r) => setTimeout(r, ms));
  await settle();
}

/** Until `ok()` holds (the page's debounce and the mock's timers are real timers). */
async function until(ok: () => unknown, ms = 2000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting for the page');
    await later(5);
  }
}

function render(backend: unknown, lang: Language = 'en') {
  mountIn(PopulatePage, { lang, backend: backend as never, debounce: 0 });
}

const $ = (id: string) => document.getElementById(id);
const click = async (id: string) => {
  ($(id) as HTMLElement).click();
  await settle();
};
async function typeTemplate(value: string) {
  const input = $('populate-template') as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await later();
}

describe('PopulatePage', () => {
  it('previews the names the template gives, live, and says why a template fails', async () => {
    render(createMockBackend());
    await until(() => document.querySelector('#populate-names li'));
    expect(($('populate-session') as HTMLSelectElement).value).toBe('corp');
    expect(($('populate-template') as HTMLInputElement).value).toBe('{account_name}.{role_name}');
    const names = () => [...document.querySelectorAll<HTMLElement>('#populate-names li')].map((li) => li.dataset.name);
    expect(names()).toHaveLength(10);
    expect(names()[0]).toBe('acme-ci-dev.PowerUserAccess');
    expect($('populate-names-total')?.textContent?.trim()).toBe('The first 10 of 12 names.');
    await typeTemplate('{session}/{account_id}');
    await until(() => names()[0] === 'corp/916473019108');
    await typeTemplate('{account}.{role_name}');
    await until(() => $('populate-template-error'));
    expect($('populate-template-error')?.textContent).toContain('unknown field {account}');
    expect($('populate-template')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('lists the template fields as buttons that insert them', async () => {
    render(createMockBackend());
    await until(() => $('populate-fields'));
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('#populate-fields button.chip')];
    expect(buttons.map((b) => b.textContent)).toEqual(['{account_name}', '{account_id}', '{role_name}', '{session}']);
    const input = $('populate-template') as HTMLInputElement;
    input.setSelectionRange(input.value.length, input.value.length);
    buttons[1].click();
    await settle();
    expect(input.value).toBe('{account_name}.{role_name}{account_id}');
  });

  it('shows the dry run progress, indeterminate until the total is final, then the plan', async () => {
    const b = stubBackend();
    b.sessionsOverview.mockResolvedValue((await createMockBackend().sessionsOverview()) as never);
    b.onSignInDone.mockResolvedValue(() => {});
    b.populateNames.mockResolvedValue({ names: [], total: 0, error: null });
    let report: (p: PortalProgress) => void = () => {};
    b.onPopulateProgress.mockImplementation(async (h) => {
      report = h;
      return () => {};
    });
    let finish: (p: PopulatePlanDto) => void = () => {};
    b.populatePreview.mockImplementation(() => new Promise((r) => (finish = r)));
    render(b);
    await until(() => $('populate-names-uncached'));
    await click('populate-mode-prune');
    await click('populate-refresh');
    await click('populate-dry-run');
    expect(b.populatePreview).toHaveBeenCalledWith({
      session: 'corp',
      template: '{account_name}.{role_name}',
      region: null,
      output: null,
      mode: 'prune',
      refresh: true,
    });
    const bar = () => $('populate-progress') as HTMLProgressElement;
    expect(bar().hasAttribute('value')).toBe(false);
    report({ session: 'corp', done: 3, total: 40, total_final: false, calls: 4n, retries: 0n });
    await settle();
    expect(bar().hasAttribute('value')).toBe(false);
    expect($('populate-progress-text')?.textContent).toContain('3 of the 40');
    report({ session: 'corp', done: 50, total: 120, total_final: true, calls: 60n, retries: 2n });
    await settle();
    expect(bar().getAttribute('value')).toBe('50');
    expect(bar().getAttribute('max')).toBe('120');
    expect($('populate-progress-text')?.textContent).toContain('50 of 120 accounts');
    expect($('populate-progress-text')?.textContent).toContain('2 requests retried');
    finish({ diff: '--- a/config\n+++ b/config\n@@ -0,0 +1,1 @@\n+[profile x]\n', add: 1, update: 2, remove: 3, kept: 4, unchanged: 5, suffixed: 6, version: 'v1' });
    await settle();
    expect($('populate-progress')).toBeNull();
    const counts = Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('#populate-result [data-count]')].map((d) => [d.dataset.count, d.querySelector('dd')?.textContent]),
    );
    expect(counts).toEqual({ add: '1', update: '2', remove: '3', kept: '4', unchanged: '5', suffixed: '6' });
    expect(document.querySelector('#populate-result #diff-view [data-kind="add"]')).not.toBeNull();
    expect(($('populate-refresh') as HTMLInputElement).checked).toBe(false);
  });

  it('dry-runs then applies on the mock: saved, and the profiles are in the file', async () => {
    const backend = createMockBackend({ stepMs: 0 });
    render(backend);
    await until(() => $('populate-dry-run'));
    await click('populate-dry-run');
    await until(() => $('populate-result'));
    expect($('populate-result')?.querySelector('[data-count="add"] dd')?.textContent).toBe('11');
    await click('populate-apply');
    await until(() => $('populate-notice'));
    expect($('populate-notice')?.textContent).toBe('Written: 11 added, 0 updated, 0 removed.');
    expect($('populate-result')).toBeNull();
    expect(backend.mock.configText()).toContain('[profile acme-management.ReadOnlyAccess]');
  });

  it('writes nothing when the file changed since the dry run, shows the changes, and runs again', async () => {
    const backend = createMockBackend({ stepMs: 0 });
    render(backend, 'zh-TW');
    await until(() => $('populate-dry-run'));
    await click('populate-dry-run');
    await until(() => $('populate-apply'));
    const before = backend.mock.configText();
    backend.mock.externalEdit({ profile: 'dev', key: 'region', value: 'us-west-2' });
    const changed = backend.mock.configText();
    expect(changed).not.toBe(before);
    await click('populate-apply');
    await until(() => $('populate-conflict'));
    const conflict = $('populate-conflict')!;
    expect(conflict.textContent).toContain('尚未寫入任何內容');
    expect(conflict.querySelector('ins')?.textContent).toContain('region = us-west-2');
    expect(backend.mock.configText()).toBe(changed);
    expect($('populate-apply')).toBeNull();
    await click('populate-rerun');
    await until(() => $('populate-apply'));
  });

  it('hides Apply when the choices change after the dry run', async () => {
    render(createMockBackend({ stepMs: 0 }));
    await until(() => $('populate-dry-run'));
    await click('populate-dry-run');
    await until(() => $('populate-apply'));
    await click('populate-mode-remove');
    expect($('populate-apply')).toBeNull();
    expect($('populate-stale')).not.toBeNull();
  });

  it('says a session must be signed in, and shows the refusal by code', async () => {
    const backend = createMockBackend({ stepMs: 0 });
    await backend.signOut('corp');
    render(backend);
    await until(() => $('populate-session-state'));
    expect($('populate-session-state')?.textContent?.trim()).toBe('Not signed in: sign in to list its accounts.');
    expect($('populate-sign-in')).not.toBeNull();
    await click('populate-dry-run');
    await until(() => $('populate-error'));
    expect($('populate-error')?.dataset.code).toBe('not_signed_in');
  });

  it('shows the empty state without sso-sessions', async () => {
    render(createMockBackend({ empty: true }));
    await until(() => document.querySelector('.empty-state'));
    expect(document.querySelector('.empty-state h2')?.textContent).toBe('Nothing to populate yet');
  });
});
