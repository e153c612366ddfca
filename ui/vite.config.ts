import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The UI is embedded in the binary (Tauri custom-protocol); the dev server is only for `make dev`.
// Under vitest, Svelte resolves to its browser build so component tests can mount() in a DOM
// (files that need one say `@vitest-environment happy-dom`); other tests run in plain node.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  resolve: mode === 'test' ? { conditions: ['browser'] } : {},
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
}));
