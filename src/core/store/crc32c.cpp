#include "core/store/crc32c.h"

#include <array>
#include <bit>
#include <cstring>

namespace onestop::store {
namespace {

constexpr uint32_t kPoly = 0x82F63B78u;  // reflected Castagnoli polynomial

using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ kPoly : c >> 1;
    t[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i)
    for (size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFFu];
  return t;
}

constexpr Tables kTables = make_tables();

// The register over one 8-byte word: slicing by 8, the word's bytes in order.
inline uint32_t step8(uint32_t c, const unsigned char* p) {
  // One load, read as little endian: as the bytes come, on any host.
  uint64_t w = 0;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) {
    uint64_t swapped = 0;
    for (int i = 0; i < 8; ++i) swapped |= ((w >> (8 * i)) & 0xFFu) << (56 - 8 * i);
    w = swapped;
  }
  w ^= c;
  return kTables[7][w & 0xFFu] ^ kTables[6][(w >> 8) & 0xFFu] ^ kTables[5][(w >> 16) & 0xFFu] ^
         kTables[4][(w >> 24) & 0xFFu] ^ kTables[3][(w >> 32) & 0xFFu] ^
         kTables[2][(w >> 40) & 0xFFu] ^ kTables[1][(w >> 48) & 0xFFu] ^ kTables[0][w >> 56];
}

// a(x) * b(x) mod P, reflected (bit 31 is x^0): the register is linear, so running it over n
// zero bytes multiplies it by x^(8n) mod P.
constexpr uint32_t multiply(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (int i = 0; i < 32; ++i) {
    if (a & (0x80000000u >> i)) product ^= b;
    b = (b & 1u) ? (b >> 1) ^ kPoly : b >> 1;  // b *= x
  }
  return product;
}

constexpr uint32_t x_to_8n(uint64_t n) {  // x^(8n) mod P
  uint32_t result = 0x80000000u, power = 0x00800000u;  // x^0, x^8
  for (; n > 0; n >>= 1) {
    if (n & 1) result = multiply(result, power);
    power = multiply(power, power);
  }
  return result;
}

// Long inputs go three lanes at a time: each lane's register depends only on itself, so the
// processor works on three chains of table lookups at once instead of waiting on one (the open of
// a big store checksums its whole state snapshot). The lanes' registers are then joined: the
// register over A·B·C is ((r(A) · x^8L) ^ r(B)) · x^8L ^ r(C), r(B) and r(C) started at 0.
constexpr size_t kLane = 4096;
constexpr uint32_t kLaneShift = x_to_8n(kLane);

}  // namespace

uint32_t crc32c_extend(uint32_t crc, const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t c = ~crc;
  for (; size >= 3 * kLane; p += 3 * kLane, size -= 3 * kLane) {
    uint32_t a = c, b = 0, d = 0;
    for (size_t i = 0; i < kLane; i += 8) {
      a = step8(a, p + i);
      b = step8(b, p + kLane + i);
      d = step8(d, p + 2 * kLane + i);
    }
    c = multiply(multiply(a, kLaneShift) ^ b, kLaneShift) ^ d;
  }
  while (size >= 8) {
    // Bytes assembled one by one: no unaligned loads, the same result on any endianness.
    const uint32_t lo = c ^ (uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
                             uint32_t{p[3]} << 24);
    const uint32_t hi =
        uint32_t{p[4]} | uint32_t{p[5]} << 8 | uint32_t{p[6]} << 16 | uint32_t{p[7]} << 24;
    c = kTables[7][lo & 0xFFu] ^ kTables[6][(lo >> 8) & 0xFFu] ^ kTables[5][(lo >> 16) & 0xFFu] ^
        kTables[4][lo >> 24] ^ kTables[3][hi & 0xFFu] ^ kTables[2][(hi >> 8) & 0xFFu] ^
        kTables[1][(hi >> 16) & 0xFFu] ^ kTables[0][hi >> 24];
    p += 8;
    size -= 8;
  }
  while (size-- > 0) c = kTables[0][(c ^ *p++) & 0xFFu] ^ (c >> 8);
  return ~c;
}

}  // namespace onestop::store
