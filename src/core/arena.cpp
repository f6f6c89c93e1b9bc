#include "core/arena.h"

#include <ostream>
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

namespace onestop {

namespace {
// Blocks double from 512 bytes (the engine's scratch arena for one command stays small) to
// 2 MiB, one huge page of x86-64 and ARM64: a State's cases at 100,000 cases take a hundred
// or so. Natively on Linux the full-size blocks are mapped on their own, aligned, and marked
// for transparent huge pages: a fold or snapshot load fills hundreds of megabytes of fresh
// memory, and taking it 2 MiB per page fault instead of 4 KiB cut the fold's time (figures
// in docs/performance.md). WebAssembly has one linear memory: there new[] serves every block.
constexpr size_t kMaxBlock = size_t{2} << 20;

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
constexpr bool kMapBlocks = true;
// kMaxBlock bytes aligned to kMaxBlock, or null when the system refuses.
std::byte* map_huge_block() {
  const size_t span = 2 * kMaxBlock;
  void* p = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  const auto at = reinterpret_cast<uintptr_t>(p);
  const uintptr_t aligned = (at + kMaxBlock - 1) & ~(kMaxBlock - 1);
  if (aligned > at) munmap(p, aligned - at);
  if (aligned + kMaxBlock < at + span) munmap(reinterpret_cast<void*>(aligned + kMaxBlock),
                                              at + span - aligned - kMaxBlock);
  madvise(reinterpret_cast<void*>(aligned), kMaxBlock, MADV_HUGEPAGE);  // a hint: may be ignored
  return reinterpret_cast<std::byte*>(aligned);
}
void unmap_block(std::byte* p) { munmap(p, kMaxBlock); }
#else
constexpr bool kMapBlocks = false;
std::byte* map_huge_block() { return nullptr; }
void unmap_block(std::byte*) {}
#endif
}  // namespace

std::byte* Arena::add_block(size_t size) {
  std::byte* mapped = kMapBlocks && size == kMaxBlock ? map_huge_block() : nullptr;
  // new[] aligns to __STDCPP_DEFAULT_NEW_ALIGNMENT__, enough for every type kept here.
  std::byte* data = mapped ? mapped : new std::byte[size];
  blocks_.push_back(Block{data, size, mapped != nullptr});
  reserved_ += size;
  return data;
}

size_t Arena::bytes_mapped() const {
  size_t n = 0;
  for (const Block& b : blocks_) n += b.mapped ? b.size : 0;
  return n;
}

void Arena::release() noexcept {
  for (const Block& b : blocks_) {
    if (b.mapped)
      unmap_block(b.data);
    else
      delete[] b.data;
  }
  blocks_.clear();
}

void* Arena::allocate_slow(size_t bytes) {
  // A large request gets a block of its own; the current block keeps serving small ones.
  if (bytes > block_size_ / 4) return add_block(bytes);
  std::byte* data = add_block(block_size_);
  block_ = data;
  next_ = data + bytes;
  left_ = block_size_ - bytes;
  block_size_ = std::min(2 * block_size_, kMaxBlock);
  return data;
}

std::ostream& operator<<(std::ostream& out, Str s) { return out << s.view(); }

}  // namespace onestop
