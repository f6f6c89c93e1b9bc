#pragma once
// Persistence on IndexedDB through Emscripten's IDBFS: files live in MEMFS under /data and are
// copied to IndexedDB by a sync. One sync in flight at a time; changes made meanwhile coalesce
// into one follow-up sync; "saved" (idle) only after the sync callback reported success.
#include <string>

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

  bool loaded() const { return loaded_; }
  // Reads a file of the store; false when it does not exist.
  bool read_file(const std::string& name, std::string& out) const;
  // Called from JavaScript when a load or a sync finished (ok = false: error message).
  void on_loaded(bool ok, bool writable, const std::string& message);
  void on_storage(const app::StorageInfo& info) { storage_ = info; }
  void on_synced(bool ok, const std::string& message);
  // Page hidden or closing: make sure nothing waits for a later sync.
  void flush();

 private:
  void request_sync();

  app::StoreState state_ = app::StoreState::loading;
  std::string error_;
  bool loaded_ = false;
  bool read_only_ = false;
  app::StorageInfo storage_;
  bool in_flight_ = false;
  bool pending_ = false;  // a change arrived while a sync was in flight
};

}  // namespace onestop::web
