import { mount } from 'svelte';
import App from './App.svelte';
import type { Backend } from './lib/backend';
import type { PageId } from './lib/shell/pages';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

// The mock build (`vite build --mode mock`, for Playwright, axe and screenshots) runs on the mock
// backend made from the CLI's fixtures; the import is dropped from the real build. `?page=`
// opens a page directly, `?lang=` sets the language app_info reports, `?profiles=N` starts with
// N generated profiles (the search benchmark), `?defaultEdited` a changed mirrored default, `?needsSignIn` a session the service refused, and
// `window.lanyardMock` lets a test play another
// program writing the config (a conflict).
async function start() {
  let backend: Backend | undefined;
  let page: PageId | undefined;
  if (import.meta.env.MODE === 'mock') {
    const { createMockBackend } = await import('./lib/backend/mock');
    const params = new URLSearchParams(location.search);
    const lang = params.get('lang') === 'zh-TW' ? 'zh-TW' : 'en';
    const profiles = Number(params.get('profiles')) || undefined;
    // `?defaultEdited`: the mirrored [default] was changed by another program (issue 19).
    const defaultEdited = params.has('defaultEdited')
      ? '--- a/[default]\n+++ b/[default]\n@@ -1,4 +1,4 @@\n [default]\n lanyard_mirrors = dev\n-region = us-east-1\n+region = ap-northeast-1\n output = json\n'
      : undefined;
    // `?needsSignIn`: the service refused corp's refresh (issue 20).
    const needsSignIn = params.has('needsSignIn');
    const mock = createMockBackend({ language: lang, empty: params.has('empty'), profiles, whoamiMs: 300, defaultEdited, needsSignIn });
    (window as unknown as { lanyardMock: typeof mock.mock }).lanyardMock = mock.mock;
    backend = mock;
    page = (params.get('page') as PageId | null) ?? undefined;
  }
  return mount(App, { target: target!, props: { backend, page } });
}

export default start();
