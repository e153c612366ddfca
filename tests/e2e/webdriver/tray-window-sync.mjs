// One truth for tray and window (see cases/tray_window_sync.sh): what is done in one shows in
// the other within a second.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifacts, check, run, step, trayLabels } from './lib.mjs';

const LIB = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib');
const WITHIN_MS = 1000;

function trayClick(label) {
  execFileSync('/usr/bin/python3', [join(LIB, 'tray.py'), 'click', label]);
}

/** Polls `ok` until it is true; returns the milliseconds since `since`, or fails after 10 s. */
async function took(browser, since, ok, what) {
  await browser.waitUntil(ok, { timeout: 10_000, interval: 25, timeoutMsg: `never: ${what}` });
  return Date.now() - since;
}

function quick(ms, what) {
  step(`${what} in ${ms} ms`);
  check(ms <= WITHIN_MS, `${what} took ${ms} ms (want ≤ ${WITHIN_MS} ms)`);
}

const card = (name, state) => `[data-session="${name}"][data-state="${state}"]`;

await run(async (browser) => {
  for (const name of ['corp', 'lab']) {
    await browser.$(card(name, 'valid')).waitForExist({ timeout: 20_000, timeoutMsg: `${name} is not shown signed in` });
  }
  await browser.waitUntil(() => trayLabels().includes('Sign out of corp'), {
    timeout: 20_000,
    timeoutMsg: `the tray does not show corp signed in: ${trayLabels().join('|')}`,
  });

  // Window → tray.
  let start = Date.now();
  await browser.$('[data-session="corp"] button[aria-label="Sign out of corp"]').click();
  quick(
    await took(browser, start, () => trayLabels().includes('corp — signed out'), 'the tray showing corp signed out'),
    'sign-out in the window → tray',
  );

  // Tray → window.
  start = Date.now();
  trayClick('Sign out of lab');
  quick(
    await took(browser, start, () => browser.$(card('lab', 'signed-out')).isExisting(), 'the window showing lab signed out'),
    'sign-out in the tray → window',
  );
  trayClick('Sign in to lab');
  await browser.$(card('lab', 'valid')).waitForExist({ timeout: 30_000, timeoutMsg: 'the sign-in from the tray did not show in the window' });
  step('sign-in from the tray shows in the window');
  await browser.saveScreenshot(join(artifacts, 'sessions.png'));

  // A default switched in the tray, on the Profiles page (which never polls).
  await browser.$('#nav-profiles').click();
  await browser.$('[data-profile="prod"]').waitForExist({ timeout: 10_000, timeoutMsg: 'prod is not listed' });
  check(!(await browser.$('#profile-prod-default').isExisting()), 'prod is the default already');
  start = Date.now();
  trayClick('Profiles > prod');
  quick(
    await took(browser, start, () => browser.$('#profile-prod-default').isExisting(), 'the window showing prod as the default'),
    'default switched in the tray → window',
  );
  await browser.saveScreenshot(join(artifacts, 'profiles.png'));
});
