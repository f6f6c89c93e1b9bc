#pragma once
// The ledger: the workflow engine bound to its event store. Opening replays the store into the
// engine; every command the engine accepts is appended and committed before submit() returns.
// The browser app and the command line use it the same way; only the Vfs differs.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/calendar.h"
#include "core/process.h"
#include "core/store/store.h"
#include "core/workflow.h"

namespace onestop {

class Ledger {
 public:
  struct Setup {
    const ProcessBook* book = nullptr;
    const Directory* directory = nullptr;
    const WorkCalendar* calendar = nullptr;
    std::string site;
    bool read_only = false;  // another tab owns the store: read it, never write or create it
    // Segments below this number are not loaded yet (store::OpenOptions::loaded_from_segment):
    // opening needs only the snapshot and the segments after it. When they are needed after
    // all (no usable snapshot), open() returns not_loaded: load them and open again.
    uint64_t loaded_from_segment = 0;
    bool files_in_memory = false;  // store::OpenOptions::files_in_memory (the browser's MEMFS)
  };

  // Opens (creating when absent) the store in `dir` and replays it. A damaged store opens
  // read-only: read_only() and store().damage() tell why; nothing is ever written to it.
  static store::Status open(store::Vfs& vfs, const std::string& dir, const Setup& setup,
                            std::unique_ptr<Ledger>& out);

  const Engine& engine() const { return engine_; }
  const store::Store& store() const { return *store_; }
  bool read_only() const { return store_->read_only(); }

  // Runs one engine command. When the engine accepts it, its events are appended to the store
  // and committed; `commit_status()` tells whether that commit succeeded. A failed commit keeps
  // the events (in memory and pending in the store): the next submit, or retry(), commits them.
  Result submit(const std::function<Result(Engine&)>& command);
  store::Status retry();
  const store::Status& commit_status() const { return commit_status_; }
  size_t uncommitted() const { return store_->pending(); }

  // Files changed since the last call (the web layer persists exactly these).
  store::FileChanges take_changes() { return store_->take_changes(); }

  // Opening checks only the records it replays; the older ones (before the snapshot) are
  // checked by calling check_step() until it returns true, each call reading at most
  // `max_records` records. Damage found makes the store read-only (read_only(), and
  // store().damage() names it), exactly as if it had been found on open.
  // Until the older segments are loaded (Setup::loaded_from_segment) it checks nothing.
  bool check_step(uint64_t max_records);
  // After opening from a snapshot, completes what it put off (the cases' details, the text
  // postings), `max_cases` per call (the platform calls it every frame after the first); true
  // once complete. State::complete_step.
  bool complete_step(size_t max_cases) { return engine_.complete_step(max_cases); }
  // The older segments are in the store's folder now: checks their headers (damage makes the
  // store read-only, as on open); check_step() goes on to their records.
  store::Status segments_loaded() { return store_->segments_loaded(); }
  bool all_loaded() const { return store_->unloaded_segments() == 0; }
  bool checked() const { return checked_to_ >= store_->last_seq(); }

  // Snapshots: opening replays only the events after the newest one. Writing one costs time in
  // proportion to the whole state (and on the web a file of that size to store), so the caller
  // chooses the moment — when the counter is quiet — and snapshot_due() says whether at least
  // `min_events` events were committed since the last one (and nothing waits to be committed),
  // or any were since a snapshot that could not be used on open (written by another version);
  // after a snapshot that could not be written, not before another record is committed.
  bool snapshot_due(uint64_t min_events) const;
  // Writes a snapshot now, whole (a started snapshot_step is dropped).
  store::Status write_snapshot();
  // The same spread over calls (the app makes one a frame while the counter is quiet): each
  // encodes up to `max_items` customers or cases; nullopt while unfinished, then how the write
  // went. A commit in between makes the encoding stale: the next call starts over.
  std::optional<store::Status> snapshot_step(size_t max_items);
  bool snapshot_under_way() const { return snapshot_writer_ != nullptr; }
  // Why the newest snapshot was not used on open ("" when it was, or there was none).
  const std::string& snapshot_note() const { return snapshot_note_; }
  // The record the snapshot used on open was taken after (0: every event was replayed).
  uint64_t opened_from_snapshot() const { return opened_from_snapshot_; }
  // Where open() spent its time, in ms (for docs/performance.md and the debug view).
  struct OpenTimes {
    double store = 0;     // Store::open: manifest, segment headers, the records after the snapshot
    double read = 0;      // the snapshot file opened (its header checked)
    double decode = 0;    // read a piece at a time, decoded (State::from_snapshot, indexes
                          // included) and its checksum checked
    double replay = 0;    // the events after the snapshot
  };
  const OpenTimes& open_times() const { return open_times_; }

 private:
  Ledger(const Setup& setup, std::unique_ptr<store::Store> store);

  std::unique_ptr<store::Store> store_;
  Engine engine_;
  store::Status commit_status_;
  store::Status append_status_;
  std::string snapshot_note_;
  uint64_t opened_from_snapshot_ = 0;
  bool snapshot_unusable_ = false;
  OpenTimes open_times_;  // the newest snapshot could not be used: replace it soon
  uint64_t checked_to_ = 0;  // records 1..checked_to_ are known intact
  std::unique_ptr<SnapshotWriter> snapshot_writer_;  // a snapshot_step under way
  uint64_t snapshot_seq_ = 0;                        // the record it is taken after
  // The last record when a snapshot could not be written: none is due again before more records
  // come (else a quiet counter would encode the whole state again and again, in vain).
  uint64_t snapshot_failed_at_ = 0;
};

}  // namespace onestop
