// Crash sweep: the store's 200-command workload crashes at its k-th file operation, for every k,
// and the file system left behind is examined three ways (see core/store/mem_vfs.h): only what
// was synced, everything written (the crashing write torn), and a seeded random mixture. After
// reopening, every acknowledged record must be there, the in-flight command all or nothing, the
// store undamaged and writable. Then the same for a disk that fills up at the k-th write.
#include <catch2/catch.hpp>

#include "store_test_util.h"

using namespace onestop;
using namespace onestop::store;
using namespace onestop::store::testing;

namespace {

struct Tally {
  size_t reopened = 0, inflight_kept = 0, inflight_dropped = 0, torn_tails = 0, leftovers = 0;
};

// Opens what a crash left and checks the promises; then writes on and reopens once more.
void check_recovery(MemVfs& fs, const RunResult& r, uint64_t acked_snapshot, const OpenOptions& o,
                    Tally& tally) {
  std::unique_ptr<Store> s;
  const Status st = Store::open(fs, kDir, o, s);
  INFO("open: " << st.to_string());
  REQUIRE(st.ok());
  INFO(describe_all(*s));
  REQUIRE_FALSE(s->damaged());
  REQUIRE_FALSE(s->read_only());
  for (const auto& n : s->notes()) {
    if (n.what == Text::StoreNoteTornTail) ++tally.torn_tails;
    if (n.what == Text::StoreNoteLeftover) ++tally.leftovers;
  }
  Status scanned;
  const auto recs = read_all(*s, &scanned);
  REQUIRE(scanned.ok());
  REQUIRE(recs.size() >= r.acked.size());
  REQUIRE(std::equal(r.acked.begin(), r.acked.end(), recs.begin()));
  if (recs.size() == r.acked.size()) {
    ++tally.inflight_dropped;
  } else {
    // The command whose commit was cut short: all of it, never a part.
    REQUIRE(recs.size() == r.acked.size() + r.inflight.size());
    REQUIRE(std::equal(r.inflight.begin(), r.inflight.end(),
                       recs.begin() + static_cast<long>(r.acked.size())));
    ++tally.inflight_kept;
  }
  REQUIRE(s->last_seq() == recs.size());
  if (const auto snap = s->snapshot()) {
    REQUIRE(snap->seq >= acked_snapshot);
    std::string payload;
    REQUIRE(s->read_snapshot(payload).ok());
    REQUIRE(payload == snapshot_of(recs, snap->seq));
  } else {
    REQUIRE(acked_snapshot == 0);
  }
  // Recovery left nothing that would hurt later: write on, reopen, all there, no notes.
  REQUIRE(s->append("C0099|after the crash").ok());
  REQUIRE(s->commit().ok());
  s.reset();
  REQUIRE(Store::open(fs, kDir, o, s).ok());
  REQUIRE_FALSE(s->damaged());
  REQUIRE(s->notes().empty());
  const auto again = read_all(*s);
  REQUIRE(again.size() == recs.size() + 1);
  REQUIRE(again.back() == "C0099|after the crash");
  ++tally.reopened;
}

}  // namespace

TEST_CASE("crash sweep: every operation of a 200-command workload, three crash views",
          "[store][crash]") {
  const Workload w = make_workload(42, 200);
  const OpenOptions o = small_segments(1024);
  MemVfs clean;
  const RunResult full = run_workload(clean, w, o);
  REQUIRE(full.failure.ok());
  const uint64_t total = clean.ops();
  INFO("operations in the workload: " << total);
  REQUIRE(total > 1000);

  Tally tally;
  for (uint64_t k = 0; k < total; ++k) {
    MemVfs fs;
    FaultPlan plan;
    plan.crash_at = static_cast<int64_t>(k);
    fs.set_faults(plan);
    const RunResult r = run_workload(fs, w, o);
    INFO("crash at operation " << k << " of " << total << ", command " << r.commands_acked);
    REQUIRE(r.failure.code == Code::crashed);
    for (CrashView view : {CrashView::durable, CrashView::everything, CrashView::mixed}) {
      INFO("view " << static_cast<int>(view));
      MemVfs after = fs.after_crash(view, k * 3 + static_cast<uint64_t>(view));
      check_recovery(after, r, r.snapshot_seq, o, tally);
    }
  }
  WARN("crash sweep: " << total << " operations x 3 views; in-flight command kept "
                      << tally.inflight_kept << ", dropped " << tally.inflight_dropped
                      << "; torn tails dropped " << tally.torn_tails << ", leftovers removed "
                      << tally.leftovers);
  CHECK(tally.reopened == 3 * total);
  // The sweep really met each situation.
  CHECK(tally.inflight_kept > 100);
  CHECK(tally.inflight_dropped > 100);
  CHECK(tally.torn_tails > 100);
  CHECK(tally.leftovers > 10);
}

TEST_CASE("full disk at the k-th write, for every k: errors, then a retry lands everything once",
          "[store][crash]") {
  const Workload w = make_workload(43, 200);
  const OpenOptions o = small_segments(1024);
  MemVfs clean;
  REQUIRE(run_workload(clean, w, o).failure.ok());
  const uint64_t total = clean.writes();
  REQUIRE(total > 400);

  size_t retried = 0;
  for (uint64_t k = 0; k < total; ++k) {
    INFO("disk full from write " << k);
    MemVfs fs;
    FaultPlan plan;
    plan.full_from_write = static_cast<int64_t>(k);
    fs.set_faults(plan);

    // What a crash while the disk is full leaves behind is consistent too.
    const RunResult r = run_workload(fs, w, o);
    REQUIRE(r.failure.code == Code::no_space);
    for (CrashView view : {CrashView::durable, CrashView::everything}) {
      MemVfs after = fs.after_crash(view, k);
      Tally t;
      check_recovery(after, r, r.snapshot_seq, o, t);
    }

    // The clerk keeps working; the space comes back; nothing is lost or doubled.
    MemVfs live;
    live.set_faults(plan);
    std::unique_ptr<Store> s;
    Status st = Store::open(live, kDir, o, s);
    bool failed_once = false;
    if (!st.ok()) {
      REQUIRE(st.code == Code::no_space);
      failed_once = true;
      live.set_faults({});
      REQUIRE(Store::open(live, kDir, o, s).ok());
    }
    std::vector<std::string> expect;
    for (size_t i = 0; i < w.commands.size(); ++i) {
      for (const auto& rec : w.commands[i]) REQUIRE(s->append(rec).ok());
      expect.insert(expect.end(), w.commands[i].begin(), w.commands[i].end());
      st = s->commit();
      if (!st.ok()) {
        REQUIRE(st.code == Code::no_space);
        REQUIRE(s->pending() > 0);
        failed_once = true;
        REQUIRE(s->commit().code == Code::no_space);  // still full
        live.set_faults({});
        REQUIRE(s->commit().ok());
        ++retried;
      }
      if (w.snapshot_after.count(i) != 0) {
        st = s->write_snapshot(s->last_seq(), snapshot_of(expect, expect.size()));
        if (!st.ok()) {
          REQUIRE(st.code == Code::no_space);
          failed_once = true;
          live.set_faults({});
          REQUIRE(s->write_snapshot(s->last_seq(), snapshot_of(expect, expect.size())).ok());
        }
      }
    }
    REQUIRE(failed_once);
    s.reset();
    REQUIRE(Store::open(live, kDir, o, s).ok());
    INFO(describe_all(*s));
    REQUIRE_FALSE(s->damaged());
    REQUIRE(read_all(*s) == expect);
  }
  WARN("full disk: " << total << " write positions, " << retried << " commits retried");
  CHECK(retried > total / 2);
}
