// 10,000 mutated store directories: bits flipped, bytes overwritten, files cut, extended,
// deleted, copied over each other, renamed, swapped, junk added. Whatever the damage, opening
// (read-only and writable, with and without verify_all), stats, digest and scan must not crash,
// and each outcome is either a clean load with exactly the original records or a named error.
// Then a smaller set of damaged directories on disk through the real `onestop store` commands.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "core/store/format.h"
#include "core/store/inspect.h"
#include "store_test_util.h"

using namespace onestop;
using namespace onestop::store;
using namespace onestop::store::testing;

namespace {

using Files = std::map<std::string, std::string>;  // name in the store directory -> bytes

struct Base {
  Files files;
  std::vector<std::string> records;  // what a clean open reads
  std::string digest;
  // Base 3 holds a synced MANIFEST.tmp of the interrupted commit: a mutation that swaps it in
  // completes that commit, which is one of the two outcomes a crash may give.
  std::optional<std::vector<std::string>> alt_records;
  std::string alt_digest;
  uint32_t segment_bytes;
};

Files files_of(const MemVfs& fs) {
  Files out;
  for (const auto& [path, bytes] : fs.snapshot_files())
    if (path.compare(0, kDir.size() + 1, kDir + "/") == 0) out[path.substr(kDir.size() + 1)] = bytes;
  return out;
}

MemVfs fs_of(const Files& files) {
  MemVfs fs;
  for (const auto& [name, bytes] : files) fs.put_file(join_path(kDir, name), bytes);
  return fs;
}

Base make_base(int kind) {
  MemVfs fs;
  Workload w = make_workload(100 + static_cast<uint64_t>(kind), kind == 1 ? 6 : 12, 120);
  w.snapshot_after = {5};
  uint32_t seg = 400;
  if (kind == 1) {  // one segment, no snapshot
    w.snapshot_after.clear();
    seg = 32 * 1024;
  }
  if (kind == 2) w.commands.clear();  // an empty store
  if (kind == 3) {
    // Interrupted just before the last commit's manifest rename: its records lie past the
    // committed length (a tail to drop) and a complete MANIFEST.tmp is left, as found before
    // any recovery ran.
    MemVfs probe;
    REQUIRE(run_workload(probe, w, small_segments(seg)).failure.ok());
    FaultPlan plan;
    plan.crash_at = static_cast<int64_t>(probe.ops()) - 3;
    fs.set_faults(plan);
    run_workload(fs, w, small_segments(seg));
    fs = fs.after_crash(CrashView::everything, 0);
  } else {
    REQUIRE(run_workload(fs, w, small_segments(seg)).failure.ok());
  }
  Base b;
  b.segment_bytes = seg;
  b.files = files_of(fs);
  OpenOptions ro = small_segments(seg);
  ro.read_only = true;
  std::unique_ptr<Store> s;
  REQUIRE(Store::open(fs, kDir, ro, s).ok());
  REQUIRE_FALSE(s->damaged());
  b.records = read_all(*s);
  REQUIRE(compute_digest(*s, b.digest).ok());
  if (b.files.count("MANIFEST.tmp") != 0) {
    Files renamed = b.files;
    renamed["MANIFEST"] = renamed["MANIFEST.tmp"];
    renamed.erase("MANIFEST.tmp");
    MemVfs alt = fs_of(renamed);
    std::unique_ptr<Store> a;
    REQUIRE(Store::open(alt, kDir, ro, a).ok());
    REQUIRE_FALSE(a->damaged());
    b.alt_records = read_all(*a);
    REQUIRE(b.alt_records->size() > b.records.size());
    REQUIRE(compute_digest(*a, b.alt_digest).ok());
  }
  return b;
}

// One random mutation of the directory.
void mutate(Files& files, std::mt19937_64& rng) {
  auto pick = [&]() -> std::string {
    if (files.empty()) return {};
    auto it = files.begin();
    std::advance(it, static_cast<long>(rng() % files.size()));
    return it->first;
  };
  auto junk = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += static_cast<char>(rng() & 0xFF);
    return s;
  };
  const std::string name = pick();
  switch (rng() % 12) {
    case 0: {  // flip a bit
      if (name.empty() || files[name].empty()) break;
      std::string& b = files[name];
      b[rng() % b.size()] ^= static_cast<char>(1 << (rng() % 8));
      break;
    }
    case 1: {  // overwrite a few bytes with random ones
      if (name.empty() || files[name].empty()) break;
      std::string& b = files[name];
      const size_t at = rng() % b.size();
      const std::string j = junk(1 + rng() % 16);
      b.replace(at, std::min(j.size(), b.size() - at), j.substr(0, b.size() - at));
      break;
    }
    case 2:  // cut the file short
      if (!name.empty()) files[name].resize(rng() % (files[name].size() + 1));
      break;
    case 3:  // append random bytes
      if (!name.empty()) files[name] += junk(1 + rng() % 64);
      break;
    case 4:  // delete the file
      if (!name.empty()) files.erase(name);
      break;
    case 5: {  // copy one file over another
      const std::string other = pick();
      if (!name.empty() && !other.empty()) files[other] = files[name];
      break;
    }
    case 6: {  // rename to another store-like name
      if (name.empty()) break;
      const std::string bytes = files[name];
      files.erase(name);
      const uint64_t n = rng() % 8;
      const std::string to = rng() % 3 == 0   ? format::segment_name(n)
                             : rng() % 2 == 0 ? format::snapshot_name(n * 7)
                                              : std::string(rng() % 2 ? "MANIFEST" : "MANIFEST.tmp");
      files[to] = bytes;
      break;
    }
    case 7: {  // swap two files
      const std::string other = pick();
      if (!name.empty() && !other.empty()) std::swap(files[name], files[other]);
      break;
    }
    case 8: {  // zero a range
      if (name.empty() || files[name].empty()) break;
      std::string& b = files[name];
      const size_t at = rng() % b.size();
      const size_t n = std::min<size_t>(1 + rng() % 40, b.size() - at);
      b.replace(at, n, std::string(n, '\0'));
      break;
    }
    case 9: {  // a junk file with a store-like name
      const uint64_t n = rng() % 12;
      const std::string to = rng() % 2 ? format::segment_name(n) : format::snapshot_name(n);
      files[to] = rng() % 2 ? junk(rng() % 200) : format::encode_segment_header({rng(), n, n});
      break;
    }
    case 10: {  // a stretch of the file repeated at its end (records seen twice)
      if (name.empty() || files[name].size() < 2) break;
      std::string& b = files[name];
      const size_t at = rng() % b.size();
      b += b.substr(at, 1 + rng() % (b.size() - at));
      break;
    }
    default:  // emptied
      if (!name.empty()) files[name].clear();
      break;
  }
}

struct Outcome {
  size_t clean = 0, damaged = 0, no_store = 0;
};

void check_one(const Base& base, const Files& files, Outcome& out) {
  OpenOptions o = small_segments(base.segment_bytes);
  o.create = false;
  // Read-only, every record checked.
  MemVfs fs = fs_of(files);
  OpenOptions ro = o;
  ro.read_only = true;
  std::unique_ptr<Store> s;
  Status st = Store::open(fs, kDir, ro, s);
  if (st.code == Code::not_found) {
    ++out.no_store;
    return;
  }
  REQUIRE(st.ok());
  StoreStats stats;
  REQUIRE(compute_stats(*s, case_of, stats).ok());
  (void)stats_json(stats);
  std::string digest;
  const Status ds = compute_digest(*s, digest);
  const bool clean = !s->damaged();
  bool alt = false;
  const auto& expected = [&]() -> const std::vector<std::string>& {
    return alt ? *base.alt_records : base.records;
  };
  if (clean) {
    ++out.clean;
    INFO("a clean load must hold exactly the original records");
    REQUIRE(ds.ok());
    if (base.alt_records && digest == base.alt_digest) {
      alt = true;
    } else {
      REQUIRE(digest == base.digest);
      REQUIRE(stats.events == base.records.size());
    }
  } else {
    ++out.damaged;
    REQUIRE(ds.code == Code::damaged);
    for (const auto& d : s->damage()) {
      REQUIRE_FALSE(d.file.empty());
      REQUIRE_FALSE(d.describe(Lang::en).empty());
      REQUIRE_FALSE(d.describe(Lang::zh).empty());
    }
  }
  std::string snap;
  (void)s->read_snapshot(snap);

  // Quick open: only what follows the snapshot is read up front; scanning finds the rest.
  MemVfs qfs = fs_of(files);
  OpenOptions quick = ro;
  quick.verify_all = false;
  std::unique_ptr<Store> q;
  REQUIRE(Store::open(qfs, kDir, quick, q).ok());
  if (clean) REQUIRE_FALSE(q->damaged());
  const auto recs = read_all(*q);
  if (!q->damaged()) {
    REQUIRE(recs == expected());
  }

  // Writable: a clean store takes a new record; a damaged one refuses.
  MemVfs wfs = fs_of(files);
  std::unique_ptr<Store> w;
  st = Store::open(wfs, kDir, o, w);
  REQUIRE(st.ok());
  REQUIRE(w->damaged() == !clean);
  if (clean) {
    REQUIRE(w->append("C0001|new").ok());
    REQUIRE(w->commit().ok());
    w.reset();
    REQUIRE(Store::open(wfs, kDir, o, w).ok());
    REQUIRE_FALSE(w->damaged());
    auto expect = expected();
    expect.push_back("C0001|new");
    REQUIRE(read_all(*w) == expect);
  } else {
    REQUIRE(w->append("x").code == Code::read_only);
    REQUIRE(w->commit().code == Code::read_only);
  }
}

}  // namespace

TEST_CASE("10,000 mutated store directories: a clean load or a named error, never a crash",
          "[store][damage]") {
  const Base bases[4] = {make_base(0), make_base(1), make_base(2), make_base(3)};
  Outcome out;
  for (int i = 0; i < 10000; ++i) {
    const Base& base = bases[i % 4];
    std::mt19937_64 rng(static_cast<uint64_t>(i));
    Files files = base.files;
    const int mutations = 1 + static_cast<int>(rng() % 3);
    for (int m = 0; m < mutations; ++m) mutate(files, rng);
    INFO("mutation seed " << i << ", base " << i % 4);
    check_one(base, files, out);
  }
  WARN("mutated directories: " << out.clean << " clean loads, " << out.damaged
                                << " named damage, " << out.no_store << " no store");
  CHECK(out.clean + out.damaged + out.no_store == 10000);
  CHECK(out.damaged > 6000);
  CHECK(out.clean > 300);
  CHECK(out.no_store > 10);
}

#ifdef ONESTOP_CLI_EXE
namespace {

struct Run {
  int exit = -1;
  std::string out;
};

Run run_cli(const std::string& args) {
  Run r;
  const std::string cmd = std::string(ONESTOP_CLI_EXE) + " " + args + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  REQUIRE(WIFEXITED(status));  // no signal: no crash, no sanitizer abort
  r.exit = WEXITSTATUS(status);
  return r;
}

}  // namespace

TEST_CASE("onestop store verify|stats|digest on damaged directories on disk", "[store][cli]") {
  namespace fsys = std::filesystem;
  const fsys::path root = fsys::temp_directory_path() /
                          ("onestop-store-cli-" + std::to_string(std::random_device{}()));
  const Base base = make_base(0);
  const Base torn = make_base(3);
  auto flip = [](Files f, const std::string& name, size_t at) {
    f[name][at % f[name].size()] ^= 0x20;
    return f;
  };
  auto without = [](Files f, const std::string& name) {
    f.erase(name);
    return f;
  };
  std::vector<std::string> segs;
  std::string snap;
  for (const auto& [name, bytes] : base.files) {
    if (format::parse_segment_name(name)) segs.push_back(name);
    if (format::parse_snapshot_name(name)) snap = name;
  }
  REQUIRE(segs.size() >= 3);
  REQUIRE_FALSE(snap.empty());
  Files cut = base.files;
  cut[segs.back()].resize(cut[segs.back()].size() - 3);
  Files swapped = base.files;
  std::swap(swapped[segs[0]], swapped[segs[1]]);
  Files junk = base.files;
  junk[segs[1]] += std::string(40, '\x5a');
  const Base other = make_base(1);
  Files foreign = base.files;
  foreign[segs[1]] = other.files.at("seg-00000001.log");
  // A restore of `other` over `base` cut off after its commit (core/store/backup.h): the new
  // files under their temporary names, the marker naming them, the old files still there.
  Files restoring = base.files;
  std::string marker = "onestop-restore 1\n";
  for (const auto& [name, bytes] : other.files) {
    restoring[".restore-" + name] = bytes;
    marker += name + "\n";
  }
  restoring[".restore"] = marker + "end\n";
  // One directory per kind of damage, and clean ones (exit 0), and no store at all (exit 2).
  const std::vector<std::pair<const char*, Files>> dirs = {
      {"intact", base.files},
      {"torn tail and leftovers", torn.files},
      {"flipped manifest", flip(base.files, "MANIFEST", 41)},
      {"flipped segment", flip(base.files, segs[1], 77)},
      {"flipped snapshot", flip(base.files, snap, 50)},
      {"cut active segment", cut},
      {"missing segment", without(base.files, segs[1])},
      {"missing manifest", without(base.files, "MANIFEST")},
      {"swapped segments", swapped},
      {"junk after a sealed segment", junk},
      {"segment of another store", foreign},
      {"empty directory", Files{}},
      {"restore cut off after its commit", restoring},
  };
  int exits[5] = {0, 0, 0, 0, 0};
  for (size_t i = 0; i < dirs.size(); ++i) {
    const auto& [what, files] = dirs[i];
    INFO(what);
    const fsys::path dir = root / std::to_string(i);
    fsys::create_directories(dir);
    for (const auto& [name, bytes] : files) std::ofstream(dir / name, std::ios::binary) << bytes;
    // The library's verdict on the same files.
    MemVfs fs = fs_of(files);
    OpenOptions ro;
    ro.read_only = true;
    std::unique_ptr<Store> s;
    const Status st = Store::open(fs, kDir, ro, s);
    const int expect = st.code == Code::not_found ? 2 : !s || s->damaged() ? 4 : 0;
    if (!s && expect == 4) CHECK(st.code == Code::damaged);  // a restore still to finish
    const Run v = run_cli("store verify " + dir.string());
    CHECK(v.exit == expect);
    const Run stats = run_cli("store stats " + dir.string());
    CHECK(stats.exit == expect);
    if (expect != 2 && s) CHECK(stats.out.find("{\"events\":") == 0);
    const Run d = run_cli("store digest " + dir.string());
    CHECK(d.exit == expect);
    if (expect == 0) CHECK(d.out == (i == 1 ? torn.digest : base.digest) + "\n");
    if (expect == 4) CHECK(d.out.empty());
    ++exits[expect];
  }
  CHECK(exits[0] == 2);
  CHECK(exits[2] == 1);
  CHECK(exits[4] == 10);
  // Opening the cut-off restore for writing (as the app does) finishes it: then it is `other`.
  {
    const fsys::path dir = root / std::to_string(dirs.size() - 1);
    PosixVfs disk;
    std::unique_ptr<Store> s;
    REQUIRE(Store::open(disk, dir.string(), OpenOptions{}, s).ok());
    CHECK_FALSE(s->damaged());
    s.reset();
    CHECK(run_cli("store verify " + dir.string()).exit == 0);
    CHECK(run_cli("store digest " + dir.string()).out == other.digest + "\n");
    CHECK_FALSE(fsys::exists(dir / ".restore"));
  }
  fsys::remove_all(root);
}
#endif
