// `onestop processes check FILE`: validates an edited process-definitions file.
//   exit 0: valid; one summary line on stdout.
//   exit 2: invalid (each error on its own line on stderr, "JSON path: 中文 / English"),
//           the file cannot be read, or bad usage.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "core/process.h"

namespace onestop::cli {

int run_processes(Args args) {
  if (args.size() != 2 || args[0] != "check") {
    std::fputs("usage: onestop processes check FILE\n", stderr);
    return kExitUsage;
  }
  const std::string path(args[1]);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "%s\n", Problem(Text::ErrCannotRead, {path}).both().c_str());
    return kExitUsage;
  }
  std::vector<ProcessError> errors;
  const auto book = load_processes(text.str(), errors);
  if (!book) {
    for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.text().c_str());
    return kExitUsage;
  }
  const Problem ok(Text::ProcessesValid,
                   {std::to_string(book->processes.size()), std::to_string(book->step_count()),
                    std::to_string(book->routing.size()), std::to_string(book->departments.size())});
  std::printf("%s\n", ok.both().c_str());
  return kExitOk;
}

}  // namespace onestop::cli
