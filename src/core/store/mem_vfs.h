#pragma once
// An in-memory file system that can crash, tear writes and run out of space: the store's tests
// drive every failure through it, deterministically.
//
// Crash model. Each file keeps its current bytes and its durable bytes (as of its last sync());
// each directory keeps its current entries and its durable entries (as of its last sync_dir()).
// Every mutating call (open with create, write, truncate, sync, rename, remove, sync_dir,
// make_dir) is one numbered operation. With FaultPlan::crash_at = k, operation k is the crash:
// a write persists only its first `torn_bytes` bytes (half by default), a rename, remove or
// truncate happens, a sync does nothing; that call and every later one return Code::crashed.
// after_crash() then builds the file system a restarted process would find:
//   durable:    only what was synced (a power cut that loses every unsynced byte and entry);
//   everything: every call up to the crash, including the torn write (the process was killed,
//               the operating system kept its cache; also what a browser tab crash leaves);
//   mixed:      for each entry and each file independently, durable or current bytes, or the
//               durable bytes plus some of the unsynced tail (a random, seeded choice).
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/store/vfs.h"

namespace onestop::store {

struct FaultPlan {
  int64_t crash_at = -1;            // operation index that crashes; -1: never
  uint64_t torn_bytes = UINT64_MAX;  // bytes of the crashing write that persist; max: half
  int64_t full_from_write = -1;     // write_at calls with this index and later fail with no_space
                                    // (after a short write of half their bytes); -1: never
};

enum class CrashView : uint8_t { durable, everything, mixed };

class MemVfs final : public Vfs {
 public:
  MemVfs() = default;

  void set_faults(const FaultPlan& plan) { plan_ = plan; }
  void set_disk_full(bool full) { disk_full_ = full; }  // every write fails while set
  uint64_t ops() const { return ops_; }        // mutating operations so far
  uint64_t writes() const { return writes_; }  // write_at calls so far
  bool crashed() const { return crashed_; }

  // Bytes passed to write_at and the paths written (write_at, truncate, create, rename target)
  // since the last reset_counters(): what one commit costs.
  uint64_t bytes_written() const { return bytes_written_; }
  const std::set<std::string>& paths_written() const { return paths_written_; }
  void reset_counters() {
    bytes_written_ = 0;
    paths_written_.clear();
  }

  // The file system a restarted process finds after the crash (or now, if none happened).
  MemVfs after_crash(CrashView view, uint64_t seed) const;

  // Direct access for tests that damage files on purpose (no operation is counted).
  std::map<std::string, std::string> snapshot_files() const;  // path -> current bytes
  void put_file(const std::string& path, const std::string& bytes);  // durable at once
  void delete_file(const std::string& path);
  bool has_file(const std::string& path) const { return ns_.count(path) != 0; }

  Status read_file(const std::string& path, std::string& out) override;
  Status read_range(const std::string& path, uint64_t offset, uint64_t size,
                    std::string& out) override;
  Status file_size(const std::string& path, uint64_t& size) override;
  Status open_file(const std::string& path, OpenMode mode,
                   std::unique_ptr<WritableFile>& out) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status remove(const std::string& path) override;
  Status list_dir(const std::string& dir, std::vector<std::string>& names) override;
  Status make_dir(const std::string& dir) override;
  Status sync_dir(const std::string& dir) override;

  struct Inode {
    std::string data;     // what reads see
    std::string durable;  // what survives a power cut
  };

 private:
  friend class MemFile;
  // Counts a mutating operation; true when it is the crashing one (the caller applies its
  // partial effect, then returns crashed_status()).
  bool next_op_crashes();
  static Status crashed_status() { return {Code::crashed, "simulated crash"}; }
  Status do_write(Inode& inode, const std::string& path, uint64_t offset, std::string_view bytes);

  FaultPlan plan_;
  uint64_t ops_ = 0, writes_ = 0;
  bool crashed_ = false;
  bool disk_full_ = false;
  uint64_t bytes_written_ = 0;
  std::set<std::string> paths_written_;
  std::map<std::string, std::shared_ptr<Inode>> ns_;          // current entries
  std::map<std::string, std::shared_ptr<Inode>> durable_ns_;  // entries as of the last sync_dir
  std::set<std::string> dirs_;
  // Entries created, renamed or removed since their directory's last sync_dir(), per directory.
  std::map<std::string, std::set<std::string>> unsynced_entries_;
  void entry_changed(const std::string& path);
};

}  // namespace onestop::store
