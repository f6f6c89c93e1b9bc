// `onestop demo --store DIR --site CODE --cases N --seed S [--commit-every K]`: creates N
// realistic cases through the domain engine (core/demo.h: every matter and branch, pauses,
// transfers, replies, return visits, reopenings, duplicates, escalations) and stores their events
// in the event store at DIR, created if needed. A store that already holds events is replayed
// first and extended. The same seed gives the same events.
// Exit 0 with a JSON summary on stdout; 2 bad usage; 4 the store is damaged; 1 it cannot be
// written (disk full, …) — everything committed before that stays.
#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "core/demo.h"
#include "core/settings.h"
#include "core/store/events.h"
#include "core/store/store.h"

namespace onestop::cli {
namespace {

constexpr const char* kUsage =
    "usage: onestop demo --store DIR --site CODE --cases N --seed S [--commit-every K]\n";

int usage_error(const std::string& why = {}) {
  if (!why.empty()) std::fprintf(stderr, "onestop demo: %s\n", why.c_str());
  std::fputs(kUsage, stderr);
  return kExitUsage;
}

std::optional<uint64_t> number(std::string_view text) {
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int run_demo(Args args) {
  std::optional<std::string> dir, site;
  std::optional<uint64_t> cases, seed;
  uint64_t commit_every = 256;
  for (size_t i = 0; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return usage_error();
    const std::string_view key = args[i], value = args[i + 1];
    if (key == "--store" && !dir) {
      dir = std::string(value);
    } else if (key == "--site" && !site) {
      site = std::string(value);
    } else if (key == "--cases" && !cases) {
      cases = number(value);
      if (!cases || *cases == 0 || *cases > 10'000'000)
        return usage_error("--cases must be a whole number from 1 to 10000000");
    } else if (key == "--seed" && !seed) {
      seed = number(value);
      if (!seed) return usage_error("--seed must be a whole number");
    } else if (key == "--commit-every") {
      const auto k = number(value);
      if (!k || *k == 0) return usage_error("--commit-every must be at least 1");
      commit_every = *k;
    } else {
      return usage_error();
    }
  }
  if (!dir || !site || !cases || !seed) return usage_error();
  if (!valid_site_code(*site)) return usage_error(Message{Text::ErrBadSiteCode}.en());

  store::PosixVfs vfs;
  store::OpenOptions options;
  options.create = true;
  options.case_of = store::event_case_of();
  options.log = [](const std::string& line) {
    std::fprintf(stderr, "onestop demo: %s\n", line.c_str());
  };
  std::unique_ptr<store::Store> s;
  store::Status st = store::Store::open(vfs, *dir, options, s);
  if (!st.ok()) {
    std::fprintf(stderr, "onestop demo: %s\n", st.to_string().c_str());
    return kExitInternalError;
  }
  if (s->damaged()) {
    std::fprintf(stderr, "onestop demo: %s: the store is damaged (onestop store verify %s)\n",
                 dir->c_str(), dir->c_str());
    return kExitStoreDamaged;
  }

  const ProcessBook& book = builtin_processes();
  const Directory directory = demo_directory(book, *site);
  Engine engine(book, directory, WorkCalendar::builtin(), *site);
  uint64_t undecodable = 0;
  st = store::replay_events(*s, 1, [&](const Event& e) {
    engine.apply(e);
    return true;
  }, &undecodable);
  if (!st.ok() || undecodable != 0) {
    std::fprintf(stderr, "onestop demo: %s: cannot replay the store (%s, %llu undecodable)\n",
                 dir->c_str(), st.to_string().c_str(),
                 static_cast<unsigned long long>(undecodable));
    return st.code == store::Code::damaged ? kExitStoreDamaged : kExitInternalError;
  }
  const uint64_t events_before = s->last_seq();

  store::Status failed;
  engine.set_sink([&](const Event& e) {
    if (failed.ok()) failed = s->append(store::event_record(e));
  });
  uint64_t commands = 0;
  const auto after_command = [&]() {
    if (!failed.ok()) return false;
    if (++commands % commit_every == 0) failed = s->commit();
    return failed.ok();
  };
  DemoOptions demo;
  demo.cases = static_cast<size_t>(*cases);
  demo.seed = *seed;
  const DemoReport rep = run_demo(engine, book, directory, demo, after_command);
  if (failed.ok()) failed = s->commit();
  if (!failed.ok()) {
    std::fprintf(stderr, "onestop demo: %s (%llu events committed)\n", failed.to_string().c_str(),
                 static_cast<unsigned long long>(s->last_seq()));
    return kExitInternalError;
  }
  // A state snapshot at the end, as the app writes one when the counter is quiet: the app (and
  // the store benchmark) then opens such a store without replaying its history.
  st = s->write_snapshot(s->last_seq(), engine.state().snapshot());
  if (!st.ok()) {
    std::fprintf(stderr, "onestop demo: snapshot: %s\n", st.to_string().c_str());
    return kExitInternalError;
  }
  if (rep.refused != 0) {
    std::fprintf(stderr, "onestop demo: warning: %zu commands refused:\n", rep.refused);
    for (const auto& [what, n] : rep.refusals)
      std::fprintf(stderr, "  %zu x %s\n", n, what.c_str());
  }

  std::string out = "{\"cases\":" + std::to_string(rep.cases) +
                    ",\"events\":" + std::to_string(s->last_seq() - events_before) +
                    ",\"commands\":" + std::to_string(rep.commands) +
                    ",\"refused\":" + std::to_string(rep.refused) +
                    ",\"store_events\":" + std::to_string(s->last_seq()) + ",\"processes\":{";
  bool first = true;
  for (const auto& [key, n] : rep.processes) {
    out += (first ? "" : ",") + json_string(key) + ":" + std::to_string(n);
    first = false;
  }
  out += "},\"actions\":{";
  first = true;
  for (const auto& [key, n] : rep.actions) {
    out += (first ? "" : ",") + json_string(key) + ":" + std::to_string(n);
    first = false;
  }
  std::printf("%s}}\n", out.c_str());
  return kExitOk;
}

}  // namespace onestop::cli
