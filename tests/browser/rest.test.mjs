// A store with a history: the start reads the state snapshot and the newest segments only; the
// older segments stay in IndexedDB until after the first frame, then are read and checked
// (docs/store-format.md, "Opening in the browser"). Damage among them is still named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, watchErrors, waitFor, waitSaved, storedKeys, storedBytes, storedKind, deleteStored,
  storeAsInt8 } from './harness.mjs';

let app, url, browser, page, errors;

// Older segments come in slices of 4 records here (256 in use): many slices, as with a big store.
// Files of 40 KiB and more are stored as Blobs here (1 MiB in use): the snapshot, not the
// segments (32 KiB at most), as with a big store.
const smallSlices = (p) => p.addInitScript(() => { window.onestopRestSliceRecords = 4; window.onestopBlobBytes = 40960; });
before(async () => { ({ url, browser, page, errors } = app = await startApp(smallSlices)); });
after(() => app?.close());

const demo = (cases, seed) => page.evaluate(([n, s]) => Module.ccall('onestop_demo_cases', 'number', ['number', 'number'], [n, s]), [cases, seed]);
const loadedAndChecked = (s) => s.ready && s.frames > 0 && s.unloaded_segments === 0 && s.store_checked;

let snapshotSeq = 0, saved = null;

test('the start leaves the older segments in IndexedDB and reads and checks them after the first frame', async () => {
  assert.ok(await demo(400, 1) > 1000, 'demo cases registered');
  await waitSaved(page);
  assert.equal(await page.evaluate(() => Module.ccall('onestop_snapshot_now', 'number', [], [])), 1);
  snapshotSeq = (await waitFor(page, (s) => s.store.state === 'idle' && s.snapshot_seq > 0, 'the snapshot to be saved')).snapshot_seq;
  assert.ok(await demo(5, 2) > 0, 'events after the snapshot');
  saved = await waitSaved(page);
  assert.ok(saved.events > snapshotSeq);
  const snapKey = (await storedKeys(page)).find((k) => /^\/data\/store\/snap-\d+\.snap$/.test(k));
  assert.equal(await storedKind(page, snapKey), 'Blob', 'a big file is stored as a Blob');
  assert.equal(await storedKind(page, '/data/store/seg-00000001.log'), 'Uint8Array', 'a segment as bytes');
  assert.equal(await storedKind(page, '/data/store/MANIFEST'), 'Uint8Array', 'a small file as bytes');

  await page.reload();
  const d = await waitFor(page, loadedAndChecked, 'the older segments to be loaded and checked');
  assert.ok(d.segments_left_out >= 9, `segments left out of the start (more than two slices of 4): ${d.segments_left_out}`);
  assert.equal(d.opened_from_snapshot, snapshotSeq, 'opened from the snapshot');
  assert.ok(d.rest_load_ms > 0, 'the rest was read after the start');
  assert.equal(d.cases, saved.cases);
  assert.equal(d.events, saved.events);
  assert.equal(d.ledger_error, '');
  assert.equal(d.load_warning, '');
  // Work goes on, and the next start has every event.
  assert.ok(await demo(3, 3) > 0);
  saved = await waitSaved(page);
  await page.reload();
  const again = await waitFor(page, loadedAndChecked, 'the second start');
  assert.equal(again.events, saved.events);
  assert.equal(again.ledger_error, '');
  assert.deepEqual(errors, []);
});

test('a second tab opens read-only the same way, reads the rest and writes nothing', async () => {
  // Every key, and the manifest's bytes (any commit or snapshot rewrites it).
  const keys = async () => [...await storedKeys(page), (await storedBytes(page, '/data/store/MANIFEST')).join(',')];
  // The writer tab folds tail records it found among the older segments after a quiet moment:
  // let it finish, so that only the second tab could change anything below.
  let before = await keys();
  for (let i = 0; i < 100 && before.some((k) => k.includes('#')); ++i) {
    await page.waitForTimeout(100);
    before = await keys();
  }
  assert.ok(!before.some((k) => k.includes('#')), 'the writer folded its tail records');
  const second = await browser.newPage();
  try {
    const secondErrors = watchErrors(second);
    await second.goto(url);
    const d = await waitFor(second, (s) => loadedAndChecked(s) && s.store.read_only, 'the second tab to load the rest');
    assert.ok(d.segments_left_out >= 3);
    assert.equal(d.events, saved.events);
    assert.equal(d.ledger_error, '');
    await second.waitForTimeout(2500);  // past the quiet time after which a writer would fold tails
    assert.deepEqual(await keys(), before, 'the read-only tab changed nothing in IndexedDB');
    assert.deepEqual(secondErrors, []);
  } finally {
    await second.close();
  }
});

test('files whose bytes come back as another view (Int8Array) are planned the same', async () => {
  const isFile = (k) => /^\/data\/store\/(MANIFEST|seg-\d+\.log)$/.test(k);
  const files = (await storedKeys(page)).filter(isFile);
  assert.ok(files.length > 10);
  for (const k of files) await storeAsInt8(page, k);
  assert.equal(await storedKind(page, '/data/store/MANIFEST'), 'Int8Array');
  await page.reload();
  const d = await waitFor(page, loadedAndChecked, 'the start with Int8Array contents');
  assert.ok(d.segments_left_out >= 9, `segments left out of the start: ${d.segments_left_out}`);
  assert.equal(d.events, saved.events);
  assert.equal(d.ledger_error, '');
});

test('an older segment lost from IndexedDB is named as damage once the rest is read', async () => {
  await deleteStored(page, '/data/store/seg-00000002.log', '/data/store/seg-00000002.log#\uffff');
  await page.reload();
  const d = await waitFor(page, (s) => s.ready && s.frames > 0 && s.ledger_error !== '', 'the damage to be named');
  assert.ok(d.segments_left_out >= 3, 'the start did not wait for the older segments');
  assert.match(d.ledger_error, /^受理数据已损坏，只能查看：.+/);
  assert.equal(d.cases, saved.cases, 'every case is still shown (from the snapshot)');
});
