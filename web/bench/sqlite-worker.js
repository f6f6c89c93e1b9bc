// SQLite-Wasm worker for sqlite.html: one table of events (seq, case_id, type, payload) with an
// index on case_id, in OPFS through the opfs-sahpool VFS. Default settings: rollback journal,
// synchronous=FULL, so a COMMIT returns after the OPFS handles were flushed.
import sqlite3InitModule from './sqlite-wasm/index.mjs';

let sqlite3 = null, db = null, heapPeak = 0;
const heap = () => { const h = sqlite3 ? sqlite3.wasm.heap8u().length : 0; heapPeak = Math.max(heapPeak, h); return h; };
const ops = {
  async open() {
    const t0 = performance.now();
    sqlite3 = await sqlite3InitModule();
    const pool = await sqlite3.installOpfsSAHPoolVfs({ name: 'bench-pool' });
    const initMs = performance.now() - t0;
    db = new pool.OpfsSAHPoolDb('/bench.sqlite3');
    db.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, case_id TEXT, type TEXT, payload TEXT);' +
            'CREATE INDEX IF NOT EXISTS events_case ON events(case_id);');
    return { heap: heap(), initMs, vfs: 'opfs-sahpool' };
  },
  cases() { return db.selectValue('SELECT count(*) FROM (SELECT DISTINCT case_id FROM events)'); },
  loadAll() {
    const byCase = new Map();
    let n = 0;
    db.exec({ sql: 'SELECT seq, case_id, type, payload FROM events ORDER BY seq', rowMode: 'array', callback: (r) => {
      n++; let a = byCase.get(r[1]); if (!a) byCase.set(r[1], a = []); a.push(r);
    } });
    heap();
    return n;
  },
  insertBatch({ rows }) {
    db.transaction((d) => {
      const st = d.prepare('INSERT INTO events (case_id, type, payload) VALUES (?, ?, ?)');
      try { for (const r of rows) st.bind([r.caseId, r.type, r.payload]).stepReset(); } finally { st.finalize(); }
    });
    heap();
    return rows.length;
  },
  insertOne({ row }) {
    db.exec({ sql: 'INSERT INTO events (case_id, type, payload) VALUES (?, ?, ?)', bind: [row.caseId, row.type, row.payload] });
    return 1;
  },
  stats() {
    const pages = db.selectValue('PRAGMA page_count'), size = db.selectValue('PRAGMA page_size');
    return { dbBytes: pages * size, events: db.selectValue('SELECT count(*) FROM events'),
      journal: db.selectValue('PRAGMA journal_mode'), synchronous: db.selectValue('PRAGMA synchronous'),
      heap: heap(), heapPeak };
  },
};
onmessage = async (m) => {
  const { id, op } = m.data;
  try { postMessage({ id, ok: true, result: await ops[op](m.data) }); } catch (e) { postMessage({ id, ok: false, error: String(e && e.stack || e) }); }
};
