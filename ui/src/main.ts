import { mount } from 'svelte';
import App from './App.svelte';
import type { Backend } from './lib/backend';
import type { PageId } from './lib/shell/pages';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

// The mock build (`vite build --mode mock`, for Playwright, axe and screenshots) runs on the mock
// backend made from the CLI's fixtures; the import is dropped from the real build. `?page=`
// opens a page directly, `?lang=` sets the language app_info reports, `?profiles=N` starts with
// N generated profiles (the search benchmark), and `window.lanyardMock` lets a test play another
// program writing the config (a conflict).
async function start() {
  let backend: Backend | undefined;
  let page: PageId | undefined;
  if (import.meta.env.MODE === 'mock') {
    const { createMockBackend } = await import('./lib/backend/mock');
    const params = new URLSearchParams(location.search);
    const lang = params.get('lang') === 'zh-TW' ? 'zh-TW' : 'en';
    const profiles = Number(params.get('profiles')) || undefined;
    const mock = createMockBackend({ language: lang, empty: params.has('empty'), profiles, whoamiMs: 300 });
    (window as unknown as { lanyardMock: typeof mock.mock }).lanyardMock = mock.mock;
    backend = mock;
    page = (params.get('page') as PageId | null) ?? undefined;
  }
  return mount(App, { target: target!, props: { backend, page } });
}

export default start();
