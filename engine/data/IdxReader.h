#pragma once
// Reader for the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
//   images: magic 0x00000803 (unsigned byte, 3 dims), count, rows, cols, then count*rows*cols bytes
//   labels: magic 0x00000801 (unsigned byte, 1 dim), count, then count bytes
// Every check names the file and what is wrong, and throws latentlab::Error; nothing is read past the end.
//
// Bounded: the header is read and checked first (every product in 64 bits, against IdxLimits and against
// what the file can hold) before the payload is allocated. gzip is inflated incrementally and stops at the
// size the header announces: a file that inflates to more (a gzip bomb) is refused after reading one byte
// too many, never inflated whole.
// gzip rule: one gzip member or several concatenated ones (as gunzip reads them); anything else after the
// last member, a bad CRC or length, or a member cut off is refused.
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols, row-major per image
};

// Upper bounds on what a file may declare. The defaults hold every MNIST-like data set (EMNIST ByClass is
// 0.55 GB of pixels) and keep the float copy the loader makes within reach of a workstation.
struct IdxLimits {
  uint64_t maxPayloadBytes = uint64_t(2) << 30;    // 2 GiB of pixels (8 GiB as floats)
  uint64_t maxPixelsPerImage = uint64_t(1) << 24;  // 4096 x 4096
  uint64_t maxCount = 0x7fffffff;                  // samples are int-indexed
};

IdxImages readIdxImages(const std::string& path, const IdxLimits& limits = {});
std::vector<uint8_t> readIdxLabels(const std::string& path, const IdxLimits& limits = {});

// The same checks on bytes in memory (a file's whole content, raw or gzip); `name` stands for the file in
// messages. For the fuzzers and for tests.
IdxImages parseIdxImages(const uint8_t* data, size_t size, const std::string& name, const IdxLimits& limits = {});
std::vector<uint8_t> parseIdxLabels(const uint8_t* data, size_t size, const std::string& name,
                                    const IdxLimits& limits = {});

}  // namespace latentlab
