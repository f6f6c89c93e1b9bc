#pragma once
// Calendar dates and instants. OneStop works in China Standard Time (UTC+8, no daylight saving),
// so a civil date is simply days since 1970-01-01 and an instant is milliseconds since the epoch.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace onestop {

struct Date {
  int32_t days = 0;  // days since 1970-01-01 (proleptic Gregorian)
  auto operator<=>(const Date&) const = default;
};

Date make_date(int year, unsigned month, unsigned day);
int year_of(Date d);
unsigned month_of(Date d);
unsigned day_of(Date d);
unsigned weekday_of(Date d);  // 0 = Sunday … 6 = Saturday
bool is_weekend(Date d);

// Strict "YYYY-MM-DD" with a real calendar date; anything else gives nullopt.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date d);

using Millis = int64_t;  // instant: milliseconds since 1970-01-01T00:00:00Z
inline constexpr int64_t kChinaUtcOffsetMillis = 8LL * 3600 * 1000;
Date china_date_of(Millis t);  // the civil date in China at instant t

}  // namespace onestop
