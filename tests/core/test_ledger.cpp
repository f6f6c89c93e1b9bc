// The ledger: engine commands committed to the store, replayed on open, failed commits retried.
#include <catch2/catch.hpp>

#include "core/demo.h"
#include "core/ledger.h"
#include "core/store/mem_vfs.h"

using namespace onestop;

namespace {

struct Fixture {
  const ProcessBook& book = builtin_processes();
  Directory directory = demo_directory(book, "HQ");
  Ledger::Setup setup{&book, &directory, &WorkCalendar::builtin(), "HQ"};
  store::MemVfs vfs;

  std::unique_ptr<Ledger> open() {
    std::unique_ptr<Ledger> l;
    const auto st = Ledger::open(vfs, "/data/store", setup, l);
    REQUIRE(st.ok());
    REQUIRE(l);
    return l;
  }
};

Result accept(Ledger& l, const std::string& name, Millis t) {
  return l.submit([&](Engine& e) {
    AcceptCmd c;
    c.actor = "WINDOW-ACCEPTOR";
    c.time = t;
    c.matter = "consultation";
    c.customer_name = name;
    c.phone = "13800000000";
    c.demand = "问水费";
    return e.accept(c);
  });
}

constexpr Millis kMorning = 1'764'810'000'000;  // 2025-12-04, 09:00 China time

}  // namespace

TEST_CASE("accepted commands are committed and replayed on open", "[ledger]") {
  Fixture f;
  std::string first;
  {
    auto l = f.open();
    const Result a = accept(*l, "张三", kMorning);
    INFO(a.problem.en());
    REQUIRE(a.ok);
    CHECK(l->commit_status().ok());
    CHECK(l->uncommitted() == 0);
    first = a.case_id;
    REQUIRE(accept(*l, "李四", kMorning + 60'000).ok);
    CHECK(l->store().last_seq() >= 2);
    const auto changes = l->take_changes();
    CHECK_FALSE(changes.written.empty());  // the segment and the manifest
  }
  auto again = f.open();
  CHECK(again->engine().state().case_count() == 2);
  const Case* c = again->engine().state().find(first);
  REQUIRE(c != nullptr);
  CHECK(again->engine().search("张三").size() == 1);
}

TEST_CASE("a refused command writes nothing", "[ledger]") {
  Fixture f;
  auto l = f.open();
  const uint64_t before = l->store().last_seq();
  const Result r = l->submit([](Engine& e) {
    AcceptCmd c;
    c.actor = "NOBODY";
    c.matter = "consultation";
    return e.accept(c);
  });
  CHECK_FALSE(r.ok);
  CHECK(l->store().last_seq() == before);
  CHECK(l->uncommitted() == 0);
}

TEST_CASE("a failed commit keeps the events and the next commit writes them", "[ledger]") {
  Fixture f;
  auto l = f.open();
  f.vfs.set_disk_full(true);
  const Result r = accept(*l, "王五", kMorning);
  CHECK(r.ok);                              // the engine accepted it …
  CHECK_FALSE(l->commit_status().ok());     // … but the disk was full
  CHECK(l->uncommitted() > 0);
  CHECK(l->engine().state().case_count() == 1);  // still shown to the clerk
  f.vfs.set_disk_full(false);
  CHECK(l->retry().ok());
  CHECK(l->uncommitted() == 0);
  l.reset();
  auto again = f.open();
  CHECK(again->engine().state().case_count() == 1);
}
