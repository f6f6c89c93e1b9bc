// JavaScript half of the platform layer, linked with --js-library. Calls back into C++ through
// exported functions (see main.cpp). Kept small: all decisions are made in C++.
mergeInto(LibraryManager.library, {
  $onestopStore: {
    mount: null,
    generation: 0,
    abortHandler: null,  // set while a sync is in flight
    // A sync that aborts on a quota error may never call back (Emscripten 3.1.6): give up
    // after this long and report it, so the clerk sees an error instead of "saving" forever.
    timeoutMs: 10000,
  },

  // Only one tab may write the store: the first to take the Web Lock owns it until it closes;
  // any other tab opens read-only (told to C++ as writable = 0) and never syncs to IndexedDB.
  $onestopAcquireWriter: function(then) {
    if (!navigator.locks) { then(true); return; }  // no Web Locks (very old browser): one tab assumed
    navigator.locks.request('onestop-store-writer', { ifAvailable: true }, function(lock) {
      then(lock !== null);
      // Held for the life of the page: the promise never settles.
      return lock ? new Promise(function() {}) : undefined;
    }).catch(function() { then(true); });
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

  onestop_js_mount_and_load__deps: ['$onestopStore', '$onestopAcquireWriter', '$onestopReportStorage', '$IDBFS', '$FS'],
  onestop_js_mount_and_load: function(dirPtr) {
    var dir = UTF8ToString(dirPtr);
    var done = function(ok, writable, msg) {
      Module.ccall('onestop_on_loaded', null, ['number', 'number', 'string'], [ok ? 1 : 0, writable ? 1 : 0, msg || '']);
      onestopReportStorage();
    };
    // IDBFS (3.1.6) listens for a transaction's `error` but not its `abort`, and a quota error
    // aborts the commit: its callback then never comes. Watch the aborts of IDBFS's own
    // transactions so the clerk sees the quota error at once (the timeout stays as a fallback).
    if (!IDBFS.onestopWatched) {
      IDBFS.onestopWatched = true;
      var getDB = IDBFS.getDB;
      IDBFS.getDB = function(name, callback) {
        getDB(name, function(err, db) {
          if (db && !db.onestopWatched) {
            db.onestopWatched = true;
            var transaction = db.transaction;
            db.transaction = function() {
              var tx = transaction.apply(db, arguments);
              tx.addEventListener('abort', function() {
                if (onestopStore.abortHandler) onestopStore.abortHandler(tx.error);
              });
              return tx;
            };
          }
          callback(err, db);
        });
      };
    }
    try {
      FS.mkdir(dir);
      // Its own mount, synced alone: a sync then walks only this mount's files.
      onestopStore.mount = FS.mount(IDBFS, {}, dir).mount;
    } catch (e) {
      done(false, false, 'mount: ' + e);
      return;
    }
    onestopAcquireWriter(function(writable) {
      IDBFS.syncfs(onestopStore.mount, true, function(err) { done(!err, writable, err ? String(err) : ''); });
    });
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().then(onestopReportStorage, function() {});
    }
    var flush = function() { Module.ccall('onestop_flush', null, [], []); };
    document.addEventListener('visibilitychange', function() { if (document.visibilityState === 'hidden') flush(); });
    window.addEventListener('pagehide', flush);
  },

  onestop_js_sync__deps: ['$onestopStore', '$onestopReportStorage', '$IDBFS'],
  onestop_js_sync: function() {
    var gen = ++onestopStore.generation;
    var settled = false;
    var report = function(ok, msg) {
      if (settled || gen !== onestopStore.generation) return;
      settled = true;
      clearTimeout(timer);
      Module.ccall('onestop_on_synced', null, ['number', 'string'], [ok ? 1 : 0, msg || '']);
      onestopReportStorage();
    };
    var timer = setTimeout(function() { report(false, 'IndexedDB did not answer within ' + onestopStore.timeoutMs / 1000 + ' s'); }, onestopStore.timeoutMs);
    onestopStore.abortHandler = function(err) {
      report(false, err ? (err.name + ': ' + (err.message || '')) : 'IndexedDB transaction aborted');
    };
    try {
      IDBFS.syncfs(onestopStore.mount, false, function(err) {
        report(!err, err ? (err.name ? err.name + ': ' + (err.message || '') : String(err)) : '');
      });
    } catch (e) {
      report(false, String(e));
    }
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

  onestop_js_canvas_origin: function(xPtr, yPtr) {
    var rect = Module.canvas.getBoundingClientRect();
    HEAPF32[xPtr >> 2] = rect.left + window.scrollX;
    HEAPF32[yPtr >> 2] = rect.top + window.scrollY;
  },
});
