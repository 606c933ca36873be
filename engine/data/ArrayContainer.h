#pragma once
// A file of named arrays: an .npz (NumpyFile.h) or an HDF5 file (engine/io/Hdf5Data.h). openData reads X and y
// from either through this interface, so both follow the same naming, shape and type rules (ArrayData.h).
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/ArrayData.h"

namespace latentlab {

// What an array is without reading it, for a chooser dialog.
struct ArrayInfo {
  std::string name;  // the array's name in an .npz (entry name without .npy), its path in an HDF5 file
  std::vector<int64_t> dims;
  std::string type;  // "float32", ...; a type the readers refuse is given as the file declares it ("<U5")
};

class ArrayContainer {
 public:
  virtual ~ArrayContainer() = default;
  virtual const std::string& path() const = 0;
  virtual std::vector<ArrayInfo> list() const = 0;  // every array, reading only headers
  virtual bool has(const std::string& name) const = 0;
  virtual RawArray read(const std::string& name) const = 0;  // throws naming the file and the array
};

}  // namespace latentlab
