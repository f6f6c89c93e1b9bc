#include "core/store/events.h"

#include <nlohmann/json.hpp>

namespace onestop::store {

std::string event_record(const Event& e) { return event_to_json(e); }

std::optional<Event> event_from_record(std::string_view record, Problem& error) {
  return event_from_json(record, error);
}

CaseOf event_case_of() {
  // Only the "case" member is needed: a light parse, no full event decode. Malformed input
  // yields nullopt (allow_exceptions = false: nothing throws).
  return [](std::string_view record) -> std::optional<std::string> {
    const auto j = nlohmann::json::parse(record.begin(), record.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    const auto it = j.find("case");
    if (it == j.end() || !it->is_string()) return std::nullopt;
    if (!j.contains("site") || !j.contains("seq") || !j.contains("type")) return std::nullopt;
    return it->get<std::string>();
  };
}

Status replay_events(Store& store, uint64_t from_seq,
                     const std::function<bool(const Event&)>& apply, uint64_t* undecodable) {
  if (undecodable != nullptr) *undecodable = 0;
  return store.scan(from_seq, [&](uint64_t, std::string_view rec) {
    Problem error;
    auto e = event_from_record(rec, error);
    if (!e) {
      if (undecodable != nullptr) ++*undecodable;
      return true;
    }
    return apply(*e);
  });
}

}  // namespace onestop::store
