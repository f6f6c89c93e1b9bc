// JavaScript half of the platform layer, linked with --js-library. Calls back into C++ through
// exported functions (see main.cpp). Kept small: all decisions are made in C++.
mergeInto(LibraryManager.library, {
  $onestopStore: {
    mount: null,
    generation: 0,
    // A sync that aborts on a quota error may never call back (Emscripten 3.1.6): give up
    // after this long and report it, so the clerk sees an error instead of "saving" forever.
    timeoutMs: 10000,
  },

  // Asks the browser not to evict the data under storage pressure, then reports use and quota.
  $onestopReportStorage__deps: ['$onestopStore'],
  $onestopReportStorage: function() {
    if (!navigator.storage || !navigator.storage.estimate) return;
    var persisted = navigator.storage.persisted ? navigator.storage.persisted() : Promise.resolve(false);
    Promise.all([navigator.storage.estimate(), persisted]).then(function(r) {
      Module.ccall('onestop_on_storage', null, ['number', 'number', 'number'], [r[0].usage || 0, r[0].quota || 0, r[1] ? 1 : 0]);
    }, function() {});
  },

  // Mounts the store folder and fills it with the records store-load.js read from IndexedDB
  // (started by the page before the wasm arrived: Module.onestopStoreLoad, else now). Only the
  // first tab to take the writer lock may write; any other opens read-only (writable = 0).
  onestop_js_mount_and_load__deps: ['$onestopStore', '$onestopReportStorage', '$IDBFS', '$FS'],
  onestop_js_mount_and_load: function(dirPtr) {
    var dir = UTF8ToString(dirPtr);
    var done = function(ok, writable, msg) {
      Module.ccall('onestop_on_loaded', null, ['number', 'number', 'string'], [ok ? 1 : 0, writable ? 1 : 0, msg || '']);
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
    load.then(function(r) {
      if (r.db) IDBFS.dbs[dir] = r.db;  // the writes (onestop_js_persist) reuse this connection
      try {
        r.paths.forEach(function(path, i) {
          if (typeof path !== 'string' || path.indexOf(dir + '/') !== 0) return;  // not this mount's
          var rec = r.records[i];
          if (FS.isDir(rec.mode)) {
            if (!FS.analyzePath(path).exists) FS.mkdir(path, rec.mode);
          } else {
            FS.writeFile(path, rec.contents, { canOwn: true });
            FS.chmod(path, rec.mode);
          }
          FS.utime(path, rec.timestamp, rec.timestamp);
        });
      } catch (e) {
        done(false, false, 'load: ' + e);
        return;
      }
      done(true, r.writable, '');
    }, function(e) {
      done(false, false, (e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e)));
    });
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().then(onestopReportStorage, function() {});
    }
    var flush = function() { Module.ccall('onestop_flush', null, [], []); };
    document.addEventListener('visibilitychange', function() { if (document.visibilityState === 'hidden') flush(); });
    window.addEventListener('pagehide', flush);
  },

  // Persists exactly the files that changed, in ONE IndexedDB transaction (all or nothing), with
  // IDBFS's own record format so that the next start loads them like any IDBFS mount. Unlike
  // FS.syncfs, which lists every file of the mount and every key of the database, this costs
  // the same whatever the store's size. `json` = {"written": [paths], "removed": [paths]}.
  onestop_js_persist__deps: ['$onestopStore', '$onestopReportStorage', '$IDBFS', '$FS', '$PATH'],
  onestop_js_persist: function(jsonPtr) {
    var changes = JSON.parse(UTF8ToString(jsonPtr));
    var gen = ++onestopStore.generation;
    var settled = false;
    var timer;
    var report = function(ok, msg) {
      if (settled || gen !== onestopStore.generation) return;
      settled = true;
      clearTimeout(timer);
      Module.ccall('onestop_on_synced', null, ['number', 'string'], [ok ? 1 : 0, msg || '']);
      onestopReportStorage();
    };
    var describe = function(err) { return err ? ((err.name ? err.name + ': ' : '') + (err.message || String(err))) : 'IndexedDB transaction aborted'; };
    timer = setTimeout(function() { report(false, 'IndexedDB did not answer within ' + onestopStore.timeoutMs / 1000 + ' s'); }, onestopStore.timeoutMs);
    IDBFS.getDB(onestopStore.mount.mountpoint, function(err, db) {
      if (err) { report(false, describe(err)); return; }
      var tx;
      try {
        // strict: complete only once the data is flushed to disk (a power cut loses nothing
        // shown as saved); measured no slower than relaxed here (docs/performance.md).
        tx = db.transaction([IDBFS.DB_STORE_NAME], 'readwrite', { durability: 'strict' });
      } catch (e) {
        report(false, describe(e));
        return;
      }
      var store = tx.objectStore(IDBFS.DB_STORE_NAME);
      var failed = function(e) { if (e) { try { tx.abort(); } catch (ignored) {} report(false, describe(e)); } };
      tx.oncomplete = function() { report(true, ''); };
      tx.onabort = function() { report(false, describe(tx.error)); };
      tx.onerror = function(e) { e.preventDefault(); };  // the abort that follows reports it
      // Parent folders first, so that loading recreates them before their files.
      var dirs = {};
      changes.written.forEach(function(path) {
        for (var d = PATH.dirname(path); d.length > onestopStore.mount.mountpoint.length; d = PATH.dirname(d)) dirs[d] = true;
      });
      Object.keys(dirs).sort().concat(changes.written).forEach(function(path) {
        IDBFS.loadLocalEntry(path, function(e, entry) {
          if (e) { failed(e); return; }
          IDBFS.storeRemoteEntry(store, path, entry, failed);
        });
      });
      changes.removed.forEach(function(path) { IDBFS.removeRemoteEntry(store, path, failed); });
    });
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
