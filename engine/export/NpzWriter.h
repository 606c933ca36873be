#pragma once
// Writes NumPy's .npz (numpy.load reads it): a zip archive of NAME.npy entries, stored uncompressed.
//   .npy: "\x93NUMPY", version 1.0, a little-endian uint16 header length, the header dict
//         {'descr': '<f4', 'fortran_order': False, 'shape': (n, d), } padded with blanks to a multiple of
//         64 bytes and ending in a newline, then the elements in C order.
//   zip:  one local header + data per entry, then the central directory and its end record (no zip64: the
//         archive must stay under 4 GiB).
// Arrays are added in C order (row-major): a (d x n) engine matrix with one sample per column is, read as
// its column-major bytes, the C-order (n x d) array NumPy users expect.
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

class NpzWriter {
 public:
  // float32 '<f4', int32 '<i4', uint8 '|u1'; shape in C order, its product the number of values.
  void addFloat32(const std::string& name, const std::vector<int64_t>& shape, const float* values);
  void addInt32(const std::string& name, const std::vector<int64_t>& shape, const int32_t* values);
  void addUint8(const std::string& name, const std::vector<int64_t>& shape, const uint8_t* values);
  // A 1-D array of UTF-8 strings, stored as NumPy unicode '<U<longest>' (UTF-32).
  void addStrings(const std::string& name, const std::vector<std::string>& values);

  const std::vector<std::string>& names() const { return names_; }
  // Writes the archive; throws Error("Npz", "<path>: ...").
  void write(const std::string& path) const;

 private:
  void add(const std::string& name, const std::string& descr, const std::vector<int64_t>& shape, const void* data,
           size_t bytes);
  std::vector<std::string> names_;
  std::vector<std::vector<uint8_t>> entries_;  // each entry's .npy bytes
};

}  // namespace latentlab
