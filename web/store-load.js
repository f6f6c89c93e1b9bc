// Reads the saved store out of IndexedDB. index.html calls it the moment the page starts, so that
// IndexedDB works in parallel with the downloads and the wasm compile instead of after them; the
// app (library_onestop.js) then only copies the records into its in-memory file system.
//
// The records are in Emscripten IDBFS's format (3.1.6), which library_onestop.js also writes:
// one database per mount point, version 21, object store FILE_DATA with an index "timestamp";
// key = absolute path; value = {timestamp, mode} for a folder, plus `contents` for a file.
//
// The reading is done by a Worker started with this same file, so that the steps of the read
// (each one answer from IndexedDB) do not wait for the page's thread, which is busy starting the
// program meanwhile; where no worker can run, in the page.
//
// Resolves to {db, paths, records, rest, writable, times}: the open database when the page read
// it (kept for later writes; null when there is none yet or a worker read it), the paths in key
// order (a folder before its files) with their records, the older store segments left in
// IndexedDB for after the start (rest: null, or
// {segment, from, to}: segments below `segment`, the keys from..to), and whether this tab may
// write (the first tab to take the Web Lock "onestop-store-writer" keeps it for its lifetime;
// any other tab opens read-only). Rejects with the IndexedDB error.
'use strict';

// In a Worker (onestopLoadStore below starts one with this same file): reads the store named by
// the first message and posts the result back, its bytes transferred, not copied. The read-only
// connection is closed; the page opens its own for its writes.
if (typeof window === 'undefined') {
  var onestopWorkerUp = performance.now();
  self.onmessage = function (e) {
    var opened = function () { self.postMessage({ opened: true }); };
    var sized = function (bytes) { self.postMessage({ snapshotBytes: bytes }); };
    onestopReadStore(e.data.mountpoint, { up: onestopWorkerUp, start: performance.now() }, opened,
                     sized).then(function (out) {
      if (out.db) out.db.close();
      var buffers = new Set();
      out.records.forEach(function (rec) {
        if (rec && rec.contents) buffers.add(rec.contents.buffer);
      });
      self.postMessage({ paths: out.paths, records: out.records, rest: out.rest,
                         times: out.times || {}, timeOrigin: performance.timeOrigin },
                       Array.from(buffers));
    }).catch(function (e) {
      var error = { name: (e && e.name) || 'Error', message: (e && e.message) || String(e) };
      self.postMessage({ error: error });
    });
  };
}
var onestopStoreLoadUrl = typeof document !== 'undefined' && document.currentScript
  ? document.currentScript.src : '';

// A file's contents are stored as a Uint8Array, or as a Blob when the file is big (the state
// snapshot: library_onestop.js's onestopPutFile). Resolves once every record's contents is a
// Uint8Array, read from its Blob where it was one; rejects with the read's error.
function onestopBlobsToBytes(records) {
  return Promise.all(records.map(function (rec) {
    if (!rec || !(rec.contents instanceof Blob)) return null;
    return rec.contents.arrayBuffer().then(function (buffer) { rec.contents = new Uint8Array(buffer); });
  }));
}
if (typeof window !== 'undefined') window.onestopBlobsToBytes = onestopBlobsToBytes;

// Reads the store in the page or in a worker: resolves to {db, paths, records, rest, times}.
// `times` gets the milestones (performance.now()), for the benchmarks: database open, plan made
// (manifest and segment headers read), keys and values read, big files' bytes read.
// Calls opened() once the database is open (or known not to exist), and sized(bytes) when the
// manifest names a state snapshot of that payload length (the page warms its heap to suit).
function onestopReadStore(mountpoint, times, opened, sized) {
  // On a first visit there is no database yet: nothing to read, and creating it (slow on a fresh
  // browser profile) is left to the first save instead of holding up the start.
  var exists = indexedDB.databases ? indexedDB.databases().then(function (list) {
    return list.some(function (d) { return d.name === mountpoint; });
  }, function () { return true; }) : Promise.resolve(true);
  var records = exists.then(function (found) {
    times.listed = performance.now();
    if (found) return readAll();
    opened();
    return { db: null, paths: [], records: [], rest: null, times: times };
  });
  function readAll() {
    return new Promise(function (resolve, reject) {
      var req;
      try { req = indexedDB.open(mountpoint, 21); } catch (e) { reject(e); return; }
      req.onupgradeneeded = function () {
        var tx = req.transaction;
        var store = req.result.objectStoreNames.contains('FILE_DATA') ? tx.objectStore('FILE_DATA')
          : req.result.createObjectStore('FILE_DATA');
        if (!store.indexNames.contains('timestamp')) store.createIndex('timestamp', 'timestamp', { unique: false });
      };
      req.onerror = function () { reject(req.error || new Error('indexedDB.open failed')); };
      req.onsuccess = function () {
        var db = req.result, tx;
        try { tx = db.transaction(['FILE_DATA'], 'readonly'); } catch (e) { reject(e); return; }
        // One transaction: every read below sees the same state of the database.
        var store = tx.objectStore('FILE_DATA'), out = { db: db, paths: [], records: [], rest: null, times: times };
        times.open = performance.now();
        opened();
        planRest(store, function (rest) {
          times.plan = performance.now();
          // Everything but the older segments, in key order (a folder before its files, a file
          // before its tail records): the keys below the left-out run, then those above it.
          // Only these ranges are listed: listing every key took ~1 s at 100,000 cases (7,500
          // keys; Chromium reads the values along with their keys).
          var ranges = rest ? [IDBKeyRange.upperBound(rest.from, true), IDBKeyRange.lowerBound(rest.to, true)]
                            : [undefined];
          out.rest = rest;
          ranges.forEach(function (range) {
            store.getAllKeys(range).onsuccess = function (e) { out.paths = out.paths.concat(e.target.result); };
            store.getAll(range).onsuccess = function (e) { out.records = out.records.concat(e.target.result); };
          });
        });
        tx.oncomplete = function () {
          times.values = performance.now();
          if (out.records.length !== out.paths.length) { reject(new Error('IndexedDB read: keys and records differ')); return; }
          onestopBlobsToBytes(out.records).then(function () {
            times.bytes = performance.now();
            resolve(out);
          }, reject);
        };
        tx.onabort = function () { reject(tx.error || new Error('IndexedDB read aborted')); };
      };
    });
  }

  // Which segments of the event store can stay in IndexedDB until after the start: those wholly
  // before the snapshot's record (docs/store-format.md, "Opening in the browser"). The store is
  // the app's folder `store` in the mount. Reads its manifest, then segment headers from the
  // newest back to the first that starts at or before the record after the snapshot. Calls
  // then(null) when nothing can be left out (no store, no snapshot, anything unexpected: the
  // store then reads and judges every file itself), else then({segment, from, to}): segments
  // below `segment` are left out, the keys from..to (their whole and tail records).
  function planRest(store, then) {
    var dir = mountpoint + '/store';
    var u64 = function (v, at) {  // little-endian; exact below 2^53
      return v.getUint32(at, true) + v.getUint32(at + 4, true) * 4294967296;
    };
    var view = function (rec, size) {
      var c = rec && rec.contents;
      // A Blob (a file of 1 MiB or more, which a segment never is) cannot be read inside this
      // transaction: no plan then, everything is read.
      // Any view of bytes will do (a Uint8Array as written, or another typed array).
      if (!c || !ArrayBuffer.isView(c) || c.byteLength < size) return null;
      return new DataView(c.buffer, c.byteOffset, size);
    };
    var magic = function (v, text) {
      for (var i = 0; i < 4; ++i) if (v.getUint8(i) !== text.charCodeAt(i)) return false;
      return true;
    };
    var segKey = function (n) { return dir + '/seg-' + String(n).padStart(8, '0') + '.log'; };
    store.get(dir + '/MANIFEST').onsuccess = function (e) {
      var m = view(e.target.result, 80);
      if (!m || !magic(m, 'OSMF') || m.getUint32(4, true) !== 1) { then(null); return; }
      var first = u64(m, 24), active = u64(m, 32), snapSeq = u64(m, 56);
      if (snapSeq > 0) sized(u64(m, 64));
      // Eight-digit names sort in number order: the left-out segments are one run of keys.
      if (snapSeq === 0 || first !== 1 || active <= first || active > 99999999) { then(null); return; }
      var probe = function (n) {
        store.get(segKey(n)).onsuccess = function (e) {
          var h = view(e.target.result, 36);
          if (!h || !magic(h, 'OSEG') || u64(h, 16) !== n) { then(null); return; }
          if (u64(h, 24) > snapSeq + 1) {
            if (n - 1 > first) probe(n - 1); else then(null);
            return;
          }
          if (n === first) { then(null); return; }
          then({ segment: n, from: segKey(first), to: segKey(n - 1) + '#\uffff' });
        };
      };
      probe(active);
    };
  }

  return records;
}

if (typeof window !== 'undefined') window.onestopLoadStore = function (mountpoint) {
  var called = performance.now();
  var writable = new Promise(function (resolve) {
    if (!navigator.locks) { resolve(true); return; }  // no Web Locks (very old browser): one tab assumed
    navigator.locks.request('onestop-store-writer', { ifAvailable: true }, function (lock) {
      resolve(lock !== null);
      return lock ? new Promise(function () {}) : undefined;  // held until the page closes
    }).catch(function () { resolve(true); });
  });
  // In a worker, so that IndexedDB's answers need not wait for this page's thread, busy starting
  // the program meanwhile (each step of the read is one answer: open, manifest, headers, values).
  var openedResolve, opened = new Promise(function (resolve) { openedResolve = resolve; });
  var sized = function (bytes) {
    all.snapshotBytes = bytes;
    if (all.onSnapshotBytes) all.onSnapshotBytes();
  };
  var inPage = function () {
    return onestopReadStore(mountpoint, { start: performance.now() }, openedResolve, sized);
  };
  var records = new Promise(function (resolve, reject) {
    var worker;
    try {
      worker = onestopStoreLoadUrl ? new Worker(onestopStoreLoadUrl) : null;
    } catch (e) {
      worker = null;
    }
    if (!worker) { resolve(inPage()); return; }  // no workers here: read in the page
    // The worker's script did not load (or failed): read in the page.
    worker.onerror = function (e) { e.preventDefault(); worker.terminate(); resolve(inPage()); };
    worker.onmessage = function (e) {
      var r = e.data;
      if (r.opened) { openedResolve(); return; }
      if (r.snapshotBytes !== undefined) { sized(r.snapshotBytes); return; }
      worker.terminate();
      if (r.error) {
        var err = new Error(r.error.message);
        err.name = r.error.name;
        reject(err);
        return;
      }
      var shift = r.timeOrigin - performance.timeOrigin;  // the worker's clock started later
      Object.keys(r.times).forEach(function (k) { r.times[k] += shift; });
      r.times.received = performance.now();
      r.times.called = called;
      resolve({ db: null, paths: r.paths, records: r.records, rest: r.rest, times: r.times });
    };
    worker.postMessage({ mountpoint: mountpoint });
  });
  var all = Promise.all([records, writable]).then(function (r) {
    r[0].writable = r[1];
    return r[0];
  });
  // Settles once the database is open (or known not to exist), or the read failed: the page
  // starts the program then, so that a browser without IndexedDB is told so before anything runs.
  var settled = function () {};
  all.opened = Promise.race([opened, all.then(settled, settled)]);
  // all.snapshotBytes: the state snapshot's payload length once the manifest is read (sized
  // above), for the heap's warm-up (library_onestop.js sets all.onSnapshotBytes to hear of it).
  all.snapshotBytes = 0;
  return all;
};
