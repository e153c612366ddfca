// WebDriver client for the real app window: tauri-driver (started by lib/session.sh on
// WEBDRIVER_PORT) launches LANYARD_APP through WebKitWebDriver when a session opens; the app
// starts its window process (`lanyard-app --window`), which inherits WebKitWebDriver's
// environment (WEBKIT_INSPECTOR_SERVER, TAURI_WEBVIEW_AUTOMATION), so the session drives that
// window's webview.
// Plain Node + webdriverio `remote()`; no browserName (tauri-driver then fails to match).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const LIB = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib');

export const artifacts = process.env.E2E_ARTIFACTS ?? '.';

export function step(message) {
  console.error(`    ${message}`);
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Opens a session, which starts the app and waits for its UI to have loaded its info. */
export async function openApp() {
  const port = Number(process.env.WEBDRIVER_PORT);
  check(port > 0, 'WEBDRIVER_PORT is not set');
  check(process.env.LANYARD_APP, 'LANYARD_APP is not set');
  const started = Date.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryCount: 0,
    connectionRetryTimeout: 60_000,
    waitforTimeout: 15_000,
    capabilities: {
      'tauri:options': { application: process.env.LANYARD_APP },
      'wdio:enforceWebDriverClassic': true,
    },
  });
  await browser.$('.shell[data-ready="true"]').waitForExist({
    timeout: 20_000,
    timeoutMsg: 'the UI did not finish loading (data-ready) within 20 s',
  });
  step(`session and UI ready in ${Date.now() - started} ms`);
  return browser;
}

/** Waits until an element's text equals `want`; fails with what it saw instead. */
export async function expectText(browser, selector, want, timeout = 10_000) {
  let last;
  try {
    await browser.waitUntil(
      async () => {
        last = await browser.$(selector).getText();
        return last === want;
      },
      { timeout, interval: 100 },
    );
  } catch {
    throw new Error(`${selector} shows ${JSON.stringify(last)}, want ${JSON.stringify(want)}`);
  }
}

/** Replaces an input's value with `value`, as typed, once the input is shown. */
export async function fill(browser, selector, value) {
  const input = await browser.$(selector);
  await input.waitForDisplayed({ timeout: 10_000, timeoutMsg: `${selector} is not shown` });
  await input.clearValue();
  await input.setValue(value);
}

/** The tray menu labels, read over D-Bus like a tray host does. */
export function trayLabels() {
  return execFileSync('/usr/bin/python3', [join(LIB, 'tray.py'), 'labels'], { encoding: 'utf8' })
    .trim()
    .split('\n');
}

/** Runs `body(browser)` against a fresh app session; exits non-zero on any failure. The app is
 * left running for the shell part of the case (which ends it); `process.exit` because the
 * HTTP client keeps sockets open. */
export async function run(body) {
  let browser;
  try {
    browser = await openApp();
    await body(browser);
    process.exit(0);
  } catch (e) {
    console.error(`    FAIL: ${e?.message ?? e}`);
    if (browser) {
      try {
        await browser.saveScreenshot(join(artifacts, 'failure.png'));
      } catch {
        // The window may be gone; the message above is what matters.
      }
    }
    process.exit(1);
  }
}
