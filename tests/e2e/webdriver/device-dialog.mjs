// The device-code dialog (issue 10): a device sign-in started from the tray shows its user code
// in the open window, the same code as the notification; Copy code and the verification link
// work through the app; the dialog closes when the sign-in is done.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifacts, check, run, step } from './lib.mjs';

const LIB = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib');
const tray = (...args) =>
  execFileSync('/usr/bin/python3', [join(LIB, 'tray.py'), ...args], { encoding: 'utf8' });
const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};
/** The code in the "Sign in to lab: code XXXX" notification, as seen on the bus. */
const notifiedCode = () =>
  read(process.env.BUS_LOG).match(/string "Sign in to lab: code ([A-Z0-9-]+)"/)?.[1];

await run(async (browser) => {
  check((await browser.$('#device-code-dialog').isExisting()) === false, 'a dialog shows before any sign-in');
  tray('click', 'Sign in to lab');
  const dialog = await browser.$('#device-code-dialog');
  await dialog.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no device-code dialog appeared' });
  const code = await browser.$('#device-code').getText();
  check(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code), `the dialog shows ${JSON.stringify(code)}`);
  await browser.waitUntil(() => notifiedCode() !== undefined, {
    timeout: 10_000,
    timeoutMsg: 'no notification with the device code',
  });
  check(notifiedCode() === code, `dialog shows ${code}, notification ${notifiedCode()}`);
  check((await browser.$('#device-code-title').getText()) === 'Sign in to lab', 'dialog title');
  await browser.saveScreenshot(join(artifacts, 'device-code-dialog.png'));
  step(`dialog shows ${code}, as the notification does`);

  await browser.$('#device-code-copy').click();
  await browser.waitUntil(
    () => {
      try {
        return execFileSync('timeout', ['5', 'xclip', '-o', '-selection', 'clipboard'], { encoding: 'utf8' }) === code;
      } catch {
        return false;
      }
    },
    { timeout: 10_000, timeoutMsg: 'Copy code did not put the code on the clipboard' },
  );
  step('Copy code: the clipboard holds it');

  const before = read(process.env.BROWSER_LOG).split('\n').length;
  await browser.$('#device-code-link').click();
  await browser.waitUntil(
    () => read(process.env.BROWSER_LOG).split('\n').length > before,
    { timeout: 10_000, timeoutMsg: 'the link handed nothing to the browser' },
  );
  const opened = read(process.env.BROWSER_LOG).trim().split('\n').at(-1);
  check(
    opened.startsWith(process.env.EMULATOR_URL) && opened.includes(code),
    `the link opened ${opened}`,
  );
  check((await browser.getTitle()) === 'Lanyard', 'the window navigated away from the app');
  step(`link: the browser got ${opened}`);

  await dialog.waitForExist({
    reverse: true,
    timeout: 40_000,
    timeoutMsg: 'the dialog stayed after the sign-in should have finished',
  });
  step('the dialog closed when the sign-in was done');
});
