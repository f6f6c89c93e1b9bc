#include "core/event.h"

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace onestop {

namespace {
constexpr std::array<std::string_view, kEventTypeCount> kEventKeys{
    "customer_saved", "accepted", "step_done", "transferred", "paused",   "resumed",
    "replied",        "visited",  "closed",    "reopened",    "duplicate_marked",
    "follow_up_linked", "overdue", "chased",   "reported",    "ruled",    "deadline_changed"};
constexpr std::array<Text, kEventTypeCount> kEventNames{
    Text::EvCustomerSaved, Text::EvAccepted, Text::EvStepDone,  Text::EvTransferred,
    Text::EvPaused,        Text::EvResumed,  Text::EvReplied,   Text::EvVisited,
    Text::EvClosed,        Text::EvReopened, Text::EvDuplicate, Text::EvFollowUp,
    Text::EvOverdue,       Text::EvChased,   Text::EvReported,  Text::EvRuled,
    Text::EvDeadlineChanged};
}  // namespace

std::string_view key_of(EventType t) {
  const auto i = static_cast<size_t>(t);
  return i < kEventKeys.size() ? kEventKeys[i] : "?";
}
std::optional<EventType> event_type_from_key(std::string_view key) {
  for (size_t i = 0; i < kEventKeys.size(); ++i)
    if (kEventKeys[i] == key) return static_cast<EventType>(i);
  return std::nullopt;
}
Text name_of(EventType t) {
  const auto i = static_cast<size_t>(t);
  return i < kEventNames.size() ? kEventNames[i] : Text::AppTitle;
}

namespace {

using json = nlohmann::json;

// ---- Encoding ----------------------------------------------------------------------------

json deadline_json(const Deadline& d) {
  if (!d.set) return nullptr;
  return json{{"date", format_date(d.date)}, {"provisional", d.provisional}};
}
// An array of [key, value] pairs: keeps the order the event was written in.
json fields_json(const std::vector<ev::FieldValue>& fields) {
  json out = json::array();
  for (const auto& f : fields) out.push_back(json::array({f.key.view(), f.value}));
  return out;
}
json signs_json(const std::vector<ev::Sign>& signs) {
  json out = json::array();
  for (const auto& s : signs) out.push_back({{"role", s.role.view()}, {"who", s.who}});
  return out;
}
json keys_json(const std::vector<Key>& keys) {
  json out = json::array();
  for (const auto& k : keys) out.push_back(k.view());
  return out;
}

json encode(const Box<ev::CustomerSaved>& b) {
  const Customer& c = b->customer;
  return {{"number", c.number},     {"name", c.name},
          {"address", c.address},   {"phone", c.phone},
          {"id_no", c.id_no},       {"meter_no", c.meter_no},
          {"caliber_dn", c.caliber_dn}, {"category", c.category},
          {"ratio", c.ratio},       {"base_volume", c.base_volume},
          {"state", key_of(c.state)}, {"type", key_of(c.type)}};
}
json encode(const Box<ev::Accepted>& b) {
  const ev::Accepted& a = *b;
  return {{"matter", a.matter.view()},
          {"process", a.process.view()},
          {"mode", key_of(a.mode)},
          {"summary", key_of(a.summary)},
          {"customer_type", key_of(a.customer_type)},
          {"needs_reply", a.needs_reply},
          {"needs_visit", a.needs_visit},
          {"auto_close", a.auto_close},
          {"customer_no", a.customer_no},
          {"customer_name", a.customer_name},
          {"address", a.address},
          {"phone", a.phone},
          {"demand", a.demand},
          {"remarks", a.remarks},
          {"dept", a.dept.view()},
          {"person", a.person.view()},
          {"step", a.step.view()},
          {"step_dept", a.step_dept.view()},
          {"checklist", keys_json(a.checklist)},
          {"fields", fields_json(a.fields)},
          {"documents", keys_json(a.documents)},
          {"limit", a.limit},
          {"due", deadline_json(a.due)},
          {"step_limit", a.step_limit},
          {"step_due", deadline_json(a.step_due)}};
}
json encode(const Box<ev::StepDone>& b) {
  const ev::StepDone& s = *b;
  return {{"step", s.step.view()},
          {"outcome", s.outcome.view()},
          {"to", s.to.view()},
          {"to_dept", s.to_dept.view()},
          {"to_terminal", s.to_terminal},
          {"signatures", signs_json(s.signatures)},
          {"documents", keys_json(s.documents)},
          {"fields", fields_json(s.fields)},
          {"note", s.note},
          {"step_limit", s.step_limit},
          {"step_due", deadline_json(s.step_due)}};
}
json encode(const ev::Transferred& t) {
  return {{"dept", t.dept.view()}, {"person", t.person.view()}, {"note", t.note}};
}
json encode(const ev::Paused& p) {
  return {{"reason", p.reason}, {"documents_needed", keys_json(p.documents_needed)}};
}
json encode(const ev::Resumed& r) {
  return {{"due", deadline_json(r.due)},
          {"step_due", deadline_json(r.step_due)},
          {"documents", keys_json(r.documents)},
          {"note", r.note}};
}
json encode(const ev::Replied& r) { return {{"result", r.result}}; }
json encode(const ev::Visited& v) {
  return {{"date", format_date(v.date)}, {"rating", v.rating}, {"comment", v.comment}};
}
json encode(const ev::Closed& c) { return {{"note", c.note}}; }
json encode(const ev::Reopened& r) {
  return {{"reason", r.reason},              {"step", r.step.view()},
          {"step_dept", r.step_dept.view()},  {"due", deadline_json(r.due)},
          {"step_limit", r.step_limit}, {"step_due", deadline_json(r.step_due)}};
}
json encode(const ev::DuplicateMarked& d) { return {{"of", d.of}}; }
json encode(const ev::FollowUpLinked& f) { return {{"of", f.of}}; }
json encode(const ev::Overdue& o) {
  return {{"missed", format_date(o.missed)}, {"cause", o.cause}, {"dept", o.dept.view()}};
}
json encode(const ev::Chased& c) {
  return {{"note", c.note}, {"customer_informed", c.customer_informed}};
}
json encode(const ev::Reported& r) { return {{"cause", r.cause}, {"dept", r.dept.view()}}; }
json encode(const ev::Ruled& r) {
  return {{"accountable", r.accountable}, {"finding", r.finding}};
}
json encode(const ev::DeadlineChanged& d) {
  return {{"due", deadline_json(d.due)}, {"step_due", deadline_json(d.step_due)}};
}

// ---- Decoding: every member present and of its type, else the event is refused ----------

class Decoder {
 public:
  bool ok = true;

  const json* member(const json& j, const char* name) {
    if (!ok || !j.is_object()) {
      ok = false;
      return nullptr;
    }
    const auto it = j.find(name);
    if (it == j.end()) {
      ok = false;
      return nullptr;
    }
    return &*it;
  }
  void str(const json& j, const char* name, std::string& out) {
    const json* m = member(j, name);
    if (m && m->is_string()) out = m->get<std::string>();
    else ok = false;
  }
  void str(const json& j, const char* name, Key& out) {
    const json* m = member(j, name);
    if (m && m->is_string()) out = Key(m->get_ref<const std::string&>());
    else ok = false;
  }
  void keys(const json& j, const char* name, std::vector<Key>& out) {
    const json* m = member(j, name);
    if (!m || !m->is_array()) {
      ok = false;
      return;
    }
    out.clear();
    for (const auto& v : *m) {
      if (!v.is_string()) {
        ok = false;
        return;
      }
      out.emplace_back(v.get_ref<const std::string&>());
    }
  }
  void boolean(const json& j, const char* name, bool& out) {
    const json* m = member(j, name);
    if (m && m->is_boolean()) out = m->get<bool>();
    else ok = false;
  }
  template <typename I>
  void integer(const json& j, const char* name, I& out, long long lo, long long hi) {
    const json* m = member(j, name);
    if (m && m->is_number_integer() && m->get<long long>() >= lo && m->get<long long>() <= hi)
      out = static_cast<I>(m->get<long long>());
    else
      ok = false;
  }
  void date(const json& j, const char* name, Date& out) {
    std::string s;
    str(j, name, s);
    if (!ok) return;
    if (auto d = parse_date(s)) out = *d;
    else ok = false;
  }
  void deadline(const json& j, const char* name, Deadline& out) {
    const json* m = member(j, name);
    if (!m) return;
    out = Deadline{};
    if (m->is_null()) return;
    out.set = true;
    date(*m, "date", out.date);
    boolean(*m, "provisional", out.provisional);
  }
  void strings(const json& j, const char* name, std::vector<std::string>& out) {
    const json* m = member(j, name);
    if (!m || !m->is_array()) {
      ok = false;
      return;
    }
    out.clear();
    for (const auto& v : *m) {
      if (!v.is_string()) {
        ok = false;
        return;
      }
      out.push_back(v.get<std::string>());
    }
  }
  void fields(const json& j, const char* name, std::vector<ev::FieldValue>& out) {
    const json* m = member(j, name);
    if (!m || !m->is_array()) {
      ok = false;
      return;
    }
    out.clear();
    for (const auto& v : *m) {
      if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].is_string()) {
        ok = false;
        return;
      }
      out.push_back({v[0].get_ref<const std::string&>(), v[1].get<std::string>()});
    }
  }
  void signs(const json& j, const char* name, std::vector<ev::Sign>& out) {
    const json* m = member(j, name);
    if (!m || !m->is_array()) {
      ok = false;
      return;
    }
    out.clear();
    for (const auto& v : *m) {
      ev::Sign s;
      str(v, "role", s.role);
      str(v, "who", s.who);
      out.push_back(std::move(s));
    }
  }
  template <typename E, typename F>
  void keyed(const json& j, const char* name, E& out, F from_key) {
    std::string s;
    str(j, name, s);
    if (!ok) return;
    if (auto v = from_key(s)) out = *v;
    else ok = false;
  }

  void decode(const json& j, Box<ev::CustomerSaved>& b) {
    Customer& c = b->customer;
    str(j, "number", c.number);
    str(j, "name", c.name);
    str(j, "address", c.address);
    str(j, "phone", c.phone);
    str(j, "id_no", c.id_no);
    str(j, "meter_no", c.meter_no);
    integer(j, "caliber_dn", c.caliber_dn, 0, 100000);
    str(j, "category", c.category);
    str(j, "ratio", c.ratio);
    integer(j, "base_volume", c.base_volume, 0, 100000000);
    keyed(j, "state", c.state, account_state_from_key);
    keyed(j, "type", c.type, customer_type_from_key);
  }
  void decode(const json& j, Box<ev::Accepted>& b) {
    ev::Accepted& a = *b;
    str(j, "matter", a.matter);
    str(j, "process", a.process);
    keyed(j, "mode", a.mode, mode_from_key);
    keyed(j, "summary", a.summary, summary_from_key);
    keyed(j, "customer_type", a.customer_type, customer_type_from_key);
    boolean(j, "needs_reply", a.needs_reply);
    boolean(j, "needs_visit", a.needs_visit);
    boolean(j, "auto_close", a.auto_close);
    str(j, "customer_no", a.customer_no);
    str(j, "customer_name", a.customer_name);
    str(j, "address", a.address);
    str(j, "phone", a.phone);
    str(j, "demand", a.demand);
    str(j, "remarks", a.remarks);
    str(j, "dept", a.dept);
    str(j, "person", a.person);
    str(j, "step", a.step);
    str(j, "step_dept", a.step_dept);
    keys(j, "checklist", a.checklist);
    fields(j, "fields", a.fields);
    keys(j, "documents", a.documents);
    integer(j, "limit", a.limit, -1, 1000);
    deadline(j, "due", a.due);
    integer(j, "step_limit", a.step_limit, -1, 1000);
    deadline(j, "step_due", a.step_due);
  }
  void decode(const json& j, Box<ev::StepDone>& b) {
    ev::StepDone& s = *b;
    str(j, "step", s.step);
    str(j, "outcome", s.outcome);
    str(j, "to", s.to);
    str(j, "to_dept", s.to_dept);
    boolean(j, "to_terminal", s.to_terminal);
    signs(j, "signatures", s.signatures);
    keys(j, "documents", s.documents);
    fields(j, "fields", s.fields);
    str(j, "note", s.note);
    integer(j, "step_limit", s.step_limit, -1, 1000);
    deadline(j, "step_due", s.step_due);
  }
  void decode(const json& j, ev::Transferred& t) {
    str(j, "dept", t.dept);
    str(j, "person", t.person);
    str(j, "note", t.note);
  }
  void decode(const json& j, ev::Paused& p) {
    str(j, "reason", p.reason);
    keys(j, "documents_needed", p.documents_needed);
  }
  void decode(const json& j, ev::Resumed& r) {
    deadline(j, "due", r.due);
    deadline(j, "step_due", r.step_due);
    keys(j, "documents", r.documents);
    str(j, "note", r.note);
  }
  void decode(const json& j, ev::Replied& r) { str(j, "result", r.result); }
  void decode(const json& j, ev::Visited& v) {
    date(j, "date", v.date);
    integer(j, "rating", v.rating, 1, 5);
    str(j, "comment", v.comment);
  }
  void decode(const json& j, ev::Closed& c) { str(j, "note", c.note); }
  void decode(const json& j, ev::Reopened& r) {
    str(j, "reason", r.reason);
    str(j, "step", r.step);
    str(j, "step_dept", r.step_dept);
    deadline(j, "due", r.due);
    integer(j, "step_limit", r.step_limit, -1, 1000);
    deadline(j, "step_due", r.step_due);
  }
  void decode(const json& j, ev::DuplicateMarked& d) { str(j, "of", d.of); }
  void decode(const json& j, ev::FollowUpLinked& f) { str(j, "of", f.of); }
  void decode(const json& j, ev::Overdue& o) {
    date(j, "missed", o.missed);
    str(j, "cause", o.cause);
    str(j, "dept", o.dept);
  }
  void decode(const json& j, ev::Chased& c) {
    str(j, "note", c.note);
    boolean(j, "customer_informed", c.customer_informed);
  }
  void decode(const json& j, ev::Reported& r) {
    str(j, "cause", r.cause);
    str(j, "dept", r.dept);
  }
  void decode(const json& j, ev::Ruled& r) {
    boolean(j, "accountable", r.accountable);
    str(j, "finding", r.finding);
  }
  void decode(const json& j, ev::DeadlineChanged& d) {
    deadline(j, "due", d.due);
    deadline(j, "step_due", d.step_due);
  }
};

// The payload alternative of index I, default-constructed, when I == wanted.
template <size_t I = 0>
bool make_payload(size_t wanted, Payload& out) {
  if constexpr (I < std::variant_size_v<Payload>) {
    if (I == wanted) {
      out.emplace<I>();
      return true;
    }
    return make_payload<I + 1>(wanted, out);
  } else {
    return false;
  }
}

}  // namespace

std::string event_to_json(const Event& e) {
  json j = {{"site", e.site.view()}, {"seq", e.seq}, {"actor", e.actor.view()},
            {"time", e.time},   {"case", e.case_id}, {"type", key_of(e.type())}};
  j["data"] = std::visit([](const auto& p) { return encode(p); }, e.payload);
  return j.dump();
}

std::optional<Event> event_from_json(std::string_view text, Problem& error) {
  const auto j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    error = Problem(Text::ErrBadJson);
    return std::nullopt;
  }
  Decoder d;
  Event e;
  d.str(j, "site", e.site);
  d.integer(j, "seq", e.seq, 1, INT64_MAX);
  d.str(j, "actor", e.actor);
  d.integer(j, "time", e.time, INT64_MIN, INT64_MAX);
  d.str(j, "case", e.case_id);
  std::string type;
  d.str(j, "type", type);
  const auto t = d.ok ? event_type_from_key(type) : std::nullopt;
  const json* data = d.member(j, "data");
  if (!d.ok || !t || !data || !make_payload(static_cast<size_t>(*t), e.payload)) {
    error = Problem(Text::ErrBadEvent, {type});
    return std::nullopt;
  }
  std::visit([&](auto& p) { d.decode(*data, p); }, e.payload);
  if (!d.ok || e.site.empty()) {
    error = Problem(Text::ErrBadEvent, {type});
    return std::nullopt;
  }
  return e;
}

}  // namespace onestop
