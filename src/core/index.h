#pragma once
// Indexes over the cases, kept up to date event by event (CaseIndex::update after each event), so
// that every query the UI and the reports ask is answered without looking at every case:
//   by customer number · department inbox · deadline (due on / between / overdue) · text.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/flat_map.h"
#include "core/model.h"

namespace onestop {

using CaseRef = uint32_t;  // dense number of a case in its State, in order of acceptance

// Text made comparable: ASCII letters lower-cased, full-width ASCII made half-width, spaces,
// hyphens and underscores dropped, invalid UTF-8 replaced by U+FFFD. Chinese is kept as is.
std::string normalize_text(std::string_view text);

// The refs of one gram of the text index, ascending, each once: stored as the gap from the ref
// before, a varint (a common gram's gaps are small: one byte a ref, against four in a plain
// array with room to grow), with the first ref and the place of every run of 64 so that a look
// for one ref decodes at most one run. A ref below the largest (a case indexed again after a
// searchable field changed, which is rare) goes to a short sorted list of its own.
class PostingList {
 public:
  void add(CaseRef ref);
  size_t size() const { return count_ + late_.size(); }
  bool contains(CaseRef ref) const;
  // Appends every ref to `out`, ascending.
  void append_to(std::vector<CaseRef>& out) const;
  // Keeps in `refs` (ascending) the ones this list holds.
  void keep_common(std::vector<CaseRef>& refs) const;
  // f(ref) for every ref, in no particular order.
  template <typename F>
  void for_each(F f) const {
    for (size_t run = 0; run < skips_.size(); ++run) {
      const uint8_t* p = bytes_.data() + skips_[run].at;
      CaseRef v = skips_[run].first;
      read_gap(p);  // the run's first ref is known
      f(v);
      for (uint32_t j = 1; j < run_length(run); ++j) f(v += read_gap(p));
    }
    for (CaseRef r : late_) f(r);
  }

 private:
  static constexpr uint32_t kRun = 64;
  struct Skip {
    CaseRef first;  // the run's first ref
    uint32_t at;    // where its gap starts in bytes_
  };
  class Cursor;
  static CaseRef read_gap(const uint8_t*& p) {
    CaseRef v = *p & 0x7F;
    for (int shift = 7; *p++ & 0x80; shift += 7) v |= static_cast<CaseRef>(*p & 0x7F) << shift;
    return v;
  }
  uint32_t run_length(size_t run) const {
    return std::min<uint32_t>(kRun, count_ - static_cast<uint32_t>(run) * kRun);
  }
  std::vector<uint8_t> bytes_;
  std::vector<Skip> skips_;
  CaseRef last_ = 0;
  uint32_t count_ = 0;          // refs in bytes_
  std::vector<CaseRef> late_;   // ascending; none of them in bytes_
};

// Text kept piece after piece in blocks that never move: a buffer grown by doubling copied all
// it held at each step and touched twice the memory (the fold's largest source of page faults).
// A piece lies whole in one block (one larger than a block gets a block of its own size); its
// place is one 32-bit number, the block's and the offset in it.
class TextBlocks {
 public:
  uint32_t append(std::string_view piece);  // the piece's place
  std::string_view at(uint32_t place, uint32_t size) const {
    return {blocks_[place >> kShift].get() + (place & kMask), size};
  }
  size_t size() const { return bytes_; }  // bytes appended

 private:
  static constexpr uint32_t kShift = 18;  // blocks of 256 KiB
  static constexpr uint32_t kMask = (uint32_t{1} << kShift) - 1;
  std::vector<std::unique_ptr<char[]>> blocks_;
  uint32_t used_ = 0;  // bytes used in the last block
  size_t bytes_ = 0;
};

// Substring search over a few fields per case (name, customer number, phone, address, case
// number): an inverted index of code-point bigrams (plus the non-ASCII character that ends a
// field, so that a one-character Chinese query works), whose posting lists are intersected; the
// candidates are then checked against the normalized text, so the answer is exact.
class TextIndex {
 public:
  struct Result {
    std::vector<CaseRef> refs;  // newest first
    bool too_short = false;     // a single ASCII character: ask for more
    size_t candidates = 0;      // checked against the text (for tests and benchmarks)
  };
  // The searchable fields of a case, asked for when a text put off (set_later) is needed.
  using FieldsOf = std::function<void(CaseRef, std::vector<std::string_view>&)>;

  // Indexes `fields` as the searchable text of `ref` (replaces what was there before).
  void set(CaseRef ref, std::initializer_list<std::string_view> fields) {
    set(ref, std::span<const std::string_view>(fields.begin(), fields.size()));
  }
  void set(CaseRef ref, std::span<const std::string_view> fields);
  // Answers the query; `fields_of` gives the fields of the cases whose text was put off
  // (set_later), needed only while some are (!complete()).
  Result find(std::string_view query, size_t limit, const FieldsOf& fields_of = {}) const;
  size_t gram_count() const { return lists_.size(); }

  // Posting the grams of cases set from now on can be put off (a state loaded from a snapshot
  // shows the app first): find() then checks those cases' text one by one — the answers stay
  // exact — until catch_up has posted them, `max` cases a call; true once all are posted.
  void defer() { deferred_ = true; }
  void reserve(size_t cases) { docs_.reserve(cases); }
  bool catch_up(size_t max, const FieldsOf& fields_of = {});
  bool complete() const { return !deferred_; }
  // Whether `ref`'s text may be put off whole (set_later): posting is put off, and ref is not
  // posted yet.
  bool can_set_later(CaseRef ref) const { return deferred_ && ref >= posted_; }
  // Instead of set(): even normalizing the text waits until catch_up or a find() asks for the
  // fields (the load of a snapshot sets every case; their texts were a fifth of its time in
  // the browser, first touches of fresh memory mostly). Only where can_set_later(ref).
  void set_later(CaseRef ref);

 private:
  const PostingList* list_of(uint64_t gram) const;
  void post(CaseRef ref);  // adds the grams of ref's text to the posting lists
  void find_one(char32_t ch, std::string_view needle, size_t limit, Result& r) const;
  void scan_unposted(std::string_view needle, size_t limit, const FieldsOf& fields_of,
                     Result& r) const;
  // Normalizes `fields` into `out` (resized as needed): each field followed by '\x1f'; the size.
  static size_t normalize_fields(std::span<const std::string_view> fields, std::vector<char>& out);
  // ref's fields (fields_of) normalized into `out`; `fields` is scratch. The size.
  static size_t normalize_case(CaseRef ref, const FieldsOf& fields_of,
                               std::vector<std::string_view>& fields, std::vector<char>& out);
  void keep_text(CaseRef ref, size_t size);  // the first `size` bytes of scratch_text_ as ref's
  std::string_view doc(CaseRef ref) const { return text_.at(docs_[ref].at, docs_[ref].size); }
  void compact();  // drops the texts no case refers to any more

  // Every case's normalized fields, each followed by '\x1f', one case after the other: a few
  // blocks instead of a string per case (fewer allocations, denser to scan).
  struct Doc {
    uint32_t at = 0, size = 0;
  };
  static constexpr uint32_t kLater = UINT32_MAX;  // Doc::at of a text put off (set_later)
  Doc& replace_doc(CaseRef ref);  // ref's slot, grown to; its old text counted as garbage
  TextBlocks text_;
  std::vector<Doc> docs_;     // per case: where its text lies in text_
  size_t garbage_ = 0;        // bytes of text_ no case refers to any more (a field changed)
  // Posting lists: a bigram of two ASCII characters (digits of phones and numbers, most of the
  // grams) is found by direct lookup, any other gram through the hash table.
  std::vector<uint32_t> ascii_pairs_;             // (a << 7 | b) -> index into lists_ or none
  FlatMap64 grams_;                               // other grams -> index into lists_
  std::vector<PostingList> lists_;                // may hold stale refs
  std::vector<uint64_t> scratch_;                 // grams of the text being indexed
  std::vector<char> scratch_text_;                // the text being normalized
  size_t posted_ = 0;      // the cases [0, posted_) have their grams posted
  bool deferred_ = false;  // cases set at or after posted_ wait for catch_up
};

// The fields of a case the text search looks in: name, customer number, phone, address, case
// number (appended to `out`).
void search_fields(const Case& c, std::vector<std::string_view>& out);

class CaseIndex {
 public:
  // Brings every index up to date with `c`, the state of case `ref` after an event.
  void update(CaseRef ref, const Case& c);

  // The customer's cases, oldest first. Customers are told apart here by the 64-bit hash of
  // their number alone (see customer_of_hash_): a case of another number with the same hash
  // (no such pair is known) would be listed too, and Engine::cases_of_customer drops it.
  std::vector<CaseRef> by_customer(std::string_view customer_no) const;
  // Open cases the department must act on now (holder_dept); unordered.
  std::span<const CaseRef> inbox(std::string_view dept) const;
  // Cases whose clock runs and falls due in [from, to], in due order.
  std::vector<CaseRef> due_between(Date from, Date to) const;
  // Cases whose clock runs and whose due date is before `day` (overdue on `day`), in due order.
  std::vector<CaseRef> due_before(Date day) const;
  // `fields_of`: the searchable fields of a case (search_fields), for the texts put off.
  TextIndex::Result text(std::string_view query, size_t limit,
                         const TextIndex::FieldsOf& fields_of) const {
    return text_.find(query, limit, fields_of);
  }
  size_t running_clocks() const { return running_; }
  // The text index's postings put off / completed a slice at a time (TextIndex::defer).
  void defer_text() { text_.defer(); }
  // Starts fetching what filing a new case of this customer number will look at.
  void prefetch_customer(std::string_view customer_no) const {
    if (!customer_no.empty()) newest_of_customer_.prefetch(hash64(customer_no));
  }
  // Room for `cases` cases (a snapshot load knows how many): growing by doubling would touch
  // about twice the memory, and first touching memory is most of a load's time in the browser.
  // `customers`: how many customer numbers to expect (a guess; the table grows past it).
  void reserve(size_t cases, size_t customers) {
    entries_.reserve(cases);
    newest_of_customer_.reserve(customers);
    text_.reserve(cases);
  }
  bool catch_up_text(size_t max_cases, const TextIndex::FieldsOf& fields_of) {
    return text_.catch_up(max_cases, fields_of);
  }
  bool text_complete() const { return text_.complete(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Entry {  // 32 bytes, no padding
    uint64_t customer = 0;             // hash64 of the customer number, 0 for none
    CaseRef next_of_customer = kNone;  // the customer's next older case
    int32_t inbox = -1;  // index into inboxes_
    uint32_t inbox_pos = 0;
    int32_t due = 0;
    uint32_t due_pos = kNone;  // place in deadlines_[due], kNone when not there (no clock)
    uint32_t text_version = UINT32_MAX;
  };
  int32_t dept_slot(Key dept);
  void unlink_customer(CaseRef ref);
  void link_customer(CaseRef ref, uint64_t customer_hash);
  // Appends the refs of the day buckets in [first, last) to `out`, in (due, ref) order.
  static void collect(std::map<int32_t, std::vector<CaseRef>>::const_iterator first,
                      std::map<int32_t, std::vector<CaseRef>>::const_iterator last,
                      std::vector<CaseRef>& out);

  std::vector<Entry> entries_;
  // A customer's cases are a list through the entries, newest first: no allocation per case.
  // A customer is known by hash64 of the number, without a copy of the number, and the table
  // holds the newest case itself: the fold files every new case here, and each further array
  // looked at (a kept number, a customer id's newest case) cost one more cache miss each time.
  FlatMap64 newest_of_customer_;  // hash64(customer number) -> newest case
  std::vector<int32_t> slot_of_key_;  // Key id -> index into inboxes_, -1 none
  std::vector<std::vector<CaseRef>> inboxes_;
  // Running clocks by due day, each day's cases unordered (sorted when asked): a case moves
  // in and out in constant time, without a tree node per case. Emptied days stay (a few
  // hundred a year).
  std::map<int32_t, std::vector<CaseRef>> deadlines_;
  size_t running_ = 0;
  TextIndex text_;
  std::vector<std::string_view> fields_;  // scratch: a case's search_fields
};

}  // namespace onestop
