// The arena behind a State's cases (core/arena.h): strings and lists that keep their values
// while the arena grows. (A case's clone: test_workflow.cpp.)
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/arena.h"
#include "core/model.h"

using namespace onestop;

TEST_CASE("arena: strings are copies, end with a NUL, and survive the arena growing", "[arena]") {
  Arena arena;
  std::string source = "荆门市东宝区泉口路12号";
  const Str s = Str::copy(arena, source);
  source.assign(source.size(), 'x');  // the source changes: the copy does not
  CHECK(s == "荆门市东宝区泉口路12号");
  CHECK(s.c_str()[s.size()] == '\0');
  CHECK(Str().empty());
  CHECK(Str().c_str()[0] == '\0');
  CHECK(Str::copy(arena, "").empty());

  // Many strings, small and large, across many blocks: each keeps its bytes.
  std::vector<Str> many;
  for (int i = 0; i < 20'000; ++i)
    many.push_back(Str::copy(arena, std::string(static_cast<size_t>(i % 700), static_cast<char>('a' + i % 26))));
  many.push_back(Str::copy(arena, std::string(3 << 20, 'z')));  // larger than any block
  for (int i = 0; i < 20'000; ++i) {
    const auto& m = many[static_cast<size_t>(i)];
    REQUIRE(m.size() == static_cast<size_t>(i % 700));
    if (!m.empty()) CHECK((m.view().front() == 'a' + i % 26 && m.view().back() == 'a' + i % 26));
  }
  CHECK(many.back().size() == (3u << 20));
  CHECK(arena.bytes_reserved() >= (3u << 20) + 20'000u * 300u);
}

TEST_CASE("arena: lists grow in place of their old room and keep their elements aligned", "[arena]") {
  Arena arena;
  Vec<HistoryEntry> v;
  Str::copy(arena, "x");  // leave the arena's next byte unaligned
  for (uint64_t i = 0; i < 1000; ++i) {
    v.push_back(arena, HistoryEntry{{}, {}, {}, 1, i, static_cast<Millis>(i * 10)});
    REQUIRE(reinterpret_cast<uintptr_t>(&v[0]) % alignof(HistoryEntry) == 0);
  }
  REQUIRE(v.size() == 1000);
  for (uint64_t i = 0; i < 1000; ++i) CHECK(v[i].seq == i);
  v.resize(arena, 1002);  // the new ones value-initialized, the old ones kept
  CHECK(v[1001].seq == 0);
  CHECK(v[999].seq == 999);
}

TEST_CASE("arena: moving one hands its blocks over and leaves an empty, usable arena", "[arena]") {
  Arena first;
  const Str kept = Str::copy(first, "第一个");
  Arena second(std::move(first));
  CHECK(second.bytes_reserved() > 0);
  CHECK(first.bytes_reserved() == 0);  // NOLINT: use after move is the point
  // The moved-from arena gets blocks of its own: what it hands out now cannot overwrite `kept`.
  for (int i = 0; i < 100; ++i) Str::copy(first, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
  CHECK(kept == "第一个");
  CHECK(first.bytes_reserved() > 0);
  Arena third;
  third = std::move(second);
  CHECK(kept == "第一个");
  CHECK(second.bytes_reserved() == 0);  // NOLINT
}

TEST_CASE("arena: full-size blocks are mapped on their own natively, and freed with the arena",
          "[arena]") {
  Arena arena;
  std::vector<Str> many;
  const auto text = [](int i) { return "荆门市东宝区泉口路" + std::to_string(i) + "号"; };
  for (int i = 0; i < 100'000; ++i) many.push_back(Str::copy(arena, text(i)));
  for (int i = 0; i < 100'000; ++i) REQUIRE(many[static_cast<size_t>(i)] == text(i));
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  // 3.5 MB of short strings fill the small blocks and then 2 MiB ones, taken as whole pages.
  CHECK(arena.bytes_mapped() >= (size_t{2} << 20));
#else
  CHECK(arena.bytes_mapped() == 0);
#endif
  CHECK(arena.bytes_mapped() <= arena.bytes_reserved());
  Arena other;
  other = std::move(arena);  // the mapped blocks change hands, not memory
  CHECK(many.front() == text(0));
  CHECK(many.back() == text(99'999));
  CHECK(arena.bytes_mapped() == 0);  // NOLINT: use after move is the point
}

TEST_CASE("history: packed entries read back exactly, however large or out of order", "[arena]") {
  Arena arena;
  std::vector<HistoryEntry> entries;
  // Times going back as well as forward (an event from another site's clock), the largest
  // values, empty keys, every event type.
  const Millis times[] = {1'735'689'600'000, 1'735'689'600'001, 1'000, INT64_MAX / 4, 0,
                          -86'400'000, 1'735'776'000'000};
  const uint64_t seqs[] = {1, 127, 128, UINT64_MAX, 16'384, 0, 42};
  for (size_t i = 0; i < std::size(times); ++i)
    entries.push_back(HistoryEntry{i % 2 ? Key("HQ") : Key("BR-东宝"), i % 3 ? Key("W01") : Key(),
                                   i ? Key("csc_verify") : Key(), static_cast<uint8_t>(i * 37),
                                   seqs[i], times[i]});
  History pushed;
  pushed.reserve(arena, 1);
  for (const auto& e : entries) pushed.push_back(arena, e);  // grows several times
  History assigned;
  assigned.assign(arena, entries);

  REQUIRE(pushed.size() == entries.size());
  std::vector<HistoryEntry> back(pushed.begin(), pushed.end());
  CHECK(back == entries);
  CHECK(std::vector<HistoryEntry>(assigned.begin(), assigned.end()) == entries);
  CHECK(pushed == assigned);  // the same entries pack to the same bytes
  CHECK(assigned.bytes() < entries.size() * sizeof(HistoryEntry));
  CHECK(pushed.back() == entries.back());

  // A clone has bytes of its own: growing it leaves the original as it was.
  History copy = assigned.clone(arena);
  copy.push_back(arena, HistoryEntry{Key("HQ"), Key("W02"), Key(), 3, 7, 5});
  CHECK(copy.size() == entries.size() + 1);
  CHECK(assigned.size() == entries.size());
  CHECK(std::vector<HistoryEntry>(assigned.begin(), assigned.end()) == entries);
  CHECK_FALSE(copy == assigned);
  CHECK(copy.back().actor == "W02");
  CHECK(copy.back().time == 5);

  History empty;
  CHECK(empty.empty());
  CHECK(empty.begin() == empty.end());
  empty.assign(arena, {});
  CHECK(empty.size() == 0);
}

TEST_CASE("arena: a list's outgrown array goes to the next list of its size, only once",
          "[arena]") {
  Arena arena;
  Vec<uint64_t> a;
  for (uint64_t i = 0; i < 4; ++i) a.push_back(arena, i);  // 4 x 8 bytes: the 32-byte class
  const uint64_t* outgrown = a.begin();
  a.push_back(arena, 4);  // grows: its old array is free again
  REQUIRE(a.begin() != outgrown);
  Vec<uint64_t> b;
  b.push_back(arena, 100);
  CHECK(b.begin() == outgrown);  // handed out again …
  Vec<uint64_t> c;
  c.push_back(arena, 200);
  CHECK(c.begin() != outgrown);  // … once
  for (uint64_t i = 0; i < 5; ++i) CHECK(a[i] == i);
  CHECK(b[0] == 100);
  CHECK(c[0] == 200);

  // Many lists growing in turn, of two element sizes sharing the classes: every element kept.
  std::vector<Vec<uint64_t>> wide(300);
  std::vector<Vec<uint32_t>> narrow(300);
  for (uint32_t round = 0; round < 40; ++round)
    for (uint32_t i = 0; i < 300; ++i) {
      if ((i + round) % 3 == 0) continue;
      wide[i].push_back(arena, uint64_t{i} << 32 | wide[i].size());
      narrow[i].push_back(arena, i * 1000 + static_cast<uint32_t>(narrow[i].size()));
    }
  for (uint32_t i = 0; i < 300; ++i) {
    for (size_t j = 0; j < wide[i].size(); ++j) REQUIRE(wide[i][j] == (uint64_t{i} << 32 | j));
    for (size_t j = 0; j < narrow[i].size(); ++j) REQUIRE(narrow[i][j] == i * 1000 + j);
  }
}

TEST_CASE("arena: an array of another arena is never handed out; a move takes the free ones",
          "[arena]") {
  Arena mine, other;
  Vec<uint64_t> v;
  for (uint64_t i = 0; i < 4; ++i) v.push_back(other, i);
  const uint64_t* in_other = v.begin();
  v.push_back(mine, 4);  // grown with the wrong arena: the old array is not taken
  Vec<uint64_t> w;
  w.push_back(mine, 9);
  CHECK(w.begin() != in_other);

  Vec<uint64_t> x;
  for (uint64_t i = 0; i < 4; ++i) x.push_back(mine, i);
  const uint64_t* freed = x.begin();
  x.push_back(mine, 4);  // leaves a free 32-byte array
  Arena moved(std::move(mine));
  Vec<uint64_t> from_empty, from_moved;
  from_empty.push_back(mine, 2);  // NOLINT: use after move is the point
  from_moved.push_back(moved, 1);
  CHECK(from_empty.begin() != freed);
  CHECK(from_moved.begin() == freed);
  CHECK(from_moved[0] == 1);
  CHECK(from_empty[0] == 2);
  CHECK(x[4] == 4);
}

TEST_CASE("customer record: gives back the customer saved; a save again copies only what changed",
          "[arena]") {
  Arena arena;
  Customer c;
  c.number = "31100042";
  c.name = "荆门市自来水公司东宝营业所";
  c.address = "荆门市东宝区泉口路12号";
  c.phone = "0724-2345678";
  c.id_no = "420802199001011234";
  c.meter_no = "M-2020-0042";
  c.caliber_dn = 20;
  c.category = "居民生活用水";
  c.ratio = "居民 70% / 非居民 30%";
  c.base_volume = 12;
  c.state = AccountState::suspended;
  c.type = CustomerType::industrial;
  CustomerRecord r;
  r.assign(arena, c);
  CHECK(r.customer() == c);

  const char* const name_before = r.name.c_str();
  Customer moved = c;
  moved.address = "荆门市掇刀区白庙路3号";
  moved.base_volume = 15;
  r.assign(arena, moved);
  CHECK(r.customer() == moved);
  CHECK(r.name.c_str() == name_before);  // unchanged: kept, not copied again
  r.assign(arena, Customer{});
  CHECK(r.customer() == Customer{});
}
