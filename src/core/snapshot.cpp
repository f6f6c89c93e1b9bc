// State snapshots (State::snapshot / State::from_snapshot, declared in core/workflow.h): the
// state's own data — cases, customers, per-site sequences and case counters — as compact bytes,
// so that opening a store reads one file and replays only the events written after it instead
// of all history. The case-number table and the query indexes are derived: rebuilt on load.
//
// Layout: "OSSN" · n version · n size of the head content · its blocks · n size of the details
// content · its blocks; a block is n raw size · n packed size · the block compressed by
// core/lz.h (at most 128 KiB raw, each decodable on its own).
// The content (little endian; "n" = unsigned LEB128, "s" = n length + UTF-8 bytes, "z" = zigzag
// n, "k" = a key as n: 0 the empty key, i the table's i-th; "t" = a time in a case as n: 0
// unset, else 1 + zigzag(time - the case's acceptance time)):
//   head: the key table: n keys {s text} · n events applied · n sites {k site, n last_seq,
//   n days {z day, z top}} · n customers {Customer} · n cases {CaseHead · n details size};
//   details: the cases' CaseDetails, one after the other in case order.
// Keys and times take most of a case's members: as table indexes and small differences the
// content is about half the size of writing them out (version 1), and reading needs no
// interning per key. The blocks halve it again (version 3) and are decoded one at a time into a
// small window: opening never holds the whole decoded content, and reads half the bytes out of
// IndexedDB (docs/performance.md).
// Version 4 splits each case in two: its head (what lists, indexes and clocks read) is decoded
// on open; its details (demand, result, visit, remarks, documents, signatures, fields, links,
// escalation, history) stay compressed until the case is used or State::complete_step gets to
// them. Opening thus fills about half the memory it did, and in the browser an open's time is
// mostly first-touching fresh memory (docs/performance.md).
// Every Case and Customer member is written in declaration order within its part (see
// put_head / put_details); a member added to the model without being added here makes the
// round-trip test fail (tests/core/test_snapshot.cpp compares with State::same_as, which
// compares every member).
// The store checksums the snapshot file; this code still checks every length against the end
// of the bytes, so damaged input yields an error, never a crash.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <unordered_map>

#include "core/lz.h"
#include "core/varint.h"
#include "core/workflow.h"

namespace onestop {
namespace {

constexpr char kMagic[4] = {'O', 'S', 'S', 'N'};
constexpr uint64_t kVersion = 4;
constexpr size_t kBlock = 128 << 10;  // raw bytes a block, at most

// Writes the two contents (head and details) each into a window that is compressed into blocks
// as it fills (block_done after each record), so that neither is ever held whole uncompressed.
class Writer {
 public:
  Writer() {
    head_.window.reserve(kBlock + 4096);
    details_.window.reserve(kBlock + 4096);
  }
  // Where the values go from now on.
  void to_head() { out_ = &head_; }
  void to_details() { out_ = &details_; }
  // Bytes written to the details so far (a case's details are measured by the difference).
  uint64_t details_size() const { return details_.raw_bytes + details_.window.size(); }
  // Call between records: compresses a window into a block once it holds kBlock bytes.
  void block_done() {
    for (Stream* st : {&head_, &details_})
      if (st->window.size() >= kBlock) flush(*st);
  }
  void raw(const void* p, size_t n) { out_->window.append(static_cast<const char*>(p), n); }
  void n(uint64_t v) { put_n(out_->window, v); }
  void z(int64_t v) { n(zigzag(v)); }
  void b(bool v) { out_->window.push_back(v ? 1 : 0); }
  void s(std::string_view v) {
    n(v.size());
    out_->window.append(v);
  }
  void k(Key v) {
    if (v.empty()) return n(0);
    if (v.id() >= index_of_id_.size()) index_of_id_.resize(v.id() + 1, 0);
    uint32_t& index = index_of_id_[v.id()];
    if (index == 0) {
      keys_.push_back(v);
      index = static_cast<uint32_t>(keys_.size());
    }
    n(index);
  }
  // A time of a case: 0 (unset) stays 0, others as the difference to the case's `base`.
  void t(Millis v, Millis base) {
    if (v == 0) return n(0);
    const uint64_t d = static_cast<uint64_t>(v) - static_cast<uint64_t>(base);
    n(((d << 1) ^ (static_cast<int64_t>(d) < 0 ? ~uint64_t{0} : 0)) + 1);
  }
  void d(Date v) { z(v.days); }
  void deadline(const Deadline& v) {
    b(v.set);
    d(v.date);
    b(v.provisional);
  }
  template <class E>
  void e(E v) {
    n(static_cast<uint64_t>(v));
  }
  // The snapshot: header, the key table's and the head's blocks, the details' blocks.
  std::string finish() {
    flush(head_);
    flush(details_);
    std::string table;
    put_n(table, keys_.size());
    for (Key k : keys_) {
      put_n(table, k.view().size());
      table += k.view();
    }
    std::string result(kMagic, sizeof kMagic);
    put_n(result, kVersion);
    put_n(result, table.size() + head_.raw_bytes);
    result.reserve(result.size() + table.size() + head_.blocks.size() + details_.blocks.size() + 64);
    for (size_t at = 0; at < table.size(); at += kBlock)
      append_block(std::string_view(table).substr(at, kBlock), result);
    result += head_.blocks;
    put_n(result, details_.raw_bytes);
    result += details_.blocks;
    return result;
  }

 private:
  struct Stream {
    std::string window;       // not yet compressed
    std::string blocks;       // the blocks so far
    uint64_t raw_bytes = 0;   // raw bytes in `blocks`
  };
  static void put_n(std::string& out, uint64_t v) { put_varint(std::back_inserter(out), v); }
  void flush(Stream& st) {
    st.raw_bytes += st.window.size();
    for (size_t at = 0; at < st.window.size(); at += kBlock)  // a record may overrun the window
      append_block(std::string_view(st.window).substr(at, kBlock), st.blocks);
    st.window.clear();
  }
  // Appends `raw` compressed as one block to `to`.
  void append_block(std::string_view raw, std::string& to) {
    packed_.clear();
    compressor_.compress(raw, packed_);
    put_n(to, raw.size());
    put_n(to, packed_.size());
    to += packed_;
  }

  Stream head_, details_;
  Stream* out_ = &head_;
  std::string packed_;  // scratch
  lz::Compressor compressor_;
  std::vector<uint32_t> index_of_id_;  // Key::id() -> 1-based index in keys_, 0: not yet
  std::vector<Key> keys_;
};


// A block of the details' content, kept compressed after a load (State::DeferredDetails).
struct DetailsBlock {
  uint64_t raw_at;     // where its raw bytes start in the details' content
  uint32_t raw_size;
  std::string packed;  // one string a block: no copying as they are gathered
};

// Reads a snapshot handed over in pieces (State::ByteSource) through a window: the blocks are
// decoded one at a time as the reads need them (need / refill), so a value may span two blocks,
// a block two pieces, and neither the snapshot nor its content is ever held whole.
class Reader {
 public:
  explicit Reader(const State::ByteSource& next) : next_(next) {}
  // Over decoded content at hand (a case's details), with the key table of its snapshot.
  Reader(std::string_view content, const std::vector<Key>& keys,
         std::vector<HistoryEntry>& history_scratch)
      : next_(no_more()), in_(content), keys_(&keys), history_(&history_scratch) {}
  // The header: magic and version (checked by the caller), the content's size.
  bool header(uint64_t& version) {
    gather(sizeof kMagic + 20);  // fewer in a tiny snapshot: the checks below see the end
    if (blocks_.size() < sizeof kMagic || std::memcmp(blocks_.data(), kMagic, sizeof kMagic) != 0)
      return false;
    blocks_.remove_prefix(sizeof kMagic);
    return take_varint(blocks_, version) && (version != kVersion || take_varint(blocks_, unread_));
  }
  bool ok() const { return ok_; }
  void fail() { ok_ = false; }
  // Room to decode a case's history into before it is packed (History::assign).
  std::vector<HistoryEntry>& history_scratch() { return *history_; }
  // Every declared byte of the content read.
  bool content_done() const { return pos_ == in_.size() && unread_ == 0; }
  // Nothing after the last block.
  bool at_end() { return content_done() && !gather(1); }
  // After the head's content: the details' size and blocks, kept as they are (their sizes
  // checked, not decoded).
  bool take_details(std::vector<DetailsBlock>& blocks, uint64_t& size) {
    gather(10);  // fewer at the very end: take_varint sees it
    if (!take_varint(blocks_, size)) return false;
    for (uint64_t raw_at = 0; raw_at < size;) {
      std::string_view block;
      uint64_t raw = 0;
      if (!next_block(block, raw) || raw == 0 || raw > size - raw_at) return false;
      blocks.push_back({raw_at, static_cast<uint32_t>(raw), std::string(block)});
      raw_at += raw;
    }
    return true;
  }
  std::vector<Key> take_keys() { return std::move(own_keys_); }
  bool raw(void* p, size_t n) {
    if (!need(n)) return ok_ = false;
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  uint64_t n() {
    if (in_.size() - pos_ < 10) refill(10);  // fewer only at the very end: checked below
    std::string_view rest = in_.substr(pos_);
    uint64_t v = 0;
    if (!ok_ || !take_varint(rest, v)) {
      ok_ = false;
      return 0;
    }
    pos_ = in_.size() - rest.size();
    return v;
  }
  int64_t z() { return unzigzag(n()); }
  int32_t i32() { return static_cast<int32_t>(z()); }
  bool b() {
    uint8_t v = 0;
    raw(&v, 1);
    if (v > 1) ok_ = false;
    return v == 1;
  }
  // A view into the window: valid until the next read.
  std::string_view sv() {
    const uint64_t len = n();
    if (!ok_ || len > left() || !need(static_cast<size_t>(len))) {
      ok_ = false;
      return {};
    }
    const std::string_view v = in_.substr(pos_, static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    return v;
  }
  std::string s() { return std::string(sv()); }
  Str str(Arena& arena) { return Str::copy(arena, sv()); }
  Key k() {
    const uint64_t i = n();
    if (i == 0) return Key();
    if (i > keys_->size()) {
      ok_ = false;
      return Key();
    }
    return (*keys_)[i - 1];
  }
  Millis t(Millis base) {
    const uint64_t v = n();
    if (v == 0) return 0;
    const uint64_t z = v - 1;
    const uint64_t d = (z >> 1) ^ (~(z & 1) + 1);
    return static_cast<Millis>(static_cast<uint64_t>(base) + d);  // wraps on damage, no UB
  }
  // The key table at the start of the content.
  bool read_key_table() {
    own_keys_.resize(count(1));
    for (Key& k : own_keys_) k = Key(sv());
    return ok_;
  }
  Date d() { return Date{i32()}; }
  Deadline deadline() {
    Deadline v;
    v.set = b();
    v.date = d();
    v.provisional = b();
    return v;
  }
  // An enum stored as its number: checked against the last valid value.
  template <class E>
  E e(E last) {
    E v{};
    if (!enum_from(n(), last, v)) ok_ = false;
    return ok_ ? v : E{};
  }
  // A count of items each at least `min_bytes` long: refused when the rest cannot hold them,
  // so that a damaged count cannot make the reader reserve absurd amounts.
  size_t count(size_t min_bytes = 1) {
    const uint64_t v = n();
    if (!ok_ || v > left() / min_bytes) {
      ok_ = false;
      return 0;
    }
    return static_cast<size_t>(v);
  }

 private:
  uint64_t left() const { return (in_.size() - pos_) + unread_; }  // content bytes not yet read
  bool need(size_t n) { return in_.size() - pos_ >= n || refill(n); }
  // Moves the unread rest of the window to its start and decodes blocks after it until `n`
  // bytes are at hand. False when the content ends first (the reads then fail) or a block is
  // damaged (the reader fails at once).
  bool refill(size_t n) {
    if (!ok_) return false;
    size_t have = in_.size() - pos_;
    if (unread_ == 0) return have >= n;  // nothing left to decode (or content given whole)
    if (have > 0 && pos_ > 0) std::memmove(window_.data(), in_.data() + pos_, have);
    pos_ = 0;
    while (have < n && unread_ > 0) {
      std::string_view block;
      uint64_t raw = 0;
      if (!next_block(block, raw) || raw > unread_) return ok_ = false;
      if (window_.size() < have + raw) window_.resize(std::max<size_t>(have + raw, kBlock));
      if (!lz::decompress(block, window_.data() + have, raw)) return ok_ = false;
      have += raw;
      unread_ -= raw;
    }
    in_ = std::string_view(window_.data(), have);
    return have >= n;
  }
  // The next block, whole: its sizes and bytes, gathered from as many pieces as it spans.
  bool next_block(std::string_view& block, uint64_t& raw) {
    constexpr uint64_t kMaxPacked = kBlock + kBlock / 255 + 16;  // lz's worst case for a block
    for (size_t want = 2;;) {
      std::string_view probe = blocks_;
      uint64_t packed = 0;
      if (take_varint(probe, raw) && take_varint(probe, packed)) {
        if (raw > kBlock || packed > kMaxPacked) return false;  // damaged sizes
        if (packed <= probe.size()) {
          block = probe.substr(0, static_cast<size_t>(packed));
          blocks_ = probe.substr(static_cast<size_t>(packed));
          return true;
        }
        want = static_cast<size_t>(blocks_.size() - probe.size() + packed);
      } else if (blocks_.size() >= 20) {
        return false;  // no valid sizes
      } else {
        want = blocks_.size() + 1;
      }
      if (!gather(want)) return false;  // the snapshot ends inside the block
    }
  }
  // At least `n` undecoded bytes at hand in blocks_ (pieces appended to a carry buffer when the
  // current piece holds fewer); false when the snapshot ends first.
  bool gather(size_t n) {
    while (blocks_.size() < n) {
      if (!blocks_.empty()) {  // kept before asking for more: the source may reuse its piece
        spare_.assign(blocks_);
        carry_.swap(spare_);
        blocks_ = carry_;
      }
      const std::string_view more = next_();
      if (more.empty()) return false;
      if (blocks_.empty()) {
        blocks_ = more;  // the usual case: a block ended with the piece
        continue;
      }
      carry_.append(more);
      blocks_ = carry_;
    }
    return true;
  }

  static const State::ByteSource& no_more() {
    static const State::ByteSource none = [] { return std::string_view(); };
    return none;
  }

  const State::ByteSource& next_;
  std::string_view blocks_;  // undecoded bytes: in the current piece or in carry_
  std::string carry_, spare_;
  uint64_t unread_ = 0;      // content bytes not yet decoded
  std::string window_;       // decoded content: in_ views its unread part
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
  std::vector<Key> own_keys_;  // the table read by read_key_table
  const std::vector<Key>* keys_ = &own_keys_;
  std::vector<HistoryEntry> own_history_;
  std::vector<HistoryEntry>* history_ = &own_history_;
};

void put(Writer& w, const CustomerRecord& c) {
  w.s(c.number);
  w.s(c.name);
  w.s(c.address);
  w.s(c.phone);
  w.s(c.id_no);
  w.s(c.meter_no);
  w.z(c.caliber_dn);
  w.s(c.category);
  w.s(c.ratio);
  w.z(c.base_volume);
  w.e(c.state);
  w.e(c.type);
}

void get(Reader& r, CustomerRecord& c, Arena& arena) {
  c.number = r.str(arena);
  c.name = r.str(arena);
  c.address = r.str(arena);
  c.phone = r.str(arena);
  c.id_no = r.str(arena);
  c.meter_no = r.str(arena);
  c.caliber_dn = r.i32();
  c.category = r.str(arena);
  c.ratio = r.str(arena);
  c.base_volume = r.i32();
  c.state = r.e(AccountState::cancelled);
  c.type = r.e(CustomerType::other);
}

// A case in two parts. The head: what lists, the indexes (core/index.h), holder_dept and
// clock_running read, decoded on open. The details: the rest, decoded on first use.
void put_head(Writer& w, const Case& c) {
  w.s(c.number);
  w.k(c.site);
  w.k(c.acceptor);
  w.z(c.accepted_at);
  w.s(c.customer_name);
  w.k(c.category);
  w.s(c.address);
  w.s(c.customer_no);
  w.s(c.phone);
  w.k(c.responsible_dept);
  w.k(c.responsible_person);
  w.t(c.transferred_at, c.accepted_at);
  w.deadline(c.due);
  w.k(c.process);
  w.e(c.mode);
  w.e(c.summary);
  w.e(c.customer_type);
  w.b(c.needs_reply);
  w.b(c.needs_visit);
  w.b(c.auto_close);
  w.e(c.status);
  w.k(c.step);
  w.k(c.step_dept);
  w.b(c.at_end);
  w.t(c.step_entered, c.accepted_at);
  w.deadline(c.step_due);
  w.k(c.outcome);
  w.b(c.replied);
  w.t(c.replied_at, c.accepted_at);
  w.k(c.replied_by);
  w.t(c.closed_at, c.accepted_at);
  w.z(c.limit);
  w.d(c.clock_start);
  w.z(c.step_limit);
  w.d(c.step_start);
  w.n(c.pauses.size());
  for (const auto& p : c.pauses) {
    w.t(p.from, c.accepted_at);
    w.t(p.to, c.accepted_at);
    w.s(p.reason);
    w.n(p.documents_needed.size());
    for (Key k : p.documents_needed) w.k(k);
  }
  w.n(c.text_version);
}

void put_details(Writer& w, const Case& c) {
  w.s(c.demand);
  w.s(c.result);
  w.b(c.visit.has_value());
  if (c.visit) {
    w.d(c.visit->date);
    w.k(c.visit->by);
    w.z(c.visit->rating);
    w.s(c.visit->comment);
  }
  w.s(c.remarks);
  w.n(c.documents.size());
  for (const auto& d : c.documents) {
    w.k(d.key);
    w.b(d.received);
    w.t(d.when, c.accepted_at);
    w.k(d.by);
  }
  w.n(c.signatures.size());
  for (const auto& s : c.signatures) {
    w.k(s.step);
    w.k(s.role);
    w.s(s.who);
    w.t(s.when, c.accepted_at);
  }
  w.n(c.fields.size());
  for (const auto& f : c.fields) {
    w.k(f.key);
    w.s(f.value);
  }
  w.s(c.duplicate_of);
  w.s(c.follow_up_of);
  const EscalationState& x = *c.escalation;
  w.e(x.stage);
  w.d(x.missed);
  w.s(x.cause);
  w.k(x.dept_at_fault);
  w.z(x.chases);
  w.s(x.chase_note);
  w.b(x.customer_informed);
  w.t(x.overdue_at, c.accepted_at);
  w.t(x.chased_at, c.accepted_at);
  w.t(x.reported_at, c.accepted_at);
  w.t(x.ruled_at, c.accepted_at);
  w.k(x.reported_by);
  w.k(x.ruled_by);
  w.b(x.accountable);
  w.s(x.finding);
  w.n(c.history.size());
  for (const auto& h : c.history) {
    w.k(h.site);
    w.k(h.actor);
    w.k(h.step);
    w.n(h.type);
    w.n(h.seq);
    w.t(h.time, c.accepted_at);
  }
}

void get_head(Reader& r, Case& c, Arena& a) {
  c.number = r.str(a);
  c.site = r.k();
  c.acceptor = r.k();
  c.accepted_at = r.z();
  c.customer_name = r.str(a);
  c.category = r.k();
  c.address = r.str(a);
  c.customer_no = r.str(a);
  c.phone = r.str(a);
  c.responsible_dept = r.k();
  c.responsible_person = r.k();
  c.transferred_at = r.t(c.accepted_at);
  c.due = r.deadline();
  c.process = r.k();
  c.mode = r.e(Mode::accepted);
  c.summary = r.e(Summary::quarterly);
  c.customer_type = r.e(CustomerType::other);
  c.needs_reply = r.b();
  c.needs_visit = r.b();
  c.auto_close = r.b();
  c.status = r.e(CaseStatus::closed);
  c.step = r.k();
  c.step_dept = r.k();
  c.at_end = r.b();
  c.step_entered = r.t(c.accepted_at);
  c.step_due = r.deadline();
  c.outcome = r.k();
  c.replied = r.b();
  c.replied_at = r.t(c.accepted_at);
  c.replied_by = r.k();
  c.closed_at = r.t(c.accepted_at);
  c.limit = r.i32();
  c.clock_start = r.d();
  c.step_limit = r.i32();
  c.step_start = r.d();
  c.pauses.resize(a, r.count(4));
  for (auto& p : c.pauses) {
    p.from = r.t(c.accepted_at);
    p.to = r.t(c.accepted_at);
    p.reason = r.str(a);
    std::vector<Key> needed(r.count());
    for (Key& k : needed) k = r.k();
    p.documents_needed = Items<Key>::copy(a, needed);
  }
  c.text_version = static_cast<uint32_t>(r.n());
}

void get_details(Reader& r, Case& c, Arena& a) {
  c.demand = r.str(a);
  c.result = r.str(a);
  if (r.b()) {
    ReturnVisit v;
    v.date = r.d();
    v.by = r.k();
    v.rating = r.i32();
    v.comment = r.str(a);
    c.visit = std::move(v);
  }
  c.remarks = r.str(a);
  c.documents.resize(a, r.count(4));
  for (auto& d : c.documents) {
    d.key = r.k();
    d.received = r.b();
    d.when = r.t(c.accepted_at);
    d.by = r.k();
  }
  c.signatures.resize(a, r.count(4));
  for (auto& s : c.signatures) {
    s.step = r.k();
    s.role = r.k();
    s.who = r.str(a);
    s.when = r.t(c.accepted_at);
  }
  c.fields.resize(a, r.count(2));
  for (auto& f : c.fields) {
    f.key = r.k();
    f.value = r.str(a);
  }
  c.duplicate_of = r.str(a);
  c.follow_up_of = r.str(a);
  EscalationState x;
  x.stage = r.e(Escalation::ruled);
  x.missed = r.d();
  x.cause = r.str(a);
  x.dept_at_fault = r.k();
  x.chases = r.i32();
  x.chase_note = r.str(a);
  x.customer_informed = r.b();
  x.overdue_at = r.t(c.accepted_at);
  x.chased_at = r.t(c.accepted_at);
  x.reported_at = r.t(c.accepted_at);
  x.ruled_at = r.t(c.accepted_at);
  x.reported_by = r.k();
  x.ruled_by = r.k();
  x.accountable = r.b();
  x.finding = r.str(a);
  if (!(x == EscalationState{})) c.escalation.edit(a) = x;  // most cases never ran late
  else c.escalation.reset();
  std::vector<HistoryEntry>& history = r.history_scratch();
  history.resize(r.count(6));
  for (auto& h : history) {
    h.site = r.k();
    h.actor = r.k();
    h.step = r.k();
    const uint64_t type = r.n();
    if (type > 0xFF) r.fail();
    h.type = static_cast<uint8_t>(type);
    h.seq = r.n();
    h.time = r.t(c.accepted_at);
  }
  c.history.assign(a, history);
}

}  // namespace

// The details of the cases a snapshot load put off: the details' blocks as they were in the
// snapshot (checked by the store's checksum on open), where each case's details start, and a
// window holding the block decoded last (cases used in order share it).
struct State::DeferredDetails {
  std::vector<Key> keys;          // the snapshot's key table
  std::vector<DetailsBlock> blocks;  // as they were in the snapshot
  std::vector<uint64_t> at;       // case i's details: [at[i], at[i + 1]) of the details' content
  std::vector<uint8_t> done;      // 1: case i has its details
  size_t left = 0;                // cases without them
  size_t next = 0;                // complete_step goes on from here
  size_t cached = SIZE_MAX;       // the block whose raw bytes are in `window`
  std::string window, joined;     // a decoded block; a case's details spanning blocks
  std::vector<HistoryEntry> history;  // scratch for the Reader

  // The raw bytes [from, to) of the details' content; false when a block does not decode.
  bool bytes(uint64_t from, uint64_t to, std::string_view& out) {
    auto it = std::upper_bound(blocks.begin(), blocks.end(), from,
                               [](uint64_t v, const DetailsBlock& b) { return v < b.raw_at; });
    if (it == blocks.begin()) return false;
    size_t i = static_cast<size_t>(it - blocks.begin()) - 1;
    joined.clear();
    for (;; ++i) {
      if (i >= blocks.size() || !decode_block(i)) return false;
      const DetailsBlock& b = blocks[i];
      const size_t begin = static_cast<size_t>(std::max(from, b.raw_at) - b.raw_at);
      const size_t end = static_cast<size_t>(std::min<uint64_t>(to, b.raw_at + b.raw_size) - b.raw_at);
      const std::string_view part(window.data() + begin, end - begin);
      if (joined.empty() && to <= b.raw_at + b.raw_size) {  // within one block: no copy
        out = part;
        return true;
      }
      joined += part;
      if (to <= b.raw_at + b.raw_size) {
        out = joined;
        return true;
      }
    }
  }
  bool decode_block(size_t i) {
    if (cached == i) return true;
    const DetailsBlock& b = blocks[i];
    window.resize(b.raw_size);
    cached = SIZE_MAX;
    if (!lz::decompress(b.packed, window.data(), b.raw_size))
      return false;
    cached = i;
    return true;
  }
};

void State::load_details(CaseRef ref) const {
  // Cases accepted after the load (refs past the snapshot's) were whole from the start.
  if (!deferred_ || ref >= deferred_->done.size() || deferred_->done[ref]) return;
  // Logically const: the case was in the state all along, only not decoded yet. A State is
  // never defined const (it is built by folding or from a snapshot, then held by an Engine).
  auto& self = const_cast<State&>(*this);
  DeferredDetails& d = *self.deferred_;
  std::string_view bytes;
  bool ok = d.bytes(d.at[ref], d.at[ref + 1], bytes);
  if (ok) {
    Reader r(bytes, d.keys, d.history);
    get_details(r, self.cases_[ref], self.arena_);
    ok = r.ok() && r.content_done();
  }
  if (!ok && details_error_.empty())
    self.details_error_ = "state snapshot: the details of case " + cases_[ref].number.str() +
                          " cannot be read";
  d.done[ref] = 1;
  if (--d.left == 0) self.deferred_.reset();
}

void State::load_all_details() const {
  const_cast<State&>(*this).details_step(SIZE_MAX);
}

bool State::details_step(size_t max_cases) {
  for (size_t decoded = 0; deferred_ && decoded < max_cases; ++decoded) {
    DeferredDetails& d = *deferred_;
    while (d.done[d.next]) ++d.next;  // some were decoded when first used
    load_details(static_cast<CaseRef>(d.next));  // resets deferred_ after the last
  }
  return !deferred_;
}

// The writer's progress: the per-site sequences go first, then the customers, then the cases.
struct SnapshotWriter::Impl {
  const State& state;
  size_t applied;  // the state's events_applied() when the writer began
  Writer w;
  bool started = false;
  size_t customer = 0;  // the next one to write
  size_t customers_left = 0;
  bool cases_started = false;
  size_t next_case = 0;
  explicit Impl(const State& s) : state(s), applied(s.events_applied()) {}
};

SnapshotWriter::SnapshotWriter(const State& state) : impl_(std::make_unique<Impl>(state)) {}
SnapshotWriter::~SnapshotWriter() = default;

bool SnapshotWriter::stale() const { return impl_->state.events_applied() != impl_->applied; }

bool SnapshotWriter::step(size_t max_items) {
  if (stale()) return false;
  Impl& m = *impl_;
  const State& st = m.state;
  Writer& w = m.w;
  if (!m.started) {
    m.started = true;
    w.n(st.applied_);
    w.n(st.sites_.size());
    for (const auto& s : st.sites_) {
      w.k(s.site);
      w.n(s.last_seq);
      w.n(s.counters.size());
      for (const auto& [day, top] : s.counters) {
        w.z(day);
        w.z(top);
      }
    }
    w.n(st.customers_.size());
    m.customers_left = st.customers_.size();
  }
  size_t done = 0;
  for (; m.customers_left > 0 && done < max_items; ++done, --m.customers_left, ++m.customer) {
    put(w, st.customers_[m.customer]);
    w.block_done();
  }
  if (m.customers_left > 0) return false;
  if (!m.cases_started) {
    m.cases_started = true;
    w.n(st.cases_.size());
  }
  for (; m.next_case < st.cases_.size() && done < max_items; ++done, ++m.next_case) {
    const Case& c = st.at(static_cast<CaseRef>(m.next_case));  // its details decoded if put off
    put_head(w, c);
    w.to_details();
    const uint64_t before = w.details_size();
    put_details(w, c);
    const uint64_t size = w.details_size() - before;
    w.to_head();
    w.n(size);
    w.block_done();
  }
  return m.next_case == st.cases_.size();
}

std::string SnapshotWriter::finish() {
  if (stale()) return {};
  return impl_->w.finish();
}

std::string State::snapshot() const {
  SnapshotWriter writer(*this);
  while (!writer.step(SIZE_MAX)) {
  }
  return writer.finish();
}

std::optional<State> State::from_snapshot(std::string_view bytes, Indexing indexing,
                                          std::string& error) {
  bool given = false;
  return from_snapshot(
      [&]() -> std::string_view {
        if (given) return {};
        given = true;
        return bytes;
      },
      indexing, error);
}

std::optional<State> State::from_snapshot(const ByteSource& next, Indexing indexing,
                                          std::string& error) {
  Reader r(next);
  uint64_t version = 0;
  if (!r.header(version)) {
    error = "not a state snapshot, or cut short";
    return std::nullopt;
  }
  if (version != kVersion) {
    error = "state snapshot version " + std::to_string(version) + ", this build reads " +
            std::to_string(kVersion);
    return std::nullopt;
  }
  if (!r.read_key_table()) {
    error = "state snapshot damaged or cut short (key table)";
    return std::nullopt;
  }
  State s(indexing);
  s.applied_ = r.n();
  s.sites_.resize(r.count(3));
  for (auto& site : s.sites_) {
    site.site = r.k();
    site.last_seq = r.n();
    const size_t days = r.count(2);
    for (size_t i = 0; i < days && r.ok(); ++i) {
      const int32_t day = r.i32();
      site.counters[day] = r.i32();
    }
  }
  const size_t customers = r.count(12);
  s.customers_.reserve(customers);
  s.customer_ids_.reserve(customers);
  // Each customer and each case is read by a function called through a pointer the optimizers
  // cannot see through, so that it stays a function of its own: the browser optimises a wasm
  // function for its later calls only, so a loop over 100,000 items inlined into this one call
  // ran in baseline code throughout, while a function called per item runs optimised code after
  // its first calls (docs/performance.md).
  static void (*volatile const read_customer)(Reader&, State&) = [](Reader& in, State& to) {
    CustomerRecord c;
    get(in, c, to.arena_);
    to.customer_entry(c.number) = c;
  };
  for (size_t i = 0; i < customers && r.ok(); ++i) read_customer(r, s);
  const size_t cases = r.count(20);
  auto details = std::make_shared<DeferredDetails>();
  details->at.reserve(cases + 1);
  details->at.push_back(0);
  // The customers saved are about the customer numbers the cases carry.
  if (indexing == Indexing::on) s.index_.reserve(cases, customers);
  // One case's head, read into a new case; false when the snapshot stops making sense (then
  // `twice` is the case's number if it came a second time).
  static bool (*volatile const read_case)(Reader&, State&, DeferredDetails&, std::string&) =
      [](Reader& in, State& to, DeferredDetails& later, std::string& twice) {
        const auto ref = static_cast<CaseRef>(to.cases_.size());
        Case& c = to.cases_.emplace_back(to.arena_);
        get_head(in, c, to.arena_);
        const uint64_t size = in.n();
        if (!in.ok() || size == 0 || size > (uint64_t{1} << 40)) return false;  // some details
        later.at.push_back(later.at.back() + size);
        // As State::apply does for an accepted event.
        if (to.add_number(c.number, ref)) return true;
        twice = c.number.str();
        return false;
      };
  std::string twice;
  for (size_t i = 0; i < cases && r.ok(); ++i)
    if (!read_case(r, s, *details, twice)) break;
  if (!twice.empty()) {
    error = "state snapshot: case " + twice + " twice";
    return std::nullopt;
  }
  uint64_t details_size = 0;
  if (!r.ok() || details->at.size() != cases + 1 || !r.content_done() ||
      !r.take_details(details->blocks, details_size) ||
      details_size != details->at.back() || !r.at_end()) {
    error = "state snapshot damaged or cut short";
    return std::nullopt;
  }
  if (cases > 0) {
    details->keys = r.take_keys();
    details->done.assign(cases, 0);
    details->left = cases;
    s.deferred_ = std::move(details);
  }
  if (indexing == Indexing::on) {
    // The text postings are left for after the first frame (State::complete_step): the search
    // checks the cases not yet posted one by one meanwhile, so it answers the same.
    s.index_.defer_text();
    for (size_t i = 0; i < s.cases_.size(); ++i)
      s.index_.update(static_cast<CaseRef>(i), s.cases_[i]);
  }
  return s;
}

}  // namespace onestop
