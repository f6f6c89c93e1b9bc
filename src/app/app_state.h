#pragma once
// Everything the panels draw from and act on. Panels read the core objects here and change them
// only through core calls; the platform layer fills in the services (persistence, clock).
#include <string>

#include "core/settings.h"

namespace onestop::app {

// Where the store stands, for the saving / saved / error indicator.
enum class StoreState { loading, idle, saving, error };

// Implemented by the platform (IDBFS in the browser). Writes are durable only once `state()`
// is back to idle after them.
class Persistence {
 public:
  virtual ~Persistence() = default;
  virtual StoreState state() const = 0;
  virtual const std::string& last_error() const = 0;
  // Replaces the named file atomically and schedules a sync.
  virtual void save_file(const std::string& name, const std::string& bytes) = 0;
};

struct AppState {
  Settings settings;
  Persistence* persistence = nullptr;
  bool ready = false;  // the store has loaded and the settings have been read
  std::string load_warning;  // shown once when the saved state could not be read
  std::string search_text;   // the quick-search box on the home panel
  bool show_about = false;

  Lang lang() const { return settings.language; }
};

inline constexpr const char* kSettingsFile = "settings.json";

// Writes the settings through the persistence service; every panel that changes them calls it.
void save_settings(AppState& state);

}  // namespace onestop::app
