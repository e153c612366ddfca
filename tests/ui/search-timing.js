// Keystroke → rendered timing of the Profiles page's search, measured inside the page. The same
// code measures the mock build in Chromium (bench/ui-search) and the real app in WebKitGTK
// (the end-to-end test), so that the two figures mean the same thing.
//
// CALLING CONVENTION. This file is the BODY of an asynchronous WebDriver script, not a module:
// it reads `arguments[0]` (the options) and calls the LAST argument (the callback) once with
// the result. Run it as it is:
//   - WebDriver (webdriverio, tauri-driver / WebKitWebDriver):
//       const body = readFileSync('tests/ui/search-timing.js', 'utf8');
//       const result = await browser.executeAsync(body, options);
//     (mind the session's script timeout: about 1 s per 10 keystrokes is plenty)
//   - Playwright (page.evaluate runs a string as an expression; no eval in the page, so the
//     app's CSP does not get in the way):
//       const result = await page.evaluate(
//         `new Promise((done) => (function () {\n${body}\n}).call(null, ${JSON.stringify(options)}, done))`);
//
// OPTIONS (all optional but `queries`):
//   queries:  array of strings; each is typed from an empty field one character at a time, and
//             every keystroke is one sample (e.g. an account id digit by digit).
//   input:    the search field (default '#profiles-search').
//   marker:   the element whose `data-query` attribute names the query its result shows
//             (default '#profiles-count'); a keystroke's result is on screen when the marker
//             says its query.
//   timeoutMs: give up on one keystroke after this long (default 5000).
//
// A SAMPLE is the time from dispatching the keystroke's `input` event to the frame after the
// DOM shows its result: the marker is watched (MutationObserver), then one
// requestAnimationFrame (the frame that paints it) and a MessageChannel hop (after that paint).
// Between keystrokes the page is left idle for two frames so that samples do not overlap.
//
// Each sample also has `domMs`: dispatch to the moment the DOM shows the result (the work
// itself, before waiting for the frame, which rounds `ms` up to the display's frame interval).
//
// RESULT (passed to the callback): { samples: [{ query, ms, domMs, count }], userAgent }, or
// { error: 'message' } if the page is not ready or a keystroke timed out.
const options = arguments[0] || {};
const done = arguments[arguments.length - 1];

(async () => {
  const input = document.querySelector(options.input || '#profiles-search');
  const markerSelector = options.marker || '#profiles-count';
  const timeoutMs = options.timeoutMs || 5000;
  if (!input) throw new Error(`no search field ${options.input || '#profiles-search'}`);
  if (!document.querySelector(markerSelector)) throw new Error(`no marker ${markerSelector}`);

  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const afterPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      }),
    );
  const shows = (query) => {
    const marker = document.querySelector(markerSelector);
    return marker !== null && marker.getAttribute('data-query') === query;
  };

  /** Types `query` (the field's whole value) and times it to the frame that shows its result. */
  function keystroke(query) {
    return new Promise((resolve, reject) => {
      let observer = null;
      let timer = 0;
      const t0 = performance.now();
      const finish = () => {
        const domMs = performance.now() - t0;
        if (observer) observer.disconnect();
        clearTimeout(timer);
        afterPaint().then(() => {
          const ms = performance.now() - t0;
          const marker = document.querySelector(markerSelector);
          resolve({ query, ms, domMs, count: marker ? Number(marker.getAttribute('data-count')) : null });
        });
      };
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      if (shows(query)) {
        finish();
        return;
      }
      observer = new MutationObserver(() => {
        if (shows(query)) finish();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`the result of ${JSON.stringify(query)} did not show within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  const samples = [];
  for (const query of options.queries || []) {
    // From an empty field, not timed.
    if (input.value !== '') await keystroke('');
    await frame();
    await frame();
    for (let i = 1; i <= query.length; i++) {
      samples.push(await keystroke(query.slice(0, i)));
      await frame();
      await frame();
    }
  }
  await keystroke('');
  return { samples, userAgent: navigator.userAgent };
})().then(done, (e) => done({ error: String((e && e.message) || e) }));
