#include "core/model.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include "core/problem.h"
#include "core/varint.h"

namespace onestop {

std::string fill_text(std::string_view pattern, const std::vector<Arg>& args, Lang lang) {
  std::string out;
  out.reserve(pattern.size() + 16);
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' &&
        next < args.size()) {
      out += args[next++].in(lang);
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

namespace {

template <typename E, size_t N>
struct EnumTable {
  std::array<std::string_view, N> keys;
  std::array<Text, N> names;
  std::string_view key(E e) const {
    const auto i = static_cast<size_t>(e);
    return i < N ? keys[i] : std::string_view("?");
  }
  Text name(E e) const {
    const auto i = static_cast<size_t>(e);
    return i < N ? names[i] : Text::AppTitle;
  }
  std::optional<E> find(std::string_view k) const {
    for (size_t i = 0; i < N; ++i)
      if (keys[i] == k) return static_cast<E>(i);
    return std::nullopt;
  }
};

constexpr EnumTable<Role, kRoleCount> kRoles{
    {"acceptor", "handler", "meter_reader", "meter_fitter", "meter_calibrator",
     "system_maintainer", "department_head", "discipline", "admin"},
    {Text::RoleAcceptor, Text::RoleHandler, Text::RoleMeterReader, Text::RoleMeterFitter,
     Text::RoleMeterCalibrator, Text::RoleSystemMaintainer, Text::RoleDepartmentHead,
     Text::RoleDiscipline, Text::RoleAdmin}};
constexpr EnumTable<CustomerType, kCustomerTypeCount> kCustomerTypes{
    {"residential", "industrial", "developer", "other"},
    {Text::CustomerResidential, Text::CustomerIndustrial, Text::CustomerDeveloper,
     Text::CustomerOther}};
constexpr EnumTable<AccountState, 3> kAccountStates{
    {"active", "suspended", "cancelled"},
    {Text::AccountActive, Text::AccountSuspended, Text::AccountCancelled}};
constexpr EnumTable<Mode, 3> kModes{{"consultation", "direct", "accepted"},
                                    {Text::ModeConsultation, Text::ModeDirect, Text::ModeAccepted}};
constexpr EnumTable<Summary, 3> kSummaries{
    {"none", "monthly", "quarterly"},
    {Text::SummaryNone, Text::SummaryMonthly, Text::SummaryQuarterly}};
constexpr EnumTable<Escalation, 5> kEscalations{
    {"none", "overdue", "chased", "reported", "ruled"},
    {Text::EscalationNone, Text::EscalationOverdue, Text::EscalationChased,
     Text::EscalationReported, Text::EscalationRuled}};

}  // namespace

std::string_view key_of(Role r) { return kRoles.key(r); }
std::string_view key_of(CustomerType t) { return kCustomerTypes.key(t); }
std::string_view key_of(AccountState s) { return kAccountStates.key(s); }
std::string_view key_of(Mode m) { return kModes.key(m); }
std::string_view key_of(Summary s) { return kSummaries.key(s); }
std::string_view key_of(Escalation e) { return kEscalations.key(e); }
std::optional<Role> role_from_key(std::string_view k) { return kRoles.find(k); }
std::optional<CustomerType> customer_type_from_key(std::string_view k) {
  return kCustomerTypes.find(k);
}
std::optional<AccountState> account_state_from_key(std::string_view k) {
  return kAccountStates.find(k);
}
std::optional<Mode> mode_from_key(std::string_view k) { return kModes.find(k); }
std::optional<Summary> summary_from_key(std::string_view k) { return kSummaries.find(k); }
std::optional<Escalation> escalation_from_key(std::string_view k) { return kEscalations.find(k); }
Text name_of(Role r) { return kRoles.name(r); }
Text name_of(CustomerType t) { return kCustomerTypes.name(t); }
Text name_of(AccountState s) { return kAccountStates.name(s); }
Text name_of(Mode m) { return kModes.name(m); }
Text name_of(Summary s) { return kSummaries.name(s); }
Text name_of(Escalation e) { return kEscalations.name(e); }

const Staff* Directory::find_staff(std::string_view badge) const {
  for (const auto& s : staff)
    if (s.badge == badge) return &s;
  return nullptr;
}

const Site* Directory::find_site(std::string_view code) const {
  for (const auto& s : sites)
    if (s.code == code) return &s;
  return nullptr;
}

namespace {
// The text members of a customer and where a CustomerRecord keeps each: one list for both
// directions, so that neither can miss a member the other has.
struct TextMember {
  std::string Customer::*customer;
  Str CustomerRecord::*record;
};
constexpr TextMember kTextMembers[] = {
    {&Customer::number, &CustomerRecord::number},
    {&Customer::name, &CustomerRecord::name},
    {&Customer::address, &CustomerRecord::address},
    {&Customer::phone, &CustomerRecord::phone},
    {&Customer::id_no, &CustomerRecord::id_no},
    {&Customer::meter_no, &CustomerRecord::meter_no},
    {&Customer::category, &CustomerRecord::category},
    {&Customer::ratio, &CustomerRecord::ratio},
};
}  // namespace

void CustomerRecord::assign(Arena& arena, const Customer& c) {
  for (const auto& m : kTextMembers)
    if (this->*m.record != c.*m.customer) this->*m.record = Str::copy(arena, c.*m.customer);
  caliber_dn = c.caliber_dn;
  base_volume = c.base_volume;
  state = c.state;
  type = c.type;
}

Customer CustomerRecord::customer() const {
  Customer c;
  for (const auto& m : kTextMembers) c.*m.customer = (this->*m.record).str();
  c.caliber_dn = caliber_dn;
  c.base_volume = base_volume;
  c.state = state;
  c.type = type;
  return c;
}

bool is_customer_attribute(std::string_view key) {
  for (auto a : kCustomerAttributes)
    if (a == key) return true;
  return false;
}

namespace {
bool parse_nonnegative(std::string_view text, int& out) {
  int v = 0;
  const auto* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (r.ec != std::errc() || r.ptr != end || v < 0) return false;
  out = v;
  return true;
}
}  // namespace

bool set_customer_attribute(Customer& c, std::string_view attribute, std::string_view value) {
  if (attribute == "name") c.name = value;
  else if (attribute == "address") c.address = value;
  else if (attribute == "phone") c.phone = value;
  else if (attribute == "id_no") c.id_no = value;
  else if (attribute == "meter_no") c.meter_no = value;
  else if (attribute == "category") c.category = value;
  else if (attribute == "ratio") c.ratio = value;
  else if (attribute == "caliber_dn") return parse_nonnegative(value, c.caliber_dn);
  else if (attribute == "base_volume") return parse_nonnegative(value, c.base_volume);
  else if (attribute == "account_state") {
    const auto s = account_state_from_key(value);
    if (!s) return false;
    c.state = *s;
  } else if (attribute == "type") {
    const auto t = customer_type_from_key(value);
    if (!t) return false;
    c.type = *t;
  } else {
    return false;
  }
  return true;
}

bool is_core_field(std::string_view key) {
  for (auto f : kCoreFields)
    if (f == key) return true;
  return false;
}

Text core_field_name(std::string_view key) {
  if (key == "customer_no") return Text::FieldCustomerNo;
  if (key == "customer_name") return Text::FieldCustomerName;
  if (key == "address") return Text::FieldAddress;
  if (key == "phone") return Text::FieldPhone;
  if (key == "demand") return Text::FieldDemand;
  if (key == "remarks") return Text::FieldRemarks;
  return Text::AppTitle;
}

std::string_view case_field(const Case& c, std::string_view key) {
  if (key == "customer_no") return c.customer_no;
  if (key == "customer_name") return c.customer_name;
  if (key == "address") return c.address;
  if (key == "phone") return c.phone;
  if (key == "demand") return c.demand;
  if (key == "remarks") return c.remarks;
  for (const auto& f : c.fields)
    if (f.key == key) return f.value;
  return {};
}

const Str* find_field(const Case& c, Key key) {
  for (const auto& f : c.fields)
    if (f.key == key) return &f.value;
  return nullptr;
}

bool set_case_field(Case& c, Arena& arena, Key key, std::string_view value) {
  static const Key customer_no("customer_no"), customer_name("customer_name"), address("address"),
      phone("phone"), demand("demand"), remarks("remarks");
  Str* searchable = nullptr;
  if (key == customer_no) searchable = &c.customer_no;
  else if (key == customer_name) searchable = &c.customer_name;
  else if (key == address) searchable = &c.address;
  else if (key == phone) searchable = &c.phone;
  if (searchable) {
    if (*searchable == value) return false;
    *searchable = Str::copy(arena, value);
    ++c.text_version;
    return true;
  }
  if (key == demand) c.demand = Str::copy(arena, value);
  else if (key == remarks) c.remarks = Str::copy(arena, value);
  else {
    for (auto& f : c.fields)
      if (f.key == key) {
        if (f.value != value) f.value = Str::copy(arena, value);
        return false;
      }
    c.fields.push_back(arena, FieldValue{key, Str::copy(arena, value)});
  }
  return false;
}

// ---- History ------------------------------------------------------------------------------

namespace {
// The most bytes one packed entry takes: type and three key ids (at most 5 bytes each as
// LEB128 of 32 bits), seq and the time difference (at most 10 each).
constexpr size_t kMaxPackedEntry = 4 * 5 + 2 * 10;
// A new history's room: about four entries (a case starts with one and gets a few more).
constexpr size_t kTypicalPackedEntry = 12;

}  // namespace

void History::const_iterator::load() {
  if (at_ == end_) return;
  // The bytes were packed by append(): every varint is there and whole.
  std::string_view in(reinterpret_cast<const char*>(at_), static_cast<size_t>(end_ - at_));
  const auto next = [&in] {
    uint64_t v = 0;
    take_varint(in, v);
    return v;
  };
  const Millis before = entry_.time;  // the previous entry's (0 before the first)
  entry_.type = static_cast<uint8_t>(next());
  entry_.site = Key::from_id(static_cast<uint32_t>(next()));
  entry_.actor = Key::from_id(static_cast<uint32_t>(next()));
  entry_.step = Key::from_id(static_cast<uint32_t>(next()));
  entry_.seq = next();
  entry_.time = before + unzigzag(next());
  next_ = end_ - in.size();
}

uint8_t* History::append(uint8_t* out, const HistoryEntry& e) {
  out = put_varint(out, e.type);
  out = put_varint(out, e.site.id());
  out = put_varint(out, e.actor.id());
  out = put_varint(out, e.step.id());
  out = put_varint(out, e.seq);
  out = put_varint(out, zigzag(e.time - last_time_));
  last_time_ = e.time;
  ++count_;
  return out;
}

void History::grow(Arena& arena, size_t room) {
  if (capacity_ - size_ >= room) return;
  const size_t want = std::max<size_t>(size_ + room, 2 * size_t{capacity_});
  const auto [p, bytes] = arena.allocate_list(want);
  if (size_) std::memcpy(p, data_, size_);
  if (capacity_ > 0) arena.recycle_list(data_, capacity_);
  data_ = static_cast<uint8_t*>(p);
  capacity_ = static_cast<uint32_t>(bytes);
}

void History::reserve(Arena& arena, size_t entries) {
  grow(arena, std::max(entries * kTypicalPackedEntry, kMaxPackedEntry));
}

void History::push_back(Arena& arena, const HistoryEntry& e) {
  // Packed first, then room made for exactly that: asking for the worst case's room grew most
  // histories one entry early (a fold's histories took three times their bytes).
  uint8_t packed[kMaxPackedEntry];
  const auto n = static_cast<size_t>(append(packed, e) - packed);
  grow(arena, n);
  std::memcpy(data_ + size_, packed, n);
  size_ += static_cast<uint32_t>(n);
}

void History::assign(Arena& arena, std::span<const HistoryEntry> entries) {
  release();
  if (entries.empty()) return;
  // Packed once into a scratch buffer of the worst case, then copied at its exact size.
  static std::vector<uint8_t> scratch;  // the core runs on one thread (core/key.h)
  if (scratch.size() < entries.size() * kMaxPackedEntry) scratch.resize(entries.size() * kMaxPackedEntry);
  uint8_t* out = scratch.data();
  for (const auto& e : entries) out = append(out, e);
  size_ = capacity_ = static_cast<uint32_t>(out - scratch.data());
  data_ = arena.allocate_array<uint8_t>(size_);
  std::memcpy(data_, scratch.data(), size_);
}

HistoryEntry History::back() const {
  HistoryEntry last;
  for (const auto& e : *this) last = e;
  return last;
}

History History::clone(Arena& arena) const {
  History h(*this);
  if (size_ == 0) return h;
  h.data_ = arena.allocate_array<uint8_t>(size_);
  std::memcpy(h.data_, data_, size_);
  h.capacity_ = size_;
  return h;
}

Case Case::clone(Arena& arena) const {
  Case copy(*this);
  copy.pauses = pauses.clone(arena);
  copy.documents = documents.clone(arena);
  copy.signatures = signatures.clone(arena);
  copy.fields = fields.clone(arena);
  copy.history = history.clone(arena);
  copy.escalation = escalation.clone(arena);
  return copy;
}

DocumentItem* find_document(Case& c, std::string_view key) {
  for (auto& d : c.documents)
    if (d.key == key) return &d;
  return nullptr;
}
const DocumentItem* find_document(const Case& c, std::string_view key) {
  for (const auto& d : c.documents)
    if (d.key == key) return &d;
  return nullptr;
}

Key holder_dept(const Case& c) {
  static const Key any("*"), window("window");
  if (c.closed()) return {};
  if (!c.at_end) {
    if (c.step_dept.empty() || c.step_dept == any) return c.responsible_dept;
    return c.step_dept;
  }
  if (c.needs_reply && !c.replied) return c.responsible_dept;
  return window;
}

bool clock_running(const Case& c) {
  if (!c.due.set || c.closed() || c.paused()) return false;
  if (c.needs_reply) return !c.replied;
  return !c.at_end;
}

}  // namespace onestop
