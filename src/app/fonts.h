#pragma once
// The UI font: Noto Sans CJK SC cut to GB 2312 + extras at build time (docs/fonts.md).

namespace onestop::app {

inline constexpr float kFontCssPixels = 16.0f;

// (Re)builds the font atlas for a device pixel ratio: glyphs are rasterised at
// kFontCssPixels * ratio and drawn scaled back, so text is sharp on HiDPI screens.
// Returns false (and keeps ImGui's default Latin font) when the file cannot be read.
bool load_ui_font(const char* path, float pixel_ratio);

}  // namespace onestop::app
