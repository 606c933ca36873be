#pragma once
// Reader for the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
//   images: magic 0x00000803 (unsigned byte, 3 dims), count, rows, cols, then count*rows*cols bytes
//   labels: magic 0x00000801 (unsigned byte, 1 dim), count, then count bytes
// Every check names the file and what is wrong, and throws latentlab::Error; nothing is read past the end.
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols, row-major per image
};

// Reads a whole file, decompressing when it is gzip; throws on a missing file or corrupt/truncated gzip.
std::vector<uint8_t> readMaybeGzip(const std::string& path);

IdxImages readIdxImages(const std::string& path);
std::vector<uint8_t> readIdxLabels(const std::string& path);

}  // namespace latentlab
