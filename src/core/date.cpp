#include "core/date.h"

#include <chrono>
#include <cstdio>

namespace onestop {
namespace chr = std::chrono;

namespace {
chr::year_month_day ymd(Date d) { return chr::year_month_day{chr::sys_days{chr::days{d.days}}}; }
}  // namespace

Date make_date(int year, unsigned month, unsigned day) {
  const chr::sys_days sd{chr::year{year} / chr::month{month} / chr::day{day}};
  return Date{static_cast<int32_t>(sd.time_since_epoch().count())};
}
int year_of(Date d) { return static_cast<int>(ymd(d).year()); }
unsigned month_of(Date d) { return static_cast<unsigned>(ymd(d).month()); }
unsigned day_of(Date d) { return static_cast<unsigned>(ymd(d).day()); }
unsigned weekday_of(Date d) {
  return chr::weekday{chr::sys_days{chr::days{d.days}}}.c_encoding();
}
bool is_weekend(Date d) {
  const auto w = weekday_of(d);
  return w == 0 || w == 6;
}

std::optional<Date> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int v[3] = {0, 0, 0};
  const int start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f)
    for (int i = 0; i < len[f]; ++i) {
      const char c = t[static_cast<size_t>(start[f] + i)];
      if (c < '0' || c > '9') return std::nullopt;
      v[f] = v[f] * 10 + (c - '0');
    }
  const chr::year_month_day ymd_value{chr::year{v[0]}, chr::month{static_cast<unsigned>(v[1])},
                                      chr::day{static_cast<unsigned>(v[2])}};
  if (!ymd_value.ok()) return std::nullopt;
  return Date{static_cast<int32_t>(chr::sys_days{ymd_value}.time_since_epoch().count())};
}

std::string format_date(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year_of(d), month_of(d), day_of(d));
  return buf;
}

Date china_date_of(Millis t) {
  const int64_t local = t + kChinaUtcOffsetMillis;
  int64_t days = local / 86'400'000;
  if (local % 86'400'000 < 0) --days;
  return Date{static_cast<int32_t>(days)};
}

}  // namespace onestop
