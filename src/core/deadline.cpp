#include "core/deadline.h"

#include <algorithm>

namespace onestop {

DeadlineAnswer compute_deadline(const WorkCalendar& calendar, Date start, int limit,
                                std::span<const PauseSpan> pauses) {
  DeadlineAnswer out;
  if (limit < 0) {
    out.ok = true;
    return out;
  }
  if (limit == 0) {  // the same day
    out.ok = true;
    out.deadline = Deadline{start, true, false};
    return out;
  }
  Date from = start;  // the clock runs on the days after `from`
  int used = 0;
  bool provisional = false;
  for (const auto& p : pauses) {
    const Date paused = china_date_of(p.from);
    const Date resumed = p.to == 0 ? paused : china_date_of(p.to);
    if (resumed < start) continue;
    // Working days in (from, paused] are used.
    for (Date d{from.days + 1}; d <= paused; d = Date{d.days + 1}) {
      const DayAnswer a = calendar.day(d);
      if (!a.ok) {
        out.error = a.error;
        return out;
      }
      if (a.kind != DayKind::workday) continue;
      provisional = provisional || a.provisional;
      if (++used == limit) {
        out.ok = true;
        out.deadline = Deadline{d, true, provisional};
        return out;
      }
    }
    from = std::max(from, resumed);
  }
  const DueAnswer due = calendar.due(from, limit - used);
  if (!due.ok) {
    out.error = due.error;
    return out;
  }
  out.ok = true;
  out.deadline = Deadline{due.date, true, provisional || due.provisional};
  return out;
}

}  // namespace onestop
