#pragma once
// A small LZ77 byte codec for state snapshots: repeated stretches (keys, dates, addresses of one
// district, the same demand texts) become back references into the last 64 KiB, which halves a
// snapshot — and with it what opening the app reads out of IndexedDB and copies into the wasm
// heap (docs/performance.md). Fast rather than tight: one hash probe per position, no entropy
// coding. Blocks are independent; each is decoded into a buffer of the size given with it.
//
// Block layout: sequences until the input ends. A sequence is a token byte (high nibble: the
// number of literals, low nibble: the match length minus 4; 15 in either means more follows as
// bytes of 255 ended by one below 255), the literals, then — unless the block ends after the
// literals — a 2-byte little-endian offset back into the output (1..65535) and the match
// length's extra bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onestop::lz {

// Compresses block after block, keeping its hash table between them (a snapshot compresses
// hundreds of blocks one after the other).
class Compressor {
 public:
  // Appends the compressed form of `in` to `out`.
  void compress(std::string_view in, std::string& out);

 private:
  std::vector<uint32_t> table_;  // positions + 1 of the last 4-byte string with each hash
};

// The same for a single block.
inline void compress(std::string_view in, std::string& out) { Compressor().compress(in, out); }

// Decodes `packed` into exactly `size` bytes at `out`. False when `packed` is not a block of
// that size (damaged): never reads or writes outside the two buffers.
bool decompress(std::string_view packed, char* out, size_t size);

}  // namespace onestop::lz
