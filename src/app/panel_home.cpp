// The start page of a counter: who this counter is (site, number) and today's tally.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/panels.h"

namespace onestop::app {

void draw_home_panel(AppState& state) {
  const Lang lang = state.lang();
  ImGui::TextUnformatted(tr(Text::AppTitle, lang));
  ImGui::Separator();
  ImGui::TextWrapped("%s", tr(Text::Welcome, lang));
  if (!state.load_warning.empty())
    ImGui::TextColored(ImVec4(0.85f, 0.3f, 0.2f, 1), "%s", state.load_warning.c_str());
  ImGui::Spacing();
  if (!state.ready) {
    ImGui::TextUnformatted(tr(Text::StoreLoading, lang));
    return;
  }
  ImGui::SetNextItemWidth(360);
  ImGui::InputTextWithHint("##search", tr(Text::SearchHint, lang), &state.search_text);
  ImGui::SameLine();
  ImGui::Button(tr(Text::Search, lang));
  ImGui::Spacing();
  ImGui::BeginDisabled(!state.can_edit());
  ImGui::Text("%s: %s", tr(Text::SiteCode, lang), state.settings.site_code.c_str());
  ImGui::Text("%s: %d", tr(Text::WindowNumber, lang), state.settings.window_number);
  ImGui::SameLine();
  if (ImGui::Button(tr(Text::NextWindow, lang))) {
    state.settings.window_number = state.settings.window_number % 999 + 1;
    save_settings(state);
  }
  ImGui::Text("%s: %d", tr(Text::DemoVisits, lang), state.settings.visits_today);
  ImGui::SameLine();
  if (ImGui::Button(tr(Text::RegisterVisit, lang))) {
    ++state.settings.visits_today;
    save_settings(state);
  }
  ImGui::EndDisabled();
}

}  // namespace onestop::app
