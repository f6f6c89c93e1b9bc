#pragma once
// Indexes over the cases, kept up to date event by event (CaseIndex::update after each event), so
// that every query the UI and the reports ask is answered without looking at every case:
//   by customer number · department inbox · deadline (due on / between / overdue) · text.
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/flat_map.h"
#include "core/model.h"

namespace onestop {

using CaseRef = uint32_t;  // dense number of a case in its State, in order of acceptance

// Text made comparable: ASCII letters lower-cased, full-width ASCII made half-width, spaces,
// hyphens and underscores dropped, invalid UTF-8 replaced by U+FFFD. Chinese is kept as is.
std::string normalize_text(std::string_view text);

// Substring search over a few fields per case (name, customer number, phone, address, case
// number): an inverted index of code-point bigrams (plus single non-ASCII characters, so that a
// one-character Chinese query works), whose posting lists are intersected; the candidates are
// then checked against the normalized text, so the answer is exact.
class TextIndex {
 public:
  struct Result {
    std::vector<CaseRef> refs;  // newest first
    bool too_short = false;     // a single ASCII character: ask for more
    size_t candidates = 0;      // checked against the text (for tests and benchmarks)
  };
  // Indexes `fields` as the searchable text of `ref` (replaces what was there before).
  void set(CaseRef ref, const std::vector<std::string_view>& fields);
  Result find(std::string_view query, size_t limit) const;
  size_t gram_count() const { return lists_.size(); }

 private:
  void add_gram(uint64_t gram, CaseRef ref);
  std::vector<std::string> docs_;  // per case: normalized fields joined by '\x1f'
  FlatMap64 grams_;                               // gram -> index into lists_
  std::vector<std::vector<CaseRef>> lists_;       // sorted ascending; may hold stale refs
};

class CaseIndex {
 public:
  // Brings every index up to date with `c`, the state of case `ref` after an event.
  void update(CaseRef ref, const Case& c);

  std::span<const CaseRef> by_customer(std::string_view customer_no) const;
  // Open cases the department must act on now (holder_dept); unordered.
  std::span<const CaseRef> inbox(std::string_view dept) const;
  // Cases whose clock runs and falls due in [from, to], in due order.
  std::vector<CaseRef> due_between(Date from, Date to) const;
  // Cases whose clock runs and whose due date is before `day` (overdue on `day`), in due order.
  std::vector<CaseRef> due_before(Date day) const;
  TextIndex::Result text(std::string_view query, size_t limit = 200) const {
    return text_.find(query, limit);
  }
  size_t running_clocks() const { return deadlines_.size(); }

 private:
  struct Entry {
    std::string customer_no;
    int32_t inbox = -1;  // index into inboxes_
    uint32_t inbox_pos = 0;
    bool timed = false;  // in deadlines_
    int32_t due = 0;
    uint32_t text_version = UINT32_MAX;
  };
  int32_t dept_slot(Key dept);

  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::vector<CaseRef>> customers_;
  std::vector<int32_t> slot_of_key_;  // Key id -> index into inboxes_, -1 none
  std::vector<std::vector<CaseRef>> inboxes_;
  std::set<std::pair<int32_t, CaseRef>> deadlines_;
  TextIndex text_;
};

}  // namespace onestop
