#include "core/settings.h"

#include <nlohmann/json.hpp>

namespace onestop {

bool valid_site_code(std::string_view code) {
  if (code.empty() || code.size() > 8) return false;
  for (char c : code)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

std::string settings_to_json(const Settings& s) {
  nlohmann::json j = {{"format", 1},
                      {"language", lang_code(s.language)},
                      {"site_code", s.site_code},
                      {"window_number", s.window_number},
                      {"visits_today", s.visits_today}};
  return j.dump();
}

std::optional<Settings> settings_from_json(std::string_view text, Message& error) {
  // parse(..., allow_exceptions = false): malformed input yields a discarded value, no throw.
  const auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    error = {Text::ErrBadJson};
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("language") || !j["language"].is_string() ||
      !j.contains("site_code") || !j["site_code"].is_string() || !j.contains("window_number") ||
      !j["window_number"].is_number_integer() ||
      (j.contains("visits_today") && !j["visits_today"].is_number_integer())) {
    error = {Text::ErrBadSettings};
    return std::nullopt;
  }
  Settings s;
  if (!lang_from_code(j["language"].get<std::string>(), s.language)) {
    error = {Text::ErrBadLanguage};
    return std::nullopt;
  }
  s.site_code = j["site_code"].get<std::string>();
  if (!valid_site_code(s.site_code)) {
    error = {Text::ErrBadSiteCode};
    return std::nullopt;
  }
  const auto window = j["window_number"].get<long long>();
  if (window < 1 || window > 999) {
    error = {Text::ErrBadWindowNumber};
    return std::nullopt;
  }
  s.window_number = static_cast<int>(window);
  const auto visits = j.value("visits_today", 0LL);
  if (visits < 0 || visits > 1'000'000) {
    error = {Text::ErrBadSettings};
    return std::nullopt;
  }
  s.visits_today = static_cast<int>(visits);
  return s;
}

}  // namespace onestop
