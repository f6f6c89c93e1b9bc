// Reads the saved store out of IndexedDB. index.html calls it the moment the page starts, so that
// IndexedDB works in parallel with the downloads and the wasm compile instead of after them; the
// app (library_onestop.js) then only copies the records into its in-memory file system.
//
// The records are in Emscripten IDBFS's format (3.1.6), which library_onestop.js also writes:
// one database per mount point, version 21, object store FILE_DATA with an index "timestamp";
// key = absolute path; value = {timestamp, mode} for a folder, plus `contents` for a file.
//
// Resolves to {db, paths, records, writable}: the open database (kept for later writes; null
// when there is none yet), the
// paths in key order (a folder before its files) with their records, and whether this tab may
// write (the first tab to take the Web Lock "onestop-store-writer" keeps it for its lifetime;
// any other tab opens read-only). Rejects with the IndexedDB error.
'use strict';
window.onestopLoadStore = function (mountpoint) {
  var writable = new Promise(function (resolve) {
    if (!navigator.locks) { resolve(true); return; }  // no Web Locks (very old browser): one tab assumed
    navigator.locks.request('onestop-store-writer', { ifAvailable: true }, function (lock) {
      resolve(lock !== null);
      return lock ? new Promise(function () {}) : undefined;  // held until the page closes
    }).catch(function () { resolve(true); });
  });
  // On a first visit there is no database yet: nothing to read, and creating it (slow on a fresh
  // browser profile) is left to the first save instead of holding up the start.
  var exists = indexedDB.databases ? indexedDB.databases().then(function (list) {
    return list.some(function (d) { return d.name === mountpoint; });
  }, function () { return true; }) : Promise.resolve(true);
  var records = exists.then(function (found) {
    return found ? readAll() : { db: null, paths: [], records: [] };
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
        var db = req.result, out = { db: db, paths: null, records: null };
        var tx;
        try { tx = db.transaction(['FILE_DATA'], 'readonly'); } catch (e) { reject(e); return; }
        var store = tx.objectStore('FILE_DATA');
        // One snapshot: both lists come from the same transaction, in key order.
        store.getAllKeys().onsuccess = function (e) { out.paths = e.target.result; };
        store.getAll().onsuccess = function (e) { out.records = e.target.result; };
        tx.oncomplete = function () { resolve(out); };
        tx.onabort = function () { reject(tx.error || new Error('IndexedDB read aborted')); };
      };
    });
  }
  return Promise.all([records, writable]).then(function (r) {
    r[0].writable = r[1];
    return r[0];
  });
};
