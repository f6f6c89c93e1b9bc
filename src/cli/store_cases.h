#pragma once
// The decoder hook of `onestop store`: which case a stored record belongs to. nullptr while the
// domain core has no event encoding to read (then `store stats` prints "cases": null).
#include "core/store/store.h"

namespace onestop::cli {

store::CaseOf store_case_of();

}  // namespace onestop::cli
