// Help > About: version, what the font covers, and what a missing character looks like, so
// IT staff can recognise one when a clerk reports it (docs/fonts.md).
#include <imgui.h>

#include <cstdio>

#include "app/panels.h"
#include "core/version.h"

namespace onestop::app {

void draw_about_window(AppState& state) {
  if (!state.show_about) return;
  const Lang lang = state.lang();
  ImGui::SetNextWindowSize(ImVec2(520, 0), ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  char title[96];
  std::snprintf(title, sizeof title, "%s###about", tr(Text::MenuAbout, lang));
  if (ImGui::Begin(title, &state.show_about, ImGuiWindowFlags_NoCollapse)) {
    ImGui::TextUnformatted(kProductName);
    ImGui::Text("%s %s", tr(Text::AboutVersion, lang), kVersion);
    ImGui::TextWrapped("%s", tr(Text::AboutFont, lang));
    ImGui::TextUnformatted(tr(Text::AboutMissingGlyph, lang));
    ImGui::SameLine();
    // U+3400 (CJK extension A) is deliberately outside the subset: this is the fallback glyph.
    ImGui::SmallButton("\xE3\x90\x80\xE3\x90\x80\xE3\x90\x80\xE3\x90\x80##missing-glyph-sample");
    if (ImGui::Button(tr(Text::Close, lang))) state.show_about = false;
  }
  ImGui::End();
}

}  // namespace onestop::app
