#include "core/store/backup.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

#include "core/store/mem_vfs.h"
#include "core/store/sha256.h"

namespace onestop::store {

namespace {

constexpr std::string_view kMagic = "ONESTOP-BACKUP\n";
constexpr uint32_t kFormat = 1;
constexpr size_t kHashBytes = 32;
constexpr uint32_t kMaxFiles = 1'000'000;

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Reads little-endian integers from a bounded buffer; every read checks the bounds.
struct Reader {
  std::string_view in;
  size_t at = 0;
  bool take(size_t n, std::string_view& out) {
    if (in.size() - at < n) return false;
    out = in.substr(at, n);
    at += n;
    return true;
  }
  bool le(int bytes, uint64_t& v) {
    std::string_view b;
    if (!take(static_cast<size_t>(bytes), b)) return false;
    v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[static_cast<size_t>(i)]);
    return true;
  }
};

// A store file name: plain, no folders, nothing hidden.
bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 255 || n[0] == '.') return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

Status bad(std::string& problem, std::string zh, std::string en) {
  problem = zh + " / " + en;
  return {Code::invalid, en};
}

}  // namespace

Status backup_make(Vfs& vfs, const std::string& dir, std::string& out) {
  std::unique_ptr<Store> s;
  OpenOptions o;
  o.read_only = true;
  Status st = Store::open(vfs, dir, o, s);
  if (!st.ok()) return st;
  std::vector<StoreFileInfo> infos;
  st = s->files(infos);
  if (!st.ok()) return st;
  out.assign(kMagic);
  put_le(out, kFormat, 4);
  put_le(out, infos.size(), 4);
  for (const auto& f : infos) {
    std::string bytes;
    st = vfs.read_file(join_path(dir, f.name), bytes);
    if (!st.ok()) return st;
    put_le(out, f.name.size(), 2);
    out += f.name;
    put_le(out, bytes.size(), 8);
    out += bytes;
  }
  Sha256 h;
  h.update(out);
  const auto digest = h.finish();
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return {};
}

Status backup_check(std::string_view backup, std::vector<BackupFile>& files, BackupSummary& summary,
                    std::string& problem) {
  files.clear();
  summary = {};
  if (backup.size() < kMagic.size() + 8 + kHashBytes || backup.substr(0, kMagic.size()) != kMagic)
    return bad(problem, "不是一站式服务台的备份文件", "not a OneStop backup file");
  const std::string_view body = backup.substr(0, backup.size() - kHashBytes);
  Sha256 h;
  h.update(body);
  const auto digest = h.finish();
  if (std::memcmp(digest.data(), backup.data() + body.size(), kHashBytes) != 0)
    return bad(problem, "备份文件已损坏（校验和不符），可能下载不完整", "the backup is damaged (checksum mismatch): perhaps an incomplete download");
  Reader r{body, kMagic.size()};
  uint64_t format = 0, count = 0;
  r.le(4, format);
  r.le(4, count);
  if (format != kFormat)
    return bad(problem, "备份文件的格式版本 " + std::to_string(format) + " 无法识别",
               "unknown backup format version " + std::to_string(format));
  if (count == 0 || count > kMaxFiles) return bad(problem, "备份文件中没有数据", "the backup holds no store");
  std::set<std::string> seen;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t name_len = 0, size = 0;
    std::string_view name, bytes;
    if (!r.le(2, name_len) || !r.take(name_len, name) || !r.le(8, size) || !r.take(size, bytes))
      return bad(problem, "备份文件结构不完整", "the backup's structure is cut short");
    if (!valid_name(name) || !seen.insert(std::string(name)).second)
      return bad(problem, "备份文件含有不合规的文件名", "the backup holds an invalid file name");
    files.push_back({std::string(name), std::string(bytes)});
    summary.bytes += size;
  }
  if (r.at != body.size()) return bad(problem, "备份文件末尾有多余数据", "the backup has bytes past its end");
  // The store inside must open cleanly with every record checked.
  MemVfs mem;
  const std::string dir = "/backup";
  mem.make_dir(dir);
  for (const auto& f : files) {
    std::unique_ptr<WritableFile> w;
    Status st = mem.open_file(join_path(dir, f.name), OpenMode::create_truncate, w);
    if (st.ok()) st = w->write_at(0, f.bytes);
    if (!st.ok()) return bad(problem, "无法检查备份：" + st.to_string(), "cannot check the backup: " + st.to_string());
  }
  std::unique_ptr<Store> s;
  OpenOptions o;
  o.read_only = true;
  o.verify_all = true;
  const Status st = Store::open(mem, dir, o, s);
  if (!st.ok()) return bad(problem, "备份中的数据无法打开：" + st.to_string(), "the store in the backup cannot be opened: " + st.to_string());
  if (s->damaged())
    return bad(problem, "备份中的数据已损坏：" + s->damage().front().describe(Lang::zh),
               "the store in the backup is damaged: " + s->damage().front().describe(Lang::en));
  summary.files = files.size();
  summary.records = s->last_seq();
  summary.store_id = s->store_id();
  return {};
}

namespace {

constexpr std::string_view kTempPrefix = ".restore-";  // + the file's name
constexpr const char* kMarker = ".restore";
constexpr const char* kMarkerTmp = ".restore.tmp";
constexpr std::string_view kMarkerFirstLine = "onestop-restore 1\n";
constexpr std::string_view kMarkerLastLine = "end\n";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The marker: a first line, the names one per line, a last line (so a cut one never reads as
// whole; it is also written under a temporary name, synced, then renamed into place).
std::string encode_marker(const std::vector<BackupFile>& files) {
  std::string out(kMarkerFirstLine);
  for (const auto& f : files) out += f.name + "\n";
  out += kMarkerLastLine;
  return out;
}

bool decode_marker(std::string_view bytes, std::vector<std::string>& names) {
  names.clear();
  if (!starts_with(bytes, kMarkerFirstLine) || bytes.size() < kMarkerLastLine.size() ||
      bytes.substr(bytes.size() - kMarkerLastLine.size()) != kMarkerLastLine)
    return false;
  bytes = bytes.substr(kMarkerFirstLine.size(),
                       bytes.size() - kMarkerFirstLine.size() - kMarkerLastLine.size());
  while (!bytes.empty()) {
    const size_t end = bytes.find('\n');
    if (end == std::string_view::npos || !valid_name(bytes.substr(0, end))) return false;
    names.emplace_back(bytes.substr(0, end));
    bytes.remove_prefix(end + 1);
  }
  return !names.empty();
}

Status write_synced(Vfs& vfs, const std::string& path, std::string_view bytes) {
  std::unique_ptr<WritableFile> w;
  Status st = vfs.open_file(path, OpenMode::create_truncate, w);
  if (st.ok()) st = w->write_at(0, bytes);
  if (st.ok()) st = w->sync();
  return st;
}

}  // namespace

Status backup_restore(Vfs& vfs, const std::string& dir, const std::vector<BackupFile>& files,
                      FileChanges& changes) {
  changes = {};
  Status st = vfs.make_dir(dir);
  if (!st.ok()) return st;
  // 1. The new files under temporary names, synced, with their names.
  for (const auto& f : files) {
    st = write_synced(vfs, join_path(dir, std::string(kTempPrefix) + f.name), f.bytes);
    if (!st.ok()) return st;
  }
  st = vfs.sync_dir(dir);
  if (!st.ok()) return st;
  // 2. The marker: once its rename is durable, the restore is committed. (A rename is taken to
  // be atomic, as POSIX file systems make it; the manifest relies on the same.)
  st = write_synced(vfs, join_path(dir, kMarkerTmp), encode_marker(files));
  if (st.ok()) st = vfs.rename(join_path(dir, kMarkerTmp), join_path(dir, kMarker));
  if (st.ok()) st = vfs.sync_dir(dir);
  if (!st.ok()) return st;
  // 3. The old store out, the new one in.
  bool finished = false;
  return finish_restore(vfs, dir, changes, finished);
}

bool restore_pending(Vfs& vfs, const std::string& dir) {
  uint64_t size = 0;
  return vfs.file_size(join_path(dir, kMarker), size).ok();
}

Status finish_restore(Vfs& vfs, const std::string& dir, FileChanges& changes, bool& finished) {
  changes = {};
  finished = false;
  std::vector<std::string> present;
  Status st = vfs.list_dir(dir, present);
  if (st.code == Code::not_found) return {};
  if (!st.ok()) return st;
  const std::set<std::string> here(present.begin(), present.end());
  if (!here.count(kMarker)) {
    // Not committed (or nothing to do): what an interrupted restore wrote goes, the store stays.
    bool removed_any = false;
    for (const auto& n : present) {
      if (!starts_with(n, ".restore")) continue;
      st = vfs.remove(join_path(dir, n));
      if (!st.ok()) return st;
      removed_any = true;
    }
    return removed_any ? vfs.sync_dir(dir) : Status{};
  }
  std::string bytes;
  st = vfs.read_file(join_path(dir, kMarker), bytes);
  if (!st.ok()) return st;
  std::vector<std::string> names;
  if (!decode_marker(bytes, names))
    return {Code::damaged, join_path(dir, kMarker) + ": the restore marker cannot be read"};
  const std::set<std::string> incoming(names.begin(), names.end());
  // Each new file is there, under its temporary name or (put in place before a crash) its own:
  // checked before anything is removed.
  for (const auto& n : names)
    if (!here.count(std::string(kTempPrefix) + n) && !here.count(n))
      return {Code::damaged, join_path(dir, n) + ": a file of the restore is missing"};
  // Every file that is not the restore's goes: the old store's (some may be gone already).
  for (const auto& n : present) {
    if (starts_with(n, ".restore") || incoming.count(n)) continue;
    st = vfs.remove(join_path(dir, n));
    if (!st.ok()) return st;
    changes.removed.push_back(n);
  }
  // The new files into place.
  for (const auto& n : names) {
    const std::string temp = std::string(kTempPrefix) + n;
    if (here.count(temp)) {
      st = vfs.rename(join_path(dir, temp), join_path(dir, n));
      if (!st.ok()) return st;
    }
    changes.written.push_back(n);
  }
  st = vfs.sync_dir(dir);
  if (st.ok()) st = vfs.remove(join_path(dir, kMarker));
  if (st.ok()) st = vfs.sync_dir(dir);
  if (!st.ok()) return st;
  finished = true;
  return {};
}

}  // namespace onestop::store
