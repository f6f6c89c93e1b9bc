// The event store: checksums, file format, the store's contract (commit, scan, snapshots, read-
// only on damage, change lists, cost per commit), torn tails and bit flips.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include "core/store/crc32c.h"
#include "core/store/format.h"
#include "core/store/inspect.h"
#include "core/store/sha256.h"
#include "store_test_util.h"

using namespace onestop;
using namespace onestop::store;
using namespace onestop::store::testing;

namespace {

std::unique_ptr<Store> open_ok(Vfs& vfs, const OpenOptions& o = small_segments()) {
  std::unique_ptr<Store> s;
  const Status st = Store::open(vfs, kDir, o, s);
  INFO(st.to_string());
  REQUIRE(st.ok());
  return s;
}

// A store with `commands` commands of the standard workload committed (and its snapshots).
RunResult build(MemVfs& fs, size_t commands, uint32_t segment_bytes = 1024, uint64_t seed = 7) {
  const Workload w = make_workload(seed, commands);
  RunResult r = run_workload(fs, w, small_segments(segment_bytes));
  REQUIRE(r.failure.ok());
  return r;
}

std::string seg(uint64_t n) { return join_path(kDir, format::segment_name(n)); }

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("crc32c matches the published check values", "[store]") {
  CHECK(crc32c(std::string_view("123456789")) == 0xE3069283u);
  CHECK(crc32c(std::string(32, '\0')) == 0x8A9136AAu);
  CHECK(crc32c(std::string(32, '\xff')) == 0x62A8AB43u);
  std::string inc;
  for (int i = 0; i < 32; ++i) inc += static_cast<char>(i);
  CHECK(crc32c(inc) == 0x46DD794Eu);
  // Extending in pieces gives the same as at once, for every split.
  const std::string text = "The quick brown fox jumps over the lazy dog, 0123456789 times.";
  for (size_t cut = 0; cut <= text.size(); ++cut)
    CHECK(crc32c_extend(crc32c(text.data(), cut), text.data() + cut, text.size() - cut) ==
          crc32c(text));
}

TEST_CASE("crc32c of long inputs (three lanes at a time) matches the bit-by-bit definition",
          "[store]") {
  // The definition, one bit at a time: nothing shared with the table-driven code.
  auto reference = [](std::string_view bytes) {
    uint32_t c = 0xFFFFFFFFu;
    for (const char ch : bytes) {
      c ^= static_cast<unsigned char>(ch);
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    return ~c;
  };
  std::mt19937 rng(11);
  std::string data(100003, '\0');
  for (char& ch : data) ch = static_cast<char>(rng());
  // Around the sizes where the lanes take over (3 x 4096 bytes) and repeat, from odd addresses.
  for (const size_t size : {12287u, 12288u, 12289u, 12295u, 24576u, 24589u, 36863u, 99990u}) {
    for (const size_t at : {0u, 1u, 3u, 7u}) {
      const std::string_view bytes = std::string_view(data).substr(at, size);
      INFO("size " << size << " from " << at);
      CHECK(crc32c(bytes) == reference(bytes));
      // Extended in pieces that cut a stripe anywhere: the same.
      const size_t cut = size / 3 + at;
      CHECK(crc32c_extend(crc32c(bytes.substr(0, cut)), bytes.data() + cut, size - cut) ==
            reference(bytes));
    }
  }
}

TEST_CASE("sha256 matches the FIPS 180 examples", "[store]") {
  Sha256 a;
  CHECK(a.finish_hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 b;
  b.update("abc");
  CHECK(b.finish_hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 c;
  c.update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
  CHECK(c.finish_hex() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 d;
  const std::string block(1000, 'a');
  for (int i = 0; i < 1000; ++i) d.update(block);
  CHECK(d.finish_hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("file names: only the canonical spelling is the store's", "[store]") {
  CHECK(format::segment_name(1) == "seg-00000001.log");
  CHECK(format::segment_name(123456789) == "seg-123456789.log");
  CHECK(format::parse_segment_name("seg-00000042.log") == 42u);
  CHECK(format::parse_segment_name("seg-123456789.log") == 123456789u);
  CHECK_FALSE(format::parse_segment_name("seg-42.log"));
  CHECK_FALSE(format::parse_segment_name("seg-000000042.log"));
  CHECK_FALSE(format::parse_segment_name("seg-0000004x.log"));
  CHECK_FALSE(format::parse_segment_name("seg-99999999999999999999999.log"));
  CHECK(format::snapshot_name(1000) == "snap-000000001000.snap");
  CHECK(format::parse_snapshot_name("snap-000000001000.snap") == 1000u);
  CHECK_FALSE(format::parse_snapshot_name("snap-1000.snap"));
}

TEST_CASE("format: records, headers, manifest and snapshot round-trip and reject damage",
          "[store]") {
  std::string seg = format::encode_segment_header({0x1122334455667788ull, 3, 41});
  REQUIRE(seg.size() == format::kSegmentHeaderSize);
  format::SegmentHeader h;
  REQUIRE(format::decode_segment_header(seg, h) == format::Error::ok);
  CHECK(h.store_id == 0x1122334455667788ull);
  CHECK(h.segment == 3);
  CHECK(h.first_seq == 41);

  std::string rec;
  format::append_record(rec, 41, "hello");
  format::append_record(rec, 42, "");
  REQUIRE(rec.size() == 2 * format::kRecordHeaderSize + 5);
  format::RecordView v;
  REQUIRE(format::decode_record(rec, v) == format::Error::ok);
  CHECK(v.seq == 41);
  CHECK(v.payload == "hello");
  REQUIRE(format::decode_record(std::string_view(rec).substr(v.size), v) == format::Error::ok);
  CHECK(v.seq == 42);
  CHECK(v.payload.empty());
  CHECK(format::decode_record(std::string_view(rec).substr(0, 20), v) == format::Error::truncated);
  CHECK(format::decode_record(std::string_view(rec).substr(0, 10), v) ==
        format::Error::short_data);
  std::string bad = rec;
  bad[18] ^= 1;
  CHECK(format::decode_record(bad, v) == format::Error::bad_checksum);

  format::Manifest m{7, 2, 1, 4, 500, 99, 50, 1234, 0xABCDEF01u};
  const std::string mb = format::encode_manifest(m);
  REQUIRE(mb.size() == format::kManifestSize);
  format::Manifest back;
  REQUIRE(format::decode_manifest(mb, back) == format::Error::ok);
  CHECK(back == m);
  CHECK(format::decode_manifest(mb + "x", back) == format::Error::bad_length);
  for (size_t bit = 0; bit < mb.size() * 8; ++bit) {
    std::string flipped = mb;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    CHECK(format::decode_manifest(flipped, back) != format::Error::ok);
  }

  const std::string snap = format::encode_snapshot(7, 50, "state");
  format::SnapshotHeader sh;
  REQUIRE(format::decode_snapshot_header(snap, sh) == format::Error::ok);
  CHECK(sh.seq == 50);
  CHECK(sh.payload_bytes == 5);
  CHECK(sh.payload_crc == crc32c(std::string_view("state")));
}

TEST_CASE("store: create, commit, reopen, scan from any record", "[store]") {
  MemVfs fs;
  {
    std::unique_ptr<Store> none;
    CHECK(Store::open(fs, kDir, {}, none).code == Code::not_found);  // create is off
  }
  auto s = open_ok(fs);
  CHECK(s->last_seq() == 0);
  CHECK(s->segment_count() == 1);
  CHECK_FALSE(s->read_only());
  REQUIRE(s->notes().size() == 1);
  CHECK(s->notes()[0].what == Text::StoreNoteCreated);

  std::vector<std::string> all;
  for (int i = 0; i < 100; ++i) {
    // Built by appending: GCC 12's -Wrestrict misfires on the chain of operator+ in Release.
    std::string rec = "C";
    rec += std::to_string(1000 + i % 7);
    rec += "|record ";
    rec += std::to_string(i);
    rec.append(static_cast<size_t>(i), 'x');
    uint64_t seq = 0;
    REQUIRE(s->append(rec, &seq).ok());
    CHECK(seq == static_cast<uint64_t>(i + 1));
    all.push_back(rec);
    if (i % 3 == 2) REQUIRE(s->commit().ok());
  }
  CHECK(s->pending() == 1);
  REQUIRE(s->commit().ok());
  CHECK(s->last_seq() == 100);
  CHECK(s->segment_count() > 5);  // 1 KB segments
  CHECK(read_all(*s) == all);

  s.reset();
  s = open_ok(fs);
  CHECK(s->notes().empty());
  CHECK(s->last_seq() == 100);
  CHECK(read_all(*s) == all);
  for (uint64_t from : {1u, 2u, 37u, 99u, 100u}) {
    std::vector<std::string> got;
    REQUIRE(s->scan(from, [&](uint64_t seq, std::string_view rec) {
                 CHECK(seq == from + got.size());
                 got.emplace_back(rec);
                 return true;
               }).ok());
    CHECK(got == std::vector<std::string>(all.begin() + static_cast<long>(from) - 1, all.end()));
  }
  int calls = 0;
  REQUIRE(s->scan(10, [&](uint64_t, std::string_view) { return ++calls < 3; }).ok());
  CHECK(calls == 3);
  CHECK(s->scan(101, [](uint64_t, std::string_view) { return true; }).ok());

  StoreStats st;
  REQUIRE(compute_stats(*s, case_of, st).ok());
  CHECK(st.events == 100);
  CHECK(st.cases == 7u);
  CHECK(st.segments == s->segment_count());
  CHECK(st.snapshots == 0);
  CHECK(stats_json(st).find("{\"events\":100,\"cases\":7,\"bytes\":") == 0);
  StoreStats no_decoder;
  REQUIRE(compute_stats(*s, nullptr, no_decoder).ok());
  CHECK(stats_json(no_decoder).find("\"cases\":null") != std::string::npos);
}

TEST_CASE("store: a batch is one commit; an empty commit writes nothing", "[store]") {
  MemVfs fs;
  auto s = open_ok(fs);
  fs.reset_counters();
  REQUIRE(s->commit().ok());
  CHECK(fs.bytes_written() == 0);
  for (int i = 0; i < 50; ++i) REQUIRE(s->append("C0001|" + std::string(100, 'a' + i % 26)).ok());
  REQUIRE(s->commit().ok());  // spans several 1 KB segments
  CHECK(s->segment_count() > 3);
  s.reset();
  s = open_ok(fs);
  CHECK(s->last_seq() == 50);
}

TEST_CASE("store: the digest depends on the records only", "[store]") {
  const Workload w = make_workload(11, 60);
  std::string digests[3];
  const uint32_t sizes[3] = {300, 4096, 1u << 20};
  for (int i = 0; i < 3; ++i) {
    MemVfs fs;
    Workload wi = w;
    if (i == 2) wi.snapshot_after.clear();
    REQUIRE(run_workload(fs, wi, small_segments(sizes[i])).failure.ok());
    auto s = open_ok(fs, small_segments(sizes[i]));
    REQUIRE(compute_digest(*s, digests[i]).ok());
    CHECK(digests[i].size() == 64);
  }
  CHECK(digests[0] == digests[1]);
  CHECK(digests[1] == digests[2]);
  MemVfs other;
  REQUIRE(run_workload(other, make_workload(12, 60), small_segments()).failure.ok());
  auto s = open_ok(other);
  std::string d;
  REQUIRE(compute_digest(*s, d).ok());
  CHECK(d != digests[0]);
}

TEST_CASE("store: snapshots replace each other and let open skip old segments", "[store]") {
  MemVfs fs;
  const RunResult r = build(fs, 120);  // snapshots after commands 37, 74, 111
  auto s = open_ok(fs);
  const auto snap = s->snapshot();
  REQUIRE(snap);
  std::string payload;
  REQUIRE(s->read_snapshot(payload).ok());
  CHECK(payload == snapshot_of(r.acked, snap->seq));
  size_t snap_files = 0;
  for (const auto& [path, bytes] : fs.snapshot_files())
    if (path.find("/snap-") != std::string::npos) ++snap_files;
  CHECK(snap_files == 1);

  CHECK(s->write_snapshot(snap->seq, "again").code == Code::invalid);
  CHECK(s->write_snapshot(s->last_seq() + 1, "future").code == Code::invalid);
  CHECK(s->write_snapshot(0, "zero").code == Code::invalid);

  // Without verify_all, only the segments after the snapshot are read on open.
  MemVfs damaged = copy_of(fs);
  std::string first = damaged.snapshot_files()[seg(1)];
  first[format::kSegmentHeaderSize + 20] ^= 0x10;
  damaged.put_file(seg(1), first);
  OpenOptions quick = small_segments();
  quick.verify_all = false;
  auto q = open_ok(damaged, quick);
  CHECK_FALSE(q->damaged());
  CHECK(q->readable_records() == r.acked.size());
  std::vector<std::string> tail;
  REQUIRE(q->scan(snap->seq + 1, [&](uint64_t, std::string_view rec) {
                 tail.emplace_back(rec);
                 return true;
               }).ok());
  CHECK(tail.size() == r.acked.size() - snap->seq);
  // … and the damage is found when the old records are read.
  Status st;
  read_all(*q, &st);
  CHECK(st.code == Code::damaged);
  CHECK(q->read_only());
  REQUIRE_FALSE(q->damage().empty());
  CHECK(q->damage()[0].file == format::segment_name(1));
  // verify_all (the default) finds it on open.
  auto full = open_ok(damaged);
  CHECK(full->damaged());
}

// In the browser the oldest segments stay in IndexedDB until after the app is up: the store opens
// from the snapshot and the segments after it, and checks the others once they are loaded.
TEST_CASE("store: segments not loaded yet on open are checked once they are", "[store]") {
  MemVfs fs;
  const RunResult r = build(fs, 120);
  uint64_t snap_seq = 0, segments = 0, needed = 0;
  {
    auto s = open_ok(fs);
    snap_seq = s->snapshot()->seq;
    segments = s->segment_count();
  }
  // The first segment holding a record after the snapshot: its header says where it starts.
  std::map<std::string, std::string> files = fs.snapshot_files();
  for (uint64_t n = segments; n >= 1; --n) {
    format::SegmentHeader h;
    REQUIRE(format::decode_segment_header(files[seg(n)].substr(0, format::kSegmentHeaderSize), h) == format::Error::ok);
    if (h.first_seq <= snap_seq + 1) {
      needed = n;
      break;
    }
  }
  REQUIRE(needed > 2);  // something to leave out
  // The browser's view before the rest is loaded: segments 1 … needed-1 absent.
  const auto without_old = [&](const MemVfs& from) {
    MemVfs v = copy_of(from);
    for (uint64_t n = 1; n < needed; ++n) v.delete_file(seg(n));
    return v;
  };
  OpenOptions o = small_segments();
  o.verify_all = false;
  o.loaded_from_segment = needed;

  SECTION("opens writable, refuses what it has not got, and checks the rest once loaded") {
    MemVfs part = without_old(fs);
    auto s = open_ok(part, o);
    CHECK_FALSE(s->damaged());
    CHECK(s->unloaded_segments() == needed - 1);
    CHECK(s->readable_records() == r.acked.size());
    std::vector<std::string> later;
    REQUIRE(s->scan(snap_seq + 1, [&](uint64_t, std::string_view rec) {
                 later.emplace_back(rec);
                 return true;
               }).ok());
    CHECK(later.size() == r.acked.size() - snap_seq);
    CHECK(s->scan(1, [](uint64_t, std::string_view) { return true; }).code == Code::not_loaded);
    std::vector<StoreFileInfo> infos;
    CHECK(s->files(infos).code == Code::not_loaded);  // a backup would miss them
    // It commits meanwhile (only the active segment and the manifest are touched).
    REQUIRE(s->append("while loading").ok());
    REQUIRE(s->commit().ok());
    // The rest arrives: checked, and everything reads.
    for (uint64_t n = 1; n < needed; ++n) part.put_file(seg(n), files[seg(n)]);
    REQUIRE(s->segments_loaded().ok());
    CHECK(s->unloaded_segments() == 0);
    CHECK_FALSE(s->damaged());
    CHECK(s->segment_count() == segments);
    Status st;
    std::vector<std::string> all = read_all(*s, &st);
    CHECK(st.ok());
    REQUIRE(all.size() == r.acked.size() + 1);
    CHECK(std::equal(r.acked.begin(), r.acked.end(), all.begin()));
    CHECK(all.back() == "while loading");
    CHECK(s->files(infos).ok());
  }
  SECTION("a segment lost from storage is named when the rest is loaded") {
    MemVfs part = without_old(fs);
    auto s = open_ok(part, o);
    for (uint64_t n = 1; n < needed; ++n)
      if (n != 2) part.put_file(seg(n), files[seg(n)]);
    REQUIRE(s->segments_loaded().ok());
    REQUIRE(s->damaged());
    CHECK(s->read_only());
    CHECK(s->damage().front().file == format::segment_name(2));
    CHECK(s->damage().front().what == Text::StoreDmgFileMissing);
    CHECK(s->damage().front().first_lost > 0);
    CHECK(s->readable_records() < r.acked.size());
  }
  SECTION("a damaged old header is named when the rest is loaded") {
    MemVfs part = without_old(fs);
    auto s = open_ok(part, o);
    for (uint64_t n = 1; n < needed; ++n) {
      std::string bytes = files[seg(n)];
      if (n == 1) bytes[3] ^= 0x01;
      part.put_file(seg(n), bytes);
    }
    REQUIRE(s->segments_loaded().ok());
    REQUIRE(s->damaged());
    CHECK(s->damage().front().file == format::segment_name(1));
  }
  SECTION("leaving out a segment the open needs is refused, nothing changed") {
    MemVfs part = copy_of(fs);
    for (uint64_t n = 1; n <= needed; ++n) part.delete_file(seg(n));
    OpenOptions too_far = o;
    too_far.loaded_from_segment = needed + 1;
    const auto before = part.snapshot_files();
    std::unique_ptr<Store> s;
    CHECK(Store::open(part, kDir, too_far, s).code == Code::not_loaded);
    CHECK_FALSE(s);
    CHECK(part.snapshot_files() == before);
  }
  SECTION("a damaged manifest needs every segment") {
    MemVfs part = without_old(fs);
    std::string m = part.snapshot_files()[join_path(kDir, "MANIFEST")];
    m[20] ^= 0x01;
    part.put_file(join_path(kDir, "MANIFEST"), m);
    std::unique_ptr<Store> s;
    CHECK(Store::open(part, kDir, o, s).code == Code::not_loaded);
  }
}

TEST_CASE("store: a commit touches the active segment and the manifest only", "[store]") {
  // The cost of one commit stays the same however big the store grows.
  MemVfs fs;
  OpenOptions o = small_segments(8 * 1024);
  auto s = open_ok(fs, o);
  uint64_t worst_bytes[2] = {0, 0};
  size_t worst_paths[2] = {0, 0};
  for (int phase = 0; phase < 2; ++phase) {
    const int n = phase == 0 ? 300 : 5000;
    for (int i = 0; i < n; ++i) {
      fs.reset_counters();
      REQUIRE(s->append("C0001|" + std::string(200, 'r')).ok());
      REQUIRE(s->commit().ok());
      worst_bytes[phase] = std::max(worst_bytes[phase], fs.bytes_written());
      worst_paths[phase] = std::max(worst_paths[phase], fs.paths_written().size());
      const FileChanges c = s->take_changes();
      CHECK(c.written.size() <= 3);  // segment (+ a new one at a roll) + manifest
      CHECK(c.removed.empty());
    }
  }
  CHECK(s->segment_count() > 100);
  // Appends write only the new record; a roll writes a header more. Never the whole segment.
  const uint64_t record = format::record_size(206);
  CHECK(worst_bytes[0] == record + format::kSegmentHeaderSize + format::kManifestSize);
  CHECK(worst_bytes[1] == worst_bytes[0]);
  CHECK(worst_paths[1] <= 3);  // the segment (or the new one at a roll), MANIFEST.tmp, MANIFEST
  CHECK(worst_paths[1] == worst_paths[0]);
}

TEST_CASE("store: take_changes lists what the web layer must persist", "[store]") {
  MemVfs fs;
  auto s = open_ok(fs);
  FileChanges c = s->take_changes();
  CHECK(sorted(c.written) == std::vector<std::string>{"MANIFEST", "seg-00000001.log"});
  CHECK(s->take_changes().empty());
  REQUIRE(s->append("C0001|a").ok());
  REQUIRE(s->commit().ok());
  c = s->take_changes();
  CHECK(sorted(c.written) == std::vector<std::string>{"MANIFEST", "seg-00000001.log"});
  CHECK(c.removed.empty());  // MANIFEST.tmp came and went between two calls
  REQUIRE(s->write_snapshot(1, "one").ok());
  REQUIRE(s->append("C0001|b").ok());
  REQUIRE(s->commit().ok());
  REQUIRE(s->write_snapshot(2, "two").ok());
  c = s->take_changes();
  CHECK(sorted(c.written) == std::vector<std::string>{"MANIFEST", "seg-00000001.log",
                                                      "snap-000000000002.snap"});
  CHECK(c.removed.empty());  // snapshot 1 too
  REQUIRE(s->append("C0001|c").ok());
  REQUIRE(s->commit().ok());
  REQUIRE(s->write_snapshot(3, "three").ok());
  c = s->take_changes();
  CHECK(sorted(c.written) == std::vector<std::string>{"MANIFEST", "seg-00000001.log",
                                                      "snap-000000000003.snap"});
  CHECK(c.removed == std::vector<std::string>{"snap-000000000002.snap"});
}

TEST_CASE("store: files in memory: the manifest is rewritten in place, never torn for the web",
          "[store]") {
  MemVfs fs;
  OpenOptions o = small_segments(1024);
  o.files_in_memory = true;
  auto s = open_ok(fs, o);
  s->take_changes();
  std::vector<std::string> records;
  const auto commit = [&](const std::string& r) {
    records.push_back(r);
    REQUIRE(s->append(r).ok());
    return s->commit();
  };
  for (int i = 0; i < 40; ++i) {  // across several segments
    fs.reset_counters();
    REQUIRE(commit("C0001|" + std::to_string(i) + std::string(60, 'r')).ok());
    // No temporary file, no rename: the active segment (+ a new one at a roll) and MANIFEST.
    CHECK(fs.paths_written().count(join_path(kDir, format::kManifestTmpName)) == 0);
    CHECK(fs.paths_written().count(join_path(kDir, format::kManifestName)) == 1);
    const FileChanges c = s->take_changes();
    CHECK(std::count(c.written.begin(), c.written.end(), format::kManifestName) == 1);
    CHECK(c.removed.empty());
  }
  CHECK(s->segment_count() > 2);

  // A write of the manifest that fails halfway (a disk could; memory cannot): the commit fails
  // and the torn manifest is not handed on to be persisted.
  FaultPlan full;
  full.full_from_write = static_cast<int64_t>(fs.writes()) + 1;  // the segment's write passes
  fs.set_faults(full);
  CHECK(commit("C0001|torn").code == Code::no_space);
  const FileChanges c = s->take_changes();
  CHECK(std::count(c.written.begin(), c.written.end(), format::kManifestName) == 0);
  // The retry writes it whole again, and a fresh open (as after a reload) finds every record.
  fs.set_faults({});
  REQUIRE(s->commit().ok());
  s.reset();
  auto reopened = open_ok(fs, o);
  CHECK(read_all(*reopened) == records);
  CHECK(reopened->damage().empty());
  fs.reset_counters();  // the manifest read at open is rewritten in place too
  REQUIRE(reopened->append("C0001|after").ok());
  REQUIRE(reopened->commit().ok());
  CHECK(fs.paths_written().count(join_path(kDir, format::kManifestTmpName)) == 0);
}

TEST_CASE("store: take_changes tells which files only grew, and from where", "[store]") {
  MemVfs fs;
  auto s = open_ok(fs);  // 1 KiB segments
  CHECK(s->take_changes().unchanged_prefix.empty());  // new files: stored whole
  const auto size_of = [&fs](uint64_t n) {
    uint64_t size = 0;
    REQUIRE(fs.file_size(seg(n), size).ok());
    return size;
  };
  uint64_t before = size_of(1);
  REQUIRE(s->append("C0001|a").ok());
  REQUIRE(s->commit().ok());
  FileChanges c = s->take_changes();
  CHECK(c.unchanged_prefix == std::map<std::string, uint64_t>{{"seg-00000001.log", before}});
  // Two commits before one take: the prefix is the one before the first of them.
  before = size_of(1);
  for (const char* r : {"C0001|b", "C0001|c"}) {
    REQUIRE(s->append(r).ok());
    REQUIRE(s->commit().ok());
  }
  c = s->take_changes();
  CHECK(c.unchanged_prefix == std::map<std::string, uint64_t>{{"seg-00000001.log", before}});
  // A roll: the old segment grew; the new one is new (whole); the manifest is always whole.
  before = size_of(1);
  while (s->segment_count() == 1) {
    REQUIRE(s->append("C0001|" + std::string(100, 'x')).ok());
    REQUIRE(s->commit().ok());
  }
  c = s->take_changes();
  CHECK(sorted(c.written) == std::vector<std::string>{"MANIFEST", "seg-00000001.log", "seg-00000002.log"});
  CHECK(c.unchanged_prefix == std::map<std::string, uint64_t>{{"seg-00000001.log", before}});
  // A failed commit may leave bytes past the committed end: the retry cuts them off, so the
  // segment is no longer just longer and must be stored whole.
  fs.set_disk_full(true);
  REQUIRE(s->append("C0001|d").ok());
  CHECK_FALSE(s->commit().ok());
  fs.set_disk_full(false);
  REQUIRE(s->commit().ok());
  c = s->take_changes();
  CHECK(std::find(c.written.begin(), c.written.end(), "seg-00000002.log") != c.written.end());
  CHECK(c.unchanged_prefix.count("seg-00000002.log") == 0);
  // Bytes of the store as the web layer rebuilds them (whole files + only the new bytes of
  // the grown ones) equal the files on disk: checked over many commits.
  std::map<std::string, std::string> mirror = fs.snapshot_files();
  for (int i = 0; i < 200; ++i) {
    REQUIRE(s->append("C0002|" + std::string(static_cast<size_t>(i % 37), 'y')).ok());
    REQUIRE(s->commit().ok());
    if (i % 3 != 0) continue;  // several commits per take too
    const auto files = fs.snapshot_files();
    c = s->take_changes();
    for (const auto& name : c.written) {
      const std::string path = join_path(kDir, name);
      const auto it = c.unchanged_prefix.find(name);
      if (it == c.unchanged_prefix.end()) {
        mirror[path] = files.at(path);
      } else {
        REQUIRE(mirror.at(path).size() == it->second);
        mirror[path] += files.at(path).substr(it->second);
      }
    }
    for (const auto& name : c.removed) mirror.erase(join_path(kDir, name));
    for (const auto& [path, bytes] : files) {
      if (path.find(".tmp") != std::string::npos) continue;
      INFO(path);
      CHECK(mirror[path] == bytes);
    }
  }
}

TEST_CASE("store: read-only stores refuse writes", "[store]") {
  MemVfs fs;
  build(fs, 10);
  OpenOptions ro = small_segments();
  ro.read_only = true;
  auto s = open_ok(fs, ro);
  CHECK(s->read_only());
  CHECK_FALSE(s->damaged());
  CHECK(s->append("x").code == Code::read_only);
  CHECK(s->commit().code == Code::read_only);
  CHECK(s->write_snapshot(1, "x").code == Code::read_only);
  CHECK(s->append(std::string(format::kMaxRecordBytes + 1, 'x')).code == Code::read_only);
  auto w = open_ok(fs);
  CHECK(w->append(std::string(format::kMaxRecordBytes + 1, 'x')).code == Code::invalid);
}

TEST_CASE("store: a failed commit keeps its records pending and a retry lands them once",
          "[store]") {
  MemVfs fs;
  auto s = open_ok(fs);
  for (int i = 0; i < 20; ++i) {
    REQUIRE(s->append("C0001|" + std::string(90, 'a')).ok());
    REQUIRE(s->commit().ok());
  }
  fs.set_disk_full(true);
  REQUIRE(s->append("C0002|first try").ok());
  const Status st = s->commit();
  CHECK(st.code == Code::no_space);
  CHECK(s->pending() == 1);
  CHECK(s->last_seq() == 20);
  REQUIRE(s->append("C0002|second").ok());
  CHECK(s->commit().code == Code::no_space);
  fs.set_disk_full(false);
  REQUIRE(s->commit().ok());
  CHECK(s->last_seq() == 22);
  s.reset();
  auto again = open_ok(fs);
  CHECK(again->notes().empty());
  const auto recs = read_all(*again);
  REQUIRE(recs.size() == 22);
  CHECK(recs[20] == "C0002|first try");
  CHECK(recs[21] == "C0002|second");
}

TEST_CASE("store: torn tail at every byte offset of the in-flight record is dropped",
          "[store][crash]") {
  // The commit of the last record crashes inside its segment write, having written t bytes.
  MemVfs base;
  const RunResult r = build(base, 25);
  const std::string last = "C0007|the last record, torn while it was being written";
  const size_t rec_size = format::record_size(last.size());
  size_t checked = 0;
  for (size_t t = 0; t <= rec_size; ++t) {
    MemVfs fs = copy_of(base);
    auto s = open_ok(fs);
    REQUIRE(s->append(last).ok());
    FaultPlan plan;
    plan.crash_at = static_cast<int64_t>(fs.ops());  // the segment write
    plan.torn_bytes = t;
    fs.set_faults(plan);
    REQUIRE(s->commit().code == Code::crashed);
    s.reset();
    MemVfs after = fs.after_crash(CrashView::everything, t);
    std::vector<std::string> logged;
    OpenOptions o = small_segments();
    o.log = [&](const std::string& line) { logged.push_back(line); };
    auto re = open_ok(after, o);
    INFO("torn at " << t << "\n" << describe_all(*re));
    REQUIRE_FALSE(re->damaged());
    CHECK(read_all(*re) == r.acked);
    if (t > 0) {
      REQUIRE(re->notes().size() == 1);
      CHECK(re->notes()[0].what == Text::StoreNoteTornTail);
      CHECK(re->notes()[0].args[0] == std::to_string(t));
      REQUIRE(logged.size() == 1);
      CHECK(logged[0].find("warning:") == 0);
    } else {
      CHECK(re->notes().empty());
    }
    // The tail is gone: writing on works and a further reopen is clean.
    REQUIRE(re->append("C0008|after").ok());
    REQUIRE(re->commit().ok());
    re.reset();
    auto third = open_ok(after);
    CHECK(third->notes().empty());
    CHECK(third->last_seq() == r.acked.size() + 1);
    ++checked;
  }
  CHECK(checked == rec_size + 1);
}

TEST_CASE("store: a committed record cut at every byte offset is named, never dropped",
          "[store][crash]") {
  // The file system lost part of an acknowledged record (not a torn write: the manifest says
  // the bytes were committed). The store must say so and open read-only.
  MemVfs base;
  const RunResult r = build(base, 25);
  auto s = open_ok(base);
  const uint64_t active = s->segment_count();
  s.reset();
  const std::string active_path = seg(active);
  const std::string bytes = base.snapshot_files()[active_path];
  format::RecordView v;
  // Find the last record's offset.
  size_t last_at = format::kSegmentHeaderSize;
  for (size_t pos = last_at; pos < bytes.size();) {
    REQUIRE(format::decode_record(std::string_view(bytes).substr(pos), v) == format::Error::ok);
    last_at = pos;
    pos += v.size;
  }
  for (size_t cut = last_at; cut < bytes.size(); ++cut) {
    MemVfs fs = copy_of(base);
    fs.put_file(active_path, bytes.substr(0, cut));
    for (bool read_only : {true, false}) {
      OpenOptions o = small_segments();
      o.read_only = read_only;
      auto re = open_ok(fs, o);
      INFO("cut at " << cut);
      REQUIRE(re->damaged());
      CHECK(re->read_only());
      const Damage& d = re->damage()[0];
      CHECK(d.file == format::segment_name(active));
      CHECK(d.what == Text::StoreDmgShort);
      CHECK(d.offset == cut);
      bool names_lost = false;
      for (const auto& x : re->damage())
        names_lost |= x.first_lost == r.acked.size() && x.last_lost == r.acked.size();
      CHECK(names_lost);
      const auto recs = read_all(*re);
      CHECK(recs == std::vector<std::string>(r.acked.begin(), r.acked.end() - 1));
    }
  }
}

TEST_CASE("store: 1,000 random bit flips in committed data are each detected and named",
          "[store][damage]") {
  MemVfs base;
  build(base, 80, 1024, 3);
  const auto files = base.snapshot_files();
  std::vector<std::string> paths;
  uint64_t total = 0;
  for (const auto& [p, b] : files) {
    paths.push_back(p);
    total += b.size();
  }
  std::mt19937_64 rng(2024);
  std::map<std::string, int> per_kind;
  for (int i = 0; i < 1000; ++i) {
    // A uniformly random bit of all the committed bytes.
    uint64_t at = rng() % total;
    size_t f = 0;
    while (at >= files.at(paths[f]).size()) at -= files.at(paths[f++]).size();
    const int bit = static_cast<int>(rng() % 8);
    MemVfs fs = copy_of(base);
    std::string bytes = files.at(paths[f]);
    bytes[at] = static_cast<char>(bytes[at] ^ (1 << bit));
    fs.put_file(paths[f], bytes);
    std::unique_ptr<Store> s;
    OpenOptions o = small_segments();
    const Status st = Store::open(fs, kDir, o, s);
    INFO(paths[f] << " byte " << at << " bit " << bit << ": " << st.to_string());
    REQUIRE(st.ok());
    REQUIRE(s->damaged());
    CHECK(s->read_only());
    const std::string name = paths[f].substr(kDir.size() + 1);
    bool named = false;
    for (const auto& d : s->damage()) named |= d.file == name;
    INFO(describe_all(*s));
    CHECK(named);
    ++per_kind[name.substr(0, 3)];
  }
  CHECK(per_kind["seg"] > 500);
  CHECK(per_kind["MAN"] + per_kind["sna"] > 0);
}

TEST_CASE("store: damage names the records and the cases it affects", "[store][damage]") {
  MemVfs base;
  const RunResult r = build(base, 40);
  // Flip one payload bit of record 5 (in segment 1): exactly that record is lost, and its case
  // is guessed from the damaged bytes.
  std::string bytes = base.snapshot_files()[seg(1)];
  size_t pos = format::kSegmentHeaderSize;
  format::RecordView v;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(format::decode_record(std::string_view(bytes).substr(pos), v) == format::Error::ok);
    pos += v.size;
  }
  bytes[pos + format::kRecordHeaderSize + 7] ^= 0x01;  // inside "|<n>|…", after the case id
  MemVfs fs = copy_of(base);
  fs.put_file(seg(1), bytes);
  auto s = open_ok(fs);
  INFO(describe_all(*s));
  REQUIRE(s->damage().size() == 1);
  const Damage& d = s->damage()[0];
  CHECK(d.file == "seg-00000001.log");
  CHECK(d.offset == pos);
  CHECK(d.first_lost == 5);
  CHECK(d.last_lost == 5);
  REQUIRE(d.cases.size() == 1);
  CHECK(d.cases[0] == r.acked[4].substr(0, 5));
  CHECK(d.cases_guessed);
  CHECK(d.describe(Lang::en) == "damaged record: checksum mismatch; records affected: 5–5; "
                                "cases probably affected (read from the damaged bytes): " +
                                    d.cases[0]);
  CHECK(d.describe(Lang::zh).find("校验和不符") != std::string::npos);
  // Every other record is still readable.
  auto recs = read_all(*s);
  CHECK(recs.size() == r.acked.size() - 1);

  // A missing segment: its whole range of records.
  MemVfs gone = copy_of(base);
  gone.delete_file(seg(2));
  auto g = open_ok(gone);
  REQUIRE(g->damaged());
  CHECK(g->damage()[0].file == "seg-00000002.log");
  CHECK(g->damage()[0].what == Text::StoreDmgFileMissing);
  CHECK(g->damage()[0].first_lost > 1);
  CHECK(g->damage()[0].last_lost >= g->damage()[0].first_lost);

  // A lost manifest: read-only from the segments, everything readable, the loss unknowable.
  MemVfs nomf = copy_of(base);
  nomf.delete_file(join_path(kDir, "MANIFEST"));
  auto n = open_ok(nomf);
  REQUIRE(n->damaged());
  CHECK(n->damage()[0].what == Text::StoreDmgManifestMissing);
  CHECK(n->damage()[0].first_lost == r.acked.size() + 1);
  CHECK(n->damage()[0].last_lost == 0);
  CHECK(read_all(*n) == r.acked);
}

TEST_CASE("store: leftovers of interrupted operations are removed on a writable open",
          "[store]") {
  MemVfs fs;
  const RunResult r = build(fs, 40);
  fs.put_file(join_path(kDir, "MANIFEST.tmp"), "half a manifest");
  fs.put_file(join_path(kDir, "seg-00000999.log"), "a segment of a roll never committed");
  fs.put_file(join_path(kDir, "snap-000000000003.snap"), "an older snapshot");
  fs.put_file(join_path(kDir, "notes.txt"), "not the store's");
  OpenOptions ro = small_segments();
  ro.read_only = true;
  auto s = open_ok(fs, ro);
  CHECK_FALSE(s->damaged());
  CHECK(s->notes().empty());
  s.reset();
  s = open_ok(fs);
  CHECK_FALSE(s->damaged());
  CHECK(s->notes().size() == 3);
  CHECK_FALSE(fs.has_file(join_path(kDir, "MANIFEST.tmp")));
  CHECK_FALSE(fs.has_file(join_path(kDir, "seg-00000999.log")));
  CHECK(fs.has_file(join_path(kDir, "notes.txt")));
  CHECK(read_all(*s) == r.acked);
}

TEST_CASE("store: PosixVfs on a real directory", "[store]") {
  namespace fsys = std::filesystem;
  const fsys::path dir = fsys::temp_directory_path() /
                         ("onestop-store-test-" + std::to_string(std::random_device{}()));
  fsys::remove_all(dir);
  PosixVfs vfs;
  const Workload w = make_workload(5, 50);
  OpenOptions o = small_segments();
  std::vector<std::string> acked;
  {
    std::unique_ptr<Store> s;
    REQUIRE(Store::open(vfs, (dir / "nested" / "store").string(), o, s).ok());
    for (const auto& batch : w.commands) {
      for (const auto& rec : batch) REQUIRE(s->append(rec).ok());
      REQUIRE(s->commit().ok());
      acked.insert(acked.end(), batch.begin(), batch.end());
    }
    REQUIRE(s->write_snapshot(10, "ten").ok());
  }
  std::unique_ptr<Store> s;
  REQUIRE(Store::open(vfs, (dir / "nested" / "store").string(), o, s).ok());
  CHECK_FALSE(s->damaged());
  CHECK(read_all(*s) == acked);
  std::string snap;
  REQUIRE(s->read_snapshot(snap).ok());
  CHECK(snap == "ten");
  std::vector<StoreFileInfo> files;
  REQUIRE(s->files(files).ok());
  CHECK(files.size() == s->segment_count() + 2);
  // Errors by value for what is not there.
  std::string out;
  CHECK(vfs.read_file((dir / "nope").string(), out).code == Code::not_found);
  std::unique_ptr<Store> none;
  CHECK(Store::open(vfs, (dir / "empty").string(), {}, none).code == Code::not_found);
  fsys::remove_all(dir);
}

TEST_CASE("store: an oversized segment is damage, not a huge read", "[store][damage]") {
  MemVfs fs;
  build(fs, 30);
  std::string big = fs.snapshot_files()[seg(1)];
  big.resize((4u << 20) + format::kMaxRecordBytes + 4096, 'z');  // past any segment's size
  fs.put_file(seg(1), big);
  auto s = open_ok(fs);
  REQUIRE(s->damaged());
  CHECK(s->damage()[0].file == "seg-00000001.log");
  CHECK(s->damage()[0].first_lost == 1);
  CHECK(s->damage()[0].last_lost > 1);
}
