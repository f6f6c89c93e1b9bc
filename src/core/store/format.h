#pragma once
// The bytes of the store's files (docs/store-format.md describes them for people). Integers are
// little-endian; every checksum is CRC-32C. Nothing here touches a file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace onestop::store::format {

inline constexpr uint32_t kVersion = 1;
inline constexpr const char* kManifestName = "MANIFEST";
inline constexpr const char* kManifestTmpName = "MANIFEST.tmp";

inline constexpr size_t kSegmentHeaderSize = 36;
inline constexpr size_t kRecordHeaderSize = 16;
inline constexpr size_t kManifestSize = 80;
inline constexpr size_t kSnapshotHeaderSize = 40;
inline constexpr uint32_t kMaxRecordBytes = 16u << 20;  // one record, 16 MiB

enum class Error : uint8_t {
  ok,
  short_data,   // fewer bytes than the structure needs
  bad_magic,    // not this kind of file
  bad_version,  // written by a newer (or unknown) format version
  bad_checksum,
  bad_length,   // a record length above kMaxRecordBytes
  truncated,    // a record whose length runs past the end of the data
};

// "seg-00000001.log" (at least 8 digits) and "snap-000000001000.snap" (at least 12 digits).
std::string segment_name(uint64_t number);
std::optional<uint64_t> parse_segment_name(std::string_view name);
std::string snapshot_name(uint64_t seq);
std::optional<uint64_t> parse_snapshot_name(std::string_view name);

// Segment header: "OSEG" | version u32 | store_id u64 | segment u64 | first_seq u64 | crc u32
struct SegmentHeader {
  uint64_t store_id = 0, segment = 0, first_seq = 0;
};
std::string encode_segment_header(const SegmentHeader& h);
Error decode_segment_header(std::string_view bytes, SegmentHeader& out);

// Record: crc u32 | length u32 | seq u64 | payload; the crc covers length, seq and payload.
inline size_t record_size(size_t payload) { return kRecordHeaderSize + payload; }
void append_record(std::string& out, uint64_t seq, std::string_view payload);
struct RecordView {
  uint64_t seq = 0;
  std::string_view payload;
  size_t size = 0;  // header + payload
};
// Decodes the record at the start of `bytes`.
Error decode_record(std::string_view bytes, RecordView& out);
// The header's length field alone (unchecked), when at least a length is there.
std::optional<uint32_t> peek_record_length(std::string_view bytes);

// Manifest: "OSMF" | version u32 | store_id u64 | generation u64 | first_segment u64 |
// active_segment u64 | active_bytes u64 | last_seq u64 | snapshot_seq u64 | snapshot_bytes u64 |
// snapshot_crc u32 | crc u32 — 80 bytes.
struct Manifest {
  uint64_t store_id = 0;
  uint64_t generation = 0;      // +1 at every manifest written
  uint64_t first_segment = 1;   // the oldest live segment
  uint64_t active_segment = 1;  // the segment appended to; every number between is live
  uint64_t active_bytes = 0;    // committed length of the active segment, header included
  uint64_t last_seq = 0;        // the last committed record
  uint64_t snapshot_seq = 0;    // 0: no snapshot
  uint64_t snapshot_bytes = 0;  // payload length of the snapshot
  uint32_t snapshot_crc = 0;    // payload checksum of the snapshot
  bool operator==(const Manifest&) const = default;
};
std::string encode_manifest(const Manifest& m);
Error decode_manifest(std::string_view bytes, Manifest& out);

// Snapshot: "OSNP" | version u32 | store_id u64 | seq u64 | payload_bytes u64 | payload_crc u32 |
// header crc u32 | payload.
struct SnapshotHeader {
  uint64_t store_id = 0, seq = 0, payload_bytes = 0;
  uint32_t payload_crc = 0;
};
std::string encode_snapshot(uint64_t store_id, uint64_t seq, std::string_view payload);
// The same file's 40-byte header alone (the payload follows it), so that a large state need not
// be copied behind it.
std::string encode_snapshot_header(uint64_t store_id, uint64_t seq, uint64_t payload_bytes,
                                   uint32_t payload_crc);
Error decode_snapshot_header(std::string_view bytes, SnapshotHeader& out);

// Little-endian helpers.
void put_u32(std::string& out, uint32_t v);
void put_u64(std::string& out, uint64_t v);
uint32_t get_u32(std::string_view bytes, size_t at);
uint64_t get_u64(std::string_view bytes, size_t at);

}  // namespace onestop::store::format
