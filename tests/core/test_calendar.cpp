// The working-day calendar. The expected due dates below were worked out by hand from the
// State Council notices as listed in data/calendar/cn-holidays.csv (holiday-cn), not copied from
// the program's output. Rule: the due date is the N-th working day strictly after acceptance;
// a day is off if the notice lists it off, or if it is a Saturday/Sunday the notice does not list
// as a (调休 makeup) working day.
//
// The notices used (weekday in brackets):
// 2024: 元旦 01-01(Mon) off. 春节 02-04(Sun) work, 02-10(Sat)..02-17(Sat) off, 02-18(Sun) work.
//       清明 04-04(Thu)..04-06(Sat) off, 04-07(Sun) work. 劳动节 04-28(Sun) work,
//       05-01(Wed)..05-05(Sun) off, 05-11(Sat) work. 端午 06-10(Mon) off. 中秋 09-14(Sat) work,
//       09-15(Sun)..09-17(Tue) off. 国庆 09-29(Sun) work, 10-01(Tue)..10-07(Mon) off,
//       10-12(Sat) work.
// 2025: 元旦 01-01(Wed) off. 春节 01-26(Sun) work, 01-28(Tue)..02-04(Tue) off, 02-08(Sat) work.
//       清明 04-04(Fri)..04-06(Sun) off. 劳动节 04-27(Sun) work, 05-01(Thu)..05-05(Mon) off.
//       端午 05-31(Sat)..06-02(Mon) off. 国庆+中秋 09-28(Sun) work, 10-01(Wed)..10-08(Wed) off,
//       10-11(Sat) work.
// 2026: 元旦 01-01(Thu)..01-03(Sat) off, 01-04(Sun) work. 春节 02-14(Sat) work,
//       02-15(Sun)..02-23(Mon) off, 02-28(Sat) work. 清明 04-04(Sat)..04-06(Mon) off.
//       劳动节 05-01(Fri)..05-05(Tue) off, 05-09(Sat) work. 端午 06-19(Fri)..06-21(Sun) off.
//       中秋 09-25(Fri)..09-27(Sun) off. 国庆 09-20(Sun) work, 10-01(Thu)..10-07(Wed) off,
//       10-10(Sat) work.
// 2027 (not published: provisional): weekends, and 01-01(Fri) 元旦, 02-05(Fri) 除夕 +
//       02-06(Sat)..02-08(Mon) 春节, 04-05(Mon) 清明, 05-01(Sat)..05-02(Sun) 劳动节,
//       06-09(Wed) 端午, 09-15(Wed) 中秋, 10-01(Fri)..10-03(Sun) 国庆.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "core/calendar.h"

using namespace onestop;

namespace {

Date D(const char* text) {
  const auto d = parse_date(text);
  REQUIRE(d.has_value());
  return *d;
}

struct DueCase {
  const char* accepted;
  int workdays;
  const char* due;
};

void check_cases(const WorkCalendar& cal, std::initializer_list<DueCase> cases) {
  for (const auto& c : cases) {
    INFO("accepted " << c.accepted << ", " << c.workdays << " working days");
    const DueAnswer a = cal.due(D(c.accepted), c.workdays);
    REQUIRE(a.ok);
    CHECK(format_date(a.date) == c.due);
    CHECK_FALSE(a.provisional);
  }
}

}  // namespace

TEST_CASE("built-in calendar range", "[calendar]") {
  const auto& cal = WorkCalendar::builtin();
  CHECK(format_date(cal.first_day()) == "2007-01-01");
  CHECK(format_date(cal.last_day()) == "2099-12-31");
  CHECK(cal.first_year() == 2007);
  CHECK(cal.last_published_year() == 2026);
  CHECK(cal.is_published(2007));
  CHECK(cal.is_published(2026));
  CHECK_FALSE(cal.is_published(2027));
}

TEST_CASE("deadlines 2024 (hand-checked)", "[calendar]") {
  check_cases(WorkCalendar::builtin(), {
    // Spring Festival: makeup Sunday 02-04 before, 02-10..17 off, makeup Sunday 02-18 after.
    {"2024-02-02", 1, "2024-02-04"},  // Fri; 02-03 Sat off; 02-04 Sun makeup (1)
    {"2024-02-02", 5, "2024-02-08"},  // 02-04 Sun(1), 05 Mon(2), 06(3), 07(4), 08 Thu(5)
    {"2024-02-08", 1, "2024-02-09"},  // Thu; 02-09 Fri (除夕 2024 not listed: workday)(1)
    {"2024-02-09", 1, "2024-02-18"},  // Fri; 02-10..17 off; 02-18 Sun makeup (1)
    {"2024-02-09", 3, "2024-02-20"},  // 02-18 Sun(1), 19 Mon(2), 20 Tue(3)
    {"2024-02-14", 2, "2024-02-19"},  // accepted on a holiday (Wed); 02-18(1), 02-19(2)
    // 清明: 04-04..06 off, 04-07 Sun makeup.
    {"2024-04-03", 1, "2024-04-07"},  // Wed; 04-04..06 off; 04-07 Sun (1)
    {"2024-04-03", 2, "2024-04-08"},  // 04-07(1), 04-08 Mon(2)
    // Labour Day: 04-28 Sun makeup, 05-01..05 off, 05-11 Sat makeup.
    {"2024-04-26", 3, "2024-04-30"},  // Fri; 04-27 Sat off; 28 Sun(1), 29 Mon(2), 30 Tue(3)
    {"2024-04-30", 1, "2024-05-06"},  // Tue; 05-01..05 off; 05-06 Mon (1)
    {"2024-04-30", 5, "2024-05-10"},  // 05-06(1), 07(2), 08(3), 09(4), 10 Fri(5)
    {"2024-04-30", 6, "2024-05-11"},  // ... 05-11 Sat makeup (6)
    // Dragon Boat: 06-10 Mon off.
    {"2024-06-07", 1, "2024-06-11"},  // Fri; 08-09 weekend, 10 holiday; 06-11 Tue (1)
    // Mid-Autumn (09-14 Sat makeup, 15..17 off) and National Day (09-29 Sun makeup,
    // 10-01..07 off, 10-12 Sat makeup).
    {"2024-09-13", 1, "2024-09-14"},  // Fri; 09-14 Sat makeup (1)
    {"2024-09-14", 1, "2024-09-18"},  // accepted on the makeup Saturday; 15..17 off; 18 Wed(1)
    {"2024-09-27", 2, "2024-09-30"},  // Fri; 28 Sat off; 29 Sun makeup(1); 30 Mon(2)
    {"2024-09-30", 1, "2024-10-08"},  // Mon; 10-01..07 off; 10-08 Tue (1)
    {"2024-09-30", 5, "2024-10-12"},  // 10-08(1), 09(2), 10(3), 11 Fri(4), 12 Sat makeup(5)
    {"2024-10-03", 5, "2024-10-12"},  // accepted on a holiday (Thu): same count as above
    // Year end: 2025-01-01 (Wed) 元旦.
    {"2024-12-31", 1, "2025-01-02"},  // Tue; 01-01 off; 01-02 Thu (1)
    {"2024-12-30", 3, "2025-01-03"},  // Mon; 12-31(1), 01-01 off, 01-02(2), 01-03 Fri(3)
    {"2024-12-27", 5, "2025-01-06"},  // Fri; 12-30(1), 31(2), 01-02(3), 03(4), 01-06 Mon(5)
    {"2024-12-23", 10, "2025-01-07"}, // Mon; 24(1) 25(2) 26(3) 27(4) 30(5) 31(6)
                                      // 01-02(7) 03(8) 06(9) 07 Tue(10)
  });
}

TEST_CASE("deadlines 2025 (hand-checked)", "[calendar]") {
  check_cases(WorkCalendar::builtin(), {
    // Spring Festival: 01-26 Sun makeup, 01-28..02-04 off, 02-08 Sat makeup.
    {"2025-01-24", 1, "2025-01-26"},  // Fri; 25 Sat off; 26 Sun makeup (1)
    {"2025-01-24", 2, "2025-01-27"},  // 26(1), 27 Mon(2)
    {"2025-01-24", 3, "2025-02-05"},  // 26(1), 27(2), 01-28..02-04 off, 02-05 Wed(3)
    {"2025-01-27", 5, "2025-02-10"},  // Mon; 02-05(1) 06(2) 07(3) 08 Sat makeup(4),
                                      // 09 Sun off, 10 Mon(5)
    {"2025-01-26", 1, "2025-01-27"},  // accepted on the makeup Sunday; 27 Mon (1)
    {"2025-02-01", 1, "2025-02-05"},  // accepted on a holiday (Sat); 02..04 off; 05 Wed(1)
    // 清明: 04-04..06 off, no makeup day.
    {"2025-04-03", 1, "2025-04-07"},  // Thu; 04..06 off; 04-07 Mon (1)
    // Labour Day: 04-27 Sun makeup, 05-01..05 off.
    {"2025-04-25", 1, "2025-04-27"},  // Fri; 26 Sat off; 27 Sun makeup (1)
    {"2025-04-25", 4, "2025-04-30"},  // 27(1), 28 Mon(2), 29(3), 30 Wed(4)
    {"2025-04-30", 1, "2025-05-06"},  // Wed; 05-01..05 off; 05-06 Tue (1)
    // Dragon Boat: 05-31..06-02 off.
    {"2025-05-30", 1, "2025-06-03"},  // Fri; 31..06-02 off; 06-03 Tue (1)
    // An ordinary fortnight in March.
    {"2025-03-10", 5, "2025-03-17"},  // Mon; 11(1) 12(2) 13(3) 14 Fri(4) 17 Mon(5)
    // National Day + Mid-Autumn: 09-28 Sun makeup, 10-01..08 off, 10-11 Sat makeup.
    {"2025-09-26", 5, "2025-10-10"},  // Fri; 27 Sat off; 28 Sun(1), 29(2), 30(3);
                                      // 10-01..08 off; 10-09 Thu(4), 10-10 Fri(5)
    {"2025-09-26", 7, "2025-10-13"},  // ... 10-11 Sat makeup(6), 12 Sun off, 13 Mon(7)
    {"2025-09-30", 1, "2025-10-09"},  // Tue; 10-01..08 off; 10-09 Thu (1)
    {"2025-10-05", 3, "2025-10-11"},  // accepted on a holiday (Sun); 09(1), 10(2), 11 Sat(3)
    {"2025-09-27", 1, "2025-09-28"},  // accepted on a plain Saturday; 28 Sun makeup (1)
    // Year end: 2026-01-01..03 off, 01-04 Sun makeup.
    {"2025-12-31", 1, "2026-01-04"},  // Wed; 01-01..03 off; 01-04 Sun makeup (1)
    {"2025-12-31", 2, "2026-01-05"},  // 01-04(1), 01-05 Mon(2)
    {"2025-12-30", 3, "2026-01-05"},  // Tue; 12-31(1), 01-04(2), 01-05(3)
    {"2025-12-26", 5, "2026-01-05"},  // Fri; 12-29(1) 30(2) 31(3) 01-04 Sun(4) 01-05(5)
  });
}

TEST_CASE("deadlines 2026 (hand-checked)", "[calendar]") {
  check_cases(WorkCalendar::builtin(), {
    // Spring Festival: 02-14 Sat makeup, 02-15..23 off, 02-28 Sat makeup.
    {"2026-02-13", 1, "2026-02-14"},  // Fri; 14 Sat makeup (1)
    {"2026-02-13", 2, "2026-02-24"},  // 14(1); 15..23 off; 24 Tue(2)
    {"2026-02-14", 5, "2026-02-28"},  // accepted on the makeup Saturday; 24(1) 25(2) 26(3)
                                      // 27 Fri(4) 28 Sat makeup(5)
    {"2026-02-20", 6, "2026-03-02"},  // accepted on a holiday (Fri); 24..27 (1-4), 28 Sat(5),
                                      // 03-01 Sun off, 03-02 Mon(6)
    // 清明: 04-04..06 off.
    {"2026-04-03", 1, "2026-04-07"},  // Fri; 04..06 off; 04-07 Tue (1)
    // Labour Day: 05-01..05 off, 05-09 Sat makeup.
    {"2026-04-30", 1, "2026-05-06"},  // Thu; 05-01..05 off; 05-06 Wed (1)
    {"2026-04-30", 4, "2026-05-09"},  // 06(1) 07(2) 08 Fri(3) 09 Sat makeup(4)
    // Dragon Boat: 06-19..21 off.
    {"2026-06-18", 1, "2026-06-22"},  // Thu; 19..21 off; 22 Mon (1)
    // Mid-Autumn 09-25..27 off; National Day 09-20 Sun makeup, 10-01..07 off, 10-10 Sat makeup.
    {"2026-09-18", 1, "2026-09-20"},  // Fri; 19 Sat off; 20 Sun makeup (1)
    {"2026-09-24", 1, "2026-09-28"},  // Thu; 25..27 off; 28 Mon (1)
    {"2026-09-29", 2, "2026-10-08"},  // Tue; 30 Wed(1); 10-01..07 off; 10-08 Thu(2)
    {"2026-09-30", 3, "2026-10-10"},  // Wed; 10-08(1), 09 Fri(2), 10 Sat makeup(3)
    {"2026-09-18", 10, "2026-10-09"}, // 20 Sun(1) 21(2) 22(3) 23(4) 24(5); 25..27 off;
                                      // 28(6) 29(7) 30(8); 10-01..07 off; 08(9) 09 Fri(10)
    // Last working day of the published data.
    {"2026-12-30", 1, "2026-12-31"},  // Wed; 12-31 Thu (1): no day of 2027 counted
  });
}

TEST_CASE("day answers for published years", "[calendar]") {
  const auto& cal = WorkCalendar::builtin();
  struct DayCase {
    const char* date;
    DayKind kind;
  };
  const DayCase cases[] = {
      {"2024-02-04", DayKind::workday},  // makeup Sunday
      {"2024-02-09", DayKind::workday},  // 除夕 2024, a Friday not listed
      {"2024-02-10", DayKind::off},      // Spring Festival, a Saturday listed off
      {"2025-01-28", DayKind::off},      // 除夕 2025 (statutory from 2025)
      {"2025-10-08", DayKind::off},      // last day of the 2025 National Day holiday (Wed)
      {"2025-10-11", DayKind::workday},  // makeup Saturday
      {"2025-10-12", DayKind::off},      // plain Sunday
      {"2025-10-13", DayKind::workday},  // plain Monday
      {"2026-01-02", DayKind::off},      // 元旦 2026, Friday
      {"2026-01-04", DayKind::workday},  // makeup Sunday
      {"2007-01-01", DayKind::off},      // the first day of the data: 元旦
      {"2007-01-04", DayKind::workday},  // Thursday after the 2007 元旦 holiday
  };
  for (const auto& c : cases) {
    INFO(c.date);
    const DayAnswer a = cal.day(D(c.date));
    REQUIRE(a.ok);
    CHECK(a.kind == c.kind);
    CHECK_FALSE(a.provisional);
  }
  CHECK(cal.day(D("2025-10-01")).name == "国庆节、中秋节");
  CHECK(cal.day(D("2025-10-13")).name.empty());
}

TEST_CASE("an unpublished year is provisional", "[calendar]") {
  const auto& cal = WorkCalendar::builtin();
  struct DayCase {
    const char* date;
    DayKind kind;
  };
  const DayCase days[] = {
      {"2027-01-01", DayKind::off},      // 元旦, Friday
      {"2027-02-05", DayKind::off},      // 除夕, Friday
      {"2027-02-08", DayKind::off},      // 初三, Monday
      {"2027-02-09", DayKind::workday},  // Tuesday: no extension or makeup guessed
      {"2027-04-05", DayKind::off},      // 清明, Monday
      {"2027-05-03", DayKind::workday},  // Monday: no substitute for 05-01/02 on a weekend
      {"2027-06-09", DayKind::off},      // 端午, Wednesday
      {"2027-09-15", DayKind::off},      // 中秋, Wednesday
      {"2027-10-01", DayKind::off},      // 国庆, Friday
      {"2027-03-01", DayKind::workday},  // plain Monday
      {"2027-03-06", DayKind::off},      // plain Saturday
      {"2031-10-01", DayKind::off},      // 国庆 and 中秋 on the same day
      {"2040-05-02", DayKind::off},      // fixed-date holiday beyond the lunar table
      {"2099-12-31", DayKind::workday},  // last day answered: a Thursday
  };
  for (const auto& c : days) {
    INFO(c.date);
    const DayAnswer a = cal.day(D(c.date));
    REQUIRE(a.ok);
    CHECK(a.kind == c.kind);
    CHECK(a.provisional);
  }
  CHECK(cal.day(D("2027-02-05")).name == "春节");
  CHECK(cal.day(D("2031-10-01")).name == "国庆节、中秋节");

  const DueCase provisional[] = {
      {"2026-12-31", 1, "2027-01-04"},  // Thu; 01-01 Fri 元旦 off, 02-03 weekend; 04 Mon(1)
      {"2026-12-25", 5, "2027-01-04"},  // Fri; 12-28(1) 29(2) 30(3) 31(4); 01-04 Mon(5)
      {"2027-02-04", 1, "2027-02-09"},  // Thu; 02-05 除夕, 06-07 weekend, 08 初三; 09 Tue(1)
      {"2027-04-30", 1, "2027-05-03"},  // Fri; 05-01/02 on the weekend; 05-03 Mon (1)
      {"2027-09-30", 1, "2027-10-04"},  // Thu; 10-01 Fri off, 02-03 weekend; 10-04 Mon (1)
  };
  for (const auto& c : provisional) {
    INFO("accepted " << c.accepted << ", " << c.workdays << " working days");
    const DueAnswer a = cal.due(D(c.accepted), c.workdays);
    REQUIRE(a.ok);
    CHECK(format_date(a.date) == c.due);
    CHECK(a.provisional);
  }
  // Counting only 2026 days is not provisional even though the next year is.
  CHECK_FALSE(cal.due(D("2026-12-30"), 1).provisional);
}

TEST_CASE("dates the calendar cannot answer", "[calendar]") {
  const auto& cal = WorkCalendar::builtin();
  const DayAnswer before = cal.day(D("2006-12-31"));  // listed by the 2007 notice, yet 2006
  CHECK_FALSE(before.ok);                              // as a whole is unknown
  CHECK(before.error.find("2007-01-01") != std::string::npos);
  CHECK(before.error.find("早于") != std::string::npos);
  CHECK(before.error.find("before the calendar data begins") != std::string::npos);
  CHECK_FALSE(cal.day(D("2006-06-01")).ok);
  const DayAnswer after = cal.day(D("2100-01-01"));
  CHECK_FALSE(after.ok);
  CHECK(after.error.find("2099-12-31") != std::string::npos);

  const DueAnswer due_before = cal.due(D("2006-12-29"), 1);
  CHECK_FALSE(due_before.ok);
  CHECK(due_before.error.find("2007-01-01") != std::string::npos);
  CHECK_FALSE(cal.due(D("2100-01-04"), 1).ok);
  CHECK_FALSE(cal.due(D("2099-12-30"), 2).ok);  // 12-31 (1), then nothing: beyond the range
  CHECK(cal.due(D("2099-12-30"), 1).ok);
  CHECK_FALSE(cal.due(D("2025-01-01"), 2'000'000'000).ok);

  for (int n : {0, -1, -1000}) {
    INFO(n);
    const DueAnswer a = cal.due(D("2025-03-10"), n);
    CHECK_FALSE(a.ok);
    CHECK(a.error.find("不小于 1") != std::string::npos);
    CHECK(a.error.find("at least 1") != std::string::npos);
  }
}

TEST_CASE("due() agrees with counting day() answers one by one", "[calendar]") {
  const auto& cal = WorkCalendar::builtin();
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int32_t> pick(make_date(2007, 1, 1).days,
                                              make_date(2030, 12, 31).days);
  std::uniform_int_distribution<int> pick_n(1, 40);
  for (int i = 0; i < 2000; ++i) {
    const Date accepted{pick(rng)};
    const int n = pick_n(rng);
    Date d = accepted;
    bool provisional = false;
    for (int counted = 0; counted < n;) {
      d.days += 1;
      const DayAnswer a = cal.day(d);
      REQUIRE(a.ok);
      provisional = provisional || a.provisional;
      if (a.kind == DayKind::workday) ++counted;
    }
    const DueAnswer due = cal.due(accepted, n);
    INFO(format_date(accepted) << " + " << n);
    REQUIRE(due.ok);
    CHECK(due.date == d);
    CHECK(due.provisional == provisional);
  }
}

TEST_CASE("local overrides", "[calendar]") {
  WorkCalendar cal = WorkCalendar::builtin();
  // Without overrides: Mon 2025-03-10 + 5 -> 11, 12, 13, 14, 17.
  CHECK(format_date(cal.due(D("2025-03-10"), 5).date) == "2025-03-17");

  cal.set_override(D("2025-03-12"), DayKind::off, "停水检修 / water works closure");
  CHECK(cal.day(D("2025-03-12")).kind == DayKind::off);
  CHECK(cal.day(D("2025-03-12")).name == "停水检修 / water works closure");
  // 11(1), 12 closed, 13(2), 14(3), 17(4), 18(5).
  CHECK(format_date(cal.due(D("2025-03-10"), 5).date) == "2025-03-18");

  cal.set_override(D("2025-03-15"), DayKind::workday, "Saturday shift");
  CHECK(format_date(cal.due(D("2025-03-14"), 1).date) == "2025-03-15");  // Fri -> the Sat
  // 11(1), 13(2), 14(3), 15 Sat worked(4), 17(5).
  CHECK(format_date(cal.due(D("2025-03-10"), 5).date) == "2025-03-17");

  cal.clear_override(D("2025-03-12"));
  cal.clear_override(D("2025-03-15"));
  cal.clear_override(D("2025-03-16"));  // never set: no effect
  CHECK(format_date(cal.due(D("2025-03-10"), 5).date) == "2025-03-17");
  CHECK(cal.day(D("2025-03-12")).name.empty());

  // An override wins over a holiday too: 2025-10-02 (Thu, National Day) worked.
  cal.set_override(D("2025-10-02"), DayKind::workday, "emergency repairs");
  CHECK(format_date(cal.due(D("2025-09-30"), 1).date) == "2025-10-02");
  // The built-in calendar itself is untouched.
  CHECK(format_date(WorkCalendar::builtin().due(D("2025-09-30"), 1).date) == "2025-10-09");
}

TEST_CASE("publishing next year's notice recomputes deadlines", "[calendar]") {
  WorkCalendar cal = WorkCalendar::builtin();
  const DueAnswer before = cal.due(D("2027-02-04"), 1);
  REQUIRE(before.ok);
  CHECK(format_date(before.date) == "2027-02-09");  // provisional estimate (see above)
  CHECK(before.provisional);
  // Dec 30 Thu (1), Dec 31 Fri (2): the days counted lie in 2027, still provisional.
  CHECK(cal.due(D("2027-12-29"), 2).provisional);

  // A made-up notice for the test (not the real 2027 notice): 元旦 01-01, Spring Festival
  // 02-05 (Fri) .. 02-11 (Thu) off, makeup Saturday 02-20. Qingming etc. left out on purpose.
  const WorkCalendar::Notice notice = {
      {D("2027-01-01"), DayKind::off},     {D("2027-02-05"), DayKind::off},
      {D("2027-02-06"), DayKind::off},     {D("2027-02-07"), DayKind::off},
      {D("2027-02-08"), DayKind::off},     {D("2027-02-09"), DayKind::off},
      {D("2027-02-10"), DayKind::off},     {D("2027-02-11"), DayKind::off},
      {D("2027-02-20"), DayKind::workday},
  };
  std::string error;
  REQUIRE(cal.publish_year(2027, notice, error));
  CHECK(cal.is_published(2027));
  CHECK(cal.last_published_year() == 2027);

  const DueAnswer after = cal.due(D("2027-02-04"), 1);
  REQUIRE(after.ok);
  CHECK(format_date(after.date) == "2027-02-12");  // 02-05..11 off; 02-12 Fri (1)
  CHECK_FALSE(after.provisional);
  // 02-12 Fri (1), 02-15 Mon (2) .. 02-19 Fri (6), 02-20 Sat makeup (7).
  CHECK(format_date(cal.due(D("2027-02-11"), 7).date) == "2027-02-20");
  CHECK_FALSE(cal.day(D("2027-02-20")).provisional);
  // Days the notice does not list follow the weekly rule: the estimate is gone.
  CHECK(cal.day(D("2027-04-05")).kind == DayKind::workday);
  CHECK_FALSE(cal.due(D("2027-12-29"), 2).provisional);
  // 2028 is still provisional: Thu 2027-12-30 + 2 -> 12-31 Fri (1), 01-01 Sat, 01-02 Sun,
  // 01-03 Mon (2), counted in 2028.
  const DueAnswer into_2028 = cal.due(D("2027-12-30"), 2);
  CHECK(format_date(into_2028.date) == "2028-01-03");
  CHECK(into_2028.provisional);

  // The 2028 notice may list a December 2027 day.
  REQUIRE(cal.publish_year(2028, {{D("2027-12-31"), DayKind::off}}, error));
  CHECK(cal.day(D("2027-12-31")).kind == DayKind::off);
  CHECK_FALSE(cal.day(D("2028-01-26")).provisional);
  CHECK(cal.day(D("2028-01-26")).kind == DayKind::workday);  // 2028 notice lists no 春节
}

TEST_CASE("invalid notices are refused and change nothing", "[calendar]") {
  WorkCalendar cal = WorkCalendar::builtin();
  std::string error;
  CHECK_FALSE(cal.publish_year(2006, {}, error));
  CHECK(error.find("2006") != std::string::npos);
  CHECK_FALSE(cal.publish_year(2100, {}, error));
  CHECK_FALSE(cal.publish_year(2027, {{D("2026-11-30"), DayKind::off}}, error));
  CHECK(error.find("2026-11-30") != std::string::npos);
  CHECK_FALSE(cal.publish_year(2027, {{D("2028-01-01"), DayKind::off}}, error));
  CHECK_FALSE(
      cal.publish_year(2027, {{D("2027-05-01"), DayKind::off}, {D("2027-05-01"), DayKind::off}},
                       error));
  CHECK(error.find("两次") != std::string::npos);
  cal.publish_year(2027, {{D("2029-01-01"), DayKind::off}});  // the unchecked form: ignored
  CHECK_FALSE(cal.is_published(2027));
  CHECK(cal.due(D("2027-02-04"), 1).provisional);
}

TEST_CASE("calendar CSV: accepted forms", "[calendar]") {
  std::string error;
  auto cal = WorkCalendar::from_csv(
      "\xEF\xBB\xBF# comment\r\n"
      "\r\n"
      "published,2025\r\n"
      "2024-12-31,off,made-up December day of the 2025 notice\r\n"
      "2025-05-01,off,劳动节\r\n"
      "2025-05-10,work,\r\n",
      error);
  INFO(error);
  REQUIRE(cal.has_value());
  CHECK(format_date(cal->first_day()) == "2025-01-01");  // range starts with the first year
  CHECK_FALSE(cal->day(D("2024-12-31")).ok);
  CHECK(cal->day(D("2025-05-01")).kind == DayKind::off);
  CHECK(cal->day(D("2025-05-01")).name == "劳动节");
  CHECK(cal->day(D("2025-05-02")).kind == DayKind::workday);  // Fri, not listed here
  CHECK(cal->day(D("2025-05-10")).kind == DayKind::workday);  // Sat listed as work
  CHECK_FALSE(cal->day(D("2025-05-10")).provisional);
  CHECK(cal->day(D("2026-05-01")).provisional);  // 2026 not published here
  CHECK(cal->day(D("2026-05-01")).kind == DayKind::off);

  auto ranges = WorkCalendar::from_csv("published,2010-2012\npublished,2014\n", error);
  REQUIRE(ranges.has_value());
  CHECK(ranges->is_published(2011));
  CHECK_FALSE(ranges->is_published(2013));  // a gap stays provisional
  CHECK(ranges->day(D("2013-03-01")).provisional);
  CHECK_FALSE(ranges->day(D("2014-03-01")).provisional);
}

TEST_CASE("calendar CSV: errors name the line", "[calendar]") {
  struct Bad {
    const char* csv;
    const char* zh;  // expected in the Chinese half
    const char* en;  // expected in the English half
  };
  const Bad cases[] = {
      {"", "没有声明任何已发布年份", "declares no published year"},
      {"# only a comment\n", "没有声明任何已发布年份", "declares no published year"},
      {"published,2025\n2025-13-01,off,x\n", "第 2 行：日期无效：2025-13-01",
       "line 2: invalid date: 2025-13-01"},
      {"published,2025\n2025-5-1,off,x\n", "第 2 行", "invalid date: 2025-5-1"},
      {"published,2025\n2025-05-01,holiday,x\n", "第 2 行", "line 2: the kind must be off or work"},
      {"published,2025\n2025-05-01,off\n", "第 2 行", "line 2: expected 'date,off|work,name'"},
      {"published,2025\n2025-05-01,off,a,b\n", "第 2 行", "line 2: expected"},
      {"published,2025\n2025-05-02,off,a\n2025-05-01,off,b\n", "第 3 行",
       "line 3: date out of order or repeated: 2025-05-01"},
      {"published,2025\n2025-05-01,off,a\n2025-05-01,off,b\n", "第 3 行", "line 3: date out of"},
      {"published,25\n", "第 1 行", "line 1: invalid published year"},
      {"published,2026-2025\n", "第 1 行", "line 1: invalid published year"},
      {"published,2100\n", "第 1 行", "line 1: invalid published year"},
      {"published\n", "第 1 行", "line 1: expected"},
      {"published,2025\npublished,2024-2025\n", "第 2 行", "line 2: year 2025 is declared"},
      {"published,2025\n\n2023-05-01,off,x\n", "第 3 行",
       "line 3: the date 2023-05-01 belongs to no published year"},
      {"published,2025\n2025-12-31,off,x\n2026-01-01,off,y\n", "第 3 行", "line 3: the date"},
  };
  for (const auto& b : cases) {
    INFO(b.csv);
    std::string error;
    CHECK_FALSE(WorkCalendar::from_csv(b.csv, error).has_value());
    INFO(error);
    CHECK(error.find(b.zh) != std::string::npos);
    CHECK(error.find(b.en) != std::string::npos);
    CHECK(error.find(" / ") != std::string::npos);
  }
}
