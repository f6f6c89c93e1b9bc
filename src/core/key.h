#pragma once
// Key: an interned string for the small vocabularies of the domain — process, step, department,
// document and field keys, role keys, staff badges, site codes. Four bytes, copied and compared
// as an integer; the text lives once in a process-wide table and is never freed (these sets are
// small and bounded by the configuration). Never intern free text (names, addresses, notes).
//
// The table is not thread-safe: the domain core runs on one thread (the browser's main thread,
// or the command line).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace onestop {

class Key {
 public:
  Key() = default;
  // Implicit from string_view and literals; from a std::string write Key(s). (An implicit
  // conversion both ways with std::string would make `cond ? key : string` ambiguous.)
  Key(std::string_view text);                             // NOLINT: implicit on purpose
  Key(const char* text) : Key(std::string_view(text)) {}  // NOLINT

  Key& operator=(const std::string& text) { return *this = Key(std::string_view(text)); }

  std::string_view view() const;
  operator std::string_view() const { return view(); }  // NOLINT
  operator std::string() const { return str(); }        // NOLINT: reads like a std::string
  std::string str() const { return std::string(view()); }
  bool empty() const { return id_ == 0; }
  uint32_t id() const { return id_; }  // dense: 0 (empty), 1, 2, … in order of first use
  // The key whose id() is `id` (an id this process handed out: ids are never written to disk).
  static Key from_id(uint32_t id) {
    Key k;
    k.id_ = id;
    return k;
  }

  friend bool operator==(Key a, Key b) { return a.id_ == b.id_; }
  friend bool operator==(Key a, std::string_view b) { return a.view() == b; }
  friend bool operator==(Key a, const std::string& b) { return a.view() == b; }
  friend bool operator==(Key a, const char* b) { return a.view() == b; }
  // Text order, so that sorting is the same at every site whatever the interning order was.
  friend bool operator<(Key a, Key b) { return a.view() < b.view(); }

 private:
  uint32_t id_ = 0;
};

// Keys of a list of strings.
std::vector<Key> to_keys(const std::vector<std::string>& texts);

inline std::string operator+(const std::string& a, Key b) {
  std::string out = a;
  out += b.view();
  return out;
}

}  // namespace onestop

template <>
struct std::hash<onestop::Key> {
  size_t operator()(onestop::Key k) const noexcept { return k.id(); }
};
