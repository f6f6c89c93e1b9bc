#pragma once
// The working-day calendar: weekends, Chinese public holidays and 调休 makeup working days, plus
// local overrides entered by an administrator. Interface fixed here; see calendar.cpp.
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/text.h"

namespace onestop {

enum class DayKind { workday, off };

struct DayAnswer {
  bool ok = false;           // false: the calendar cannot answer (date outside its range)
  DayKind kind = DayKind::off;
  bool provisional = false;  // year not yet published: weekends + fixed/estimated holidays
  std::string error;         // when !ok: what is wrong, in Chinese and English
};

struct DueAnswer {
  bool ok = false;
  Date date{};               // the due date (due at the end of office hours that day)
  bool provisional = false;  // some day counted lies in an unpublished year
  std::string error;
};

class WorkCalendar {
 public:
  // The holiday facts compiled into the binary (data/calendar/cn-holidays.csv).
  static const WorkCalendar& builtin();

  DayAnswer day(Date d) const;
  // The `workdays`-th working day strictly after `accepted` (the acceptance day never counts).
  DueAnswer due(Date accepted, int workdays) const;
};

}  // namespace onestop
