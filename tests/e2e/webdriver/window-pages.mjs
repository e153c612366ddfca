// Issue 12 on the real app: create an sso-session in the form (validation first), sign in with a
// device code from its Sessions card, see the countdown, switch to 繁體中文.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, expectText, fill, run, step } from './lib.mjs';

const config = () => {
  try {
    return readFileSync(process.env.AWS_CONFIG_FILE_FOR_TEST, 'utf8');
  } catch {
    return '';
  }
};


await run(async (browser) => {
  await expectText(browser, '.empty-state h2', 'No sessions yet');

  await browser.$('#nav-ssoSessions').click();
  await expectText(browser, '#page-title', 'SSO sessions');
  await browser.$('#sso-new').click();
  await fill(browser, '#sso-name', 'corp');
  await fill(browser, '#sso-start-url', 'https://d-1234567890.awsapps.com/start');
  await fill(browser, '#sso-region', 'Virginia');
  await browser.$('#sso-save').click();
  await expectText(browser, '#sso-region-error', 'Enter a region name such as us-east-1.');
  check(!config().includes('sso-session'), 'an invalid form was written');
  step('a wrong region is named; nothing written');

  await fill(browser, '#sso-region', 'us-east-1');
  await browser.$('#sso-device-code').click();
  await fill(browser, '#sso-duration', '8h');
  await browser.$('#sso-save').click();
  await browser.$('tr[data-session="corp"]').waitForExist({ timeout: 10_000, timeoutMsg: 'corp is not listed after Save' });
  const text = config();
  check(/\[sso-session corp\][^[]*sso_use_device_code = true/.test(text), `config:\n${text}`);
  check(text.includes('sso_region = us-east-1'), `config:\n${text}`);
  await browser.saveScreenshot(join(artifacts, 'sso-sessions-en.png'));
  step('sso-session corp created with the device-code choice');

  await browser.$('#nav-sessions').click();
  const card = '[data-session="corp"]';
  await browser.$(card).waitForExist({ timeout: 10_000, timeoutMsg: 'no card for corp' });
  await browser.$(`${card} button.primary`).click();
  const dialog = await browser.$('#device-code-dialog');
  await dialog.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no device-code dialog appeared' });
  const code = await browser.$('#device-code').getText();
  check(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code), `the dialog shows ${JSON.stringify(code)}`);
  step(`device code ${code} shown`);
  await dialog.waitForExist({ reverse: true, timeout: 30_000, timeoutMsg: 'the dialog stayed after approval' });
  await browser.$(`${card}[data-state="valid"]`).waitForExist({ timeout: 15_000, timeoutMsg: 'corp did not turn signed in' });
  const left = await browser.$(`${card} time`).getText();
  check(/^≈ [0-9]+ h [0-9]+ min$/.test(left), `countdown ${JSON.stringify(left)}`);
  await browser.saveScreenshot(join(artifacts, 'sessions-signed-in-en.png'));
  step(`signed in; countdown ${left}`);

  // The configure sso wizard: the accounts come from the emulator's portal.
  await browser.$('#nav-ssoSessions').click();
  await browser.$('#sso-wizard').click();
  await browser.$('#wizard-next').click();
  const firstAccount = await browser.$('input[name="wizard-account"]');
  await firstAccount.waitForExist({ timeout: 20_000, timeoutMsg: 'the wizard listed no account' });
  const accounts = await browser.$$('input[name="wizard-account"]').length;
  await firstAccount.click();
  await browser.$('#wizard-next').click();
  await browser.$('input[name="wizard-role"]').click();
  await browser.$('#wizard-next').click();
  await browser.$('#wizard-profile').waitForExist();
  await browser.$('#wizard-next').click();
  const profile = await browser.$('#wizard-review dd').getText();
  await browser.$('#wizard-save').click();
  await browser.$('#sso-notice').waitForExist({ timeout: 10_000, timeoutMsg: 'the wizard did not save' });
  const written = config();
  check(
    written.includes(`[profile ${profile}]`) && /sso_session = corp/.test(written) && /sso_account_id = \d{12}/.test(written),
    `config after the wizard:\n${written}`,
  );
  step(`wizard: ${accounts} accounts listed; profile ${profile} written`);

  await browser.$('#nav-settings').click();
  await browser.$('#language-zh-TW').click();
  await expectText(browser, '#page-title', '設定');
  await browser.$('#nav-sessions').click();
  await expectText(browser, '#page-title', '工作階段');
  await expectText(browser, `${card} .badge`, '已登入');
  const zh = await browser.$(`${card} time`).getText();
  check(/^約 [0-9]+ 小時 [0-9]+ 分鐘$/.test(zh), `countdown in Chinese ${JSON.stringify(zh)}`);
  await browser.saveScreenshot(join(artifacts, 'sessions-zh-TW.png'));
  step(`繁體中文: ${zh}`);
});
