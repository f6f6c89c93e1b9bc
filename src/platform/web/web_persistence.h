#pragma once
// Persistence on IndexedDB: files live in MEMFS under /data (an IDBFS mount); the files that
// changed are copied to IndexedDB in one transaction per sync — a file that only grew as just
// its new bytes (library_onestop.js; the records are described in docs/store-format.md).
// One sync in flight at a time; changes made meanwhile coalesce into one follow-up sync;
// "saved" (idle) only after IndexedDB reported the transaction complete.
#include <map>
#include <string>
#include <vector>

#include "app/app_state.h"

namespace onestop::web {

inline constexpr const char* kDataDir = "/data";

class WebPersistence final : public app::Persistence {
 public:
  // Mounts /data and starts loading it from IndexedDB; state() is `loading` until done.
  void start();
  app::StoreState state() const override { return state_; }
  const std::string& last_error() const override { return error_; }
  bool read_only() const override { return read_only_; }
  const app::StorageInfo& storage() const override { return storage_; }
  void save_file(const std::string& name, const std::string& bytes) override;
  void files_changed(const std::vector<std::string>& written,
                     const std::vector<std::string>& removed,
                     const std::map<std::string, uint64_t>& unchanged_prefix) override;

  uint64_t loaded_from_segment() const override { return loaded_from_; }
  // MEMFS; each sync stores every file changed since the last in ONE IndexedDB transaction.
  bool files_in_memory() const override { return true; }
  // Starts reading the older segments left in IndexedDB (once); JavaScript calls back
  // onestop_on_rest_loaded.
  void load_rest() override;
  // How many segments the start left in IndexedDB (whether loaded since or not).
  uint64_t segments_left_out() const { return left_out_; }
  double rest_load_ms() const { return rest_ms_; }

  bool loaded() const { return loaded_; }
  // Reads a file of the store; false when it does not exist.
  bool read_file(const std::string& name, std::string& out) const;
  // Called from JavaScript when the load or a sync finished (ok = false: error message).
  // `loaded_from_segment`: the store segments below it were left in IndexedDB (0: none).
  void on_loaded(bool ok, bool writable, const std::string& message, uint64_t loaded_from_segment);
  void on_rest_loaded(bool ok);
  void on_synced(bool ok, const std::string& message);
  void on_storage(const app::StorageInfo& info) { storage_ = info; }
  // Page hidden or closing: start the sync of anything still waiting.
  void flush();
  // Notes the heap's size for the next start's warm-up (onestop_heap_warm_step in the .cpp).
  void ledger_opened() override;

 private:
  void request_sync();

  app::StoreState state_ = app::StoreState::loading;
  std::string error_;
  bool loaded_ = false;
  bool read_only_ = false;
  uint64_t loaded_from_ = 0;
  uint64_t left_out_ = 0;
  bool rest_requested_ = false;
  double rest_started_ = 0, rest_ms_ = 0;
  app::StorageInfo storage_;
  bool in_flight_ = false;
  // A change to one file: removed, or written from byte `from` on (0: the whole file).
  struct Change {
    bool written = true;
    uint64_t from = 0;
  };
  // Adds `c` to the changes already waiting for `path`: the earliest changed byte counts.
  static void merge(std::map<std::string, Change>& into, const std::string& path, Change c);
  // Changes waiting for the next sync, and those of the sync in flight (put back if it fails).
  std::map<std::string, Change> pending_, in_flight_set_;
};

}  // namespace onestop::web
