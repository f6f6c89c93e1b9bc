#pragma once
// CRC-32C (Castagnoli), the checksum of every record, header, manifest and snapshot.
// Portable table-driven code (slicing by 8; long inputs in three interleaved lanes), the same
// natively and in WebAssembly.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace onestop::store {

// Extends `crc` (the value returned for the bytes before) over `size` more bytes.
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t size);
inline uint32_t crc32c(const void* data, size_t size) { return crc32c_extend(0, data, size); }
inline uint32_t crc32c(std::string_view bytes) { return crc32c(bytes.data(), bytes.size()); }

}  // namespace onestop::store
