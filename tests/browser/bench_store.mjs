// Benchmark (shell/bench, issue 4): the same event workload through OneStop's store (engine +
// segment log on IDBFS, build/web/site/bench/onestop.html), Dexie 4 (IndexedDB) and SQLite-Wasm
// (OPFS, opfs-sahpool VFS, in a Worker), plus the floor: one raw IndexedDB put. Prints figures
// and ratios; asserts nothing about time. Recorded in docs/performance.md.
//
// One headless Chromium with a persistent profile. Each engine is served from its own port, so
// each has its own origin and navigator.storage.estimate() counts its bytes alone. The cold
// open is measured after closing the browser and launching it again on the same profile. Each
// page opens its store as it starts, as an app would (the times run from navigation for every
// engine; until 2026-11-29 the peers started when the driver asked, after OneStop's read began).
//
// Environment: BENCH_CASES (default 100000), BENCH_CHUNK (cases per batch, default 1000),
// BENCH_COMMITS (commits per measure, default 200), BENCH_ONLY (comma list: onestop,dexie,sqlite);
// BENCH_PROFILE, BENCH_REOPEN and BENCH_COLD below.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { SITE, CHROMIUM_ARGS } from './harness.mjs';
import { serve } from '../../tools/serve.mjs';

const CASES = Number(process.env.BENCH_CASES || 100000);
const CHUNK = Number(process.env.BENCH_CHUNK || 1000);
const COMMITS = Number(process.env.BENCH_COMMITS || 200);
const SMALL = Math.min(1000, CASES);
const ONLY = (process.env.BENCH_ONLY || 'onestop,dexie,sqlite').split(',');
// BENCH_PROFILE=1: a CPU profile of OneStop's cold open (bench.open), self time by function
// (wasm functions are named when the bench page is linked with --profiling-funcs).
const PROFILE = Boolean(process.env.BENCH_PROFILE);
// BENCH_PROFILE_LAUNCH=K: profile the K-th cold launch (0, the first, by default: its heap is not
// warmed up yet when the store was just made).
const PROFILE_LAUNCH = Number(process.env.BENCH_PROFILE_LAUNCH || 0);
// BENCH_PROFILE_APP=1: a CPU profile of the first app start (BENCH_APP), printed the same way.
const PROFILE_APP = Boolean(process.env.BENCH_PROFILE_APP);
// BENCH_REOPEN=1: after the cold open, Ledger::open twice more in the same page, the previous
// state freed first — how much of the open is first-touching fresh memory.
const REOPEN = Boolean(process.env.BENCH_REOPEN);
// BENCH_COLD=N: OneStop's cold open N times (a new browser each time; default 1), for the spread.
const COLD = Math.max(1, Number(process.env.BENCH_COLD || 1));
// BENCH_APP=N: then the app itself (index.html: downloads, WebGL, fonts, the store, the first
// frame) started N times on OneStop's big store, a new browser each time (default 0).
const APP = Math.max(0, Number(process.env.BENCH_APP || 0));
const BENCH = path.join(SITE, 'bench');
if (!fs.existsSync(path.join(BENCH, 'onestop_store_bench.wasm'))) throw new Error(`no ${BENCH}: run the web build first`);

// Every page is served cross-origin isolated (COOP + COEP): performance.now() then has a
// resolution of a few microseconds instead of 100 µs, which a commit of about 1 ms needs (until
// 2026-12-07 every median was a multiple of 0.1 ms). Nothing here loads from another origin.
// (SQLite uses the opfs-sahpool VFS, which needs no SharedArrayBuffer.)
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const serveBench = () => serve(BENCH, 0, '127.0.0.1', ISOLATED);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-bench-store-'));
const launch = () => chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  // precise memory info: performance.memory without its coarse buckets
  args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', ...(process.env.BENCH_JS_FLAGS ? [`--js-flags=${process.env.BENCH_JS_FLAGS}`] : [])],
});
const servers = {};
for (const name of ['onestopSmall', 'dexie', 'dexieSmall', 'sqlite', 'sqliteSmall', 'idb']) servers[name] = await serveBench();
// The big OneStop store's origin serves the whole site, so that the app itself (index.html) can
// be started on that store after the bench page's cold opens (BENCH_APP).
servers.onestop = await serve(SITE, 0, '127.0.0.1', ISOLATED);
const PAGE_DIR = { onestop: 'bench/' };

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const p99 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)]; };
const ms = (x) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
const mb = (x) => (x ? `${(x / 1048576).toFixed(1)} MB` : 'n/a');
const log = (s) => console.log(s);
const R = {};  // results by engine

// Self time by function name, the 25 largest, from a CDP Profiler profile.
function printProfile(profile, what = 'the cold open') {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = f.functionName || `(anonymous ${f.url.split('/').pop()}:${f.lineNumber})`;
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[i] || 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  log(`profile of ${what}: ${total.toFixed(0)} ms sampled`);
  for (const [fn, t] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25))
    log(`  ${t.toFixed(1).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${fn}`);
}

// A CPU profiler started on `page` (sampling every 200 µs); stop it with Profiler.stop.
async function startProfiler(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

// `beforeGoto(page)`: awaited before the page is loaded (a profiler started then sees its start).
async function newPage(context, name, file, beforeGoto = null) {
  const page = await context.newPage();
  if (beforeGoto) await beforeGoto(page);
  page.on('pageerror', (e) => console.error(`${name}: pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error(`${name}: ${m.text()}`); });
  page.setDefaultTimeout(0);
  await page.goto(servers[name].url + (PAGE_DIR[name] || '') + file);
  await page.waitForFunction(() => window.bench !== undefined);
  return page;
}

log(`store bench: ${CASES} cases (batches of ${CHUNK}), ${COMMITS} single-event commits per measure; ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
let context = await launch();
let sample = null;
// Every store stays open in its page until the commits are measured: the commits of every
// engine, at 1,000 and at CASES cases, and the raw put are measured in the same minutes,
// interleaved round by round (ROUNDS_OF_COMMITS), so that the host's drift over the run (the
// same put took 1.1 ms at one hour and 2.5 ms at another, docs/performance.md) cannot tilt a
// comparison or the growth ratio. Each size of each engine has its own origin (its own storage).
const ROUNDS_OF_COMMITS = 5;
const pages = {};  // 'onestop' | 'onestopSmall' | 'dexie' | … -> page

// --- OneStop: a store of SMALL cases and one of CASES ----------------------------------------
if (ONLY.includes('onestop')) {
  const r = R.onestop = {};
  let page = pages.onestopSmall = await newPage(context, 'onestopSmall', 'onestop.html');
  r.first = await page.evaluate(() => bench.open());
  r.create = [await page.evaluate(([n, c]) => bench.create(n, c, 1), [SMALL, CHUNK])];
  sample = await page.evaluate(() => bench.exportEvents(1, 1e9));
  r.at1k = await page.evaluate(() => bench.stats());
  log(`onestop: ${r.at1k.cases} cases, ${r.at1k.events} events; created in ${ms(r.create[0].ms)}`);
  if (CASES > SMALL) {
    page = pages.onestop = await newPage(context, 'onestop', 'onestop.html');
    await page.evaluate(() => bench.open());
    r.create = [await page.evaluate(([n, c]) => bench.create(n, c, 1), [SMALL, CHUNK])];
    r.create.push(await page.evaluate(([n, c]) => bench.create(n, c, 1000), [CASES - SMALL, CHUNK]));
    // The app writes a state snapshot once the counter is quiet: so here, before the commits.
    // (In slices of 2,000 customers or cases, app::kSnapshotSliceItems: the page stops for the
    // longest slice, not for the whole.)
    r.snapshot = await page.evaluate(() => bench.snapshotSliced(2000));
    log(`onestop: state snapshot ${mb(r.snapshot.bytes)}, written in ${r.snapshot.slices} slices of 2,000 customers or cases (one a task): longest ${ms(r.snapshot.longestMs)}, all ${ms(r.snapshot.workMs)}; persisted in ${ms(r.snapshot.persistMs)}`);
  } else pages.onestop = page;
  r.atN = await pages.onestop.evaluate(() => bench.stats());
  r.createMs = r.create.reduce((a, c) => a + c.ms, 0);
  r.persistMs = r.create.reduce((a, c) => a + c.persistMs, 0);
  r.bytes = await pages.onestop.evaluate(() => bench.estimate());
  log(`onestop: ${r.atN.cases} cases, ${r.atN.events} events, ${r.atN.files} files, ${mb(r.atN.store_bytes)} in the store; create ${ms(r.createMs)} (IndexedDB writes ${ms(r.persistMs)})`);
}
if (!sample) throw new Error('the peers replay OneStop\'s events: BENCH_ONLY must include onestop');
// The peers get OneStop's own events: the first SMALL cases' events, repeated with new case ids.
const ROUNDS = Math.ceil(CASES / SMALL);
const record = (() => {
  const json = sample.find((s) => JSON.parse(s).type === 'customer_saved') || sample[0];
  const e = JSON.parse(json);
  return { caseId: e.case || '', type: e.type, payload: json };
})();
log(`workload for the peers: ${sample.length} events of ${SMALL} OneStop cases x ${ROUNDS} rounds; single commit = one ${record.type} event (${record.payload.length} chars)`);

for (const name of ['dexie', 'sqlite']) {
  if (!ONLY.includes(name)) continue;
  const r = R[name] = {};
  const small = pages[name + 'Small'] = await newPage(context, name + 'Small', `${name}.html`);
  r.first = await small.evaluate(() => bench.open());
  await small.evaluate(([s]) => bench.create(s, 0, 1), [sample]);
  let page = small;
  r.create = [];
  if (ROUNDS > 1) {
    page = await newPage(context, name, `${name}.html`);
    await page.evaluate(() => bench.open());
    // In slices, so one page.evaluate does not hold everything.
    for (let from = 0; from < ROUNDS; from += 10) r.create.push(await page.evaluate(([s, a, b]) => bench.create(s, a, b), [sample, from, Math.min(ROUNDS, from + 10)]));
  } else r.create.push({ ms: 0, events: sample.length });
  pages[name] = page;
  r.createMs = r.create.reduce((a, c) => a + c.ms, 0);
  r.events = r.create.reduce((a, c) => a + c.events, 0);
  r.stats = await page.evaluate(() => bench.stats());
  r.bytes = await page.evaluate(() => bench.estimate());
  log(`${name}: ${r.events} events created in ${ms(r.createMs)}`);
}
pages.idb = await newPage(context, 'idb', 'idb.html');
// The finest step of performance.now() seen in each page, and whether it is cross-origin
// isolated (ISOLATED above): the commits' figures are only as fine as this.
{
  const seen = await Promise.all(Object.entries(pages).map(async ([name, page]) => {
    const t = await page.evaluate(() => {
      let step = Infinity;
      for (let i = 0, last = performance.now(); i < 100000; i++) {
        const now = performance.now();
        if (now > last) { step = Math.min(step, now - last); last = now; }
      }
      return { isolated: window.crossOriginIsolated, step };
    });
    return `${name} ${(t.step * 1000).toFixed(0)} µs${t.isolated ? '' : ' (not isolated)'}`;
  }));
  log(`timer steps: ${seen.join(', ')}`);
}

// --- Commits, interleaved: every page in turn, ROUNDS_OF_COMMITS times (the order turns too) ----
{
  const per = Math.max(1, Math.ceil(COMMITS / ROUNDS_OF_COMMITS));
  const order = Object.keys(pages);
  const got = {};
  let base = 0;
  // Round -1 warms up and is not counted: right after the stores were made the browser is
  // still busy with them (its storage compacting ~700 MB of writes), and its first commits run
  // in each engine's unoptimised code; without it that fell on whichever page came first.
  for (let round = -1; round < ROUNDS_OF_COMMITS; round++) {
    for (let k = 0; k < order.length; k++) {
      const key = order[(k + Math.max(0, round)) % order.length], page = pages[key];
      const g = got[key] ||= { commits: [], wasm: [], rounds: [] };
      let times, wasm = [];
      if (key === 'idb') {
        times = await page.evaluate((n) => bench.puts(n), per);
      } else if (key.startsWith('onestop')) {
        times = await page.evaluate(([n, b]) => bench.commits(n, b), [per, base]);
        wasm = await page.evaluate(() => bench.lastWasm());
        base += per;
      } else {
        times = await page.evaluate(([n, rec]) => bench.commits(n, rec), [per, record]);
      }
      if (round < 0) continue;
      g.commits.push(...times);
      g.wasm.push(...wasm);
      g.rounds.push(median(times));
    }
  }
  // Each round's median: the host's drift over the minutes of the measure.
  log(`commit medians round by round: ${order.map((key) => `${key} ${got[key].rounds.map((x) => x.toFixed(2)).join(' ')}`).join('; ')} ms`);
  for (const name of ['onestop', 'dexie', 'sqlite']) {
    if (!R[name]) continue;
    R[name].at1k = { ...R[name].at1k, ...got[name + 'Small'] };
    R[name].atN = { ...R[name].atN, ...got[name] };
  }
  R.floor = got.idb.commits;
  if (R.onestop && CASES > SMALL) {
    const page = pages.onestop;
    R.onestop.rawAtN = { store: await page.evaluate((n) => bench.rawPuts(n, 'store'), COMMITS), small: await page.evaluate((n) => bench.rawPuts(n, 'small'), COMMITS) };
  }
}
for (const page of new Set(Object.values(pages))) await page.close();
await context.close();

// --- Cold open: a new browser on the same profile, a new page per engine ----------------------
// COLD launches; each opens every engine once, in an order that turns from launch to launch
// (the first engine of a launch also pays for starting the browser's storage).
const colds = { onestop: [], dexie: [], sqlite: [] };
for (let launchNo = 0; launchNo < COLD; launchNo++) {
  context = await launch();
  const engines = ['onestop', 'dexie', 'sqlite'].filter((n) => R[n]);
  for (let k = 0; k < engines.length; k++) {
    const name = engines[(k + launchNo) % engines.length];
    // Every page opens its store as it starts: a profile starts before the page loads.
    let cdp = null;
    const profileStart = PROFILE && name === 'onestop' && launchNo === PROFILE_LAUNCH
      ? async (p) => { cdp = await startProfiler(p); } : null;
    const page = await newPage(context, name, `${name}.html`, profileStart);
    const cold = await page.evaluate(() => bench.open());
    colds[name].push(cold);
    if (cdp) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      printProfile(cpu);
      // BENCH_PROFILE_OUT=FILE: the whole profile too (for DevTools or a script: callers, stacks).
      if (process.env.BENCH_PROFILE_OUT) fs.writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(cpu));
    }
    if (launchNo === 0) {
      R[name].cold = cold;
      if (name === 'onestop') {
        R[name].coldStats = await page.evaluate(() => bench.stats());
        R[name].loadTimes = await page.evaluate(() => Module.onestopLoadTimes || null);
        if (REOPEN) {
          for (let i = 0; i < 2; i++) {
            const r = await page.evaluate(() => bench.reopen());
            log(`OneStop reopen ${i + 1} in the same page (memory reused): Ledger::open ${ms(r.ms)}, read + decoded + indexed + checksum ${ms(r.open_ms.decode)}, wasm heap ${mb(r.heap_bytes)}`);
          }
        }
        // The same commits again in the fresh tab (a small JS heap: MEMFS holds only what the
        // start read), to compare with the commits right after creating every case.
        R[name].coldCommits = await page.evaluate((n) => bench.commits(n, 300000), COMMITS);
        R[name].coldRaw = { store: await page.evaluate((n) => bench.rawPuts(n, 'store'), COMMITS), small: await page.evaluate((n) => bench.rawPuts(n, 'small'), COMMITS) };
        R[name].rest = await page.evaluate(() => bench.loadRest());  // the older segments, after ready
      }
      if (name === 'sqlite') R[name].coldStats = await page.evaluate(() => bench.stats());
    }
    await page.close();
  }
  await context.close();
}
// --- The app's start on the big store ------------------------------------------------------
const apps = [];
if (R.onestop) {
  for (let i = 0; i < APP; i++) {
    context = await launch();
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`app: pageerror: ${e.message}`));
    page.setDefaultTimeout(0);
    const cdp = PROFILE_APP && i === 0 ? await startProfiler(page) : null;
    await page.goto(servers.onestop.url + 'index.html');
    await page.waitForFunction(() => window.onestopInteractiveMs !== undefined);
    if (cdp) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      printProfile(cpu, 'the app\'s start');
      if (process.env.BENCH_PROFILE_OUT) fs.writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(cpu));
    }
    apps.push(await page.evaluate(() => ({
      fetched: window.onestopFetchedMs, started: window.onestopStartedMs,
      interactive: window.onestopInteractiveMs, warmedBytes: Module.onestopHeapWarmed,
      loadTimes: Module.onestopLoadTimes || null,
      debug: JSON.parse(Module.ccall('onestop_debug_json', 'string', [], [])),
    })));
    await context.close();
  }
}
for (const s of Object.values(servers)) s.server.close();
fs.rmSync(profile, { recursive: true, force: true });

// --- Report ---------------------------------------------------------------------------------
const O = R.onestop, D = R.dexie, S = R.sqlite;
const row = (label, o, d, s, target = '') => {
  const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : 'n/a');
  log(`${label.padEnd(34)} ${String(o.txt).padStart(12)} ${String(d ? d.txt : '-').padStart(12)} ${String(s ? s.txt : '-').padStart(12)}   ${ratio(o.v, d && d.v).padStart(6)} ${ratio(o.v, s && s.v).padStart(6)}  ${target}`);
};
const T = (v, f = ms) => ({ v, txt: f(v) });
log('');
log(`${'figure'.padEnd(34)} ${'OneStop'.padStart(12)} ${'Dexie 4'.padStart(12)} ${'SQLite-Wasm'.padStart(12)}   ${'O/D'.padStart(6)} ${'O/S'.padStart(6)}  target`);
log(`(commits: ${COMMITS} per engine and size, in ${ROUNDS_OF_COMMITS} interleaved rounds; the ${SMALL}-case stores are stores of their own, measured in the same minutes)`);
row(`create ${CASES} cases (total)`, T(O.createMs), D && T(D.createMs), S && T(S.createMs));
row(`commit 1 event @${SMALL}: median`, T(median(O.at1k.commits)), D && T(median(D.at1k.commits)), S && T(median(S.at1k.commits)), '<= 5 ms');
row(`commit 1 event @${SMALL}: p99`, T(p99(O.at1k.commits)), D && T(p99(D.at1k.commits)), S && T(p99(S.at1k.commits)), '<= 20 ms');
row(`commit 1 event @${CASES}: median`, T(median(O.atN.commits)), D && T(median(D.atN.commits)), S && T(median(S.atN.commits)), '<= 5 ms');
row(`commit 1 event @${CASES}: p99`, T(p99(O.atN.commits)), D && T(p99(D.atN.commits)), S && T(p99(S.atN.commits)), '<= 20 ms');
const growth = (r) => median(r.atN.commits) / median(r.at1k.commits);
row(`commit median @${CASES} / @${SMALL}`, T(growth(O), (x) => x.toFixed(2)), D && T(growth(D), (x) => x.toFixed(2)), S && T(growth(S), (x) => x.toFixed(2)), '<= 1.5');
// Medians over the COLD launches (each launch opens every engine, the order turning).
const coldMedian = (name, field) => median(colds[name].map((c) => c[field]));
row(`cold open: navigation -> ready (median of ${COLD})`, T(coldMedian('onestop', 'readyAt')), D && T(coldMedian('dexie', 'readyIndexAt')), S && T(coldMedian('sqlite', 'readyIndexAt')), '<= 1500 ms (peers: case list from the index)');
row(`cold open: navigation -> all loaded`, T(O.cold.readyAt + O.rest.ms), D && T(D.cold.readyFullAt), S && T(S.cold.readyFullAt), '(peers: every event read)');
row(`bytes stored (storage.estimate)`, T(O.bytes, mb), D && T(D.bytes, mb), S && T(S.bytes, mb));
log('');
// Is OneStop's commit slower than a peer's beyond the noise? The difference of the medians with
// a 95% interval from 2,000 bootstrap resamples of each engine's commits (a fixed seed: the same
// samples give the same interval). An interval that holds 0 is a difference this run cannot
// tell from the host's noise.
function medianDifference(a, b) {
  let seed = 20261207;
  const random = () => {  // mulberry32
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const resampledMedian = (x) => median(x.map(() => x[Math.floor(random() * x.length)]));
  const diffs = Array.from({ length: 2000 }, () => resampledMedian(a) - resampledMedian(b)).sort((x, y) => x - y);
  return { diff: median(a) - median(b), low: diffs[Math.floor(diffs.length * 0.025)], high: diffs[Math.ceil(diffs.length * 0.975) - 1] };
}
for (const [peer, P] of [['Dexie', D], ['SQLite', S]]) {
  if (!P) continue;
  for (const [at, o, p] of [[SMALL, O.at1k, P.at1k], [CASES, O.atN, P.atN]]) {
    const d = medianDifference(o.commits, p.commits);
    const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
    const verdict = d.low > 0 ? 'OneStop slower' : d.high < 0 ? 'OneStop faster' : 'no difference beyond the noise';
    log(`commit @${at}: OneStop − ${peer} medians ${signed(d.diff)} ms, 95% interval ${signed(d.low)} … ${signed(d.high)} ms: ${verdict}`);
  }
}
log(`OneStop cold open: IndexedDB load ${ms(O.cold.loadMs)}, Ledger::open ${ms(O.cold.replayMs)} (${O.cold.events} events / ${O.cold.cases} cases; ${O.cold.opened_from_snapshot ? `from the state snapshot after event ${O.cold.opened_from_snapshot}, the ${O.cold.events - O.cold.opened_from_snapshot} later events replayed` : 'no snapshot: every event replayed'})`);
{
  const t = O.loadTimes;
  if (t) log(`OneStop IndexedDB load (from the page's start): database open ${ms(t.open - t.start)}, manifest + segment headers ${ms(t.plan - t.open)}, keys and values ${ms(t.values - t.plan)}, copied into MEMFS ${ms(t.copied - t.values)}`);
}
// Where a cold open's time goes, ms from navigation: the IndexedDB read (store-load.js, started
// by the page) runs alongside the wasm download, compile and runtime start.
for (const c of colds.onestop) {
  const t = c.loadTimes || {};
  log(`OneStop cold open timeline (ms from navigation): store-load called ${ms(t.called)}, worker up ${ms(t.up)}, IndexedDB read started ${ms(t.start)}, databases listed ${ms(t.listed)}, database open ${ms(t.open)}, plan ${ms(t.plan)}, values read ${ms(t.values)}, Blobs read ${ms(t.bytes)}, received ${ms(t.received)}; runtime ready ${ms(c.runtimeAt)}; rules parsed from ${ms(c.mountAt)} to ${ms(c.preparedAt)}; heap warmed up meanwhile ${mb(c.warmedBytes)}; copied into MEMFS ${ms(t.copied)}; Ledger::open from ${ms(c.openAt)} to ready ${ms(c.readyAt)} (decode ${ms(c.open_ms.decode)})`);
}
for (const name of ['onestop', 'dexie', 'sqlite']) {
  const field = name === 'onestop' ? 'readyAt' : 'readyIndexAt';
  if (colds[name].length > 1) log(`${name} cold open -> ready over ${colds[name].length} launches: ${colds[name].map((c) => ms(c[field])).join(', ')}; median ${ms(median(colds[name].map((c) => c[field])))}`);
}
// Launch by launch, in the order the engines were opened (the first of a launch also pays for
// starting the browser's storage; each engine is first in a third of the launches): within a
// launch the engines are seconds apart, so the host's drift sways them alike.
{
  const engines = ['onestop', 'dexie', 'sqlite'].filter((n) => colds[n].length);
  const readyOf = (n, i) => colds[n][i] && colds[n][i][n === 'onestop' ? 'readyAt' : 'readyIndexAt'];
  for (let i = 0; i < COLD && engines.length > 1; i++) {
    const order = engines.map((_, k) => engines[(k + i) % engines.length]);
    log(`cold launch ${i + 1}: ${order.map((n) => `${n} ${ms(readyOf(n, i))}`).join(', then ')}`);
  }
  // The same comparison without the first-engine cost: each engine's launches in which it was
  // not the first opened, and OneStop against each peer in the launches where neither was first
  // (the same browser, seconds apart: a pair).
  const notFirst = (n) => [...Array(COLD).keys()].filter((i) => engines[i % engines.length] !== n);
  if (engines.length > 1) {
    log(`cold open -> ready, launches where the engine was not the first opened: ${engines.map((n) => `${n} median ${ms(median(notFirst(n).map((i) => readyOf(n, i))))} (${notFirst(n).length})`).join(', ')}`);
    for (const peer of engines.filter((n) => n !== 'onestop' && engines.includes('onestop'))) {
      const both = notFirst('onestop').filter((i) => notFirst(peer).includes(i));
      const ratios = both.map((i) => readyOf('onestop', i) / readyOf(peer, i));
      if (ratios.length) log(`cold open, OneStop / ${peer} in the same launch where neither was first: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}`);
    }
  }
}
for (const a of apps) {
  const t = a.loadTimes || {};
  log(`OneStop app start on the store (ms from navigation): IndexedDB read started ${ms(t.start)}, database open ${ms(t.open)}, Blobs read ${ms(t.bytes)}, received ${ms(t.received)}; downloads in ${ms(a.fetched)}; runtime started ${ms(a.started)}; heap warmed up meanwhile ${mb(a.warmedBytes)}; copied into MEMFS ${ms(t.copied)}; first interactive frame ${ms(a.interactive)} (${a.debug.cases} cases, from the snapshot after event ${a.debug.opened_from_snapshot})`);
}
if (apps.length) log(`OneStop app: navigation -> first interactive frame on the ${CASES}-case store over ${apps.length} launches: ${apps.map((a) => ms(a.interactive)).join(', ')}; median ${ms(median(apps.map((a) => a.interactive)))}`);
const rawLine = (label, r) => r && log(`OneStop ${label}: a raw put (200 B, strict) into the store's own database median ${ms(median(r.store))}, p99 ${ms(p99(r.store))}; into a small database of the same origin median ${ms(median(r.small))}, p99 ${ms(p99(r.small))}`);
rawLine(`at ${CASES} cases`, O.rawAtN);
rawLine('after the cold open', O.coldRaw);
if (O.coldCommits) log(`OneStop commit after the cold open (before the older segments are read): median ${ms(median(O.coldCommits))}, p99 ${ms(p99(O.coldCommits))}`);
log(`OneStop Ledger::open: store open ${ms(O.cold.open_ms.store)}, snapshot opened ${ms(O.cold.open_ms.read)}, read + decoded + indexed + checksum ${ms(O.cold.open_ms.decode)}, later events ${ms(O.cold.open_ms.replay)}`);
log(`OneStop after ready: the older segments read from IndexedDB and checked in ${ms(O.rest.ms)}${O.cold.unloaded_segments ? ` (${O.cold.unloaded_segments} segments left out of the start)` : ' (none left out)'}${O.rest.ms ? `; JS heap then ${mb(O.rest.jsHeap)}` : ''}`);
if (O.rest.details_error) throw new Error(`OneStop: a case's put-off details did not decode: ${O.rest.details_error}`);
if (O.rest.complete) log(`OneStop after the older segments: what the open put off (the cases' details, the text postings) completed in ${O.rest.complete.slices} slices of 5,000 cases (one a frame in the app): longest ${ms(O.rest.complete.max_ms)}, total ${ms(O.rest.complete.total_ms)}`);
log(`OneStop heap after cold open: wasm ${mb(O.coldStats.heap_bytes)} (target <= 300 MB; the cases with their strings and lists ${mb(O.coldStats.arena_bytes)}), JS heap ${mb(O.coldStats.jsHeap)} (MEMFS file contents live there); store files ${mb(O.atN.store_bytes)} in ${O.atN.files} files`);
log(`OneStop at ${CASES}: wasm heap ${mb(O.atN.heap_bytes)}, JS heap ${mb(O.atN.jsHeap)}; create: IndexedDB writes ${ms(O.persistMs)} of ${ms(O.createMs)}; demo commands refused: ${O.atN.demo_refused}`);
log(`OneStop commit, the wasm part (engine command + store commit to MEMFS + persist handed to IndexedDB): median ${ms(median(O.at1k.wasm))} @${SMALL}, ${ms(median(O.atN.wasm))} @${CASES}; p99 ${ms(p99(O.at1k.wasm))}, ${ms(p99(O.atN.wasm))}`);
if (D) log(`Dexie cold open: started ${ms(D.cold.startAt)} from navigation, open ${ms(D.cold.openMs)}, case ids from the index ${ms(D.cold.indexMs)} (${D.cold.cases}), all ${D.cold.events} events ${ms(D.cold.fullLoadMs)}; JS heap ${mb(D.cold.jsHeap)}`);
if (S) log(`SQLite cold open: started ${ms(S.cold.startAt)} from navigation, init+open ${ms(S.cold.openMs)} (module+VFS ${ms(S.cold.initMs)}), case ids ${ms(S.cold.indexMs)} (${S.cold.cases}), all ${S.cold.events} events ${ms(S.cold.fullLoadMs)}; worker wasm heap ${mb(S.coldStats.heapPeak)}; db file ${mb(S.stats.dbBytes)}, journal ${S.stats.journal}, synchronous ${S.stats.synchronous}`);
log(`floor: one raw IndexedDB put (200 B, strict) median ${ms(median(R.floor))}, p99 ${ms(p99(R.floor))}; OneStop commit median / floor at ${CASES}: ${(median(O.atN.commits) / median(R.floor)).toFixed(2)}`);
