import { mount } from 'svelte';
import App from './App.svelte';
import type { Backend } from './lib/backend';
import type { PageId } from './lib/shell/pages';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

// The mock build (`vite build --mode mock`, for Playwright, axe and screenshots) runs on the mock
// backend made from the CLI's fixtures; the import is dropped from the real build. `?page=`
// opens a page directly and `?lang=` sets the language app_info reports.
async function start() {
  let backend: Backend | undefined;
  let page: PageId | undefined;
  if (import.meta.env.MODE === 'mock') {
    const { createMockBackend } = await import('./lib/backend/mock');
    const params = new URLSearchParams(location.search);
    const lang = params.get('lang') === 'zh-TW' ? 'zh-TW' : 'en';
    backend = createMockBackend({ language: lang, empty: params.has('empty') });
    page = (params.get('page') as PageId | null) ?? undefined;
  }
  return mount(App, { target: target!, props: { backend, page } });
}

export default start();
