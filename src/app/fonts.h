#pragma once
// The UI font: Noto Sans CJK SC cut to GB 2312 + extras at build time (docs/fonts.md).

namespace onestop::app {

inline constexpr float kFontCssPixels = 16.0f;

// Which glyphs an atlas holds. Rasterising every glyph is most of the start-up time, so the app
// starts with `first` (ASCII and every character of its own texts: what its first screen shows,
// ~800 of ~7,000; tools/make_first_glyphs.py) and builds `all` right after its first frame.
enum class Glyphs { first, all };

// (Re)builds the font atlas for a device pixel ratio: glyphs are rasterised at
// kFontCssPixels * ratio and drawn scaled back, so text is sharp on HiDPI screens.
// Returns false (and keeps ImGui's default Latin font) when the file cannot be read.
bool load_ui_font(const char* path, float pixel_ratio, Glyphs glyphs);

}  // namespace onestop::app
