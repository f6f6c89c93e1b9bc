#pragma once
// What `onestop store stats` and `onestop store digest` compute, as library calls: the command
// line prints them, the tests run them on thousands of damaged stores.
#include <cstdint>
#include <optional>
#include <string>

#include "core/store/store.h"

namespace onestop::store {

struct StoreStats {
  uint64_t events = 0;              // records that can be read
  std::optional<uint64_t> cases;    // distinct case ids; nullopt without a decoder
  uint64_t undecodable = 0;         // records the decoder could not read
  uint64_t bytes = 0;               // all of the store's files
  uint64_t segments = 0;
  uint64_t snapshots = 0;
  uint64_t last_seq = 0;
  uint64_t snapshot_seq = 0;
  bool damaged = false;
};

// Reads every record (a damaged store: every readable one).
Status compute_stats(Store& store, const CaseOf& case_of, StoreStats& out);
// {"events":…,"cases":…|null,"bytes":…,"segments":…,"snapshots":…,…} on one line.
std::string stats_json(const StoreStats& s);

// SHA-256 over the records in order (each as seq u64 | length u64 | bytes, little-endian, after
// a fixed prefix): the same records give the same digest whatever the segment layout and
// whether a snapshot exists. Refuses (Code::damaged) when a record cannot be read.
Status compute_digest(Store& store, std::string& hex);

}  // namespace onestop::store
