// Settings: who this counter is (site code, counter number) and how the browser keeps the data.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "app/panels.h"

namespace onestop::app {

namespace {

void draw_storage(const AppState& state) {
  const Lang lang = state.lang();
  ImGui::Separator();
  ImGui::TextUnformatted(tr(Text::StorageUse, lang));
  const StorageInfo& info = state.persistence->storage();
  if (!info.known) {
    ImGui::TextDisabled("%s", tr(Text::StorageUnknown, lang));
    return;
  }
  ImGui::Text(tr(Text::StorageUsed, lang), info.usage_bytes / 1048576.0, info.quota_bytes / 1048576.0);
  ImGui::ProgressBar(info.quota_bytes > 0 ? static_cast<float>(info.usage_bytes / info.quota_bytes) : 0.f,
                     ImVec2(360, 0), "");
  if (info.persisted)
    ImGui::TextColored(ImVec4(0.2f, 0.55f, 0.3f, 1), "%s", tr(Text::StoragePersisted, lang));
  else
    ImGui::TextColored(ImVec4(0.75f, 0.45f, 0.1f, 1), "%s", tr(Text::StorageNotPersisted, lang));
}

}  // namespace

void draw_settings_window(AppState& state) {
  if (!state.show_settings) return;
  const Lang lang = state.lang();
  ImGui::SetNextWindowSize(ImVec2(480, 0), ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  char title[96];
  std::snprintf(title, sizeof title, "%s###settings", tr(Text::MenuSettings, lang));
  if (ImGui::Begin(title, &state.show_settings, ImGuiWindowFlags_NoCollapse)) {
    ImGui::Text("%s: %s", tr(Text::SiteCode, lang), state.settings.site_code.c_str());
    ImGui::Text("%s: %d", tr(Text::WindowNumber, lang), state.settings.window_number);
    if (state.persistence) draw_storage(state);
    if (ImGui::Button(tr(Text::Close, lang))) state.show_settings = false;
  }
  ImGui::End();
}

}  // namespace onestop::app
