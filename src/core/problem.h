#pragma once
// A user-visible error of the domain core: an entry of the translation table plus the values
// that fill its "{}" placeholders, in order. A value may itself have a Chinese and an English
// form (a step's or a document's name); plain values (numbers, keys) read the same in both.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/key.h"
#include "core/text.h"

namespace onestop {

struct Arg {
  std::string zh, en;
  Arg(std::string both) : zh(both), en(std::move(both)) {}  // NOLINT: implicit on purpose
  Arg(const char* both) : Arg(std::string(both)) {}          // NOLINT
  Arg(std::string_view both) : Arg(std::string(both)) {}     // NOLINT
  Arg(Key both) : Arg(both.view()) {}                          // NOLINT
  Arg(Str both) : Arg(both.view()) {}                          // NOLINT
  Arg(std::string zh_text, std::string en_text) : zh(std::move(zh_text)), en(std::move(en_text)) {}
  const std::string& in(Lang lang) const { return lang == Lang::zh ? zh : en; }
  bool operator==(const Arg&) const = default;
};

// `pattern` with each "{}" replaced by the next of `args` in `lang` (missing ones stay "{}").
std::string fill_text(std::string_view pattern, const std::vector<Arg>& args, Lang lang);

struct Problem {
  Text id = Text::AppTitle;
  std::vector<Arg> args;

  Problem() = default;
  Problem(Text text_id, std::initializer_list<Arg> values = {}) : id(text_id), args(values) {}

  std::string in(Lang lang) const { return fill_text(tr(id, lang), args, lang); }
  std::string zh() const { return in(Lang::zh); }
  std::string en() const { return in(Lang::en); }
  std::string both() const { return zh() + " / " + en(); }  // "中文 / English"
  bool operator==(const Problem&) const = default;
};

}  // namespace onestop
