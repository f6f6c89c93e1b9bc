#include "app/app.h"

#include <imgui.h>

#include "app/panels.h"

namespace onestop::app {

void save_settings(AppState& state) {
  if (state.persistence) state.persistence->save_file(kSettingsFile, settings_to_json(state.settings));
}

void load_state(AppState& state, const std::string* settings_text) {
  if (settings_text) {
    Message err{Text::ErrBadSettings};
    if (auto s = settings_from_json(*settings_text, err)) {
      state.settings = *s;
    } else {
      // Keep the defaults but never overwrite the unreadable file until the clerk changes a
      // setting; tell them why the settings look reset.
      state.load_warning = std::string(err.zh()) + " / " + err.en();
    }
  }
  state.ready = true;
}

namespace {

void draw_menu_bar(AppState& state) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu(tr(Text::MenuLanguage, state.lang()))) {
    if (ImGui::MenuItem(tr(Text::LanguageChinese, state.lang()), nullptr,
                        state.settings.language == Lang::zh)) {
      state.settings.language = Lang::zh;
      save_settings(state);
    }
    if (ImGui::MenuItem(tr(Text::LanguageEnglish, state.lang()), nullptr,
                        state.settings.language == Lang::en)) {
      state.settings.language = Lang::en;
      save_settings(state);
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem(tr(Text::MenuSettings, state.lang()))) state.show_settings = true;
  if (ImGui::BeginMenu(tr(Text::MenuHelp, state.lang()))) {
    if (ImGui::MenuItem(tr(Text::MenuAbout, state.lang()))) state.show_about = true;
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

}  // namespace

void draw_frame(AppState& state) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##main", nullptr, flags);
  draw_menu_bar(state);
  const float status_height = ImGui::GetFrameHeightWithSpacing();
  ImGui::BeginChild("##content", ImVec2(0, -status_height));
  draw_home_panel(state);
  ImGui::EndChild();
  draw_status_bar(state, status_height);
  ImGui::End();
  draw_about_window(state);
  draw_settings_window(state);
}

}  // namespace onestop::app
