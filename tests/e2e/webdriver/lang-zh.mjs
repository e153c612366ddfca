// Started with LANYARD_LANG=zh-TW (and an English OS language): the window opens in Chinese,
// because the UI takes its language from the app (app_info), not from the webview's locale.
import { check, expectText, run, step } from './lib.mjs';

await run(async (browser) => {
  await expectText(browser, '#nav-sessions', '工作階段');
  await expectText(browser, '#page-title', '工作階段');
  const lang = await browser.execute(() => document.documentElement.lang);
  check(lang === 'zh-TW', `<html lang> is ${lang}`);
  const webviewLanguages = await browser.execute(() => navigator.languages.join(','));
  step(`window opened in zh-TW (webview languages: ${webviewLanguages})`);
});
