#pragma once
// Unsigned LEB128 ("varint": 7 bits a byte, low bits first, the high bit set on all but the
// last byte) and zigzag (signed numbers near zero as small unsigned ones). Shared by the state
// snapshot's format (core/snapshot.cpp), the packed history of a case (core/model.h) and the
// built-in processes' image (core/process_image.cpp).
#include <cstdint>
#include <string_view>

namespace onestop {

// Writes v at `out` (a pointer or output iterator of bytes); returns the end.
template <typename Out>
Out put_varint(Out out, uint64_t v) {
  while (v >= 0x80) {
    *out++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<uint8_t>(v);
  return out;
}

// A varint taken off the front of `in`; false when `in` ends first or it is too long.
inline bool take_varint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// An enum written as its number: false (out unchanged) when `v` is past `last`, its last value.
template <class E>
bool enum_from(uint64_t v, E last, E& out) {
  if (v > static_cast<uint64_t>(last)) return false;
  out = static_cast<E>(v);
  return true;
}

inline uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

}  // namespace onestop
