// The built window (ui/dist-mock: `npm --workspace ui run build:mock`, the mock backend made from
// the CLI's fixtures) in Debian's Chromium through playwright-core (no browser download): every
// page in English and Traditional Chinese, light and dark, screenshotted into
// tests/artifacts/ui/ and scanned with axe-core (no serious or critical violation allowed);
// keyboard focus order; the SSO session form's validation and save; a device-code sign-in.
// Run: npm --workspace tests run test:ui-mock   (make test-ui runs it)
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = join(root, 'ui', 'dist-mock');
const artifacts = join(root, 'tests', 'artifacts', 'ui');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is missing: npm --workspace ui run build:mock`);
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
mkdirSync(artifacts, { recursive: true });

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };
const server = createServer((req, res) => {
  if (req.url === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dist, path === '/' ? 'index.html' : path);
  if (!file.startsWith(dist) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PAGES = ['sessions', 'profiles', 'ssoSessions', 'settings'];
const TITLES = {
  en: { sessions: 'Sessions', profiles: 'Profiles', ssoSessions: 'SSO sessions', settings: 'Settings' },
  'zh-TW': { sessions: '工作階段', profiles: '設定檔', ssoSessions: 'SSO 工作階段', settings: '設定' },
};
let failures = 0;
const fail = (m) => {
  failures++;
  console.error(`FAIL ${m}`);
};
const ok = (m) => console.error(`ok   ${m}`);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  async function open(id, lang, scheme = 'light') {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${base}?page=${id}&lang=${encodeURIComponent(lang)}`);
    await page.waitForSelector('.shell[data-ready="true"]');
    await page.waitForFunction(() => !document.querySelector('[role="status"].muted'));
  }

  async function axe(label) {
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) fail(`${label}: axe ${JSON.stringify(bad)}`);
    else ok(`${label}: axe clean (${result.length} minor)`);
  }

  for (const lang of ['en', 'zh-TW']) {
    for (const id of PAGES) {
      for (const scheme of ['light', 'dark']) {
        const label = `${id} ${lang} ${scheme}`;
        await open(id, lang, scheme);
        const title = await page.textContent('#page-title');
        if (title !== TITLES[lang][id]) fail(`${label}: title ${JSON.stringify(title)}`);
        const htmlLang = await page.evaluate(() => document.documentElement.lang);
        if (htmlLang !== lang) fail(`${label}: <html lang=${htmlLang}>`);
        await page.screenshot({ path: join(artifacts, `${id}-${lang}-${scheme}.png`), fullPage: true });
        await axe(label);
      }
    }
  }

  // Keyboard: the first Tab stops are the navigation, in order; Enter on one switches page.
  await open('sessions', 'en');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.id);
  await page.keyboard.press('Tab');
  const second = await page.evaluate(() => document.activeElement?.id);
  if (first !== 'nav-sessions' || second !== 'nav-profiles') fail(`focus order starts ${first}, ${second}`);
  else ok('focus order: navigation first');
  await page.keyboard.press('Enter');
  if ((await page.textContent('#page-title')) !== 'Profiles') fail('Enter on a nav button did not switch page');

  // SSO session form: a wrong start URL and region are named and nothing is saved; fixed, saved.
  await open('ssoSessions', 'en');
  await page.click('#sso-new');
  await page.fill('#sso-name', 'team');
  await page.fill('#sso-start-url', 'http://team.awsapps.com/start');
  await page.fill('#sso-region', 'Tokyo');
  await page.click('#sso-save');
  const urlError = await page.textContent('#sso-start-url-error').catch(() => null);
  const focused = await page.evaluate(() => document.activeElement?.id);
  if (urlError !== 'The start URL must begin with https://.' || focused !== 'sso-start-url') fail(`form check: ${urlError}, focus ${focused}`);
  else ok('form: a wrong start URL is named and focused');
  await page.fill('#sso-start-url', 'https://team.awsapps.com/start');
  await page.fill('#sso-region', 'ap-northeast-1');
  await page.check('#sso-device-code');
  await page.fill('#sso-duration', '12h');
  await page.screenshot({ path: join(artifacts, 'sso-form-en.png'), fullPage: true });
  await page.click('#sso-save');
  await page.waitForSelector('tr[data-session="team"]');
  const row = await page.textContent('tr[data-session="team"]');
  if (!row.includes('Device code') || !row.includes('12h')) fail(`saved row: ${row}`);
  else ok('form: saved, listed with device code and 12h');

  // The configure sso wizard on corp (signed in): search an account, pick a role, save.
  await open('ssoSessions', 'en');
  await page.click('#sso-wizard');
  await page.selectOption('#wizard-session', 'corp');
  await page.click('#wizard-next');
  await page.waitForSelector('#wizard-account-search');
  await page.fill('#wizard-account-search', 'ci-dev');
  const matches = await page.locator('input[name="wizard-account"]').count();
  if (matches !== 1) fail(`wizard: search ci-dev matched ${matches} accounts`);
  await page.check('input[name="wizard-account"]');
  await page.click('#wizard-next');
  await page.check('input[name="wizard-role"] >> nth=0');
  await page.click('#wizard-next');
  await page.fill('#wizard-region', 'Mars');
  await page.click('#wizard-next');
  if (!(await page.isVisible('#wizard-region-error'))) fail('wizard: a wrong region was not named');
  await page.fill('#wizard-region', 'eu-central-1');
  await page.click('#wizard-next');
  await page.screenshot({ path: join(artifacts, 'wizard-review-en.png'), fullPage: true });
  await axe('wizard review en');
  const profileName = (await page.textContent('#wizard-review dd')) ?? '';
  await page.click('#wizard-save');
  await page.waitForSelector('#sso-notice');
  await page.click('#nav-profiles');
  await page.waitForSelector(`[role="row"][data-profile="${profileName}"]`);
  ok(`wizard: saved profile ${profileName}`);

  // Sessions: Sign in to lab (device code) shows the dialog with the code; it closes when done.
  await open('sessions', 'zh-TW');
  await page.click('[data-session="lab"] button.primary');
  await page.waitForSelector('#device-code-dialog');
  const code = await page.textContent('#device-code');
  await page.screenshot({ path: join(artifacts, 'device-code-zh-TW.png') });
  await axe('device-code dialog zh-TW');
  await page.waitForSelector('#device-code-dialog', { state: 'detached', timeout: 10_000 });
  await page.waitForSelector('[data-session="lab"][data-state="valid"]');
  const left = await page.textContent('[data-session="lab"] time');
  if (code !== 'MOCK-2468' || !/^約 \d+ 小時 \d+ 分鐘/.test(left ?? '')) fail(`device sign-in: code ${code}, left ${left}`);
  else ok(`device sign-in: code ${code}, then ${left}`);

  if (errors.length) fail(`page errors: ${errors.join(' | ')}`);
} finally {
  await browser.close();
  server.close();
}
console.error(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
