// `onestop`: the native command line over the same core the browser app runs.
#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "core/version.h"

namespace onestop::cli {
namespace {

// Every subcommand registers here, in the order --help lists them.
constexpr std::array kCommands{
    Command{"calendar",
            "calendar due --from YYYY-MM-DD --workdays N | calendar day YYYY-MM-DD",
            &run_calendar},
    Command{"store", "store verify|stats|digest DIR   check and describe an event store",
            &run_store},
    Command{"demo", "demo --store DIR --site CODE --cases N --seed S   create realistic cases",
            &run_demo},
    Command{"processes", "processes check FILE   validate a process-definitions file",
            &run_processes},
};

void print_help() {
  std::printf(
      "%s %s\n\n"
      "Usage: onestop [--version | --help] <command> [arguments]\n\n"
      "Options:\n"
      "  --version   print the version and exit\n"
      "  --help      print this help and exit\n",
      kProductName, kVersion);
  if (!kCommands.empty()) std::printf("\nCommands:\n");
  for (const auto& c : kCommands) std::printf("  %s\n", c.usage.data());
}

}  // namespace
}  // namespace onestop::cli

int main(int argc, char** argv) {
  using namespace onestop::cli;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_help();
    return kExitUsage;
  }
  if (args[0] == "--version") {
    std::printf("onestop %s\n", onestop::kVersion);
    return kExitOk;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    print_help();
    return kExitOk;
  }
  for (const auto& c : kCommands)
    if (c.name == args[0]) return c.run(Args(args).subspan(1));
  std::fprintf(stderr, "onestop: unknown command '%.*s' (try --help)\n",
               static_cast<int>(args[0].size()), args[0].data());
  return kExitUsage;
}
