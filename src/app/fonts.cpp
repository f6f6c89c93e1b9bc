#include "app/fonts.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace onestop::app {
namespace {

// Exactly the code points present in the subset font, generated with it.
const ImWchar kGlyphRanges[] = {
#include "glyph_ranges.inc"
    0};
// The part of them built before the first frame.
const ImWchar kFirstGlyphRanges[] = {
#include "glyph_ranges_first.inc"
    0};

}  // namespace

bool load_ui_font(const char* path, float pixel_ratio, Glyphs glyphs) {
  ImGuiIO& io = ImGui::GetIO();
  // Above 2x the atlas grows past 4096 px for little visible gain: cap the raster scale.
  const float scale = std::clamp(pixel_ratio, 1.0f, 2.0f);
  io.Fonts->Clear();
  ImFontConfig cfg;
  // One raster per glyph: CJK glyphs are dense enough that 3x horizontal oversampling only
  // triples the atlas.
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  ImFont* font = io.Fonts->AddFontFromFileTTF(path, kFontCssPixels * scale, &cfg,
                                              glyphs == Glyphs::all ? kGlyphRanges : kFirstGlyphRanges);
  if (!font) {
    std::fprintf(stderr, "onestop: cannot load the UI font %s\n", path);
    io.Fonts->Clear();
    io.Fonts->AddFontDefault();
    io.FontGlobalScale = 1.0f;
    return false;
  }
  io.FontGlobalScale = 1.0f / scale;
  io.Fonts->TexDesiredWidth = 4096;
  return io.Fonts->Build();
}

}  // namespace onestop::app
