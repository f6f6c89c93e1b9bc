#include "cli/store_cases.h"

namespace onestop::cli {

store::CaseOf store_case_of() { return nullptr; }

}  // namespace onestop::cli
