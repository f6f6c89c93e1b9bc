#include "core/store/mem_vfs.h"

#include <random>

namespace onestop::store {
namespace {

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

void write_into(std::string& data, uint64_t offset, std::string_view bytes) {
  const auto off = static_cast<size_t>(offset);
  if (data.size() < off + bytes.size()) data.resize(off + bytes.size(), '\0');
  data.replace(off, bytes.size(), bytes);
}

}  // namespace

class MemFile final : public WritableFile {
 public:
  MemFile(MemVfs& fs, std::shared_ptr<MemVfs::Inode> inode, std::string path)
      : fs_(fs), inode_(std::move(inode)), path_(std::move(path)) {}

  Status write_at(uint64_t offset, std::string_view bytes) override {
    return fs_.do_write(*inode_, path_, offset, bytes);
  }
  Status truncate(uint64_t size) override {
    if (fs_.crashed_) return MemVfs::crashed_status();
    const bool crash = fs_.next_op_crashes();
    inode_->data.resize(static_cast<size_t>(size), '\0');
    fs_.paths_written_.insert(path_);
    return crash ? MemVfs::crashed_status() : Status{};
  }
  Status sync() override {
    if (fs_.crashed_) return MemVfs::crashed_status();
    if (fs_.next_op_crashes()) return MemVfs::crashed_status();
    inode_->durable = inode_->data;
    return {};
  }

 private:
  MemVfs& fs_;
  std::shared_ptr<MemVfs::Inode> inode_;
  std::string path_;
};

void MemVfs::entry_changed(const std::string& path) {
  unsynced_entries_[parent_of(path)].insert(path);
}

bool MemVfs::next_op_crashes() {
  const bool crash = plan_.crash_at >= 0 && ops_ == static_cast<uint64_t>(plan_.crash_at);
  ++ops_;
  if (crash) crashed_ = true;
  return crash;
}

Status MemVfs::do_write(Inode& inode, const std::string& path, uint64_t offset,
                        std::string_view bytes) {
  if (crashed_) return crashed_status();
  const bool crash = next_op_crashes();
  const uint64_t index = writes_++;
  bytes_written_ += bytes.size();
  paths_written_.insert(path);
  if (crash) {
    const size_t keep = plan_.torn_bytes == UINT64_MAX
                            ? bytes.size() / 2
                            : std::min<size_t>(bytes.size(), static_cast<size_t>(plan_.torn_bytes));
    write_into(inode.data, offset, bytes.substr(0, keep));
    return crashed_status();
  }
  if (disk_full_ ||
      (plan_.full_from_write >= 0 && index >= static_cast<uint64_t>(plan_.full_from_write))) {
    write_into(inode.data, offset, bytes.substr(0, bytes.size() / 2));  // a short write
    return {Code::no_space, "write " + path + ": No space left on device (simulated)"};
  }
  write_into(inode.data, offset, bytes);
  return {};
}

Status MemVfs::read_file(const std::string& path, std::string& out) {
  return read_range(path, 0, UINT64_MAX, out);
}

Status MemVfs::read_range(const std::string& path, uint64_t offset, uint64_t size,
                          std::string& out) {
  if (crashed_) return crashed_status();
  const auto it = ns_.find(path);
  if (it == ns_.end()) return {Code::not_found, "open " + path + ": No such file"};
  const std::string& d = it->second->data;
  out.clear();
  if (offset < d.size()) {
    const uint64_t n = std::min<uint64_t>(size, d.size() - offset);
    out.assign(d, static_cast<size_t>(offset), static_cast<size_t>(n));
  }
  return {};
}

Status MemVfs::file_size(const std::string& path, uint64_t& size) {
  if (crashed_) return crashed_status();
  const auto it = ns_.find(path);
  if (it == ns_.end()) return {Code::not_found, "stat " + path + ": No such file"};
  size = it->second->data.size();
  return {};
}

Status MemVfs::open_file(const std::string& path, OpenMode mode,
                         std::unique_ptr<WritableFile>& out) {
  if (crashed_) return crashed_status();
  auto it = ns_.find(path);
  if (mode == OpenMode::existing) {
    if (it == ns_.end()) return {Code::not_found, "open " + path + ": No such file"};
    out = std::make_unique<MemFile>(*this, it->second, path);
    return {};
  }
  if (dirs_.count(parent_of(path)) == 0)
    return {Code::not_found, "open " + path + ": No such directory"};
  const bool crash = next_op_crashes();
  paths_written_.insert(path);
  if (it == ns_.end()) {
    it = ns_.emplace(path, std::make_shared<Inode>()).first;
    entry_changed(path);
  } else {
    it->second->data.clear();
  }
  if (crash) return crashed_status();
  out = std::make_unique<MemFile>(*this, it->second, path);
  return {};
}

Status MemVfs::rename(const std::string& from, const std::string& to) {
  if (crashed_) return crashed_status();
  const auto it = ns_.find(from);
  if (it == ns_.end()) return {Code::not_found, "rename " + from + ": No such file"};
  const bool crash = next_op_crashes();
  paths_written_.insert(to);
  auto inode = it->second;
  ns_.erase(it);
  ns_[to] = std::move(inode);
  entry_changed(from);
  entry_changed(to);
  return crash ? crashed_status() : Status{};
}

Status MemVfs::remove(const std::string& path) {
  if (crashed_) return crashed_status();
  const auto it = ns_.find(path);
  if (it == ns_.end()) return {Code::not_found, "unlink " + path + ": No such file"};
  const bool crash = next_op_crashes();
  ns_.erase(it);
  entry_changed(path);
  return crash ? crashed_status() : Status{};
}

Status MemVfs::list_dir(const std::string& dir, std::vector<std::string>& names) {
  if (crashed_) return crashed_status();
  if (dirs_.count(dir) == 0) return {Code::not_found, "opendir " + dir + ": No such directory"};
  names.clear();
  const std::string prefix = dir + "/";
  for (auto it = ns_.lower_bound(prefix); it != ns_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string name = it->first.substr(prefix.size());
    if (name.find('/') == std::string::npos) names.push_back(name);
  }
  return {};
}

Status MemVfs::make_dir(const std::string& dir) {
  if (crashed_) return crashed_status();
  if (dir.empty()) return {Code::invalid, "empty directory name"};
  if (dirs_.count(dir) != 0) return {};
  const bool crash = next_op_crashes();
  for (size_t i = 1; i <= dir.size(); ++i)
    if (i == dir.size() || dir[i] == '/') dirs_.insert(dir.substr(0, i));
  return crash ? crashed_status() : Status{};
}

Status MemVfs::sync_dir(const std::string& dir) {
  if (crashed_) return crashed_status();
  if (dirs_.count(dir) == 0) return {Code::not_found, "open " + dir + ": No such directory"};
  if (next_op_crashes()) return crashed_status();
  // Only the entries that changed: the cost of a commit must not grow with the file count.
  const auto changed = unsynced_entries_.find(dir);
  if (changed == unsynced_entries_.end()) return {};
  for (const auto& path : changed->second) {
    const auto cur = ns_.find(path);
    if (cur == ns_.end()) {
      durable_ns_.erase(path);
    } else {
      durable_ns_[path] = cur->second;
    }
  }
  unsynced_entries_.erase(changed);
  return {};
}

MemVfs MemVfs::after_crash(CrashView view, uint64_t seed) const {
  MemVfs out;
  out.dirs_ = dirs_;
  std::mt19937_64 rng(seed);
  auto coin = [&rng] { return (rng() & 1u) != 0; };
  std::set<std::string> paths;
  for (const auto& e : ns_) paths.insert(e.first);
  for (const auto& e : durable_ns_) paths.insert(e.first);
  for (const auto& path : paths) {
    const auto cur = ns_.find(path);
    const auto dur = durable_ns_.find(path);
    const Inode* inode = nullptr;
    bool use_durable_bytes = false;
    switch (view) {
      case CrashView::durable:
        if (dur != durable_ns_.end()) inode = dur->second.get();
        use_durable_bytes = true;
        break;
      case CrashView::everything:
        if (cur != ns_.end()) inode = cur->second.get();
        break;
      case CrashView::mixed: {
        const bool pick_durable_entry = coin();
        if (pick_durable_entry && dur != durable_ns_.end()) inode = dur->second.get();
        if (!pick_durable_entry && cur != ns_.end()) inode = cur->second.get();
        use_durable_bytes = coin();
        break;
      }
    }
    if (inode == nullptr) continue;
    std::string bytes = use_durable_bytes ? inode->durable : inode->data;
    if (view == CrashView::mixed && use_durable_bytes &&
        inode->data.size() > inode->durable.size() &&
        inode->data.compare(0, inode->durable.size(), inode->durable) == 0 && coin()) {
      // Part of the unsynced tail reached the disk.
      const size_t extra = rng() % (inode->data.size() - inode->durable.size() + 1);
      bytes = inode->data.substr(0, inode->durable.size() + extra);
    }
    auto copy = std::make_shared<Inode>(Inode{bytes, bytes});
    out.ns_[path] = copy;
    out.durable_ns_[path] = copy;
  }
  return out;
}

std::map<std::string, std::string> MemVfs::snapshot_files() const {
  std::map<std::string, std::string> files;
  for (const auto& [path, inode] : ns_) files[path] = inode->data;
  return files;
}

void MemVfs::put_file(const std::string& path, const std::string& bytes) {
  for (size_t i = 1; i < path.size(); ++i)
    if (path[i] == '/') dirs_.insert(path.substr(0, i));
  auto inode = std::make_shared<Inode>(Inode{bytes, bytes});
  ns_[path] = inode;
  durable_ns_[path] = inode;
}

void MemVfs::delete_file(const std::string& path) {
  ns_.erase(path);
  durable_ns_.erase(path);
}

}  // namespace onestop::store
