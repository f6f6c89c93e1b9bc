// `onestop store`: check and describe an event store directory, never writing to it.
//   onestop store verify DIR   exit 0 when intact ("intact: N records in K segments" on stdout);
//                              exit 4 when damaged, each damage on stderr: file, offset, what,
//                              which records and cases it affects
//   onestop store stats DIR    JSON on stdout: events, cases, bytes, segments, snapshots, …
//                              (exit 4 after the JSON of what is readable when damaged)
//   onestop store digest DIR   SHA-256 of the records on stdout (exit 4, no digest, when damaged)
// Exit 2 for bad usage or a directory that holds no store, 1 when the files cannot be read.
// Warnings (a torn tail that a writable open would drop) go to stderr and do not change the exit.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/store_cases.h"
#include "core/store/backup.h"
#include "core/store/inspect.h"
#include "core/store/store.h"
#include "core/text.h"

namespace onestop::cli {
namespace {

constexpr const char* kUsage =
    "usage: onestop store verify DIR\n"
    "       onestop store stats DIR\n"
    "       onestop store digest DIR\n";

int usage_error() {
  std::fputs(kUsage, stderr);
  return kExitUsage;
}

std::string both(const store::Damage& d) {
  return d.describe(Lang::zh) + " / " + d.describe(Lang::en);
}
std::string both(const store::Note& n) {
  return n.describe(Lang::zh) + " / " + n.describe(Lang::en);
}
std::string both(Text id, const std::string& arg = {}) {
  std::string out;
  for (Lang lang : {Lang::zh, Lang::en}) {
    if (lang == Lang::en) out += " / ";
    std::string_view pattern = tr(id, lang);
    const auto at = pattern.find("{}");
    if (at == std::string_view::npos || arg.empty()) {
      out += pattern;
    } else {
      (out += pattern.substr(0, at)) += arg;
      out += pattern.substr(at + 2);
    }
  }
  return out;
}

// Prints the warnings, and the damage when there is some; true when damaged.
bool report(const store::Store& s) {
  for (const auto& n : s.notes())
    std::fprintf(stderr, "onestop store: warning: %s, offset %llu: %s\n",
                 store::join_path(s.dir(), n.file).c_str(),
                 static_cast<unsigned long long>(n.offset), both(n).c_str());
  for (const auto& d : s.damage())
    std::fprintf(stderr, "onestop store: %s, offset %llu: %s\n",
                 store::join_path(s.dir(), d.file).c_str(),
                 static_cast<unsigned long long>(d.offset), both(d).c_str());
  if (s.damaged()) std::fprintf(stderr, "onestop store: %s\n", both(Text::StoreDamagedReadOnly).c_str());
  return s.damaged();
}

}  // namespace

int run_store(Args args) {
  if (args.size() != 2) return usage_error();
  const std::string_view verb = args[0];
  if (verb != "verify" && verb != "stats" && verb != "digest") return usage_error();
  const std::string dir(args[1]);

  store::PosixVfs vfs;
  store::OpenOptions options;
  options.read_only = true;
  options.verify_all = true;
  options.case_of = store_case_of();
  std::unique_ptr<store::Store> s;
  store::Status st = store::Store::open(vfs, dir, options, s);
  if (st.code == store::Code::not_found) {
    std::fprintf(stderr, "onestop store: %s\n", both(Text::StoreNotAStore, dir).c_str());
    return kExitUsage;
  }
  if (st.code == store::Code::damaged && store::restore_pending(vfs, dir)) {
    std::fprintf(stderr, "onestop store: %s\n", both(Text::StoreRestoreUnfinished, dir).c_str());
    return kExitStoreDamaged;
  }
  if (!st.ok()) {
    std::fprintf(stderr, "onestop store: %s\n", st.to_string().c_str());
    return kExitInternalError;
  }

  if (verb == "verify") {
    if (report(*s)) return kExitStoreDamaged;
    const std::string count = std::to_string(s->last_seq());
    const std::string segs = std::to_string(s->segment_count());
    std::string line;
    for (Lang lang : {Lang::zh, Lang::en}) {
      if (lang == Lang::en) line += " / ";
      std::string p = tr(Text::StoreIntact, lang);
      p.replace(p.find("{}"), 2, count);
      p.replace(p.find("{}"), 2, segs);
      line += p;
    }
    std::printf("%s\n", line.c_str());
    return kExitOk;
  }

  if (verb == "stats") {
    store::StoreStats stats;
    st = store::compute_stats(*s, options.case_of, stats);
    if (!st.ok()) {
      std::fprintf(stderr, "onestop store: %s\n", st.to_string().c_str());
      return kExitInternalError;
    }
    std::printf("%s\n", store::stats_json(stats).c_str());
    return report(*s) ? kExitStoreDamaged : kExitOk;
  }

  // digest
  std::string hex;
  st = store::compute_digest(*s, hex);
  if (report(*s) || st.code == store::Code::damaged) return kExitStoreDamaged;
  if (!st.ok()) {
    std::fprintf(stderr, "onestop store: %s\n", st.to_string().c_str());
    return kExitInternalError;
  }
  std::printf("%s\n", hex.c_str());
  return kExitOk;
}

}  // namespace onestop::cli
