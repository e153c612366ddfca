// Cancel of a waiting sign-in on the real app (see cases/cancel_sign_in.sh): the engine's
// polling stops, the card is signed out without an error, and the tray can sign in again.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifacts, check, run, step, trayLabels } from './lib.mjs';

const LIB = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib');
const DEVICE_GRANT = 'device_code';

/** The emulator's count of device-code CreateToken calls (the engine's polls). */
async function polls() {
  const state = await (await fetch(`${process.env.EMULATOR_URL}/_emulator/state`)).json();
  return state.calls.CreateToken[DEVICE_GRANT];
}

const card = '[data-session="lab"]';

await run(async (browser) => {
  await browser.$(card).waitForExist({ timeout: 10_000, timeoutMsg: 'no card for lab' });
  await browser.$(`${card} button.primary`).click();
  const dialog = await browser.$('#device-code-dialog');
  await dialog.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no device-code dialog appeared' });
  const first = await browser.$('#device-code').getText();
  await browser.$('#device-code-hide').click();
  await browser.$('#session-lab-progress').waitForDisplayed({ timeout: 10_000, timeoutMsg: 'the card shows no waiting sign-in' });
  await browser.waitUntil(async () => (await polls()) >= 2, { timeout: 15_000, timeoutMsg: 'the engine is not polling' });
  step(`waiting for ${first}; the engine has polled ${await polls()} times`);

  await browser.$('#session-lab-progress button').click();
  await browser.$('#session-lab-progress').waitForExist({ reverse: true, timeout: 10_000, timeoutMsg: 'the card still waits after Cancel' });
  check(!(await browser.$('#session-lab-error').isExisting()), 'Cancel shows an error on the card');
  check(!(await dialog.isExisting()), 'the device-code dialog is back after Cancel');
  await browser.$(`${card}[data-state="signed-out"]`).waitForExist({ timeout: 10_000, timeoutMsg: 'lab is not signed out after Cancel' });
  // A poll already in flight may land; after that, three poll intervals (1 s each) without one.
  await browser.pause(1500);
  const stopped = await polls();
  await browser.pause(3500);
  const later = await polls();
  check(later === stopped, `the engine kept polling after Cancel: ${stopped} -> ${later}`);
  await browser.saveScreenshot(join(artifacts, 'cancelled.png'));
  step(`cancelled: no poll in 3.5 s (${later} in all), the card signed out, no error`);

  const labels = trayLabels();
  check(labels.includes('Sign in to lab'), `the tray offers no Sign in to lab: ${labels.join('|')}`);
  execFileSync('/usr/bin/python3', [join(LIB, 'tray.py'), 'click', 'Sign in to lab']);
  await dialog.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no dialog for the second sign-in' });
  const second = await browser.$('#device-code').getText();
  check(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(second) && second !== first, `the second sign-in shows ${second} (first ${first})`);
  await browser.$('#device-code-hide').click();
  await browser.$('#session-lab-progress button').click();
  await browser.$('#session-lab-progress').waitForExist({ reverse: true, timeout: 10_000, timeoutMsg: 'the second sign-in did not cancel' });
  step(`a new sign-in from the tray starts cleanly (${second}) and cancels too`);
});
