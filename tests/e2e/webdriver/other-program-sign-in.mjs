// Issue 20 on the real app: a sign-in another program makes (a token file written as
// `aws sso login` writes it, refresh token and 90-day registration included) shows its true time
// left — about 8 hours from when it was written, an estimate — in the window and in the tray,
// never the registration's 2159 hours.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { artifacts, check, run, step, trayLabels } from './lib.mjs';

const card = '[data-session="corp"]';

await run(async (browser) => {
  await browser.$(`${card}[data-state="signed-out"]`).waitForExist({
    timeout: 15_000,
    timeoutMsg: 'corp is not shown signed out at first',
  });
  execFileSync('/bin/bash', ['-c', process.env.WRITE_CLI_TOKEN], { stdio: 'inherit' });
  step('a token file written as aws sso login writes it');
  await browser.$(`${card}[data-state="valid"]`).waitForExist({
    timeout: 10_000,
    timeoutMsg: 'corp did not turn signed in after another program signed in',
  });
  let left = '';
  await browser.waitUntil(
    async () => {
      left = await browser.$(`${card} time`).getText();
      return /^≈ (7 h 5[0-9]|8 h 0) min$/.test(left);
    },
    { timeout: 10_000, interval: 200, timeoutMsg: `the window shows ${JSON.stringify(left)}, want ≈ 8 h` },
  );
  await browser.saveScreenshot(join(artifacts, 'other-program-sign-in.png'));
  step(`window: ${left}`);
  let labels = [];
  await browser.waitUntil(
    async () => {
      labels = trayLabels();
      return labels.some((l) => /^corp — ≈ (7 h 5[0-9]|8 h 0) min$/.test(l));
    },
    { timeout: 10_000, interval: 200, timeoutMsg: `the tray shows ${JSON.stringify(labels)}, want corp ≈ 8 h` },
  );
  check(!labels.some((l) => /2159|2160/.test(l)), `the registration's expiry is shown: ${labels}`);
  step(`tray: ${labels.find((l) => l.startsWith('corp'))}`);
});
