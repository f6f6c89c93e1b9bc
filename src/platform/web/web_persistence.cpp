#include "platform/web/web_persistence.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <emscripten.h>
#include <malloc.h>
#include <nlohmann/json.hpp>

extern "C" {
// src/platform/web/library_onestop.js
void onestop_js_mount_and_load(const char* dir);
void onestop_js_persist(const char* changes_json);
void onestop_js_load_rest();
void onestop_js_note_heap(double bytes);
}

namespace onestop::web {

namespace {
std::string data_path(const std::string& name) { return std::string(kDataDir) + "/" + name; }
}  // namespace

void WebPersistence::start() { onestop_js_mount_and_load(kDataDir); }

void WebPersistence::ledger_opened() {
  // The bytes in use, not the heap's top: the top stays where a warm-up took it (emscripten's
  // malloc never gives memory back), so it would never come down when the store gets smaller.
  onestop_js_note_heap(static_cast<double>(mallinfo().uordblks));
}


void WebPersistence::on_loaded(bool ok, bool writable, const std::string& message,
                               uint64_t loaded_from_segment) {
  loaded_ = true;
  read_only_ = !writable;
  loaded_from_ = ok ? loaded_from_segment : 0;
  left_out_ = loaded_from_ > 1 ? loaded_from_ - 1 : 0;
  if (ok) {
    state_ = app::StoreState::idle;
  } else {
    state_ = app::StoreState::error;
    error_ = message;
  }
}

void WebPersistence::load_rest() {
  if (rest_requested_ || loaded_from_ == 0) return;
  rest_requested_ = true;
  rest_started_ = emscripten_get_now();
  onestop_js_load_rest();
}

void WebPersistence::on_rest_loaded(bool ok) {
  rest_ms_ = emscripten_get_now() - rest_started_;
  if (ok) loaded_from_ = 0;
}

bool WebPersistence::read_file(const std::string& name, std::string& out) const {
  std::ifstream in(data_path(name), std::ios::binary);
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
  const std::string path = data_path(name);
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
  files_changed({name}, {}, {});
}

void WebPersistence::merge(std::map<std::string, Change>& into, const std::string& path, Change c) {
  auto [it, fresh] = into.try_emplace(path, c);
  if (fresh) return;
  Change& old = it->second;
  if (c.written && old.written) {
    old.from = std::min(old.from, c.from);  // both bytes ranges still need storing
  } else if (c.written) {
    old = {true, 0};  // removed, then created again: store it whole
  } else {
    old = c;  // removed in the end
  }
}

void WebPersistence::files_changed(const std::vector<std::string>& written,
                                   const std::vector<std::string>& removed,
                                   const std::map<std::string, uint64_t>& unchanged_prefix) {
  if (read_only_) return;
  for (const auto& name : written) {
    const auto it = unchanged_prefix.find(name);
    merge(pending_, data_path(name), {true, it == unchanged_prefix.end() ? 0 : it->second});
  }
  for (const auto& name : removed) merge(pending_, data_path(name), {false, 0});
  request_sync();
}

void WebPersistence::request_sync() {
  if (!loaded_ || read_only_ || in_flight_ || pending_.empty()) return;
  in_flight_ = true;
  in_flight_set_.swap(pending_);
  pending_.clear();
  state_ = app::StoreState::saving;
  // {"written": [[path, from], …], "removed": [path, …]}
  nlohmann::json j = {{"written", nlohmann::json::array()}, {"removed", nlohmann::json::array()}};
  for (const auto& [path, c] : in_flight_set_) {
    if (c.written)
      j["written"].push_back(nlohmann::json::array({path, c.from}));
    else
      j["removed"].push_back(path);
  }
  onestop_js_persist(j.dump().c_str());
}

void WebPersistence::on_synced(bool ok, const std::string& message) {
  in_flight_ = false;
  if (!ok) {
    // Nothing of that transaction reached IndexedDB: its changes are still to be stored, before
    // (and merged with) any made meanwhile.
    std::map<std::string, Change> later;
    later.swap(pending_);
    pending_.swap(in_flight_set_);
    for (const auto& [path, c] : later) merge(pending_, path, c);
    state_ = app::StoreState::error;
    error_ = message;
    return;  // retried with the next change, or at flush: a full disk must not spin
  }
  in_flight_set_.clear();
  if (!pending_.empty()) {
    request_sync();
    return;
  }
  state_ = app::StoreState::idle;
  error_.clear();
}

void WebPersistence::flush() { request_sync(); }

}  // namespace onestop::web

// The heap's warm-up while the store loads (library_onestop.js). Touching fresh wasm memory for
// the first time costs Chromium about 1 ms per MiB on the machines measured, which made the
// first touches most of the ledger's open; the wait for IndexedDB before it is idle time. So
// as many pages as the previous open needed (the bytes in use after it, noted by
// ledger_opened) are touched meanwhile, a chunk per call, and given back to malloc just before
// the open, which then reuses them (docs/performance.md, "Warm pages").
namespace {
std::vector<char*> g_warm_chunks;  // touched, held until onestop_heap_warm_end
double g_in_use_before_warming = 0;
constexpr size_t kWarmChunk = size_t{4} << 20;
}  // namespace

extern "C" {

// Touches one more chunk of 4 MiB; 0 once malloc has `up_to` bytes in use with the chunks (or
// memory runs out).
EMSCRIPTEN_KEEPALIVE int onestop_heap_warm_step(double up_to) {
  constexpr size_t kPage = 4096;
  if (g_warm_chunks.empty()) g_in_use_before_warming = static_cast<double>(mallinfo().uordblks);
  if (g_in_use_before_warming + static_cast<double>(g_warm_chunks.size() * kWarmChunk) >= up_to)
    return 0;
  char* chunk = static_cast<char*>(std::malloc(kWarmChunk));
  if (chunk == nullptr) return 0;
  // One write per page commits it; volatile, so that the writes are not dropped.
  for (size_t at = 0; at < kWarmChunk; at += kPage) static_cast<volatile char*>(chunk)[at] = 0;
  g_warm_chunks.push_back(chunk);
  return 1;
}

// Frees the chunks (the newest first: each joins the free space above it); the bytes they held.
EMSCRIPTEN_KEEPALIVE double onestop_heap_warm_end() {
  const double bytes = static_cast<double>(g_warm_chunks.size() * kWarmChunk);
  for (auto it = g_warm_chunks.rbegin(); it != g_warm_chunks.rend(); ++it) std::free(*it);
  g_warm_chunks.clear();
  g_warm_chunks.shrink_to_fit();
  return bytes;
}

}  // extern "C"
