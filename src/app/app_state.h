#pragma once
// Everything the panels draw from and act on. Panels read the core objects here and change them
// only through core calls; the platform layer fills in the services (persistence, clock).
#include <string>
#include <vector>

#include "core/settings.h"

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
  virtual void files_changed(const std::vector<std::string>& written,
                             const std::vector<std::string>& removed) = 0;
};

struct AppState {
  Settings settings;
  Persistence* persistence = nullptr;
  bool ready = false;  // the store has loaded and the settings have been read
  std::string load_warning;  // shown once when the saved state could not be read
  std::string search_text;   // the quick-search box on the home panel
  bool show_about = false;

  bool show_settings = false;

  Lang lang() const { return settings.language; }
  // Panels offer changes only when the store is loaded and this tab owns it.
  bool can_edit() const { return ready && persistence && !persistence->read_only(); }
};

inline constexpr const char* kSettingsFile = "settings.json";

// Writes the settings through the persistence service; every panel that changes them calls it.
void save_settings(AppState& state);

}  // namespace onestop::app
