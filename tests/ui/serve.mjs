// Serves the mock build (ui/dist-mock) on 127.0.0.1 for the Chromium runs (tests/ui/mock-ui.mjs,
// bench/ui-search): every page with the app's own Content-Security-Policy (read from
// src-tauri/tauri.conf.json, as Tauri sends it), so that what the CSP would block in the app —
// inline scripts, style attributes — fails here too. axe-core is served from the same origin
// (/__axe.js) because an injected inline script would be blocked.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dist = join(root, 'ui', 'dist-mock');
const CSP = JSON.parse(readFileSync(join(root, 'src-tauri', 'tauri.conf.json'), 'utf8')).app.security.csp;
const AXE = require.resolve('axe-core/axe.min.js');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Starts the server; answers its base URL and a function that stops it. */
export async function serveMockBuild() {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is missing: npm --workspace ui run build:mock`);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/__axe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(AXE));
      return;
    }
    const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP })
      .end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}
