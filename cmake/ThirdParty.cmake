# Third-party code for the web build, compiled from Debian's source packages that shell/setup
# fetched into the cache (never committed): Dear ImGui 1.86 and SDL2 2.26 (prebuilt for wasm).
if(NOT ONESTOP_CACHE)
  if(DEFINED ENV{ONESTOP_CACHE} AND NOT "$ENV{ONESTOP_CACHE}" STREQUAL "")
    set(ONESTOP_CACHE "$ENV{ONESTOP_CACHE}")
  else()
    set(ONESTOP_CACHE "$ENV{HOME}/.cache/onestop")
  endif()
endif()

file(GLOB IMGUI_DIR LIST_DIRECTORIES true "${ONESTOP_CACHE}/src/imgui-1.86*")
set(SDL2_PREFIX "${ONESTOP_CACHE}/sdl2-wasm")
if(NOT IMGUI_DIR OR NOT EXISTS "${SDL2_PREFIX}/lib/libSDL2.a")
  message(FATAL_ERROR "ImGui sources or SDL2-for-wasm missing under ${ONESTOP_CACHE}: run shell/setup")
endif()

add_library(SDL2_wasm STATIC IMPORTED)
set_target_properties(SDL2_wasm PROPERTIES IMPORTED_LOCATION "${SDL2_PREFIX}/lib/libSDL2.a")
# Before the emscripten sysroot: its include/SDL holds SDL1 headers with the same names.
target_include_directories(SDL2_wasm BEFORE INTERFACE "${SDL2_PREFIX}/include/SDL2")

add_library(imgui STATIC
  ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_tables.cpp
  ${IMGUI_DIR}/imgui_widgets.cpp ${IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp
  ${IMGUI_DIR}/backends/imgui_impl_sdl.cpp ${IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR} ${IMGUI_DIR}/backends ${IMGUI_DIR}/misc/cpp)
# Item hooks let the automation interface map widget labels to rectangles (src/app/item_registry).
target_compile_definitions(imgui PUBLIC IMGUI_ENABLE_TEST_ENGINE IMGUI_DISABLE_OBSOLETE_FUNCTIONS
  IMGUI_IMPL_OPENGL_ES3)
target_link_libraries(imgui PUBLIC SDL2_wasm)
