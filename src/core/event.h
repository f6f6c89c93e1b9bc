#pragma once
// Events: every change of the domain state is one immutable event. A case's state is the fold of
// its events (core/workflow.h). An event is identified by (site, seq): each site numbers its own
// events 1, 2, 3 … without asking anyone, so branch counters can work offline.
//
// Events carry every value their application needs (the step reached, its department, deadlines
// already computed from the calendar), so folding needs neither the process definitions nor the
// calendar: replaying the same events always gives the same state.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace onestop {

// A heap-allocated value with value semantics, to keep the big payloads out of the variant.
template <typename T>
class Box {
 public:
  Box() : p_(std::make_unique<T>()) {}
  Box(T value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit on purpose
  Box(const Box& o) : p_(std::make_unique<T>(*o)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = std::make_unique<T>(*o);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  bool operator==(const Box& o) const { return **this == *o; }

 private:
  std::unique_ptr<T> p_;
};

namespace ev {

// A form field given with a command or recorded by an event: {key, value}.
struct FieldValue {
  Key key;
  std::string value;
  FieldValue() = default;
  FieldValue(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  FieldValue(const std::string& k, std::string v) : key(std::string_view(k)), value(std::move(v)) {}
  FieldValue(const char* k, std::string v) : key(k), value(std::move(v)) {}
  bool operator==(const FieldValue&) const = default;
};
// A signature given with a step: {role, who}.
struct Sign {
  Key role;         // Role key or "customer"
  std::string who;  // badge, or the customer's name
  Sign() = default;
  Sign(std::string_view r, std::string w) : role(r), who(std::move(w)) {}
  Sign(const std::string& r, std::string w) : role(std::string_view(r)), who(std::move(w)) {}
  Sign(const char* r, std::string w) : role(r), who(std::move(w)) {}
  Sign(Key r, std::string w) : role(r), who(std::move(w)) {}
  bool operator==(const Sign&) const = default;
};

// A customer record created or replaced (master data; case_id is empty).
struct CustomerSaved {
  Customer customer;
  bool operator==(const CustomerSaved&) const = default;
};

// A matter registered at a window: the case exists, at its first step.
struct Accepted {
  Key matter, process;
  Mode mode = Mode::accepted;
  Summary summary = Summary::none;
  CustomerType customer_type = CustomerType::residential;
  bool needs_reply = false, needs_visit = false, auto_close = false;
  std::string customer_no, customer_name, address, phone, demand, remarks;
  Key dept, person;  // responsible department and person (routing)
  Key step, step_dept;
  std::vector<Key> checklist;      // every document the process asks for
  std::vector<FieldValue> fields;  // other form fields given at the counter
  std::vector<Key> documents;      // documents received at the counter
  int limit = -1;
  Deadline due;
  int step_limit = -1;
  Deadline step_due;
  bool operator==(const Accepted&) const = default;
};

// The current step is done: signatures, documents and fields recorded, the case moves on.
struct StepDone {
  Key step, outcome, to, to_dept;
  bool to_terminal = false;
  std::vector<Sign> signatures;
  std::vector<Key> documents;
  std::vector<FieldValue> fields;
  std::string note;
  int step_limit = -1;  // of the step reached
  Deadline step_due;
  bool operator==(const StepDone&) const = default;
};

struct Transferred {
  Key dept, person;
  std::string note;
  bool operator==(const Transferred&) const = default;
};
struct Paused {
  std::string reason;
  std::vector<Key> documents_needed;
  bool operator==(const Paused&) const = default;
};
struct Resumed {
  Deadline due, step_due;  // recomputed: working days used before the pause + the rest
  std::vector<Key> documents;  // documents the customer brought
  std::string note;
  bool operator==(const Resumed&) const = default;
};
struct Replied {
  std::string result;  // 完成情况
  bool operator==(const Replied&) const = default;
};
struct Visited {
  Date date{};
  int rating = 0;
  std::string comment;
  bool operator==(const Visited&) const = default;
};
struct Closed {
  std::string note;
  bool operator==(const Closed&) const = default;
};
struct Reopened {
  std::string reason;
  Key step, step_dept;
  Deadline due;  // a fresh case clock from the reopening day
  int step_limit = -1;
  Deadline step_due;
  bool operator==(const Reopened&) const = default;
};
struct DuplicateMarked {
  std::string of;
  bool operator==(const DuplicateMarked&) const = default;
};
struct FollowUpLinked {
  std::string of;
  bool operator==(const FollowUpLinked&) const = default;
};
struct Overdue {
  Date missed{};
  std::string cause;
  Key dept;
  bool operator==(const Overdue&) const = default;
};
struct Chased {
  std::string note;
  bool customer_informed = false;
  bool operator==(const Chased&) const = default;
};
struct Reported {
  std::string cause;
  Key dept;
  bool operator==(const Reported&) const = default;
};
struct Ruled {
  bool accountable = false;
  std::string finding;
  bool operator==(const Ruled&) const = default;
};
struct DeadlineChanged {
  Deadline due, step_due;
  bool operator==(const DeadlineChanged&) const = default;
};

}  // namespace ev

// The order of the alternatives is the EventType numbering; never reorder, only append.
using Payload =
    std::variant<Box<ev::CustomerSaved>, Box<ev::Accepted>, Box<ev::StepDone>, ev::Transferred,
                 ev::Paused, ev::Resumed, ev::Replied, ev::Visited, ev::Closed, ev::Reopened,
                 ev::DuplicateMarked, ev::FollowUpLinked, ev::Overdue, ev::Chased, ev::Reported,
                 ev::Ruled, ev::DeadlineChanged>;

enum class EventType : uint8_t {
  customer_saved,
  accepted,
  step_done,
  transferred,
  paused,
  resumed,
  replied,
  visited,
  closed,
  reopened,
  duplicate_marked,
  follow_up_linked,
  overdue,
  chased,
  reported,
  ruled,
  deadline_changed,
};
inline constexpr size_t kEventTypeCount = 17;
static_assert(std::variant_size_v<Payload> == kEventTypeCount);

std::string_view key_of(EventType t);
std::optional<EventType> event_type_from_key(std::string_view key);
Text name_of(EventType t);

struct Event {
  Key site;          // site code of the site that wrote it
  uint64_t seq = 0;  // per-site sequence, from 1
  Key actor;         // staff badge
  Millis time = 0;
  std::string case_id;  // case number; empty for customer events
  Payload payload;

  EventType type() const { return static_cast<EventType>(payload.index()); }
  bool operator==(const Event&) const = default;
};

// One JSON object per event: {"site","seq","actor","time","case","type","data"}.
std::string event_to_json(const Event& e);
// Parses and checks every member's type; nullopt with `error` set when malformed.
std::optional<Event> event_from_json(std::string_view text, Problem& error);

}  // namespace onestop
