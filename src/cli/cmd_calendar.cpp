// `onestop calendar`: questions to the working-day calendar built into the binary.
//   onestop calendar due --from YYYY-MM-DD --workdays N   -> "YYYY-MM-DD" [+ " provisional"]
//   onestop calendar day YYYY-MM-DD                       -> "workday" | "off" [+ " provisional"]
// Exit 0 with the answer on stdout; 2 for bad usage (usage line on stderr); 3 when the calendar
// cannot answer (date outside its range, deadline past it), with the reason on stderr.
#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "core/calendar.h"
#include "core/text.h"

namespace onestop::cli {
namespace {

constexpr const char* kUsage =
    "usage: onestop calendar due --from YYYY-MM-DD --workdays N\n"
    "       onestop calendar day YYYY-MM-DD\n";

int usage_error(const std::string& why = {}) {
  if (!why.empty()) std::fprintf(stderr, "onestop calendar: %s\n", why.c_str());
  std::fputs(kUsage, stderr);
  return kExitUsage;
}

// "中文 / English" from the translation table, with {} replaced by `arg`.
std::string both(Text id, std::string_view arg) {
  std::string out;
  for (Lang lang : {Lang::zh, Lang::en}) {
    if (lang == Lang::en) out += " / ";
    std::string_view pattern = tr(id, lang);
    const auto at = pattern.find("{}");
    if (at == std::string_view::npos) {
      out += pattern;
    } else {
      (out += pattern.substr(0, at)) += arg;
      out += pattern.substr(at + 2);
    }
  }
  return out;
}

std::optional<Date> date_arg(std::string_view text, std::string& why) {
  auto d = parse_date(text);
  if (!d) why = both(Text::ErrCalBadDate, text);
  return d;
}

int cannot_answer(const std::string& error) {
  std::fprintf(stderr, "onestop calendar: %s\n", error.c_str());
  return kExitCalendarCannotAnswer;
}

int run_due(Args args) {
  std::optional<std::string_view> from, workdays;
  for (size_t i = 0; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return usage_error();
    if (args[i] == "--from" && !from) {
      from = args[i + 1];
    } else if (args[i] == "--workdays" && !workdays) {
      workdays = args[i + 1];
    } else {
      return usage_error();
    }
  }
  if (!from || !workdays) return usage_error();
  std::string why;
  const auto accepted = date_arg(*from, why);
  if (!accepted) return usage_error(why);
  int n = 0;
  const auto [end, ec] = std::from_chars(workdays->data(), workdays->data() + workdays->size(), n);
  if (workdays->empty() || ec != std::errc{} || end != workdays->data() + workdays->size() ||
      n < 1)
    return usage_error(both(Text::ErrCalWorkdays, *workdays));

  const DueAnswer a = WorkCalendar::builtin().due(*accepted, n);
  if (!a.ok) return cannot_answer(a.error);
  std::printf("%s%s\n", format_date(a.date).c_str(), a.provisional ? " provisional" : "");
  return kExitOk;
}

int run_day(Args args) {
  if (args.size() != 1) return usage_error();
  std::string why;
  const auto d = date_arg(args[0], why);
  if (!d) return usage_error(why);
  const DayAnswer a = WorkCalendar::builtin().day(*d);
  if (!a.ok) return cannot_answer(a.error);
  std::printf("%s%s\n", a.kind == DayKind::workday ? "workday" : "off",
              a.provisional ? " provisional" : "");
  return kExitOk;
}

}  // namespace

int run_calendar(Args args) {
  if (args.empty()) return usage_error();
  if (args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (args[0] == "due") return run_due(args.subspan(1));
  if (args[0] == "day") return run_day(args.subspan(1));
  return usage_error();
}

}  // namespace onestop::cli
