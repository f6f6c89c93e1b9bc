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

}  // namespace

TEST_CASE("a backup holds the whole store and restores it in place of another", "[backup]") {
  MemVfs vfs;
  make_store(vfs, "/a", 37, "A").reset();
  std::string backup;
  REQUIRE(backup_make(vfs, "/a", backup).ok());

  std::vector<BackupFile> files;
  BackupSummary summary;
  std::string problem;
  REQUIRE(backup_check(backup, files, summary, problem).ok());
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
