// onestop_process_image FILE: writes the built-in process definitions' image
// (core/process_image.h), made from data/processes/default.json as compiled into this program,
// as the C++ source FILE (src/core/process_image_data.cpp). Run it after changing the JSON, then
// rebuild: the tests fail until the image matches the JSON.
#include <cstdio>
#include <fstream>
#include <vector>

#include "core/process_image.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: onestop_process_image src/core/process_image_data.cpp\n");
    return 2;
  }
  std::vector<onestop::ProcessError> errors;
  const auto book = onestop::load_processes(onestop::default_processes_json(), errors);
  if (!book) {
    for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.text().c_str());
    return 1;
  }
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << onestop::process_image_source(onestop::process_image(*book));
  out.close();
  if (!out) {
    std::fprintf(stderr, "onestop_process_image: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
