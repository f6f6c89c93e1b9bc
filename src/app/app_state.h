#pragma once
// Everything the panels draw from and act on. Panels read the core objects here and change them
// only through core calls; the platform layer fills in the services (persistence, clock).
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/ledger.h"
#include "core/settings.h"
#include "core/store/backup.h"

namespace onestop::app {

// Where the store stands, for the saving / saved / error indicator.
enum class StoreState { loading, idle, saving, error };

// What the browser says about its storage for this app (Settings panel).
struct StorageInfo {
  bool known = false;       // the browser answered navigator.storage.estimate()
  double usage_bytes = 0;
  double quota_bytes = 0;
  bool persisted = false;   // navigator.storage.persist() granted: no eviction under pressure
};

// Implemented by the platform (IDBFS in the browser). Writes are durable only once `state()`
// is back to idle after them.
class Persistence {
 public:
  virtual ~Persistence() = default;
  virtual StoreState state() const = 0;
  virtual const std::string& last_error() const = 0;
  // Another tab holds the store: this one shows the data but must not change it.
  virtual bool read_only() const = 0;
  virtual const StorageInfo& storage() const = 0;
  // Replaces the named file atomically and schedules a sync.
  virtual void save_file(const std::string& name, const std::string& bytes) = 0;
  // Files (names relative to the data folder) that someone else changed: schedules their sync.
  // `unchanged_prefix` names files of `written` that only grew, with the length of their start
  // unchanged since they were last handed over: only the bytes after it need storing.
  virtual void files_changed(const std::vector<std::string>& written,
                             const std::vector<std::string>& removed,
                             const std::map<std::string, uint64_t>& unchanged_prefix) = 0;
  // The store's older segments may be left in storage at start, so that opening does not grow
  // with the history: segments numbered below this are not in the data folder yet (0: every
  // file is). load_rest() fetches them; the platform then calls rest_loaded().
  virtual uint64_t loaded_from_segment() const { return 0; }
  // The data folder is in memory and made durable by this persistence, every file a change
  // touched at once (store::OpenOptions::files_in_memory): no temporary files needed.
  virtual bool files_in_memory() const { return false; }
  virtual void load_rest() {}
  // The ledger opened from the loaded files: a platform may note what the open needed (the web
  // notes the heap's size, to warm that much memory up while the next start loads).
  virtual void ledger_opened() {}
};

// The registration form's fields while the clerk fills it in.
struct IntakeForm {
  int matter = 0;  // index into the process book's routing rows
  std::string customer_no, customer_name, phone, address, demand;
  std::string message;  // the last result: case registered, or why not
  bool message_is_error = false;
};

// The case list's view: recomputed only when the query or the data changes, not every frame.
struct CaseListView {
  std::string query;
  size_t events_seen = static_cast<size_t>(-1);
  std::vector<const Case*> rows;
};

// Browser services the panels ask for (implemented by the platform layer).
class Platform {
 public:
  virtual ~Platform() = default;
  // Offers `bytes` to the user as a file download.
  virtual void download(const std::string& file_name, const std::string& bytes) = 0;
  // Opens a file chooser; the chosen file arrives through backup_file_chosen().
  virtual void choose_backup_file() = 0;
};

// A backup the clerk chose, checked, waiting for the confirmation to replace the data.
struct PendingRestore {
  std::vector<store::BackupFile> files;
  store::BackupSummary summary;
};

struct AppState {
  Settings settings;
  Persistence* persistence = nullptr;
  bool ready = false;  // the store has loaded and the settings have been read
  std::string load_warning;  // shown once when the saved state could not be read
  std::string search_text;   // the quick-search box on the home panel
  bool show_about = false;

  bool show_settings = false;

  // The cases: engine + store. Null until the store has loaded (or when it cannot be opened:
  // ledger_error says why).
  Platform* platform = nullptr;
  std::string data_dir;  // the folder persistence keeps (the store is data_dir/kStoreDir)
  std::string backup_message;
  bool backup_message_is_error = false;
  std::unique_ptr<PendingRestore> pending_restore;
  Directory directory;
  std::unique_ptr<Ledger> ledger;
  std::string ledger_error;
  // The ledger could not open without the older segments (no usable snapshot): it opens once
  // they have arrived (rest_loaded).
  bool ledger_waits_for_rest = false;
  std::string actor = "WINDOW-ACCEPTOR";  // the clerk's badge (staff management comes later)
  Millis (*now)() = nullptr;             // the platform's clock
  Millis last_submit = 0;                // when the ledger last took a command (now())
  IntakeForm intake;
  CaseListView case_list;

  Lang lang() const { return settings.language; }
  // Panels offer changes only when the store is loaded and this tab owns it.
  bool can_edit() const { return ready && persistence && !persistence->read_only(); }
};

inline constexpr const char* kSettingsFile = "settings.json";

// Writes the settings through the persistence service; every panel that changes them calls it.
void save_settings(AppState& state);

inline constexpr const char* kStoreDir = "store";  // the ledger's folder in the data folder

// Opens (creating on first use) the ledger in the loaded data folder; errors in ledger_error.
void open_ledger(AppState& state);
// Parses the built-in process definitions and work calendar, which open_ledger needs, ahead of
// it (a platform calls it while the store is still loading; otherwise the open parses them).
void parse_builtin_rules();
// The older segments the store opened without (Persistence::loaded_from_segment) are in the data
// folder now (ok), or could not be read (message): the ledger checks them, or opens now.
void rest_loaded(AppState& state, bool ok, const std::string& message);
// Backup and restore of the whole store (Settings panel); both wait for the older segments.
void make_backup(AppState& state);
void backup_file_chosen(AppState& state, std::string_view bytes);
void confirm_restore(AppState& state);

// Schedules the sync of the files the ledger changed (a commit, a new store, a recovery).
void sync_ledger_files(AppState& state);
// Runs a command through the ledger and schedules the sync of what it wrote.
Result submit(AppState& state, const std::function<Result(Engine&)>& command);

// A state snapshot lets the next start skip replaying old events, but writing one costs time in
// proportion to all cases: it is written when the counter has been quiet for kSnapshotQuietMillis
// and at least kSnapshotEvery events were committed since the last, encoded kSnapshotSliceItems
// customers or cases a call so that the page never stops for long (Ledger::snapshot_step: about
// 10 ms a slice in the browser here; the whole state at once took 0.7 s at 100,000 cases). The
// platform calls this regularly (every frame, drawn or not); true when a snapshot was written.
inline constexpr Millis kSnapshotQuietMillis = 5000;
inline constexpr uint64_t kSnapshotEvery = 2000;
inline constexpr size_t kSnapshotSliceItems = 2000;
bool snapshot_when_quiet(AppState& state);

// Checks the next slice of the store's older records (opening checked only the newest; see
// Ledger::check_step). The platform calls it every frame until the store is checked; damage
// found makes the ledger read-only and is shown like damage found on open. True when something
// changed on screen.
inline constexpr uint64_t kCheckSliceRecords = 20000;
bool check_store_step(AppState& state);

// Completes the next slice of what opening from a snapshot put off (the cases' details, then
// the text postings; a case is decoded whole when it is used first, and searches are exact
// meanwhile, only slower). The platform calls it every frame after the first usable one; true
// while there was work.
inline constexpr size_t kCompleteSliceCases = 5000;
bool complete_step(AppState& state);

}  // namespace onestop::app
