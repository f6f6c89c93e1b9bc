#pragma once
// SHA-256 (FIPS 180-4), for `onestop store digest`: a hash of the store's logical content.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace onestop::store {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  std::array<uint8_t, 32> finish();  // the object is spent afterwards
  std::string finish_hex();          // 64 lower-case hex digits

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t used_ = 0;
  uint64_t total_ = 0;
};

}  // namespace onestop::store
