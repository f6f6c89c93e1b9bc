#include "core/key.h"

#include <deque>
#include <unordered_map>

namespace onestop {

namespace {
struct Table {
  std::deque<std::string> texts{std::string()};  // a deque: views stay valid as it grows
  std::vector<std::string_view> views{std::string_view()};
  std::unordered_map<std::string_view, uint32_t> ids{{std::string_view(), 0}};
};
Table& table() {
  static Table* t = new Table();  // never destroyed: keys may be used during static teardown
  return *t;
}
}  // namespace

Key::Key(std::string_view text) {
  if (text.empty()) return;
  Table& t = table();
  const auto it = t.ids.find(text);
  if (it != t.ids.end()) {
    id_ = it->second;
    return;
  }
  id_ = static_cast<uint32_t>(t.texts.size());
  t.texts.emplace_back(text);
  t.views.emplace_back(t.texts.back());
  t.ids.emplace(t.texts.back(), id_);
}

std::string_view Key::view() const { return table().views[id_]; }

std::vector<Key> to_keys(const std::vector<std::string>& texts) {
  std::vector<Key> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.emplace_back(std::string_view(t));
  return out;
}

}  // namespace onestop
