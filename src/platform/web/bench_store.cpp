// The store benchmark's wasm module (issue 4, shell/bench → tests/browser/bench_store.mjs): the
// real engine and event store on the IDBFS-mounted MEMFS folder /data, persisted through the
// app's own WebPersistence + library_onestop.js (onestop_js_persist: the changed files in one
// strict IndexedDB transaction). No ImGui, no SDL: the page (web/bench/onestop.html) drives it
// with Module.ccall; asynchronous results arrive through Module.onBenchLoaded / onBenchSynced.
//
//   bench_mount()            mount + load /data from IndexedDB (→ Module.onBenchLoaded)
//   bench_prepare()          the built-in rules parsed while the store loads, as in the app
//   bench_open()             Ledger::open on /data/store (the snapshot + the events after it;
//                            the older segments still in IndexedDB, as in the app) → 0 ok
//   bench_load_rest()        reads the older segments, checks them (→ Module.onBenchRestLoaded)
//   bench_create(n, seed)    n more cases through run_demo, each command committed to the store;
//                            then ONE persist of every file changed meanwhile (→ onBenchSynced)
//   bench_snapshot_step(k)   k more customers or cases of a state snapshot (Ledger::snapshot_step);
//                            once written, its files persisted (→ onBenchSynced)
//   bench_commit_one(i)      one engine command (save_customer: one event) → ledger commit →
//                            persist of the changed files (→ onBenchSynced)
//   bench_export(from, max)  events from seq `from` on, as a JSON array of the records' JSON
//   bench_stats()            JSON: events, cases, store bytes, files, heap bytes
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/demo.h"
#include "core/ledger.h"
#include "core/process.h"
#include "core/store/vfs.h"
#include "platform/web/web_persistence.h"

namespace {

constexpr const char* kSite = "BJ01";
constexpr const char* kStoreName = "store";  // the app's layout: /data/store

struct Bench {
  onestop::web::WebPersistence persistence;
  onestop::store::PosixVfs vfs;
  onestop::Directory directory;
  std::unique_ptr<onestop::Ledger> ledger;
  std::string out;  // the last string handed to JavaScript
  onestop::DemoReport last_report;
  // What the open put off (details, text postings), completed in the app's slices.
  int complete_slices = 0;
  double complete_max_ms = 0, complete_total_ms = 0;
};

Bench& bench() {
  static Bench b;
  return b;
}

std::string store_dir() { return std::string(onestop::web::kDataDir) + "/" + kStoreName; }

// The ledger's changed files → WebPersistence (one sync in flight, the rest coalesced).
void persist_changes() {
  Bench& b = bench();
  const onestop::store::FileChanges changes = b.ledger->take_changes();
  std::vector<std::string> written, removed;
  std::map<std::string, uint64_t> unchanged_prefix;
  const auto in_data = [](const std::string& f) { return std::string(kStoreName) + "/" + f; };
  for (const auto& f : changes.written) written.push_back(in_data(f));
  for (const auto& f : changes.removed) removed.push_back(in_data(f));
  for (const auto& [f, n] : changes.unchanged_prefix) unchanged_prefix.emplace(in_data(f), n);
  b.persistence.files_changed(written, removed, unchanged_prefix);
}

EM_JS(void, bench_js_loaded, (int ok, int writable, const char* msg), {
  if (Module.onBenchLoaded) Module.onBenchLoaded(ok, writable, UTF8ToString(msg));
});
EM_JS(void, bench_js_synced, (int ok, const char* msg), {
  if (Module.onBenchSynced) Module.onBenchSynced(ok, UTF8ToString(msg));
});
EM_JS(void, bench_js_rest_loaded, (int ok, const char* msg), {
  if (Module.onBenchRestLoaded) Module.onBenchRestLoaded(ok, UTF8ToString(msg));
});
EM_JS(double, bench_js_heap_bytes, (), { return HEAP8.length; });

}  // namespace

extern "C" {

// --- Callbacks from library_onestop.js (the same names the app exports) -------------------
EMSCRIPTEN_KEEPALIVE void onestop_on_loaded(int ok, int writable, const char* message, double loaded_from) {
  bench().persistence.on_loaded(ok != 0, writable != 0, message ? message : "",
                                static_cast<uint64_t>(loaded_from));
  bench_js_loaded(ok, writable, message ? message : "");
}

// The older segments are in MEMFS: the ledger checks their headers, then every record (what the
// app does a slice per frame), so that "all loaded" includes the check.
EMSCRIPTEN_KEEPALIVE void onestop_on_rest_loaded(int ok, const char* message) {
  Bench& b = bench();
  b.persistence.on_rest_loaded(ok != 0);
  bool checked = false;
  if (ok && b.ledger && b.ledger->segments_loaded().ok()) {
    while (!b.ledger->check_step(1u << 30)) {
    }
    // In the app's slices (kCompleteSliceCases, src/app/app_state.h): one a frame.
    for (bool done = false; !done;) {
      const double t0 = emscripten_get_now();
      done = b.ledger->complete_step(5000);
      const double ms = emscripten_get_now() - t0;
      ++b.complete_slices;
      b.complete_total_ms += ms;
      if (ms > b.complete_max_ms) b.complete_max_ms = ms;
    }
    checked = !b.ledger->read_only();
  }
  bench_js_rest_loaded(ok && checked ? 1 : 0, message ? message : "");
}

EMSCRIPTEN_KEEPALIVE void onestop_on_storage(double, double, int) {}

EMSCRIPTEN_KEEPALIVE void onestop_on_synced(int ok, const char* message) {
  Bench& b = bench();
  b.persistence.on_synced(ok != 0, message ? message : "");
  // Coalesced changes start the next sync at once: "synced" is when nothing is left.
  if (!ok || b.persistence.state() == onestop::app::StoreState::idle) {
    bench_js_synced(ok, message ? message : "");
  }
}

EMSCRIPTEN_KEEPALIVE void onestop_flush() { bench().persistence.flush(); }

// --- The benchmark's entry points ----------------------------------------------------------
EMSCRIPTEN_KEEPALIVE void bench_mount() { bench().persistence.start(); }

// What the app does while its store is loading (app::parse_builtin_rules): the built-in rules
// parsed ahead of the open that needs them.
EMSCRIPTEN_KEEPALIVE void bench_prepare() {
  onestop::builtin_processes();
  onestop::WorkCalendar::builtin();
}

EMSCRIPTEN_KEEPALIVE int bench_open() {
  Bench& b = bench();
  const onestop::ProcessBook& book = onestop::builtin_processes();
  b.directory = onestop::demo_directory(book, kSite);
  onestop::Ledger::Setup setup;
  setup.book = &book;
  setup.directory = &b.directory;
  setup.calendar = &onestop::WorkCalendar::builtin();
  setup.site = kSite;
  setup.loaded_from_segment = b.persistence.loaded_from_segment();
  setup.files_in_memory = b.persistence.files_in_memory();  // as the app
  const onestop::store::Status st = onestop::Ledger::open(b.vfs, store_dir(), setup, b.ledger);
  if (!st.ok()) {
    std::fprintf(stderr, "bench_open: %s\n", st.to_string().c_str());
    return 1;
  }
  if (b.ledger->read_only()) return 2;
  b.persistence.ledger_opened();  // as the app does: the next start warms the heap up
  persist_changes();  // a new store's first files
  return 0;
}

// Opens the same store again in this page, the previous state freed first: its memory is then
// reused instead of fresh, which tells how much of the open is first-touching memory.
EMSCRIPTEN_KEEPALIVE int bench_reopen() {
  bench().ledger.reset();
  return bench_open();
}

EMSCRIPTEN_KEEPALIVE int bench_load_rest() {
  if (bench().persistence.loaded_from_segment() == 0) return 0;
  bench().persistence.load_rest();
  return 1;
}

// Creates `cases` more cases. Every command the engine accepts is committed to the store as it
// happens (Ledger::retry() commits what the command appended); the IndexedDB writes are batched:
// one persist of all the files changed by the whole call.
EMSCRIPTEN_KEEPALIVE int bench_create(int cases, int seed) {
  Bench& b = bench();
  if (!b.ledger) return -1;
  bool ok = true;
  size_t commits = 0;
  b.ledger->submit([&](onestop::Engine& engine) {
    onestop::DemoOptions options;
    options.cases = static_cast<size_t>(cases);
    options.seed = static_cast<uint64_t>(seed);
    b.last_report = onestop::run_demo(engine, onestop::builtin_processes(), b.directory, options, [&]() {
      ok = b.ledger->retry().ok();
      ++commits;
      return ok;
    });
    return onestop::Result{};
  });
  if (!ok || !b.ledger->commit_status().ok()) return -2;
  persist_changes();
  return static_cast<int>(b.last_report.events);
}

// One slice of a snapshot as the app writes it in a quiet moment (Ledger::snapshot_step with
// app::kSnapshotSliceItems): 0 while unfinished; once written, its files are persisted and its
// size in bytes returned (negative: error).
EMSCRIPTEN_KEEPALIVE double bench_snapshot_step(int max_items) {
  Bench& b = bench();
  if (!b.ledger) return -1;
  const auto done = b.ledger->snapshot_step(static_cast<size_t>(max_items));
  if (!done) return 0;
  if (!done->ok()) return -2;
  persist_changes();
  const auto snap = b.ledger->store().snapshot();
  return snap ? static_cast<double>(snap->bytes) : -3;
}

// One durable commit of one event: a customer record saved (one customer_saved event).
EMSCRIPTEN_KEEPALIVE int bench_commit_one(int i) {
  Bench& b = bench();
  if (!b.ledger) return -1;
  onestop::SaveCustomerCmd cmd;
  cmd.actor = "WINDOW-ACCEPTOR";
  cmd.time = static_cast<onestop::Millis>(emscripten_date_now());
  cmd.customer.number = "9" + std::to_string(10000000 + i % 500);
  cmd.customer.name = "基准用户 " + std::to_string(i);
  cmd.customer.address = "荆门市京山市基准路" + std::to_string(i) + "号";
  cmd.customer.phone = "1380000" + std::to_string(1000 + i % 9000);
  cmd.customer.caliber_dn = 20;
  cmd.customer.base_volume = 15;
  const onestop::Result r = b.ledger->submit([&](onestop::Engine& e) { return e.save_customer(cmd); });
  if (!r.ok || !b.ledger->commit_status().ok()) return -2;
  persist_changes();
  return static_cast<int>(r.events);
}

// Records from `from` (seq) on, at most `max`, as a JSON array of strings (each an event's JSON).
EMSCRIPTEN_KEEPALIVE const char* bench_export(double from, int max) {
  Bench& b = bench();
  nlohmann::json arr = nlohmann::json::array();
  if (b.ledger) {
    auto& store = const_cast<onestop::store::Store&>(b.ledger->store());
    int n = 0;
    store.scan(static_cast<uint64_t>(from), [&](uint64_t, std::string_view rec) {
      arr.push_back(std::string(rec));
      return ++n < max;
    });
  }
  b.out = arr.dump();
  return b.out.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* bench_stats() {
  Bench& b = bench();
  nlohmann::json j;
  if (b.ledger) {
    auto& store = const_cast<onestop::store::Store&>(b.ledger->store());
    std::vector<onestop::store::StoreFileInfo> files;
    store.files(files);
    uint64_t bytes = 0;
    for (const auto& f : files) bytes += f.bytes;
    j["events"] = store.last_seq();
    j["cases"] = b.ledger->engine().state().case_count();
    j["arena_bytes"] = b.ledger->engine().state().arena_bytes();  // the cases, their strings and lists
    j["files"] = files.size();
    j["store_bytes"] = bytes;
    j["segments"] = store.segment_count();
    j["demo_refused"] = b.last_report.refused;
    j["snapshot_seq"] = store.snapshot() ? store.snapshot()->seq : 0;
    j["opened_from_snapshot"] = b.ledger->opened_from_snapshot();
    j["unloaded_segments"] = store.unloaded_segments();
    const auto& t = b.ledger->open_times();
    j["open_ms"] = {{"store", t.store}, {"read", t.read}, {"decode", t.decode}, {"replay", t.replay}};
    j["details_error"] = b.ledger->engine().state().details_error();  // "" when all decoded
    j["complete"] = {{"slices", b.complete_slices},
                     {"max_ms", b.complete_max_ms},
                     {"total_ms", b.complete_total_ms}};
  }
  j["heap_bytes"] = bench_js_heap_bytes();
  j["state"] = static_cast<int>(b.persistence.state());
  j["error"] = b.persistence.last_error();
  b.out = j.dump();
  return b.out.c_str();
}

}  // extern "C"

int main() { return 0; }
