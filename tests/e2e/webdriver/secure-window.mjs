// The window's Profiles and Populate pages in secure mode (see cases/secure_window.sh).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, fill, run, step } from './lib.mjs';

const CONFIG = process.env.AWS_CONFIG_FILE_FOR_TEST;
const read = () => readFileSync(CONFIG, 'utf8');


/** The profile's section (its header to the next header). */
function section(text, name) {
  const start = text.indexOf(`[profile ${name}]\n`);
  if (start < 0) return null;
  const next = text.indexOf('\n[', start + 1);
  return text.slice(start, next < 0 ? undefined : next + 1);
}

await run(async (browser) => {
  await browser.$('#nav-profiles').click();
  const row = '[data-profile="dev"]';
  await browser.$(row).waitForExist({ timeout: 15_000, timeoutMsg: 'dev is not listed' });

  // Test: credentials through credential_process's keychain path.
  await browser.$(`${row} [data-action="test"]`).click();
  await browser.$('#profile-test-account').waitForDisplayed({ timeout: 20_000, timeoutMsg: 'Test of dev showed no account' });
  const who = await browser.$('#profile-test-account').getText();
  check(who === process.env.DEV_ACCOUNT, `Test of dev says ${who}, want ${process.env.DEV_ACCOUNT}`);
  step(`Test dev: account ${who}`);

  // Edit the region of a secure profile: one line changes; the secure form stays.
  const before = read();
  await browser.$(`${row} [data-action="edit"]`).click();
  await fill(browser, '#profile-field-region', 'eu-north-1');
  await browser.$('#profile-preview').click();
  await browser.$('#profile-save').waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no Save after the preview' });
  await browser.$('#profile-save').click();
  await browser.$('#profile-editor').waitForExist({ reverse: true, timeout: 10_000, timeoutMsg: 'the editor stayed open after Save' });
  const after = read();
  check(after === before.replace('region = eu-west-1', 'region = eu-north-1'), `after the edit:\n${after}`);
  check(/credential_process = .*credentials --profile dev\n/.test(section(after, 'dev')), `dev lost its secure form:\n${after}`);
  step('dev: region edited, credential_process form kept');

  // Populate in secure mode.
  await browser.$('#nav-populate').click();
  await browser.$('#populate-session').waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no Populate page' });
  await browser.$('#populate-session').selectByAttribute('value', 'corp');
  // The names of the cached account list first, so the page does not move under the clicks.
  await browser.$('#populate-names [data-name]').waitForExist({ timeout: 10_000, timeoutMsg: 'no names preview' });
  await browser.$('#populate-dry-run').click();
  await browser.$('#populate-result').waitForDisplayed({ timeout: 30_000, timeoutMsg: 'the dry run showed no result' });
  check(read() === after, 'the dry run wrote the file');
  await browser.$('#populate-apply').scrollIntoView();
  await browser.$('#populate-apply').click();
  let answer = '';
  await browser.waitUntil(
    async () => {
      for (const id of ['#populate-notice', '#populate-conflict', '#populate-error']) {
        if (await browser.$(id).isExisting()) {
          answer = `${id}: ${await browser.$(id).getText()}`;
          return true;
        }
      }
      return false;
    },
    { timeout: 20_000, timeoutMsg: 'Apply showed no answer' },
  );
  check(answer.startsWith('#populate-notice'), `Apply answered ${answer}`);
  const populated = read();
  const names = [...populated.matchAll(/^\[profile (.+)\]$/gm)].map((m) => m[1]).filter((n) => n !== 'dev');
  check(names.length === 6, `populate wrote ${names.length} profiles, want 6 (3 accounts x 2 roles, dev's pair already named otherwise):\n${populated}`);
  for (const n of names) {
    const s = section(populated, n);
    check(
      s.includes(`credential_process = `) && s.includes(`credentials --profile ${n}\n`) && s.includes('lanyard_sso_session = corp\n') && !/^sso_/m.test(s),
      `${n} is not in the secure form:\n${s}`,
    );
  }
  await browser.saveScreenshot(join(artifacts, 'secure-populate.png'));
  step(`populate wrote ${names.length} profiles in the secure form`);

  const html = await browser.execute(() => document.documentElement.outerHTML);
  check(!html.includes(process.env.CORP_TOKEN), 'the access token is in the window');
  step('the window holds no token');
});
