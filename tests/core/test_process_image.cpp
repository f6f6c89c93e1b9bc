// The built-in process definitions' image (core/process_image.h): the same book as the JSON,
// every member carried, damaged bytes refused.
#include <catch2/catch.hpp>

#include "core/process_image.h"

using namespace onestop;

namespace {

ProcessBook book_from_json() {
  std::vector<ProcessError> errors;
  auto book = load_processes(default_processes_json(), errors);
  REQUIRE(book);
  return *book;
}

}  // namespace

TEST_CASE("the built-in process image is the book default.json loads to", "[process]") {
  const ProcessBook expected = book_from_json();
  const auto decoded = process_book_from_image(builtin_process_image());
  INFO("after changing data/processes/default.json, run "
       "build/native/src/cli/onestop_process_image src/core/process_image_data.cpp");
  REQUIRE(decoded);
  CHECK(*decoded == expected);
  CHECK(builtin_processes() == expected);
  // And the image is what the generator makes of the JSON now (the file in git is current).
  CHECK(process_image(expected) == builtin_process_image());
}

TEST_CASE("a process image carries every member, also those default.json leaves unset",
          "[process]") {
  ProcessBook book = book_from_json();
  REQUIRE(!book.processes.empty());
  REQUIRE(!book.processes[0].steps.empty());
  book.format = 7;
  ProcessDef& p = book.processes[0];
  p.mode = Mode::direct;
  p.summary = Summary::quarterly;
  p.limit.days = {-1, 0, 12, 99999};
  // Each flag unlike its neighbours, here and in the copy below: a swap shows.
  p.reply = true;
  p.return_visit = false;
  p.auto_close = true;
  StepDef& st = p.steps[0];
  st.role = std::nullopt;
  st.terminal = !st.terminal;
  st.effects.push_back({"account", "suspended", "field\x01with a control byte"});
  st.next.push_back({"outcome", "结果", "Outcome", "to"});
  st.signatures.push_back("customer");
  p.steps.push_back(st);
  p.steps.back().role = Role::admin;  // the last role: the decoder's bound
  book.processes.push_back(p);
  book.processes.back().reply = false;
  book.processes.back().return_visit = true;
  book.processes.back().auto_close = false;
  book.routing.push_back({"k", "中", "En", Mode::consultation, "", "with", {"a", "b"}, "", ""});
  book.departments.push_back({"", "", ""});
  const auto back = process_book_from_image(process_image(book));
  REQUIRE(back);
  CHECK(*back == book);
}

TEST_CASE("a damaged or cut process image is refused without a crash", "[process]") {
  const std::string image(builtin_process_image());
  REQUIRE(image.size() > 1000);
  // Every cut: nothing decodes from part of an image.
  for (size_t n = 0; n < image.size(); ++n) {
    INFO("cut to " << n << " bytes");
    REQUIRE_FALSE(process_book_from_image(std::string_view(image).substr(0, n)));
  }
  CHECK_FALSE(process_book_from_image(image + '\0'));  // bytes after the end
  // A count past the bytes left is refused before anything is made for it.
  const std::string huge_count = image.substr(0, 6) + "\xff\xff\xff\xff\xff\x0f";
  CHECK_FALSE(process_book_from_image(huge_count));
  std::string other_version = image;
  other_version[4] = 2;
  CHECK_FALSE(process_book_from_image(other_version));
  // Every byte changed: refused or decoded, never a crash (the sanitizer build watches).
  size_t refused = 0;
  for (size_t at = 0; at < image.size(); ++at) {
    std::string damaged = image;
    damaged[at] = static_cast<char>(damaged[at] ^ 0xA5);
    if (!process_book_from_image(damaged)) ++refused;
  }
  CHECK(refused > image.size() / 10);  // most damage to lengths and counts shows
}
