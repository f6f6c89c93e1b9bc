#include "core/index.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/varint.h"

namespace onestop {

namespace {

// Decodes one code point at text[i], advancing i; invalid sequences give U+FFFD.
char32_t next_code_point(std::string_view text, size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + static_cast<size_t>(len) > text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<size_t>(len);
  return cp;
}

// The code point of a well-formed three-byte sequence at text[i] in U+3400..U+D7FF (Chinese
// characters, and other scripts fold() leaves alone), else 0: the common case of non-ASCII
// text, decoded inline.
char32_t plain_three_bytes(std::string_view text, size_t i) {
  if (i + 3 > text.size()) return 0;
  const auto b0 = static_cast<unsigned char>(text[i]);
  const auto b1 = static_cast<unsigned char>(text[i + 1]);
  const auto b2 = static_cast<unsigned char>(text[i + 2]);
  if ((b0 & 0xF0) != 0xE0 || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return 0;
  const char32_t cp = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{b1 & 0x3Fu} << 6) | (b2 & 0x3Fu);
  return cp >= 0x3400 && cp < 0xD800 ? cp : 0;
}

// Writes `cp` as UTF-8 at `out`; returns the end.
char* put_utf8(char* out, char32_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  char buf[4];
  out.append(buf, static_cast<size_t>(put_utf8(buf, cp) - buf));
}

// The normalized form of one code point, or 0 to drop it.
constexpr char32_t fold(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
  if (cp >= 'A' && cp <= 'Z') return cp + ('a' - 'A');
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '-' || cp == '_' ||
      cp == 0x3000 || cp < 0x20 || cp == 0x7F)
    return 0;
  return cp;
}

// fold() of every ASCII character, so that digits and letters (most of the indexed text) need
// neither decoding nor comparisons.
constexpr auto kAsciiFold = [] {
  std::array<char, 128> t{};
  for (char32_t c = 0; c < 128; ++c) t[c] = static_cast<char>(fold(c));
  return t;
}();

// Normalized code points of `text`.
void code_points(std::string_view text, std::vector<char32_t>& out) {
  out.clear();
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = fold(next_code_point(text, i));
    if (cp != 0) out.push_back(cp);
  }
}

constexpr uint64_t kBigramTag = uint64_t{1} << 42;
uint64_t bigram(char32_t a, char32_t b) {
  return kBigramTag | (uint64_t{a} << 21) | uint64_t{b};
}
uint64_t unigram(char32_t a) { return uint64_t{a}; }

// A bigram of two ASCII characters has no bits but these besides the tag.
constexpr uint64_t kAsciiPairBits = (uint64_t{0x7F} << 21) | 0x7F;
bool ascii_pair(uint64_t gram) { return (gram & ~kAsciiPairBits) == kBigramTag; }
size_t ascii_pair_slot(uint64_t gram) { return static_cast<size_t>(((gram >> 14) & 0x3F80) | (gram & 0x7F)); }
constexpr uint32_t kNoList = UINT32_MAX;

}  // namespace

std::string normalize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = fold(next_code_point(text, i));
    if (cp != 0) append_utf8(out, cp);
  }
  return out;
}

// ---- TextBlocks ----------------------------------------------------------------------------

uint32_t TextBlocks::append(std::string_view piece) {
  constexpr size_t kBlock = size_t{1} << kShift;
  bytes_ += piece.size();
  if (piece.size() > kBlock) {  // a block of its own size (its place: offset 0 in it)
    blocks_.emplace_back(new char[piece.size()]);
    std::memcpy(blocks_.back().get(), piece.data(), piece.size());
    used_ = static_cast<uint32_t>(kBlock);  // the next piece starts a new block
    return static_cast<uint32_t>((blocks_.size() - 1) << kShift);
  }
  if (blocks_.empty() || used_ + piece.size() > kBlock) {
    blocks_.emplace_back(new char[kBlock]);  // not zero-filled: only what is appended is read
    used_ = 0;
  }
  const auto place = static_cast<uint32_t>(((blocks_.size() - 1) << kShift) | used_);
  if (!piece.empty()) std::memcpy(blocks_.back().get() + used_, piece.data(), piece.size());
  used_ += static_cast<uint32_t>(piece.size());
  return place;
}

// ---- PostingList -------------------------------------------------------------------------

void PostingList::add(CaseRef ref) {
  if (count_ == 0 || ref > last_) {
    if (count_ % kRun == 0) skips_.push_back(Skip{ref, static_cast<uint32_t>(bytes_.size())});
    const CaseRef gap = ref - (count_ == 0 ? 0 : last_);
    if (gap < 0x80) {
      bytes_.push_back(static_cast<uint8_t>(gap));  // most gaps of a common gram
    } else {
      uint8_t varint[5];
      bytes_.insert(bytes_.end(), varint, put_varint(varint, gap));
    }
    last_ = ref;
    ++count_;
    return;
  }
  if (ref == last_ || contains(ref)) return;  // (last_: the same gram twice in one case)
  late_.insert(std::lower_bound(late_.begin(), late_.end(), ref), ref);
}

// Walks the runs forward, decoding only the run that may hold the ref looked for.
class PostingList::Cursor {
 public:
  explicit Cursor(const PostingList& list) : list_(list) {
    if (list.count_ > 0) load(0);
  }
  // True when the list holds `ref`; refs must be asked for in ascending order.
  bool seek(CaseRef ref) {
    if (run_ >= list_.skips_.size()) return false;  // past the end
    if (value_ >= ref) return value_ == ref;
    const auto& skips = list_.skips_;
    if (run_ + 1 < skips.size() && skips[run_ + 1].first <= ref) {
      // Jump to the last run starting at or before ref.
      const auto next = std::upper_bound(skips.begin() + static_cast<std::ptrdiff_t>(run_) + 1,
                                         skips.end(), ref,
                                         [](CaseRef r, const Skip& s) { return r < s.first; });
      load(static_cast<size_t>(next - skips.begin()) - 1);
      if (value_ >= ref) return value_ == ref;
    }
    while (index_ + 1 < list_.run_length(run_)) {
      value_ += read_gap(p_);
      ++index_;
      if (value_ >= ref) return value_ == ref;
    }
    // This run is done and the next starts after ref (or there is none).
    if (run_ + 1 < skips.size()) {
      load(run_ + 1);
    } else {
      run_ = skips.size();
    }
    return false;
  }

 private:
  void load(size_t run) {
    run_ = run;
    p_ = list_.bytes_.data() + list_.skips_[run].at;
    read_gap(p_);
    value_ = list_.skips_[run].first;
    index_ = 0;
  }
  const PostingList& list_;
  size_t run_ = SIZE_MAX;
  const uint8_t* p_ = nullptr;
  CaseRef value_ = 0;
  uint32_t index_ = 0;  // of value_ within the run
};

bool PostingList::contains(CaseRef ref) const {
  if (std::binary_search(late_.begin(), late_.end(), ref)) return true;
  return Cursor(*this).seek(ref);
}

void PostingList::append_to(std::vector<CaseRef>& out) const {
  const size_t from = out.size();
  out.reserve(from + size());
  for (size_t run = 0; run < skips_.size(); ++run) {
    const uint8_t* p = bytes_.data() + skips_[run].at;
    CaseRef v = skips_[run].first;
    read_gap(p);
    out.push_back(v);
    for (uint32_t j = 1; j < run_length(run); ++j) out.push_back(v += read_gap(p));
  }
  if (late_.empty()) return;
  const auto mid = out.insert(out.end(), late_.begin(), late_.end()) ;
  std::inplace_merge(out.begin() + static_cast<std::ptrdiff_t>(from), mid, out.end());
}

void PostingList::keep_common(std::vector<CaseRef>& refs) const {
  Cursor cursor(*this);
  size_t kept = 0;
  for (CaseRef r : refs)
    if (cursor.seek(r) || (!late_.empty() && std::binary_search(late_.begin(), late_.end(), r)))
      refs[kept++] = r;
  refs.resize(kept);
}

// ---- TextIndex ---------------------------------------------------------------------------

const PostingList* TextIndex::list_of(uint64_t gram) const {
  const uint32_t* index = nullptr;
  if (ascii_pair(gram)) {
    if (!ascii_pairs_.empty()) index = &ascii_pairs_[ascii_pair_slot(gram)];
  } else {
    index = grams_.find(gram);
  }
  if (!index || *index == kNoList) return nullptr;
  return &lists_[*index];
}

size_t TextIndex::normalize_fields(std::span<const std::string_view> fields,
                                   std::vector<char>& text) {
  // Normalized into a scratch buffer with room for the worst case (an invalid byte becomes the
  // three bytes of U+FFFD), then appended: resizing text_ itself for the worst case zero-filled
  // three times the bytes kept, every case (the open's profile in wasm: 16 ms at 100,000).
  size_t bytes = 0;
  for (const auto f : fields) bytes += f.size();
  const size_t room = 3 * bytes + fields.size();
  if (text.size() < room) text.resize(std::max(room, size_t{256}));
  char* const begin = text.data();
  char* out = begin;
  for (const auto f : fields) {
    char* const start = out;
    for (size_t i = 0; i < f.size();) {
      const auto c = static_cast<unsigned char>(f[i]);
      if (c < 0x80) {
        ++i;
        if (const char folded = kAsciiFold[c]; folded != 0) *out++ = folded;
      } else if (plain_three_bytes(f, i) != 0) {
        std::memcpy(out, f.data() + i, 3);
        out += 3;
        i += 3;
      } else {
        const size_t from = i;
        const char32_t raw = next_code_point(f, i);
        const char32_t cp = fold(raw);
        if (cp == 0) continue;
        if (cp == raw && raw != 0xFFFD) {  // copied as it came
          std::memcpy(out, f.data() + from, i - from);
          out += i - from;
        } else {
          out = put_utf8(out, cp);
        }
      }
    }
    if (out != start) *out++ = '\x1f';  // never inside a query: no match crosses fields
  }
  return static_cast<size_t>(out - begin);
}

void TextIndex::set(CaseRef ref, std::span<const std::string_view> fields) {
  keep_text(ref, normalize_fields(fields, scratch_text_));
}

TextIndex::Doc& TextIndex::replace_doc(CaseRef ref) {
  if (docs_.size() <= ref) {
    if (docs_.size() == ref) docs_.push_back({});  // the usual case: the next new case
    else docs_.resize(ref + 1);
  }
  if (docs_[ref].at != kLater) garbage_ += docs_[ref].size;
  return docs_[ref];
}

size_t TextIndex::normalize_case(CaseRef ref, const FieldsOf& fields_of,
                                 std::vector<std::string_view>& fields, std::vector<char>& out) {
  fields.clear();
  fields_of(ref, fields);
  return normalize_fields(fields, out);
}

void TextIndex::set_later(CaseRef ref) { replace_doc(ref) = Doc{kLater, 0}; }

void TextIndex::keep_text(CaseRef ref, size_t size) {
  replace_doc(ref) = Doc{text_.append({scratch_text_.data(), size}), static_cast<uint32_t>(size)};
  if (ref < posted_) {
    post(ref);  // indexed again: a searchable field changed
  } else if (!deferred_) {
    for (CaseRef r = posted_; r <= ref; ++r) post(r);
    posted_ = ref + 1;
  }  // else catch_up() posts it
  if (garbage_ > 4096 && garbage_ > text_.size() / 2) compact();
}

void TextIndex::post(CaseRef ref) {
  // The grams of the normalized text: pairs of neighbours within a field and, as find_one
  // needs, a non-ASCII character that ends a field on its own.
  const std::string_view d = doc(ref);
  if (scratch_.size() < 2 * d.size()) scratch_.resize(2 * d.size());
  uint64_t* gram = scratch_.data();
  char32_t prev = 0;
  for (size_t i = 0; i < d.size();) {
    const auto c = static_cast<unsigned char>(d[i]);
    if (c == 0x1f) {  // a field ends
      ++i;
      if (prev >= 0x80) *gram++ = unigram(prev);
      prev = 0;
      continue;
    }
    char32_t cp = c;
    if (c < 0x80) {
      ++i;
    } else if (const char32_t han = plain_three_bytes(d, i); han != 0) {
      cp = han;
      i += 3;
    } else {
      cp = next_code_point(d, i);
    }
    if (prev != 0) *gram++ = bigram(prev, cp);
    prev = cp;
  }
  // Post every gram. Grams of an older text stay in their lists: stale refs are weeded out by
  // the final check of find().
  if (ascii_pairs_.empty()) ascii_pairs_.assign(128 * 128, kNoList);
  for (const uint64_t* g = scratch_.data(); g != gram; ++g) {
    uint32_t& index = ascii_pair(*g) ? ascii_pairs_[ascii_pair_slot(*g)]
                                     : *grams_.insert(*g, kNoList).first;
    if (index == kNoList) {
      index = static_cast<uint32_t>(lists_.size());
      lists_.emplace_back();
    }
    lists_[index].add(ref);
  }
}

bool TextIndex::catch_up(size_t max, const FieldsOf& fields_of) {
  const size_t end = posted_ + std::min(max, docs_.size() - posted_);  // (max may be SIZE_MAX)
  std::vector<std::string_view> fields;
  for (size_t r = posted_; r < end; ++r) {
    const auto ref = static_cast<CaseRef>(r);
    if (docs_[ref].at == kLater) {
      const size_t size = normalize_case(ref, fields_of, fields, scratch_text_);
      docs_[ref] = Doc{text_.append({scratch_text_.data(), size}), static_cast<uint32_t>(size)};
    }
    post(ref);
  }
  posted_ = end;
  if (posted_ == docs_.size()) deferred_ = false;
  return !deferred_;
}

void TextIndex::scan_unposted(std::string_view needle, size_t limit, const FieldsOf& fields_of,
                              Result& r) const {
  std::vector<std::string_view> fields;
  std::vector<char> text;
  for (size_t ref = docs_.size(); ref-- > posted_ && r.refs.size() < limit;) {
    const auto at = static_cast<CaseRef>(ref);
    ++r.candidates;
    std::string_view d;
    if (docs_[at].at == kLater) {  // normalized now, as catch_up will
      const size_t size = normalize_case(at, fields_of, fields, text);  // (may move text's bytes)
      d = {text.data(), size};
    } else {
      d = doc(at);
    }
    if (d.find(needle) != std::string_view::npos) r.refs.push_back(at);
  }
}

void TextIndex::compact() {
  TextBlocks packed;
  for (Doc& d : docs_)
    if (d.at != kLater) d.at = packed.append(text_.at(d.at, d.size));
  text_ = std::move(packed);
  garbage_ = 0;
}

TextIndex::Result TextIndex::find(std::string_view query, size_t limit,
                                  const FieldsOf& fields_of) const {
  Result r;
  std::vector<char32_t> q;
  code_points(query, q);
  if (q.empty()) return r;
  if (q.size() == 1 && q[0] < 0x80) {
    r.too_short = true;
    return r;
  }
  std::string needle;
  for (char32_t cp : q) append_utf8(needle, cp);
  scan_unposted(needle, limit, fields_of, r);  // the newest cases, when posting them was put off
  if (r.refs.size() >= limit) return r;
  if (q.size() == 1) {
    find_one(q[0], needle, limit, r);
    return r;
  }
  std::vector<uint64_t> grams;
  for (size_t i = 0; i + 1 < q.size(); ++i) grams.push_back(bigram(q[i], q[i + 1]));
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());

  std::vector<const PostingList*> lists;
  for (uint64_t g : grams) {
    const auto* list = list_of(g);
    if (!list) return r;  // a gram nobody has: no match
    lists.push_back(list);
  }
  if (lists.empty()) return r;
  std::sort(lists.begin(), lists.end(),
            [](const auto* a, const auto* b) { return a->size() < b->size(); });

  // Intersect, smallest list first; stop early once few candidates remain (they are checked
  // against the text anyway).
  std::vector<CaseRef> cand;
  lists[0]->append_to(cand);
  for (size_t k = 1; k < lists.size() && cand.size() > 32; ++k) lists[k]->keep_common(cand);

  r.candidates += cand.size();
  for (auto it = cand.rbegin(); it != cand.rend() && r.refs.size() < limit; ++it)
    if (doc(*it).find(needle) != std::string_view::npos) r.refs.push_back(*it);
  return r;
}

// A single non-ASCII character is in a field either before another character (then a bigram
// it starts is posted) or last (then its unigram is): the candidates are the union of those
// lists, gathered in a bitmap and checked newest first.
void TextIndex::find_one(char32_t ch, std::string_view needle, size_t limit, Result& r) const {
  std::vector<bool> hit(posted_);
  auto mark = [&hit](const PostingList& list) {
    list.for_each([&hit](CaseRef c) { hit[c] = true; });
  };
  if (const auto* list = list_of(unigram(ch))) mark(*list);
  const uint64_t starts = bigram(ch, 0);  // a non-ASCII first character: never an ASCII pair
  grams_.for_each([&](uint64_t gram, uint32_t index) {
    if ((gram & ~uint64_t{0x1FFFFF}) == starts) mark(lists_[index]);
  });
  for (size_t ref = posted_; ref-- > 0 && r.refs.size() < limit;) {
    if (!hit[ref]) continue;
    ++r.candidates;
    if (doc(static_cast<CaseRef>(ref)).find(needle) != std::string_view::npos)
      r.refs.push_back(static_cast<CaseRef>(ref));
  }
}

// ---- CaseIndex ---------------------------------------------------------------------------

void search_fields(const Case& c, std::vector<std::string_view>& out) {
  out.insert(out.end(), {c.customer_name, c.customer_no, c.phone, c.address, c.number});
}

int32_t CaseIndex::dept_slot(Key dept) {
  if (slot_of_key_.size() <= dept.id()) slot_of_key_.resize(dept.id() + 1, -1);
  int32_t& slot = slot_of_key_[dept.id()];
  if (slot < 0) {
    slot = static_cast<int32_t>(inboxes_.size());
    inboxes_.emplace_back();
  }
  return slot;
}

// Customers' lists are kept newest first: a new case goes to the front, an older one (a case
// whose customer number changed) to its place.
void CaseIndex::link_customer(CaseRef ref, uint64_t customer_hash) {
  CaseRef* link = newest_of_customer_.insert(customer_hash, kNone).first;
  while (*link != kNone && *link > ref) link = &entries_[*link].next_of_customer;
  entries_[ref].next_of_customer = *link;
  *link = ref;
  entries_[ref].customer = customer_hash;
}

void CaseIndex::unlink_customer(CaseRef ref) {
  Entry& e = entries_[ref];
  CaseRef* link = newest_of_customer_.insert(e.customer, kNone).first;  // there: ref is linked
  while (*link != ref) link = &entries_[*link].next_of_customer;
  *link = e.next_of_customer;
  e.customer = 0;
  e.next_of_customer = kNone;
}

void CaseIndex::update(CaseRef ref, const Case& c) {
  if (entries_.size() <= ref) {
    if (entries_.size() == ref) entries_.push_back({});  // the usual case: a new case
    else entries_.resize(ref + 1);
  }
  Entry& e = entries_[ref];

  // The customer number is one of the searchable fields: unless their version moved, neither
  // it nor the text changed (most events), and neither index is looked at.
  if (e.text_version != c.text_version) {
    // hash64 is never 0: 0 stands for no customer number.
    const uint64_t hash = c.customer_no.empty() ? 0 : hash64(c.customer_no);
    if (hash != e.customer) {
      if (e.customer != 0) unlink_customer(ref);
      if (hash != 0) link_customer(ref, hash);
    }
    if (text_.can_set_later(ref)) {
      text_.set_later(ref);  // read from the case when needed (TextIndex::FieldsOf)
    } else {
      fields_.clear();
      search_fields(c, fields_);
      text_.set(ref, fields_);
    }
    e.text_version = c.text_version;
  }

  const Key holder = holder_dept(c);
  const int32_t slot = holder.empty() ? -1 : dept_slot(holder);
  if (slot != e.inbox) {
    if (e.inbox >= 0) {  // swap-remove from the old inbox
      auto& box = inboxes_[static_cast<size_t>(e.inbox)];
      const CaseRef moved = box.back();
      box[e.inbox_pos] = moved;
      entries_[moved].inbox_pos = e.inbox_pos;
      box.pop_back();
    }
    if (slot >= 0) {
      auto& box = inboxes_[static_cast<size_t>(slot)];
      e.inbox_pos = static_cast<uint32_t>(box.size());
      box.push_back(ref);
    }
    e.inbox = slot;
  }

  const bool timed = clock_running(c);
  const bool was_timed = e.due_pos != kNone;
  if (timed != was_timed || (timed && c.due.date.days != e.due)) {
    if (was_timed) {  // swap-remove from its day
      auto& day = deadlines_[e.due];
      const CaseRef moved = day.back();
      day[e.due_pos] = moved;
      entries_[moved].due_pos = e.due_pos;
      day.pop_back();
      e.due_pos = kNone;
      --running_;
    }
    if (timed) {
      auto& day = deadlines_[c.due.date.days];
      e.due_pos = static_cast<uint32_t>(day.size());
      day.push_back(ref);
      ++running_;
    }
    e.due = c.due.date.days;
  }
}

std::vector<CaseRef> CaseIndex::by_customer(std::string_view customer_no) const {
  std::vector<CaseRef> out;
  if (customer_no.empty()) return out;
  const CaseRef* newest = newest_of_customer_.find(hash64(customer_no));
  if (!newest) return out;
  for (CaseRef r = *newest; r != kNone; r = entries_[r].next_of_customer)
    out.push_back(r);
  std::reverse(out.begin(), out.end());
  return out;
}

std::span<const CaseRef> CaseIndex::inbox(std::string_view dept) const {
  const Key k(dept);
  if (k.id() >= slot_of_key_.size() || slot_of_key_[k.id()] < 0) return {};
  return inboxes_[static_cast<size_t>(slot_of_key_[k.id()])];
}

void CaseIndex::collect(std::map<int32_t, std::vector<CaseRef>>::const_iterator first,
                        std::map<int32_t, std::vector<CaseRef>>::const_iterator last,
                        std::vector<CaseRef>& out) {
  for (; first != last; ++first) {
    const size_t from = out.size();
    out.insert(out.end(), first->second.begin(), first->second.end());
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end());
  }
}

std::vector<CaseRef> CaseIndex::due_between(Date from, Date to) const {
  std::vector<CaseRef> out;
  if (from.days <= to.days)
    collect(deadlines_.lower_bound(from.days), deadlines_.upper_bound(to.days), out);
  return out;
}

std::vector<CaseRef> CaseIndex::due_before(Date day) const {
  std::vector<CaseRef> out;
  collect(deadlines_.begin(), deadlines_.lower_bound(day.days), out);
  return out;
}

}  // namespace onestop
