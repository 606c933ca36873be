#pragma once
// NumPy's .npy and .npz files (numpy.save, numpy.savez, numpy.savez_compressed).
//   .npy: magic "\x93NUMPY", version 1.0, 2.0 or 3.0, a header length, then a Python dict literal
//         {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), } padded with blanks, then the
//         elements. Byte orders '<', '>', '|' and '=' (native); Fortran order is converted to C order.
//         Types: f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1; others (strings, objects, complex, structured) are refused.
//   .npz: a zip archive of NAME.npy entries, stored or deflated (ZipArchive.h).
// The declared shape is checked against limits and against the bytes that are there before anything is
// allocated for the array. Errors: Error("Numpy", "<file>: ...") naming the array in an .npz.
#include <memory>
#include <string>
#include <vector>

#include "engine/data/ArrayContainer.h"

namespace latentlab {

class ZipArchive;

// An .npy image in memory; `name` is used in errors ("x in data.npz").
RawArray parseNpy(const std::vector<uint8_t>& bytes, const std::string& name);
RawArray readNpy(const std::string& path);
ArrayInfo npyInfo(const std::string& path);

class NpzFile : public ArrayContainer {
 public:
  explicit NpzFile(const std::string& path);  // reads the archive's directory; throws
  ~NpzFile() override;
  const std::string& path() const override { return path_; }
  std::vector<std::string> names() const;  // array names (entries without ".npy"), in archive order
  bool has(const std::string& name) const override;
  RawArray read(const std::string& name) const override;  // throws naming the file and the array
  std::vector<ArrayInfo> list() const override;           // every array's shape and type, from the headers

 private:
  std::string path_, fileName_;
  std::unique_ptr<ZipArchive> zip_;
};

// Reads a whole binary file (checked against limits::kMaxFileBytes); component names the reader in errors.
std::vector<uint8_t> readBinaryFile(const std::string& path, const std::string& component);

}  // namespace latentlab
