#include "core/lz.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

namespace onestop::lz {
namespace {

constexpr size_t kMinMatch = 4;
constexpr size_t kMaxOffset = 65535;
constexpr int kHashBits = 14;

uint32_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint32_t hash(uint32_t v) { return (v * 2654435761u) >> (32 - kHashBits); }

static_assert(std::endian::native == std::endian::little, "common_length reads words");

// How many bytes from `a` and `b` on are equal, up to `limit` (a may be before b, overlapping).
size_t common_length(const char* a, const char* b, size_t limit) {
  size_t n = 0;
  while (n + 8 <= limit) {
    const uint64_t diff = load64(a + n) ^ load64(b + n);
    if (diff != 0) return n + static_cast<size_t>(std::countr_zero(diff)) / 8;
    n += 8;
  }
  while (n < limit && a[n] == b[n]) ++n;
  return n;
}

// A length beyond what its nibble holds: bytes of 255, then the rest (below 255).
void put_extra(std::string& out, size_t n) {
  while (n >= 255) {
    out.push_back(static_cast<char>(255));
    n -= 255;
  }
  out.push_back(static_cast<char>(n));
}

void put_sequence(std::string& out, const char* literals, size_t literal_count, size_t offset,
                  size_t match) {
  const size_t m = match == 0 ? 0 : match - kMinMatch;
  const auto token = static_cast<unsigned char>((std::min<size_t>(literal_count, 15) << 4) |
                                                std::min<size_t>(m, 15));
  out.push_back(static_cast<char>(token));
  if (literal_count >= 15) put_extra(out, literal_count - 15);
  out.append(literals, literal_count);
  if (match == 0) return;  // the block's last sequence: literals only
  out.push_back(static_cast<char>(offset & 0xFF));
  out.push_back(static_cast<char>(offset >> 8));
  if (m >= 15) put_extra(out, m - 15);
}

}  // namespace

void Compressor::compress(std::string_view in, std::string& out) {
  const char* const base = in.data();
  const size_t size = in.size();
  std::vector<uint32_t>& table = table_;
  table.assign(size_t{1} << kHashBits, 0);  // 0: no position yet
  out.reserve(out.size() + size + size / 255 + 16);  // the worst case: all literals
  size_t anchor = 0;  // first byte not yet written out
  size_t i = 0;
  // A match needs 4 bytes to compare: none starts in the last 4.
  while (size >= kMinMatch && i + kMinMatch <= size) {
    const uint32_t v = load32(base + i);
    uint32_t& slot = table[hash(v)];
    const size_t candidate = slot;  // position + 1
    slot = static_cast<uint32_t>(i + 1);
    if (candidate == 0 || i + 1 - candidate > kMaxOffset || load32(base + candidate - 1) != v) {
      // Skip faster through stretches that do not repeat (already compressed or random bytes).
      i += 1 + ((i - anchor) >> 6);
      continue;
    }
    const size_t from = candidate - 1;
    size_t length =
        kMinMatch + common_length(base + from + kMinMatch, base + i + kMinMatch, size - i - kMinMatch);
    // Extend backwards over literals that match too.
    size_t start = i, source = from;
    while (start > anchor && source > 0 && base[start - 1] == base[source - 1]) {
      --start;
      --source;
      ++length;
    }
    put_sequence(out, base + anchor, start - anchor, start - source, length);
    i = start + length;
    anchor = i;
    // Remember a position inside the match too: the next repeat often starts there.
    if (i >= 2 && i + 2 <= size) table[hash(load32(base + i - 2))] = static_cast<uint32_t>(i - 1);
  }
  put_sequence(out, base + anchor, size - anchor, 0, 0);
}

namespace {
// Most literal runs and matches are short. A copy of a size known at compile time is two 8-byte
// loads and stores, where a memcpy of a variable size is a call (in WebAssembly with bulk
// memory, a `memory.copy`, whose fixed cost dominated the decode of a snapshot's small copies).
inline void copy16(char* to, const void* from) {
  char chunk[16];
  std::memcpy(chunk, from, 16);
  std::memcpy(to, chunk, 16);
}
}  // namespace

bool decompress(std::string_view packed, char* out, size_t size) {
  const auto* in = reinterpret_cast<const unsigned char*>(packed.data());
  const unsigned char* const in_end = in + packed.size();
  size_t written = 0;
  // A length's extra bytes; false when the input ends first.
  const auto extra = [&](size_t& n) {
    for (;;) {
      if (in == in_end) return false;
      const unsigned char b = *in++;
      n += b;
      if (n > size) return false;  // longer than the whole block: damaged
      if (b != 255) return true;
    }
  };
  while (in != in_end) {
    const unsigned char token = *in++;
    size_t literals = token >> 4;
    if (literals == 15 && !extra(literals)) return false;
    if (literals > static_cast<size_t>(in_end - in) || literals > size - written) return false;
    if (literals <= 16 && in_end - in >= 16 && size - written >= 16) {
      copy16(out + written, in);  // may write past the literals: bytes written again later
    } else {
      std::memcpy(out + written, in, literals);
    }
    in += literals;
    written += literals;
    if (in == in_end) break;  // the last sequence ends after its literals
    if (in_end - in < 2) return false;
    const size_t offset = in[0] | (size_t{in[1]} << 8);
    in += 2;
    size_t match = token & 15;
    if (match == 15 && !extra(match)) return false;
    match += kMinMatch;
    if (offset == 0 || offset > written || match > size - written) return false;
    const char* from = out + written - offset;
    char* to = out + written;
    if (offset >= 16 && match <= 16 && size - written >= 16) {
      copy16(to, from);  // 16 bytes all written before `to`; the excess is written again later
    } else if (offset >= match) {
      std::memcpy(to, from, match);
    } else {
      for (size_t k = 0; k < match; ++k) to[k] = from[k];  // overlapping: a repeating pattern
    }
    written += match;
  }
  return written == size;
}

}  // namespace onestop::lz
