// The event store natively: one record appended and committed (in memory, which is the store's
// own CPU cost, and on disk with fsync), the same at 1,000 and at 100,000 records (a commit must
// not grow with the store), opening a 100,000-record store, CRC-32C throughput, and decoding
// the snapshot codec's blocks.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/lz.h"
#include "core/store/crc32c.h"
#include "core/store/mem_vfs.h"
#include "core/store/store.h"

namespace {

using namespace onestop::store;

const std::string kDir = "/bench/store";

// About the size of one domain event as JSON (core/event.h): 330 bytes.
std::string record(uint64_t i) {
  std::string r = "{\"site\":\"HQ\",\"seq\":" + std::to_string(i) +
                  ",\"actor\":\"WINDOW-ACCEPTOR\",\"time\":1735781400000,\"case\":\"HQ-20250102-" +
                  std::to_string(i % 10000) + "\",\"type\":\"step_done\",\"data\":{";
  while (r.size() < 328) r += 'x';
  return r + "}}";
}

std::unique_ptr<Store> open_store(Vfs& vfs, const std::string& dir) {
  OpenOptions o;
  o.create = true;
  std::unique_ptr<Store> s;
  if (!Store::open(vfs, dir, o, s).ok()) return nullptr;
  return s;
}

void fill(Store& s, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    (void)s.append(record(i));
    if (i % 1000 == 999) (void)s.commit();
  }
  (void)s.commit();
}

// One record, one commit, in memory: the store's CPU cost per commit. Arg: records already there.
void BM_CommitMem(benchmark::State& state) {
  MemVfs fs;
  auto s = open_store(fs, kDir);
  fill(*s, static_cast<uint64_t>(state.range(0)));
  uint64_t i = 0;
  for (auto _ : state) {
    (void)s->append(record(i++));
    if (!s->commit().ok()) state.SkipWithError("commit failed");
  }
  state.counters["segments"] = static_cast<double>(s->segment_count());
}
BENCHMARK(BM_CommitMem)->Arg(1000)->Arg(100000);

// The same on disk: write + fsync of the segment, manifest temp + fsync + rename + directory
// fsync. What a clerk's "save" costs natively.
void BM_CommitDisk(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("onestop-bench-store-" + std::to_string(std::random_device{}()));
  PosixVfs vfs;
  auto s = open_store(vfs, dir.string());
  if (!s) {
    state.SkipWithError("cannot create the store");
    return;
  }
  fill(*s, static_cast<uint64_t>(state.range(0)));
  uint64_t i = 0;
  for (auto _ : state) {
    (void)s->append(record(i++));
    if (!s->commit().ok()) state.SkipWithError("commit failed");
  }
  s.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CommitDisk)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

// The floor under BM_CommitDisk: append 330 bytes to one file and fsync it, nothing else.
void BM_FsyncFloor(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("onestop-bench-fsync-" + std::to_string(std::random_device{}()));
  PosixVfs vfs;
  std::unique_ptr<WritableFile> f;
  if (!vfs.open_file(path.string(), OpenMode::create_truncate, f).ok()) {
    state.SkipWithError("cannot create the file");
    return;
  }
  const std::string rec = record(0);
  uint64_t at = 0;
  for (auto _ : state) {
    (void)f->write_at(at, rec);
    at += rec.size();
    if (!f->sync().ok()) state.SkipWithError("fsync failed");
  }
  f.reset();
  std::filesystem::remove(path);
}
BENCHMARK(BM_FsyncFloor)->Unit(benchmark::kMicrosecond);

// Opening a store of 100,000 records (about 33 MB): every record checked, or (verify_all off,
// with a snapshot at the end) only the headers and the tail.
void BM_Open(benchmark::State& state) {
  MemVfs fs;
  {
    auto s = open_store(fs, kDir);
    fill(*s, 100000);
    (void)s->write_snapshot(s->last_seq(), std::string(1 << 20, 's'));
  }
  OpenOptions o;
  o.verify_all = state.range(0) != 0;
  for (auto _ : state) {
    std::unique_ptr<Store> s;
    if (!Store::open(fs, kDir, o, s).ok() || s->damaged()) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(s->last_seq());
  }
}
BENCHMARK(BM_Open)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

void BM_Crc32c(benchmark::State& state) {
  const std::string data(static_cast<size_t>(state.range(0)), 'a');
  for (auto _ : state) benchmark::DoNotOptimize(crc32c(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Crc32c)->Arg(330)->Arg(32 * 1024)->Arg(16 << 20);

// Decoding 16 MiB of snapshot-like text (case numbers, district and road names, digits) packed in
// 64 KiB blocks, as opening a snapshot does (lz::decompress).
void BM_LzDecompress(benchmark::State& state) {
  std::mt19937 rng(5);
  std::string raw;
  while (raw.size() < (16u << 20))
    raw += "HQ-2025" + std::to_string(1010 + rng() % 300) + "-" + std::to_string(rng() % 900) +
           (rng() % 2 ? "东宝区泉口路" : "掇刀区白庙路") + std::to_string(rng() % 500) + "号" +
           "139" + std::to_string(10000000 + rng() % 90000000);
  constexpr size_t kBlock = 64 * 1024;
  std::vector<std::string> blocks;
  onestop::lz::Compressor c;
  for (size_t at = 0; at < raw.size(); at += kBlock) {
    blocks.emplace_back();
    c.compress(std::string_view(raw).substr(at, kBlock), blocks.back());
  }
  std::vector<char> out(kBlock);
  for (auto _ : state) {
    for (size_t i = 0; i < blocks.size(); ++i) {
      const size_t size = std::min(kBlock, raw.size() - i * kBlock);
      if (!onestop::lz::decompress(blocks[i], out.data(), size))
        state.SkipWithError("a block did not decode");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(raw.size()));
}
BENCHMARK(BM_LzDecompress)->Unit(benchmark::kMillisecond);

}  // namespace
