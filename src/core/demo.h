#pragma once
// A deterministic simulation of a service counter, for `onestop demo`, the store benchmarks and
// load tests: cases of every matter in the routing table, driven through their processes by the
// right people through the real engine — every branch of every step, pauses and resumptions,
// transfers, the department's reply, return visits with ratings, closing, reopening, duplicates,
// follow-ups, cases left open at every stage, and the §6 escalation chain (overdue, chased,
// reported, ruled) for cases left to run late. The same seed gives the same events.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/calendar.h"
#include "core/model.h"
#include "core/problem.h"
#include "core/process.h"
#include "core/workflow.h"

namespace onestop {

struct DemoOptions {
  size_t cases = 100;  // cases to accept
  uint64_t seed = 1;
  Millis start = 0;    // 0: 2025-01-02 08:30 China time, or just after the state's last event
};

struct DemoReport {
  size_t cases = 0;     // accepted
  size_t commands = 0;  // commands the engine accepted
  size_t refused = 0;   // commands the engine refused (a case so refused is left as it is)
  size_t events = 0;
  std::map<std::string, size_t> processes;  // process key -> cases
  std::map<std::string, size_t> actions;    // "accept", "act:<outcome>", "reply", … -> count
  std::map<std::string, size_t> refusals;   // "<action>: <problem>" -> count
  Problem first_refusal;
  bool stopped = false;  // after_command asked to stop
};

// Staff for every role in every department of `book`, working at `site`; badges are
// "<DEPT>-<ROLE>" in capitals (WINDOW-ACCEPTOR, BILLING-HANDLER, …).
Directory demo_directory(const ProcessBook& book, const std::string& site);

// Runs the simulation on `engine` (whose directory must be demo_directory()). After each
// command that wrote events, `after_command` is called (commit to the store there); returning
// false stops the run.
DemoReport run_demo(Engine& engine, const ProcessBook& book, const Directory& directory,
                    const DemoOptions& options, const std::function<bool()>& after_command);

}  // namespace onestop
