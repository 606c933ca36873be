#pragma once
// Writes gzip members for the reader tests and bench/bad_inputs.cpp (the gzip bombs they try).
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <vector>

// A gzip member of `header` followed by `zeros` zero bytes, deflated in pieces (a 1 GiB bomb is 1 MB).
inline std::vector<uint8_t> gzipWithZeros(const std::vector<uint8_t>& header, uint64_t zeros) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::vector<uint8_t> out, chunk(1 << 16);
  auto pump = [&](const uint8_t* data, size_t size, int flush) {
    z.next_in = const_cast<uint8_t*>(data);
    z.avail_in = unsigned(size);
    do {
      z.next_out = chunk.data();
      z.avail_out = unsigned(chunk.size());
      deflate(&z, flush);
      out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - z.avail_out));
    } while (z.avail_out == 0);
  };
  pump(header.data(), header.size(), Z_NO_FLUSH);
  const std::vector<uint8_t> block(1 << 20, 0);
  for (uint64_t left = zeros; left > 0;) {
    const size_t n = size_t(std::min<uint64_t>(left, block.size()));
    pump(block.data(), n, Z_NO_FLUSH);
    left -= n;
  }
  pump(nullptr, 0, Z_FINISH);
  deflateEnd(&z);
  return out;
}
