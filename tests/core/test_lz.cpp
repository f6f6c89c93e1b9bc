// The snapshot codec (core/lz.h): every input comes back byte for byte, repetitive text shrinks,
// and no damaged block makes the decoder read or write out of bounds (also run under ASan).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "core/lz.h"

using namespace onestop;

namespace {
std::string round_trip(const std::string& in, size_t* packed_size = nullptr) {
  std::string packed;
  lz::compress(in, packed);
  if (packed_size) *packed_size = packed.size();
  std::string out(in.size(), '\0');
  if (!lz::decompress(packed, out.data(), out.size())) return "<refused>";
  return out;
}
}  // namespace

TEST_CASE("lz: inputs of every kind come back exactly", "[lz]") {
  std::mt19937 rng(7);
  std::vector<std::string> inputs = {"", "a", "abc", "abcd", "abcdabcd", std::string(1, '\0'),
                                     std::string(100'000, 'x'), "荆门市东宝区泉口路12号荆门市东宝区泉口路14号"};
  // Random bytes (nothing repeats), text with repeats near and far, lengths around the nibble
  // limits (15 literals, 4 + 15 match) and the 64 KiB window.
  std::string random(70'000, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  inputs.push_back(random);
  std::string text;
  while (text.size() < 300'000)
    text += "HQ-2025010" + std::to_string(rng() % 10) + "-" + std::to_string(rng() % 10000) +
            (rng() % 3 ? "东宝区泉口路" : "掇刀区白庙路") + std::string(rng() % 40, 'a' + rng() % 3);
  inputs.push_back(text);
  for (size_t n : {14, 15, 16, 18, 19, 20, 269, 270, 271, 65'535, 65'536, 65'540}) {
    inputs.push_back(std::string(n, 'q'));
    inputs.push_back(random.substr(0, n));
    inputs.push_back(random.substr(0, n) + "0123" + random.substr(0, n));  // a far repeat
  }
  for (const auto& in : inputs) REQUIRE(round_trip(in) == in);

  size_t packed = 0;
  REQUIRE(round_trip(text, &packed) == text);
  CHECK(packed < text.size() / 2);  // repetitive text at least halves
  REQUIRE(round_trip(random, &packed) == random);
  CHECK(packed < random.size() + random.size() / 100 + 16);  // random bytes barely grow
}

TEST_CASE("lz: a block decoded into the wrong size or damaged is refused, never overrun",
          "[lz]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "用户" + std::to_string(i % 97) + "号,";
  std::string packed;
  lz::compress(text, packed);
  std::string out(text.size() + 1, '\0');
  CHECK_FALSE(lz::decompress(packed, out.data(), text.size() - 1));  // too small a buffer
  CHECK_FALSE(lz::decompress(packed, out.data(), text.size() + 1));  // not filled
  REQUIRE(lz::decompress(packed, out.data(), text.size()));
  for (size_t n = 0; n < packed.size(); n += 7)  // cut short anywhere
    CHECK_FALSE(lz::decompress(std::string_view(packed).substr(0, n), out.data(), text.size()));

  // Random damage: refused, or decoded to exactly the size asked (ASan checks the bounds).
  std::mt19937 rng(11);
  int refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bad = packed;
    for (int k = 0; k < 1 + round % 4; ++k)
      bad[rng() % bad.size()] = static_cast<char>(rng());
    std::vector<char> buffer(text.size());  // exact size: an overrun is caught by ASan
    refused += lz::decompress(bad, buffer.data(), buffer.size()) ? 0 : 1;
  }
  CHECK(refused > 1500);  // most damage shows as a wrong length or a bad offset
  std::vector<char> small(10);
  CHECK_FALSE(lz::decompress("\xF0", small.data(), small.size()));   // a length that never ends
  CHECK_FALSE(lz::decompress("\x01" "a\x05\x00", small.data(), 10));  // offset beyond the start
  CHECK_FALSE(lz::decompress("\x10" "a\x00\x00", small.data(), 10));  // offset 0
}

TEST_CASE("lz: the decoder never writes past the size it was given, even near a block's end",
          "[lz]") {
  // The decoder copies short runs 16 bytes at a time when there is room; these sizes end a
  // block with every kind of sequence close to the end. Bytes after `size` must stay as they
  // were (checked directly, not only by ASan), for good blocks and for damaged ones.
  std::mt19937 rng(23);
  constexpr char kGuard = 0x5A;
  for (size_t n = 0; n <= 300; ++n) {
    std::string in;
    while (in.size() < n) {
      if (rng() % 2) in += "东宝区" + std::to_string(rng() % 50);
      else in += static_cast<char>(rng());
    }
    in.resize(n);
    std::string packed;
    lz::compress(in, packed);
    std::vector<char> buffer(n + 64, kGuard);
    REQUIRE(lz::decompress(packed, buffer.data(), n));
    REQUIRE(std::string(buffer.data(), n) == in);
    for (size_t i = n; i < buffer.size(); ++i) REQUIRE(buffer[i] == kGuard);
    for (int round = 0; round < 20 && !packed.empty(); ++round) {
      std::string bad = packed;
      bad[rng() % bad.size()] = static_cast<char>(rng());
      std::vector<char> out(n + 64, kGuard);
      lz::decompress(bad, out.data(), n);
      for (size_t i = n; i < out.size(); ++i) REQUIRE(out[i] == kGuard);
    }
  }
  // Made-up blocks with plenty of input left but little room in the output: a short literal
  // run, then a short match, each just before the end of a small buffer.
  const std::string literal_then_more =
      std::string("\x30" "abc" "\x01\x00") + std::string(12, '\0');
  const std::string match_near_end =
      std::string("\xF0\x01" "0123456789abcdef") + std::string("\x10\x00") + std::string(16, '\0');
  for (const auto& [block, size] : {std::pair{literal_then_more, size_t{5}},
                                    std::pair{match_near_end, size_t{22}}}) {
    std::vector<char> out(size + 32, kGuard);
    lz::decompress(block, out.data(), size);
    for (size_t i = size; i < out.size(); ++i) REQUIRE(out[i] == kGuard);
  }
}
