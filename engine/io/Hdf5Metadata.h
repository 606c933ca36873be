#pragma once
// Checks of HDF5 metadata that libhdf5 1.10 trusts, made on the file's bytes before libhdf5 reads them. Each
// check looks for one kind of damage that crashes or exhausts libhdf5 itself (found by fuzz_hdf5_data); what
// it cannot parse it leaves to libhdf5, which refuses it or reads it as before.
#include <hdf5.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

namespace latentlab::hdf5 {

// An unsigned little-endian integer of `bytes` bytes (HDF5 stores every number so).
inline uint64_t little(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// A file's bytes by HDF5 address (relative to the base address, the end of any user block).
class RawFile {
 public:
  RawFile(const std::string& path, uint64_t base, int offsetSize, int lengthSize);
  // The bytes of the file at `path` that the open HDF5 object belongs to, with its user block and address sizes
  // as libhdf5 read them; nullptr when libhdf5 cannot say.
  static std::unique_ptr<RawFile> of(hid_t object, const std::string& path);
  // False when any byte of [address, address + n) lies outside the file.
  bool read(uint64_t address, void* out, uint64_t n) const;
  uint64_t size() const { return size_; }
  int offsetSize() const { return offsetSize_; }
  int lengthSize() const { return lengthSize_; }

 private:
  mutable std::ifstream in_;
  uint64_t base_ = 0, size_ = 0;
  int offsetSize_ = 8, lengthSize_ = 8;
};

// "" or the damage found in the object whose header is at `address`:
// - a chunked layout message whose dimensionality is not the dataspace's rank + 1 (layout version 3 and 4
//   accept 0, which libhdf5 turns into 2^32 - 1 and writes 16 GB past its array: a SIGSEGV in
//   H5D__chunk_set_sizes under H5Oopen), or a layout class that versions 1 and 2 do not have;
// - a group's local heap whose free list loops (libhdf5 allocates a node per step without end);
// - a dataspace with more dimensions than its message holds, or an attribute whose name, type, shape or values
//   run past its message (libhdf5 reads past the header's buffer: H5O__msg_iterate_real under H5Aopen, H5Aexists),
//   or a variable-length attribute type whose declared size is not its size in the file (H5A__read copies past
//   the values' buffer). Strict: also an attribute of a type other than integer, float or string.
// strict: a header this parser cannot follow is damage too (model files: Latentlab wrote them, in HDF5's own
// formats); otherwise it is left to libhdf5 (data files from any program).
std::string objectProblem(const RawFile& file, uint64_t address, bool strict = false);

// "" or the damage in the global heap objects that the variable-length strings of attribute `name`, on the
// object whose header is at `address`, point to (version-1 model files): an object the collection does not hold,
// one whose size is not the string's length or that runs past its collection, or a free-space object of size 0.
// libhdf5 1.10 trusts them: H5HG_read copies what the collection says (a SIGSEGV or an overlapping memcpy), and
// a free-space object of size 0 makes it loop for ever. Strict: an attribute this parser cannot find in the header
// is refused too (variable-length strings come only from format-1 model files, whose attributes are compact).
std::string variableStringsProblem(const RawFile& file, uint64_t address, const std::string& name);

}  // namespace latentlab::hdf5
