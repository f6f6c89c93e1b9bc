#pragma once
// The store's view of a file system: the few calls it needs, errors by value. PosixVfs works
// natively and under Emscripten (MEMFS / IDBFS); MemVfs (mem_vfs.h) simulates crashes and full
// disks for tests. A web layer may wrap either to learn which files each call touched, but
// Store::take_changes() already reports that.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/status.h"

namespace onestop::store {

// A file open for writing. Writes are not durable before sync() returns ok.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status write_at(uint64_t offset, std::string_view bytes) = 0;
  virtual Status truncate(uint64_t size) = 0;
  virtual Status sync() = 0;
};

enum class OpenMode : uint8_t {
  create_truncate,  // create the file, or empty an existing one
  existing,         // the file must exist; its bytes stay
};

class Vfs {
 public:
  virtual ~Vfs() = default;
  // The whole file into `out`.
  virtual Status read_file(const std::string& path, std::string& out) = 0;
  // Up to `size` bytes from `offset` (fewer at the end of the file).
  virtual Status read_range(const std::string& path, uint64_t offset, uint64_t size,
                            std::string& out) = 0;
  virtual Status file_size(const std::string& path, uint64_t& size) = 0;
  virtual Status open_file(const std::string& path, OpenMode mode,
                           std::unique_ptr<WritableFile>& out) = 0;
  // Atomically replaces `to` (if it exists) by `from`.
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  virtual Status remove(const std::string& path) = 0;
  // Names (not paths) of the regular files in `dir`, in no particular order.
  virtual Status list_dir(const std::string& dir, std::vector<std::string>& names) = 0;
  // Creates `dir` and its missing parents; ok when it exists.
  virtual Status make_dir(const std::string& dir) = 0;
  // Makes the directory's entries (created, renamed, removed files) durable.
  virtual Status sync_dir(const std::string& dir) = 0;
};

// POSIX files: open/pwrite/fsync/rename. Directory fsync where the file system supports it.
class PosixVfs final : public Vfs {
 public:
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
};

// dir + "/" + name (no doubled slash).
std::string join_path(const std::string& dir, std::string_view name);

}  // namespace onestop::store
