// Registering a request at the counter: the form is filled by typing (Chinese included), the
// case is routed with its working-day deadline, saved, found again after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, storedKeys, deleteStored, debug, waitFor, waitReady, rect, click, holdStore } from './harness.mjs';

let app, url, browser, page, errors;

before(async () => { ({ url, browser, page, errors } = app = await startApp()); });
after(() => app?.close());

async function type(label, text) {
  await click(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ime');
  await page.keyboard.insertText(text);
}

let caseNo = '';

test('a clerk registers a water-quality doubt and it is routed with a deadline', async () => {
  const { start, saved: d } = await registerDoubt({ name: '张三', phone: '13907240001', address: '东宝区象山大道1号', demand: '自来水发黄' });
  assert.equal(start, 0);
  assert.match(d.intake_message, /^已登记受理单 (HQ-\d{8}-\d+)，承办单位：客户服务中心，办结时限：\d{4}-\d{2}-\d{2}/);
  caseNo = /已登记受理单 ([A-Z0-9]+-\d{8}-\d+)/.exec(d.intake_message)[1];
  assert.ok(d.events >= 1);
});

test('a refused registration says why and saves nothing', async () => {
  const before = await waitFor(page, (s) => s.store.state === 'idle', 'idle');
  await click(page, '办理类别');
  await click(page, '投诉（水质）');
  await click(page, '登记受理');  // no name, no phone: the engine refuses
  const d = await waitFor(page, (s) => s.intake_message !== before.intake_message, 'the refusal');
  assert.equal(d.cases, before.cases);
  assert.equal(d.events, before.events);
  assert.ok(d.intake_message.length > 0);
});

test('the case survives a reload and is found by the customer name', async () => {
  await page.reload();
  const d = await waitReady(page);
  assert.equal(d.cases, 1);
  await click(page, '受理单查询');
  await type('##search', '张三');
  await waitFor(page, (s) => s.search_text === '张三', 'the search text');
  const r = await rect(page, caseNo);
  assert.ok(r.w > 0);
  assert.deepEqual(errors, []);
});

test('a backup is downloaded, a damaged one refused, and a good one restored after confirmation', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  await click(page, '设置');
  const [download] = await Promise.all([page.waitForEvent('download'), click(page, '下载备份')]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-backup-')), download.suggestedFilename());
  await download.saveAs(file);
  assert.match(download.suggestedFilename(), /^onestop-HQ-\d{4}-\d{2}-\d{2}\.backup$/);
  await click(page, '关闭');

  // One more case after the backup.
  await click(page, '受理登记');
  await type('姓名或单位', '李四');
  await type('联系电话', '13907240002');
  await type('用户诉求', '水有异味');
  await click(page, '登记受理');
  await waitFor(page, (s) => s.cases === 2 && s.store.state === 'idle', 'the second case');

  // A damaged copy is refused and changes nothing.
  const bad = file + '.bad';
  const bytes = fs.readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0x40;
  fs.writeFileSync(bad, bytes);
  await click(page, '设置');
  let [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, '从备份恢复…')]);
  await chooser.setFiles(bad);
  let d = await waitFor(page, (s) => s.backup_message.startsWith('备份文件无法使用'), 'the refusal');
  assert.equal(d.cases, 2);
  assert.equal(d.restore_pending, false);

  // The good one asks first, then replaces the data.
  [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, '从备份恢复…')]);
  await chooser.setFiles(file);
  await waitFor(page, (s) => s.restore_pending, 'the confirmation');
  assert.equal((await debug(page)).cases, 2, 'nothing replaced before the confirmation');
  await click(page, '确定恢复');
  d = await waitFor(page, (s) => s.cases === 1 && s.store.state === 'idle', 'the restored data');
  assert.match(d.backup_message, /^已从备份恢复/);
  await page.reload();
  d = await waitReady(page);
  assert.equal(d.cases, 1, 'the restore is what IndexedDB keeps');
  assert.deepEqual(errors, []);
});

// A water-quality doubt registered through the form; resolves once it is saved, to the number of
// cases before it and the app's state after it.
async function registerDoubt({ name, phone, address, demand }) {
  const start = (await debug(page)).cases;
  await click(page, '受理登记');
  await click(page, '办理类别');
  await click(page, '水质或水压疑问');
  await type('姓名或单位', name);
  await type('联系电话', phone);
  if (address) await type('用水地址', address);
  await type('用户诉求', demand);
  await click(page, '登记受理');
  const saved = await waitFor(page, (s) => s.cases === start + 1 && s.store.state === 'idle', 'the case to be saved');
  return { start, saved };
}

// One demonstration case registered through the automation interface (its commits as a
// clerk's, at once): the events written.
const demoCase = (seed) => page.evaluate((s) => Module.ccall('onestop_demo_cases', 'number', ['number', 'number'], [1, s]), seed);

// Waits until no tail records are left in IndexedDB: the fold comes 2 s after the last change;
// a busy host may run its timer late, so this allows 10 s before it fails.
async function foldedAway() {
  const tails = async () => (await storedKeys(page)).filter((k) => k.includes('#'));
  for (const until = Date.now() + 10000; Date.now() < until && (await tails()).length;) await page.waitForTimeout(250);
  assert.deepEqual(await tails(), [], 'every tail record folded into its file');
}

test('a commit stores only its new bytes; a quiet moment folds them into whole files; reloads keep every case', async () => {
  const { start } = await registerDoubt({ name: '王五', phone: '13907240003', address: '掇刀区白庙路2号', demand: '水压低' });
  const keys = await storedKeys(page);
  const tails = keys.filter((k) => k.includes('#'));
  assert.ok(tails.length > 0, `tail records right after a commit: ${keys.join(' ')}`);
  for (const t of tails) {
    assert.match(t, /^\/data\/store\/seg-\d+\.log#\d{12}$/);
    assert.ok(keys.includes(t.split('#')[0]), `the whole record of ${t} is there too`);
  }
  // A reload rebuilds the segments from whole records + tails.
  await page.reload();
  let d = await waitReady(page);
  assert.equal(d.cases, start + 1);
  // After 2 s without commits the tails are folded into whole records (off any commit's path).
  await foldedAway();
  await page.reload();
  d = await waitReady(page);
  assert.equal(d.cases, start + 1);
  // The same for tail records written by this tab (not loaded at its start): the fold deletes
  // them too (a whole write deletes only the tail records it knows may exist).
  await registerDoubt({ name: '王五', phone: '13907240003', address: '掇刀区白庙路2号', demand: '水压又低' });
  assert.ok((await storedKeys(page)).some((k) => k.includes('#')), 'a tail record of the new commit');
  await foldedAway();
  await page.reload();
  d = await waitReady(page);
  assert.equal(d.cases, start + 2);
  assert.deepEqual(errors, []);
});

test('a quiet moment never folds a file while a commit to it is on its way', async () => {
  // A commit lands; 2 s later the fold looks for quiet files. The next commit is held in flight
  // across that moment (behind another connection's transaction): the fold must wait for it,
  // not take the file then and, queued behind the commit, delete its tail record at once.
  const start = (await debug(page)).cases;
  assert.ok(await demoCase(41) > 0);
  await waitFor(page, (s) => s.cases === start + 1 && s.store.state === 'idle', 'the first case saved');
  const release = await holdStore(page);
  try {
    assert.ok(await demoCase(42) > 0);
    await page.waitForTimeout(2500);  // past the first commit's quiet time
    assert.equal((await debug(page)).store.state, 'saving', 'the second case is still on its way');
  } finally {
    await release();
  }
  await waitFor(page, (s) => s.cases === start + 2 && s.store.state === 'idle', 'the second case saved');
  await page.waitForTimeout(300);
  assert.ok((await storedKeys(page)).some((k) => k.includes('#')), 'its tail records are still there');
  // The fold comes once the store has been quiet after it; a reload finds both cases.
  await foldedAway();
  await page.reload();
  assert.equal((await waitReady(page)).cases, start + 2);
  assert.deepEqual(errors, []);
});

test('the fold does not depend on the wall clock (set back an hour after a commit)', async () => {
  // The quiet time is measured on performance.now(); a wall clock that is set back (or slewed)
  // between a commit and its fold must not keep the fold from coming.
  const start = (await debug(page)).cases;
  assert.ok(await demoCase(43) > 0);
  await waitFor(page, (s) => s.cases === start + 1 && s.store.state === 'idle', 'the case saved');
  await page.evaluate(() => {
    window.realDateNow = Date.now;
    Date.now = () => window.realDateNow() - 3600000;
  });
  try {
    assert.ok((await storedKeys(page)).some((k) => k.includes('#')), 'a tail record of the commit');
    await foldedAway();
  } finally {
    await page.evaluate(() => { Date.now = window.realDateNow; });
  }
  assert.deepEqual(errors, []);
});

test('a state snapshot is saved and the next start reads it instead of replaying every event', async () => {
  const before = await waitFor(page, (s) => s.store.state === 'idle' && s.ready, 'idle');
  assert.equal(before.opened_from_snapshot, 0, 'no snapshot yet: every event was replayed');
  assert.equal(await page.evaluate(() => Module.ccall('onestop_snapshot_now', 'number', [], [])), 1);
  const saved = await waitFor(page, (s) => s.store.state === 'idle' && s.snapshot_seq > 0, 'the snapshot to be saved');
  assert.ok((await storedKeys(page)).some((k) => /^\/data\/store\/snap-\d+\.snap$/.test(k)), 'the snapshot file is in IndexedDB');
  await page.reload();
  const d = await waitReady(page);
  assert.equal(d.opened_from_snapshot, saved.snapshot_seq);
  assert.equal(d.cases, before.cases);
  assert.equal(d.events, before.events);
  assert.deepEqual(errors, []);
});

test('in a quiet moment the app writes the next snapshot by itself, and the next start reads it', async () => {
  const before = await waitFor(page, (s) => s.store.state === 'idle' && s.snapshot_seq > 0, 'the earlier snapshot');
  // Enough new events for the next snapshot (app::kSnapshotEvery = 2,000), then 5 s of quiet.
  const events = await page.evaluate(() => Module.ccall('onestop_demo_cases', 'number', ['number', 'number'], [320, 4]));
  assert.ok(events >= 2000, `the demo wrote ${events} events`);
  const saved = await waitFor(page, (s) => s.store.state === 'idle' && s.snapshot_seq > before.snapshot_seq, 'the quiet-moment snapshot', 30000);
  assert.equal(saved.snapshot_seq, saved.events, 'taken after the last event');
  await page.reload();
  const d = await waitReady(page);
  assert.equal(d.opened_from_snapshot, saved.snapshot_seq);
  assert.equal(d.cases, before.cases + 320);
  assert.equal(d.events, saved.events);
  assert.deepEqual(errors, []);
});

test('while the store loads, a start warms up the heap the last open needed, and loses nothing', async () => {
  const before = await waitFor(page, (s) => s.store.state === 'idle' && s.ready, 'idle');
  const hint = () => page.evaluate(() => Number(localStorage.getItem('onestop-heap:/data')));
  const noted = await hint();
  assert.ok(noted > 1048576, `the open noted the bytes it had in use: ${noted}`);
  // As if the last open had needed 48 MiB. So small a store is read faster than the warm-up
  // goes, so its read is held back here (a big store's read takes this long by itself): the
  // warm-up must stop at the size noted, not when the records come.
  const MiB = 1048576;
  // The snapshot's length store-load.js reads in the manifest is passed on (the warm-up aims
  // at it too), or one a test sets in test-snapshot-bytes instead, told 300 ms into the read.
  await page.addInitScript(() => {
    let real = null;
    Object.defineProperty(window, 'onestopLoadStore', {
      configurable: true,
      set(f) { real = f; },
      get() {
        return (dir) => {
          const hold = Number(localStorage.getItem('test-hold-store-read-ms')) || 0;
          const fake = Number(localStorage.getItem('test-snapshot-bytes')) || 0;
          const load = real(dir);
          const held = load.then((r) => new Promise((resolve) => setTimeout(() => resolve(r), hold)));
          let told = false;  // the fake length, once told
          held.opened = load.opened;
          Object.defineProperty(held, 'snapshotBytes', {
            get: () => (fake ? (told ? fake : 0) : load.snapshotBytes),
          });
          load.onSnapshotBytes = () => { if (held.onSnapshotBytes && !fake) held.onSnapshotBytes(); };
          if (fake) {
            setTimeout(() => {
              told = true;
              if (held.onSnapshotBytes) held.onSnapshotBytes();
            }, 300);
          }
          return held;
        };
      },
    });
  });
  await page.evaluate((bytes) => {
    localStorage.setItem('onestop-heap:/data', String(bytes));
    localStorage.setItem('test-hold-store-read-ms', '1500');
  }, 48 * MiB);
  await page.reload();
  const d = await waitReady(page);
  const warmed = await page.evaluate(() => {
    localStorage.removeItem('test-hold-store-read-ms');
    return Module.onestopHeapWarmed;
  });
  assert.ok(warmed >= 32 * MiB && warmed <= 48 * MiB, `warmed up ${warmed / MiB} MiB of 48`);
  // The open notes what it needed itself: the warm-up's pages, given back, do not count.
  const again = await hint();
  assert.ok(again > 0 && again < 2 * noted, `noted ${again} after ${noted}`);
  assert.equal(d.cases, before.cases);
  assert.equal(d.events, before.events);
  assert.equal(d.store.read_only, false);
  assert.deepEqual(errors, []);
});

test('a start warms up to the state snapshot\'s size when the last open needed less', async () => {
  // A store that grew a lot since its last open (an import): the note is small, the manifest
  // names a big snapshot. The read is held back as above; the snapshot's length is told 300 ms
  // into it (as the worker does once it has read the manifest).
  const before = await waitFor(page, (s) => s.store.state === 'idle' && s.ready, 'idle');
  const MiB = 1048576;
  await page.evaluate((mib) => {
    localStorage.setItem('onestop-heap:/data', String(mib));
    localStorage.setItem('test-hold-store-read-ms', '1500');
    localStorage.setItem('test-snapshot-bytes', String(12 * mib));  // 4 bytes in use per byte
  }, MiB);
  await page.reload();
  const d = await waitReady(page);
  const warmed = await page.evaluate(() => {
    localStorage.removeItem('test-hold-store-read-ms');
    localStorage.removeItem('test-snapshot-bytes');
    return Module.onestopHeapWarmed;
  });
  assert.ok(warmed >= 32 * MiB && warmed <= 52 * MiB, `warmed up ${warmed / MiB} MiB of 48`);
  assert.equal(d.cases, before.cases);
  assert.equal(d.events, before.events);
  // store-load.js reports the length its manifest names.
  const lengths = await page.evaluate(async () => {
    const load = window.onestopLoadStore('/data');
    await load;
    const manifest = await new Promise((resolve, reject) => {
      const req = indexedDB.open('/data');
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const get = req.result.transaction(['FILE_DATA']).objectStore('FILE_DATA').get('/data/store/MANIFEST');
        get.onsuccess = () => { req.result.close(); resolve(get.result.contents); };
        get.onerror = () => reject(get.error);
      };
    });
    const v = new DataView(manifest.buffer, manifest.byteOffset, manifest.byteLength);
    return { reported: load.snapshotBytes, named: v.getUint32(64, true) + v.getUint32(68, true) * 4294967296 };
  });
  assert.ok(lengths.named > 0, 'the store has a snapshot');
  assert.equal(lengths.reported, lengths.named);
  assert.deepEqual(errors, []);
});

test('a lost tail record is named as damage on the next start, never silently dropped', async () => {
  // One more case: its commit is a tail record of the active segment.
  const { start } = await registerDoubt({ name: '赵六', phone: '13907240004', demand: '停水' });
  const tail = (await storedKeys(page)).filter((k) => k.includes('#')).sort().pop();
  assert.ok(tail, 'a tail record right after the commit');
  // Lose it (as a damaged disk might), with the manifest still naming its records.
  await deleteStored(page, tail);
  await page.reload();
  const d = await waitFor(page, (s) => s.ready && s.frames > 0, 'the app to start');
  assert.match(d.ledger_error, /^受理数据已损坏，只能查看：.+/, 'the damage is named');
  assert.equal(d.store.read_only, false, 'the tab still owns the store (the ledger is what is read-only)');
  assert.ok(d.cases >= start, 'what is intact is shown');
});
