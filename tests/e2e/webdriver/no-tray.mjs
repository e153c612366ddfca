// With no tray host, the window says that closing it quits Lanyard.
import { join } from 'node:path';
import { artifacts, check, expectText, run, step } from './lib.mjs';

await run(async (browser) => {
  const banner = await browser.$('#tray-missing');
  await banner.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no "no system tray" warning is shown' });
  const text = await banner.getText();
  check(/No system tray was found/.test(text) && /quits Lanyard/.test(text), `warning reads: ${text}`);
  await expectText(browser, '#page-title', 'Sessions');
  await browser.saveScreenshot(join(artifacts, 'webdriver-no-tray.png'));
  step(`warning shown: ${text}`);
});
