// Crash sweep: the store's 200-command workload crashes at its k-th file operation, for every k,
// and the file system left behind is examined three ways (see core/store/mem_vfs.h): only what
// was synced, everything written (the crashing write torn), and a seeded random mixture. After
// reopening, every acknowledged record must be there, the in-flight command all or nothing, the
// store undamaged and writable. Then the same for a disk that fills up at the k-th write.
//
// To keep this fast, each k starts from the file system saved at the start of its command and a
// store reopened on it: a clean reopen performs no file operation (checked below) and leaves the
// store in the state the uninterrupted run had, so operation j of command i is exactly
// operation k of the whole run.
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
void check_recovery(MemVfs& fs, const std::vector<std::string>& acked,
                    const std::vector<std::string>& inflight, uint64_t acked_snapshot,
                    const OpenOptions& o, Tally& tally) {
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
  REQUIRE(recs.size() >= acked.size());
  REQUIRE(std::equal(acked.begin(), acked.end(), recs.begin()));
  if (recs.size() == acked.size()) {
    ++tally.inflight_dropped;
  } else {
    // The command whose commit was cut short: all of it, never a part.
    REQUIRE(recs.size() == acked.size() + inflight.size());
    REQUIRE(std::equal(inflight.begin(), inflight.end(),
                       recs.begin() + static_cast<long>(acked.size())));
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
  // Recovery left nothing that would hurt later: write on, reopen, no notes, the record there.
  REQUIRE(s->append("C0099|after the crash").ok());
  REQUIRE(s->commit().ok());
  s.reset();
  OpenOptions quick = o;
  quick.verify_all = false;
  REQUIRE(Store::open(fs, kDir, quick, s).ok());
  REQUIRE_FALSE(s->damaged());
  REQUIRE(s->notes().empty());
  REQUIRE(s->last_seq() == recs.size() + 1);
  std::string last;
  REQUIRE(s->scan(s->last_seq(), [&](uint64_t, std::string_view rec) {
               last = rec;
               return true;
             }).ok());
  REQUIRE(last == "C0099|after the crash");
  ++tally.reopened;
}

// The state at each command boundary of an uninterrupted run.
struct Boundary {
  MemVfs fs;                       // before the command
  std::vector<std::string> acked;  // records committed before it
  uint64_t snapshot_seq = 0;       // the last snapshot written before it
  uint64_t ops = 0;                // operations of the command (and its snapshot)
  uint64_t writes = 0;             // write_at calls of the command (and its snapshot)
};

struct Recorded {
  uint64_t create_ops = 0, create_writes = 0;
  std::vector<Boundary> at;
};

Recorded record_boundaries(const Workload& w, const OpenOptions& o) {
  Recorded rec;
  MemVfs fs;
  std::unique_ptr<Store> s;
  REQUIRE(Store::open(fs, kDir, o, s).ok());
  rec.create_ops = fs.ops();
  rec.create_writes = fs.writes();
  std::vector<std::string> acked;
  uint64_t snap = 0;
  for (size_t i = 0; i < w.commands.size(); ++i) {
    Boundary b;
    b.fs = copy_of(fs);
    b.acked = acked;
    b.snapshot_seq = snap;
    const uint64_t ops0 = fs.ops(), writes0 = fs.writes();
    for (const auto& r : w.commands[i]) REQUIRE(s->append(r).ok());
    REQUIRE(s->commit().ok());
    acked.insert(acked.end(), w.commands[i].begin(), w.commands[i].end());
    if (w.snapshot_after.count(i) != 0) {
      REQUIRE(s->write_snapshot(s->last_seq(), snapshot_of(acked, acked.size())).ok());
      snap = s->last_seq();
    }
    b.ops = fs.ops() - ops0;
    b.writes = fs.writes() - writes0;
    rec.at.push_back(std::move(b));
  }
  // A clean reopen performs no operation: the per-command restart is exact.
  for (size_t i = 0; i < rec.at.size(); i += 17) {
    MemVfs copy = copy_of(rec.at[i].fs);
    std::unique_ptr<Store> again;
    REQUIRE(Store::open(copy, kDir, o, again).ok());
    REQUIRE(copy.ops() == 0);
  }
  return rec;
}

// Runs command i (and its snapshot) on a store reopened on the saved state, under `plan`
// (operation and write indexes relative to the command's start).
struct CommandRun {
  MemVfs fs;
  std::unique_ptr<Store> store;
  Status failure;
  bool snapshot_done = false;
};

void run_command(const Workload& w, size_t i, const Boundary& b, const OpenOptions& o,
                 const FaultPlan& plan, CommandRun& run) {
  run.fs = copy_of(b.fs);
  REQUIRE(Store::open(run.fs, kDir, o, run.store).ok());
  REQUIRE(run.fs.ops() == 0);
  run.fs.set_faults(plan);
  for (const auto& r : w.commands[i]) REQUIRE(run.store->append(r).ok());
  run.failure = run.store->commit();
  if (run.failure.ok() && w.snapshot_after.count(i) != 0) {
    std::vector<std::string> acked = b.acked;
    acked.insert(acked.end(), w.commands[i].begin(), w.commands[i].end());
    run.failure = run.store->write_snapshot(run.store->last_seq(),
                                            snapshot_of(acked, acked.size()));
    run.snapshot_done = run.failure.ok();
  }
}

}  // namespace

TEST_CASE("crash sweep: every operation of a 200-command workload, three crash views",
          "[store][crash]") {
  const Workload w = make_workload(42, 200, 80);
  const OpenOptions o = small_segments(1024);
  const Recorded rec = record_boundaries(w, o);
  uint64_t total = rec.create_ops;
  for (const auto& b : rec.at) total += b.ops;
  REQUIRE(total > 1000);

  Tally tally;
  const CrashView views[] = {CrashView::durable, CrashView::everything, CrashView::mixed};
  // Crashes while the store is being created: nothing acknowledged, a store opens afterwards.
  for (uint64_t k = 0; k < rec.create_ops; ++k) {
    INFO("crash at creation operation " << k);
    MemVfs fs;
    FaultPlan plan;
    plan.crash_at = static_cast<int64_t>(k);
    fs.set_faults(plan);
    std::unique_ptr<Store> s;
    REQUIRE(Store::open(fs, kDir, o, s).code == Code::crashed);
    for (CrashView view : views) {
      MemVfs after = fs.after_crash(view, k);
      check_recovery(after, {}, {}, 0, o, tally);
    }
  }
  // Crashes at every operation of every command.
  uint64_t k = rec.create_ops;
  for (size_t i = 0; i < w.commands.size(); ++i) {
    const Boundary& b = rec.at[i];
    for (uint64_t j = 0; j < b.ops; ++j, ++k) {
      INFO("crash at operation " << k << " (command " << i << ", its operation " << j << ")");
      FaultPlan plan;
      plan.crash_at = static_cast<int64_t>(j);
      CommandRun run;
      run_command(w, i, b, o, plan, run);
      // (Removing the old snapshot may crash after the new one was committed: no error then.)
      REQUIRE(run.fs.crashed());
      REQUIRE((run.failure.code == Code::crashed || run.snapshot_done));
      // A crash inside the snapshot write: the command itself was acknowledged.
      const bool command_acked = run.store->last_seq() > b.acked.size();
      std::vector<std::string> acked = b.acked;
      std::vector<std::string> inflight = w.commands[i];
      if (command_acked) {
        acked.insert(acked.end(), inflight.begin(), inflight.end());
        inflight.clear();
      }
      const uint64_t snapshot_acked = run.snapshot_done ? acked.size() : b.snapshot_seq;
      for (CrashView view : views) {
        INFO("view " << static_cast<int>(view));
        MemVfs after = run.fs.after_crash(view, k * 3 + static_cast<uint64_t>(view));
        check_recovery(after, acked, inflight, snapshot_acked, o, tally);
      }
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
  const Workload w = make_workload(43, 200, 80);
  const OpenOptions o = small_segments(1024);
  const Recorded rec = record_boundaries(w, o);
  uint64_t total = rec.create_writes;
  for (const auto& b : rec.at) total += b.writes;
  REQUIRE(total > 400);

  // Full while the store is created: open fails, and works once there is space.
  for (uint64_t k = 0; k < rec.create_writes; ++k) {
    MemVfs fs;
    FaultPlan plan;
    plan.full_from_write = static_cast<int64_t>(k);
    fs.set_faults(plan);
    std::unique_ptr<Store> s;
    REQUIRE(Store::open(fs, kDir, o, s).code == Code::no_space);
    fs.set_faults({});
    REQUIRE(Store::open(fs, kDir, o, s).ok());
    REQUIRE(s->last_seq() == 0);
  }
  size_t retried = 0, snapshot_retried = 0;
  for (size_t i = 0; i < w.commands.size(); ++i) {
    const Boundary& b = rec.at[i];
    for (uint64_t j = 0; j < b.writes; ++j) {
      INFO("disk full from write " << j << " of command " << i);
      FaultPlan plan;
      plan.full_from_write = static_cast<int64_t>(j);
      CommandRun run;
      run_command(w, i, b, o, plan, run);
      REQUIRE(run.failure.code == Code::no_space);
      const bool command_acked = run.store->last_seq() > b.acked.size();
      std::vector<std::string> acked = b.acked;
      if (command_acked) acked.insert(acked.end(), w.commands[i].begin(), w.commands[i].end());

      // What a crash while the disk is full leaves behind is consistent too.
      for (CrashView view : {CrashView::durable, CrashView::everything}) {
        MemVfs after = run.fs.after_crash(view, j);
        Tally t;
        check_recovery(after, acked, command_acked ? std::vector<std::string>{} : w.commands[i],
                       b.snapshot_seq, o, t);
      }

      // Still full: the retry fails too. Space comes back: it lands, exactly once.
      Store& s = *run.store;
      if (!command_acked) {
        REQUIRE(s.pending() == w.commands[i].size());
        REQUIRE(s.commit().code == Code::no_space);
        run.fs.set_faults({});
        REQUIRE(s.commit().ok());
        ++retried;
        acked.insert(acked.end(), w.commands[i].begin(), w.commands[i].end());
        if (w.snapshot_after.count(i) != 0)
          REQUIRE(s.write_snapshot(s.last_seq(), snapshot_of(acked, acked.size())).ok());
      } else {
        REQUIRE(s.write_snapshot(s.last_seq(), snapshot_of(acked, acked.size())).code ==
                Code::no_space);
        run.fs.set_faults({});
        REQUIRE(s.write_snapshot(s.last_seq(), snapshot_of(acked, acked.size())).ok());
        ++snapshot_retried;
      }
      // The clerk carries on for a few more commands.
      for (size_t n = i + 1; n < std::min(i + 4, w.commands.size()); ++n) {
        for (const auto& r : w.commands[n]) REQUIRE(s.append(r).ok());
        REQUIRE(s.commit().ok());
        acked.insert(acked.end(), w.commands[n].begin(), w.commands[n].end());
      }
      run.store.reset();
      std::unique_ptr<Store> again;
      REQUIRE(Store::open(run.fs, kDir, o, again).ok());
      INFO(describe_all(*again));
      REQUIRE_FALSE(again->damaged());
      REQUIRE(read_all(*again) == acked);
    }
  }
  WARN("full disk: " << total << " write positions, " << retried << " commits and "
                     << snapshot_retried << " snapshots retried");
  CHECK(retried > total / 2);
  CHECK(snapshot_retried > 0);
}
