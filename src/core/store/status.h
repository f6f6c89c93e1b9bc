#pragma once
// Errors of the store, reported by value (the browser build has no exceptions).
#include <cstdint>
#include <string>
#include <utility>

namespace onestop::store {

enum class Code : uint8_t {
  ok,
  not_found,  // no such file or directory; open(): no store in the directory
  io_error,   // the file system refused (permissions, EIO, …); `detail` says which call
  no_space,   // the disk (or the browser's quota) is full: nothing acknowledged is lost
  damaged,    // the store's files fail their checks: Store::damage() names the damage
  read_only,  // a write to a store opened read-only (by request or because it is damaged)
  invalid,    // a bad argument (record too large, snapshot beyond the last record, …)
  crashed,    // test file systems only: the simulated process is dead
  not_loaded,  // the store's older segments are not loaded yet (OpenOptions::loaded_from_segment)
};

const char* code_name(Code code);

struct Status {
  Code code = Code::ok;
  std::string detail;  // technical detail for logs: the call and the path, in English

  Status() = default;
  Status(Code c, std::string d) : code(c), detail(std::move(d)) {}
  bool ok() const { return code == Code::ok; }
  std::string to_string() const;  // "no_space: write seg-00000003.log: No space left on device"
};

}  // namespace onestop::store
