// What every component test does around Svelte: mount into the test's document, wait until the
// component has settled, and take it all down after each test. Importing this module registers
// the teardown (an `afterEach` of the importing test file), so a test never sees the previous
// test's DOM.
import { flushSync, mount, tick, unmount, type Component } from 'svelte';
import { afterEach } from 'vitest';

let mounted: ReturnType<typeof mount>[] = [];

afterEach(() => {
  unmountAll();
});

/** Mounts `component` with `props` into `document.body`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mountIn<Props extends Record<string, any>>(component: Component<Props>, props: Props) {
  const instance = mount(component, { target: document.body, props });
  mounted.push(instance);
  return instance;
}

/** Unmounts everything mounted and empties the document (also done after each test). */
export function unmountAll() {
  for (const instance of mounted) unmount(instance);
  mounted = [];
  document.body.innerHTML = '';
}

/** Lets pending promises and Svelte's updates run, then flushes the DOM. */
export async function settle(ticks = 8) {
  for (let i = 0; i < ticks; i++) await tick();
  flushSync();
}
