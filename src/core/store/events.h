#pragma once
// The domain's events in the store: one record per event, holding the event's JSON
// (core/event.h). The store itself stays generic; this is the one place that knows the encoding.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/problem.h"
#include "core/store/store.h"

namespace onestop::store {

std::string event_record(const Event& e);
std::optional<Event> event_from_record(std::string_view record, Problem& error);

// The case a record belongs to ("" for customer events); nullopt when it is not an event.
CaseOf event_case_of();

// Feeds every committed event from `from_seq` on to `apply`, in order. Records that do not
// decode are counted in `undecodable` (when given) and skipped; `apply` returning false stops.
Status replay_events(Store& store, uint64_t from_seq,
                     const std::function<bool(const Event&)>& apply,
                     uint64_t* undecodable = nullptr);

}  // namespace onestop::store
