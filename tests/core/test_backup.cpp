// Backups of the whole store: made, checked completely, restored in place of another store.
#include <catch2/catch.hpp>

#include "core/store/backup.h"
#include "core/store/mem_vfs.h"

using namespace onestop::store;

namespace {

std::unique_ptr<Store> make_store(MemVfs& vfs, const std::string& dir, int records, const std::string& tag) {
  std::unique_ptr<Store> s;
  OpenOptions o;
  o.create = true;
  o.segment_bytes = 512;  // several segments
  REQUIRE(Store::open(vfs, dir, o, s).ok());
  for (int i = 0; i < records; ++i) {
    REQUIRE(s->append(tag + " record " + std::to_string(i) + std::string(40, 'x')).ok());
    if (i % 5 == 4) REQUIRE(s->commit().ok());
  }
  REQUIRE(s->commit().ok());
  return s;
}

std::vector<std::string> read_all(MemVfs& vfs, const std::string& dir) {
  std::unique_ptr<Store> s;
  OpenOptions o;
  o.read_only = true;
  REQUIRE(Store::open(vfs, dir, o, s).ok());
  REQUIRE_FALSE(s->damaged());
  std::vector<std::string> out;
  REQUIRE(s->scan(1, [&](uint64_t, std::string_view r) {
    out.emplace_back(r);
    return true;
  }).ok());
  return out;
}

// A store of 37 records "A" in `dir`, backed up and the backup checked: its files.
std::vector<BackupFile> backup_of_new_store(MemVfs& vfs, const std::string& dir,
                                            BackupSummary& summary) {
  make_store(vfs, dir, 37, "A").reset();
  std::string backup;
  REQUIRE(backup_make(vfs, dir, backup).ok());
  std::vector<BackupFile> files;
  std::string problem;
  REQUIRE(backup_check(backup, files, summary, problem).ok());
  return files;
}

}  // namespace

TEST_CASE("a backup holds the whole store and restores it in place of another", "[backup]") {
  MemVfs vfs;
  BackupSummary summary;
  const auto files = backup_of_new_store(vfs, "/a", summary);
  CHECK(summary.records == 37);
  CHECK(summary.files == files.size());
  CHECK(files.size() >= 3);  // manifest and several segments

  make_store(vfs, "/b", 80, "B").reset();  // a different, bigger store to be replaced
  FileChanges changes;
  REQUIRE(backup_restore(vfs, "/b", files, changes).ok());
  CHECK(changes.written.size() == files.size());
  CHECK_FALSE(changes.removed.empty());  // B had more segments than A
  CHECK(read_all(vfs, "/b") == read_all(vfs, "/a"));
  std::vector<std::string> names;
  REQUIRE(vfs.list_dir("/b", names).ok());
  for (const auto& n : names) CHECK(n.rfind(".restore-", 0) != 0);  // no temporaries left
}

TEST_CASE("a damaged or foreign backup is refused and names why", "[backup]") {
  MemVfs vfs;
  make_store(vfs, "/a", 12, "A").reset();
  std::string backup;
  REQUIRE(backup_make(vfs, "/a", backup).ok());
  std::vector<BackupFile> files;
  BackupSummary summary;
  std::string problem;

  SECTION("one flipped bit anywhere") {
    for (size_t at = 0; at < backup.size(); at += 7) {
      std::string bad = backup;
      bad[at] = static_cast<char>(bad[at] ^ 0x10);
      CHECK_FALSE(backup_check(bad, files, summary, problem).ok());
      CHECK_FALSE(problem.empty());
    }
  }
  SECTION("cut short at every length") {
    for (size_t n = 0; n < backup.size(); n += 5) {
      CHECK_FALSE(backup_check(std::string_view(backup).substr(0, n), files, summary, problem).ok());
    }
  }
  SECTION("not a backup at all") {
    CHECK_FALSE(backup_check("{\"hello\": 1}", files, summary, problem).ok());
    CHECK(problem.find("不是一站式服务台的备份文件") != std::string::npos);
  }
}

TEST_CASE("a restore cut off at any operation leaves one whole store, the old or the new",
          "[backup][crash]") {
  // Store B (80 records) is replaced by a backup of store A (37 records, other segment names
  // too). The restore is crashed at each of its operations; the file system a restarted
  // process finds (what was synced; or everything the process did) is then opened writable,
  // as the app does, which finishes a committed restore and undoes one that was not.
  MemVfs base;
  BackupSummary summary;
  const auto files = backup_of_new_store(base, "/a", summary);
  make_store(base, "/b", 80, "B").reset();
  const auto old_records = read_all(base, "/b");
  const auto new_records = read_all(base, "/a");
  REQUIRE(old_records != new_records);

  MemVfs counting = base.after_crash(CrashView::everything, 0);  // a copy, operations from 0
  FileChanges changes;
  REQUIRE(backup_restore(counting, "/b", files, changes).ok());
  const uint64_t ops = counting.ops();
  REQUIRE(ops > 2 * files.size());

  size_t old_kept = 0, new_kept = 0, pending_seen = 0;
  for (uint64_t k = 0; k < ops; ++k) {
    for (CrashView view : {CrashView::durable, CrashView::everything}) {
      INFO("crash at restore operation " << k << " of " << ops << ", view "
                                         << static_cast<int>(view));
      MemVfs fs = base.after_crash(CrashView::everything, 0);
      FaultPlan plan;
      plan.crash_at = static_cast<int64_t>(k);
      fs.set_faults(plan);
      REQUIRE(backup_restore(fs, "/b", files, changes).code == Code::crashed);
      MemVfs after = fs.after_crash(view, k);
      if (restore_pending(after, "/b")) {
        // Read-only (store verify, a second tab) cannot finish it: it says so, opens nothing.
        ++pending_seen;
        std::unique_ptr<Store> s;
        OpenOptions ro;
        ro.read_only = true;
        CHECK(Store::open(after, "/b", ro, s).code == Code::damaged);
        CHECK_FALSE(s);
      }
      {
        std::unique_ptr<Store> s;
        OpenOptions o;
        REQUIRE(Store::open(after, "/b", o, s).ok());
        REQUIRE_FALSE(s->damaged());
      }
      const auto got = read_all(after, "/b");
      CHECK((got == old_records || got == new_records));
      (got == new_records ? new_kept : old_kept) += 1;
      CHECK_FALSE(restore_pending(after, "/b"));
      std::vector<std::string> names;
      REQUIRE(after.list_dir("/b", names).ok());
      for (const auto& n : names) CHECK(n.rfind(".restore", 0) != 0);  // nothing left behind
    }
  }
  // Both outcomes met, and crashes after the commit point that needed finishing on open.
  CHECK(old_kept > 10);
  CHECK(new_kept > 10);
  CHECK(pending_seen > 10);
}
