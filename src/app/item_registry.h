#pragma once
// Widget label -> rectangle, recorded each frame through ImGui's test-engine item hooks, so
// that automation (browser tests, demos) can find "保存" by name instead of guessing pixels.
#include <optional>
#include <string_view>

namespace onestop::app {

struct ItemRect {
  float x, y, w, h;  // ImGui display coordinates (CSS pixels relative to the canvas)
};

// Turns recording on for the current ImGui context; call once after ImGui::CreateContext().
void item_registry_enable();
// Call after ImGui::Render(): what was recorded during the frame becomes queryable.
void item_registry_end_frame();
// Names the last item drawn, for widgets ImGui does not label itself (combos in 1.86).
void item_registry_name_last_item(std::string_view label);
// The rectangle of the widget labelled `label` in the last complete frame. Matches the full
// label ("保存##case") or its visible part ("保存"); the last widget drawn wins on a tie.
std::optional<ItemRect> item_registry_find(std::string_view label);

}  // namespace onestop::app
