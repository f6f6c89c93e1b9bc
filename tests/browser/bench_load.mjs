// Benchmark (shell/bench): bytes the page transfers (raw and gzip) and the time from navigation
// to the first interactive frame, in headless Chromium. Prints figures; asserts nothing.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { SITE, startServer, launch } from './harness.mjs';

const FILES = ['index.html', 'onestop.js', 'onestop.wasm', 'onestop-sc.ttf'];
const RUNS = Number(process.env.RUNS || 5);

let rawTotal = 0, gzTotal = 0;
console.log('file                    raw bytes    gzip -9 bytes');
for (const f of FILES) {
  const buf = fs.readFileSync(path.join(SITE, f));
  const gz = zlib.gzipSync(buf, { level: 9 }).length;
  rawTotal += buf.length; gzTotal += gz;
  console.log(`${f.padEnd(22)} ${String(buf.length).padStart(10)} ${String(gz).padStart(14)}`);
}
console.log(`${'total'.padEnd(22)} ${String(rawTotal).padStart(10)} ${String(gzTotal).padStart(14)}   (target: <= 3 MB gzip = 3145728)`);

const { server, url } = await startServer();
const cold = [], warm = [];
for (let i = 0; i < RUNS; i++) {
  const { context } = await launch();  // a fresh profile: nothing cached
  const page = context.pages()[0] || await context.newPage();
  for (const [list, label] of [[cold, 'cold'], [warm, 'warm']]) {
    if (label === 'cold') await page.goto(url); else await page.reload();
    await page.waitForFunction(() => window.onestopInteractiveMs !== undefined, null, { timeout: 60000 });
    list.push(await page.evaluate(() => window.onestopInteractiveMs));
    if (label === 'cold') await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  }
  await context.close();
}
server.close();
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
console.log(`navigation -> first interactive frame, ${RUNS} runs, fresh profile each:`);
console.log(`  cold (first visit):            median ${median(cold).toFixed(0)} ms  [${cold.map((x) => x.toFixed(0)).join(', ')}]   (target: <= 1500 ms)`);
console.log(`  warm (reload, service worker): median ${median(warm).toFixed(0)} ms  [${warm.map((x) => x.toFixed(0)).join(', ')}]`);
