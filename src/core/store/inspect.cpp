#include "core/store/inspect.h"

#include <unordered_set>

#include "core/store/sha256.h"

namespace onestop::store {

Status compute_stats(Store& store, const CaseOf& case_of, StoreStats& out) {
  out = StoreStats{};
  std::unordered_set<std::string> cases;
  Status st = store.scan(1, [&](uint64_t, std::string_view rec) {
    ++out.events;
    if (case_of) {
      const auto c = case_of(rec);
      if (!c) {
        ++out.undecodable;
      } else if (!c->empty()) {
        cases.insert(*c);
      }
    }
    return true;
  });
  if (!st.ok() && st.code != Code::damaged) return st;
  if (case_of) out.cases = cases.size();
  std::vector<StoreFileInfo> files;
  st = store.files(files);
  if (!st.ok()) return st;
  for (const auto& f : files) {
    out.bytes += f.bytes;
    if (format::parse_segment_name(f.name)) ++out.segments;
    if (format::parse_snapshot_name(f.name)) ++out.snapshots;
  }
  out.last_seq = store.last_seq();
  if (const auto snap = store.snapshot()) out.snapshot_seq = snap->seq;
  out.damaged = store.damaged();
  return {};
}

std::string stats_json(const StoreStats& s) {
  std::string j = "{\"events\":" + std::to_string(s.events);
  j += ",\"cases\":" + (s.cases ? std::to_string(*s.cases) : std::string("null"));
  j += ",\"bytes\":" + std::to_string(s.bytes);
  j += ",\"segments\":" + std::to_string(s.segments);
  j += ",\"snapshots\":" + std::to_string(s.snapshots);
  j += ",\"last_seq\":" + std::to_string(s.last_seq);
  j += ",\"snapshot_seq\":" + std::to_string(s.snapshot_seq);
  if (s.cases) j += ",\"undecodable\":" + std::to_string(s.undecodable);
  j += ",\"damaged\":" + std::string(s.damaged ? "true" : "false") + "}";
  return j;
}

Status compute_digest(Store& store, std::string& hex) {
  hex.clear();
  if (store.damaged())
    return {Code::damaged, "the store is damaged: its content is not what was committed"};
  Sha256 h;
  h.update("onestop-store-digest-v1\n");
  uint64_t expected = 1;
  bool in_order = true;
  Status st = store.scan(1, [&](uint64_t seq, std::string_view rec) {
    in_order = in_order && seq == expected++;
    std::string head;
    format::put_u64(head, seq);
    format::put_u64(head, rec.size());
    h.update(head);
    h.update(rec);
    return true;
  });
  if (!st.ok()) return st;
  if (!in_order || expected != store.last_seq() + 1)
    return {Code::damaged, "records missing or out of order"};
  hex = h.finish_hex();
  return {};
}

}  // namespace onestop::store
