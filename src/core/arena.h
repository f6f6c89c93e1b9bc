#pragma once
// Arena: the memory of a State's cases. The cases, their strings and their lists are carved out
// of large blocks owned by the State and freed with it, instead of a heap allocation each (about nine per
// case, and most of the fold's time went to the allocator and to first-touching its scattered
// blocks). Nothing in an arena is freed on its own: a string replaced by a new value leaves the
// old bytes unused until the State goes (values are rarely replaced; see docs/performance.md).
// The one exception is a growing list's outgrown array, handed to the next list of its size
// (allocate_list / recycle_list): a case's lists grow as it moves on, and the arrays they left
// behind were a sixth of the fold's memory.
//
// Str   an immutable string in an arena: a pointer and a length, copied freely; the bytes are
//       followed by a '\0' (c_str()).
// Items an immutable list in an arena, the same for a list set once (a pause's documents).
// Vec   a list that grows in an arena; every change that may allocate names the arena. It is
//       not copyable: two copies would write into the same memory. Case::clone makes a copy
//       with lists of its own.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace onestop {

struct Case;

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  // A moved-from arena is empty and usable: it must not keep carving out of blocks it gave away.
  Arena(Arena&& o) noexcept { take(o); }
  Arena& operator=(Arena&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  ~Arena() { release(); }

  // `bytes` with the given alignment (a power of two, at most alignof(std::max_align_t)).
  void* allocate(size_t bytes, size_t align) {
    const size_t pad = (align - reinterpret_cast<uintptr_t>(next_) % align) % align;
    if (pad + bytes > left_) return allocate_slow(bytes);
    std::byte* p = next_ + pad;
    next_ = p + bytes;
    left_ -= pad + bytes;
    return p;
  }
  template <typename T>
  T* allocate_array(size_t n) {
    return static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
  }
  // Memory for a list that grows (Vec, History), 8-aligned: `bytes` rounded up to a size class
  // (16 bytes to 4 KiB, below; a larger request is not rounded), an outgrown array
  // of that class when there is one. .second: the bytes usable.
  std::pair<void*, size_t> allocate_list(size_t bytes) {
    const int k = class_at_least(bytes);
    if (k < 0) return {allocate(bytes, 8), bytes};
    const size_t size = list_class_size(k);
    if (void* p = free_lists_[k]) {
      std::memcpy(&free_lists_[k], p, sizeof(void*));  // the next one's address, kept in p
      return {p, size};
    }
    return {allocate(size, 8), size};
  }
  // A list's outgrown array of `bytes`, for allocate_list to hand out again. Only an 8-aligned
  // array of the block being carved now is taken, which is where a list that just grew almost
  // always had it: anything else (an array of another arena, made by mistake) stays unused.
  void recycle_list(void* p, size_t bytes) {
    const auto at = reinterpret_cast<uintptr_t>(p);
    if (at < reinterpret_cast<uintptr_t>(block_) || at >= reinterpret_cast<uintptr_t>(next_) ||
        at % 8 != 0)
      return;
    const int k = class_at_most(bytes);
    if (k < 0) return;
    std::memcpy(p, &free_lists_[k], sizeof(void*));
    free_lists_[k] = p;
  }
  size_t bytes_reserved() const { return reserved_; }  // the blocks' total size
  size_t bytes_mapped() const;  // of which in blocks mapped on their own (arena.cpp)

 private:
  struct Block {
    std::byte* data;
    size_t size;
    bool mapped;  // pages of its own from the system (arena.cpp), else from operator new[]
  };
  // Two classes an octave (16, 24, 32, 48 … 4096 bytes): a list's room is at most half as
  // big again as asked (powers of two alone took more memory than the arrays they saved).
  static constexpr int kListClasses = 17;
  static constexpr size_t list_class_size(int k) {
    return (k % 2 == 0 ? size_t{16} : size_t{24}) << (k / 2);
  }
  // The smallest class holding `bytes`, the largest `bytes` holds; -1 when none.
  static int class_at_least(size_t bytes) {
    for (int k = 0; k < kListClasses; ++k)
      if (list_class_size(k) >= bytes) return k;
    return -1;
  }
  static int class_at_most(size_t bytes) {
    for (int k = kListClasses - 1; k >= 0; --k)
      if (list_class_size(k) <= bytes) return k;
    return -1;
  }
  void* allocate_slow(size_t bytes);
  std::byte* add_block(size_t size);
  void release() noexcept;
  void take(Arena& o) noexcept {
    blocks_ = std::move(o.blocks_);
    o.blocks_.clear();
    next_ = std::exchange(o.next_, nullptr);
    left_ = std::exchange(o.left_, 0);
    block_size_ = std::exchange(o.block_size_, kFirstBlock);
    reserved_ = std::exchange(o.reserved_, 0);
    block_ = std::exchange(o.block_, nullptr);
    std::copy(std::begin(o.free_lists_), std::end(o.free_lists_), std::begin(free_lists_));
    std::fill(std::begin(o.free_lists_), std::end(o.free_lists_), nullptr);
  }
  static constexpr size_t kFirstBlock = 512;
  std::vector<Block> blocks_;
  std::byte* next_ = nullptr;
  size_t left_ = 0;
  size_t block_size_ = kFirstBlock;  // doubles with each block up to kMaxBlock (arena.cpp)
  size_t reserved_ = 0;
  std::byte* block_ = nullptr;  // the block next_ carves
  // Outgrown arrays by class, each holding the next one's address.
  void* free_lists_[kListClasses] = {};
};

class Str {
 public:
  Str() = default;
  // A copy of `text` in `arena`.
  static Str copy(Arena& arena, std::string_view text) {
    Str s;
    if (text.empty()) return s;
    char* p = arena.allocate_array<char>(text.size() + 1);
    std::memcpy(p, text.data(), text.size());
    p[text.size()] = '\0';  // so that c_str() needs no copy (labels of the UI)
    s.data_ = p;
    s.size_ = static_cast<uint32_t>(text.size());
    return s;
  }

  std::string_view view() const { return {data_, size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: reads like a string_view
  operator std::string() const { return str(); }        // NOLINT: as Key does
  std::string str() const { return std::string(view()); }
  const char* data() const { return data_; }
  const char* c_str() const { return data_; }  // always followed by a '\0'
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const char* begin() const { return data_; }
  const char* end() const { return data_ + size_; }

  friend bool operator==(Str a, Str b) { return a.view() == b.view(); }
  friend bool operator==(Str a, std::string_view b) { return a.view() == b; }
  friend bool operator==(Str a, const std::string& b) { return a.view() == b; }
  friend bool operator==(Str a, const char* b) { return a.view() == b; }

 private:
  const char* data_ = "";
  uint32_t size_ = 0;
};
std::ostream& operator<<(std::ostream& out, Str s);  // for test failure messages

template <typename T>
class Items {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  Items() = default;
  template <typename Range>
  static Items copy(Arena& arena, const Range& from) {
    Items it;
    it.size_ = static_cast<uint32_t>(std::size(from));
    if (it.size_ == 0) return it;
    T* p = arena.allocate_array<T>(it.size_);
    std::copy(std::begin(from), std::end(from), p);
    it.data_ = p;
    return it;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T& operator[](size_t i) const { return data_[i]; }
  friend bool operator==(const Items& a, const Items& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  const T* data_ = nullptr;
  uint32_t size_ = 0;
};

template <typename T>
class Vec {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  Vec() = default;
  Vec& operator=(const Vec&) = delete;
  Vec(Vec&& o) noexcept : data_(o.data_), size_(o.size_), capacity_(o.capacity_) { o.release(); }
  Vec& operator=(Vec&& o) noexcept {
    data_ = o.data_;
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.release();
    return *this;
  }

  // A copy with memory of its own in `arena`.
  Vec clone(Arena& arena) const {
    Vec v;
    if (size_ == 0) return v;
    v.data_ = arena.allocate_array<T>(size_);
    std::copy(begin(), end(), v.data_);
    v.size_ = v.capacity_ = size_;
    return v;
  }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  operator std::span<const T>() const { return {data_, size_}; }  // NOLINT: a view, as vector

  // Room for `n` elements in all.
  void reserve(Arena& arena, size_t n) {
    static_assert(alignof(T) <= 8);  // allocate_list's alignment
    if (n <= capacity_) return;
    const auto [room, bytes] = arena.allocate_list(n * sizeof(T));
    T* p = static_cast<T*>(room);
    std::copy(begin(), end(), p);
    if (capacity_ > 0) arena.recycle_list(data_, capacity_ * sizeof(T));
    data_ = p;
    capacity_ = static_cast<uint32_t>(bytes / sizeof(T));
  }
  void push_back(Arena& arena, const T& value) {
    if (size_ == capacity_) reserve(arena, std::max<size_t>(4, 2 * size_));
    data_[size_++] = value;
  }
  // Exactly `n` elements, the new ones value-initialized.
  void resize(Arena& arena, size_t n) {
    reserve(arena, n);
    for (size_t i = size_; i < n; ++i) data_[i] = T{};
    size_ = static_cast<uint32_t>(n);
  }

  friend bool operator==(const Vec& a, const Vec& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  friend struct Case;     // Case::clone starts from a copy sharing the lists, then replaces them
  Vec(const Vec&) = default;
  void release() {
    data_ = nullptr;
    size_ = capacity_ = 0;
  }
  T* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

// A member that most objects never set, kept out of line: a pointer into the arena, null until
// first written (read as a default T meanwhile). For Case::escalation (96 bytes, set only on the
// few cases that run late): a Case's size is most of the memory opening a big store fills, and
// in the browser first-touching memory is most of an open's time (docs/performance.md).
// Like Vec it is not copyable (two copies would write into the same room): Case::clone() makes
// an explicit copy.
template <typename T>
class OutOfLine {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  OutOfLine() = default;
  OutOfLine& operator=(const OutOfLine&) = delete;
  OutOfLine(OutOfLine&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  OutOfLine& operator=(OutOfLine&& o) noexcept {
    p_ = std::exchange(o.p_, nullptr);
    return *this;
  }

  const T& operator*() const { return p_ ? *p_ : kUnset; }
  const T* operator->() const { return &**this; }
  // The value to change, made in `arena` on first use.
  T& edit(Arena& arena) {
    if (!p_) p_ = std::construct_at(arena.allocate_array<T>(1));
    return *p_;
  }
  // Back to the default value (the room, if any, stays in the arena, as arenas never free).
  void reset() { p_ = nullptr; }
  // A copy with room of its own in `arena` (none while unset).
  OutOfLine clone(Arena& arena) const {
    OutOfLine o;
    if (p_) o.edit(arena) = *p_;
    return o;
  }
  // By value: an unset member equals one set to the default.
  friend bool operator==(const OutOfLine& a, const OutOfLine& b) { return *a == *b; }

 private:
  friend struct Case;  // Case::clone starts from a copy sharing it, then replaces it
  OutOfLine(const OutOfLine&) = default;
  static inline const T kUnset{};
  T* p_ = nullptr;
};

}  // namespace onestop
