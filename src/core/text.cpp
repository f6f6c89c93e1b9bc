#include "core/text.h"

#include <array>

namespace onestop {
namespace {
struct Entry {
  const char* zh;
  const char* en;
};
constexpr std::array<Entry, static_cast<size_t>(Text::Count)> kTable = {{
#define ONESTOP_TEXT_ENTRY(id, zh, en) {zh, en},
    ONESTOP_TEXTS(ONESTOP_TEXT_ENTRY)
#undef ONESTOP_TEXT_ENTRY
}};
}  // namespace

const char* tr(Text id, Lang lang) {
  const auto i = static_cast<size_t>(id);
  if (i >= kTable.size()) return "?";
  return lang == Lang::zh ? kTable[i].zh : kTable[i].en;
}

std::string_view lang_code(Lang lang) { return lang == Lang::zh ? "zh-CN" : "en"; }

bool lang_from_code(std::string_view code, Lang& out) {
  if (code == "zh-CN" || code == "zh") {
    out = Lang::zh;
    return true;
  }
  if (code == "en") {
    out = Lang::en;
    return true;
  }
  return false;
}

}  // namespace onestop
