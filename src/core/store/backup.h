#pragma once
// A backup of the whole store in one file, for the clerk to download and to restore from.
//
//   "ONESTOP-BACKUP\n" | u32 format (1) | u32 file count |
//   per file: u16 name length | name | u64 size | bytes |
//   32-byte SHA-256 of everything before it
//
// Integers little-endian. Restoring validates the file completely — framing, checksum, names,
// and then the store it holds, opened with every record checked — before anything is replaced.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/store.h"
#include "core/store/vfs.h"

namespace onestop::store {

struct BackupFile {
  std::string name;  // a file of the store directory (no folders)
  std::string bytes;
};

struct BackupSummary {
  size_t files = 0;
  uint64_t bytes = 0;    // of the store's files
  uint64_t records = 0;  // events
  uint64_t store_id = 0;
};

// Packs every file of the store in `dir` (as Store::files() lists them).
Status backup_make(Vfs& vfs, const std::string& dir, std::string& out);

// Unpacks and checks a backup: the frame and checksum, then the store inside, opened read-only
// in memory with every record verified. On failure `problem` says what is wrong, in Chinese and
// English, and nothing anywhere was touched.
Status backup_check(std::string_view backup, std::vector<BackupFile>& files,
                    BackupSummary& summary, std::string& problem);

// Replaces the store in `dir` by `files` (already checked): writes each file under a temporary
// name (".restore-" + name), then the marker ".restore" naming them — from then on the restore
// is committed — and finishes with finish_restore. `changes` lists what changed in `dir` (for
// the web layer). Call with no Store open on `dir`.
Status backup_restore(Vfs& vfs, const std::string& dir, const std::vector<BackupFile>& files,
                      FileChanges& changes);

// Completes a restore that a crash interrupted (Store::open calls it when writable): with the
// marker there, removes the old store's files, renames the new ones into place, then removes
// the marker; without it (the crash came before the restore was committed) removes what the
// restore had written and leaves the old store as it was. `finished` tells whether a restore
// was completed, `changes` what changed in `dir`. Safe to repeat after a crash of its own.
Status finish_restore(Vfs& vfs, const std::string& dir, FileChanges& changes, bool& finished);
// Whether `dir` holds a committed restore still to be finished (a read-only open cannot).
bool restore_pending(Vfs& vfs, const std::string& dir);

}  // namespace onestop::store
