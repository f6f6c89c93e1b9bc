#pragma once
// The decoder hook of `onestop store`: which case a stored record belongs to, read from the
// event's JSON (core/store/events.h). A hook returning nullptr would make `store stats` print
// "cases": null.
#include "core/store/store.h"

namespace onestop::cli {

store::CaseOf store_case_of();

}  // namespace onestop::cli
