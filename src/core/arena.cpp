#include "core/arena.h"

#include <ostream>

namespace onestop {

namespace {
// Blocks double from 512 bytes (the engine's scratch arena for one command stays small) to
// 1 MiB (a State's cases: a few hundred blocks at 100,000 cases).
constexpr size_t kMaxBlock = size_t{1} << 20;
}  // namespace

void* Arena::allocate_slow(size_t bytes) {
  // new[] aligns to __STDCPP_DEFAULT_NEW_ALIGNMENT__, enough for every type kept here.
  if (bytes > block_size_ / 4) {
    // A large request gets a block of its own; the current block keeps serving small ones.
    blocks_.push_back(std::unique_ptr<std::byte[]>(new std::byte[bytes]));
    reserved_ += bytes;
    return blocks_.back().get();
  }
  blocks_.push_back(std::unique_ptr<std::byte[]>(new std::byte[block_size_]));
  reserved_ += block_size_;
  next_ = blocks_.back().get() + bytes;
  left_ = block_size_ - bytes;
  block_size_ = std::min(2 * block_size_, kMaxBlock);
  return blocks_.back().get();
}

std::ostream& operator<<(std::ostream& out, Str s) { return out << s.view(); }

}  // namespace onestop
