// Workflow engine and indexes (issue 3):
//   BM_FoldEvents  folding 1,000,000 events into a fresh state, every index complete at the
//                  end; target >= 3 million events/s.
//   BM_TextQuery   a text query over 100,000 cases; target <= 5 ms.
// The events are written by the engine itself from commands (a realistic mix: every routing
// row, most cases carried through to the return visit, some left at every stage), once.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/workflow.h"
#include "workflow_fixture.h"

namespace {

using namespace onestop;
using namespace onestop::testing;

const char* const kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "吴", "周",
                                 "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                              "建国", "秀英", "志强", "海燕", "晓东", "红梅", "国庆", "春花"};
const char* const kDistricts[] = {"东宝区", "掇刀区", "京山市", "沙洋县", "钟祥市"};
const char* const kRoads[] = {"泉口路", "白庙路", "象山大道", "月亮湖路", "长宁大道",
                              "深圳大道", "龙井大道", "海慧路", "金虾路", "培公大道"};

struct Corpus {
  std::vector<Event> events;
  size_t cases = 0;
  std::vector<std::string> numbers, phones, names, addresses;
};

// Writes events through the engine until there are at least `target` of them.
const Corpus& corpus(size_t target) {
  static std::unique_ptr<Corpus> built;
  if (built && built->events.size() >= target) return *built;
  built = std::make_unique<Corpus>();
  Corpus& c = *built;
  c.events.reserve(target + 64);
  static const ProcessBook& book = builtin_processes();
  static const Directory dir = company();
  const WorkCalendar& cal = WorkCalendar::builtin();
  Engine engine(book, dir, cal, "HQ");
  engine.set_sink([&c](const Event& e) { c.events.push_back(e); });
  std::mt19937 rng(42);
  auto below = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  Millis now = at(2025, 1, 2, 8);
  std::vector<std::string> open;
  while (c.events.size() < target) {
    now += static_cast<Millis>(below(400'000));  // ~ 200 cases a day
    const auto& row = book.routing[below(book.routing.size())];
    AcceptCmd a = proper_accept(book, row.key, now, below(2) ? "W01" : "W02");
    a.customer_no = "31" + std::to_string(100000 + below(60000));
    a.customer_name = std::string(kSurnames[below(20)]) + kGiven[below(18)];
    a.address = std::string("荆门市") + kDistricts[below(5)] + kRoads[below(10)] +
                std::to_string(1 + below(500)) + "号";
    a.phone = "13" + std::to_string(100000000 + below(900000000));
    const Result r = engine.accept(a);
    if (!r.ok) continue;
    ++c.cases;
    if (c.numbers.size() < 1000) {
      c.numbers.push_back(r.case_id);
      c.phones.push_back(a.phone);
      c.names.push_back(a.customer_name);
      c.addresses.push_back(a.address);
    }
    // Carry the case on; one in five stops somewhere on the way.
    const int stop_after = below(5) == 0 ? static_cast<int>(below(6)) : 100;
    int done = 0;
    const Case* cs = engine.state().find(r.case_id);
    while (cs && !cs->at_end && !cs->closed() && done < stop_after) {
      std::string outcome;
      if (const StepDef* s = book.process(cs->process)->step(cs->step); s && s->next.size() > 1)
        outcome = s->next[below(s->next.size())].outcome;
      if (!engine.act(proper_act(book, dir, *cs, now, outcome)).ok) break;
      cs = engine.state().find(r.case_id);
      ++done;
    }
    if (!cs || cs->closed() || done < stop_after) continue;
    std::string replier;
    for (const auto& s : dir.staff)
      if (s.department == cs->responsible_dept) {
        replier = s.badge;
        break;
      }
    if (cs->needs_reply) engine.reply({replier, now, r.case_id, "已办结"});
    if (cs->needs_visit) engine.visit({"W01", now, r.case_id, 1 + static_cast<int>(below(5)), "满意"});
    if (!engine.state().find(r.case_id)->closed()) engine.close({"W01", now, r.case_id, {}});
  }
  c.events.resize(target);
  return c;
}

// Outside the timing: frees what an iteration built and gives its pages back to the kernel, so
// that the next iteration faults in fresh zeroed pages again, as the app's one fold or load at
// open does, but pages the guest has used before (see fold()).
template <typename Owner>
void give_back(benchmark::State& state, Owner& built) {
  state.PauseTiming();
  built.reset();
  malloc_trim(0);
  state.ResumeTiming();
}

void fold(benchmark::State& state, Indexing indexing) {
  const Corpus& c = corpus(static_cast<size_t>(state.range(0)));
  // Each fold fills memory fresh to the process, as the app's single fold at open does: after
  // a fold (outside the timing) its state is freed and malloc gives the freed pages back to the
  // kernel, so the next fold faults in zeroed pages again (counted: `faults`). Keeping every
  // state instead walked each fold into guest memory this VM had never backed: 2.7 GB for ten
  // folds, costing the host's lazy backing (300-400 ms of system time a fold, against 40-60 ms
  // for pages the guest had used before) -- a cost of the VM's first use of its RAM, not of the
  // fold (docs/performance.md, "Tenth look"). Freeing without giving the pages back had glibc
  // carve the next fold's small blocks out of the last one's fragments, which no open does.
  // The process's user and system time split the figure: the system part is the kernel
  // handing out (zeroed) fresh pages.
  const auto heap_in_use = [] {
    const struct mallinfo2 m = mallinfo2();
    return static_cast<double>(m.uordblks + m.hblkhd);
  };
  malloc_trim(0);
  const double heap0 = heap_in_use();
  double user_ms = 0, sys_ms = 0, faults = 0, postings_ms = 0, heap_mb = 0, arena_mb = 0;
  const auto ms = [](timeval a, timeval b) {
    return static_cast<double>(b.tv_sec - a.tv_sec) * 1e3 +
           static_cast<double>(b.tv_usec - a.tv_usec) / 1e3;
  };
  for (auto _ : state) {
    rusage r0{}, r1{};
    getrusage(RUSAGE_SELF, &r0);
    // As Ledger::open replays: the text postings put off, then made in one pass (the app makes
    // them a slice per frame), which costs less than posting each case amid the fold.
    auto s = std::make_unique<State>(indexing);
    s->defer_text();
    for (const Event& e : c.events) s->apply(e);
    const auto folded = std::chrono::steady_clock::now();
    while (!s->complete_step(SIZE_MAX)) {
    }
    postings_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                             folded).count();
    benchmark::DoNotOptimize(s->case_count());
    getrusage(RUSAGE_SELF, &r1);
    state.PauseTiming();
    user_ms += ms(r0.ru_utime, r1.ru_utime);
    sys_ms += ms(r0.ru_stime, r1.ru_stime);
    faults += static_cast<double>(r1.ru_minflt - r0.ru_minflt);
    // What one folded state holds: malloc's bytes in use (indexes, tables, customers) and the
    // arena's blocks (the cases, their strings and lists; mapped on their own, outside
    // malloc's figures).
    heap_mb += (heap_in_use() - heap0) / 1e6;
    arena_mb = static_cast<double>(s->arena_bytes()) / 1e6;
    state.ResumeTiming();
    give_back(state, s);
  }
  const auto per_fold = [&state](double total) {
    return total / static_cast<double>(state.iterations());
  };
  state.counters["user_ms"] = per_fold(user_ms);
  state.counters["sys_ms"] = per_fold(sys_ms);
  state.counters["faults"] = per_fold(faults);
  state.counters["heap_mb"] = per_fold(heap_mb);
  state.counters["arena_mb"] = arena_mb;
  if (indexing == Indexing::on) state.counters["postings_ms"] = per_fold(postings_ms);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(c.events.size()));
  state.counters["cases"] = static_cast<double>(c.cases);
}
void BM_FoldEvents(benchmark::State& state) { fold(state, Indexing::on); }
BENCHMARK(BM_FoldEvents)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
// The same without the query indexes: the cost of the case state alone.
void BM_FoldEventsNoIndexes(benchmark::State& state) { fold(state, Indexing::off); }
BENCHMARK(BM_FoldEventsNoIndexes)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The state with 100,000 cases (folded once), and queries of each kind.
const State& hundred_thousand_cases(std::vector<std::string>& queries, int kind) {
  static std::unique_ptr<State> s;
  static const Corpus* c = nullptr;
  if (!s) {
    c = &corpus(1'000'000);
    s = std::make_unique<State>();
    for (const Event& e : c->events) {
      if (s->case_count() >= 100'000 && e.type() == EventType::accepted) continue;
      s->apply(e);
    }
  }
  queries.clear();
  for (size_t i = 0; i < c->numbers.size(); ++i) {
    switch (kind) {
      case 0: queries.push_back(c->names[i]); break;                      // 张伟
      case 1: queries.push_back(c->phones[i].substr(3, 6)); break;        // part of a phone
      case 2: queries.push_back(c->addresses[i].substr(9)); break;        // 东宝区泉口路12号 …
      case 3: queries.push_back(c->numbers[i]); break;                    // HQ-20250103-0042
      case 5: queries.push_back(c->names[i].substr(0, 3)); break;         // 张 (one character)
      default: queries.push_back("荆门市东宝区"); break;                   // matches a fifth
    }
  }
  return *s;
}

void BM_TextQuery(benchmark::State& state) {
  std::vector<std::string> queries;
  const State& s = hundred_thousand_cases(queries, static_cast<int>(state.range(0)));
  size_t i = 0, found = 0, candidates = 0;
  for (auto _ : state) {
    const auto r = s.find_text(queries[i++ % queries.size()], 200);
    found += r.refs.size();
    candidates += r.candidates;
    benchmark::DoNotOptimize(r.refs.data());
  }
  state.counters["cases"] = static_cast<double>(s.case_count());
  state.counters["found"] = static_cast<double>(found) / static_cast<double>(state.iterations());
  state.counters["candidates"] =
      static_cast<double>(candidates) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TextQuery)
    ->ArgName("kind")  // 0 name, 1 phone digits, 2 address, 3 case number, 4 very common text,
                       // 5 one character (a surname)
    ->DenseRange(0, 5)
    ->Unit(benchmark::kMicrosecond);

// The same queries right after a snapshot load, before complete_step has made any search text:
// every case is normalized and checked on the spot (what a search typed in the first frames
// after opening a big store costs).
void BM_TextQueryBeforeTexts(benchmark::State& state) {
  std::vector<std::string> queries;
  const std::string bytes =
      hundred_thousand_cases(queries, static_cast<int>(state.range(0))).snapshot();
  std::string error;
  const auto s = State::from_snapshot(bytes, Indexing::on, error);
  if (!s) {
    state.SkipWithError(error.c_str());
    return;
  }
  size_t i = 0, candidates = 0;
  for (auto _ : state) {
    const auto r = s->find_text(queries[i++ % queries.size()], 200);
    candidates += r.candidates;
    benchmark::DoNotOptimize(r.refs.data());
  }
  state.counters["candidates"] =
      static_cast<double>(candidates) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TextQueryBeforeTexts)
    ->ArgName("kind")
    ->DenseRange(0, 5)
    ->Unit(benchmark::kMillisecond);

// The indexes alone: every index built for the 100,000 cases, one update per case (the part of
// BM_FoldEvents that BM_FoldEventsNoIndexes leaves out, without its repeated updates).
void BM_IndexCases(benchmark::State& state) {
  std::vector<std::string> queries;
  const State& s = hundred_thousand_cases(queries, 0);
  for (auto _ : state) {
    auto index = std::make_unique<CaseIndex>();
    for (CaseRef ref = 0; ref < s.case_count(); ++ref) index->update(ref, s.at(ref));
    benchmark::DoNotOptimize(index->running_clocks());
    give_back(state, index);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.case_count()));
}
BENCHMARK(BM_IndexCases)->Unit(benchmark::kMillisecond);

// Opening a store in the browser decodes the newest state snapshot: 100,000 cases (state only,
// then with every index rebuilt, as Ledger::open does: the cases' details are put off). The
// "whole" figure includes completing what was put off (State::complete_step: the details and
// the text postings), which the app does a slice per frame after the first. Bytes per case as a
// counter.
void snapshot_load(benchmark::State& state, Indexing indexing, bool whole = false) {
  std::vector<std::string> queries;
  const std::string bytes = hundred_thousand_cases(queries, 0).snapshot();
  for (auto _ : state) {
    std::string error;
    auto s = State::from_snapshot(bytes, indexing, error);
    if (!s) state.SkipWithError(error.c_str());
    if (whole)
      while (!s->complete_step(SIZE_MAX)) {
      }
    benchmark::DoNotOptimize(s->case_count());
    give_back(state, s);
  }
  state.counters["bytes_per_case"] = static_cast<double>(bytes.size()) / 100000.0;
  state.counters["MB"] = static_cast<double>(bytes.size()) / 1e6;
}
void BM_SnapshotLoad(benchmark::State& state) { snapshot_load(state, Indexing::on); }
BENCHMARK(BM_SnapshotLoad)->Unit(benchmark::kMillisecond);
void BM_SnapshotLoadNoIndexes(benchmark::State& state) { snapshot_load(state, Indexing::off); }
BENCHMARK(BM_SnapshotLoadNoIndexes)->Unit(benchmark::kMillisecond);
void BM_SnapshotLoadWhole(benchmark::State& state) { snapshot_load(state, Indexing::on, true); }
BENCHMARK(BM_SnapshotLoadWhole)->Unit(benchmark::kMillisecond);

void BM_SnapshotWrite(benchmark::State& state) {
  std::vector<std::string> queries;
  const State& s = hundred_thousand_cases(queries, 0);
  size_t bytes = 0;
  for (auto _ : state) bytes = s.snapshot().size();
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_SnapshotWrite)->Unit(benchmark::kMillisecond);

}  // namespace
