// The bottom line: store state (saving / saved / error) so a clerk knows the work is safe.
#include <imgui.h>

#include "app/panels.h"

namespace onestop::app {

void draw_status_bar(AppState& state, float height) {
  (void)height;
  ImGui::Separator();
  const Lang lang = state.lang();
  if (state.persistence && state.persistence->read_only()) {
    ImGui::TextColored(ImVec4(0.8f, 0.45f, 0.05f, 1), "%s", tr(Text::StoreReadOnly, lang));
    return;
  }
  const StoreState s = state.persistence ? state.persistence->state() : StoreState::loading;
  switch (s) {
    case StoreState::loading:
      ImGui::TextUnformatted(tr(Text::StoreLoading, lang));
      break;
    case StoreState::idle:
      ImGui::TextColored(ImVec4(0.2f, 0.6f, 0.3f, 1), "%s", tr(Text::StoreIdle, lang));
      break;
    case StoreState::saving:
      ImGui::TextColored(ImVec4(0.8f, 0.6f, 0.1f, 1), "%s", tr(Text::StoreSaving, lang));
      break;
    case StoreState::error:
      ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.2f, 1), "%s: %s", tr(Text::StoreError, lang),
                         state.persistence->last_error().c_str());
      break;
  }
  // The older records arrive after the start (backups wait for them): say so while they do.
  if (state.ledger && !state.ledger->all_loaded()) {
    ImGui::SameLine();
    ImGui::TextDisabled("  %s", tr(Text::StoreLoadingRest, lang));
  }
}

}  // namespace onestop::app
