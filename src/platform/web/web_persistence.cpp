#include "platform/web/web_persistence.h"

#include <cstdio>
#include <fstream>
#include <sstream>

extern "C" {
// src/platform/web/library_onestop.js
void onestop_js_mount_and_load(const char* dir);
void onestop_js_sync();
}

namespace onestop::web {

void WebPersistence::start() { onestop_js_mount_and_load(kDataDir); }

void WebPersistence::on_loaded(bool ok, bool writable, const std::string& message) {
  loaded_ = true;
  read_only_ = !writable;
  if (ok) {
    state_ = app::StoreState::idle;
  } else {
    state_ = app::StoreState::error;
    error_ = message;
  }
}

bool WebPersistence::read_file(const std::string& name, std::string& out) const {
  std::ifstream in(std::string(kDataDir) + "/" + name, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

void WebPersistence::save_file(const std::string& name, const std::string& bytes) {
  if (read_only_) return;  // the owning tab's data must never be overwritten from here
  // Write a temporary file and rename it over the old one: a reader (or a sync) sees either
  // the old content or the new, never half of it.
  const std::string path = std::string(kDataDir) + "/" + name;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      state_ = app::StoreState::error;
      error_ = "write " + tmp;
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    state_ = app::StoreState::error;
    error_ = "rename " + tmp;
    return;
  }
  request_sync();
}

void WebPersistence::request_sync() {
  if (!loaded_ || read_only_) return;  // before load a sync would erase what is stored
  if (in_flight_) {
    pending_ = true;
    return;
  }
  in_flight_ = true;
  pending_ = false;
  state_ = app::StoreState::saving;
  onestop_js_sync();
}

void WebPersistence::on_synced(bool ok, const std::string& message) {
  in_flight_ = false;
  if (!ok) {
    state_ = app::StoreState::error;
    error_ = message;
  }
  if (pending_) {
    request_sync();
    return;
  }
  if (ok) {
    state_ = app::StoreState::idle;
    error_.clear();
  }
}

void WebPersistence::flush() {
  if (pending_ && !in_flight_) request_sync();
}

}  // namespace onestop::web
