#pragma once
// The built-in process definitions as compact bytes (an "image"), so that a start does not parse
// and check the JSON of data/processes/default.json: in a cold browser that parse took 8-20 ms
// of the start, most of it compiling the JSON library's code on first use (docs/performance.md).
// The image is made from the JSON by `onestop_process_image` (src/cli) into
// src/core/process_image_data.cpp; the tests check that it decodes to exactly what the JSON
// loads to, so a change to the JSON without a new image fails them. Not a storage format: it
// is never saved or read from outside the program.
#include <optional>
#include <string>
#include <string_view>

#include "core/process.h"

namespace onestop {

std::string process_image(const ProcessBook& book);
// nullopt when the bytes are not an image of this program's format (damaged, cut short).
std::optional<ProcessBook> process_book_from_image(std::string_view image);
// The image of the built-in definitions compiled into the program.
std::string_view builtin_process_image();

// The C++ source of src/core/process_image_data.cpp holding `image`.
std::string process_image_source(std::string_view image);

}  // namespace onestop
