// Shared helpers for OneStop's browser tests: Debian's Chromium through playwright-core,
// the built site served on 127.0.0.1, and the app's automation interface (docs/automation.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../tools/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SITE = process.env.ONESTOP_SITE || path.join(ROOT, 'build/web/site');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

export async function startServer() {
  if (!fs.existsSync(path.join(SITE, 'onestop.wasm'))) throw new Error(`no build in ${SITE}: run the web build first`);
  return serve(SITE, 0);
}

// A persistent profile (IndexedDB and the service worker survive reloads and restarts).
export async function launch(profileDir, options = {}) {
  const dir = profileDir || fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 }, ...options,
  });
  return { context, dir };
}

// A server, a browser on a fresh profile and one page of the app, ready to use. `prepare(page)`
// runs before the page loads (init scripts). close() ends the browser and the server; on a
// failure here they are ended too (a browser left running would keep the test run alive).
export async function startApp(prepare) {
  const { server, url } = await startServer();
  let context = null;
  try {
    ({ context } = await launch());
    const page = context.pages()[0] || await context.newPage();
    if (prepare) await prepare(page);
    const errors = watchErrors(page);
    await page.goto(url);
    await waitReady(page);
    return { url, browser: context, page, errors, close: async () => { await context.close(); server.close(); } };
  } catch (e) {
    await context?.close();
    server.close();
    throw e;
  }
}

// The app's IndexedDB records (database "/data", docs/store-format.md "In IndexedDB"), read and
// changed from the page as a damaged disk or another tab might. op: 'keys' (every key), 'bytes'
// (the contents of record `key`, null when absent), 'kind' (the type of its contents: 'Blob' or
// 'Uint8Array'), 'delete' (the keys key..to, or just `key`), 'int8' (the same bytes stored
// again as an Int8Array, another kind of byte view a file's contents may come as).
function stored(page, op, key, to) {
  return page.evaluate(([op, key, to]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('/data');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const writes = op === 'delete' || op === 'int8';
      const tx = req.result.transaction(['FILE_DATA'], writes ? 'readwrite' : 'readonly');
      const store = tx.objectStore('FILE_DATA');
      let get = null;
      if (op === 'keys') get = store.getAllKeys();
      else if (op === 'bytes' || op === 'kind') get = store.get(key);
      else if (op === 'int8') {
        const g = store.get(key);
        g.onsuccess = () => {
          const r = g.result, c = r.contents;
          r.contents = new Int8Array(c.buffer, c.byteOffset, c.byteLength);
          store.put(r, key);
        };
      }
      else store.delete(to ? IDBKeyRange.bound(key, to) : key);
      tx.oncomplete = () => {
        req.result.close();
        if (op === 'keys') resolve(get.result);
        else if (op === 'kind') resolve(get.result ? get.result.contents.constructor.name : null);
        else if (op === 'bytes') {
          // A big file's contents are a Blob (library_onestop.js's onestopPutFile).
          const c = get.result ? get.result.contents : null;
          if (c instanceof Blob) c.arrayBuffer().then((b) => resolve(Array.from(new Uint8Array(b))), reject);
          else resolve(c ? Array.from(c) : null);
        }
        else resolve();
      };
      tx.onabort = () => reject(tx.error);
    };
  }), [op, key, to]);
}
// Another connection holds a readwrite transaction on the store's object store open (a request
// after each answer), so the app's transactions wait behind it until the returned release() is
// awaited.
export async function holdStore(page) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    window.releaseStore = false;
    const req = indexedDB.open('/data');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction(['FILE_DATA'], 'readwrite');
      const store = tx.objectStore('FILE_DATA');
      const spin = () => { if (!window.releaseStore) store.get('/none').onsuccess = spin; };
      spin();
      tx.oncomplete = () => req.result.close();
      resolve();
    };
  }));
  return () => page.evaluate(() => { window.releaseStore = true; });
}

export const storedKeys = (page) => stored(page, 'keys');
export const storedBytes = (page, key) => stored(page, 'bytes', key);
export const storedKind = (page, key) => stored(page, 'kind', key);
export const deleteStored = (page, key, to) => stored(page, 'delete', key, to);
export const storeAsInt8 = (page, key) => stored(page, 'int8', key);

// Records console errors and uncaught exceptions of a page.
export function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export async function debug(page) {
  return page.evaluate(() => (window.Module && Module.ccall && Module.calledRun)
    ? JSON.parse(Module.ccall('onestop_debug_json', 'string', [], [])) : null);
}

export async function waitFor(page, predicate, what, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < end) {
    last = await debug(page);
    if (last && predicate(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
}

// Ready = store loaded, nothing left to save, and the font atlas complete (every glyph).
export const waitReady = (page) => waitFor(page, (d) => d.ready && d.store.state === 'idle' && d.frames > 0 && d.font_glyphs === 'all', 'the app to be ready');
export const waitSaved = (page) => waitFor(page, (d) => d.store.state === 'idle', 'the store to be saved');

export async function rect(page, label, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const r = await page.evaluate((l) => JSON.parse(Module.ccall('onestop_item_rect', 'string', ['string'], [l])), label);
    if (r) return r;
    await page.waitForTimeout(50);
  }
  throw new Error(`no widget labelled "${label}" in the last frame`);
}

// Clicks the widget's centre, then waits until two frames were drawn after the click, so that
// the next lookup sees the UI as the click left it (a closed popup, an activated field).
export async function click(page, label) {
  const r = await rect(page, label);
  const before = (await debug(page)).frames;
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await waitFor(page, (d) => d.frames >= before + 2, `frames after clicking "${label}"`);
  return r;
}

// --- PNG decoding (8-bit RGB/RGBA, non-interlaced: what Chromium's screenshots are) ---------
export function decodePng(buf) {
  let pos = 8, width = 0, height = 0, colorType = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('unsupported PNG');
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!bpp) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp, out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)], line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let p = 0;
      if (f === 1) p = a; else if (f === 2) p = b; else if (f === 3) p = (a + b) >> 1;
      else if (f === 4) { const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c); p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      line[i] = (line[i] + p) & 255;
    }
    for (let x = 0; x < width; x++) {
      out[(y * width + x) * 4] = line[x * bpp]; out[(y * width + x) * 4 + 1] = line[x * bpp + 1];
      out[(y * width + x) * 4 + 2] = line[x * bpp + 2]; out[(y * width + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { width, height, data: out };
}

// A grey-level image of a page rectangle (CSS pixels; the screenshot is at device scale 1).
export async function grab(page, r) {
  const png = await page.screenshot({ clip: { x: Math.floor(r.x), y: Math.floor(r.y), width: Math.ceil(r.w), height: Math.ceil(r.h) } });
  const img = decodePng(png);
  const grey = new Float32Array(img.width * img.height);
  for (let i = 0; i < grey.length; i++) grey[i] = (img.data[i * 4] + img.data[i * 4 + 1] + img.data[i * 4 + 2]) / 3;
  return { width: img.width, height: img.height, grey };
}

// Chromium started by hand (so that a test can SIGKILL it) and driven over the DevTools
// protocol. The profile folder survives the kill, as a real browser's would.
export async function launchKillable(profileDir) {
  const { spawn } = await import('node:child_process');
  const proc = spawn(process.env.CHROMIUM || '/usr/bin/chromium', [...CHROMIUM_ARGS, '--headless=new',
    `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', '--window-size=1280,800', 'about:blank'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err.slice(-500)}`)), 30000);
    proc.stderr.on('data', (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Chromium exited (${code}): ${err.slice(-500)}`)); });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  const page = context.pages()[0] || await context.newPage();
  const kill = () => new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) { resolve(); return; }
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
  return { browser, context, page, proc, kill };
}
