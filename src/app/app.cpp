#include "app/app.h"

#include <imgui.h>

#include <cstdio>

#include "app/panels.h"
#include "core/demo.h"
#include "core/problem.h"

namespace onestop::app {

void save_settings(AppState& state) {
  if (state.persistence) state.persistence->save_file(kSettingsFile, settings_to_json(state.settings));
}

namespace {
store::PosixVfs& vfs() {
  static store::PosixVfs v;  // MEMFS in the browser, persisted by the platform
  return v;
}
std::string store_dir(const AppState& state) { return state.data_dir + "/" + kStoreDir; }

// The store reports names within its folder; persistence wants names within the data folder.
void persist_store_changes(AppState& state, const store::FileChanges& changes) {
  if (!state.persistence || changes.empty()) return;
  std::vector<std::string> written, removed;
  std::map<std::string, uint64_t> unchanged_prefix;
  const auto in_data = [](const std::string& f) { return std::string(kStoreDir) + "/" + f; };
  for (const auto& f : changes.written) written.push_back(in_data(f));
  for (const auto& f : changes.removed) removed.push_back(in_data(f));
  for (const auto& [f, n] : changes.unchanged_prefix) unchanged_prefix.emplace(in_data(f), n);
  state.persistence->files_changed(written, removed, unchanged_prefix);
}

// A damaged store is open read-only: say what is damaged (the restore is in Settings).
void show_damage(AppState& s) {
  if (s.ledger && s.ledger->read_only() && !s.ledger->store().damage().empty())
    s.ledger_error = Problem{Text::LedgerDamaged, {s.ledger->store().damage().front().describe(s.lang())}}.in(s.lang());
}

}  // namespace

void parse_builtin_rules() {
  builtin_processes();
  WorkCalendar::builtin();
}

void open_ledger(AppState& s) {
  s.ledger.reset();
  s.ledger_error.clear();
  s.case_list = {};
  s.directory = demo_directory(builtin_processes(), s.settings.site_code);
  Ledger::Setup setup;
  setup.book = &builtin_processes();
  setup.directory = &s.directory;
  setup.calendar = &WorkCalendar::builtin();
  setup.site = s.settings.site_code;
  setup.read_only = s.persistence && s.persistence->read_only();
  setup.loaded_from_segment = s.persistence ? s.persistence->loaded_from_segment() : 0;
  setup.files_in_memory = s.persistence && s.persistence->files_in_memory();
  const store::Status st = Ledger::open(vfs(), store_dir(s), setup, s.ledger);
  if (st.code == store::Code::not_loaded && s.persistence) {
    // Rare (the snapshot cannot be used): the replay needs the older segments first.
    s.ledger.reset();
    s.ledger_waits_for_rest = true;
    s.persistence->load_rest();
    return;
  }
  if (!st.ok()) {
    s.ledger.reset();
    // A read-only tab before the first case was ever saved finds no store: nothing to show.
    if (!(setup.read_only && st.code == store::Code::not_found))
      s.ledger_error = Problem{Text::LedgerOpenFailed, {st.to_string()}}.in(s.lang());
    return;
  }
  if (s.persistence) s.persistence->ledger_opened();
  show_damage(s);
  // A new store's first files (or a recovery's repairs) must reach IndexedDB too.
  sync_ledger_files(s);
  if (s.now) s.last_submit = s.now();  // no snapshot in the first quiet seconds after a start
}

void rest_loaded(AppState& s, bool ok, const std::string& message) {
  if (!ok) {
    s.load_warning = Problem{Text::StoreRestFailed, {message}}.in(s.lang());
    if (s.ledger_waits_for_rest) s.ledger_error = Problem{Text::LedgerOpenFailed, {message}}.in(s.lang());
    s.ledger_waits_for_rest = false;
    return;
  }
  if (s.ledger_waits_for_rest) {
    s.ledger_waits_for_rest = false;
    open_ledger(s);
    return;
  }
  if (!s.ledger || s.ledger->all_loaded()) return;
  const store::Status st = s.ledger->segments_loaded();
  if (!st.ok()) s.load_warning = Problem{Text::StoreRestFailed, {st.to_string()}}.in(s.lang());
  show_damage(s);
}

namespace {
// A backup or a restore needs every file of the store in the data folder.
bool rest_missing(AppState& s) {
  if (!s.ledger_waits_for_rest && (!s.ledger || s.ledger->all_loaded())) return false;
  s.backup_message = tr(Text::BackupWaitRest, s.lang());
  s.backup_message_is_error = true;
  return true;
}
}  // namespace

void make_backup(AppState& s) {
  if (rest_missing(s)) return;
  std::string bytes;
  const store::Status st = store::backup_make(vfs(), store_dir(s), bytes);
  if (!st.ok()) {
    s.backup_message = Problem{Text::BackupFailed, {st.to_string()}}.in(s.lang());
    s.backup_message_is_error = true;
    return;
  }
  char name[96];
  const Date today = china_date_of(s.now ? s.now() : 0);
  std::snprintf(name, sizeof name, "onestop-%s-%s.backup", s.settings.site_code.c_str(), format_date(today).c_str());
  if (s.platform) s.platform->download(name, bytes);
  s.backup_message = Problem{Text::BackupMade, {name, std::to_string(bytes.size())}}.in(s.lang());
  s.backup_message_is_error = false;
}

void backup_file_chosen(AppState& s, std::string_view bytes) {
  auto pending = std::make_unique<PendingRestore>();
  std::string problem;
  const store::Status st = store::backup_check(bytes, pending->files, pending->summary, problem);
  if (!st.ok()) {
    s.pending_restore.reset();
    s.backup_message = Problem{Text::RestoreRefused, {problem}}.in(s.lang());
    s.backup_message_is_error = true;
    return;
  }
  s.backup_message.clear();
  s.pending_restore = std::move(pending);
}

void confirm_restore(AppState& s) {
  if (!s.pending_restore || !s.persistence || s.persistence->read_only()) return;
  if (rest_missing(s)) return;  // the old files would come back over the restored ones
  const auto pending = std::move(s.pending_restore);
  s.ledger.reset();  // no Store may hold the folder while its files are replaced
  store::FileChanges changes;
  const store::Status st = store::backup_restore(vfs(), store_dir(s), pending->files, changes);
  // One IndexedDB transaction: the stored copy switches from the old store to the new at once.
  persist_store_changes(s, changes);
  open_ledger(s);
  if (!st.ok()) {
    s.backup_message = Problem{Text::RestoreFailed, {st.to_string()}}.in(s.lang());
    s.backup_message_is_error = true;
    return;
  }
  s.backup_message = Problem{Text::RestoreDone, {std::to_string(pending->summary.records)}}.in(s.lang());
  s.backup_message_is_error = false;
}

void sync_ledger_files(AppState& state) {
  if (state.ledger) persist_store_changes(state, state.ledger->take_changes());
}

Result submit(AppState& state, const std::function<Result(Engine&)>& command) {
  Result r = state.ledger->submit(command);
  if (state.now) state.last_submit = state.now();
  sync_ledger_files(state);
  return r;
}

bool check_store_step(AppState& state) {
  if (!state.ledger || state.ledger->checked()) return false;
  const bool was_read_only = state.ledger->read_only();
  state.ledger->check_step(kCheckSliceRecords);
  if (was_read_only || !state.ledger->read_only()) return false;
  show_damage(state);
  return true;
}

bool complete_step(AppState& state) {
  if (!state.ledger) return false;
  return !state.ledger->complete_step(kCompleteSliceCases);
}

bool snapshot_when_quiet(AppState& state) {
  if (!state.ledger || !state.can_edit() || !state.now) return false;
  if (state.now() - state.last_submit < kSnapshotQuietMillis) return false;
  // Due is checked when a snapshot begins; once begun it goes on (a commit restarts it).
  if (!state.ledger->snapshot_under_way() && !state.ledger->snapshot_due(kSnapshotEvery))
    return false;
  const auto done = state.ledger->snapshot_step(kSnapshotSliceItems);
  if (!done) return false;
  sync_ledger_files(state);
  // A failure (a full disk, say) is not the clerk's concern now: the events are all saved; the
  // ledger tries again once more events are committed (Ledger::snapshot_due), and the store's
  // own error shows if the disk stays full.
  return done->ok();
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
  if (ImGui::BeginTabBar("##work")) {
    if (ImGui::BeginTabItem(tr(Text::TabIntake, state.lang()))) {
      draw_intake_panel(state);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(tr(Text::TabCases, state.lang()))) {
      draw_case_list_panel(state);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
  draw_status_bar(state, status_height);
  ImGui::End();
  draw_about_window(state);
  draw_settings_window(state);
}

}  // namespace onestop::app
