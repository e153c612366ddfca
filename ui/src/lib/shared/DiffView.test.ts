// @vitest-environment happy-dom
// The diff view: every line kind shown, added and removed lines marked for screen readers in the
// person's language (not by colour alone), hunks described in words, a long diff cut until asked.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import DiffView from './DiffView.svelte';

const DIFF = '--- a/config\n+++ b/config\n@@ -3,3 +3,3 @@\n [profile dev]\n-region = eu-west-1\n+region = eu-central-1\n output = json\n';

let mounted: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = undefined;
  document.body.innerHTML = '';
});

function render(props: Record<string, unknown>) {
  mounted = mount(DiffView, { target: document.body, props: { lang: 'en', diff: DIFF, ...props } as never });
  flushSync();
  return document.getElementById(String(props.id ?? 'diff-view'))!;
}

describe('DiffView', () => {
  it('is a focusable, labelled region of monospace lines of every kind', () => {
    const view = render({});
    expect(view.getAttribute('role')).toBe('region');
    expect(view.getAttribute('tabindex')).toBe('0');
    expect(view.getAttribute('aria-label')).toBe('Changes to your AWS config file');
    expect([...view.querySelectorAll('.line')].map((l) => (l as HTMLElement).dataset.kind)).toEqual([
      'file',
      'file',
      'hunk',
      'context',
      'del',
      'add',
      'context',
    ]);
    expect(document.getElementById('diff-view-summary')?.textContent?.trim()).toBe('Lines added: 1; removed: 1');
  });

  it('marks added and removed lines in words, in the person language', () => {
    let view = render({});
    expect(view.querySelector('ins')?.textContent).toBe('Added: +region = eu-central-1');
    expect(view.querySelector('del')?.textContent).toBe('Removed: -region = eu-west-1');
    expect(view.querySelector('ins .sign')?.getAttribute('aria-hidden')).toBe('true');
    expect(view.querySelector('[data-kind="hunk"] .visually-hidden')?.textContent).toBe('Changes from line 3 (line 3 after the change)');
    unmount(mounted!);
    document.body.innerHTML = '';
    mounted = mount(DiffView, { target: document.body, props: { lang: 'zh-TW', diff: DIFF } });
    flushSync();
    view = document.getElementById('diff-view')!;
    expect(view.querySelector('ins .visually-hidden')?.textContent?.trim()).toBe('新增：');
    expect(view.querySelector('del .visually-hidden')?.textContent?.trim()).toBe('移除：');
  });

  it('says so when nothing changes', () => {
    const view = render({ diff: '' });
    expect(view.dataset.empty).toBe('true');
    expect(view.textContent).toBe('Nothing would change.');
  });

  it('shows a long diff cut to its limit until asked for all of it', () => {
    const view = render({ limit: 4 });
    expect(view.querySelectorAll('.line')).toHaveLength(4);
    (document.querySelector('.more button') as HTMLButtonElement).click();
    flushSync();
    expect(view.querySelectorAll('.line')).toHaveLength(7);
  });
});
