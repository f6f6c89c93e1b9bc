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

  onestop_js_mount_and_load__deps: ['$onestopStore', '$IDBFS', '$FS'],
  onestop_js_mount_and_load: function(dirPtr) {
    var dir = UTF8ToString(dirPtr);
    var done = function(ok, msg) { Module.ccall('onestop_on_loaded', null, ['number', 'string'], [ok ? 1 : 0, msg || '']); };
    try {
      FS.mkdir(dir);
      // Its own mount, synced alone: a sync then walks only this mount's files.
      onestopStore.mount = FS.mount(IDBFS, {}, dir).mount;
    } catch (e) {
      done(false, 'mount: ' + e);
      return;
    }
    IDBFS.syncfs(onestopStore.mount, true, function(err) { done(!err, err ? String(err) : ''); });
    var flush = function() { Module.ccall('onestop_flush', null, [], []); };
    document.addEventListener('visibilitychange', function() { if (document.visibilityState === 'hidden') flush(); });
    window.addEventListener('pagehide', flush);
  },

  onestop_js_sync__deps: ['$onestopStore', '$IDBFS'],
  onestop_js_sync: function() {
    var gen = ++onestopStore.generation;
    var settled = false;
    var report = function(ok, msg) {
      if (settled || gen !== onestopStore.generation) return;
      settled = true;
      clearTimeout(timer);
      Module.ccall('onestop_on_synced', null, ['number', 'string'], [ok ? 1 : 0, msg || '']);
    };
    var timer = setTimeout(function() { report(false, 'IndexedDB did not answer within ' + onestopStore.timeoutMs / 1000 + ' s'); }, onestopStore.timeoutMs);
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
