#pragma once
// A minimal PNG encoder (8-bit greyscale or RGB, no interlacing) over zlib, so that the engine can write a
// picture without Qt: the Embedding Projector's sprite sheet.
//   signature, IHDR (width, height, bit depth 8, colour type 0 grey / 2 RGB), IDAT (zlib stream of the rows,
//   each prefixed with filter type 0), IEND; every chunk ends with its CRC-32 over type and data.
// pixels: height rows of width * channels bytes, top row first.
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

// The PNG file's bytes; channels is 1 (grey) or 3 (RGB). Throws Error("Png", ...) for a bad size.
std::vector<uint8_t> encodePng(int width, int height, int channels, const std::vector<uint8_t>& pixels);

// Writes encodePng's bytes to path; throws Error("Png", "<path>: ...") when the file cannot be written.
void writePng(const std::string& path, int width, int height, int channels, const std::vector<uint8_t>& pixels);

}  // namespace latentlab
