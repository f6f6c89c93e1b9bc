#include "cli/store_cases.h"

#include "core/store/events.h"

namespace onestop::cli {

store::CaseOf store_case_of() { return store::event_case_of(); }

}  // namespace onestop::cli
