#pragma once
// The one translation table of OneStop: every user-visible string, Simplified Chinese first,
// English second. Panels and core error messages look strings up here; no literals elsewhere.
#include <string_view>

namespace onestop {

enum class Lang { zh, en };

// X(id, zh-CN, en)
#define ONESTOP_TEXTS(X)                                                                   \
  X(AppTitle, "一站式服务台", "One-Stop Service Counter")                                  \
  X(Welcome, "欢迎使用一站式服务台：用户最多跑一次。",                                     \
    "Welcome to the one-stop counter: the customer runs at most once.")                   \
  X(MenuLanguage, "语言", "Language")                                                      \
  X(LanguageChinese, "中文", "中文 (Chinese)")                                             \
  X(LanguageEnglish, "English", "English")                                                \
  X(WindowNumber, "窗口编号", "Counter number")                                            \
  X(SiteCode, "站点代码", "Site code")                                                     \
  X(NextWindow, "下一个窗口", "Next counter")                                              \
  X(DemoVisits, "今日接待人次", "Visitors today")                                          \
  X(RegisterVisit, "接待登记", "Register a visit")                                         \
  X(StoreLoading, "正在读取数据…", "Loading data…")                                        \
  X(StoreIdle, "已保存", "Saved")                                                          \
  X(StoreSaving, "正在保存…", "Saving…")                                                   \
  X(StoreError, "保存失败", "Save failed")                                                 \
  X(SearchHint, "输入姓名、用户编号、电话或地址", "Name, customer number, phone or address") \
  X(Search, "查询", "Search")                                                              \
  X(MenuHelp, "帮助", "Help")                                                             \
  X(MenuAbout, "关于", "About")                                                            \
  X(AboutVersion, "版本", "Version")                                                       \
  X(AboutFont, "字体：思源黑体（Noto Sans CJK SC）子集，含 GB 2312 全部 6763 个汉字",       \
    "Font: Noto Sans CJK SC subset with all 6,763 GB 2312 hanzi")                         \
  X(AboutMissingGlyph, "字库中没有的字显示为：", "A character missing from the font shows as:") \
  X(Close, "关闭", "Close")                                                                \
  X(ErrBadJson, "数据不是有效的 JSON", "The data is not valid JSON")                       \
  X(ErrBadSettings, "设置文件格式错误", "The settings file is malformed")                  \
  X(ErrBadLanguage, "未知的语言代码", "Unknown language code")                             \
  X(ErrBadWindowNumber, "窗口编号必须在 1 到 999 之间",                                    \
    "The counter number must be between 1 and 999")                                       \
  X(ErrBadSiteCode, "站点代码必须是 1 到 8 位大写字母或数字",                              \
    "The site code must be 1 to 8 capital letters or digits")                              \
  /* Working-day calendar (core/calendar.cpp); {} is filled in, in order. */               \
  X(ErrCalBeforeData, "{} 早于日历数据的起始日 {}，无法计算",                                \
    "{} is before the calendar data begins ({}); it cannot be answered")                  \
  X(ErrCalAfterRange, "{} 晚于日历覆盖的最后一天 {}，无法计算",                              \
    "{} is after the last day the calendar covers ({}); it cannot be answered")           \
  X(ErrCalWorkdays, "工作日数必须是不小于 1 的整数，而不是 {}",                              \
    "The number of working days must be a whole number of at least 1, not {}")            \
  X(ErrCalDueBeyond, "期限落在日历覆盖的最后一天 {} 之后，无法计算",                         \
    "The deadline falls after the last day the calendar covers ({})")                     \
  X(ErrCalBadDate, "不是有效的日期（应为 YYYY-MM-DD）：{}",                                  \
    "Not a valid date (expected YYYY-MM-DD): {}")                                         \
  X(ErrCalCsvLine, "日历数据第 {} 行：", "Calendar data, line {}: ")                       \
  X(ErrCalCsvFields, "应为“日期,off|work,名称”或“published,年份”",                          \
    "expected 'date,off|work,name' or 'published,year'")                                  \
  X(ErrCalCsvDate, "日期无效：{}", "invalid date: {}")                                     \
  X(ErrCalCsvKind, "类型必须是 off 或 work：{}", "the kind must be off or work: {}")       \
  X(ErrCalCsvOrder, "日期未按顺序排列或重复：{}", "date out of order or repeated: {}")     \
  X(ErrCalCsvYear, "已发布年份无效（应在 1900 到 2099 之间）：{}",                           \
    "invalid published year (must be 1900 to 2099): {}")                                 \
  X(ErrCalCsvYearTwice, "年份 {} 重复声明为已发布", "year {} is declared published twice") \
  X(ErrCalCsvOrphanDay, "日期 {} 不属于任何已发布年份的通知",                                \
    "the date {} belongs to no published year's notice")                                  \
  X(ErrCalCsvNoYear, "日历数据没有声明任何已发布年份",                                       \
    "the calendar data declares no published year")                                       \
  X(ErrCalPublishYear, "无法发布 {} 年：年份须在 {} 到 {} 之间",                             \
    "Cannot publish {}: the year must be between {} and {}")                              \
  X(ErrCalPublishDate, "日期 {} 不属于 {} 年的通知（须在该年内或上一年十二月）",             \
    "The date {} does not belong to the {} notice (it must lie in that year or the "      \
    "December before)")                                                                   \
  X(ErrCalPublishTwice, "日期 {} 在通知中出现两次", "The date {} appears twice in the notice")

enum class Text {
#define ONESTOP_TEXT_ID(id, zh, en) id,
  ONESTOP_TEXTS(ONESTOP_TEXT_ID)
#undef ONESTOP_TEXT_ID
      Count
};

// The translation of `id` in `lang`; a static string, never null.
const char* tr(Text id, Lang lang);

// "zh-CN" / "en" and back; unknown codes give false.
std::string_view lang_code(Lang lang);
bool lang_from_code(std::string_view code, Lang& out);

// An error message carried in both languages, so the UI shows it in the clerk's language and
// the command line can print either.
struct Message {
  Text id;
  const char* zh() const { return tr(id, Lang::zh); }
  const char* en() const { return tr(id, Lang::en); }
  const char* in(Lang lang) const { return tr(id, lang); }
};

}  // namespace onestop
