// Due-date computation: target <= 200 ns per call (issue 3).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "core/calendar.h"

namespace {

using onestop::Date;
using onestop::make_date;
using onestop::WorkCalendar;

struct Query {
  Date accepted;
  int workdays;
};

// 4096 acceptance dates spread over 2024-2027 (published and provisional years, holidays and
// weekends included) with N in 1..10, fixed seed.
std::vector<Query> make_queries() {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> day(make_date(2024, 1, 1).days,
                                             make_date(2027, 12, 31).days);
  std::uniform_int_distribution<int> n(1, 10);
  std::vector<Query> q(4096);
  for (auto& x : q) x = {Date{day(rng)}, n(rng)};
  return q;
}

void BM_DueDate(benchmark::State& state) {
  const WorkCalendar& cal = WorkCalendar::builtin();
  const std::vector<Query> queries = make_queries();
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ & (queries.size() - 1)];
    auto answer = cal.due(q.accepted, q.workdays);
    benchmark::DoNotOptimize(answer);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DueDate);

}  // namespace
