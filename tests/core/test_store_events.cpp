// The domain's events in the store: the demo simulation through the real engine into a store,
// replayed into a fresh state; the case decoder; determinism of the demo.
#include <catch2/catch.hpp>

#include <set>

#include "core/demo.h"
#include "core/store/events.h"
#include "core/store/inspect.h"
#include "store_test_util.h"

using namespace onestop;
using namespace onestop::store;
using namespace onestop::store::testing;

namespace {

struct DemoRun {
  DemoReport report;
  std::string digest;
  uint64_t events = 0;
  std::unique_ptr<State> replayed;
  bool same_state = false;
};

DemoRun demo_into_store(size_t cases, uint64_t seed, const std::string& site = "HQ") {
  MemVfs fs;
  OpenOptions o;
  o.create = true;
  o.case_of = event_case_of();
  std::unique_ptr<Store> s;
  REQUIRE(Store::open(fs, kDir, o, s).ok());
  const ProcessBook& book = builtin_processes();
  const Directory dir = demo_directory(book, site);
  Engine engine(book, dir, WorkCalendar::builtin(), site);
  Status failed;
  engine.set_sink([&](const Event& e) {
    if (failed.ok()) failed = s->append(event_record(e));
  });
  DemoOptions opt;
  opt.cases = cases;
  opt.seed = seed;
  DemoRun run;
  run.report = run_demo(engine, book, dir, opt, [&] {
    if (failed.ok()) failed = s->commit();  // one commit per command, as the app does
    return failed.ok();
  });
  REQUIRE(failed.ok());
  REQUIRE(s->pending() == 0);
  run.events = s->last_seq();

  s.reset();
  REQUIRE(Store::open(fs, kDir, o, s).ok());
  REQUIRE_FALSE(s->damaged());
  REQUIRE(compute_digest(*s, run.digest).ok());
  StoreStats stats;
  REQUIRE(compute_stats(*s, event_case_of(), stats).ok());
  CHECK(stats.cases == run.report.cases);
  CHECK(stats.undecodable == 0);
  CHECK(stats.events == run.events);

  run.replayed = std::make_unique<State>();
  uint64_t bad = 0;
  REQUIRE(replay_events(*s, 1, [&](const Event& e) {
            run.replayed->apply(e);
            return true;
          }, &bad).ok());
  CHECK(bad == 0);
  run.same_state = run.replayed->same_as(engine.state());
  return run;
}

}  // namespace

TEST_CASE("demo: every matter and every branch through the engine, nothing refused",
          "[store][demo]") {
  const DemoRun run = demo_into_store(600, 1);
  const DemoReport& r = run.report;
  INFO("first refusal: " << r.first_refusal.en());
  CHECK(r.refused == 0);
  CHECK(r.cases == 600);
  CHECK(r.events == run.events);
  CHECK(run.events > 600 * 5);
  CHECK(run.same_state);

  const ProcessBook& book = builtin_processes();
  for (const auto& p : book.processes) {
    INFO("process " << std::string(p.key));
    CHECK(r.processes.count(std::string(p.key)) == 1);
    for (const auto& step : p.steps)
      if (step.next.size() > 1)
        for (const auto& n : step.next) {
          INFO("step " << std::string(step.key) << ", outcome " << std::string(n.outcome));
          CHECK(r.actions.count("act:" + std::string(n.outcome)) == 1);
        }
  }
  for (const char* action : {"accept", "reply", "visit", "close", "reopen", "pause", "resume",
                             "transfer", "duplicate", "follow_up", "scan_overdue", "chase",
                             "report", "rule"}) {
    INFO(action);
    CHECK(r.actions.count(action) == 1);
  }
}

TEST_CASE("demo: the same seed gives the same events, another seed others", "[store][demo]") {
  const DemoRun a = demo_into_store(80, 5);
  const DemoRun b = demo_into_store(80, 5);
  const DemoRun c = demo_into_store(80, 6);
  CHECK(a.digest == b.digest);
  CHECK(a.digest != c.digest);
  CHECK(a.report.refused == 0);
  CHECK(c.report.refused == 0);
}

TEST_CASE("events: the case decoder reads the event JSON only", "[store][demo]") {
  const CaseOf case_of_event = event_case_of();
  CHECK(case_of_event(R"({"site":"HQ","seq":1,"actor":"W","time":0,"case":"HQ-1","type":"closed","data":{}})") ==
        std::optional<std::string>("HQ-1"));
  CHECK(case_of_event(R"({"site":"HQ","seq":2,"actor":"W","time":0,"case":"","type":"customer_saved","data":{}})") ==
        std::optional<std::string>(""));
  CHECK_FALSE(case_of_event("not json"));
  CHECK_FALSE(case_of_event(R"({"case":5})"));
  CHECK_FALSE(case_of_event(R"([1,2,3])"));
  CHECK_FALSE(case_of_event(std::string("{\"case\":\"HQ\xff")));
}
