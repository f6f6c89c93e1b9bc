#include "core/store/store.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>

#include "core/store/backup.h"
#include "core/store/crc32c.h"

namespace onestop::store {

using format::Error;
using format::kManifestName;
using format::kManifestTmpName;
using format::kSegmentHeaderSize;
using format::Manifest;

namespace {

std::string fill(std::string_view pattern, const std::vector<std::string>& args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' &&
        next < args.size()) {
      out += args[next++];
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string num(uint64_t v) { return std::to_string(v); }

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

uint64_t random_store_id() {
  std::random_device rd;
  uint64_t v = (uint64_t{rd()} << 32) ^ uint64_t{rd()};
  v ^= static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) *
       0x9E3779B97F4A7C15ull;
  return v == 0 ? 1 : v;
}

// Sanity bounds for a manifest's numbers: far beyond any real store, small enough that loops
// and sizes derived from them stay harmless when the manifest is garbage with a valid checksum.
constexpr uint64_t kMaxSegments = uint64_t{1} << 24;
constexpr uint64_t kMaxSeq = uint64_t{1} << 48;
// segment_bytes is capped so that no segment file can legitimately pass kMaxSegmentFile,
// whatever segment size the store was written with.
constexpr uint32_t kMaxSegmentOption = 4u << 20;
constexpr uint64_t kMaxSegmentFile = uint64_t{kMaxSegmentOption} + format::kMaxRecordBytes +
                                     format::kRecordHeaderSize + format::kSegmentHeaderSize;

// The next offset after `from` where a record that checks out starts, with a sequence number in
// [expected, expected + bound]; npos when there is none.
size_t resync(std::string_view data, size_t from, uint64_t expected, uint64_t& seq_found) {
  const uint64_t bound = data.size() / format::kRecordHeaderSize + 1;
  for (size_t q = from; q + format::kRecordHeaderSize <= data.size(); ++q) {
    const uint64_t seq = format::get_u64(data, q + 8);
    if (seq < expected || seq - expected > bound) continue;
    const uint32_t len = format::get_u32(data, q + 4);
    if (len > data.size() - q - format::kRecordHeaderSize) continue;
    format::RecordView v;
    if (format::decode_record(data.substr(q), v) == Error::ok) {
      seq_found = v.seq;
      return q;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Text text_of(Error e) {
  switch (e) {
    case Error::ok:
    case Error::short_data: return Text::StoreFmtShort;
    case Error::bad_magic: return Text::StoreFmtMagic;
    case Error::bad_version: return Text::StoreFmtVersion;
    case Error::bad_checksum: return Text::StoreFmtChecksum;
    case Error::bad_length: return Text::StoreFmtLength;
    case Error::truncated: return Text::StoreFmtTruncated;
  }
  return Text::StoreFmtChecksum;
}

std::string Damage::describe(Lang lang) const {
  std::vector<std::string> a = args;
  if (cause) a.emplace_back(tr(*cause, lang));
  std::string s = fill(tr(what, lang), a);
  const char* sep = lang == Lang::zh ? "；" : "; ";
  if (first_lost != 0) {
    s += sep;
    s += last_lost != 0 ? fill(tr(Text::StoreAffectedRecords, lang), {num(first_lost), num(last_lost)})
                        : fill(tr(Text::StoreAffectedFrom, lang), {num(first_lost)});
  }
  if (!cases.empty()) {
    s += sep;
    s += fill(tr(cases_guessed ? Text::StoreAffectedCasesGuess : Text::StoreAffectedCases, lang),
              {join(cases, ", ")});
  }
  return s;
}

std::string Note::describe(Lang lang) const { return fill(tr(what, lang), args); }

SegmentCheck check_segment(const std::string& name, std::string_view data, uint64_t store_id,
                           uint64_t number, uint64_t expect_first, uint64_t expect_last,
                           const CaseOf& case_of,
                           const std::function<bool(uint64_t, std::string_view)>& fn) {
  SegmentCheck r;
  r.last_seq = expect_first - 1;
  format::SegmentHeader h;
  const Error he = format::decode_segment_header(data, h);
  if (he != Error::ok) {
    Damage d{name, 0, Text::StoreDmgHeader, {}, text_of(he)};
    if (data.size() < kSegmentHeaderSize) {
      // Nothing of this segment can be read.
      if (expect_last == 0 || expect_last >= expect_first) {
        d.first_lost = expect_first;
        d.last_lost = expect_last;
      }
      r.damage.push_back(std::move(d));
      return r;
    }
    r.damage.push_back(std::move(d));
  } else if (h.store_id != store_id) {
    r.damage.push_back(Damage{name, 0, Text::StoreDmgForeign});
  } else if (h.segment != number || h.first_seq != expect_first) {
    r.damage.push_back(Damage{name,
                              0,
                              Text::StoreDmgWrongHeader,
                              {num(h.segment), num(h.first_seq), num(number), num(expect_first)}});
  }
  size_t pos = kSegmentHeaderSize;
  r.end = pos;
  uint64_t expected = expect_first;
  bool covered_to_end = false;  // a damage entry already counts every record up to expect_last
  while (pos < data.size()) {
    format::RecordView v;
    const Error e = format::decode_record(data.substr(pos), v);
    if (e == Error::ok && expect_last != 0 && v.seq > expect_last) {
      // A record the manifest (or the next segment) says cannot be here: not read.
      r.damage.push_back(Damage{name, pos, Text::StoreDmgSequence, {num(expected), num(v.seq)}});
      pos += v.size;
      r.end = pos;
      continue;
    }
    if (e == Error::ok) {
      if (v.seq != expected) {
        Damage d{name, pos, Text::StoreDmgSequence, {num(expected), num(v.seq)}};
        if (v.seq > expected) {
          d.first_lost = expected;
          d.last_lost = v.seq - 1;
        }
        r.damage.push_back(std::move(d));
        if (v.seq < expected) {  // a repeated older record: skipped
          pos += v.size;
          r.end = pos;
          continue;
        }
      }
      expected = v.seq + 1;
      r.last_seq = v.seq;
      ++r.records;
      pos += v.size;
      r.end = pos;
      if (fn && !fn(v.seq, v.payload)) return r;
      continue;
    }
    // Damaged bytes: name them, guess whose record it was, and read on from the next record
    // that checks out.
    Damage d{name, pos, Text::StoreDmgRecord, {}, text_of(e)};
    const std::string_view rest = data.substr(pos);
    if (const auto len = format::peek_record_length(rest);
        case_of && len && rest.size() >= format::kRecordHeaderSize &&
        *len <= rest.size() - format::kRecordHeaderSize) {
      const auto c = case_of(rest.substr(format::kRecordHeaderSize, *len));
      if (c && !c->empty()) {
        d.cases.push_back(*c);
        d.cases_guessed = true;
      }
    }
    uint64_t seq_found = 0;
    const size_t next = resync(data, pos + 1, expected, seq_found);
    if (next != std::string_view::npos) {
      if (seq_found > expected) {
        d.first_lost = expected;
        d.last_lost = seq_found - 1;
      }
      expected = seq_found;
      pos = next;
    } else {
      if (expect_last == 0 || expect_last >= expected) {
        d.first_lost = expected;
        d.last_lost = expect_last;
        covered_to_end = true;
      }
      pos = data.size();
    }
    r.damage.push_back(std::move(d));
  }
  if (expect_last != 0 && r.last_seq < expect_last && !covered_to_end) {
    Damage d{name, r.end, Text::StoreDmgMissingRecords, {num(r.last_seq), num(expect_last)}};
    d.first_lost = r.last_seq + 1;
    d.last_lost = expect_last;
    r.damage.push_back(std::move(d));
  }
  return r;
}

Store::Store(Vfs& vfs, std::string dir, OpenOptions options)
    : vfs_(vfs), dir_(std::move(dir)), opt_(std::move(options)) {
  opt_.segment_bytes = std::clamp<uint32_t>(opt_.segment_bytes, 256, kMaxSegmentOption);
}

Store::~Store() = default;

Status Store::open(Vfs& vfs, const std::string& dir, const OpenOptions& options,
                   std::unique_ptr<Store>& out) {
  out.reset();
  std::unique_ptr<Store> s(new Store(vfs, dir, options));
  Status st = s->load();
  if (!st.ok()) return st;
  out = std::move(s);
  return {};
}

void Store::add_damage(Damage d) {
  if (opt_.log) opt_.log("damage: " + d.file + " @" + num(d.offset) + ": " + d.describe(Lang::en));
  damage_.push_back(std::move(d));
  read_only_ = true;
}

void Store::add_note(Note n) {
  const char* level = n.what == Text::StoreNoteCreated ? "note: " : "warning: ";
  if (opt_.log) opt_.log(level + n.file + " @" + num(n.offset) + ": " + n.describe(Lang::en));
  notes_.push_back(std::move(n));
}

void Store::wrote(const std::string& name) {
  changed_.insert(name);
  append_from_.erase(name);
  gone_.erase(name);
}

void Store::appended(const std::string& name, uint64_t offset) {
  if (changed_.insert(name).second) {
    append_from_[name] = offset;
    gone_.erase(name);
    return;
  }
  // Already changed since the last take: still an append if all its changes were.
  auto it = append_from_.find(name);
  if (it != append_from_.end()) it->second = std::min(it->second, offset);
}

void Store::removed(const std::string& name, bool known) {
  changed_.erase(name);
  append_from_.erase(name);
  // A file created and removed between two take_changes() never reached the web layer.
  if (reported_.erase(name) != 0) known = true;
  if (known) gone_.insert(name);
}

FileChanges Store::take_changes() {
  FileChanges c;
  c.written.assign(changed_.begin(), changed_.end());
  c.removed.assign(gone_.begin(), gone_.end());
  for (const auto& [name, from] : append_from_)
    if (from > 0) c.unchanged_prefix.emplace(name, from);
  append_from_.clear();
  reported_.insert(changed_.begin(), changed_.end());
  changed_.clear();
  gone_.clear();
  return c;
}

Status Store::load() {
  std::vector<std::string> names;
  Status st = vfs_.list_dir(dir_, names);
  if (st.code == Code::not_found) {
    if (opt_.create && !opt_.read_only) return create();
    return st;
  }
  if (!st.ok()) return st;
  // A restore from a backup that a crash interrupted (core/store/backup.h) is finished first,
  // or undone when it had not been committed yet: never a mix of two stores.
  const auto restore_file = [](const std::string& n) { return n.rfind(".restore", 0) == 0; };
  if (std::any_of(names.begin(), names.end(), restore_file)) {
    if (opt_.read_only) {
      if (restore_pending(vfs_, dir_))
        return {Code::damaged, "a restore from a backup into " + dir_ +
                                   " was interrupted: opening the store for writing finishes it"};
    } else {
      FileChanges restored;
      bool finished = false;
      st = finish_restore(vfs_, dir_, restored, finished);
      if (!st.ok()) return st;
      if (finished && opt_.log)
        opt_.log("note: an interrupted restore into " + dir_ + " was finished");
      for (const auto& n : restored.written) wrote(n);
      for (const auto& n : restored.removed) removed(n, true);
      st = vfs_.list_dir(dir_, names);  // the folder as the restore left it
      if (!st.ok()) return st;
    }
  }
  std::sort(names.begin(), names.end());
  reported_.insert(names.begin(), names.end());  // what exists is taken as persisted
  const bool has_manifest = std::find(names.begin(), names.end(), kManifestName) != names.end();
  // Without a usable manifest nothing says which records the snapshot covers: every segment
  // must be read.
  const Status need_all{Code::not_loaded, "the manifest of " + dir_ + " cannot be used: every segment is needed"};
  const bool deferring = opt_.loaded_from_segment > 1;

  if (!has_manifest) {
    // A store whose creation was interrupted holds at most empty segments: nothing was ever
    // committed. Anything more means the manifest was lost.
    bool any_data = false;
    for (const auto& n : names) {
      if (format::parse_snapshot_name(n)) any_data = true;
      if (format::parse_segment_name(n)) {
        uint64_t size = 0;
        const Status fs = vfs_.file_size(path(n), size);
        if (!fs.ok() || size > kSegmentHeaderSize) any_data = true;
      }
    }
    if (!any_data) {
      if (opt_.create && !opt_.read_only) return create();
      return {Code::not_found, "no store in " + dir_};
    }
    if (deferring) return need_all;
    add_damage(Damage{kManifestName, 0, Text::StoreDmgManifestMissing});
    salvage(names);
    return {};
  }

  std::string bytes;
  st = vfs_.read_file(path(kManifestName), bytes);
  if (!st.ok()) return st;
  Manifest m;
  const Error me = format::decode_manifest(bytes, m);
  if (me != Error::ok) {
    if (deferring) return need_all;
    add_damage(Damage{kManifestName, 0, Text::StoreDmgManifest, {}, text_of(me)});
    salvage(names);
    return {};
  }
  if (m.first_segment != 1 || m.active_segment < m.first_segment ||
      m.active_segment - m.first_segment >= kMaxSegments || m.active_bytes < kSegmentHeaderSize ||
      m.active_bytes > kMaxSegmentFile || m.last_seq >= kMaxSeq ||
      m.snapshot_seq > m.last_seq || (m.snapshot_seq == 0 && m.snapshot_bytes != 0)) {
    if (deferring) return need_all;
    add_damage(Damage{kManifestName, 0, Text::StoreDmgManifestValues});
    salvage(names);
    return {};
  }
  m_ = m;
  manifest_on_file_ = true;

  uint64_t expected = 1;
  uint64_t first = m_.first_segment;
  if (opt_.loaded_from_segment > m_.first_segment) {
    // The older segments are not here yet: allowed only when the snapshot covers every record
    // they can hold, i.e. the first segment here starts at most one past the snapshot's record.
    const uint64_t n = opt_.loaded_from_segment;
    const auto h = n <= m_.active_segment ? valid_header(n, names) : std::nullopt;
    if (!h || m_.snapshot_seq == 0 || h->first_seq > m_.snapshot_seq + 1)
      return {Code::not_loaded, "segments before " + format::segment_name(n) +
                                    " are needed to open " + dir_ + " but not loaded"};
    unloaded_ = n - m_.first_segment;
    first = n;
    expected = h->first_seq;
    readable_ = expected - 1;
  }
  uint64_t active_size = 0;
  st = check_segments(first, m_.active_segment, names, 0, expected, active_size, segs_);
  if (!st.ok()) return st;

  st = check_snapshot(opt_.verify_all);
  if (!st.ok()) return st;
  if (!damage_.empty()) return {};
  readable_ = m_.last_seq;
  if (opt_.read_only) {
    read_only_ = true;
    if (active_size > m_.active_bytes)
      add_note(Note{format::segment_name(m_.active_segment), m_.active_bytes,
                    Text::StoreNoteTornTail, {num(active_size - m_.active_bytes)}});
    return {};
  }
  return recover_writable(names, active_size);
}

std::optional<format::SegmentHeader> Store::valid_header(uint64_t number,
                                                         const std::vector<std::string>& names) {
  const std::string name = format::segment_name(number);
  if (!std::binary_search(names.begin(), names.end(), name)) return std::nullopt;
  std::string head;
  if (!vfs_.read_range(path(name), 0, kSegmentHeaderSize, head).ok()) return std::nullopt;
  format::SegmentHeader h;
  if (format::decode_segment_header(head, h) == Error::ok && h.store_id == m_.store_id &&
      h.segment == number && h.first_seq >= 1 && h.first_seq <= m_.last_seq + 1)
    return h;
  return std::nullopt;
}

Status Store::check_segments(uint64_t first, uint64_t last, const std::vector<std::string>& names,
                             uint64_t next_first, uint64_t& expected, uint64_t& active_size,
                             std::vector<Segment>& out) {
  Status st;
  // Every segment's header first: the next segment's first record bounds this one's last.
  const uint64_t count = last - first + 1;
  std::vector<std::optional<format::SegmentHeader>> headers(count);
  std::vector<bool> present(count, false);
  for (uint64_t i = 0; i < count; ++i) {
    present[i] = std::binary_search(names.begin(), names.end(), format::segment_name(first + i));
    if (present[i]) headers[i] = valid_header(first + i, names);
  }

  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t number = first + i;
    const bool active = number == m_.active_segment;
    const std::string name = format::segment_name(number);
    // The last record this segment should hold: from the next segment's header (0: unknown).
    uint64_t expect_last = 0;
    if (active) {
      expect_last = m_.last_seq;
    } else if (i + 1 == count) {
      if (next_first > expected) expect_last = next_first - 1;
    } else if (headers[i + 1] && headers[i + 1]->first_seq >= expected) {
      expect_last = headers[i + 1]->first_seq - 1;
    }
    out.push_back({number, expected});
    if (!present[i]) {
      // Lost: up to the next segment that can be read (or the manifest's last record).
      uint64_t lost_to = i + 1 == count && !active && next_first > 0 ? next_first - 1 : m_.last_seq;
      for (uint64_t j = i + 1; j < count; ++j) {
        if (headers[j] && headers[j]->first_seq >= expected) {
          lost_to = headers[j]->first_seq - 1;
          break;
        }
      }
      Damage d{name, 0, Text::StoreDmgFileMissing};
      if (lost_to >= expected) {
        d.first_lost = expected;
        d.last_lost = lost_to;
        expected = lost_to + 1;
      }
      add_damage(std::move(d));
      continue;
    }
    const bool full = opt_.verify_all || active || expect_last == 0 ||
                      expect_last > m_.snapshot_seq || !headers[i] ||
                      headers[i]->first_seq != expected;
    if (!full) {
      // Covered by the snapshot: the header was checked, the records are read by scan().
      readable_ += expect_last + 1 - expected;
      expected = expect_last + 1;
      continue;
    }
    uint64_t size = 0;
    st = vfs_.file_size(path(name), size);
    if (!st.ok()) return st;
    uint64_t limit = size;
    if (size > max_segment_file()) {
      // Far more than any segment can hold: not read into memory, its records counted lost.
      Damage d{name, max_segment_file(), Text::StoreDmgRecord, {}, text_of(Error::bad_length)};
      d.first_lost = expected;
      d.last_lost = expect_last;
      add_damage(std::move(d));
      if (expect_last != 0) expected = expect_last + 1;
      continue;
    }
    if (active) {
      active_size = size;
      if (size < m_.active_bytes) {
        add_damage(Damage{name, size, Text::StoreDmgShort, {num(m_.active_bytes), num(size)}});
      } else {
        limit = m_.active_bytes;
      }
    }
    std::string data;
    st = vfs_.read_range(path(name), 0, limit, data);
    if (!st.ok()) return st;
    SegmentCheck r = check_segment(name, data, m_.store_id, number, expected, expect_last,
                                   opt_.case_of, nullptr);
    for (auto& d : r.damage) add_damage(std::move(d));
    readable_ += r.records;
    expected = std::max(r.last_seq, expect_last) + 1;
  }
  return {};
}

Status Store::segments_loaded() {
  if (unloaded_ == 0) return {};
  std::vector<std::string> names;
  Status st = vfs_.list_dir(dir_, names);
  if (!st.ok()) return st;
  std::sort(names.begin(), names.end());
  std::vector<Segment> older;
  uint64_t expected = 1, unused = 0;
  const uint64_t first_here = segs_.front().first_seq;
  const uint64_t readable_here = readable_ - (first_here - 1);  // open counted these as readable
  readable_ = 0;
  st = check_segments(m_.first_segment, m_.first_segment + unloaded_ - 1, names, first_here,
                      expected, unused, older);
  readable_ += readable_here;
  if (!st.ok()) return st;
  if (expected != first_here && damage_.empty()) {
    // They hold more records than the segment after them says came before it.
    Damage d{format::segment_name(segs_.front().number), 0, Text::StoreDmgMissingRecords,
             {num(expected - 1), num(first_here - 1)}};
    add_damage(std::move(d));
  }
  reported_.insert(names.begin(), names.end());  // loaded from storage: persisted already
  segs_.insert(segs_.begin(), older.begin(), older.end());
  unloaded_ = 0;
  return {};
}

Status Store::check_snapshot(bool read_payload) {
  if (m_.snapshot_seq == 0) return {};
  const std::string name = format::snapshot_name(m_.snapshot_seq);
  uint64_t size = 0;
  Status st = vfs_.file_size(path(name), size);
  if (st.code == Code::not_found) {
    add_damage(Damage{name, 0, Text::StoreDmgFileMissing});
    return {};
  }
  if (!st.ok()) return st;
  std::string data;
  st = vfs_.read_range(path(name), 0, format::kSnapshotHeaderSize, data);
  if (!st.ok()) return st;
  format::SnapshotHeader h;
  Error e = format::decode_snapshot_header(data, h);
  if (e == Error::ok && (h.store_id != m_.store_id || h.seq != m_.snapshot_seq ||
                         h.payload_bytes != m_.snapshot_bytes ||
                         h.payload_crc != m_.snapshot_crc))
    e = Error::bad_checksum;  // consistent in itself, not the snapshot the manifest names
  if (e == Error::ok && size != format::kSnapshotHeaderSize + h.payload_bytes)
    e = size < format::kSnapshotHeaderSize + h.payload_bytes ? Error::truncated : Error::bad_length;
  if (e == Error::ok && read_payload) {
    // The size matches the manifest's: reading the payload is bounded by what was committed.
    st = vfs_.read_file(path(name), data);
    if (!st.ok()) return st;
    if (data.size() != size ||
        crc32c(std::string_view(data).substr(format::kSnapshotHeaderSize)) != h.payload_crc)
      e = Error::bad_checksum;
  }
  if (e != Error::ok) add_damage(Damage{name, 0, Text::StoreDmgSnapshot, {}, text_of(e)});
  return {};
}

Status Store::recover_writable(const std::vector<std::string>& names, uint64_t active_size) {
  // A torn tail: bytes of an interrupted commit past the committed length. Never acknowledged.
  if (active_size > m_.active_bytes) {
    const std::string name = format::segment_name(m_.active_segment);
    std::unique_ptr<WritableFile> f;
    Status st = vfs_.open_file(path(name), OpenMode::existing, f);
    if (st.ok()) st = f->truncate(m_.active_bytes);
    if (st.ok()) st = f->sync();
    if (!st.ok()) return st;
    wrote(name);
    add_note(Note{name, m_.active_bytes, Text::StoreNoteTornTail,
                  {num(active_size - m_.active_bytes)}});
  }
  // Files an interrupted commit, roll or snapshot left behind.
  bool removed_any = false;
  for (const auto& n : names) {
    const auto seg = format::parse_segment_name(n);
    const auto snap = format::parse_snapshot_name(n);
    const bool leftover = n == kManifestTmpName || (seg && *seg > m_.active_segment) ||
                          (snap && *snap != m_.snapshot_seq);
    if (!leftover) continue;
    const Status st = vfs_.remove(path(n));
    if (!st.ok() && st.code != Code::not_found) return st;
    removed(n, true);
    removed_any = true;
    add_note(Note{n, 0, Text::StoreNoteLeftover});
  }
  if (removed_any) return vfs_.sync_dir(dir_);
  return {};
}

void Store::salvage(std::vector<std::string> names) {
  // The manifest is unusable: read the segments as found, in number order, to show what can
  // still be read. Never written to.
  salvaged_ = true;
  read_only_ = true;
  m_ = Manifest{};
  std::vector<uint64_t> numbers;
  for (const auto& n : names)
    if (const auto seg = format::parse_segment_name(n)) numbers.push_back(*seg);
  std::sort(numbers.begin(), numbers.end());
  if (numbers.size() > kMaxSegments) numbers.resize(kMaxSegments);
  uint64_t expected = 1;
  bool have_id = false;
  for (size_t i = 0; i < numbers.size(); ++i) {
    const std::string name = format::segment_name(numbers[i]);
    std::string data;
    if (!vfs_.read_range(path(name), 0, max_segment_file(), data).ok()) {
      add_damage(Damage{name, 0, Text::StoreDmgUnreadable, {}, Text::StoreFmtShort});
      continue;
    }
    format::SegmentHeader h;
    if (format::decode_segment_header(data, h) == Error::ok) {
      if (!have_id) {
        m_.store_id = h.store_id;
        m_.first_segment = numbers[i];
        have_id = true;
      }
      if (i > 0 && numbers[i] != numbers[i - 1] + 1) {
        Damage d{format::segment_name(numbers[i - 1] + 1), 0, Text::StoreDmgFileMissing};
        if (h.first_seq > expected) {
          d.first_lost = expected;
          d.last_lost = h.first_seq - 1;
        }
        add_damage(std::move(d));
      }
      if (h.first_seq > expected && h.first_seq < kMaxSeq) expected = h.first_seq;
    }
    segs_.push_back({numbers[i], expected});
    SegmentCheck r = check_segment(name, data, m_.store_id, numbers[i], expected, 0,
                                   opt_.case_of, nullptr);
    for (auto& d : r.damage) add_damage(std::move(d));
    readable_ += r.records;
    expected = r.last_seq + 1;
  }
  m_.last_seq = expected - 1;
  m_.active_segment = numbers.empty() ? 1 : numbers.back();
  // What the manifest knew and the segments cannot tell: records after the last readable one.
  damage_.front().first_lost = expected;
  damage_.front().last_lost = 0;
}

Status Store::create() {
  Status st = vfs_.make_dir(dir_);
  if (!st.ok()) return st;
  std::vector<std::string> names;
  st = vfs_.list_dir(dir_, names);
  if (!st.ok()) return st;
  for (const auto& n : names) {
    // Only the empty remains of an interrupted creation can be here (load() checked).
    if (n == kManifestTmpName || format::parse_segment_name(n)) {
      st = vfs_.remove(path(n));
      if (!st.ok()) return st;
      removed(n, true);
    }
  }
  Manifest m;
  m.store_id = random_store_id();
  m.generation = 1;
  m.first_segment = m.active_segment = 1;
  m.active_bytes = kSegmentHeaderSize;
  const std::string seg = format::segment_name(1);
  st = write_new_file(seg, {format::encode_segment_header({m.store_id, 1, 1})});
  if (st.ok()) st = vfs_.sync_dir(dir_);
  if (st.ok()) st = write_manifest(m);
  if (!st.ok()) return st;
  m_ = m;
  segs_ = {{1, 1}};
  add_note(Note{kManifestName, 0, Text::StoreNoteCreated});
  return {};
}

Status Store::write_new_file(const std::string& name,
                             std::initializer_list<std::string_view> parts) {
  std::unique_ptr<WritableFile> f;
  Status st = vfs_.open_file(path(name), OpenMode::create_truncate, f);
  wrote(name);
  uint64_t at = 0;
  for (const std::string_view part : parts) {
    if (st.ok()) st = f->write_at(at, part);
    at += part.size();
  }
  if (st.ok()) st = f->sync();
  return st;
}

Status Store::write_manifest(const Manifest& m) {
  const std::string bytes = format::encode_manifest(m);
  if (opt_.files_in_memory && manifest_on_file_) {
    // OpenOptions::files_in_memory: in place (the layer above persists it after the commit).
    std::unique_ptr<WritableFile> f;
    Status st = vfs_.open_file(path(kManifestName), OpenMode::existing, f);
    if (st.ok()) st = f->write_at(0, bytes);
    if (st.ok()) wrote(kManifestName);  // only a whole manifest is handed on
    return st;
  }
  Status st = write_new_file(kManifestTmpName, {bytes});
  if (st.ok()) st = vfs_.rename(path(kManifestTmpName), path(kManifestName));
  if (!st.ok()) return st;
  removed(kManifestTmpName);
  wrote(kManifestName);
  manifest_on_file_ = true;
  return vfs_.sync_dir(dir_);
}

uint64_t Store::max_segment_file() const { return kMaxSegmentFile; }

uint64_t Store::readable_records() const { return damaged() ? readable_ : m_.last_seq; }

std::optional<SnapshotInfo> Store::snapshot() const {
  if (m_.snapshot_seq == 0) return std::nullopt;
  return SnapshotInfo{m_.snapshot_seq, m_.snapshot_bytes, format::snapshot_name(m_.snapshot_seq)};
}

Status Store::snapshot_damaged(const std::string& name, format::Error e) {
  bool known = false;
  for (const auto& d : damage_) known |= d.file == name;
  if (!known) add_damage(Damage{name, 0, Text::StoreDmgSnapshot, {}, text_of(e)});
  return {Code::damaged, name + ": " + tr(text_of(e), Lang::en)};
}

Status Store::open_snapshot(SnapshotReader& out) {
  out = SnapshotReader();
  if (m_.snapshot_seq == 0) return {Code::not_found, "no snapshot"};
  const std::string name = format::snapshot_name(m_.snapshot_seq);
  std::string header;
  uint64_t size = 0;
  Status st = vfs_.file_size(path(name), size);
  if (st.ok()) st = vfs_.read_range(path(name), 0, format::kSnapshotHeaderSize, header);
  if (!st.ok()) return st;
  format::SnapshotHeader h;
  format::Error e = format::decode_snapshot_header(header, h);
  if (e == format::Error::ok &&
      (h.seq != m_.snapshot_seq || h.payload_crc != m_.snapshot_crc ||
       size != format::kSnapshotHeaderSize + m_.snapshot_bytes))
    e = format::Error::bad_checksum;
  if (e != format::Error::ok) return snapshot_damaged(name, e);
  out.store_ = this;
  out.name_ = name;
  out.offset_ = format::kSnapshotHeaderSize;
  out.end_ = size;
  return {};
}

std::string_view SnapshotReader::next() {
  if (!store_ || !error_.ok() || offset_ >= end_) return {};
  error_ = store_->vfs_.read_range(store_->path(name_), offset_, std::min(kPiece, end_ - offset_),
                                   piece_);
  if (error_.ok() && piece_.empty()) error_ = {Code::io_error, name_ + ": shorter than it was"};
  if (!error_.ok()) return {};
  offset_ += piece_.size();
  crc_ = crc32c_extend(crc_, piece_.data(), piece_.size());
  return piece_;
}

Status SnapshotReader::finish() {
  if (!store_) return {Code::not_found, "no snapshot open"};
  while (!next().empty()) {
  }
  if (!error_.ok()) return error_;
  if (crc_ != store_->m_.snapshot_crc) return store_->snapshot_damaged(name_, format::Error::bad_checksum);
  return {};
}

Status Store::read_snapshot(std::string& out) {
  out.clear();
  SnapshotReader reader;
  Status st = open_snapshot(reader);
  if (!st.ok()) return st;
  out.reserve(m_.snapshot_bytes);
  for (std::string_view piece = reader.next(); !piece.empty(); piece = reader.next()) out += piece;
  st = reader.finish();
  if (!st.ok()) out.clear();
  return st;
}

size_t Store::segment_index_for(uint64_t seq) const {
  const auto it = std::upper_bound(segs_.begin(), segs_.end(), seq,
                                   [](uint64_t s, const Segment& g) { return s < g.first_seq; });
  return it == segs_.begin() ? 0 : static_cast<size_t>(it - segs_.begin()) - 1;
}

uint64_t Store::segment_limit(size_t index) const {
  if (!salvaged_ && index + 1 == segs_.size()) return m_.active_bytes;
  return UINT64_MAX;
}

Status Store::scan(uint64_t from_seq,
                   const std::function<bool(uint64_t, std::string_view)>& fn) {
  if (from_seq == 0) from_seq = 1;
  if (segs_.empty() || from_seq > m_.last_seq) return {};
  if (unloaded_ > 0 && from_seq < segs_.front().first_seq)
    return {Code::not_loaded, "records before " + num(segs_.front().first_seq) + " are not loaded yet"};
  const bool was_damaged = damaged();
  Status result;
  bool stop = false;
  const auto sink = [&](uint64_t seq, std::string_view rec) {
    if (seq < from_seq) return true;
    if (!fn(seq, rec)) stop = true;
    return !stop;
  };
  for (size_t i = segment_index_for(from_seq); i < segs_.size() && !stop; ++i) {
    const std::string name = format::segment_name(segs_[i].number);
    std::string data;
    Status st = vfs_.read_range(path(name), 0, std::min(segment_limit(i), max_segment_file()), data);
    if (!st.ok()) {
      if (was_damaged) continue;  // already named on open
      return st;
    }
    const uint64_t expect_last =
        salvaged_ ? 0 : (i + 1 < segs_.size() ? segs_[i + 1].first_seq - 1 : m_.last_seq);
    SegmentCheck r = check_segment(name, data, m_.store_id, segs_[i].number, segs_[i].first_seq,
                                   expect_last, opt_.case_of, sink);
    if (!was_damaged && !stop && !r.damage.empty()) {
      for (auto& d : r.damage) add_damage(std::move(d));
      result = {Code::damaged, name + ": " + damage_.back().describe(Lang::en)};
    }
  }
  return result;
}

Status Store::append(std::string_view record, uint64_t* seq) {
  if (read_only_) return {Code::read_only, "the store is read-only: " + dir_};
  if (record.size() > format::kMaxRecordBytes)
    return {Code::invalid, "record of " + num(record.size()) + " bytes (max " +
                               num(format::kMaxRecordBytes) + ")"};
  pending_.emplace_back(record);
  if (seq != nullptr) *seq = m_.last_seq + pending_.size();
  return {};
}

Status Store::commit() {
  if (read_only_) return {Code::read_only, "the store is read-only: " + dir_};
  if (pending_.empty()) return {};

  // Lay the pending records out: the rest of the active segment, then fresh segments.
  struct Piece {
    uint64_t number;
    bool fresh;
    uint64_t offset;  // where `bytes` go in the file
    uint64_t first_seq;
    std::string bytes;
  };
  std::vector<Piece> pieces;
  Piece cur{m_.active_segment, false, m_.active_bytes, segs_.back().first_seq, {}};
  uint64_t size = m_.active_bytes;
  uint64_t seq = m_.last_seq + 1;
  for (const auto& rec : pending_) {
    const uint64_t rs = format::record_size(rec.size());
    if (size > kSegmentHeaderSize && size + rs > opt_.segment_bytes) {
      pieces.push_back(std::move(cur));
      const uint64_t number = pieces.back().number + 1;
      cur = Piece{number, true, 0, seq,
                  format::encode_segment_header({m_.store_id, number, seq})};
      size = kSegmentHeaderSize;
    }
    format::append_record(cur.bytes, seq, rec);
    size += rs;
    ++seq;
  }
  pieces.push_back(std::move(cur));

  const auto fail = [this](Status st) {
    tail_dirty_ = true;  // some bytes past the committed length may have been written
    return st;
  };
  bool any_fresh = false;
  for (const auto& p : pieces) {
    const std::string name = format::segment_name(p.number);
    if (p.fresh) {
      any_fresh = true;
      Status st = write_new_file(name, {p.bytes});
      if (!st.ok()) return fail(st);
      continue;
    }
    if (p.bytes.empty() && !tail_dirty_) continue;
    std::unique_ptr<WritableFile> f;
    Status st = vfs_.open_file(path(name), OpenMode::existing, f);
    if (st.ok() && !p.bytes.empty()) {
      appended(name, p.offset);
      st = f->write_at(p.offset, p.bytes);
    }
    if (st.ok() && tail_dirty_) {
      wrote(name);
      st = f->truncate(p.offset + p.bytes.size());
    }
    if (st.ok()) st = f->sync();
    if (!st.ok()) return fail(st);
  }
  if (any_fresh) {
    Status st = vfs_.sync_dir(dir_);
    if (!st.ok()) return fail(st);
  }
  Manifest m = m_;
  ++m.generation;
  m.active_segment = pieces.back().number;
  m.active_bytes = pieces.back().offset + pieces.back().bytes.size();
  m.last_seq = seq - 1;
  Status st = write_manifest(m);
  if (!st.ok()) return fail(st);

  m_ = m;
  for (const auto& p : pieces)
    if (p.fresh) segs_.push_back({p.number, p.first_seq});
  pending_.clear();
  tail_dirty_ = false;
  return {};
}

Status Store::write_snapshot(uint64_t seq, std::string_view state) {
  if (read_only_) return {Code::read_only, "the store is read-only: " + dir_};
  if (seq == 0 || seq > m_.last_seq || seq <= m_.snapshot_seq)
    return {Code::invalid, "snapshot at record " + num(seq) + ": must be after " +
                               num(m_.snapshot_seq) + " and at most " + num(m_.last_seq)};
  const std::string name = format::snapshot_name(seq);
  // Header and state written one after the other: a state of tens of MB is not copied.
  const uint32_t crc = crc32c(state);
  Status st = write_new_file(
      name, {format::encode_snapshot_header(m_.store_id, seq, state.size(), crc), state});
  if (st.ok()) st = vfs_.sync_dir(dir_);
  Manifest m = m_;
  ++m.generation;
  m.snapshot_seq = seq;
  m.snapshot_bytes = state.size();
  m.snapshot_crc = crc;
  if (st.ok()) st = write_manifest(m);
  if (!st.ok()) return st;
  const uint64_t old = m_.snapshot_seq;
  m_ = m;
  if (old != 0) {
    // The previous snapshot is no longer named; a failure here leaves a leftover that the next
    // writable open removes.
    const std::string old_name = format::snapshot_name(old);
    if (vfs_.remove(path(old_name)).ok()) removed(old_name);
  }
  return {};
}

Status Store::files(std::vector<StoreFileInfo>& out) {
  out.clear();
  if (unloaded_ > 0) return {Code::not_loaded, "the older segments of " + dir_ + " are not loaded yet"};
  std::vector<std::string> names;
  Status st = vfs_.list_dir(dir_, names);
  if (!st.ok()) return st;
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    const auto seg = format::parse_segment_name(n);
    const auto snap = format::parse_snapshot_name(n);
    bool ours = n == kManifestName;
    if (salvaged_) {
      ours = ours || seg || snap;
    } else {
      ours = ours || (seg && *seg >= m_.first_segment && *seg <= m_.active_segment) ||
             (snap && *snap == m_.snapshot_seq && m_.snapshot_seq != 0);
    }
    if (!ours) continue;
    uint64_t size = 0;
    if (!vfs_.file_size(path(n), size).ok()) continue;
    out.push_back({n, size});
  }
  return {};
}

}  // namespace onestop::store
