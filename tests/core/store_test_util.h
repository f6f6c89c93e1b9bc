#pragma once
// Helpers shared by the store tests: a deterministic workload of commands (each a batch of
// records committed together), a driver that runs it until the file system fails, and checks.
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/store/mem_vfs.h"
#include "core/store/sha256.h"
#include "core/store/store.h"

namespace onestop::store::testing {

inline const std::string kDir = "/data/store";

// Records look like "C0042|<seq-in-workload>|<random printable bytes>": the case is "C0042".
inline std::optional<std::string> case_of(std::string_view rec) {
  if (rec.size() < 6 || rec[0] != 'C' || rec[5] != '|') return std::nullopt;
  return std::string(rec.substr(0, 5));
}

struct Workload {
  std::vector<std::vector<std::string>> commands;
  std::set<size_t> snapshot_after;  // write a snapshot after these commands
};

inline Workload make_workload(uint64_t seed, size_t commands, size_t max_record = 200) {
  std::mt19937_64 rng(seed);
  Workload w;
  size_t n = 0;
  for (size_t i = 0; i < commands; ++i) {
    std::vector<std::string> batch;
    const size_t k = 1 + rng() % 3;
    for (size_t j = 0; j < k; ++j) {
      char head[32];
      std::snprintf(head, sizeof head, "C%04u|%zu|", static_cast<unsigned>(rng() % 60), n++);
      std::string rec = head;
      const size_t len = rng() % (max_record + 1);
      for (size_t b = 0; b < len; ++b) rec += static_cast<char>(' ' + rng() % 95);
      batch.push_back(std::move(rec));
    }
    w.commands.push_back(std::move(batch));
    if (i % 37 == 36) w.snapshot_after.insert(i);
  }
  return w;
}

// The snapshot of the first `count` records: their count and hash, as the caller's "state".
inline std::string snapshot_of(const std::vector<std::string>& records, size_t count) {
  Sha256 h;
  for (size_t i = 0; i < count; ++i) {
    h.update(records[i]);
    h.update("\n", 1);
  }
  return "state after " + std::to_string(count) + " records: " + h.finish_hex();
}

struct RunResult {
  bool opened = false;
  size_t commands_acked = 0;
  std::vector<std::string> acked;     // records of acknowledged commands, in order
  std::vector<std::string> inflight;  // the batch whose commit failed
  uint64_t snapshot_seq = 0;          // the last snapshot whose write returned ok
  Status failure;
};

inline OpenOptions small_segments(uint32_t segment_bytes = 1024) {
  OpenOptions o;
  o.create = true;
  o.segment_bytes = segment_bytes;
  o.case_of = case_of;
  return o;
}

// Runs the workload until a call fails (the simulated crash or a full disk).
inline RunResult run_workload(Vfs& vfs, const Workload& w, const OpenOptions& o) {
  RunResult r;
  std::unique_ptr<Store> s;
  r.failure = Store::open(vfs, kDir, o, s);
  if (!r.failure.ok()) return r;
  r.opened = true;
  for (size_t i = 0; i < w.commands.size(); ++i) {
    for (const auto& rec : w.commands[i]) {
      r.failure = s->append(rec);
      if (!r.failure.ok()) return r;
    }
    r.failure = s->commit();
    if (!r.failure.ok()) {
      r.inflight = w.commands[i];
      return r;
    }
    r.acked.insert(r.acked.end(), w.commands[i].begin(), w.commands[i].end());
    ++r.commands_acked;
    if (w.snapshot_after.count(i) != 0) {
      r.failure = s->write_snapshot(s->last_seq(), snapshot_of(r.acked, r.acked.size()));
      if (!r.failure.ok()) return r;
      r.snapshot_seq = s->last_seq();
    }
  }
  return r;
}

inline std::vector<std::string> read_all(Store& s, Status* status = nullptr) {
  std::vector<std::string> out;
  const Status st = s.scan(1, [&](uint64_t, std::string_view rec) {
    out.emplace_back(rec);
    return true;
  });
  if (status != nullptr) *status = st;
  return out;
}

inline std::string describe_all(const Store& s) {
  std::string out;
  for (const auto& d : s.damage())
    out += d.file + " @" + std::to_string(d.offset) + ": " + d.describe(Lang::en) + "\n";
  return out;
}

// A copy of `fs` (current bytes) as a fresh file system.
inline MemVfs copy_of(const MemVfs& fs) { return fs.after_crash(CrashView::everything, 0); }

}  // namespace onestop::store::testing
