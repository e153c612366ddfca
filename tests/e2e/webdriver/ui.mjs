// The window's UI through WebDriver: starts in English (LANYARD_LANG=en), switches page and
// language, the tray follows the language, the CSP blocks an injected inline script.
import { join } from 'node:path';
import { artifacts, check, expectText, run, step, trayLabels } from './lib.mjs';

await run(async (browser) => {
  check((await browser.getTitle()) === 'Lanyard', `title is ${await browser.getTitle()}`);
  await expectText(browser, '#page-title', 'Sessions');
  await expectText(browser, '.empty-state h2', 'No sessions yet');
  check((await browser.$('#tray-missing').isExisting()) === false, 'the no-tray warning shows although a tray host runs');
  const nav = await browser.$$('nav button').map((b) => b.getText());
  check(
    JSON.stringify(nav) === JSON.stringify(['Sessions', 'Profiles', 'SSO sessions', 'Populate', 'Settings']),
    `navigation is ${JSON.stringify(nav)}`,
  );
  step(`English navigation: ${nav.join(', ')}`);

  await browser.$('#nav-profiles').click();
  await expectText(browser, '#page-title', 'Profiles');
  await expectText(browser, '.empty-state h2', 'No profiles yet');
  await browser.saveScreenshot(join(artifacts, 'webdriver-profiles-en.png'));
  step('page switch: Profiles');

  await browser.$('#nav-settings').click();
  await expectText(browser, '#page-title', 'Settings');
  await browser.$('#language-zh-TW').click();
  await expectText(browser, '#page-title', '設定');
  await expectText(browser, '#nav-sessions', '工作階段');
  const lang = await browser.execute(() => document.documentElement.lang);
  check(lang === 'zh-TW', `<html lang> is ${lang}`);
  step('language switch: zh-TW labels shown');

  // The tray is rebuilt in the same language (read over D-Bus).
  let labels = [];
  await browser.waitUntil(
    async () => {
      labels = trayLabels();
      return JSON.stringify(labels) === JSON.stringify(['尚未設定任何工作階段', '設定檔：default', '複製憑證（環境變數格式）', '開啟主控台', '開啟 Lanyard', '結束']);
    },
    { timeout: 10_000, interval: 200, timeoutMsg: `tray menu stayed ${JSON.stringify(labels)}` },
  ).catch(() => {
    throw new Error(`the tray menu did not switch to zh-TW: ${JSON.stringify(labels)}`);
  });
  step(`tray menu follows: ${labels.join(', ')}`);

  // CSP: an inline script added to the page must not run, and WebKit reports the violation.
  const injected = await browser.execute(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(e.effectiveDirective || e.violatedDirective),
    );
    window.__inlineRan = false;
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.body.appendChild(script);
    return { ran: window.__inlineRan, canSetGlobals: window.__cspViolations !== undefined };
  });
  check(injected.canSetGlobals, 'WebDriver cannot run scripts in the page');
  check(injected.ran === false, 'the injected inline script RAN: the CSP does not block inline scripts');
  let violations = [];
  await browser.waitUntil(
    async () => {
      violations = await browser.execute(() => window.__cspViolations);
      return violations.length > 0;
    },
    { timeout: 5_000, interval: 100 },
  ).catch(() => {
    throw new Error('no securitypolicyviolation event: was the script blocked by the CSP?');
  });
  const ranLater = await browser.execute(() => window.__inlineRan);
  check(ranLater === false, 'the injected inline script ran later');
  check(violations.some((d) => d.startsWith('script-src')), `violations: ${violations}`);
  step(`CSP blocked the inline script (${violations.join(', ')})`);

  // Inline style attributes are blocked too (style-src has no 'unsafe-inline').
  const styled = await browser.execute(() => {
    const box = document.createElement('div');
    box.setAttribute('style', 'position: absolute; width: 123px; height: 1px');
    document.body.appendChild(box);
    const width = box.getBoundingClientRect().width;
    box.remove();
    return width;
  });
  check(styled !== 123, 'an inline style attribute was applied: style-src allows inline styles');
  step('CSP blocked an inline style attribute');

  await browser.saveScreenshot(join(artifacts, 'webdriver-settings-zh-TW.png'));
});
