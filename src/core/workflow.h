#pragma once
// The event-sourced workflow engine.
//
// State is the fold of events: State::apply(Event) is the only way it changes, and it needs
// nothing but the event (no definitions, no calendar), so replaying the same events rebuilds the
// same state at every site.
//
// Engine turns commands into events. A command is checked completely — against the process
// definition, the case's state and the actor's roles and department — before any event is
// written; an invalid command returns a Problem (Chinese and English) and changes nothing. A
// valid one writes one or more events: each is numbered (site, seq), applied to the state, and
// handed to the sink (the store), in that order.
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/calendar.h"
#include "core/event.h"
#include "core/flat_map.h"
#include "core/index.h"
#include "core/model.h"
#include "core/problem.h"
#include "core/process.h"

namespace onestop {

// Applies a case event to a case (Accepted starts from an empty Case); new strings and list
// room come from `arena`. Used by State::apply and by the engine to try a command out on a copy.
void apply_to_case(Case& c, Arena& arena, const Event& e);

// The cases of a State in order of acceptance, in blocks of a fixed size: a case never moves
// once added (indexes and callers keep pointers to cases), and adding one allocates only when a
// block fills (a std::deque of an element as large as Case allocates a node per element).
class CaseList {
 public:
  static constexpr size_t kBlock = 64;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Case;
    using difference_type = std::ptrdiff_t;
    using pointer = const Case*;
    using reference = const Case&;
    const_iterator() = default;
    const_iterator(const CaseList* list, size_t i) : list_(list), i_(i) {}
    const Case& operator*() const { return (*list_)[i_]; }
    const Case* operator->() const { return &(*list_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const CaseList* list_ = nullptr;
    size_t i_ = 0;
  };

  CaseList() = default;
  CaseList(const CaseList&) = delete;
  CaseList& operator=(const CaseList&) = delete;
  CaseList(CaseList&& o) noexcept { swap(o); }
  CaseList& operator=(CaseList&& o) noexcept {
    swap(o);
    return *this;
  }
  ~CaseList() = default;  // the cases' memory belongs to the State's arena

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Case& operator[](size_t i) const { return blocks_[i / kBlock][i % kBlock]; }
  Case& operator[](size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const Case& back() const { return (*this)[size_ - 1]; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }
  Case& emplace_back(Arena& arena);  // a default Case at the end; a new block from `arena`

 private:
  void swap(CaseList& o) noexcept {
    blocks_.swap(o.blocks_);
    std::swap(size_, o.size_);
  }
  std::vector<Case*> blocks_;  // each of kBlock cases in an arena, constructed up to size_
  size_t size_ = 0;
};

// Whether a State maintains the query indexes (core/index.h). A state used only to check or
// replay events can do without them.
enum class Indexing : uint8_t { on, off };

class State {
 public:
  explicit State(Indexing indexing = Indexing::on) : indexing_(indexing) {}
  // Movable, not copyable (the number index views strings inside the cases).
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  State(State&&) = default;
  State& operator=(State&&) = default;
  ~State() = default;

  // Folds one event. Events of one site must come in their seq order; an event whose seq is not
  // after the last one seen from its site is ignored as already applied (returns false).
  bool apply(const Event& e);

  // A case, whole: after a snapshot load, a case whose details are still put off (below) has
  // them decoded here first.
  const Case* find(std::string_view number) const;
  std::optional<CaseRef> ref_of(std::string_view number) const;
  const Case& at(CaseRef ref) const {
    if (deferred_) load_details(ref);
    return cases_[ref];
  }
  size_t case_count() const { return cases_.size(); }
  // Every case, whole (completes the put-off details first).
  const CaseList& cases() const {
    if (deferred_) load_all_details();
    return cases_;
  }
  // Every case as it is now: only the head members are sure to be there (put_head in
  // core/snapshot.cpp: identity, customer, keys, workflow position, deadlines and clocks — what
  // lists and indexes show), the details (demand, result, visit, remarks, documents,
  // signatures, fields, links, escalation, history) may still be put off. For lists drawn
  // right after opening, which must not wait for every case's details.
  const CaseList& case_heads() const { return cases_; }
  // A customer by number (a copy), or nullopt.
  std::optional<Customer> customer(std::string_view number) const;
  size_t customer_count() const { return customers_.size(); }
  uint64_t last_seq(std::string_view site) const;
  // The highest case counter used at `site` on `day` (case numbers SITE-YYYYMMDD-NNNN).
  int last_case_counter(std::string_view site, Date day) const;
  const CaseIndex& index() const { return index_; }
  // Cases whose searchable fields (search_fields) contain the text, newest first (CaseIndex).
  TextIndex::Result find_text(std::string_view query, size_t limit = 200) const;
  size_t events_applied() const { return applied_; }
  // Bytes of the blocks holding the cases and their strings and lists (for memory figures).
  size_t arena_bytes() const { return arena_.bytes_reserved(); }
  // Completes, `max_cases` at a time, what a snapshot load put off: the cases' details, then
  // the search texts and their postings (TextIndex::defer, set_later); true once complete.
  bool complete_step(size_t max_cases);
  // Puts off the search texts of the cases added or changed from now on, as a snapshot load
  // does, until complete_step: for a fold of many events (Ledger::open's replay), where posting
  // them afterwards in one pass costs less than one case at a time amid the fold (the lists
  // stay in the cache; docs/performance.md). Text queries stay exact meanwhile.
  void defer_text() {
    if (indexing_ == Indexing::on) index_.defer_text();
  }
  // Why a put-off case detail could not be decoded ("" when all went well). The snapshot's
  // checksum is checked on open, so this means a snapshot this build wrote wrongly; such a
  // state must not be written as a snapshot again (Ledger::write_snapshot refuses).
  const std::string& details_error() const { return details_error_; }

  // Same cases (by number), customers and per-site sequences; indexes are derived from these.
  bool same_as(const State& other) const;

  // Snapshots (core/snapshot.cpp): the cases, customers and per-site sequences as bytes, and a
  // state rebuilt from them, indexes included; nullopt with `error` set when the bytes are not
  // a snapshot this build reads (damaged, or written by another version).
  // snapshot() writes it at once; SnapshotWriter (below) a slice at a time.
  std::string snapshot() const;
  static std::optional<State> from_snapshot(std::string_view bytes, Indexing indexing,
                                            std::string& error);
  // The same from a snapshot handed over in pieces: each call gives the next (valid until the
  // following call), an empty one at the end. The snapshot is never held whole.
  using ByteSource = std::function<std::string_view()>;
  static std::optional<State> from_snapshot(const ByteSource& next, Indexing indexing,
                                            std::string& error);

 private:
  friend class SnapshotWriter;
  struct SiteInfo {
    Key site;
    uint64_t last_seq = 0;
    std::unordered_map<int32_t, int> counters;  // day -> highest case counter that day
    bool operator==(const SiteInfo&) const = default;
  };
  SiteInfo& site_info(Key site);
  std::optional<CaseRef> lookup(std::string_view number) const;
  // Enters a new case's number as `ref`; false when the number is there already.
  bool add_number(std::string_view number, CaseRef ref);
  const SiteInfo* find_site(Key site) const;
  // The customer with that number, to overwrite: the one kept, or a new one added whose
  // members (its number too) the caller sets at once.
  CustomerRecord& customer_entry(std::string_view number);
  const CustomerRecord* find_customer(std::string_view number) const;

  // The details of the cases a snapshot load put off (core/snapshot.cpp): still compressed,
  // decoded on first use (at, find, cases, apply) or by complete_step. Null when none are.
  struct DeferredDetails;
  void load_details(CaseRef ref) const;  // logically const: the case was already there
  void load_all_details() const;
  bool details_step(size_t max_cases);

  Indexing indexing_;
  std::shared_ptr<DeferredDetails> deferred_;  // shared_ptr: the type is complete only there
  std::string details_error_;
  Arena arena_;  // the strings and lists of the cases: declared before them, freed after
  CaseList cases_;
  NumberedIds case_ids_;  // case number -> ref
  // Customers in order of first save, found by the number's hash. (An unordered_map of customers
  // took about a fifth of a fold's time; docs/performance.md.)
  std::vector<CustomerRecord> customers_;
  KeyedIds customer_ids_;  // customer number -> index in customers_
  std::vector<SiteInfo> sites_;  // few sites: a short list
  CaseIndex index_;
  size_t applied_ = 0;
};

// Writes a state's snapshot (the same bytes as State::snapshot) a slice of cases at a time, so
// that the app can spread a big state's encoding over frames instead of stopping the page for
// it (about 0.15 s natively and 0.7 s in the browser at 100,000 cases). The state must not
// change meanwhile: once it has applied an event the writer is stale() and writes nothing more.
class SnapshotWriter {
 public:
  explicit SnapshotWriter(const State& state);
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;
  // Writes up to `max_items` more customers or cases (the first call also the per-site
  // sequences); true once all are written. Does nothing and returns false when stale().
  bool step(size_t max_items);
  bool stale() const;
  // The snapshot, once step() has returned true; empty when stale().
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Commands ----------------------------------------------------------------------------
// Every command names its actor (a staff badge) and the time it is given.

struct AcceptCmd {
  std::string actor;
  Millis time = 0;
  std::string matter;  // routing row key (Attachment 1)
  std::string customer_no, customer_name, address, phone;  // empty ones come from the record
  std::optional<CustomerType> customer_type;               // default: the record's, else residential
  std::string demand, remarks;
  std::string responsible_person;  // optional: a badge in the handling department
  std::vector<ev::FieldValue> fields;  // other form fields
  std::vector<std::string> documents;  // documents received now
  std::vector<ev::Sign> signatures;    // for the first step
  std::string outcome;                 // for the first step, when it branches
  // The first step cannot be done now (e.g. documents missing): the case is registered and its
  // clock paused with this reason, telling the customer what to bring.
  bool hold = false;
  std::string hold_reason;
  std::vector<std::string> documents_needed;
};

struct ActCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id;
  std::string step;  // the step acted on: must be the current one (empty: the current one)
  std::string outcome;
  std::vector<ev::FieldValue> fields;
  std::vector<std::string> documents;
  std::vector<ev::Sign> signatures;  // the actor signs for his own roles if not listed
  std::string note;
};

struct TransferCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id, dept, person, note;
};
struct PauseCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id, reason;
  std::vector<std::string> documents_needed;
};
struct ResumeCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id;
  std::vector<std::string> documents;  // documents the customer brought
  std::string note;
};
struct ReplyCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id, result;
};
struct VisitCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id;
  int rating = 0;  // 1–5
  std::string comment;
};
struct CloseCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id, note;
};
struct ReopenCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id, reason;
  std::string step;  // default: the step after the counter's first step
};
struct LinkCmd {  // mark duplicate / link follow-up
  std::string actor;
  Millis time = 0;
  std::string case_id, other;
};
struct ChaseCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id, note;
  bool customer_informed = false;
};
struct ReportCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id, cause;
  std::string dept;  // department at fault; default: the one recorded when it fell overdue
};
struct RuleCmd {
  std::string actor;
  Millis time = 0;
  std::string case_id;
  bool accountable = false;
  std::string finding;
};
struct SaveCustomerCmd {
  std::string actor;
  Millis time = 0;
  Customer customer;
};

struct Result {
  bool ok = true;
  Problem problem;            // when !ok
  std::string case_id;        // the case concerned (accept: the new number)
  std::vector<std::string> cases;  // scan_overdue / refresh_deadlines: the cases touched
  size_t events = 0;          // events written
  explicit operator bool() const { return ok; }
};

class Engine {
 public:
  using Sink = std::function<void(const Event&)>;

  // The engine keeps references to `book`, `directory` and `calendar`: they must outlive it.
  Engine(const ProcessBook& book, const Directory& directory, const WorkCalendar& calendar,
         std::string site);

  // Every event written by a command goes here, after it has been applied.
  void set_sink(Sink sink) { sink_ = std::move(sink); }
  const State& state() const { return state_; }
  const std::string& site() const { return site_; }
  // Folds an event written elsewhere (replay from the store, another site).
  bool apply(const Event& e) { return state_.apply(e); }
  void defer_text() { state_.defer_text(); }  // before many apply() calls (State's)
  // Takes over a state rebuilt elsewhere (from a snapshot), replacing the current one.
  void adopt(State state) { state_ = std::move(state); }
  bool complete_step(size_t max_cases) { return state_.complete_step(max_cases); }  // State's

  Result accept(const AcceptCmd& cmd);
  Result act(const ActCmd& cmd);
  Result transfer(const TransferCmd& cmd);
  Result pause(const PauseCmd& cmd);
  Result resume(const ResumeCmd& cmd);
  Result reply(const ReplyCmd& cmd);
  Result visit(const VisitCmd& cmd);
  Result close(const CloseCmd& cmd);
  Result reopen(const ReopenCmd& cmd);
  Result mark_duplicate(const LinkCmd& cmd);
  Result link_follow_up(const LinkCmd& cmd);
  // §6 escalation: marks every case whose clock ran out before today's date as overdue.
  Result scan_overdue(const std::string& actor, Millis now);
  Result chase(const ChaseCmd& cmd);
  Result report(const ReportCmd& cmd);
  Result rule(const RuleCmd& cmd);
  Result save_customer(const SaveCustomerCmd& cmd);
  // Recomputes provisional deadlines (after a year's holiday notice was entered).
  Result refresh_deadlines(const std::string& actor, Millis now);

  // Queries (served from the indexes).
  std::vector<const Case*> cases_of_customer(std::string_view customer_no) const;
  std::vector<const Case*> inbox(std::string_view dept) const;
  std::vector<const Case*> due_on(Date day) const;
  // Due today or on the next working day (≤ 1 working day left).
  std::vector<const Case*> due_soon(Date today) const;
  std::vector<const Case*> overdue(Date today) const;
  std::vector<const Case*> search(std::string_view text, size_t limit = 200) const;

  // The number the next case accepted here on `day` gets.
  std::string next_case_number(Date day) const;

 private:
  struct Pending;  // events of one command, tried on a copy of the case first
  const Staff* staff(std::string_view badge) const { return directory_.find_staff(badge); }
  Result commit(std::vector<Event>& events, std::string case_id);
  Event make(const std::string& actor, Millis time, const std::string& case_id,
             Payload payload) const;
  std::vector<const Case*> resolve(std::span<const CaseRef> refs) const;

  const ProcessBook& book_;
  const Directory& directory_;
  const WorkCalendar& calendar_;
  std::string site_;
  State state_;
  Sink sink_;
};

}  // namespace onestop
