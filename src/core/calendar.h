#pragma once
// The working-day calendar: weekends, Chinese public holidays and 调休 makeup working days, plus
// local overrides entered by an administrator. Interface fixed here; see calendar.cpp.
//
// Range: from 1 January of the first published notice year (2007 for the built-in data) to
// 2099-12-31. A date outside it is an error (ok = false), never a guess.
// Published years follow their notice; every other year in the range is *provisional*: weekends
// off plus the statutory holidays on their own dates (see calendar.cpp), no 调休 guessed.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
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
  std::string name;          // holiday name, or the note of a local override; may be empty
};

struct DueAnswer {
  bool ok = false;
  Date date{};               // the due date (due at the end of office hours that day)
  bool provisional = false;  // some day counted lies in an unpublished year
  std::string error;
};

class WorkCalendar {
 public:
  using Notice = std::vector<std::pair<Date, DayKind>>;
  static constexpr int kLastYear = 2099;  // the calendar answers up to 2099-12-31

  // The holiday facts compiled into the binary (data/calendar/cn-holidays.csv).
  static const WorkCalendar& builtin();
  // A calendar from text in the format of data/calendar/cn-holidays.csv (described in
  // tools/holiday_cn_to_csv.py). Bad input gives nullopt and `error` names the line and the fault
  // in Chinese and English.
  static std::optional<WorkCalendar> from_csv(std::string_view csv, std::string& error);

  DayAnswer day(Date d) const;
  // The `workdays`-th working day strictly after `accepted` (the acceptance day never counts).
  // `workdays` must be at least 1: N < 1 is an error, as is an `accepted` date outside the range
  // or a due date that would fall after 2099-12-31. provisional: some day from accepted + 1 up
  // to the due date lies in a provisional (unpublished) year.
  DueAnswer due(Date accepted, int workdays) const;

  // Local overrides (company closure, a day worked): they win over the notice and the estimate.
  // An override of a date outside the range is kept but has no effect on answers.
  void set_override(Date d, DayKind kind, std::string note);
  void clear_override(Date d);
  // An administrator enters `year`'s State Council notice: its holidays (off) and makeup days
  // (workday). Dates may lie in `year` or in the December before. The year stops being
  // provisional: its listed days replace what was known of them, every other day of `year`
  // follows the weekly rule. Deadlines computed afterwards use it. The checked form returns
  // false with a bilingual `error` and changes nothing when the notice is invalid (year outside
  // first_year()..2099, a date outside the notice's span, a date twice); the void form does the
  // same silently, so callers taking input from a person should use the checked one.
  bool publish_year(int year, const Notice& days, std::string& error);
  void publish_year(int year, const Notice& days);

  Date first_day() const { return Date{start_}; }
  Date last_day() const { return Date{start_ + static_cast<int32_t>(flags_.size()) - 1}; }
  int first_year() const { return first_year_; }
  bool is_published(int year) const { return published_.count(year) != 0; }
  int last_published_year() const { return *published_.rbegin(); }

 private:
  struct Listed {
    DayKind kind;
    std::string name;
  };
  WorkCalendar() = default;
  void rebuild();
  int index_of(Date d) const { return d.days - start_; }
  bool in_range(Date d) const {
    return d.days >= start_ && d.days - start_ < static_cast<int32_t>(flags_.size());
  }

  int first_year_ = 0;
  int32_t start_ = 0;                     // first_day().days
  std::set<int> published_;               // notice years known
  std::map<int32_t, Listed> listed_;      // days listed by the notices (and publish_year)
  std::map<int32_t, Listed> overrides_;   // local overrides
  // Tables over first_day()..last_day(), rebuilt on every change; index i is day start_ + i.
  std::vector<uint8_t> flags_;            // kWork | kProvisional
  std::vector<int32_t> workdays_before_;  // [i]: working days among indexes < i (size n + 1)
  std::vector<int32_t> provisional_before_;  // [i]: provisional days among indexes < i
  std::vector<int32_t> workday_index_;    // [k]: index of the k-th working day (0-based)
};

}  // namespace onestop
