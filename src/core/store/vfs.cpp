#include "core/store/vfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace onestop::store {

const char* code_name(Code code) {
  switch (code) {
    case Code::ok: return "ok";
    case Code::not_found: return "not_found";
    case Code::io_error: return "io_error";
    case Code::no_space: return "no_space";
    case Code::damaged: return "damaged";
    case Code::read_only: return "read_only";
    case Code::invalid: return "invalid";
    case Code::crashed: return "crashed";
    case Code::not_loaded: return "not_loaded";
  }
  return "?";
}

std::string Status::to_string() const {
  std::string s = code_name(code);
  if (!detail.empty()) (s += ": ") += detail;
  return s;
}

std::string join_path(const std::string& dir, std::string_view name) {
  std::string p = dir;
  if (!p.empty() && p.back() != '/') p += '/';
  p += name;
  return p;
}

namespace {

Status from_errno(int err, const char* call, const std::string& path) {
  std::string detail = std::string(call) + " " + path + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) return {Code::not_found, std::move(detail)};
  if (err == ENOSPC || err == EDQUOT) return {Code::no_space, std::move(detail)};
  return {Code::io_error, std::move(detail)};
}

class PosixFile final : public WritableFile {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;
  ~PosixFile() override { ::close(fd_); }

  Status write_at(uint64_t offset, std::string_view bytes) override {
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::pwrite(fd_, p, left, static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) continue;
        return from_errno(errno, "pwrite", path_);
      }
      if (n == 0) return {Code::no_space, "pwrite " + path_ + ": wrote nothing"};
      p += n;
      left -= static_cast<size_t>(n);
      offset += static_cast<uint64_t>(n);
    }
    return {};
  }
  Status truncate(uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
      return from_errno(errno, "ftruncate", path_);
    return {};
  }
  Status sync() override {
    if (::fsync(fd_) != 0) return from_errno(errno, "fsync", path_);
    return {};
  }

 private:
  int fd_;
  std::string path_;
};

int open_read(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Reads up to `size` bytes from `offset`, stopping at the end of the file.
Status read_fd(int fd, uint64_t offset, uint64_t size, const std::string& path,
               std::string& out) {
  // Straight into the result, in one call for most files: a snapshot of tens of MB is copied
  // once (in the browser each call crosses into JavaScript's MEMFS).
  // (Resized only when the size differs: a reader going through a file in equal pieces reuses
  // the buffer without zero-filling it each time.)
  if (out.size() != size) out.resize(static_cast<size_t>(size));
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      out.clear();
      return from_errno(errno, "pread", path);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return {};
}

}  // namespace

Status PosixVfs::read_file(const std::string& path, std::string& out) {
  return read_range(path, 0, UINT64_MAX, out);
}

Status PosixVfs::read_range(const std::string& path, uint64_t offset, uint64_t size,
                            std::string& out) {
  const int fd = open_read(path);
  if (fd < 0) return from_errno(errno, "open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return {Code::io_error, "not a regular file: " + path};
  }
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  if (offset >= file_size) {
    out.clear();
    ::close(fd);
    return {};
  }
  if (size > file_size - offset) size = file_size - offset;
  Status s = read_fd(fd, offset, size, path, out);
  ::close(fd);
  return s;
}

Status PosixVfs::file_size(const std::string& path, uint64_t& size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return from_errno(errno, "stat", path);
  if (!S_ISREG(st.st_mode)) return {Code::io_error, "not a regular file: " + path};
  size = static_cast<uint64_t>(st.st_size);
  return {};
}

Status PosixVfs::open_file(const std::string& path, OpenMode mode,
                           std::unique_ptr<WritableFile>& out) {
  const int flags =
      O_WRONLY | O_CLOEXEC | (mode == OpenMode::create_truncate ? O_CREAT | O_TRUNC : 0);
  int fd;
  do {
    fd = ::open(path.c_str(), flags, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return from_errno(errno, "open", path);
  out = std::make_unique<PosixFile>(fd, path);
  return {};
}

Status PosixVfs::rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) return from_errno(errno, "rename", from);
  return {};
}

Status PosixVfs::remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return from_errno(errno, "unlink", path);
  return {};
}

Status PosixVfs::list_dir(const std::string& dir, std::vector<std::string>& names) {
  names.clear();
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return from_errno(errno, "opendir", dir);
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::stat(join_path(dir, name).c_str(), &st) == 0 && S_ISREG(st.st_mode))
      names.push_back(name);
  }
  ::closedir(d);
  return {};
}

Status PosixVfs::make_dir(const std::string& dir) {
  if (dir.empty()) return {Code::invalid, "empty directory name"};
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    const std::string part = dir.substr(0, i);
    if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST)
      return from_errno(errno, "mkdir", part);
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return {Code::io_error, "not a directory: " + dir};
  return {};
}

Status PosixVfs::sync_dir(const std::string& dir) {
  int fd;
  do {
    fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return from_errno(errno, "open", dir);
  // Some file systems cannot fsync a directory (EINVAL): their renames are already ordered.
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL && err != EROFS) return from_errno(err, "fsync", dir);
  return {};
}

}  // namespace onestop::store
