// The tables that find a State's cases and customers by number (core/flat_map.h).
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/flat_map.h"

using namespace onestop;

namespace {
// The items the ids stand for: id i is keys[i], as a State's case i carries its own number.
struct Items {
  std::vector<std::string> keys;
  auto key_of() const {
    return [this](uint32_t id) { return std::string_view(keys.at(id)); };
  }
};
}  // namespace

TEST_CASE("numbered ids: case numbers, odd spellings and other keys all found", "[flat_map]") {
  Items items;
  NumberedIds ids;
  const auto enter = [&](std::string key) {
    const auto id = static_cast<uint32_t>(items.keys.size());
    items.keys.push_back(std::move(key));
    const bool entered = ids.insert(items.keys.back(), id, items.key_of());
    if (!entered) items.keys.pop_back();  // as a State drops a number accepted twice
    return entered;
  };
  const auto find = [&](std::string_view key) { return ids.find(key, items.key_of()); };

  CHECK(enter("HQ-20250103-0001"));
  CHECK(enter("HQ-20250103-0002"));
  CHECK(enter("B1-20250103-0001"));  // another site's run
  CHECK(enter("HQ-20250103-001"));   // the same N spelt otherwise: another case
  CHECK(enter("HQ-20250103-0500"));  // far past the run's end
  CHECK(enter("legacy/123"));        // no "-<N>" at all
  CHECK(enter("HQ-20250103-0"));     // N = 0
  CHECK(enter("HQ-20250103-12345678901"));  // N of eleven digits
  CHECK(enter("HQ-20250103-12a"));
  CHECK(enter(""));
  CHECK(enter("-7"));  // an empty prefix

  for (uint32_t id = 0; id < items.keys.size(); ++id) {
    INFO(items.keys[id]);
    CHECK(find(items.keys[id]) == id);
    CHECK_FALSE(enter(std::string(items.keys[id])));  // entered twice: refused
  }
  CHECK_FALSE(find("HQ-20250103-0003"));  // inside the run, never entered
  CHECK_FALSE(find("HQ-20250103-0499"));
  CHECK_FALSE(find("HQ-20250104-0001"));  // a prefix never seen
  CHECK_FALSE(find("HQ-20250103-1"));     // a third spelling of N = 1

  // The run grows up to the far number: it is still found once and only once.
  for (int n = 3; n < 500; ++n) {
    char key[32];
    std::snprintf(key, sizeof key, "HQ-20250103-%04d", n);
    REQUIRE(enter(key));
  }
  CHECK(find("HQ-20250103-0500") == 4u);
  CHECK_FALSE(enter("HQ-20250103-0500"));
  CHECK(enter("HQ-20250103-0501"));
  CHECK(find("HQ-20250103-0501") == items.keys.size() - 1);
}

TEST_CASE("numbered ids answer as a map would, for random keys of every shape", "[flat_map]") {
  std::mt19937 rng(20261129);
  const auto below = [&rng](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const auto random_key = [&] {
    char prefix[32] = "X";  // one in twenty: a key with no dash
    if (below(20) != 0) std::snprintf(prefix, sizeof prefix, "S%d-2025010%d-", below(3), below(4));
    switch (below(6)) {
      case 0: return prefix + std::to_string(below(2000));               // far numbers and 0
      case 1: return std::string(prefix) + "0" + std::to_string(below(300));  // padded
      case 2: return std::string(prefix) + "n" + std::to_string(below(50));   // not a number
      default: return prefix + std::to_string(1 + below(300));           // the usual: dense
    }
  };
  Items items;
  NumberedIds ids;
  std::map<std::string, uint32_t> expected;
  for (int i = 0; i < 20'000; ++i) {
    const std::string key = random_key();
    const auto it = expected.find(key);
    if (below(2) == 0) {
      const auto id = static_cast<uint32_t>(items.keys.size());
      items.keys.push_back(key);
      const bool entered = ids.insert(key, id, items.key_of());
      INFO(key);
      REQUIRE(entered == (it == expected.end()));
      if (entered) expected.emplace(key, id);
      else items.keys.pop_back();
    } else {
      const auto found = ids.find(key, items.key_of());
      INFO(key);
      REQUIRE(found.has_value() == (it != expected.end()));
      if (found) REQUIRE(*found == it->second);
    }
  }
  for (const auto& [key, id] : expected) REQUIRE(ids.find(key, items.key_of()) == id);
}
