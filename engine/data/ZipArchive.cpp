#include "engine/data/ZipArchive.h"

#include <zlib.h>

#include <algorithm>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"

namespace latentlab {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50, kCentralHeader = 0x02014b50, kEnd = 0x06054b50,
                   kZip64Locator = 0x07064b50, kZip64End = 0x06064b50;
constexpr uint64_t kDeflateMaxRatio = 1032;  // deflate cannot expand one byte to more than this

uint64_t le(const std::vector<uint8_t>& b, uint64_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b[size_t(at) + size_t(i)];
  return v;
}

}  // namespace

void ZipArchive::fail(const std::string& what) const { throw Error("Zip", file_ + ": " + what); }

ZipArchive::ZipArchive(std::vector<uint8_t> bytes, std::string fileName)
    : bytes_(std::move(bytes)), file_(std::move(fileName)) {
  const uint64_t size = bytes_.size();
  auto need = [&](uint64_t at, uint64_t len, const char* what) {
    if (at > size || len > size - at) fail(std::string(what) + " lies beyond the end of the file (truncated?)");
  };
  if (size < 22) fail("too short for a zip archive");
  // The end-of-central-directory record: the last one, within the 64 KiB a comment may take.
  uint64_t end = UINT64_MAX;
  const uint64_t lowest = size >= 22 + 65535 ? size - 22 - 65535 : 0;
  for (uint64_t at = size - 22 + 1; at-- > lowest;)
    if (le(bytes_, at, 4) == kEnd) {
      end = at;
      break;
    }
  if (end == UINT64_MAX) fail("not a zip archive (no end-of-central-directory record)");
  uint64_t count = le(bytes_, end + 10, 2), cdSize = le(bytes_, end + 12, 4), cdOffset = le(bytes_, end + 16, 4);
  if (le(bytes_, end + 4, 2) != 0 || le(bytes_, end + 6, 2) != 0 || le(bytes_, end + 8, 2) != count)
    fail("archives split over several disks are not supported");
  uint64_t cdLimit = end;  // the central directory ends before this
  if (count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF) {
    if (end < 20 || le(bytes_, end - 20, 4) != kZip64Locator) fail("zip64 sizes without a zip64 locator");
    const uint64_t at = le(bytes_, end - 20 + 8, 8);
    need(at, 56, "the zip64 end record");
    if (le(bytes_, at, 4) != kZip64End) fail("bad zip64 end record signature");
    count = le(bytes_, at + 32, 8);
    cdSize = le(bytes_, at + 40, 8);
    cdOffset = le(bytes_, at + 48, 8);
    cdLimit = at;
  }
  if (cdOffset > cdLimit || cdSize > cdLimit - cdOffset) fail("the central directory lies outside the archive");
  if (count > cdSize / 46)
    fail(std::to_string(count) + " entries cannot fit a central directory of " + std::to_string(cdSize) + " bytes");
  entries_.reserve(size_t(count));
  uint64_t at = cdOffset;
  const uint64_t cdEnd = cdOffset + cdSize;
  for (uint64_t i = 0; i < count; ++i) {
    if (at > cdEnd || cdEnd - at < 46 || le(bytes_, at, 4) != kCentralHeader)
      fail("central directory entry " + std::to_string(i) + " is damaged");
    ZipEntry e;
    e.flags = uint16_t(le(bytes_, at + 8, 2));
    e.method = uint16_t(le(bytes_, at + 10, 2));
    e.crc = uint32_t(le(bytes_, at + 16, 4));
    e.compressedSize = le(bytes_, at + 20, 4);
    e.size = le(bytes_, at + 24, 4);
    const uint64_t nameLen = le(bytes_, at + 28, 2), extraLen = le(bytes_, at + 30, 2),
                   commentLen = le(bytes_, at + 32, 2);
    const uint64_t diskStart = le(bytes_, at + 34, 2);
    e.localOffset = le(bytes_, at + 42, 4);
    if (46 + nameLen + extraLen + commentLen > cdEnd - at)
      fail("central directory entry " + std::to_string(i) + " runs past the directory");
    e.name.assign(reinterpret_cast<const char*>(&bytes_[size_t(at + 46)]), size_t(nameLen));
    // zip64 extra field: the 64-bit values of the fields saturated above, in this order.
    for (uint64_t x = at + 46 + nameLen, xEnd = x + extraLen; x + 4 <= xEnd;) {
      const uint64_t id = le(bytes_, x, 2), len = le(bytes_, x + 2, 2);
      if (len > xEnd - x - 4) fail(e.name + ": damaged extra field");
      if (id == 1) {
        uint64_t p = x + 4;
        auto take = [&](uint64_t& field) {
          if (p + 8 > x + 4 + len) fail(e.name + ": damaged zip64 extra field");
          field = le(bytes_, p, 8);
          p += 8;
        };
        if (e.size == 0xFFFFFFFF) take(e.size);
        if (e.compressedSize == 0xFFFFFFFF) take(e.compressedSize);
        if (e.localOffset == 0xFFFFFFFF) take(e.localOffset);
      }
      x += 4 + len;
    }
    if (diskStart != 0 && diskStart != 0xFFFF) fail("archives split over several disks are not supported");
    entries_.push_back(std::move(e));
    at += 46 + nameLen + extraLen + commentLen;
  }
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<uint8_t> ZipArchive::read(const ZipEntry& e, uint64_t limit) const {
  const uint64_t size = bytes_.size();
  if (e.flags & 1) fail(e.name + ": encrypted entries are not supported");
  if (e.method != 0 && e.method != 8)
    fail(e.name + ": compression method " + std::to_string(e.method) + " is not supported (stored or deflated)");
  if (e.localOffset > size || size - e.localOffset < 30 || le(bytes_, e.localOffset, 4) != kLocalHeader)
    fail(e.name + ": damaged local header");
  const uint64_t data = e.localOffset + 30 + le(bytes_, e.localOffset + 26, 2) + le(bytes_, e.localOffset + 28, 2);
  if (data > size || e.compressedSize > size - data)
    fail(e.name + ": its data lies beyond the end of the file (truncated?)");
  if (e.size > uint64_t(limits::kMaxFileBytes))
    fail(e.name + ": declares " + std::to_string(e.size) + " bytes, more than the " +
         std::to_string(limits::kMaxFileBytes) + " allowed");
  const uint8_t* in = bytes_.data() + data;
  const uint64_t want = std::min(limit, e.size);
  std::vector<uint8_t> out;
  if (e.method == 0) {
    if (e.compressedSize != e.size) fail(e.name + ": a stored entry whose sizes differ");
    out.assign(in, in + want);
  } else {
    if (e.size > e.compressedSize * kDeflateMaxRatio + 1024)
      fail(e.name + ": declares " + std::to_string(e.size) + " bytes from " + std::to_string(e.compressedSize) +
           " compressed bytes, more than deflate can produce");
    out.resize(size_t(want));
    z_stream zs{};
    if (inflateInit2(&zs, -15) != Z_OK) fail(e.name + ": cannot start inflating");
    uint64_t consumed = 0, produced = 0;
    int rc = Z_OK;
    while (produced < want) {
      const uint64_t inChunk = std::min<uint64_t>(e.compressedSize - consumed, 1u << 30);
      const uint64_t outChunk = std::min<uint64_t>(want - produced, 1u << 30);
      zs.next_in = const_cast<Bytef*>(in + consumed);
      zs.avail_in = uInt(inChunk);
      zs.next_out = out.data() + produced;
      zs.avail_out = uInt(outChunk);
      rc = inflate(&zs, Z_NO_FLUSH);
      consumed += inChunk - zs.avail_in;
      produced += outChunk - zs.avail_out;
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        inflateEnd(&zs);
        fail(e.name + ": corrupt deflate data");
      }
      if (rc == Z_BUF_ERROR && zs.avail_out > 0) {  // no progress possible: input exhausted
        inflateEnd(&zs);
        fail(e.name + ": deflate data ends early (truncated?)");
      }
    }
    // At the full size, the stream must end there: one more byte of output would be more than declared.
    if (want == e.size && rc != Z_STREAM_END) {
      uint8_t extra;
      zs.next_in = const_cast<Bytef*>(in + consumed);
      zs.avail_in = uInt(std::min<uint64_t>(e.compressedSize - consumed, 1u << 30));
      zs.next_out = &extra;
      zs.avail_out = 1;
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc != Z_STREAM_END || zs.avail_out == 0) {
        inflateEnd(&zs);
        fail(e.name + ": holds more or other data than its declared " + std::to_string(e.size) + " bytes");
      }
    }
    inflateEnd(&zs);
    if (produced != want) fail(e.name + ": deflate data ends early (truncated?)");
  }
  if (want == e.size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (uint64_t p = 0; p < out.size(); p += 1u << 30)
      crc = crc32(crc, out.data() + p, uInt(std::min<uint64_t>(out.size() - p, 1u << 30)));
    if (uint32_t(crc) != e.crc) fail(e.name + ": CRC-32 mismatch (damaged archive)");
  }
  return out;
}

}  // namespace latentlab
