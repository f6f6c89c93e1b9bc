#include "core/workflow.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/deadline.h"

namespace onestop {

// ---- Folding -----------------------------------------------------------------------------

namespace {

// Room for `n` more elements in one allocation where push_back would make several (still
// growing geometrically).
template <typename T>
void make_room(Vec<T>& v, Arena& arena, size_t n) {
  if (v.capacity() - v.size() < n) v.reserve(arena, std::max(v.size() + n, 2 * v.size()));
}

void receive_documents(Case& c, Arena& arena, const std::vector<Key>& keys, const Event& e) {
  for (const auto& k : keys) {
    DocumentItem* d = find_document(c, k);
    if (!d) {
      c.documents.push_back(arena, DocumentItem{k, false, 0, {}});
      d = &c.documents.back();
    }
    if (!d->received) {
      d->received = true;
      d->when = e.time;
      d->by = e.actor;
    }
  }
}

}  // namespace

void apply_to_case(Case& c, Arena& arena, const Event& e) {
  const Date day = china_date_of(e.time);
  Key step_of_event;
  switch (e.type()) {
    case EventType::customer_saved:
      break;
    case EventType::accepted: {
      // `c` is a fresh Case (State::apply and Engine::accept start from one).
      const ev::Accepted& a = *std::get<Box<ev::Accepted>>(e.payload);
      c.number = Str::copy(arena, e.case_id);
      c.site = e.site;
      c.acceptor = e.actor;
      c.accepted_at = e.time;
      c.customer_name = Str::copy(arena, a.customer_name);
      c.category = a.matter;
      c.address = Str::copy(arena, a.address);
      c.customer_no = Str::copy(arena, a.customer_no);
      c.phone = Str::copy(arena, a.phone);
      c.demand = Str::copy(arena, a.demand);
      c.remarks = Str::copy(arena, a.remarks);
      c.responsible_dept = a.dept;
      c.responsible_person = a.person;
      c.transferred_at = e.time;
      c.due = a.due;
      c.process = a.process;
      c.mode = a.mode;
      c.summary = a.summary;
      c.customer_type = a.customer_type;
      c.needs_reply = a.needs_reply;
      c.needs_visit = a.needs_visit;
      c.auto_close = a.auto_close;
      c.step = a.step;
      c.step_dept = a.step_dept;
      c.step_entered = e.time;
      c.step_due = a.step_due;
      c.limit = a.limit;
      c.clock_start = day;
      c.step_limit = a.step_limit;
      c.step_start = day;
      c.documents.reserve(arena, a.checklist.size());
      for (const auto& k : a.checklist) c.documents.push_back(arena, DocumentItem{k, false, 0, {}});
      receive_documents(c, arena, a.documents, e);
      make_room(c.fields, arena, a.fields.size());
      for (const auto& f : a.fields) set_case_field(c, arena, f.key, f.value);
      c.text_version = 1;
      step_of_event = a.step;
      break;
    }
    case EventType::step_done: {
      const ev::StepDone& s = *std::get<Box<ev::StepDone>>(e.payload);
      make_room(c.fields, arena, s.fields.size());
      for (const auto& f : s.fields) set_case_field(c, arena, f.key, f.value);
      receive_documents(c, arena, s.documents, e);
      // Most cases that are signed at all collect about four signatures; half are never signed.
      if (!s.signatures.empty())
        make_room(c.signatures, arena,
                  std::max<size_t>(s.signatures.size(), c.signatures.empty() ? 4 : 0));
      for (const auto& sig : s.signatures)
        c.signatures.push_back(arena, Signature{s.step, sig.role, Str::copy(arena, sig.who), e.time});
      if (!s.outcome.empty()) c.outcome = s.outcome;
      c.step = s.to;
      c.step_dept = s.to_dept;
      c.at_end = s.to_terminal;
      c.step_entered = e.time;
      c.step_start = day;
      c.step_limit = s.step_limit;
      c.step_due = s.step_due;
      step_of_event = s.step;
      break;
    }
    case EventType::transferred: {
      const auto& t = std::get<ev::Transferred>(e.payload);
      c.responsible_dept = t.dept;
      c.responsible_person = t.person;
      c.transferred_at = e.time;
      break;
    }
    case EventType::paused: {
      const auto& p = std::get<ev::Paused>(e.payload);
      c.pauses.push_back(arena, PauseSpan{e.time, 0, Str::copy(arena, p.reason),
                                          Items<Key>::copy(arena, p.documents_needed)});
      break;
    }
    case EventType::resumed: {
      const auto& r = std::get<ev::Resumed>(e.payload);
      if (c.paused()) c.pauses.back().to = e.time;
      c.due = r.due;
      c.step_due = r.step_due;
      receive_documents(c, arena, r.documents, e);
      break;
    }
    case EventType::replied:
      c.replied = true;
      c.replied_at = e.time;
      c.replied_by = e.actor;
      c.result = Str::copy(arena, std::get<ev::Replied>(e.payload).result);
      break;
    case EventType::visited: {
      const auto& v = std::get<ev::Visited>(e.payload);
      c.visit = ReturnVisit{v.date, e.actor, v.rating, Str::copy(arena, v.comment)};
      break;
    }
    case EventType::closed:
      c.status = CaseStatus::closed;
      c.closed_at = e.time;
      break;
    case EventType::reopened: {
      const auto& r = std::get<ev::Reopened>(e.payload);
      c.status = CaseStatus::open;
      c.closed_at = 0;
      c.replied = false;
      c.replied_at = 0;
      c.replied_by = Key();
      c.visit.reset();
      c.duplicate_of = Str();
      c.outcome = Key();
      c.escalation.reset();
      c.step = r.step;
      c.step_dept = r.step_dept;
      c.at_end = false;
      c.step_entered = e.time;
      c.clock_start = day;
      c.step_start = day;
      c.due = r.due;
      c.step_limit = r.step_limit;
      c.step_due = r.step_due;
      step_of_event = r.step;
      break;
    }
    case EventType::duplicate_marked:
      c.duplicate_of = Str::copy(arena, std::get<ev::DuplicateMarked>(e.payload).of);
      c.status = CaseStatus::closed;
      c.closed_at = e.time;
      break;
    case EventType::follow_up_linked:
      c.follow_up_of = Str::copy(arena, std::get<ev::FollowUpLinked>(e.payload).of);
      break;
    case EventType::overdue: {
      const auto& o = std::get<ev::Overdue>(e.payload);
      EscalationState& x = c.escalation.edit(arena);
      x.stage = Escalation::overdue;
      x.missed = o.missed;
      x.cause = Str::copy(arena, o.cause);
      x.dept_at_fault = o.dept;
      x.overdue_at = e.time;
      break;
    }
    case EventType::chased: {
      const auto& ch = std::get<ev::Chased>(e.payload);
      EscalationState& x = c.escalation.edit(arena);
      x.stage = Escalation::chased;
      ++x.chases;
      x.chase_note = Str::copy(arena, ch.note);
      x.customer_informed = ch.customer_informed;
      x.chased_at = e.time;
      break;
    }
    case EventType::reported: {
      const auto& r = std::get<ev::Reported>(e.payload);
      EscalationState& x = c.escalation.edit(arena);
      x.stage = Escalation::reported;
      x.cause = Str::copy(arena, r.cause);
      x.dept_at_fault = r.dept;
      x.reported_at = e.time;
      x.reported_by = e.actor;
      break;
    }
    case EventType::ruled: {
      const auto& r = std::get<ev::Ruled>(e.payload);
      EscalationState& x = c.escalation.edit(arena);
      x.stage = Escalation::ruled;
      x.accountable = r.accountable;
      x.finding = Str::copy(arena, r.finding);
      x.ruled_at = e.time;
      x.ruled_by = e.actor;
      break;
    }
    case EventType::deadline_changed: {
      const auto& d = std::get<ev::DeadlineChanged>(e.payload);
      c.due = d.due;
      c.step_due = d.step_due;
      break;
    }
  }
  c.history.push_back(
      arena, HistoryEntry{e.site, e.actor, step_of_event, static_cast<uint8_t>(e.type()), e.seq, e.time});
}

// The arena frees the blocks without running destructors.
static_assert(std::is_trivially_destructible_v<Case>);

Case& CaseList::emplace_back(Arena& arena) {
  if (size_ == blocks_.size() * kBlock) blocks_.push_back(arena.allocate_array<Case>(kBlock));
  Case* c = std::construct_at(blocks_[size_ / kBlock] + size_ % kBlock);
  ++size_;
  return *c;
}

State::SiteInfo& State::site_info(Key site) {
  for (auto& s : sites_)
    if (s.site == site) return s;
  sites_.push_back(SiteInfo{site, 0, {}});
  return sites_.back();
}

const State::SiteInfo* State::find_site(Key site) const {
  for (const auto& s : sites_)
    if (s.site == site) return &s;
  return nullptr;
}

namespace {
// "SITE-YYYYMMDD-N…" -> (SITE, day, N); false for any other shape.
bool parse_case_number(std::string_view number, std::string_view& site, Date& day, int& n) {
  const auto dash = number.find('-');
  if (dash == std::string_view::npos || number.size() < dash + 11 || number[dash + 9] != '-')
    return false;
  int ymd[3] = {0, 0, 0};
  const size_t at[3] = {dash + 1, dash + 5, dash + 7}, len[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f)
    for (size_t i = 0; i < len[f]; ++i) {
      const char c = number[at[f] + i];
      if (c < '0' || c > '9') return false;
      ymd[f] = ymd[f] * 10 + (c - '0');
    }
  if (ymd[1] < 1 || ymd[1] > 12 || ymd[2] < 1 || ymd[2] > 31) return false;
  const char* first = number.data() + dash + 10;
  const char* last = number.data() + number.size();
  if (std::from_chars(first, last, n).ptr != last) return false;
  site = number.substr(0, dash);
  day = make_date(ymd[0], static_cast<unsigned>(ymd[1]), static_cast<unsigned>(ymd[2]));
  return true;
}
}  // namespace

bool State::apply(const Event& e) {
  SiteInfo& from = site_info(e.site);
  if (e.seq <= from.last_seq) return false;
  from.last_seq = e.seq;
  ++applied_;

  if (e.type() == EventType::customer_saved) {
    const Customer& c = std::get<Box<ev::CustomerSaved>>(e.payload)->customer;
    customer_entry(c.number).assign(arena_, c);
    if (e.case_id.empty()) return true;  // else also recorded in the case's history
  }
  if (e.type() == EventType::accepted) {
    // The index's look at the customer is a cache miss: started now, it overlaps with making
    // the case.
    if (indexing_ == Indexing::on)
      index_.prefetch_customer(std::get<Box<ev::Accepted>>(e.payload)->customer_no);
    const auto ref = static_cast<CaseRef>(cases_.size());
    if (!add_number(e.case_id, ref)) return true;  // accepted twice: ignored
    Case& c = cases_.emplace_back(arena_);
    c.history.reserve(arena_, 4);
    apply_to_case(c, arena_, e);
    // Remember the highest case counter per site and day, for the next number.
    std::string_view site;
    Date day{};
    int n = 0;
    if (parse_case_number(e.case_id, site, day, n)) {
      // Numbered by the writing site as a rule: its entry is at hand, no Key to look up.
      SiteInfo& numbering = site == e.site.view() ? from : site_info(Key(site));
      int& top = numbering.counters[day.days];
      top = std::max(top, n);
    }
    if (indexing_ == Indexing::on) index_.update(ref, c);
    return true;
  }
  const auto ref = lookup(e.case_id);
  if (!ref) return true;  // an event of a case not known here: nothing to do
  if (deferred_) load_details(*ref);
  Case& c = cases_[*ref];
  apply_to_case(c, arena_, e);
  if (indexing_ == Indexing::on) index_.update(*ref, c);
  return true;
}

bool State::add_number(std::string_view number, CaseRef ref) {
  return case_ids_.insert(number, ref, [this](uint32_t r) { return cases_[r].number.view(); });
}

std::optional<CaseRef> State::lookup(std::string_view number) const {
  return case_ids_.find(number, [this](uint32_t r) { return cases_[r].number.view(); });
}

const Case* State::find(std::string_view number) const {
  const auto ref = lookup(number);
  return ref ? &at(*ref) : nullptr;
}

std::optional<CaseRef> State::ref_of(std::string_view number) const {
  return lookup(number);
}

CustomerRecord& State::customer_entry(std::string_view number) {
  const auto number_of = [this](uint32_t i) { return customers_[i].number.view(); };
  const auto [id, entered] = customer_ids_.insert(
      number, hash64(number), static_cast<uint32_t>(customers_.size()), number_of);
  if (!entered) return customers_[id];
  return customers_.emplace_back();
}

const CustomerRecord* State::find_customer(std::string_view number) const {
  const auto number_of = [this](uint32_t i) { return customers_[i].number.view(); };
  const auto id = customer_ids_.find(number, hash64(number), number_of);
  return id ? &customers_[*id] : nullptr;
}

std::optional<Customer> State::customer(std::string_view number) const {
  const CustomerRecord* c = find_customer(number);
  if (!c) return std::nullopt;
  return c->customer();
}

uint64_t State::last_seq(std::string_view site) const {
  const SiteInfo* s = find_site(site);
  return s ? s->last_seq : 0;
}

namespace {
std::string day_prefix(std::string_view site, Date day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%04d%02u%02u", year_of(day), month_of(day), day_of(day));
  return std::string(site) + buf;
}
}  // namespace

int State::last_case_counter(std::string_view site, Date day) const {
  const SiteInfo* s = find_site(site);
  if (!s) return 0;
  const auto it = s->counters.find(day.days);
  return it == s->counters.end() ? 0 : it->second;
}

namespace {
// The search fields of the cases of a State whose texts were put off (TextIndex::set_later):
// the heads hold them, so no details are loaded for them.
TextIndex::FieldsOf fields_from(const CaseList& cases) {
  return [&cases](CaseRef ref, std::vector<std::string_view>& out) {
    search_fields(cases[ref], out);
  };
}
}  // namespace

bool State::complete_step(size_t max_cases) {
  return details_step(max_cases) && index_.catch_up_text(max_cases, fields_from(cases_));
}

TextIndex::Result State::find_text(std::string_view query, size_t limit) const {
  return index_.text(query, limit, fields_from(cases_));
}

bool State::same_as(const State& other) const {
  if (cases_.size() != other.cases_.size() || customers_.size() != other.customers_.size())
    return false;
  for (const CustomerRecord& c : customers_) {  // in whichever order each state first saw them
    const CustomerRecord* o = other.find_customer(c.number);
    if (!o || !(*o == c)) return false;
  }
  for (const auto& c : cases()) {
    const Case* o = other.find(c.number);
    if (!o || !(*o == c)) return false;
  }
  if (sites_.size() != other.sites_.size()) return false;
  for (const auto& s : sites_) {
    const SiteInfo* o = other.find_site(s.site);
    if (!o || !(*o == s)) return false;
  }
  return true;
}

// ---- Commands ----------------------------------------------------------------------------

namespace {

Result failure(Problem p) {
  Result r;
  r.ok = false;
  r.problem = std::move(p);
  return r;
}

Arg text_arg(Text t) { return Arg(tr(t, Lang::zh), tr(t, Lang::en)); }
Arg role_arg(Role r) { return text_arg(name_of(r)); }
Arg signer_arg(std::string_view key) {
  if (key == kCustomerSigner) return text_arg(Text::RoleCustomer);
  if (auto r = role_from_key(key)) return role_arg(*r);
  return Arg(key);
}

bool closable(const Case& c) {
  return !c.closed() && !c.paused() && c.at_end && (!c.needs_reply || c.replied) &&
         (!c.needs_visit || c.visit.has_value());
}

}  // namespace

Engine::Engine(const ProcessBook& book, const Directory& directory, const WorkCalendar& calendar,
               std::string site)
    : book_(book), directory_(directory), calendar_(calendar), site_(std::move(site)) {}

Event Engine::make(const std::string& actor, Millis time, const std::string& case_id,
                   Payload payload) const {
  Event e;
  e.site = site_;
  e.actor = actor;
  e.time = time;
  e.case_id = case_id;
  e.payload = std::move(payload);
  return e;
}

Result Engine::commit(std::vector<Event>& events, std::string case_id) {
  for (auto& e : events) {
    e.seq = state_.last_seq(site_) + 1;
    state_.apply(e);
    if (sink_) sink_(e);
  }
  Result r;
  r.case_id = std::move(case_id);
  r.events = events.size();
  return r;
}

std::string Engine::next_case_number(Date day) const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%04d", state_.last_case_counter(site_, day) + 1);
  return day_prefix(site_, day) + buf;
}

// The events of one command, tried out on a copy of the case before anything is written.
struct Engine::Pending {
  Engine& engine;
  const Staff& who;
  Millis time;
  Arena arena;  // the lists and strings of `c`
  Case c;       // the case as it will be after the events so far
  std::vector<Event> events;

  // Starts from a copy of `from`, or from a new case.
  Pending(Engine& engine_, const Staff& who_, Millis time_, const Case* from)
      : engine(engine_), who(who_), time(time_) {
    if (from) c = from->clone(arena);
  }

  Date today() const { return china_date_of(time); }
  void add(Payload p) {
    events.push_back(engine.make(who.badge, time, c.number, std::move(p)));
    apply_to_case(c, arena, events.back());
  }
  Arg dept_arg(std::string_view key) const {
    if (key == kAnyDept) return Arg("任一部门", "any department");
    if (const auto* d = engine.book_.department(key)) return Arg(d->zh, d->en);
    return Arg(key);
  }
  Arg step_arg(const ProcessDef* p, std::string_view key) const {
    if (p)
      if (const auto* s = p->step(key)) return Arg(s->zh, s->en);
    return Arg(key);
  }
  Arg field_arg(std::string_view key) const {
    if (is_core_field(key)) return text_arg(core_field_name(key));
    for (const auto& f : engine.book_.fields)
      if (f.key == key) return Arg(f.zh, f.en);
    return Arg(key);
  }
  Arg doc_arg(std::string_view key) const {
    if (const auto* d = engine.book_.document(key)) return Arg(d->zh, d->en);
    return Arg(key);
  }

  std::optional<Problem> check_fields(const std::vector<ev::FieldValue>& fields) const {
    for (const auto& f : fields)
      if (!engine.book_.has_field(f.key)) return Problem(Text::ErrProcUnknownField, {f.key});
    return std::nullopt;
  }
  std::optional<Problem> check_documents(const std::vector<std::string>& docs) const {
    for (const auto& d : docs)
      if (!engine.book_.document(d)) return Problem(Text::ErrProcUnknownDocument, {d});
    return std::nullopt;
  }
  std::optional<Problem> deadline(Date start, int limit, std::span<const PauseSpan> pauses,
                                  Deadline& out) const {
    const DeadlineAnswer a = compute_deadline(engine.calendar_, start, limit, pauses);
    if (!a.ok) return Problem(Text::ErrCalendar, {a.error});
    out = a.deadline;
    return std::nullopt;
  }

  // Does the current step of `c`: checks everything, then adds StepDone, the customer-record
  // changes the step makes, and the closing when nothing is left to do.
  std::optional<Problem> step(const ProcessDef& p, const std::string& outcome,
                              std::vector<ev::FieldValue> fields, std::vector<std::string> docs,
                              std::vector<ev::Sign> signs, const std::string& note) {
    const StepDef* sd = p.step(c.step);
    if (!sd) return Problem(Text::ErrUnknownStepKey, {c.step});
    if (sd->terminal || c.at_end) return Problem(Text::ErrProcessDone);
    if (sd->role && !who.has(*sd->role))
      return Problem(Text::ErrRoleMissing, {who.badge, role_arg(*sd->role)});
    const std::string& dept = sd->department.empty() ? c.responsible_dept : sd->department;
    if (sd->department != kAnyDept && who.department != dept)
      return Problem(Text::ErrWrongDepartment, {dept_arg(dept), who.badge});
    if (auto bad = check_fields(fields)) return bad;
    if (auto bad = check_documents(docs)) return bad;
    fields.erase(std::remove_if(fields.begin(), fields.end(),
                                [](const auto& f) { return f.value.empty(); }),
                 fields.end());

    const NextStep* next = nullptr;
    if (!outcome.empty()) {
      next = sd->next_for(outcome);
      if (!next) return Problem(Text::ErrUnknownOutcome, {outcome});
    } else if (sd->next.size() == 1) {
      next = &sd->next[0];
    } else {
      Arg choices("");
      for (const auto& n : sd->next) {
        const char* sep = choices.en.empty() ? "" : ", ";
        (choices.zh += sep) += n.zh + "（" + n.outcome + "）";
        (choices.en += sep) += n.en + " (" + n.outcome + ")";
      }
      return Problem(Text::ErrOutcomeRequired, {choices});
    }

    for (const auto& f : sd->fields) {
      bool given = false;
      for (const auto& g : fields) given = given || g.key == f;
      if (!given && case_field(c, f).empty()) return Problem(Text::ErrMissingField, {field_arg(f)});
    }
    for (const auto& d : sd->documents) {
      const DocumentItem* item = find_document(c, d);
      const bool held = (item && item->received) ||
                        std::find(docs.begin(), docs.end(), d) != docs.end();
      if (!held) return Problem(Text::ErrMissingDocument, {doc_arg(d)});
    }
    for (const auto& s : signs) {
      if (s.role == kCustomerSigner) {
        if (s.who.empty()) return Problem(Text::ErrBadSigner, {"-", signer_arg(s.role)});
        continue;
      }
      const auto role = role_from_key(s.role);
      const Staff* signer = engine.staff(s.who);
      if (!role || !signer || !signer->has(*role))
        return Problem(Text::ErrBadSigner, {s.who, signer_arg(s.role)});
    }
    for (const auto& r : sd->signatures) {
      const bool signed_ = std::any_of(signs.begin(), signs.end(),
                                       [&](const ev::Sign& s) { return s.role == r; });
      if (signed_) continue;
      const auto role = role_from_key(r);
      if (role && who.has(*role)) {  // acting is signing for one's own role
        signs.push_back(ev::Sign{r, who.badge});
        continue;
      }
      return Problem(Text::ErrMissingSignature, {signer_arg(r)});
    }

    const StepDef* to = p.step(next->to);
    if (!to) return Problem(Text::ErrUnknownStepKey, {next->to});
    auto done = Box<ev::StepDone>();
    done->step = sd->key;
    done->outcome = outcome.empty() ? next->outcome : outcome;
    done->to = to->key;
    done->to_dept = to->department;
    done->to_terminal = to->terminal;
    done->signatures = std::move(signs);
    done->documents = to_keys(docs);
    done->fields = std::move(fields);
    done->note = note;
    done->step_limit = to->limit.for_type(c.customer_type);
    if (auto bad = deadline(today(), done->step_limit, {}, done->step_due)) return bad;
    add(std::move(done));

    if (!sd->effects.empty()) {
      if (c.customer_no.empty()) return Problem(Text::ErrNoCustomerNumber);
      const std::optional<Customer> known = engine.state_.customer(c.customer_no);
      Customer record;
      if (known) {
        record = *known;
      } else {
        record.number = c.customer_no;
        record.name = c.customer_name;
        record.address = c.address;
        record.phone = c.phone;
        record.type = c.customer_type;
      }
      for (const auto& fx : sd->effects) {
        const std::string value = fx.field.empty() ? fx.value : std::string(case_field(c, fx.field));
        if (value.empty()) continue;
        if (!set_customer_attribute(record, fx.attribute, value))
          return Problem(Text::ErrBadFieldValue, {field_arg(fx.field), value});
      }
      if (!known || !(*known == record)) add(Box<ev::CustomerSaved>(ev::CustomerSaved{record}));
    }
    auto_close();
    return std::nullopt;
  }

  void auto_close() {
    if (c.auto_close && closable(c)) add(ev::Closed{});
  }
};

namespace {
bool may_supervise(const Staff& who) {
  return who.has(Role::acceptor) || who.department == "csc";
}
}  // namespace

Result Engine::accept(const AcceptCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  Pending pend(*this, *who, cmd.time, nullptr);
  if (!who->has(Role::acceptor))
    return failure(Problem(Text::ErrRoleMissing, {who->badge, role_arg(Role::acceptor)}));
  if (who->department != "window")
    return failure(Problem(Text::ErrWrongDepartment, {pend.dept_arg("window"), who->badge}));
  const RoutingRow* row = book_.matter(cmd.matter);
  const ProcessDef* p = row ? book_.process(row->process) : nullptr;
  if (!p || p->steps.empty()) return failure(Problem(Text::ErrUnknownMatter, {cmd.matter}));
  if (auto bad = pend.check_fields(cmd.fields)) return failure(*bad);
  if (auto bad = pend.check_documents(cmd.documents)) return failure(*bad);
  if (!cmd.responsible_person.empty()) {
    const Staff* person = staff(cmd.responsible_person);
    if (!person || person->department != row->department)
      return failure(Problem(Text::ErrPersonNotInDept,
                             {cmd.responsible_person, pend.dept_arg(row->department)}));
  }

  auto a = Box<ev::Accepted>();
  a->matter = row->key;
  a->process = p->key;
  a->mode = p->mode;
  a->summary = p->summary;
  a->needs_reply = p->reply;
  a->needs_visit = p->return_visit;
  a->auto_close = p->auto_close;
  a->customer_no = cmd.customer_no;
  a->customer_name = cmd.customer_name;
  a->address = cmd.address;
  a->phone = cmd.phone;
  a->customer_type = cmd.customer_type.value_or(CustomerType::residential);
  if (const auto known = cmd.customer_no.empty() ? std::nullopt : state_.customer(cmd.customer_no)) {
    if (a->customer_name.empty()) a->customer_name = known->name;
    if (a->address.empty()) a->address = known->address;
    if (a->phone.empty()) a->phone = known->phone;
    if (!cmd.customer_type) a->customer_type = known->type;
  }
  a->demand = cmd.demand;
  a->remarks = cmd.remarks;
  a->dept = row->department;
  a->person = cmd.responsible_person;
  const StepDef& first = p->steps[0];
  a->step = first.key;
  a->step_dept = first.department;
  a->checklist = to_keys(p->checklist());
  a->fields = cmd.fields;
  a->fields.erase(std::remove_if(a->fields.begin(), a->fields.end(),
                                 [](const auto& f) { return f.value.empty(); }),
                  a->fields.end());
  a->documents = to_keys(cmd.documents);
  a->limit = p->limit.for_type(a->customer_type);
  if (auto bad = pend.deadline(pend.today(), a->limit, {}, a->due)) return failure(*bad);
  a->step_limit = first.limit.for_type(a->customer_type);
  if (auto bad = pend.deadline(pend.today(), a->step_limit, {}, a->step_due))
    return failure(*bad);

  const std::string number = next_case_number(pend.today());
  pend.c.number = Str::copy(pend.arena, number);
  pend.add(std::move(a));
  if (cmd.hold) {
    if (cmd.hold_reason.empty()) return failure(Problem(Text::ErrReasonRequired));
    if (auto bad = pend.check_documents(cmd.documents_needed)) return failure(*bad);
    pend.add(ev::Paused{cmd.hold_reason, to_keys(cmd.documents_needed)});
  } else if (auto bad = pend.step(*p, cmd.outcome, {}, {}, cmd.signatures, {})) {
    return failure(*bad);
  }
  return commit(pend.events, number);
}

Result Engine::act(const ActCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  if (c->closed()) return failure(Problem(Text::ErrCaseClosed, {c->number}));
  if (c->paused()) return failure(Problem(Text::ErrCasePaused, {c->number}));
  const ProcessDef* p = book_.process(c->process);
  if (!p) return failure(Problem(Text::ErrProcUnknownProcess, {c->process}));
  Pending pend(*this, *who, cmd.time, c);
  if (!cmd.step.empty() && cmd.step != c->step)
    return failure(Problem(Text::ErrStaleStep,
                           {pend.step_arg(p, c->step), pend.step_arg(p, cmd.step)}));
  if (auto bad = pend.step(*p, cmd.outcome, cmd.fields, cmd.documents, cmd.signatures, cmd.note))
    return failure(*bad);
  return commit(pend.events, c->number);
}

Result Engine::transfer(const TransferCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  Pending pend(*this, *who, cmd.time, c);
  if (c->closed()) return failure(Problem(Text::ErrCaseClosed, {c->number}));
  if (c->replied) return failure(Problem(Text::ErrAlreadyReplied));
  if (!may_supervise(*who) && who->department != c->responsible_dept)
    return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  if (!book_.department(cmd.dept)) return failure(Problem(Text::ErrProcUnknownDept, {cmd.dept}));
  if (!cmd.person.empty()) {
    const Staff* person = staff(cmd.person);
    if (!person || person->department != cmd.dept)
      return failure(Problem(Text::ErrPersonNotInDept, {cmd.person, pend.dept_arg(cmd.dept)}));
  }
  if (cmd.dept == c->responsible_dept && cmd.person == c->responsible_person)
    return failure(Problem(Text::ErrNothingToChange));
  pend.add(ev::Transferred{Key(cmd.dept), Key(cmd.person), cmd.note});
  return commit(pend.events, c->number);
}

Result Engine::pause(const PauseCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  Pending pend(*this, *who, cmd.time, c);
  if (c->closed()) return failure(Problem(Text::ErrCaseClosed, {c->number}));
  if (c->paused()) return failure(Problem(Text::ErrCasePaused, {c->number}));
  if (!who->has(Role::acceptor) && who->department != holder_dept(*c))
    return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  if (c->at_end && (!c->needs_reply || c->replied)) return failure(Problem(Text::ErrNothingToPause));
  if (cmd.reason.empty()) return failure(Problem(Text::ErrReasonRequired));
  if (auto bad = pend.check_documents(cmd.documents_needed)) return failure(*bad);
  pend.add(ev::Paused{cmd.reason, to_keys(cmd.documents_needed)});
  return commit(pend.events, c->number);
}

Result Engine::resume(const ResumeCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  Pending pend(*this, *who, cmd.time, c);
  if (!c->paused()) return failure(Problem(Text::ErrCaseNotPaused, {c->number}));
  if (!who->has(Role::acceptor) && who->department != holder_dept(*c))
    return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  if (auto bad = pend.check_documents(cmd.documents)) return failure(*bad);
  // The clock restarts: working days used before the pause count, the paused days do not.
  std::vector<PauseSpan> pauses(c->pauses.begin(), c->pauses.end());
  pauses.back().to = cmd.time;
  ev::Resumed r{{}, {}, to_keys(cmd.documents), cmd.note};
  if (auto bad = pend.deadline(c->clock_start, c->due.set ? c->limit : -1, pauses, r.due))
    return failure(*bad);
  if (auto bad =
          pend.deadline(c->step_start, c->step_due.set ? c->step_limit : -1, pauses, r.step_due))
    return failure(*bad);
  pend.add(std::move(r));
  return commit(pend.events, c->number);
}

Result Engine::reply(const ReplyCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  Pending pend(*this, *who, cmd.time, c);
  if (c->closed()) return failure(Problem(Text::ErrCaseClosed, {c->number}));
  if (c->paused()) return failure(Problem(Text::ErrCasePaused, {c->number}));
  if (!c->needs_reply) return failure(Problem(Text::ErrReplyNotExpected));
  if (!c->at_end)
    return failure(
        Problem(Text::ErrProcessNotDone, {pend.step_arg(book_.process(c->process), c->step)}));
  if (c->replied) return failure(Problem(Text::ErrAlreadyReplied));
  if (who->department != c->responsible_dept)
    return failure(Problem(Text::ErrWrongDepartment, {pend.dept_arg(c->responsible_dept), who->badge}));
  if (cmd.result.empty()) return failure(Problem(Text::ErrResultRequired));
  pend.add(ev::Replied{cmd.result});
  pend.auto_close();
  return commit(pend.events, c->number);
}

Result Engine::visit(const VisitCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!who->has(Role::acceptor))
    return failure(Problem(Text::ErrRoleMissing, {who->badge, role_arg(Role::acceptor)}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  Pending pend(*this, *who, cmd.time, c);
  if (c->closed()) return failure(Problem(Text::ErrCaseClosed, {c->number}));
  if (c->paused()) return failure(Problem(Text::ErrCasePaused, {c->number}));
  if (!c->at_end)
    return failure(
        Problem(Text::ErrProcessNotDone, {pend.step_arg(book_.process(c->process), c->step)}));
  if (c->needs_reply && !c->replied) return failure(Problem(Text::ErrNotReplied));
  if (c->visit) return failure(Problem(Text::ErrAlreadyVisited));
  if (cmd.rating < 1 || cmd.rating > 5)
    return failure(Problem(Text::ErrBadRating, {std::to_string(cmd.rating)}));
  pend.add(ev::Visited{pend.today(), cmd.rating, cmd.comment});
  pend.auto_close();
  return commit(pend.events, c->number);
}

Result Engine::close(const CloseCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!may_supervise(*who)) return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  Pending pend(*this, *who, cmd.time, c);
  if (c->closed()) return failure(Problem(Text::ErrCaseClosed, {c->number}));
  if (c->paused()) return failure(Problem(Text::ErrCasePaused, {c->number}));
  if (!c->at_end)
    return failure(
        Problem(Text::ErrProcessNotDone, {pend.step_arg(book_.process(c->process), c->step)}));
  if (c->needs_reply && !c->replied) return failure(Problem(Text::ErrNotReplied));
  if (c->needs_visit && !c->visit) return failure(Problem(Text::ErrVisitMissing));
  pend.add(ev::Closed{cmd.note});
  return commit(pend.events, c->number);
}

Result Engine::reopen(const ReopenCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!may_supervise(*who)) return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  Pending pend(*this, *who, cmd.time, c);
  if (!c->closed()) return failure(Problem(Text::ErrNotClosed, {c->number}));
  if (cmd.reason.empty()) return failure(Problem(Text::ErrReasonRequired));
  const ProcessDef* p = book_.process(c->process);
  if (!p || p->steps.empty()) return failure(Problem(Text::ErrProcUnknownProcess, {c->process}));
  std::string step = cmd.step;
  if (step.empty()) {  // back to the department: the step after the counter's
    step = p->steps[0].key;
    if (!p->steps[0].next.empty())
      if (const auto* s = p->step(p->steps[0].next[0].to); s && !s->terminal) step = s->key;
  }
  const StepDef* sd = p->step(step);
  if (!sd) return failure(Problem(Text::ErrUnknownStepKey, {step}));
  if (sd->terminal) return failure(Problem(Text::ErrStepTerminal, {pend.step_arg(p, step)}));
  ev::Reopened r;
  r.reason = cmd.reason;
  r.step = sd->key;
  r.step_dept = sd->department;
  if (auto bad = pend.deadline(pend.today(), c->limit, {}, r.due)) return failure(*bad);
  r.step_limit = sd->limit.for_type(c->customer_type);
  if (auto bad = pend.deadline(pend.today(), r.step_limit, {}, r.step_due)) return failure(*bad);
  pend.add(std::move(r));
  return commit(pend.events, c->number);
}

Result Engine::mark_duplicate(const LinkCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!may_supervise(*who)) return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  if (c->closed()) return failure(Problem(Text::ErrCaseClosed, {c->number}));
  const Case* other = state_.find(cmd.other);
  if (!other) return failure(Problem(Text::ErrUnknownCase, {cmd.other}));
  if (other == c) return failure(Problem(Text::ErrSelfLink));
  if (!other->duplicate_of.empty())
    return failure(Problem(Text::ErrDuplicateOfDuplicate, {other->number, other->duplicate_of}));
  Pending pend(*this, *who, cmd.time, c);
  pend.add(ev::DuplicateMarked{other->number});
  return commit(pend.events, c->number);
}

Result Engine::link_follow_up(const LinkCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!may_supervise(*who)) return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  const Case* other = state_.find(cmd.other);
  if (!other) return failure(Problem(Text::ErrUnknownCase, {cmd.other}));
  if (other == c) return failure(Problem(Text::ErrSelfLink));
  if (!c->follow_up_of.empty()) return failure(Problem(Text::ErrAlreadyLinked, {c->follow_up_of}));
  // Walk the chain the other case continues; it must not lead back here.
  const Case* x = other;
  for (size_t guard = 0; x && !x->follow_up_of.empty() && guard <= state_.case_count(); ++guard) {
    if (x->follow_up_of == c->number) return failure(Problem(Text::ErrLinkCycle));
    x = state_.find(x->follow_up_of);
  }
  Pending pend(*this, *who, cmd.time, c);
  pend.add(ev::FollowUpLinked{other->number});
  return commit(pend.events, c->number);
}

Result Engine::scan_overdue(const std::string& actor, Millis now) {
  const Staff* who = staff(actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {actor}));
  std::vector<Event> events;
  std::vector<std::string> touched;
  for (CaseRef ref : state_.index().due_before(china_date_of(now))) {
    const Case& c = state_.at(ref);
    if (c.escalation->stage != Escalation::none) continue;
    events.push_back(make(actor, now, c.number,
                          ev::Overdue{c.due.date, "no_reply", c.responsible_dept}));
    touched.push_back(c.number);
  }
  Result r = commit(events, {});
  r.cases = std::move(touched);
  return r;
}

Result Engine::chase(const ChaseCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!who->has(Role::acceptor))
    return failure(Problem(Text::ErrRoleMissing, {who->badge, role_arg(Role::acceptor)}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  const auto stage = c->escalation->stage;
  if (stage != Escalation::overdue && stage != Escalation::chased)
    return failure(Problem(Text::ErrEscalationOrder, {text_arg(name_of(stage))}));
  if (cmd.note.empty()) return failure(Problem(Text::ErrNoteRequired));
  Pending pend(*this, *who, cmd.time, c);
  pend.add(ev::Chased{cmd.note, cmd.customer_informed});
  return commit(pend.events, c->number);
}

Result Engine::report(const ReportCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!who->has(Role::acceptor))
    return failure(Problem(Text::ErrRoleMissing, {who->badge, role_arg(Role::acceptor)}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  if (c->escalation->stage != Escalation::chased)
    return failure(Problem(Text::ErrEscalationOrder, {text_arg(name_of(c->escalation->stage))}));
  if (cmd.cause.empty()) return failure(Problem(Text::ErrCauseRequired));
  const std::string dept = cmd.dept.empty() ? c->escalation->dept_at_fault : cmd.dept;
  if (!book_.department(dept)) return failure(Problem(Text::ErrProcUnknownDept, {dept}));
  Pending pend(*this, *who, cmd.time, c);
  pend.add(ev::Reported{cmd.cause, Key(dept)});
  return commit(pend.events, c->number);
}

Result Engine::rule(const RuleCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!who->has(Role::discipline))
    return failure(Problem(Text::ErrRoleMissing, {who->badge, role_arg(Role::discipline)}));
  const Case* c = state_.find(cmd.case_id);
  if (!c) return failure(Problem(Text::ErrUnknownCase, {cmd.case_id}));
  if (c->escalation->stage != Escalation::reported)
    return failure(Problem(Text::ErrEscalationOrder, {text_arg(name_of(c->escalation->stage))}));
  if (cmd.finding.empty()) return failure(Problem(Text::ErrFindingRequired));
  Pending pend(*this, *who, cmd.time, c);
  pend.add(ev::Ruled{cmd.accountable, cmd.finding});
  return commit(pend.events, c->number);
}

Result Engine::save_customer(const SaveCustomerCmd& cmd) {
  const Staff* who = staff(cmd.actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {cmd.actor}));
  if (!who->has(Role::acceptor) && !who->has(Role::handler) &&
      !who->has(Role::system_maintainer) && !who->has(Role::admin))
    return failure(Problem(Text::ErrNotAllowed, {who->badge}));
  const Customer& c = cmd.customer;
  if (c.number.empty()) return failure(Problem(Text::ErrBadCustomer, {text_arg(Text::FieldCustomerNo)}));
  if (c.name.empty()) return failure(Problem(Text::ErrBadCustomer, {text_arg(Text::FieldCustomerName)}));
  if (c.caliber_dn < 0)
    return failure(Problem(Text::ErrBadFieldValue, {"caliber_dn", std::to_string(c.caliber_dn)}));
  if (c.base_volume < 0)
    return failure(Problem(Text::ErrBadFieldValue, {"base_volume", std::to_string(c.base_volume)}));
  if (const auto known = state_.customer(c.number); known && *known == c)
    return failure(Problem(Text::ErrNothingToChange));
  std::vector<Event> events;
  events.push_back(make(cmd.actor, cmd.time, {}, Box<ev::CustomerSaved>(ev::CustomerSaved{c})));
  return commit(events, {});
}

Result Engine::refresh_deadlines(const std::string& actor, Millis now) {
  const Staff* who = staff(actor);
  if (!who) return failure(Problem(Text::ErrUnknownActor, {actor}));
  // A maintenance pass over the open cases, run when the calendar changes (not a query).
  std::vector<Event> events;
  std::vector<std::string> touched;
  for (const Case& c : state_.cases()) {
    if (c.closed() || c.paused()) continue;
    ev::DeadlineChanged d{c.due, c.step_due};
    if (clock_running(c)) {
      const auto a = compute_deadline(calendar_, c.clock_start, c.limit, c.pauses);
      if (a.ok) d.due = a.deadline;
    }
    if (c.step_due.set && !c.at_end) {
      const auto a = compute_deadline(calendar_, c.step_start, c.step_limit, c.pauses);
      if (a.ok) d.step_due = a.deadline;
    }
    if (d.due == c.due && d.step_due == c.step_due) continue;
    events.push_back(make(actor, now, c.number, std::move(d)));
    touched.push_back(c.number);
  }
  Result r = commit(events, {});
  r.cases = std::move(touched);
  return r;
}

// ---- Queries -----------------------------------------------------------------------------

std::vector<const Case*> Engine::resolve(std::span<const CaseRef> refs) const {
  std::vector<const Case*> out;
  out.reserve(refs.size());
  for (CaseRef r : refs) out.push_back(&state_.at(r));
  return out;
}

std::vector<const Case*> Engine::cases_of_customer(std::string_view customer_no) const {
  std::vector<const Case*> out = resolve(state_.index().by_customer(customer_no));
  std::erase_if(out, [customer_no](const Case* c) { return c->customer_no != customer_no; });
  return out;
}
std::vector<const Case*> Engine::inbox(std::string_view dept) const {
  return resolve(state_.index().inbox(dept));
}
std::vector<const Case*> Engine::due_on(Date day) const {
  return resolve(state_.index().due_between(day, day));
}
std::vector<const Case*> Engine::due_soon(Date today) const {
  const DueAnswer next = calendar_.due(today, 1);
  return resolve(state_.index().due_between(today, next.ok ? next.date : today));
}
std::vector<const Case*> Engine::overdue(Date today) const {
  return resolve(state_.index().due_before(today));
}
std::vector<const Case*> Engine::search(std::string_view text, size_t limit) const {
  return resolve(state_.find_text(text, limit).refs);
}

}  // namespace onestop
