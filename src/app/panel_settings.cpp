// Settings: who this counter is (site code, counter number) and how the browser keeps the data.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "app/panels.h"
#include "core/problem.h"

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

void draw_backup(AppState& state) {
  const Lang lang = state.lang();
  ImGui::Separator();
  ImGui::TextUnformatted(tr(Text::BackupTitle, lang));
  ImGui::BeginDisabled(!state.ledger);
  if (ImGui::Button(tr(Text::BackupDownload, lang))) make_backup(state);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!state.can_edit());
  if (ImGui::Button(tr(Text::BackupRestore, lang)) && state.platform) state.platform->choose_backup_file();
  ImGui::EndDisabled();
  if (state.pending_restore) {
    const uint64_t now_records = state.ledger ? state.ledger->store().last_seq() : 0;
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.3f, 0.05f, 1));
    ImGui::TextUnformatted(Problem{Text::RestoreConfirm, {std::to_string(now_records),
                                                            std::to_string(state.pending_restore->summary.records)}}
                                 .in(lang).c_str());
    ImGui::PopStyleColor();
    if (ImGui::Button(tr(Text::RestoreYes, lang))) confirm_restore(state);
    ImGui::SameLine();
    if (ImGui::Button(tr(Text::Cancel, lang))) state.pending_restore.reset();
  }
  if (!state.backup_message.empty()) {
    const ImVec4 color = state.backup_message_is_error ? ImVec4(0.85f, 0.2f, 0.2f, 1) : ImVec4(0.15f, 0.5f, 0.25f, 1);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(state.backup_message.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace

void draw_settings_window(AppState& state) {
  if (!state.show_settings) return;
  const Lang lang = state.lang();

  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  char title[96];
  std::snprintf(title, sizeof title, "%s###settings", tr(Text::MenuSettings, lang));
  if (ImGui::Begin(title, &state.show_settings, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::PushTextWrapPos(460.0f);  // messages wrap at a fixed width: the window sizes to fit
    ImGui::Text("%s: %s", tr(Text::SiteCode, lang), state.settings.site_code.c_str());
    ImGui::Text("%s: %d", tr(Text::WindowNumber, lang), state.settings.window_number);
    if (state.persistence) draw_storage(state);
    draw_backup(state);
    if (ImGui::Button(tr(Text::Close, lang))) state.show_settings = false;
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

}  // namespace onestop::app
