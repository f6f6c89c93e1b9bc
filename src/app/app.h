#pragma once
#include "app/app_state.h"

namespace onestop::app {

// Reads the saved state once the store has loaded (a missing file means first start).
void load_state(AppState& state, const std::string* settings_text);

// Draws one frame of the whole UI: main window, panels, status bar. Call between
// ImGui::NewFrame() and ImGui::Render().
void draw_frame(AppState& state);

}  // namespace onestop::app
