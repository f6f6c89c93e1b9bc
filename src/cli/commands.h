#pragma once
// Subcommands of the `onestop` command-line tool. Each takes the arguments after its own name
// and returns the process exit status. Exit statuses are part of the interface:
//   0 ok, 1 internal error, 2 usage error, 3 the calendar cannot answer, 4 store damaged.
#include <span>
#include <string_view>

namespace onestop::cli {

using Args = std::span<const std::string_view>;

struct Command {
  std::string_view name;
  std::string_view usage;    // one line, shown by --help
  int (*run)(Args args);
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCalendarCannotAnswer = 3;
inline constexpr int kExitInternalError = 1;
inline constexpr int kExitStoreDamaged = 4;

// `onestop calendar due --from YYYY-MM-DD --workdays N` | `onestop calendar day YYYY-MM-DD`
int run_calendar(Args args);

// `onestop store verify|stats|digest DIR` (cmd_store.cpp): 0 ok, 2 usage or no store there,
// 4 damaged (each damage named on stderr), 1 when the files cannot be read.
int run_store(Args args);

// `onestop demo --store DIR --site CODE --cases N --seed S` (cmd_demo.cpp): N realistic cases
// through the domain engine into the store; 0 ok, 2 usage, 4 store damaged, 1 store unwritable.
int run_demo(Args args);

// `onestop processes check FILE`: 0 when the process definitions are valid, 2 when not (each
// error on stderr) or when the file cannot be read.
int run_processes(Args args);

}  // namespace onestop::cli
