#pragma once
// Every panel of the app, one per file, each a free function over AppState.
#include "app/app_state.h"

namespace onestop::app {

void draw_home_panel(AppState& state);
void draw_intake_panel(AppState& state);
void draw_case_list_panel(AppState& state);
void draw_status_bar(AppState& state, float height);
void draw_about_window(AppState& state);
void draw_settings_window(AppState& state);

}  // namespace onestop::app
