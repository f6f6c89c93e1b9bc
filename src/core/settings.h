#pragma once
// The counter's own settings: the small state file the app persists (language, site, counter
// number, a visit tally). Parsing validates every field; bad input never half-applies.
#include <optional>
#include <string>
#include <string_view>

#include "core/text.h"

namespace onestop {

struct Settings {
  Lang language = Lang::zh;
  std::string site_code = "HQ";  // main office; branches get their own code
  int window_number = 1;         // 窗口编号
  int visits_today = 0;          // 今日接待人次 (skeleton tally until cases exist)

  bool operator==(const Settings&) const = default;
};

std::string settings_to_json(const Settings& s);

// Parses and validates. On failure returns nullopt and sets `error`; nothing is half-applied.
std::optional<Settings> settings_from_json(std::string_view text, Message& error);

bool valid_site_code(std::string_view code);

}  // namespace onestop
