#pragma once
// Reading the pieces of a model file without trusting them. Every read checks the stored type, rank and size
// against what is expected and against the file's size BEFORE it allocates, so a crafted or damaged file ends
// in a latentlab::Error that names the file and the object, never in std::bad_alloc or a conversion that
// overflows. Version-2 files must hold fixed-length strings and checksummed datasets; version-1 files (variable-
// length strings, no checksums) are read with the checks that can be made before libhdf5 reads them.
#include <H5Cpp.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/core/Types.h"
#include "engine/io/Hdf5Metadata.h"

namespace latentlab::hdf5 {

class Reader {
 public:
  explicit Reader(std::string path);

  [[noreturn]] void fail(const std::string& what) const;
  // The innermost message on HDF5's error stack ("data error detected by Fletcher32 checksum"), or "".
  static std::string cause();

  const std::string& path() const { return path_; }
  uint64_t fileBytes() const { return fileBytes_; }
  // Set once the file's format_version is known; 1 permits variable-length strings and unchecksummed data.
  void setVersion(long version) { version_ = version; }
  long version() const { return version_; }

  bool has(const H5::Group& g, const std::string& name) const;  // a link (group or dataset) named so
  H5::Group group(const H5::Group& parent, const std::string& name, const std::string& where) const;
  bool hasAttribute(const H5::H5Object& o, const std::string& name, const std::string& where) const;

  // Attributes; `where` names the object for messages ("/training").
  std::string string(const H5::H5Object& o, const std::string& name, const std::string& where) const;
  std::vector<std::string> strings(const H5::H5Object& o, const std::string& name, const std::string& where,
                                   size_t maxCount) const;
  long integer(const H5::H5Object& o, const std::string& name, const std::string& where, long lo, long hi) const;
  std::vector<long> integers(const H5::H5Object& o, const std::string& name, const std::string& where,
                             size_t maxCount) const;
  // A float or integer attribute; finite and within [lo, hi] (NaN and infinities are refused).
  double number(const H5::H5Object& o, const std::string& name, const std::string& where, double lo, double hi) const;

  // Datasets; `where` is the group's path with a trailing slash ("/parameters/").
  Matrix<float> matrix(const H5::Group& g, const std::string& name, const std::string& where, long rows,
                       long cols) const;
  // Integer vectors of at most maxCount values.
  std::vector<int32_t> ints(const H5::Group& g, const std::string& name, const std::string& where,
                            size_t maxCount) const;
  std::vector<uint8_t> bytes(const H5::Group& g, const std::string& name, const std::string& where,
                             size_t maxCount) const;
  // A float64 table of exactly `rows` rows, in C order. columns: in, the names of a version-1 file's columns (by
  // position); out, the names a version-2 file gives in attribute `columns`.
  std::vector<double> table(const H5::Group& g, const std::string& name, const std::string& where, size_t rows,
                            std::vector<std::string>& columns) const;

 private:
  H5::Attribute attribute(const H5::H5Object& o, const std::string& name, const std::string& where) const;
  hssize_t points(const H5::DataSpace& space, const std::string& what, size_t maxCount) const;
  // "" or the damage libhdf5 would crash on when it reads attribute `name`'s variable-length strings.
  std::string variableStringsProblem(const H5::H5Object& o, const std::string& name) const;
  // Each object's header is checked once, before libhdf5 decodes its messages (Hdf5Metadata.h): an open object
  // before its links or attributes are read, a linked one before it is opened. A damaged one ends in fail().
  void vet(hid_t object, const std::string& where) const;
  void vetLink(hid_t parent, const std::string& name, const std::string& where) const;
  void vetAddress(hid_t object, haddr_t address, const std::string& where) const;
  const RawFile& raw(hid_t object) const;
  H5::DataSet dataset(const H5::Group& g, const std::string& name, const std::string& where) const;
  std::vector<hsize_t> extent(const H5::DataSet& ds, const std::string& what, int rank) const;
  void checkStorage(const H5::DataSet& ds, const std::string& what, uint64_t bytes) const;
  void read(const H5::DataSet& ds, void* out, const H5::PredType& memType, const std::string& what) const;

  std::string path_;
  uint64_t fileBytes_ = 0;
  long version_ = 0;
  mutable std::unique_ptr<RawFile> raw_;  // the file's bytes, for the checks libhdf5 does not make
  mutable std::set<haddr_t> vetted_;
};

}  // namespace latentlab::hdf5
