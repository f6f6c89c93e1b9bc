#pragma once
// The event store: an append-only log of opaque records, numbered 1, 2, 3 …, cut into small
// checksummed segment files, with a small manifest replaced atomically at every commit and
// optional snapshots so that opening need not replay all history. docs/store-format.md has the
// bytes; this header has the contract.
//
//   std::unique_ptr<Store> s;
//   Status st = Store::open(vfs, "/data/store", {.create = true}, s);
//   if (!st.ok()) …                     // no store / I/O error; nothing was changed
//   if (s->read_only()) show(s->damage());  // damaged: readable, never written
//   s->read_snapshot(blob); s->scan(s->snapshot()->seq + 1, apply);   // rebuild the state
//   s->append(record_a); s->append(record_b);
//   st = s->commit();                   // durable (both or neither) once it returns ok
//   for (auto& f : s->take_changes().written) …   // the web layer persists exactly these
//
// Durability: commit() returns ok only after the records and the manifest naming them are
// synced. A failed commit keeps the records pending: call commit() again (after space was
// freed, say) — the retry rewrites the same bytes — or reopen to learn what reached the disk.
// A commit writes to the active segment (at most OpenOptions::segment_bytes, a few tens of KB)
// and the 80-byte manifest, never more, whatever the store's size.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/store/format.h"
#include "core/store/status.h"
#include "core/store/vfs.h"
#include "core/text.h"

namespace onestop::store {

// Reads the case a record belongs to: nullopt when the bytes cannot be decoded, "" for records of
// no case. Used to name the cases that damage affects and by `onestop store stats`.
using CaseOf = std::function<std::optional<std::string>(std::string_view record)>;

struct OpenOptions {
  bool read_only = false;  // never write (the command line's verify, stats, digest)
  bool create = false;     // create an empty store when the directory holds none
  // Check every record's checksum on open. Otherwise only the records after the snapshot are
  // read (those the caller replays), plus the header of every older segment; older records are
  // checked when scan() reads them.
  bool verify_all = true;
  // A new segment starts when the active one would pass this (256 B … 4 MiB).
  uint32_t segment_bytes = 32 * 1024;
  // In the browser the oldest segments may still be in IndexedDB when the store opens (reading
  // them would make opening grow with the store's history): segments numbered below this one are
  // taken as present but not read yet. They must lie wholly before the snapshot's record (else
  // open() returns not_loaded and nothing is changed); segments_loaded() checks them once they
  // are in the directory. 0: every segment is there.
  uint64_t loaded_from_segment = 0;
  // The directory is in memory (the browser's MEMFS), and the layer above makes it durable after
  // each commit, every changed file at once (one IndexedDB transaction): the manifest is then
  // overwritten in place instead of written to a temporary file and renamed over the old one,
  // which only matters for a disk. The write is the same 80 bytes over the same 80 bytes, so in
  // memory it cannot stop halfway; should it fail all the same, take_changes() does not list the
  // manifest. Never set this on a disk: a crash in the middle of the write would tear it.
  bool files_in_memory = false;
  CaseOf case_of;                      // optional, to name the cases damage affects
  std::function<void(const std::string& warning)> log;  // optional, gets each note in English
};

// Damage found in the store's files: what, where, and what it costs.
struct Damage {
  Damage() = default;
  Damage(std::string file_name, uint64_t at, Text what_id, std::vector<std::string> values = {},
         std::optional<Text> format_error = std::nullopt)
      : file(std::move(file_name)),
        offset(at),
        what(what_id),
        args(std::move(values)),
        cause(format_error) {}

  std::string file;  // name within the store directory
  uint64_t offset = 0;
  Text what = Text::StoreDmgRecord;
  std::vector<std::string> args;  // fill what's "{}"s (numbers, names, a format error's text)
  std::optional<Text> cause;      // a format error (checksum mismatch, …) filling the last "{}"
  uint64_t first_lost = 0;        // records lost: first_lost..last_lost; 0: none / unknown
  uint64_t last_lost = 0;         // 0 with first_lost set: "and every later one"
  std::vector<std::string> cases;  // cases known to be affected
  bool cases_guessed = false;      // true: read from the damaged bytes, unverified
  std::string describe(Lang lang) const;  // one line, no file name
};

// Something repaired or worth knowing, not damage (a torn tail dropped, a leftover removed).
struct Note {
  Note() = default;
  Note(std::string file_name, uint64_t at, Text what_id, std::vector<std::string> values = {})
      : file(std::move(file_name)), offset(at), what(what_id), args(std::move(values)) {}

  std::string file;
  uint64_t offset = 0;
  Text what = Text::StoreNoteTornTail;
  std::vector<std::string> args;
  std::string describe(Lang lang) const;
};

struct SnapshotInfo {
  uint64_t seq = 0;    // the state after record `seq`
  uint64_t bytes = 0;  // payload length
  std::string file;
};

// Files of the store directory changed since the last take_changes(), by name. On IDBFS the web
// layer persists `written` whole and deletes `removed` (a name may be in `removed` without ever
// having been persisted: deleting it is then a no-op).
struct FileChanges {
  std::vector<std::string> written;
  std::vector<std::string> removed;
  // Files of `written` that only grew since the last take_changes() (the active segment after a
  // commit), with the length of their start, unchanged since then: the web layer stores just
  // the bytes after it, so a commit's write stays the size of its records. Every other file of
  // `written` is to be stored whole.
  std::map<std::string, uint64_t> unchanged_prefix;
  bool empty() const { return written.empty() && removed.empty(); }
};

struct StoreFileInfo {
  std::string name;
  uint64_t bytes = 0;
};

class Store;

// A snapshot's payload read a piece at a time (Store::open_snapshot), so that a large state need
// not be held whole in memory: next() gives the pieces in order; finish() reads what the caller
// left, checks the payload's length and checksum against the manifest and names any damage.
// The pieces are unchecked until finish() says ok: a caller decoding them keeps its result only
// then.
class SnapshotReader {
 public:
  static constexpr uint64_t kPiece = 256 << 10;
  // The next piece (valid until the next call); empty at the end or after an error.
  std::string_view next();
  Status finish();

 private:
  friend class Store;
  Store* store_ = nullptr;
  std::string name_;
  uint64_t offset_ = 0, end_ = 0;  // the part of the file still to read
  uint32_t crc_ = 0;
  Status error_;
  std::string piece_;
};

class Store {
 public:
  // Opens (or with options.create, creates) the store in `dir`. Returns not_found when `dir`
  // holds no store and create is off, an I/O error when the files cannot be read or the
  // recovery (dropping a torn tail, removing leftovers) cannot be written. A damaged store
  // opens read-only with Code::ok: check read_only() and damage().
  static Status open(Vfs& vfs, const std::string& dir, const OpenOptions& options,
                     std::unique_ptr<Store>& out);

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  const std::string& dir() const { return dir_; }
  bool read_only() const { return read_only_; }
  bool damaged() const { return !damage_.empty(); }
  const std::vector<Damage>& damage() const { return damage_; }
  const std::vector<Note>& notes() const { return notes_; }

  uint64_t store_id() const { return m_.store_id; }
  uint64_t last_seq() const { return m_.last_seq; }  // the last committed record; 0: empty
  uint64_t readable_records() const;                 // last_seq() unless damaged
  size_t pending() const { return pending_.size(); }
  uint64_t segment_count() const { return segs_.size(); }
  std::optional<SnapshotInfo> snapshot() const;
  uint64_t records_since_snapshot() const { return m_.last_seq - m_.snapshot_seq; }

  // Segments opened as "not loaded yet" (OpenOptions::loaded_from_segment) and not checked since.
  // Until segments_loaded(), scan() refuses their records and files() the listing (a backup must
  // not miss them).
  uint64_t unloaded_segments() const { return unloaded_; }
  // They are in the directory now: checks their headers as open() would have (damage found makes
  // the store read-only, as on open); their records are checked when scan() reads them.
  Status segments_loaded();

  // Reads and checks the snapshot's payload.
  Status read_snapshot(std::string& out);
  // Starts reading it a piece at a time (SnapshotReader); the store must outlive `out`.
  Status open_snapshot(SnapshotReader& out);
  // Calls fn(seq, record) for every committed record from `from_seq` on, in order, until fn
  // returns false. Damage met on the way (possible when opened with verify_all = false) is added
  // to damage(), makes the store read-only, and is returned after the readable records; a store
  // already damaged yields every readable record and returns ok.
  Status scan(uint64_t from_seq, const std::function<bool(uint64_t, std::string_view)>& fn);

  // Queues a record; `seq` receives its number. Not durable before commit().
  Status append(std::string_view record, uint64_t* seq = nullptr);
  // Makes every pending record durable, all or nothing.
  Status commit();
  // Stores `state`, the caller's state after record `seq` (≤ last_seq(), > the current
  // snapshot's), and retires the previous snapshot.
  Status write_snapshot(uint64_t seq, std::string_view state);

  FileChanges take_changes();
  // The store's files (manifest, segments, snapshot) and their sizes.
  Status files(std::vector<StoreFileInfo>& out);

 private:
  struct Segment {
    uint64_t number = 0;
    uint64_t first_seq = 0;
  };
  Store(Vfs& vfs, std::string dir, OpenOptions options);
  Status load();
  Status create();
  void salvage(std::vector<std::string> names);
  Status check_snapshot(bool read_payload);
  // Checks segments `first`..`last` (numbers), whose records start at `expected`; `next_first`
  // is the first record of segment last + 1 (unused when `last` is the active one). Appends them
  // to `out`; damage to damage(); `expected` becomes the record after them.
  Status check_segments(uint64_t first, uint64_t last, const std::vector<std::string>& names,
                        uint64_t next_first, uint64_t& expected, uint64_t& active_size,
                        std::vector<Segment>& out);
  // Segment `number`'s header when it is there and belongs to this store at that place.
  std::optional<format::SegmentHeader> valid_header(uint64_t number,
                                                    const std::vector<std::string>& names);
  Status recover_writable(const std::vector<std::string>& names, uint64_t active_size);
  Status write_manifest(const format::Manifest& m);
  // Writes `parts` one after the other into a new file (or over an old one), then syncs it.
  Status write_new_file(const std::string& name, std::initializer_list<std::string_view> parts);
  void add_damage(Damage d);
  friend class SnapshotReader;
  Status snapshot_damaged(const std::string& name, format::Error e);  // recorded once
  void add_note(Note n);
  std::string path(std::string_view name) const { return join_path(dir_, name); }
  void wrote(const std::string& name);
  void appended(const std::string& name, uint64_t offset);  // bytes written from `offset` to the end
  // `known`: the file existed before this process touched it (a leftover found on open).
  void removed(const std::string& name, bool known = false);
  size_t segment_index_for(uint64_t seq) const;
  uint64_t segment_limit(size_t index) const;  // committed bytes of segs_[index]; max: to EOF
  uint64_t max_segment_file() const;            // no segment file can be longer

  Vfs& vfs_;
  std::string dir_;
  OpenOptions opt_;
  bool read_only_ = false;
  bool salvaged_ = false;  // the manifest was unusable: segments were read as found
  std::vector<Damage> damage_;
  std::vector<Note> notes_;
  format::Manifest m_;  // the committed state
  std::vector<Segment> segs_;
  uint64_t unloaded_ = 0;  // segments first_segment … first_segment + unloaded_ - 1 not read yet
  uint64_t readable_ = 0;  // records read successfully on open (damaged stores)
  std::vector<std::string> pending_;
  bool tail_dirty_ = false;  // bytes past active_bytes may exist (after a failed commit)
  bool manifest_on_file_ = false;  // MANIFEST is a whole manifest (read at open or written since)
  std::set<std::string> changed_, gone_;
  std::map<std::string, uint64_t> append_from_;  // changed_ files only appended to, from where
  std::set<std::string> reported_;  // given out as written by take_changes(), not removed since
};

// One segment's bytes checked record by record: shared by open, scan and verify.
struct SegmentCheck {
  uint64_t end = 0;       // offset just past the last record read
  uint64_t last_seq = 0;  // the last record read (expected first seq - 1 when none)
  uint64_t records = 0;
  std::vector<Damage> damage;
};
// `data` holds the segment's bytes up to the committed limit. `expect_first` is the sequence
// number its first record should carry; `expect_last` the last one (0: unknown).
SegmentCheck check_segment(const std::string& name, std::string_view data, uint64_t store_id,
                           uint64_t number, uint64_t expect_first, uint64_t expect_last,
                           const CaseOf& case_of,
                           const std::function<bool(uint64_t, std::string_view)>& fn);

// "checksum mismatch" etc. for a format error.
Text text_of(format::Error e);

}  // namespace onestop::store
