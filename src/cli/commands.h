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

// `onestop calendar due --from YYYY-MM-DD --workdays N` | `onestop calendar day YYYY-MM-DD`
int run_calendar(Args args);

}  // namespace onestop::cli
