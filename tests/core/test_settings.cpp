#include <catch2/catch.hpp>

#include "core/settings.h"

using namespace onestop;

TEST_CASE("settings survive a JSON round trip", "[settings]") {
  Settings s;
  s.language = Lang::en;
  s.site_code = "BR02";
  s.window_number = 7;
  s.visits_today = 42;
  Message err{Text::AppTitle};
  const auto back = settings_from_json(settings_to_json(s), err);
  REQUIRE(back.has_value());
  CHECK(*back == s);
}

TEST_CASE("bad settings are refused with a named reason", "[settings]") {
  Message err{Text::AppTitle};
  CHECK_FALSE(settings_from_json("{not json", err));
  CHECK(err.id == Text::ErrBadJson);
  CHECK_FALSE(settings_from_json(R"({"language":"fr","site_code":"HQ","window_number":1})", err));
  CHECK(err.id == Text::ErrBadLanguage);
  CHECK_FALSE(settings_from_json(R"({"language":"en","site_code":"hq!","window_number":1})", err));
  CHECK(err.id == Text::ErrBadSiteCode);
  CHECK_FALSE(settings_from_json(R"({"language":"en","site_code":"HQ","window_number":0})", err));
  CHECK(err.id == Text::ErrBadWindowNumber);
  CHECK_FALSE(settings_from_json(R"({"language":"en","site_code":"HQ","window_number":"3"})", err));
  CHECK(err.id == Text::ErrBadSettings);
  CHECK_FALSE(settings_from_json(R"([1,2])", err));
  CHECK(err.id == Text::ErrBadSettings);
}

TEST_CASE("every text has both languages", "[text]") {
  for (int i = 0; i < static_cast<int>(Text::Count); ++i) {
    const auto id = static_cast<Text>(i);
    CHECK(std::string_view(tr(id, Lang::zh)).size() > 0);
    CHECK(std::string_view(tr(id, Lang::en)).size() > 0);
  }
  CHECK(std::string_view(tr(Text::AppTitle, Lang::zh)) == "一站式服务台");
}
