#pragma once
// Deadlines in working days with a clock that stops while a case is paused.
//
// The clock of a case (or of one step) starts on `start` (that day never counts, as for legal
// periods in China) and runs for `limit` working days. A pause stops it: working days from the
// start up to and including the day the pause began are used; the day work resumes does not
// count again (it plays the part of a new acceptance day). The due date is the day on which the
// limit-th counted working day falls. A pause and a resumption on the same day change nothing.
#include <span>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/model.h"

namespace onestop {

struct DeadlineAnswer {
  bool ok = false;
  Deadline deadline;  // unset when limit < 0 (no time limit)
  std::string error;  // the calendar's reason, both languages, when !ok
};

// `pauses` in time order; those that ended before `start` are ignored; a pause still running is
// taken as ending the day it began (the answer then means "if work resumed that day").
DeadlineAnswer compute_deadline(const WorkCalendar& calendar, Date start, int limit,
                                std::span<const PauseSpan> pauses);

}  // namespace onestop
