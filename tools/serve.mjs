// A small static file server for the built site (shell/run, browser tests, benchmarks).
// Usage: node tools/serve.mjs DIR [PORT] [HOST]   (PORT 0 = any free port; prints the URL)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.otf': 'font/otf',
  '.svg': 'image/svg+xml', '.png': 'image/png',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.css': 'text/css',
};

// `headers`: more response headers for every file (the store bench makes its pages cross-origin
// isolated with them, for timers of a few microseconds instead of 100).
export function serve(root, port = 0, host = '127.0.0.1', headers = {}) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Length': st.size,
        // Always revalidate: the service worker, not the HTTP cache, keeps the offline copy.
        'Cache-Control': 'no-cache',
        ...headers,
      });
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, port = '8080', host = '127.0.0.1'] = process.argv.slice(2);
  serve(dir, Number(port), host).then(({ url }) => {
    console.log(`OneStop is served at ${url}  (Ctrl+C stops)`);
  }, (e) => { console.error(`cannot serve on ${host}:${port}: ${e.message}`); process.exit(1); });
}
