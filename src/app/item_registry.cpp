#include "app/item_registry.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdarg>
#include <string>
#include <unordered_map>

namespace onestop::app {
namespace {

struct Frame {
  std::unordered_map<ImGuiID, ImRect> rects;        // from ItemAdd
  std::unordered_map<std::string, ImGuiID> labels;  // from ItemInfo (full and visible label)
  void clear() {
    rects.clear();
    labels.clear();
  }
};

Frame g_recording;  // the frame being drawn
Frame g_last;       // the last complete frame, answered from

std::string_view visible_part(std::string_view label) {
  const auto hash = label.find("##");
  return hash == std::string_view::npos ? label : label.substr(0, hash);
}

}  // namespace

void item_registry_enable() { ImGui::GetCurrentContext()->TestEngineHookItems = true; }

void item_registry_end_frame() {
  std::swap(g_last, g_recording);
  g_recording.clear();
}

void item_registry_name_last_item(std::string_view label) {
  const ImGuiID id = ImGui::GetItemID();
  if (id != 0) g_recording.labels[std::string(label)] = id;
}

std::optional<ItemRect> item_registry_find(std::string_view label) {
  const auto id = g_last.labels.find(std::string(label));
  if (id == g_last.labels.end()) return std::nullopt;
  const auto rect = g_last.rects.find(id->second);
  if (rect == g_last.rects.end()) return std::nullopt;
  const ImRect& r = rect->second;
  return ItemRect{r.Min.x, r.Min.y, r.GetWidth(), r.GetHeight()};
}

}  // namespace onestop::app

// The hook functions ImGui calls when built with IMGUI_ENABLE_TEST_ENGINE.
void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect& bb, ImGuiID id) {
  onestop::app::g_recording.rects[id] = bb;
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
  if (!label || !*label) return;
  const std::string_view full(label);
  onestop::app::g_recording.labels[std::string(full)] = id;
  const auto visible = onestop::app::visible_part(full);
  if (!visible.empty() && visible.size() != full.size())
    onestop::app::g_recording.labels[std::string(visible)] = id;
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
