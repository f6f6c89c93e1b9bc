// The browser entry point: SDL2 window + WebGL2 context, Dear ImGui, the main loop, IDBFS
// persistence, the input-method bridge and the automation interface (docs/automation.md).
#include <SDL.h>
#include <SDL_opengles2.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>
#include <imgui_internal.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "app/fonts.h"
#include "app/item_registry.h"
#include "core/demo.h"
#include "core/problem.h"
#include "core/store/vfs.h"
#include "platform/web/web_persistence.h"

extern "C" {
void onestop_js_download(const char* name, const char* data, size_t size);
void onestop_js_choose_file();
void onestop_js_ime_update(int want, float x, float y);
void onestop_js_canvas_origin(float* x, float* y);
}

namespace onestop::web {
namespace {

constexpr const char* kFontPath = "/fonts/onestop-sc.ttf";
// After an event or a store change, keep drawing a little while (animations, hover states);
// otherwise an idle counter draws nothing and costs no CPU.
constexpr int kFramesAfterActivity = 30;

class WebPlatform final : public app::Platform {
 public:
  void download(const std::string& file_name, const std::string& bytes) override {
    onestop_js_download(file_name.c_str(), bytes.data(), bytes.size());
  }
  void choose_backup_file() override { onestop_js_choose_file(); }
};

struct WebApp {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  WebPersistence persistence;
  WebPlatform platform;
  app::AppState state;
  float font_ratio = 0;  // device pixel ratio the font atlas was built for
  double frame_ms = 0;   // CPU time of the last ImGui frame, NewFrame to Render
  long frames = 0;       // frames drawn
  bool first_ready_frame = false;
  double font_build_ms = 0;  // font atlas rasterisation + texture upload at start
  app::Glyphs glyphs = app::Glyphs::first;  // `all` once built, right after the first frame
  double full_font_build_ms = 0;             // the same for every glyph
  int active_frames = kFramesAfterActivity;
  app::StoreState last_store_state = app::StoreState::loading;
};

WebApp* g_app = nullptr;

const char* store_state_name(app::StoreState s) {
  switch (s) {
    case app::StoreState::loading: return "loading";
    case app::StoreState::idle: return "idle";
    case app::StoreState::saving: return "saving";
    case app::StoreState::error: return "error";
  }
  return "error";
}

float pixel_ratio(const WebApp& a) {
  int w = 0, h = 0, dw = 0, dh = 0;
  SDL_GetWindowSize(a.window, &w, &h);
  SDL_GL_GetDrawableSize(a.window, &dw, &dh);
  return w > 0 ? static_cast<float>(dw) / static_cast<float>(w) : 1.0f;
}

// The window moved to a screen with another pixel ratio (or the page was zoomed): rebuild the
// atlas so text stays sharp.
void follow_pixel_ratio(WebApp& a) {
  const float ratio = pixel_ratio(a);
  if (std::fabs(ratio - a.font_ratio) < 0.01f) return;
  a.font_ratio = ratio;
  app::load_ui_font(kFontPath, ratio, a.glyphs);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

// After the first usable frame is on screen, the atlas is rebuilt with every glyph of the font
// (names and addresses may use the rarer characters). The page is busy meanwhile (docs/
// performance.md gives the time); input that arrives then waits in the queue and is not lost.
void build_all_glyphs(WebApp& a) {
  const double t0 = emscripten_get_now();
  a.glyphs = app::Glyphs::all;
  app::load_ui_font(kFontPath, a.font_ratio, a.glyphs);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  a.full_font_build_ms = emscripten_get_now() - t0;
  a.active_frames = kFramesAfterActivity;  // redraw with the new atlas
}

Millis now_millis() { return static_cast<Millis>(emscripten_date_now()); }

void frame(void* arg) {
  WebApp& a = *static_cast<WebApp*>(arg);
  SDL_Event e;
  while (SDL_PollEvent(&e)) {
    // Text arrives through the hidden <input> of the IME bridge (library_onestop.js), which
    // sees composed Chinese too; SDL's own text events would type ASCII twice.
    if (e.type == SDL_TEXTINPUT) continue;
    ImGui_ImplSDL2_ProcessEvent(&e);
    a.active_frames = kFramesAfterActivity;
  }
  // Until the store has loaded the page's splash says so; drawing frames meanwhile would only
  // delay IndexedDB's callbacks (software WebGL composites slowly). The wait is used to parse
  // the built-in rules, which the ledger's open would otherwise parse after the store came.
  if (!a.persistence.loaded()) {
    app::parse_builtin_rules();  // parsed once; later calls find them parsed
    return;
  }
  if (a.first_ready_frame && a.glyphs != app::Glyphs::all) build_all_glyphs(a);
  // The older store segments, left in IndexedDB so that the start did not wait for them, are
  // read once the clerk has a usable screen (checked afterwards; backups wait for them).
  if (a.first_ready_frame && a.glyphs == app::Glyphs::all) a.persistence.load_rest();
  if (!a.state.ready) {
    std::string text;
    const bool exists = a.persistence.read_file(app::kSettingsFile, text);
    app::load_state(a.state, exists ? &text : nullptr);
    a.state.now = now_millis;
    a.state.data_dir = kDataDir;
    app::open_ledger(a.state);
    a.active_frames = kFramesAfterActivity;
  }
  if (app::check_store_step(a.state)) a.active_frames = kFramesAfterActivity;
  if (a.first_ready_frame && app::complete_step(a.state)) a.active_frames = kFramesAfterActivity;
  if (app::snapshot_when_quiet(a.state)) a.active_frames = kFramesAfterActivity;
  if (a.persistence.state() != a.last_store_state) {
    a.last_store_state = a.persistence.state();
    a.active_frames = kFramesAfterActivity;
  }
  if (a.active_frames <= 0) return;
  --a.active_frames;

  follow_pixel_ratio(a);
  const double t0 = emscripten_get_now();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  app::draw_frame(a.state);
  ImGui::Render();
  a.frame_ms = emscripten_get_now() - t0;
  app::item_registry_end_frame();
  ++a.frames;
  if (a.state.ready && !a.first_ready_frame) {
    a.first_ready_frame = true;  // the first frame a clerk can use: tell the page (timing)
    EM_ASM({ if (Module.onestopInteractive) Module.onestopInteractive(); });
  }

  int dw = 0, dh = 0;
  SDL_GL_GetDrawableSize(a.window, &dw, &dh);
  glViewport(0, 0, dw, dh);
  glClearColor(0.94f, 0.95f, 0.96f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 caret = ImGui::GetCurrentContext()->PlatformImePos;
  onestop_js_ime_update(io.WantTextInput ? 1 : 0, caret.x, caret.y);
}

bool init(WebApp& a) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
    return false;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  // The canvas is sized by CSS to the browser window; SDL follows it (resizable + external
  // size) and scales the backing store by devicePixelRatio (allow-highdpi).
  a.window = SDL_CreateWindow("OneStop", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1280,
                              800, SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!a.window) {
    std::fprintf(stderr, "SDL_CreateWindow: %s\n", SDL_GetError());
    return false;
  }
  a.gl = SDL_GL_CreateContext(a.window);
  if (!a.gl) {
    std::fprintf(stderr, "WebGL2 context: %s\n", SDL_GetError());
    return false;
  }
  SDL_GL_MakeCurrent(a.window, a.gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is code; the browser has no ini file worth keeping
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::StyleColorsLight();
  ImGuiStyle& style = ImGui::GetStyle();
  style.FrameRounding = 3;
  style.WindowRounding = 0;
  app::item_registry_enable();
  ImGui_ImplSDL2_InitForOpenGL(a.window, a.gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  // Start loading the store first: IndexedDB answers while the font atlas is being built.
  a.state.persistence = &a.persistence;
  a.state.platform = &a.platform;
  a.persistence.start();
  const double t0 = emscripten_get_now();
  a.font_ratio = pixel_ratio(a);
  app::load_ui_font(kFontPath, a.font_ratio, a.glyphs);
  ImGui_ImplOpenGL3_CreateDeviceObjects();  // shaders and the font texture, uploaded once
  a.font_build_ms = emscripten_get_now() - t0;
  return true;
}

}  // namespace
}  // namespace onestop::web

// --- Exported to JavaScript (Module.ccall) ------------------------------------------------
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* onestop_debug_json() {
  using onestop::web::g_app;
  static std::string out;
  nlohmann::json j;
  if (!g_app) {
    j = {{"ready", false}, {"store", {{"state", "loading"}}}, {"frame_ms", 0}};
  } else {
    const auto& s = g_app->state;
    j = {{"ready", s.ready},
         {"store",
          {{"state", onestop::web::store_state_name(g_app->persistence.state())},
           {"error", g_app->persistence.last_error()},
           {"read_only", g_app->persistence.read_only()},
           {"usage_bytes", g_app->persistence.storage().usage_bytes},
           {"quota_bytes", g_app->persistence.storage().quota_bytes},
           {"persisted", g_app->persistence.storage().persisted}}},
         {"frame_ms", g_app->frame_ms},
         {"frames", g_app->frames},
         {"pixel_ratio", g_app->font_ratio},
         {"snapshot_seq", s.ledger && s.ledger->store().snapshot() ? s.ledger->store().snapshot()->seq : 0},
         {"opened_from_snapshot", s.ledger ? s.ledger->opened_from_snapshot() : 0},
         {"segments_left_out", g_app->persistence.segments_left_out()},
         {"unloaded_segments", s.ledger ? s.ledger->store().unloaded_segments() : 0},
         {"rest_load_ms", g_app->persistence.rest_load_ms()},
         {"store_checked", s.ledger ? s.ledger->checked() : false},
         {"load_warning", s.load_warning},
         {"font_build_ms", g_app->font_build_ms},
         {"font_glyphs", g_app->glyphs == onestop::app::Glyphs::all ? "all" : "first"},
         {"full_font_build_ms", g_app->full_font_build_ms},
         {"font_glyph_count", ImGui::GetIO().Fonts->Fonts.empty() ? 0 : ImGui::GetIO().Fonts->Fonts[0]->Glyphs.Size},
         {"display", {{"w", ImGui::GetIO().DisplaySize.x}, {"h", ImGui::GetIO().DisplaySize.y}}},
         {"language", onestop::lang_code(s.settings.language)},
         {"search_text", s.search_text},
         {"cases", s.ledger ? s.ledger->engine().state().case_count() : 0},
         {"events", s.ledger ? s.ledger->store().last_seq() : 0},
         {"ledger_error", s.ledger_error},
         {"intake_message", s.intake.message},
         {"backup_message", s.backup_message},
         {"restore_pending", s.pending_restore != nullptr},
         {"settings", nlohmann::json::parse(onestop::settings_to_json(s.settings))}};
  }
  out = j.dump();
  return out.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* onestop_item_rect(const char* label) {
  static std::string out;
  const auto r = onestop::app::item_registry_find(label ? label : "");
  if (!r) return "null";
  float ox = 0, oy = 0;
  onestop_js_canvas_origin(&ox, &oy);
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"x\":%.2f,\"y\":%.2f,\"w\":%.2f,\"h\":%.2f}", r->x + ox,
                r->y + oy, r->w, r->h);
  out = buf;
  return out.c_str();
}

EMSCRIPTEN_KEEPALIVE void onestop_text_input(const char* utf8) {
  if (!utf8 || !onestop::web::g_app) return;
  ImGui::GetIO().AddInputCharactersUTF8(utf8);
  onestop::web::g_app->active_frames = onestop::web::kFramesAfterActivity;
}

EMSCRIPTEN_KEEPALIVE void onestop_on_loaded(int ok, int writable, const char* message, double loaded_from_segment) {
  if (onestop::web::g_app)
    onestop::web::g_app->persistence.on_loaded(ok != 0, writable != 0, message ? message : "",
                                               static_cast<uint64_t>(loaded_from_segment));
}

EMSCRIPTEN_KEEPALIVE void onestop_on_rest_loaded(int ok, const char* message) {
  using onestop::web::g_app;
  if (!g_app) return;
  g_app->persistence.on_rest_loaded(ok != 0);
  onestop::app::rest_loaded(g_app->state, ok != 0, message ? message : "");
  g_app->active_frames = onestop::web::kFramesAfterActivity;
}

EMSCRIPTEN_KEEPALIVE void onestop_on_storage(double usage, double quota, int persisted) {
  if (!onestop::web::g_app) return;
  onestop::app::StorageInfo info;
  info.known = quota > 0;
  info.usage_bytes = usage;
  info.quota_bytes = quota;
  info.persisted = persisted != 0;
  onestop::web::g_app->persistence.on_storage(info);
  onestop::web::g_app->active_frames = onestop::web::kFramesAfterActivity;
}

EMSCRIPTEN_KEEPALIVE void onestop_on_synced(int ok, const char* message) {
  if (onestop::web::g_app) onestop::web::g_app->persistence.on_synced(ok != 0, message ? message : "");
}

// A file the clerk chose (backup to restore): JavaScript copies it into memory from here.
EMSCRIPTEN_KEEPALIVE char* onestop_alloc(size_t size) { return static_cast<char*>(std::malloc(size ? size : 1)); }

EMSCRIPTEN_KEEPALIVE void onestop_backup_chosen(char* data, size_t size) {
  if (onestop::web::g_app) {
    onestop::app::backup_file_chosen(onestop::web::g_app->state, std::string_view(data, size));
    onestop::web::g_app->active_frames = onestop::web::kFramesAfterActivity;
  }
  std::free(data);
}

// Writes a state snapshot now instead of at the next quiet moment (automation, maintenance).
EMSCRIPTEN_KEEPALIVE int onestop_snapshot_now() {
  using onestop::web::g_app;
  if (!g_app || !g_app->state.ledger || !g_app->state.can_edit()) return 0;
  const bool ok = g_app->state.ledger->write_snapshot().ok();
  onestop::app::sync_ledger_files(g_app->state);
  g_app->active_frames = onestop::web::kFramesAfterActivity;
  return ok ? 1 : 0;
}

// Registers `cases` demo cases (every process and outcome, core/demo.h) through the ledger, as
// `onestop demo` does natively: for demonstrations to management and for tests. Returns the
// events written, -1 when this tab cannot write.
EMSCRIPTEN_KEEPALIVE int onestop_demo_cases(int cases, int seed) {
  using onestop::web::g_app;
  if (!g_app || !g_app->state.ledger || !g_app->state.can_edit() || cases <= 0) return -1;
  auto& state = g_app->state;
  size_t events = 0;
  onestop::app::submit(state, [&](onestop::Engine& engine) {
    onestop::DemoOptions o;
    o.cases = static_cast<size_t>(cases);
    o.seed = static_cast<uint64_t>(seed);
    events = onestop::run_demo(engine, onestop::builtin_processes(), state.directory, o,
                               [&] { return state.ledger->retry().ok(); })
                 .events;
    return onestop::Result{};
  });
  g_app->active_frames = onestop::web::kFramesAfterActivity;
  return state.ledger->commit_status().ok() ? static_cast<int>(events) : -1;
}

EMSCRIPTEN_KEEPALIVE void onestop_flush() {
  if (onestop::web::g_app) onestop::web::g_app->persistence.flush();
}

}  // extern "C"

int main() {
  static onestop::web::WebApp app;
  onestop::web::g_app = &app;
  if (!onestop::web::init(app)) {
    EM_ASM({ if (Module.onestopFatal) Module.onestopFatal('WebGL2'); });
    return 1;
  }
  EM_ASM({ if (Module.onestopStarted) Module.onestopStarted(); });
  emscripten_set_main_loop_arg(onestop::web::frame, &app, 0, true);
  return 0;
}
