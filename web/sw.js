// OneStop's service worker: after one visit the app starts and works with the network cut.
// Build @BUILD_ID@ (a hash of every file below, written at build time): a new build installs a
// new cache and removes the old one.
'use strict';
const CACHE = 'onestop-@BUILD_ID@';
const FILES = ['./', 'index.html', 'store-load.js', 'onestop.js', 'onestop.wasm', 'onestop-sc.ttf',
  'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('onestop-') && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Cache first: the files of one build never change, and a counter must start even when the
// branch's line is down. A new build arrives through a new sw.js (checked by the browser).
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  event.respondWith(caches.open(CACHE).then((cache) =>
    cache.match(event.request, { ignoreSearch: true }).then((hit) => hit || fetch(event.request))));
});
