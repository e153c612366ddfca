// The built window (ui/dist-mock: `npm --workspace ui run build:mock`, the mock backend made from
// the CLI's fixtures) in Debian's Chromium through playwright-core (no browser download): every
// page in English and Traditional Chinese, light and dark, screenshotted into
// tests/artifacts/ui/ and scanned with axe-core (no serious or critical violation allowed);
// keyboard focus order; the SSO session form's validation and save; a device-code sign-in;
// the Profiles grid (search, filters, keyboard, 10,000 profiles), the profile editor (findings,
// preview, save, a conflict with another program's change), a Populate dry run and apply. The
// pages are served with the app's Content-Security-Policy (./serve.mjs) and no violation of it
// may be reported.
// Run: npm --workspace tests run test:ui-mock   (make test-ui runs it)
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveMockBuild } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const artifacts = join(root, 'tests', 'artifacts', 'ui');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
mkdirSync(artifacts, { recursive: true });
const server = await serveMockBuild();
const base = server.base;

const PAGES = ['sessions', 'profiles', 'ssoSessions', 'populate', 'settings'];
const TITLES = {
  en: { sessions: 'Sessions', profiles: 'Profiles', ssoSessions: 'SSO sessions', populate: 'Populate', settings: 'Settings' },
  'zh-TW': { sessions: '工作階段', profiles: '設定檔', ssoSessions: 'SSO 工作階段', populate: '批次建立', settings: '設定' },
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
  // Every CSP violation the pages report (the app's CSP is sent with them).
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  async function cspClean(label) {
    const v = await page.evaluate(() => window.__cspViolations ?? []);
    if (v.length) fail(`${label}: CSP violations ${JSON.stringify(v)}`);
  }

  async function open(id, lang, scheme = 'light', extra = '') {
    if (page.url().startsWith(base)) await cspClean(`before ${id} ${lang}`);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${base}?page=${id}&lang=${encodeURIComponent(lang)}${extra}`);
    await page.waitForSelector('.shell[data-ready="true"]');
    await page.waitForFunction(() => !document.querySelector('[role="status"].muted'));
  }

  async function axe(label) {
    await page.addScriptTag({ url: '/__axe.js' });
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
        // The template's names arrive after a debounce.
        if (id === 'populate') await page.waitForSelector('#populate-names li');
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

  // Profiles: search with a live count, a kind filter, the grid's keyboard, rows laid out
  // through the CSSOM (the CSP forbids style attributes).
  await open('profiles', 'en');
  const tops = await page.$$eval('[role="row"][data-profile]', (rows) => rows.slice(0, 3).map((r) => r.getBoundingClientRect().top));
  if (!(tops[0] < tops[1] && tops[1] < tops[2])) fail(`grid rows are not laid out one under another: ${tops}`);
  await page.fill('#profiles-search', 'acme');
  await page.waitForSelector('#profiles-count[data-query="acme"]');
  const acme = await page.textContent('#profiles-count');
  await page.click('#profiles-filter-generated');
  await page.fill('#profiles-search', '');
  const generated = await page.$$eval('[role="row"][data-profile]', (rows) => rows.map((r) => r.dataset.profile));
  await page.click('#profiles-filter-generated');
  if (acme.trim() !== '2 of 7 profiles' || generated.length !== 2) fail(`search/filter: ${acme}, ${generated}`);
  else ok('profiles: search and filter');
  await page.focus('[role="row"][data-profile="dev"] [role="rowheader"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  const focusedAction = await page.evaluate(() => [document.activeElement?.closest('[role="row"]')?.dataset.profile, document.activeElement?.dataset.action]);
  if (focusedAction.join() !== 'ops,edit') fail(`grid keyboard: focus on ${focusedAction}`);
  else ok('profiles: arrow keys move the focus in the grid');

  // Test a profile: its account and ARN.
  await page.click('[data-profile="ops"] [data-action="test"]');
  await page.waitForSelector('#profile-test-arn');
  ok(`profiles: test shows ${await page.textContent('#profile-test-arn')}`);

  // The editor: findings beside the field, a preview before any save, then saved.
  await page.click('[data-profile="ops"] [data-action="edit"]');
  await page.waitForSelector('#profile-editor #profile-raw');
  if ((await page.evaluate(() => document.activeElement?.id)) !== 'profile-field-name') fail('editor: the name is not focused');
  await page.screenshot({ path: join(artifacts, 'profile-editor-en-light.png') });
  await axe('profile editor en light');
  await page.fill('#profile-field-region', 'Tokyo');
  await page.click('#profile-preview');
  await page.waitForSelector('#profile-save');
  const finding = await page.getAttribute('[data-key="region"] .finding', 'data-code');
  const added = await page.textContent('#diff-view [data-kind="add"]');
  if (finding !== 'region_format' || !added.includes('region = Tokyo')) fail(`editor preview: finding ${finding}, added ${added}`);
  else ok('editor: preview shows the diff and the region finding beside its field');
  await page.screenshot({ path: join(artifacts, 'profile-editor-preview-en-light.png') });
  await axe('profile editor preview en light');
  const before = await page.evaluate(() => window.lanyardMock.configText());
  if (before.includes('region = Tokyo')) fail('editor: the preview wrote the file');
  await page.fill('#profile-field-region', 'ap-northeast-1');
  await page.click('#profile-preview');
  await page.waitForSelector('#profile-save');
  await page.click('#profile-save');
  await page.waitForSelector('#profiles-notice');
  const written = await page.evaluate(() => window.lanyardMock.configText());
  if (!/\[profile ops\][^[]*region = ap-northeast-1/.test(written)) fail('editor: the save did not reach the file');
  else ok(`editor: ${await page.textContent('#profiles-notice')}`);

  // A conflict: another program writes the file between preview and save.
  await open('profiles', 'zh-TW', 'dark');
  await page.click('[data-profile="dev"] [data-action="edit"]');
  await page.waitForSelector('#profile-editor #profile-raw');
  await page.screenshot({ path: join(artifacts, 'profile-editor-zh-TW-dark.png') });
  await axe('profile editor zh-TW dark');
  await page.fill('#profile-field-sso_role_name', 'Admin');
  await page.click('#profile-preview');
  await page.waitForSelector('#profile-save');
  await page.evaluate(() => window.lanyardMock.externalEdit({ profile: 'dev', key: 'output', value: 'yaml' }));
  await page.click('#profile-save');
  await page.waitForSelector('#profile-conflict');
  const after = await page.evaluate(() => window.lanyardMock.configText());
  const kept = await page.inputValue('#profile-field-sso_role_name');
  const theirs = await page.inputValue('#profile-field-output');
  const wrote = /\[profile dev\][^[]*sso_role_name = Admin\n/.test(after);
  if (wrote || kept !== 'Admin' || theirs !== 'yaml' || (await page.$('#profile-save')))
    fail(`conflict: written ${wrote}, role ${kept}, output ${theirs}`);
  else ok('editor: a conflict writes nothing, keeps the edit, takes the other change');
  await page.screenshot({ path: join(artifacts, 'profile-editor-conflict-zh-TW-dark.png') });
  await axe('profile editor conflict zh-TW dark');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#profile-editor', { state: 'detached' });

  // A [default] another program changed while it mirrored dev (issue 19): shown, and a switch
  // asks before it keeps or discards the change, in both languages and themes, at the window's
  // own size (960x640).
  await page.setViewportSize({ width: 960, height: 640 });
  for (const [lang, scheme] of [['en', 'light'], ['en', 'dark'], ['zh-TW', 'light'], ['zh-TW', 'dark']]) {
    await open('profiles', lang, scheme, '&defaultEdited');
    await page.waitForSelector('#default-edited');
    await page.click('[data-profile="ops"] [data-action="use"]');
    await page.waitForSelector('#default-edited-keep');
    const still = await page.$('#profile-dev-default');
    await page.screenshot({ path: join(artifacts, `profiles-default-edited-${lang}-${scheme}.png`) });
    await axe(`profiles default edited ${lang} ${scheme}`);
    await page.click('#default-edited-discard');
    await page.waitForSelector('#default-edited', { state: 'detached' });
    const now = await page.$('#profile-ops-default');
    if (!still || !now) fail(`default edited ${lang}: switched before asking, or not after`);
    else ok(`profiles: a changed default is asked about before a switch (${lang} ${scheme})`);
  }
  // A session the service refused (issue 20): its card says it needs sign-in and why, with the
  // time its token is still served, at the window's own size, in both languages and themes.
  for (const [lang, scheme] of [['en', 'light'], ['en', 'dark'], ['zh-TW', 'light'], ['zh-TW', 'dark']]) {
    await open('sessions', lang, scheme, '&needsSignIn');
    await page.waitForSelector('#session-corp-needs');
    const words = await page.textContent('#session-corp-needs');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await page.screenshot({ path: join(artifacts, `sessions-needs-sign-in-${lang}-${scheme}.png`) });
    await axe(`sessions needs sign-in ${lang} ${scheme}`);
    if (!words || overflow) fail(`needs sign-in ${lang} ${scheme}: ${words}, horizontal overflow ${overflow}`);
    else ok(`sessions: a refused session says it needs sign-in (${lang} ${scheme})`);
  }
  await page.setViewportSize({ width: 1100, height: 760 });

  // 10,000 profiles: a window of rows in the DOM, the last one reachable.
  await open('profiles', 'en', 'light', '&profiles=10000');
  const many = await page.textContent('#profiles-count');
  const inDom = await page.$$eval('[role="row"][data-profile]', (rows) => rows.length);
  await page.$eval('#profiles-grid', (g) => (g.parentElement.scrollTop = g.parentElement.scrollHeight));
  await page.waitForSelector('[role="row"][aria-rowindex="10001"]');
  if (many.trim() !== '10,000 profiles' || inDom > 60) fail(`10,000 profiles: ${many}, ${inDom} rows in the DOM`);
  else ok(`10,000 profiles: ${inDom} rows in the DOM, the last one reachable`);
  await page.screenshot({ path: join(artifacts, 'profiles-10000-en-light.png') });
  await axe('profiles 10,000 en light');

  // Populate: the names preview, a dry run asking the portal again (progress), apply.
  await open('populate', 'en');
  await page.waitForSelector('#populate-names li');
  await page.click('#populate-mode-prune');
  await page.check('#populate-refresh');
  await page.click('#populate-dry-run');
  await page.waitForSelector('#populate-progress');
  await page.waitForSelector('#populate-result');
  const adds = await page.textContent('#populate-result [data-count="add"] dd');
  await page.screenshot({ path: join(artifacts, 'populate-result-en-light.png'), fullPage: true });
  await axe('populate result en light');
  await page.click('#populate-apply');
  await page.waitForSelector('#populate-notice');
  const populated = await page.evaluate(() => window.lanyardMock.configText());
  if (adds !== '11' || !populated.includes('[profile acme-management.AdministratorAccess]') || populated.includes('acme-retired'))
    fail(`populate: ${adds} added; file ${populated.length} bytes`);
  else ok(`populate: ${await page.textContent('#populate-notice')}`);
  await cspClean('last page');

  if (errors.length) fail(`page errors: ${errors.join(' | ')}`);
} finally {
  await browser.close();
  server.close();
}
console.error(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
