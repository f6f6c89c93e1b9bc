#include "core/store/format.h"

#include <charconv>
#include <cstdio>

#include "core/store/crc32c.h"

namespace onestop::store::format {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFFu);
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFFu);
}
uint32_t get_u32(std::string_view b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v |= uint32_t{static_cast<unsigned char>(b[at + i])} << (8 * i);
  return v;
}
uint64_t get_u64(std::string_view b, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(b[at + i])} << (8 * i);
  return v;
}

namespace {

std::string numbered(const char* prefix, uint64_t n, int width, const char* suffix) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%0*llu%s", prefix, width, static_cast<unsigned long long>(n),
                suffix);
  return buf;
}

std::optional<uint64_t> parse_numbered(std::string_view name, std::string_view prefix,
                                       size_t min_width, std::string_view suffix) {
  if (name.size() < prefix.size() + suffix.size() + min_width) return std::nullopt;
  if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
  if (name.substr(name.size() - suffix.size()) != suffix) return std::nullopt;
  const std::string_view digits =
      name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 20) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  // Only the canonical spelling: "seg-1.log" or "seg-000000001.log" are not the store's.
  if (std::string(name) != numbered(std::string(prefix).c_str(), n, static_cast<int>(min_width),
                                    std::string(suffix).c_str()))
    return std::nullopt;
  return n;
}

bool has_magic(std::string_view b, const char* magic) { return b.substr(0, 4) == magic; }

}  // namespace

std::string segment_name(uint64_t number) { return numbered("seg-", number, 8, ".log"); }
std::optional<uint64_t> parse_segment_name(std::string_view name) {
  return parse_numbered(name, "seg-", 8, ".log");
}
std::string snapshot_name(uint64_t seq) { return numbered("snap-", seq, 12, ".snap"); }
std::optional<uint64_t> parse_snapshot_name(std::string_view name) {
  return parse_numbered(name, "snap-", 12, ".snap");
}

std::string encode_segment_header(const SegmentHeader& h) {
  std::string out = "OSEG";
  put_u32(out, kVersion);
  put_u64(out, h.store_id);
  put_u64(out, h.segment);
  put_u64(out, h.first_seq);
  put_u32(out, crc32c(out));
  return out;
}

Error decode_segment_header(std::string_view b, SegmentHeader& out) {
  if (b.size() < kSegmentHeaderSize) return Error::short_data;
  if (!has_magic(b, "OSEG")) return Error::bad_magic;
  if (crc32c(b.data(), kSegmentHeaderSize - 4) != get_u32(b, kSegmentHeaderSize - 4))
    return Error::bad_checksum;
  if (get_u32(b, 4) != kVersion) return Error::bad_version;
  out.store_id = get_u64(b, 8);
  out.segment = get_u64(b, 16);
  out.first_seq = get_u64(b, 24);
  return Error::ok;
}

void append_record(std::string& out, uint64_t seq, std::string_view payload) {
  const size_t start = out.size();
  put_u32(out, 0);  // the crc, filled in below
  put_u32(out, static_cast<uint32_t>(payload.size()));
  put_u64(out, seq);
  out += payload;
  const uint32_t crc = crc32c(out.data() + start + 4, out.size() - start - 4);
  for (size_t i = 0; i < 4; ++i) out[start + i] = static_cast<char>((crc >> (8 * i)) & 0xFFu);
}

std::optional<uint32_t> peek_record_length(std::string_view b) {
  if (b.size() < 8) return std::nullopt;
  return get_u32(b, 4);
}

Error decode_record(std::string_view b, RecordView& out) {
  if (b.size() < kRecordHeaderSize) return Error::short_data;
  const uint32_t len = get_u32(b, 4);
  if (len > kMaxRecordBytes) return Error::bad_length;
  if (b.size() - kRecordHeaderSize < len) return Error::truncated;
  if (crc32c(b.data() + 4, kRecordHeaderSize - 4 + len) != get_u32(b, 0))
    return Error::bad_checksum;
  out.seq = get_u64(b, 8);
  out.payload = b.substr(kRecordHeaderSize, len);
  out.size = kRecordHeaderSize + len;
  return Error::ok;
}

std::string encode_manifest(const Manifest& m) {
  std::string out = "OSMF";
  put_u32(out, kVersion);
  put_u64(out, m.store_id);
  put_u64(out, m.generation);
  put_u64(out, m.first_segment);
  put_u64(out, m.active_segment);
  put_u64(out, m.active_bytes);
  put_u64(out, m.last_seq);
  put_u64(out, m.snapshot_seq);
  put_u64(out, m.snapshot_bytes);
  put_u32(out, m.snapshot_crc);
  put_u32(out, crc32c(out));
  return out;
}

Error decode_manifest(std::string_view b, Manifest& out) {
  if (b.size() < kManifestSize) return Error::short_data;
  if (!has_magic(b, "OSMF")) return Error::bad_magic;
  if (b.size() != kManifestSize) return Error::bad_length;
  if (crc32c(b.data(), kManifestSize - 4) != get_u32(b, kManifestSize - 4))
    return Error::bad_checksum;
  if (get_u32(b, 4) != kVersion) return Error::bad_version;
  out.store_id = get_u64(b, 8);
  out.generation = get_u64(b, 16);
  out.first_segment = get_u64(b, 24);
  out.active_segment = get_u64(b, 32);
  out.active_bytes = get_u64(b, 40);
  out.last_seq = get_u64(b, 48);
  out.snapshot_seq = get_u64(b, 56);
  out.snapshot_bytes = get_u64(b, 64);
  out.snapshot_crc = get_u32(b, 72);
  return Error::ok;
}

std::string encode_snapshot_header(uint64_t store_id, uint64_t seq, uint64_t payload_bytes,
                                   uint32_t payload_crc) {
  std::string out = "OSNP";
  put_u32(out, kVersion);
  put_u64(out, store_id);
  put_u64(out, seq);
  put_u64(out, payload_bytes);
  put_u32(out, payload_crc);
  put_u32(out, crc32c(out));
  return out;
}

std::string encode_snapshot(uint64_t store_id, uint64_t seq, std::string_view payload) {
  return encode_snapshot_header(store_id, seq, payload.size(), crc32c(payload)) += payload;
}

Error decode_snapshot_header(std::string_view b, SnapshotHeader& out) {
  if (b.size() < kSnapshotHeaderSize) return Error::short_data;
  if (!has_magic(b, "OSNP")) return Error::bad_magic;
  if (crc32c(b.data(), kSnapshotHeaderSize - 4) != get_u32(b, kSnapshotHeaderSize - 4))
    return Error::bad_checksum;
  if (get_u32(b, 4) != kVersion) return Error::bad_version;
  out.store_id = get_u64(b, 8);
  out.seq = get_u64(b, 16);
  out.payload_bytes = get_u64(b, 24);
  out.payload_crc = get_u32(b, 32);
  return Error::ok;
}

}  // namespace onestop::store::format
