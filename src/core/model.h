#pragma once
// The domain model of the one-stop counter (../shared/DOMAIN.md): customers, staff, departments,
// sites and cases (受理单). Plain data; a case changes only by folding events (core/workflow.h).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/date.h"
#include "core/key.h"
#include "core/text.h"

namespace onestop {

// ---- Enumerations with stable keys (used in JSON, events and the process definitions) --------

// Staff roles of DOMAIN.md "Organisation and roles". A staff member may hold several.
enum class Role : uint8_t {
  acceptor,           // 受理人 window clerk; the first one on a case is the 首问责任人
  handler,            // 承办人 handler in a department
  meter_reader,       // 抄表员
  meter_fitter,       // 拆装人员
  meter_calibrator,   // 校表员
  system_maintainer,  // 系统维护员 makes the change in the billing system
  department_head,    // 分管领导 signs off
  discipline,         // 纪委 discipline reviewer
  admin,              // administrator
};
inline constexpr int kRoleCount = 9;
using RoleSet = uint16_t;  // bit i = Role i
constexpr RoleSet role_bit(Role r) { return static_cast<RoleSet>(1u << static_cast<unsigned>(r)); }

// Signatures name a staff role, or the customer (who is not staff).
inline constexpr std::string_view kCustomerSigner = "customer";

enum class CustomerType : uint8_t { residential, industrial, developer, other };
inline constexpr int kCustomerTypeCount = 4;
enum class AccountState : uint8_t { active, suspended, cancelled };
// The three kinds of matter of §5.
enum class Mode : uint8_t { consultation, direct, accepted };
// Which periodic summary a process feeds (A4 monthly; A3, A5 and §8 quarterly).
enum class Summary : uint8_t { none, monthly, quarterly };
// §6 escalation of an overdue case, in order.
enum class Escalation : uint8_t { none, overdue, chased, reported, ruled };

std::string_view key_of(Role r);
std::string_view key_of(CustomerType t);
std::string_view key_of(AccountState s);
std::string_view key_of(Mode m);
std::string_view key_of(Summary s);
std::string_view key_of(Escalation e);
std::optional<Role> role_from_key(std::string_view key);
std::optional<CustomerType> customer_type_from_key(std::string_view key);
std::optional<AccountState> account_state_from_key(std::string_view key);
std::optional<Mode> mode_from_key(std::string_view key);
std::optional<Summary> summary_from_key(std::string_view key);
std::optional<Escalation> escalation_from_key(std::string_view key);
// Display names from the translation table.
Text name_of(Role r);
Text name_of(CustomerType t);
Text name_of(AccountState s);
Text name_of(Mode m);
Text name_of(Summary s);
Text name_of(Escalation e);

// ---- Organisation ----------------------------------------------------------------------------

struct Department {
  std::string key;  // window, csc, billing, network, engineering, discipline, meter_shop, …
  std::string zh, en;
  bool operator==(const Department&) const = default;
};

struct Site {
  std::string code;  // short code, part of every case number: "HQ", "DB" (branch) …
  std::string zh, en;
  bool main_office = false;
  bool operator==(const Site&) const = default;
};

struct Staff {
  std::string badge;       // 工号 / badge number (挂牌上岗 §7); the actor of every event
  std::string name;
  std::string department;  // department key
  std::string site;        // site code where the person works
  RoleSet roles = 0;
  bool has(Role r) const { return (roles & role_bit(r)) != 0; }
  bool operator==(const Staff&) const = default;
};

// Who works where. Departments come from the process definitions (core/process.h).
struct Directory {
  std::vector<Site> sites;
  std::vector<Staff> staff;
  const Staff* find_staff(std::string_view badge) const;
  const Site* find_site(std::string_view code) const;
};

// ---- Customers -------------------------------------------------------------------------------

struct Customer {
  std::string number;    // 用户编号
  std::string name;      // 姓名或单位 name or unit
  std::string address;   // 用水地址
  std::string phone;
  std::string id_no;     // ID-card or business-licence number
  std::string meter_no;  // 水表号
  int caliber_dn = 0;    // 水表口径 DN (mm)
  std::string category;  // 用水类别 water-use category
  std::string ratio;     // 用水比例 e.g. "居民 70% / 非居民 30%"
  int base_volume = 0;   // 第一阶梯月基础水量, m³ per month
  AccountState state = AccountState::active;
  CustomerType type = CustomerType::residential;
  bool operator==(const Customer&) const = default;
};

// A customer as a State keeps it (State::customer gives it back as a Customer): its strings in
// the State's arena, so that a save costs no malloc and a customer saved again keeps the strings
// that did not change; 144 bytes natively against a Customer's 272.
struct CustomerRecord {
  Str number, name, address, phone, id_no, meter_no, category, ratio;
  int caliber_dn = 0;
  int base_volume = 0;
  AccountState state = AccountState::active;
  CustomerType type = CustomerType::residential;
  void assign(Arena& arena, const Customer& c);  // copies only the strings that changed
  Customer customer() const;
  bool operator==(const CustomerRecord&) const = default;
};

// Customer attributes a process step may change (process "effects").
inline constexpr std::string_view kCustomerAttributes[] = {
    "name",     "address", "phone", "id_no", "meter_no", "caliber_dn",
    "category", "ratio",   "base_volume", "account_state", "type"};
bool is_customer_attribute(std::string_view key);
// Sets `attribute` from text; false (customer unchanged) when the text does not fit it.
bool set_customer_attribute(Customer& c, std::string_view attribute, std::string_view value);

// ---- Cases (受理单) ----------------------------------------------------------------------------

// A form field's value (A8, A10 and process-specific fields).
struct FieldValue {
  Key key;
  Str value;
  bool operator==(const FieldValue&) const = default;
};

// A deadline: the date it falls due (end of office hours that day) and whether a day counted lies
// in a year whose holiday notice is not yet published.
struct Deadline {
  Date date{};  // first: the two flags then share one word (8 bytes, not 12)
  bool set = false;
  bool provisional = false;
  bool operator==(const Deadline&) const = default;
};

struct Signature {
  Key step;         // the step signed for
  Key role;         // a Role key or "customer"
  Str who;  // badge (staff) or the customer's name
  Millis when = 0;
  bool operator==(const Signature&) const = default;
};

struct DocumentItem {
  Key key;  // document key of the process definitions
  bool received = false;
  Millis when = 0;
  Key by;  // badge of who took it
  bool operator==(const DocumentItem&) const = default;
};

struct PauseSpan {
  Millis from = 0;
  Millis to = 0;  // 0 while still paused
  Str reason;
  Items<Key> documents_needed;
  bool operator==(const PauseSpan&) const = default;
};

struct ReturnVisit {
  Date date{};
  Key by;  // badge of the first-responsible person (or a colleague)
  int rating = 0;  // 1–5
  Str comment;
  bool operator==(const ReturnVisit&) const = default;
};

struct EscalationState {
  Escalation stage = Escalation::none;
  Date missed{};              // the due date that passed
  Str cause;  // why it is late ("no_reply" when found by the overdue scan)
  Key dept_at_fault;  // department key
  int chases = 0;
  Str chase_note;
  bool customer_informed = false;
  Millis overdue_at = 0, chased_at = 0, reported_at = 0, ruled_at = 0;
  Key reported_by, ruled_by;
  bool accountable = false;  // the discipline committee's finding (问责)
  Str finding;
  bool operator==(const EscalationState&) const = default;
};

// One line of a case's history: which event, who, when. The full event is in the store.
struct HistoryEntry {
  Key site;
  Key actor;
  Key step;          // the step acted on, when there is one
  uint8_t type = 0;  // EventType (core/event.h)
  uint64_t seq = 0;
  Millis time = 0;
  bool operator==(const HistoryEntry&) const = default;
};

// A case's history, packed: each entry is a few varints (type, the key ids, seq, and the time
// as the difference to the previous entry's) in bytes of the State's arena — about 11 bytes an
// entry instead of sizeof(HistoryEntry) = 32. The history is the largest list of a case, and
// first-touching memory is most of a state's load time in the browser (docs/performance.md).
// Read it by iterating (entries come decoded, by value). The bytes hold this process's key ids:
// they are never written anywhere (a snapshot writes the entries one by one).
class History {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = HistoryEntry;
    using difference_type = std::ptrdiff_t;
    using pointer = const HistoryEntry*;
    using reference = const HistoryEntry&;
    const_iterator() = default;
    const HistoryEntry& operator*() const { return entry_; }
    const HistoryEntry* operator->() const { return &entry_; }
    const_iterator& operator++() {
      at_ = next_;
      load();
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const const_iterator& o) const { return at_ == o.at_; }

   private:
    friend class History;
    const_iterator(const uint8_t* at, const uint8_t* end) : at_(at), end_(end) { load(); }
    void load();  // decodes the entry at at_ (unless at the end) and finds the next one
    const uint8_t* at_ = nullptr;
    const uint8_t* next_ = nullptr;
    const uint8_t* end_ = nullptr;
    HistoryEntry entry_;
  };

  History() = default;
  History& operator=(const History&) = delete;
  History(History&& o) noexcept { *this = std::move(o); }
  History& operator=(History&& o) noexcept {
    last_time_ = o.last_time_;
    data_ = o.data_;
    size_ = o.size_;
    capacity_ = o.capacity_;
    count_ = o.count_;
    o.release();
    return *this;
  }

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  const_iterator begin() const { return {data_, data_ + size_}; }
  const_iterator end() const { return {data_ + size_, data_ + size_}; }
  HistoryEntry back() const;  // the last entry (decodes them all; the history is not empty)
  size_t bytes() const { return size_; }

  // Room for about `entries` more entries.
  void reserve(Arena& arena, size_t entries);
  void push_back(Arena& arena, const HistoryEntry& e);
  // Exactly these entries, in memory of exactly their packed size.
  void assign(Arena& arena, std::span<const HistoryEntry> entries);
  History clone(Arena& arena) const;  // a copy with memory of its own in `arena`

  // Same entries: the packing is a function of the entries, so the bytes compare.
  friend bool operator==(const History& a, const History& b) {
    return a.count_ == b.count_ && a.size_ == b.size_ &&
           (a.size_ == 0 || std::memcmp(a.data_, b.data_, a.size_) == 0);
  }

 private:
  friend struct Case;  // Case::clone starts from a copy sharing the bytes, then replaces them
  History(const History&) = default;
  void release() {
    last_time_ = 0;
    data_ = nullptr;
    size_ = capacity_ = count_ = 0;
  }
  void grow(Arena& arena, size_t room);  // at least `room` bytes free after size_
  uint8_t* append(uint8_t* out, const HistoryEntry& e);  // packs e at out; returns the end

  Millis last_time_ = 0;  // of the last entry: the next one's time is packed as a difference
  uint8_t* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
  uint32_t count_ = 0;
};

enum class CaseStatus : uint8_t { open, closed };

struct Case {
  // The members are grouped as the form has them, but ordered within and across groups so that
  // no padding is wasted (the one-byte flags last): a State holds one Case per case, and every
  // byte less is fresh memory not faulted in by a fold or an open (docs/performance.md).

  // Identity.
  Str number;          // 受理编号 "<SITE>-<YYYYMMDD>-<NNNN>", unique across sites
  Key site;            // accepting site

  // 业务受理登记表 (A9), field by field.
  Key acceptor;          // 受理人 badge; the first-responsible person (首问责任人)
  Millis accepted_at = 0;      // 受理时间
  Str customer_name;   // 姓名或单位
  Key category;                // 办理类别: the routing matter key (core/process.h)
  Key process;                 // process key (classification)
  Str address;         // 用水地址
  Str customer_no;     // 用户编号
  Str phone;           // 联系电话
  Str demand;          // 用户诉求
  Key responsible_dept;            // 承办单位
  Key responsible_person;          // 责任人 (badge, may be empty until assigned)
  Millis transferred_at = 0;       // 转办时间
  Deadline due;                    // 计划完成时限 (the §6 / process clock)
  Str result;              // 完成情况 (the department's reply)
  std::optional<ReturnVisit> visit;  // 回访情况
  Str remarks;               // 备注

  // Workflow position.
  Key step;       // current step key
  Key step_dept;  // department of the current step: a key, "" = responsible, "*" = any
  Millis step_entered = 0;
  Deadline step_due;
  Key outcome;  // last branch taken (e.g. A6 "meter_faulty")
  Key replied_by;
  Millis replied_at = 0;
  Millis closed_at = 0;

  // Clocks (inputs to recompute a deadline; see core/deadline.h).
  int limit = -1;        // working days of the case clock, -1 = none
  Date clock_start{};    // the clock runs from the day after this date
  int step_limit = -1;   // working days of the current step, -1 = none
  Date step_start{};
  Vec<PauseSpan> pauses;

  // Documents, signatures, extra form fields (A8, A10 and process-specific).
  Vec<DocumentItem> documents;  // the checklist: every document the process asks for
  Vec<Signature> signatures;
  Vec<FieldValue> fields;  // in the order first set

  // Links.
  Str duplicate_of;  // this case repeats that one (and is closed)
  Str follow_up_of;  // this case continues that one

  OutOfLine<EscalationState> escalation;  // read *escalation / escalation->; write edit(arena)
  History history;
  uint32_t text_version = 0;  // bumped when a searchable field changes (for the indexes)

  // Classification and state flags.
  Mode mode = Mode::accepted;
  Summary summary = Summary::none;
  CustomerType customer_type = CustomerType::residential;
  bool needs_reply = false;  // the department must report the result to the acceptor (§6)
  bool needs_visit = false;  // the acceptor must call the customer back (§6)
  bool auto_close = false;   // closes by itself once nothing is left to do
  CaseStatus status = CaseStatus::open;
  bool at_end = false;    // the current step is terminal: the process is done
  bool replied = false;

  bool paused() const { return !pauses.empty() && pauses.back().to == 0; }
  bool closed() const { return status == CaseStatus::closed; }
  bool operator==(const Case&) const = default;

  // A case's strings and lists live in the arena of the State holding it (core/arena.h): a
  // copy is made explicitly, with lists of its own in `arena` (the strings are shared: they
  // never change in place).
  Case() = default;
  Case(Case&&) = default;
  Case& operator=(Case&&) = default;
  Case clone(Arena& arena) const;

 private:
  Case(const Case&) = default;  // shares the lists: only for clone()
};

// Case fields every process may name in "fields" (the A9 part kept as members of Case).
inline constexpr std::string_view kCoreFields[] = {"customer_no", "customer_name", "address",
                                                   "phone",       "demand",        "remarks"};
bool is_core_field(std::string_view key);
Text core_field_name(std::string_view key);  // Text::FieldCustomerNo …; AppTitle if not core
// The value of a field: a core member or an entry of `fields`; empty when unset.
std::string_view case_field(const Case& c, std::string_view key);
// Sets a field; true when a searchable field (name, number, phone, address) changed.
bool set_case_field(Case& c, Arena& arena, Key key, std::string_view value);
const Str* find_field(const Case& c, Key key);  // an entry of `fields`, or null
DocumentItem* find_document(Case& c, std::string_view key);
const DocumentItem* find_document(const Case& c, std::string_view key);

// The department whose inbox holds the case now, or "" when nobody must act (closed):
// the current step's department while the process runs, the responsible department until it
// replies, then the window (return visit and closing).
Key holder_dept(const Case& c);
// The case clock is running: set, open, not paused, and the department has not answered yet.
bool clock_running(const Case& c);

}  // namespace onestop
