#pragma once
// A small open-addressing hash table from 64-bit keys to 32-bit values, for the hot paths of the
// fold (case numbers, text-index grams): no node per entry, one probe sequence in one array.
// Key 0 is reserved (it marks an empty slot); callers map their keys away from it.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace onestop {

// A 64-bit string hash, eight bytes at a time, the same on every platform (size_t is 32-bit
// under wasm32, so std::hash would differ).
inline uint64_t hash64(std::string_view s) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, s.data() + i, 8);
    h = (h ^ chunk) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 29;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 32;
  return h == 0 ? 1 : h;
}

class FlatMap64 {
 public:
  const uint32_t* find(uint64_t key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = index(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == 0) return nullptr;
    }
  }
  // The value for `key`, inserting `value` first if the key is new; .second: inserted.
  std::pair<uint32_t*, bool> insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    for (size_t i = index(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == key) return {&s.value, false};
      if (s.key == 0) {
        s.key = key;
        s.value = value;
        ++size_;
        return {&s.value, true};
      }
    }
  }
  size_t size() const { return size_; }
  // Asks the CPU to fetch the line where `key`'s look would start (a random slot of a large
  // table is a cache miss: started early, it overlaps with other work).
  void prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[index(key)]);
  }
  // Room for `n` entries without growing (growing copies every slot into a table twice as big).
  void reserve(size_t n) {
    size_t slots = slots_.empty() ? 1024 : slots_.size();
    while (n * 2 > slots) slots *= 2;
    if (slots > slots_.size()) grow_to(slots);
  }
  // Calls f(key, value) for every entry, in no particular order.
  template <typename F>
  void for_each(F f) const {
    for (const Slot& s : slots_)
      if (s.key != 0) f(s.key, s.value);
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t value = 0;
  };
  size_t index(uint64_t key) const {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> 20) & mask_;
  }
  void grow() { grow_to(slots_.empty() ? 1024 : slots_.size() * 2); }
  void grow_to(size_t slots) {  // a power of two
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(slots, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old)
      if (s.key != 0) insert(s.key, s.value);
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Dense ids of items that carry their own string key (a State's cases and customers, by
// number): hash64(key) -> id in a flat table, checked against the item's key, which
// `key_of(id)` gives (so the key is not kept twice); the (never yet seen) keys whose hashes
// collide with an earlier one's go to an overflow map.
class KeyedIds {
 public:
  // The id of `key` (hash: hash64(key)), entering `id` for it when it is new; .second: entered.
  template <typename KeyOf>
  std::pair<uint32_t, bool> insert(std::string_view key, uint64_t hash, uint32_t id,
                                   KeyOf key_of) {
    // Inserted first: a key never seen (the rule) needs no other look at the table.
    const auto [slot, fresh] = ids_.insert(hash, id);
    if (fresh) return {id, true};
    if (key_of(*slot) == key) return {*slot, false};
    const auto [it, added] = overflow_.emplace(std::string(key), id);
    return {it->second, added};
  }
  template <typename KeyOf>
  std::optional<uint32_t> find(std::string_view key, uint64_t hash, KeyOf key_of) const {
    const uint32_t* id = ids_.find(hash);
    if (!id) return std::nullopt;
    if (key_of(*id) == key) return *id;
    if (overflow_.empty()) return std::nullopt;
    const auto it = overflow_.find(std::string(key));
    if (it == overflow_.end()) return std::nullopt;
    return it->second;
  }
  void reserve(size_t n) { ids_.reserve(n); }
  bool empty() const { return ids_.size() == 0; }

 private:
  FlatMap64 ids_;
  std::unordered_map<std::string, uint32_t> overflow_;
};

// Dense ids of items keyed by numbers of the shape "<prefix>-<N>", where each prefix's N count
// up from 1 (a State's cases: "<SITE>-<YYYYMMDD>-<N>"): the ids of one prefix are kept in an
// array indexed by N. Numbers given out close together then lie side by side, and looking them
// up (every event of a fold does) touches a few lines already in cache, where a table over every
// case costs a cache and TLB miss at a random slot (a tenth of a fold's time). Any other key, an
// N far past its prefix's highest, and a second spelling of one N ("-042" after "-0042") go to a
// KeyedIds; every answer is checked against the item's own key, `key_of(id)`.
class NumberedIds {
 public:
  // Enters `id` for `key`; false (nothing entered) when the key is there already.
  template <typename KeyOf>
  bool insert(std::string_view key, uint32_t id, KeyOf key_of) {
    uint64_t prefix = 0;
    uint32_t n = 0;
    if (split(key, prefix, n)) {
      const auto [index, fresh] = prefixes_.insert(prefix, static_cast<uint32_t>(runs_.size()));
      if (fresh) runs_.emplace_back();
      std::vector<uint32_t>& run = runs_[*index];
      if (n <= run.size() + kMaxGap) {  // else the run would be mostly holes: kept elsewhere
        if (n > run.size()) run.resize(n, kNone);
        uint32_t& slot = run[n - 1];
        if (slot == kNone) {
          // The key may have gone to the others while its N was still far past the run's end.
          if (!others_.empty() && others_.find(key, hash64(key), key_of)) return false;
          slot = id;
          return true;
        }
        if (key_of(slot) == key) return false;
      }
    }
    return others_.insert(key, hash64(key), id, key_of).second;
  }
  template <typename KeyOf>
  std::optional<uint32_t> find(std::string_view key, KeyOf key_of) const {
    uint64_t prefix = 0;
    uint32_t n = 0;
    if (split(key, prefix, n))
      if (const uint32_t* index = prefixes_.find(prefix)) {
        const std::vector<uint32_t>& run = runs_[*index];
        if (n <= run.size() && run[n - 1] != kNone && key_of(run[n - 1]) == key) return run[n - 1];
      }
    if (others_.empty()) return std::nullopt;
    return others_.find(key, hash64(key), key_of);
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kMaxGap = 256;
  // "<prefix>-<N>" with N of 1 to 9 decimal digits, N >= 1: the prefix's hash (dash included)
  // and N; false for any other key.
  static bool split(std::string_view key, uint64_t& prefix, uint32_t& n) {
    const size_t dash = key.rfind('-');
    if (dash == std::string_view::npos || key.size() - dash < 2 || key.size() - dash > 10)
      return false;
    n = 0;
    for (size_t i = dash + 1; i < key.size(); ++i) {
      const auto digit = static_cast<uint32_t>(key[i] - '0');
      if (digit > 9) return false;
      n = n * 10 + digit;
    }
    if (n == 0) return false;
    prefix = hash64(key.substr(0, dash + 1));
    return true;
  }
  FlatMap64 prefixes_;                       // hash64(prefix) -> index into runs_
  std::vector<std::vector<uint32_t>> runs_;  // runs_[i][N - 1]: the id of number N, or kNone
  KeyedIds others_;
};

}  // namespace onestop
