#include "core/ledger.h"

#include <chrono>
#include <cstdint>

#include "core/store/events.h"

namespace onestop {

namespace {
double ms_since(std::chrono::steady_clock::time_point& t) {
  const auto now = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(now - t).count();
  t = now;
  return ms;
}
}  // namespace

Ledger::Ledger(const Setup& setup, std::unique_ptr<store::Store> store)
    : store_(std::move(store)), engine_(*setup.book, *setup.directory, *setup.calendar, setup.site) {
  engine_.set_sink([this](const Event& e) {
    if (append_status_.ok()) append_status_ = store_->append(store::event_record(e));
  });
}

store::Status Ledger::open(store::Vfs& vfs, const std::string& dir, const Setup& setup,
                           std::unique_ptr<Ledger>& out) {
  auto clock = std::chrono::steady_clock::now();
  OpenTimes times;
  std::unique_ptr<store::Store> s;
  store::OpenOptions options;
  options.create = !setup.read_only;
  options.read_only = setup.read_only;
  options.case_of = store::event_case_of();
  // Opening checks the records it replays (those after the snapshot) and every segment's header;
  // the older records are checked afterwards, a slice at a time (check_step), so that a large
  // store opens in a time that does not grow with its history.
  options.verify_all = false;
  options.loaded_from_segment = setup.loaded_from_segment;
  options.files_in_memory = setup.files_in_memory;
  store::Status st = store::Store::open(vfs, dir, options, s);
  if (!st.ok()) return st;
  times.store = ms_since(clock);
  std::unique_ptr<Ledger> ledger(new Ledger(setup, std::move(s)));
  // Start from the newest snapshot when it can be read; else (none yet, damaged, written by
  // another version) from the first event: the events are the truth, a snapshot only a shortcut.
  uint64_t from = 1;
  if (const auto snap = ledger->store_->snapshot()) {
    // Read a piece at a time and decoded as it comes: the snapshot is never held whole (in
    // the browser, first touching fresh memory is most of an open's time). The pieces are
    // checked by finish(): the state is kept only when the whole payload checks out.
    std::string error;
    store::SnapshotReader reader;
    store::Status read = ledger->store_->open_snapshot(reader);
    times.read = ms_since(clock);
    std::optional<State> state;
    if (read.ok()) {
      state = State::from_snapshot([&reader] { return reader.next(); }, Indexing::on, error);
      read = reader.finish();
      if (!read.ok()) state.reset();
    }
    times.decode = ms_since(clock);
    if (state) {
      ledger->engine_.adopt(std::move(*state));
      ledger->opened_from_snapshot_ = snap->seq;
      from = snap->seq + 1;
    } else {
      ledger->snapshot_note_ = read.ok() ? error : read.to_string();
      ledger->snapshot_unusable_ = true;
    }
  }
  if (from == 1 && ledger->store_->unloaded_segments() > 0)
    return {store::Code::not_loaded, "the snapshot cannot be used (" + ledger->snapshot_note_ +
                                         "): every segment is needed"};
  // apply() folds without calling the sink: these events are already in the store. The text
  // postings of the replayed cases come after, a slice per frame (complete_step).
  ledger->engine_.defer_text();
  uint64_t undecodable = 0;
  st = store::replay_events(*ledger->store_, from,
                            [&](const Event& e) {
                              ledger->engine_.apply(e);
                              return true;
                            },
                            &undecodable);
  if (!st.ok()) return st;
  times.replay = ms_since(clock);
  ledger->open_times_ = times;
  out = std::move(ledger);
  return {};
}

Result Ledger::submit(const std::function<Result(Engine&)>& command) {
  if (read_only()) {
    Result r;
    r.ok = false;
    r.problem = Problem{Text::StoreReadOnlyDamaged, {}};
    return r;
  }
  const size_t before = store_->pending();
  append_status_ = {};
  Result r = command(engine_);
  if (!append_status_.ok()) {
    commit_status_ = append_status_;
    return r;
  }
  if (r.ok || store_->pending() != before) commit_status_ = store_->commit();
  return r;
}

bool Ledger::check_step(uint64_t max_records) {
  if (store_->unloaded_segments() > 0) return false;
  if (checked_to_ >= store_->last_seq() || store_->damaged()) {
    checked_to_ = store_->last_seq();
    return true;
  }
  // Records after the snapshot were read (so checked) on open; later ones as they were written.
  const auto snap = store_->snapshot();
  const uint64_t end = snap ? snap->seq : 0;
  if (checked_to_ >= end) {
    checked_to_ = store_->last_seq();
    return true;
  }
  uint64_t seen = 0;
  const store::Status st = store_->scan(checked_to_ + 1, [&](uint64_t seq, std::string_view) {
    checked_to_ = seq;
    return ++seen < max_records && seq < end;
  });
  // Damage found stops the check: the store is read-only now and damage() names it.
  if (!st.ok() || store_->damaged()) {
    checked_to_ = store_->last_seq();
    return true;
  }
  return false;
}

bool Ledger::snapshot_due(uint64_t min_events) const {
  if (read_only() || store_->pending() != 0) return false;
  if (snapshot_failed_at_ != 0 && snapshot_failed_at_ == store_->last_seq()) return false;
  const uint64_t since = store_->records_since_snapshot();
  // A snapshot this build could not use (another version, after an update) is replaced soon:
  // until then every start replays every event.
  return since >= min_events || (snapshot_unusable_ && since > 0);
}

store::Status Ledger::write_snapshot() {
  snapshot_writer_.reset();
  for (;;)
    if (auto done = snapshot_step(SIZE_MAX)) return *done;
}

std::optional<store::Status> Ledger::snapshot_step(size_t max_items) {
  if (read_only()) {
    snapshot_writer_.reset();
    return store::Status{store::Code::read_only, "the store is read-only"};
  }
  if (store_->pending() != 0) {
    snapshot_writer_.reset();
    return store::Status{store::Code::invalid, "events are waiting to be committed"};
  }
  // A commit since the encoding began: the state it was reading has moved on.
  if (snapshot_writer_ && (snapshot_writer_->stale() || snapshot_seq_ != store_->last_seq()))
    snapshot_writer_.reset();
  if (!snapshot_writer_) {
    if (store_->records_since_snapshot() == 0) return store::Status{};
    snapshot_writer_ = std::make_unique<SnapshotWriter>(engine_.state());
    snapshot_seq_ = store_->last_seq();
  }
  if (!snapshot_writer_->step(max_items)) return std::nullopt;
  std::string bytes = snapshot_writer_->finish();
  snapshot_writer_.reset();
  // A case whose details could not be decoded would go into the new snapshot without them.
  store::Status st;
  if (!engine_.state().details_error().empty())
    st = {store::Code::invalid, "not written: " + engine_.state().details_error()};
  else
    st = store_->write_snapshot(snapshot_seq_, bytes);
  snapshot_failed_at_ = st.ok() ? 0 : snapshot_seq_;
  if (st.ok()) snapshot_unusable_ = false;
  return st;
}

store::Status Ledger::retry() {
  if (store_->pending() == 0 || read_only()) return commit_status_ = {};
  return commit_status_ = store_->commit();
}

}  // namespace onestop
