#pragma once
// A zip archive held in memory (the container of NumPy's .npz), read from its central directory: stored and
// deflated entries, zip64 sizes and offsets. Encrypted entries, other compression methods and archives split
// over several disks are refused. Every offset and size is checked against the archive's length before use; a
// deflated entry's declared size is checked against what deflate can expand its compressed bytes to (1032:1)
// before anything is allocated; each entry's CRC-32 is checked. Errors: Error("Zip", "<file>: ...").
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

struct ZipEntry {
  std::string name;
  uint16_t method = 0;  // 0 stored, 8 deflated
  uint16_t flags = 0;
  uint32_t crc = 0;
  uint64_t compressedSize = 0, size = 0, localOffset = 0;
};

class ZipArchive {
 public:
  // Parses the central directory; throws when the bytes are not a readable zip archive.
  ZipArchive(std::vector<uint8_t> bytes, std::string fileName);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(const std::string& name) const;  // nullptr when absent
  // The entry's bytes, checked against its CRC-32; with limit, only its first `limit` bytes (unchecked).
  std::vector<uint8_t> read(const ZipEntry& e, uint64_t limit = UINT64_MAX) const;

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::vector<uint8_t> bytes_;
  std::string file_;
  std::vector<ZipEntry> entries_;
};

}  // namespace latentlab
