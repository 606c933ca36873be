#include "engine/data/IdxReader.h"

#include <zlib.h>

#include <filesystem>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

std::string fileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw Error("IdxReader", fileName(path) + ": " + what);
}

uint32_t bigEndian(const std::vector<uint8_t>& b, size_t offset) {
  return (uint32_t(b[offset]) << 24) | (uint32_t(b[offset + 1]) << 16) | (uint32_t(b[offset + 2]) << 8) |
         uint32_t(b[offset + 3]);
}

// Checks magic and dimensions, returns the dimensions; the payload must be exactly what they say.
std::vector<uint32_t> header(const std::vector<uint8_t>& bytes, const std::string& path, int dims,
                             const char* what) {
  const size_t headerSize = 4 + 4 * size_t(dims);
  if (bytes.size() < headerSize)
    fail(path, "file is " + std::to_string(bytes.size()) + " bytes, too short for an IDX header");
  const uint32_t magic = bigEndian(bytes, 0);
  const uint32_t expected = 0x00000800u | uint32_t(dims);
  if (magic != expected) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "wrong magic number 0x%08x (expected 0x%08x for IDX %s)", magic, expected, what);
    fail(path, buf);
  }
  std::vector<uint32_t> d(dims);
  uint64_t payload = 1;
  for (int i = 0; i < dims; ++i) {
    d[i] = bigEndian(bytes, 4 + 4 * size_t(i));
    if (d[i] == 0) fail(path, "dimension " + std::to_string(i) + " is zero");
    payload *= d[i];
  }
  if (payload > (uint64_t(1) << 34)) fail(path, "dimensions are implausibly large");
  if (bytes.size() - headerSize != payload)
    fail(path, "payload is " + std::to_string(bytes.size() - headerSize) + " bytes but the header announces " +
                   std::to_string(payload) + (bytes.size() - headerSize < payload ? " (truncated file)" : ""));
  return d;
}

}  // namespace

std::vector<uint8_t> readMaybeGzip(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) fail(path, "no such file");
  gzFile f = gzopen(path.c_str(), "rb");  // zlib reads plain files transparently
  if (!f) fail(path, "cannot open");
  std::vector<uint8_t> out;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    const int n = gzread(f, chunk.data(), unsigned(chunk.size()));
    if (n < 0) {
      int code = 0;
      const std::string msg = gzerror(f, &code);
      gzclose(f);
      fail(path, "corrupt or truncated gzip data (" + msg + ")");
    }
    if (n == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + n);
  }
  int code = 0;
  gzerror(f, &code);
  const bool truncated = code == Z_BUF_ERROR;  // gzip stream ended early
  gzclose(f);
  if (truncated) fail(path, "truncated gzip data");
  return out;
}

IdxImages readIdxImages(const std::string& path) {
  std::vector<uint8_t> bytes = readMaybeGzip(path);
  const auto d = header(bytes, path, 3, "images");
  IdxImages img;
  img.count = int(d[0]);
  img.rows = int(d[1]);
  img.cols = int(d[2]);
  img.pixels.assign(bytes.begin() + 16, bytes.end());
  return img;
}

std::vector<uint8_t> readIdxLabels(const std::string& path) {
  std::vector<uint8_t> bytes = readMaybeGzip(path);
  header(bytes, path, 1, "labels");
  return std::vector<uint8_t>(bytes.begin() + 8, bytes.end());
}

}  // namespace latentlab
