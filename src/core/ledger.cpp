#include "core/ledger.h"

#include "core/store/events.h"

namespace onestop {

Ledger::Ledger(const Setup& setup, std::unique_ptr<store::Store> store)
    : store_(std::move(store)), engine_(*setup.book, *setup.directory, *setup.calendar, setup.site) {
  engine_.set_sink([this](const Event& e) {
    if (append_status_.ok()) append_status_ = store_->append(store::event_record(e));
  });
}

store::Status Ledger::open(store::Vfs& vfs, const std::string& dir, const Setup& setup,
                           std::unique_ptr<Ledger>& out) {
  std::unique_ptr<store::Store> s;
  store::OpenOptions options;
  options.create = !setup.read_only;
  options.read_only = setup.read_only;
  options.case_of = store::event_case_of();
  store::Status st = store::Store::open(vfs, dir, options, s);
  if (!st.ok()) return st;
  std::unique_ptr<Ledger> ledger(new Ledger(setup, std::move(s)));
  // apply() folds without calling the sink: these events are already in the store.
  uint64_t undecodable = 0;
  st = store::replay_events(*ledger->store_, 1,
                            [&](const Event& e) {
                              ledger->engine_.apply(e);
                              return true;
                            },
                            &undecodable);
  if (!st.ok()) return st;
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

store::Status Ledger::retry() {
  if (store_->pending() == 0 || read_only()) return commit_status_ = {};
  return commit_status_ = store_->commit();
}

}  // namespace onestop
