// The peers' workload (Dexie, SQLite-Wasm): OneStop's own events. The driver exports the events
// of OneStop's first 1,000 demo cases (bench_export) and hands them here as JSON strings; round r
// repeats them with every case id suffixed "/r", so 100 rounds = 100,000 cases of ~7.6 events
// with the same types, sizes and case mix as OneStop's store holds.
export function rows(sample, round) {
  return sample.map((json) => {
    const e = JSON.parse(json);
    const id = e.case ? (round ? `${e.case}/${round}` : e.case) : '';
    return { caseId: id, type: e.type || '', payload: round && e.case ? json.split(e.case).join(id) : json };
  });
}
export function median(a) { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; }
