#pragma once
// Processes as data: the steps of every matter of the rule, who may act at each step, what must
// be filled in, received and signed, the working-day limits per customer type, the branches, and
// the routing table of Attachment 1. Loaded from JSON (data/processes/default.json is compiled
// into the binary; an administrator's edited copy can be loaded from a path) and validated: every
// error is named with its JSON path, e.g. `$.processes[3].steps[2].role`.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace onestop {

// A time limit in working days per customer type; -1 = no limit.
struct Limit {
  std::array<int, kCustomerTypeCount> days{-1, -1, -1, -1};
  int for_type(CustomerType t) const { return days[static_cast<size_t>(t)]; }
  bool any() const {
    for (int d : days)
      if (d >= 0) return true;
    return false;
  }
  bool operator==(const Limit&) const = default;
};

struct NamedKey {
  std::string key, zh, en;
  bool operator==(const NamedKey&) const = default;
};

struct NextStep {
  std::string outcome;  // empty when the step has a single way on
  std::string zh, en;   // the outcome's names (required when there is an outcome)
  std::string to;       // step key
  bool operator==(const NextStep&) const = default;
};

// A change a step makes to the customer record when it is done: attribute := value, or
// attribute := the case field `field` (skipped when that field is empty).
struct Effect {
  std::string attribute;  // kCustomerAttributes
  std::string value;
  std::string field;
  bool operator==(const Effect&) const = default;
};

inline constexpr std::string_view kResponsibleDept = "";  // the case's responsible department
inline constexpr std::string_view kAnyDept = "*";          // any department (role check only)

struct StepDef {
  std::string key, zh, en;
  std::optional<Role> role;  // who acts (non-terminal steps)
  std::string department;    // a department key, "" = responsible, "*" = any
  std::vector<std::string> fields;      // must be non-empty once the step is done
  std::vector<std::string> documents;   // must have been received
  std::vector<std::string> signatures;  // roles (or "customer") that must sign
  Limit limit;                          // working days for this step
  std::vector<NextStep> next;
  bool terminal = false;
  std::vector<Effect> effects;
  const NextStep* next_for(std::string_view outcome) const;
  bool operator==(const StepDef&) const = default;
};

struct ProcessDef {
  std::string key, zh, en;
  Mode mode = Mode::accepted;
  Summary summary = Summary::none;
  std::string department;  // the handling department by default
  std::string form;        // the paper form it prints: "A8", "A9", "A10", "" …
  Limit limit;             // the case clock (§6: 5 working days), per customer type
  bool reply = false;         // the department reports the result to the acceptor
  bool return_visit = false;  // the acceptor calls the customer back and records a rating
  bool auto_close = false;    // closes by itself once nothing is left to do
  std::vector<StepDef> steps;  // steps[0] is the first; it is done at the counter
  const StepDef* step(std::string_view key) const;
  // Every document any step asks for, in order of first mention.
  std::vector<std::string> checklist() const;
  bool operator==(const ProcessDef&) const = default;
};

// One row of Attachment 1: a matter, how it is handled and by whom.
struct RoutingRow {
  std::string key, zh, en;
  Mode mode = Mode::accepted;
  std::string department;              // handled by
  std::string with;                    // verified by / together with (may be empty)
  std::vector<std::string> forward_to;  // where the handler may pass it on
  std::string process;                 // process key
  std::string source;                  // where the row comes from: "附件1", "§5", "A6" …
  bool operator==(const RoutingRow&) const = default;
};

struct ProcessBook {
  int format = 1;
  std::vector<Department> departments;
  std::vector<NamedKey> documents;
  std::vector<NamedKey> fields;  // extra form fields besides kCoreFields
  std::vector<ProcessDef> processes;
  std::vector<RoutingRow> routing;

  const Department* department(std::string_view key) const;
  const NamedKey* document(std::string_view key) const;
  bool has_field(std::string_view key) const;  // core or extra
  const ProcessDef* process(std::string_view key) const;
  const RoutingRow* matter(std::string_view key) const;
  size_t step_count() const;
  bool operator==(const ProcessBook&) const = default;
};

struct ProcessError {
  std::string path;  // JSON path: $.processes[3].steps[2].role
  Problem problem;
  std::string text() const { return path + ": " + problem.both(); }
};

// Parses and validates; nullopt with every error found (not just the first) when invalid.
std::optional<ProcessBook> load_processes(std::string_view json, std::vector<ProcessError>& errors);
// data/processes/default.json as compiled into the binary.
std::string_view default_processes_json();
// The built-in definitions, parsed once. (Checked by the tests; empty if they were invalid.)
const ProcessBook& builtin_processes();

}  // namespace onestop
