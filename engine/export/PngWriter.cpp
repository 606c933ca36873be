#include "engine/export/PngWriter.h"

#include <zlib.h>

#include <fstream>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

void put32(std::vector<uint8_t>& out, uint32_t v) {  // big-endian, as PNG stores every integer
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(v >> shift));
}

// length, type, data, CRC-32 of type and data
void chunk(std::vector<uint8_t>& out, const char type[4], const std::vector<uint8_t>& data) {
  put32(out, uint32_t(data.size()));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, out.data() + start, uInt(out.size() - start));
  put32(out, uint32_t(crc));
}

}  // namespace

std::vector<uint8_t> encodePng(int width, int height, int channels, const std::vector<uint8_t>& pixels) {
  if (width < 1 || height < 1 || width > (1 << 16) || height > (1 << 16))
    throw Error("Png", "image size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range");
  if (channels != 1 && channels != 3) throw Error("Png", "channels must be 1 (grey) or 3 (RGB)");
  const size_t row = size_t(width) * size_t(channels);
  if (pixels.size() != row * size_t(height)) throw Error("Png", "pixel buffer does not match the image size");

  std::vector<uint8_t> raw;  // each row: filter byte 0 (none), then its pixels
  raw.reserve((row + 1) * size_t(height));
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), pixels.begin() + std::ptrdiff_t(row * size_t(y)),
               pixels.begin() + std::ptrdiff_t(row * size_t(y + 1)));
  }
  uLongf packedSize = compressBound(uLong(raw.size()));
  std::vector<uint8_t> packed(packedSize);
  if (compress2(packed.data(), &packedSize, raw.data(), uLong(raw.size()), 6) != Z_OK)
    throw Error("Png", "zlib could not compress the image");
  packed.resize(packedSize);

  std::vector<uint8_t> out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> header;
  put32(header, uint32_t(width));
  put32(header, uint32_t(height));
  header.insert(header.end(),
                {8, uint8_t(channels == 1 ? 0 : 2), 0, 0, 0});  // depth, colour, deflate, filter, no interlace
  chunk(out, "IHDR", header);
  chunk(out, "IDAT", packed);
  chunk(out, "IEND", {});
  return out;
}

void writePng(const std::string& path, int width, int height, int channels, const std::vector<uint8_t>& pixels) {
  const std::vector<uint8_t> bytes = encodePng(width, height, channels, pixels);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  f.close();
  if (!f) throw Error("Png", path + ": cannot write");
}

}  // namespace latentlab
