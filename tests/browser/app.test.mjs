// The foundation in a real browser: the page loads cleanly, Chinese is really drawn, a click on
// a named widget changes state, a reload keeps it, and the app starts offline after one visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, startApp, launch, watchErrors, debug, waitFor, waitReady, waitSaved, rect, click, grab } from './harness.mjs';

let app, url, browser, page, errors;

before(async () => { ({ url, browser, page, errors } = app = await startApp()); });
after(() => app?.close());

test('the page loads into a ready app with the store idle and no console error', async () => {
  const d = await debug(page);
  assert.equal(d.ready, true);
  assert.equal(d.store.state, 'idle');
  assert.equal(typeof d.frame_ms, 'number');
  assert.ok(d.frame_ms > 0 && d.frame_ms < 1000, `frame_ms ${d.frame_ms}`);
  assert.equal(d.language, 'zh-CN', 'Chinese is the default language');
  assert.deepEqual(errors, []);
});

test('once ready, the atlas holds every glyph of the font subset', async () => {
  // The app starts with GB 2312 level 1 and its own texts, then adds the rest after its first
  // frame (docs/fonts.md); the generated ranges say how many code points the subset has.
  const ranges = fs.readFileSync(path.join(ROOT, 'build/web/src/app/generated/glyph_ranges.inc'), 'utf8');
  const subset = Number(/(\d+) code points/.exec(ranges)[1]);
  const first = Number(/(\d+) code points/.exec(fs.readFileSync(path.join(ROOT, 'build/web/src/app/generated/glyph_ranges_first.inc'), 'utf8'))[1]);
  assert.ok(first < subset * 0.7, `the first build holds ${first} of ${subset} code points`);
  const d = await debug(page);
  assert.equal(d.font_glyphs, 'all');
  assert.ok(d.font_glyph_count >= subset, `${d.font_glyph_count} glyphs for ${subset} code points`);
});

test('Chinese labels are drawn with real glyphs, not fallback marks', async () => {
  await click(page, '帮助');
  await click(page, '关于');
  const sample = await rect(page, '㐀㐀㐀㐀##missing-glyph-sample');
  const label = await rect(page, '接待登记');
  const a = await grab(page, label);
  const missing = await grab(page, sample);
  const ink = (img) => {
    const cols = [];
    for (let x = 0; x < img.width; x++) {
      let dark = false;
      for (let y = 0; y < img.height; y++) if (img.grey[y * img.width + x] < 128) { dark = true; break; }
      if (dark) cols.push(x);
    }
    return cols.length ? { left: cols[0], width: cols[cols.length - 1] - cols[0] + 1 } : { left: 0, width: 0 };
  };
  const { left, width: textWidth } = ink(a);
  const missingWidth = ink(missing).width;
  assert.ok(missingWidth > 0, 'the missing-glyph sample has ink');
  // Four CJK glyphs span about four ems (16 px each); four fallback marks are half as wide.
  assert.ok(textWidth >= 40, `4 CJK glyphs span at least 40 px, got ${textWidth}`);
  assert.ok(textWidth > 1.3 * missingWidth, `label ink ${textWidth} px vs missing-glyph sample ${missingWidth} px`);
  // Each glyph cell differs from every other: a fallback mark would repeat the same picture.
  const cell = (textWidth) / 4, cells = [];
  for (let i = 0; i < 4; i++) {
    const x0 = Math.round(left + i * cell), pix = [];
    for (let y = 0; y < a.height; y++) for (let x = x0; x < x0 + Math.floor(cell); x++) pix.push(a.grey[y * a.width + x] < 128 ? 1 : 0);
    cells.push(pix);
  }
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) {
    const diff = cells[i].reduce((n, v, k) => n + (v !== cells[j][k] ? 1 : 0), 0);
    assert.ok(diff > 20, `glyph cells ${i} and ${j} differ by only ${diff} pixels`);
  }
  // And the label does not look like the same number of missing characters.
  const sameSize = missing.width === a.width && missing.height === a.height;
  if (sameSize) {
    const diff = a.grey.reduce((n, v, k) => n + (Math.abs(v - missing.grey[k]) > 64 ? 1 : 0), 0);
    assert.ok(diff > 100, `the label looks like missing glyphs (${diff} differing pixels)`);
  } else {
    assert.ok(a.width > missing.width, 'missing glyphs are narrower than real CJK glyphs');
  }
  await click(page, '关闭');
});

test('a click on a named widget changes the state and is saved', async () => {
  const before = (await debug(page)).settings.visits_today;
  await click(page, '接待登记');
  const d = await waitFor(page, (s) => s.settings.visits_today === before + 1, 'the visit to be counted');
  assert.equal(d.settings.visits_today, before + 1);
  await waitSaved(page);
});

test('a reload keeps the saved state', async () => {
  const saved = (await waitSaved(page)).settings;
  await page.reload();
  const d = await waitReady(page);
  assert.deepEqual(d.settings, saved);
  assert.ok(d.settings.visits_today >= 1);
});

test('the language can be switched to English and back, and is remembered', async () => {
  await click(page, '语言');
  await click(page, 'English');
  await waitFor(page, (d) => d.language === 'en', 'English');
  await waitSaved(page);
  await page.reload();
  await waitFor(page, (d) => d.ready && d.language === 'en', 'English after reload');
  await click(page, 'Language');
  await click(page, '中文 (Chinese)');
  await waitFor(page, (d) => d.language === 'zh-CN', 'Chinese again');
  await waitSaved(page);
});

test('typing Chinese through an input method reaches the search box', async () => {
  await click(page, '##search');
  await waitFor(page, () => true, 'a frame');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ime');
  const cdp = await browser.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'zhang', selectionStart: 5, selectionEnd: 5 });
  await cdp.send('Input.imeSetComposition', { text: '张', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.insertText', { text: '张三' });
  await waitFor(page, (d) => d.search_text === '张三', 'the composed text in the search box');
  await page.keyboard.insertText('路');
  const d = await waitFor(page, (s) => s.search_text === '张三路', 'plain text input');
  assert.equal(d.search_text, '张三路');
  await cdp.detach();
});

test('after one visit the app starts with the network cut', async () => {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  // The worker claims open pages when it activates; from then on it answers every request.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  await browser.setOffline(true);
  try {
    await page.reload();
    const d = await waitReady(page);
    assert.equal(d.ready, true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
  } finally {
    await browser.setOffline(false);
  }
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), []);
});

test('the UI follows the browser window size', async () => {
  await page.setViewportSize({ width: 900, height: 640 });
  const d = await waitFor(page, (s) => s.display.w === 900 && s.display.h === 640, 'the new window size');
  assert.deepEqual(d.display, { w: 900, h: 640 });
  const r = await rect(page, '接待登记');
  assert.ok(r.x + r.w <= 900 && r.y + r.h <= 640);
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitFor(page, (s) => s.display.w === 1280, 'the size back');
});

test('on a HiDPI screen the atlas is built for the pixel ratio and rectangles stay in CSS pixels', async () => {
  const { context } = await launch(null, { deviceScaleFactor: 2 });
  try {
    const hi = context.pages()[0] || await context.newPage();
    const hiErrors = watchErrors(hi);
    await hi.goto(url);
    const d = await waitReady(hi);
    assert.equal(d.pixel_ratio, 2);
    assert.deepEqual(d.display, { w: 1280, h: 800 });
    const a = await rect(page, '接待登记');
    const b = await rect(hi, '接待登记');
    // The same layout in CSS pixels whatever the ratio (within a pixel of rounding).
    for (const k of ['x', 'y', 'w', 'h']) assert.ok(Math.abs(a[k] - b[k]) <= 1.5, `${k}: ${a[k]} vs ${b[k]}`);
    // And the canvas really has twice the pixels.
    const backing = await hi.evaluate(() => [Module.canvas.width, Module.canvas.height]);
    assert.deepEqual(backing, [2560, 1600]);
    await click(hi, '接待登记');
    await waitFor(hi, (s) => s.settings.visits_today === 1, 'a click at 2x to count');
    assert.deepEqual(hiErrors, []);
  } finally {
    await context.close();
  }
});

// Without IndexedDB (private mode, storage disabled) or WebGL2 the page says so plainly and
// starts nothing. The browser's own APIs are broken before any script of the page runs.
for (const [what, breakIt, said] of [
  ['IndexedDB', () => {
    const refuse = () => { throw new DOMException('storage disabled', 'InvalidStateError'); };
    indexedDB.open = refuse;
    indexedDB.databases = () => Promise.reject(new DOMException('storage disabled', 'InvalidStateError'));
  }, /此浏览器无法使用 IndexedDB.*IndexedDB is unavailable/],
  ['WebGL2', () => {
    const real = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) { return kind === 'webgl2' ? null : real.call(this, kind, ...rest); };
  }, /此浏览器无法使用 WebGL2.*This browser has no WebGL2/],
]) {
  test(`without ${what} the page says so and starts nothing`, async () => {
    const { context } = await launch();
    try {
      const p = context.pages()[0] || await context.newPage();
      await p.addInitScript(breakIt);
      // The store is read in a worker (store-load.js), where the page's init scripts do not
      // run: the worker's copy of the script breaks the API first.
      if (what === 'IndexedDB') {
        await context.route('**/store-load.js', async (route) => {
          const res = await route.fetch();
          await route.fulfill({ response: res, body: `(${breakIt})();\n${await res.text()}` });
        });
      }
      await p.goto(url);
      await p.waitForFunction(() => window.onestopLoadError !== undefined, null, { timeout: 10000 });
      await p.waitForTimeout(1000);  // the downloads go on meanwhile: the message must stay
      assert.match(await p.textContent('#status'), said);
      assert.equal(await p.evaluate(() => typeof window.Module === 'undefined' || !window.Module.calledRun), true, 'the app was not started');
    } finally {
      await context.close();
    }
  });
}
