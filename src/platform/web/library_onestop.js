// JavaScript half of the platform layer, linked with --js-library. Calls back into C++ through
// exported functions (see main.cpp). Kept small: all decisions are made in C++.
mergeInto(LibraryManager.library, {
  $onestopStore: {
    mount: null,
    generation: 0,
    // Files with tail records in IndexedDB (path -> performance.now() of the last one written:
    // the clock lastChange and the fold's quiet time use; the wall clock may be set back), and
    // folders known to be there. docs/store-format.md ("In IndexedDB") describes the records.
    tails: {},
    dirs: {},
    // Tail records found at load whose file was missing (damage): their path still gets its tail
    // records deleted if a file of that name is ever stored whole.
    orphans: {},
    compactTimer: 0,
    lastChange: 0,  // performance.now() of the last commit persisted (compaction waits for quiet)
    // Transactions not settled yet, oldest first ({started, fail}), and the one timer that
    // fails those older than timeoutMs: a timer set and cleared per commit cost it 0.04 ms.
    inFlight: [],
    watchdog: 0,
    watchdogDue: 0,
    writable: false,  // this tab holds the writer lock
    // The older store segments left in IndexedDB at start (store-load.js's `rest`), until
    // onestop_js_load_rest has copied them in; `loading` while it runs.
    rest: null,
    loading: false,
    // A sync that aborts on a quota error may never call back (Emscripten 3.1.6): give up
    // after this long and report it, so the clerk sees an error instead of "saving" forever.
    timeoutMs: 10000,
    lastReport: -Infinity,  // Date.now() of the last storage report (onestopReportStorage)
    reportTimer: 0,
  },

  // Reports storage use and quota (and whether the browser keeps the data under storage
  // pressure) to the app. At most once every reportMs, the last call of a burst coming at the
  // end: the estimate asks the IndexedDB backend for its size, and one after every commit made
  // the next commit wait (docs/performance.md, store section).
  $onestopReportStorage__deps: ['$onestopStore'],
  $onestopReportStorage: function() {
    if (!navigator.storage || !navigator.storage.estimate) return;
    var reportMs = 5000, now = Date.now(), due = onestopStore.lastReport + reportMs;
    if (now < due) {
      if (!onestopStore.reportTimer) {
        onestopStore.reportTimer = setTimeout(function() {
          onestopStore.reportTimer = 0;
          onestopReportStorage();
        }, due - now);
      }
      return;
    }
    onestopStore.lastReport = now;
    var persisted = navigator.storage.persisted ? navigator.storage.persisted() : Promise.resolve(false);
    Promise.all([navigator.storage.estimate(), persisted]).then(function(r) {
      Module.ccall('onestop_on_storage', null, ['number', 'number', 'number'], [r[0].usage || 0, r[0].quota || 0, r[1] ? 1 : 0]);
    }, function() {});
  },

  // Copies records read from IndexedDB (keys in key order: a folder before its files, a file
  // before its tail records) into the mounted folder `dir`.
  $onestopCopyIn__deps: ['$onestopStore', '$FS'],
  $onestopCopyIn: function(dir, paths, records) {
    // A file's tail records follow one another: the file is looked up and opened once for all
    // of them (a store closed soon after many commits has hundreds), and closed after the last.
    var tailOf = null, stream = null, stamp = 0;
    var endTails = function() {
      if (stream) {
        FS.close(stream);
        FS.utime(tailOf, stamp, stamp);
      }
      tailOf = null;
      stream = null;
    };
    paths.forEach(function(key, i) {
      if (typeof key !== 'string' || key.indexOf(dir + '/') !== 0) return;  // not this mount's
      var rec = records[i], hash = key.indexOf('#');
      if (hash >= 0) {
        // A tail record: bytes that belong at an offset of a file loaded just before it.
        var path = key.substring(0, hash), at = Number(key.substring(hash + 1));
        if (path !== tailOf) {
          endTails();
          tailOf = path;
          if (!FS.analyzePath(path).exists) {
            err('onestop: tail records without their file: ' + path);
            onestopStore.orphans[path] = true;
            return;
          }
          stream = FS.open(path, 'r+');
          onestopStore.tails[path] = 0;
        }
        if (!stream) return;  // the file is missing (named above)
        FS.write(stream, rec.contents, 0, rec.contents.length, at);
        stamp = rec.timestamp;
        return;
      }
      endTails();
      if (FS.isDir(rec.mode)) {
        if (!FS.analyzePath(key).exists) FS.mkdir(key, rec.mode);
        onestopStore.dirs[key] = true;
      } else {
        FS.writeFile(key, rec.contents, { canOwn: true });
        FS.chmod(key, rec.mode);
      }
      FS.utime(key, rec.timestamp, rec.timestamp);
    });
    endTails();
  },

  // Copies the older store segments left in IndexedDB at start into the folder, a slice of
  // records per transaction so that frames go on meanwhile, then calls onestop_on_rest_loaded.
  // Compaction waits meanwhile: it must never store a file whose tail records are still coming.
  onestop_js_load_rest__deps: ['$onestopStore', '$onestopCopyIn', '$onestopScheduleCompaction', '$IDBFS'],
  onestop_js_load_rest: function() {
    var rest = onestopStore.rest, dir = onestopStore.mount && onestopStore.mount.mountpoint;
    var finish = function(ok, msg) {
      onestopStore.loading = false;
      if (ok) onestopStore.rest = null;
      Module.ccall('onestop_on_rest_loaded', null, ['number', 'string'], [ok ? 1 : 0, msg || '']);
      onestopScheduleCompaction();
    };
    if (!rest || onestopStore.loading) return;
    onestopStore.loading = true;
    var describe = function(e) { return e ? ((e.name ? e.name + ': ' : '') + (e.message || String(e))) : 'IndexedDB read aborted'; };
    // Records (about 8 MB of segments) a transaction: a few ms of copying. Browser tests set a
    // small number to go through many slices.
    var perSlice = window.onestopRestSliceRecords || 256;
    var slice = function(range) {
      IDBFS.getDB(dir, function(error, db) {
        if (error) { finish(false, describe(error)); return; }
        var tx, keys, records;
        try { tx = db.transaction([IDBFS.DB_STORE_NAME], 'readonly'); } catch (e) { finish(false, describe(e)); return; }
        var store = tx.objectStore(IDBFS.DB_STORE_NAME);
        store.getAllKeys(range, perSlice).onsuccess = function(e) { keys = e.target.result; };
        store.getAll(range, perSlice).onsuccess = function(e) { records = e.target.result; };
        tx.onabort = function() { finish(false, describe(tx.error)); };
        tx.oncomplete = function() {
          window.onestopBlobsToBytes(records).then(function() {
            onestopCopyIn(dir, keys, records);
            if (keys.length < perSlice) { finish(true, ''); return; }
            slice(IDBKeyRange.bound(keys[keys.length - 1], rest.to, true, false));
          }).catch(function(e) { finish(false, 'load: ' + e); });
        };
      });
    };
    slice(IDBKeyRange.bound(rest.from, rest.to));
  },

  // Mounts the store folder and fills it with the records store-load.js read from IndexedDB
  // (started by the page before the wasm arrived: Module.onestopStoreLoad, else now). Only the
  // first tab to take the writer lock may write; any other opens read-only (writable = 0).
  onestop_js_mount_and_load__deps: ['$onestopStore', '$onestopReportStorage', '$onestopScheduleCompaction', '$onestopCopyIn', '$IDBFS', '$FS'],
  onestop_js_mount_and_load: function(dirPtr) {
    var dir = UTF8ToString(dirPtr);
    var done = function(ok, writable, msg, loadedFrom) {
      Module.ccall('onestop_on_loaded', null, ['number', 'number', 'string', 'number'], [ok ? 1 : 0, writable ? 1 : 0, msg || '', loadedFrom || 0]);
      onestopReportStorage();
    };
    var load;
    try {
      FS.mkdir(dir);
      // Its own mount: IDBFS names the database after the mount point.
      onestopStore.mount = FS.mount(IDBFS, {}, dir).mount;
      if (!window.onestopLoadStore) throw new Error('store-load.js is not loaded');
      load = Module.onestopStoreLoad || window.onestopLoadStore(dir);
    } catch (e) {
      done(false, false, 'mount: ' + e);
      return;
    }
    // The heap's warm-up (web_persistence.cpp, onestop_heap_warm_step): a chunk per task, while
    // IndexedDB reads, until the records are here or the heap is as big as the open will need:
    // as the last open's, or kHeapPerSnapshotByte times the snapshot's length once the worker
    // has read it in the manifest (whichever is more: a store that grew a lot since the last
    // open, e.g. by an import, was warmed for its old size).
    var kHeapPerSnapshotByte = 4;  // 64 MB in use after opening a 16.5 MB snapshot (100,000 cases)
    var warming = true, running = false, noted = 0;
    try { noted = Number(localStorage.getItem('onestop-heap:' + dir)) || 0; } catch (e) {}
    if (!(noted < 2147483648)) noted = 0;  // a note no open can have made: ignored
    var warmTo = function() {
      // (The length is read before any checksum: a damaged manifest must not warm gigabytes.)
      var fromSnapshot = Math.min(kHeapPerSnapshotByte * (load.snapshotBytes || 0), 536870912);
      return Math.max(noted, fromSnapshot);
    };
    var channel = new MessageChannel();
    channel.port1.onmessage = function() {
      running = warming && warmTo() > 0 && Module['_onestop_heap_warm_step'](warmTo()) === 1;
      if (running) channel.port2.postMessage(0);
    };
    var warmMore = function() {
      if (running || !warming) return;
      running = true;
      channel.port2.postMessage(0);
    };
    warmMore();
    load.onSnapshotBytes = warmMore;  // store-load.js: the manifest named the snapshot's length
    var stopWarming = function() {
      warming = false;
      Module.onestopHeapWarmed = Module['_onestop_heap_warm_end']();
    };
    load.then(function(r) {
      stopWarming();
      if (r.db) IDBFS.dbs[dir] = r.db;  // the writes (onestop_js_persist) reuse this connection
      try {
        onestopCopyIn(dir, r.paths, r.records);
        if (r.times) r.times.copied = performance.now();
        Module.onestopLoadTimes = r.times;
      } catch (e) {
        done(false, false, 'load: ' + e);
        return;
      }
      onestopStore.writable = r.writable;
      onestopStore.rest = r.rest || null;
      done(true, r.writable, '', r.rest ? r.rest.segment : 0);
      onestopScheduleCompaction();
    }, function(e) {
      stopWarming();
      done(false, false, (e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e)));
    });
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().then(onestopReportStorage, function() {});
    }
    var flush = function() { Module.ccall('onestop_flush', null, [], []); };
    document.addEventListener('visibilitychange', function() { if (document.visibilityState === 'hidden') flush(); });
    window.addEventListener('pagehide', flush);
  },

  // The heap's size after the ledger opened (bytes): the next start warms up that much.
  onestop_js_note_heap__deps: ['$onestopStore'],
  onestop_js_note_heap: function(bytes) {
    try {
      if (onestopStore.mount) localStorage.setItem('onestop-heap:' + onestopStore.mount.mountpoint, String(bytes));
    } catch (e) {}  // no localStorage (disabled): no warm-up, nothing else changes
  },

  // Writes one file's record into `store` (a readwrite object store): the whole file under its
  // path (and its tail records deleted), or with `from` > 0 only its bytes from there on, as a
  // tail record "<path>#<offset, 12 digits>". Returns what the bookkeeping must note once the
  // transaction is complete.
  $onestopPutFile__deps: ['$FS', '$MEMFS'],
  $onestopPutFile: function(store, path, from) {
    // The file's node is looked up once and its bytes read in place: FS.stat, FS.open and
    // FS.read would each look the path up again (~30 µs of a commit's ~0.4 ms page work).
    var node = FS.lookupPath(path).node;
    // A view of the file's bytes, not a copy; as bytes (MEMFS keeps an Int8Array when the file
    // was written from the wasm heap, and the records are always stored as Uint8Arrays).
    var data = MEMFS.getFileDataAsTypedArray(node);
    var bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
    var stamp = new Date(node.timestamp);  // as FS.stat's mtime
    if (from > 0 && from <= bytes.length) {
      // Only the new bytes, copied: the file may be tens of KB, a commit a few hundred bytes
      // (a view would be stored with the whole buffer under it).
      var tail = bytes.slice(from);
      store.put({ timestamp: stamp, mode: node.mode, contents: tail }, path + '#' + String(from).padStart(12, '0'));
      // Noted now, not only once the transaction is complete: should it time out and land
      // later after all, the file's next whole write must still delete this record; and a fold
      // must not take the file while this record is on its way (it would fold it away at once).
      onestopStore.tails[path] = performance.now();
      return { path: path, tail: true };
    }
    // A big file (the state snapshot) goes in as a Blob: Chromium hands a Blob back from
    // IndexedDB several times faster than a large typed array (which it keeps as a blob too,
    // but unwraps and copies twice before the read succeeds): docs/performance.md.
    // (rest.test.mjs sets onestopBlobBytes lower, so that its small store's snapshot goes this way.)
    // (A Blob copies the bytes it is made of; anything else is copied here: a view of MEMFS's
    // buffer would be stored with the whole buffer under it.)
    var contents = bytes.length >= (window.onestopBlobBytes || 1048576) ? new Blob([bytes]) : bytes.slice();
    store.put({ timestamp: stamp, mode: node.mode, contents: contents }, path);
    // Only a file that may have tail records gets the range delete: the manifest, rewritten
    // whole by every commit, never has any, and the delete costs a commit 0.1-0.2 ms
    // (docs/performance.md).
    if (path in onestopStore.tails || path in onestopStore.orphans)
      store.delete(IDBKeyRange.bound(path + '#', path + '#\uffff'));
    return { path: path, tail: false };
  },

  // Runs `fill(store)` in ONE strict readwrite transaction on the mount's database (all or
  // nothing) and calls then(ok, message) once, after `complete` (the data is on disk: a power
  // cut loses nothing shown as saved) or on failure, or after onestopStore.timeoutMs (a sync
  // that aborts on a quota error may never call back in Chromium).
  $onestopTransaction__deps: ['$onestopStore', '$IDBFS', '$onestopWatchTransactions'],
  $onestopTransaction: function(fill, then) {
    var settled = false, entry = { started: performance.now(), fail: null };
    var finish = function(ok, msg) {
      if (settled) return;
      settled = true;
      var at = onestopStore.inFlight.indexOf(entry);
      if (at >= 0) onestopStore.inFlight.splice(at, 1);
      then(ok, msg);
    };
    var describe = function(err) { return err ? ((err.name ? err.name + ': ' : '') + (err.message || String(err))) : 'IndexedDB transaction aborted'; };
    entry.fail = function() { finish(false, 'IndexedDB did not answer within ' + onestopStore.timeoutMs / 1000 + ' s'); };
    onestopStore.inFlight.push(entry);
    onestopWatchTransactions();
    IDBFS.getDB(onestopStore.mount.mountpoint, function(err, db) {
      if (err) { finish(false, describe(err)); return; }
      var tx;
      try {
        tx = db.transaction([IDBFS.DB_STORE_NAME], 'readwrite', { durability: 'strict' });
        tx.oncomplete = function() { finish(true, ''); };
        tx.onabort = function() { finish(false, describe(tx.error)); };
        tx.onerror = function(e) { e.preventDefault(); };  // the abort that follows reports it
        fill(tx.objectStore(IDBFS.DB_STORE_NAME));
        // Every request is queued: the browser may start writing now instead of when this task
        // ends (in the app, after the rest of the frame that made the change).
        if (tx.commit) tx.commit();
      } catch (e) {
        try { if (tx) tx.abort(); } catch (ignored) {}
        finish(false, describe(e));
      }
    });
  },

  // Arms the watchdog for the moment the oldest transaction in flight is due, unless it is armed
  // for that moment or an earlier one already (with a fixed timeoutMs, always: one timer serves
  // a burst of commits); it fails every transaction due then and arms itself for the next.
  $onestopWatchTransactions__deps: ['$onestopStore'],
  $onestopWatchTransactions: function() {
    if (!onestopStore.inFlight.length) return;
    var due = onestopStore.inFlight[0].started + onestopStore.timeoutMs;  // (performance.now)
    if (onestopStore.watchdog) {
      if (onestopStore.watchdogDue <= due) return;
      clearTimeout(onestopStore.watchdog);
    }
    onestopStore.watchdogDue = due;
    onestopStore.watchdog = setTimeout(function() {
      onestopStore.watchdog = 0;
      var now = performance.now();
      onestopStore.inFlight.filter(function(t) { return now - t.started >= onestopStore.timeoutMs; })
        .forEach(function(t) { t.fail(); });
      onestopWatchTransactions();
    }, Math.max(0, due - performance.now()));
  },

  // Persists exactly the files that changed, in ONE IndexedDB transaction, costing the same
  // whatever the store's size: a file that only grew (the store's active segment after a commit)
  // is stored as a tail record of just its new bytes. `json` =
  // {"written": [[path, from], …], "removed": [path, …]} (from: 0, or the length of the start
  // of the file unchanged since it was last stored).
  onestop_js_persist__deps: ['$onestopStore', '$onestopReportStorage', '$onestopPutFile', '$onestopTransaction', '$onestopScheduleCompaction', '$FS', '$PATH'],
  onestop_js_persist: function(jsonPtr) {
    var changes = JSON.parse(UTF8ToString(jsonPtr));
    var gen = ++onestopStore.generation;
    var puts = [], newDirs = [];
    onestopTransaction(function(store) {
      // Parent folders first (once), so that loading recreates them before their files.
      var dirs = {};
      changes.written.forEach(function(w) {
        for (var d = PATH.dirname(w[0]); d.length > onestopStore.mount.mountpoint.length; d = PATH.dirname(d)) {
          if (!onestopStore.dirs[d]) dirs[d] = true;
        }
      });
      Object.keys(dirs).sort().forEach(function(d) {
        var stat = FS.stat(d);
        store.put({ timestamp: stat.mtime, mode: stat.mode }, d);
        newDirs.push(d);
      });
      changes.written.forEach(function(w) { puts.push(onestopPutFile(store, w[0], w[1])); });
      changes.removed.forEach(function(path) {
        store.delete(path);
        store.delete(IDBKeyRange.bound(path + '#', path + '#\uffff'));
        puts.push({ path: path, tail: false });
      });
    }, function(ok, msg) {
      if (gen !== onestopStore.generation) return;
      if (ok) {
        newDirs.forEach(function(d) { onestopStore.dirs[d] = true; });
        var now = performance.now();  // before onestopScheduleCompaction's lastChange below
        puts.forEach(function(p) {
          if (p.tail) { onestopStore.tails[p.path] = now; return; }
          delete onestopStore.tails[p.path];
          delete onestopStore.orphans[p.path];
        });
        onestopScheduleCompaction();
      }
      Module.ccall('onestop_on_synced', null, ['number', 'string'], [ok ? 1 : 0, msg || '']);
      onestopReportStorage();
    });
  },

  // Tail records make each commit small but each file many records: once the store has been
  // quiet for a while, files whose tail records stopped growing (sealed segments) are stored
  // whole again, in a transaction of their own, off any commit's path. The content written is
  // the file as it is now, so it is right whichever transaction IndexedDB runs first.
  $onestopScheduleCompaction__deps: ['$onestopStore', '$onestopPutFile', '$onestopTransaction'],
  $onestopScheduleCompaction: function() {
    var quietMs = 2000;
    if (!onestopStore.writable) return;  // a read-only tab never writes
    if (onestopStore.loading) return;  // scheduled again when the older segments are in
    // One timer for a burst of commits: when it fires before the store has been quiet for
    // quietMs, it waits the rest of that time (a timer cleared and set again per commit cost the
    // commit 0.02 ms).
    onestopStore.lastChange = performance.now();
    if (onestopStore.compactTimer) return;
    var check = function() {
      var quiet = performance.now() - onestopStore.lastChange;
      if (quiet < quietMs) {
        onestopStore.compactTimer = setTimeout(check, quietMs - quiet);
        return;
      }
      onestopStore.compactTimer = 0;
      if (onestopStore.loading) return;  // the end of the load schedules it again
      var now = performance.now(), paths = Object.keys(onestopStore.tails).filter(function(p) {
        return now - onestopStore.tails[p] >= quietMs && FS.analyzePath(p).exists;
      }).slice(0, 64);  // a bounded transaction; the rest at the next quiet moment
      if (!paths.length) return;
      var stamp = {};
      paths.forEach(function(p) { stamp[p] = onestopStore.tails[p]; });
      onestopTransaction(function(store) {
        paths.forEach(function(p) { onestopPutFile(store, p, 0); });
      }, function(ok) {
        if (!ok) return;  // tried again at the next quiet moment
        // Only files that got no new tail record meanwhile are whole now.
        paths.forEach(function(p) { if (onestopStore.tails[p] === stamp[p]) delete onestopStore.tails[p]; });
        if (Object.keys(onestopStore.tails).length) onestopScheduleCompaction();
      });
    };
    onestopStore.compactTimer = setTimeout(check, quietMs);
  },

  // --- Input method bridge -------------------------------------------------------------
  // A canvas gets no composition events, so while ImGui wants text a hidden <input> placed at
  // the caret holds the focus; committed text (typed or composed) is forwarded to ImGui.
  $onestopIme: { input: null },
  onestop_js_ime_update__deps: ['$onestopIme'],
  onestop_js_ime_update: function(want, x, y) {
    var input = onestopIme.input;
    if (!input) {
      input = onestopIme.input = document.getElementById('ime');
      if (!input) return;
      var send = function(text) {
        if (text) Module.ccall('onestop_text_input', null, ['string'], [text]);
        input.value = '';
      };
      input.addEventListener('compositionend', function(e) { send(e.data); });
      input.addEventListener('input', function(e) { if (!e.isComposing) send(e.data); });
    }
    if (want) {
      var rect = Module.canvas.getBoundingClientRect();
      input.style.left = (rect.left + x) + 'px';
      input.style.top = (rect.top + y) + 'px';
      if (document.activeElement !== input) input.focus({preventScroll: true});
    } else if (document.activeElement === input) {
      input.blur();
    }
  },

  onestop_js_download: function(namePtr, dataPtr, size) {
    var blob = new Blob([HEAPU8.slice(dataPtr, dataPtr + size)], { type: 'application/octet-stream' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(namePtr);
    document.body.appendChild(a);
    a.click();
    setTimeout(function() { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  },

  onestop_js_choose_file: function() {
    var input = document.getElementById('backup-file');
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.id = 'backup-file';
      input.accept = '.backup,application/octet-stream';
      input.style.display = 'none';
      input.addEventListener('change', function() {
        var file = input.files && input.files[0];
        input.value = '';
        if (!file) return;
        file.arrayBuffer().then(function(buf) {
          var bytes = new Uint8Array(buf);
          var ptr = Module.ccall('onestop_alloc', 'number', ['number'], [bytes.length]);
          HEAPU8.set(bytes, ptr);
          Module.ccall('onestop_backup_chosen', null, ['number', 'number'], [ptr, bytes.length]);
        });
      });
      document.body.appendChild(input);
    }
    input.click();
  },

  onestop_js_canvas_origin: function(xPtr, yPtr) {
    var rect = Module.canvas.getBoundingClientRect();
    HEAPF32[xPtr >> 2] = rect.left + window.scrollX;
    HEAPF32[yPtr >> 2] = rect.top + window.scrollY;
  },
});
