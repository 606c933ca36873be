#include "engine/io/Hdf5Data.h"

#include <hdf5.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"
#include "engine/data/DataSource.h"
#include "engine/io/Hdf5Metadata.h"
#include "engine/io/Hdf5ReadDriver.h"
#include "engine/io/Hdf5Superblock.h"

namespace latentlab {
namespace {

constexpr uint64_t kCompressionBound = 1032;  // deflate's largest expansion
constexpr size_t kMaxListed = 100000;
constexpr size_t kMaxGroups = 100000;

// An HDF5 identifier closed on scope exit.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

struct TypeInfo {
  bool supported = false;
  ElementType type = ElementType::Float32;
  bool isEnum = false;
  std::string text;
};

TypeInfo typeInfo(hid_t t) {
  TypeInfo info;
  const H5T_class_t cls = H5Tget_class(t);
  const size_t size = H5Tget_size(t);
  if (cls == H5T_FLOAT) {
    info.supported = size == 4 || size == 8;
    info.type = size == 4 ? ElementType::Float32 : ElementType::Float64;
    info.text = info.supported ? toString(info.type) : "float" + std::to_string(8 * size);
  } else if (cls == H5T_INTEGER) {
    const bool sign = H5Tget_sign(t) == H5T_SGN_2;
    static const ElementType kSigned[] = {ElementType::Int8, ElementType::Int16, ElementType::Int32,
                                          ElementType::Int64};
    static const ElementType kUnsigned[] = {ElementType::UInt8, ElementType::UInt16, ElementType::UInt32,
                                            ElementType::UInt64};
    const int k = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : size == 8 ? 3 : -1;
    info.supported = k >= 0;
    if (k >= 0) info.type = sign ? kSigned[k] : kUnsigned[k];
    info.text = info.supported ? toString(info.type) : (sign ? "int" : "uint") + std::to_string(8 * size);
  } else if (cls == H5T_ENUM && size == 1) {  // h5py's bool
    info.supported = true;
    info.isEnum = true;
    info.type = ElementType::Bool;
    info.text = "bool";
  } else {
    info.text = cls == H5T_STRING     ? "string"
                : cls == H5T_COMPOUND ? "compound"
                : cls == H5T_ENUM     ? "enum"
                : cls == H5T_ARRAY    ? "array"
                : cls == H5T_VLEN     ? "vlen"
                                      : "class " + std::to_string(int(cls));
  }
  return info;
}

hid_t nativeType(ElementType t) {
  switch (t) {
    case ElementType::Float32:
      return H5T_NATIVE_FLOAT;
    case ElementType::Float64:
      return H5T_NATIVE_DOUBLE;
    case ElementType::Int8:
      return H5T_NATIVE_INT8;
    case ElementType::Int16:
      return H5T_NATIVE_INT16;
    case ElementType::Int32:
      return H5T_NATIVE_INT32;
    case ElementType::Int64:
      return H5T_NATIVE_INT64;
    case ElementType::UInt8:
      return H5T_NATIVE_UINT8;
    case ElementType::UInt16:
      return H5T_NATIVE_UINT16;
    case ElementType::UInt32:
      return H5T_NATIVE_UINT32;
    case ElementType::UInt64:
      return H5T_NATIVE_UINT64;
    case ElementType::Bool:
      return H5T_NATIVE_INT8;
  }
  return H5T_NATIVE_FLOAT;
}

bool dims(hid_t space, std::vector<int64_t>& out) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || rank > limits::kMaxDims) return false;
  std::vector<hsize_t> d(static_cast<size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, d.data(), nullptr) < 0) return false;
  out.assign(d.begin(), d.end());
  for (int64_t v : out)
    if (v < 0) return false;
  return true;
}

class Hdf5Arrays : public ArrayContainer {
 public:
  explicit Hdf5Arrays(const std::string& path)
      : path_(path), name_(std::filesystem::path(path).filename().string()), file_(open(), H5Fclose) {
    if (!file_.ok()) fail("cannot open as HDF5 (damaged, or locked by a program writing it?)");
    hsize_t size = 0;
    if (H5Fget_filesize(file_.get(), &size) < 0) fail("cannot read the file size");
    fileSize_ = size;
    raw_ = hdf5::RawFile::of(file_.get(), path_);
    if (!raw_) fail("cannot read the file's layout");
    // Every object is checked before libhdf5 opens it, so the walk comes first: only what it found is read.
    walkOk_ = walk(names_);
    std::sort(names_.begin(), names_.end());  // by path, as H5Lvisit listed them
  }

  const std::string& path() const override { return path_; }

  std::vector<ArrayInfo> list() const override {
    // A damaged group ends the walk: what was listed before it can still be read.
    // A file with nothing readable says why: the first damage found, or its groups.
    if (names_.empty() && !problem_.empty()) fail(problem_);
    if (names_.empty() && !walkOk_) fail("its groups cannot be read (the file is damaged)");
    std::vector<ArrayInfo> out;
    for (const std::string& n : names_) {
      Handle ds(H5Dopen2(file_.get(), n.c_str(), H5P_DEFAULT), H5Dclose);
      if (!ds.ok()) continue;
      Handle space(H5Dget_space(ds.get()), H5Sclose);
      Handle type(H5Dget_type(ds.get()), H5Tclose);
      ArrayInfo info;
      info.name = n;
      if (!space.ok() || !type.ok() || !dims(space.get(), info.dims)) continue;
      info.type = typeInfo(type.get()).text;
      out.push_back(std::move(info));
    }
    return out;
  }

  // Only the objects the walk found: a path through other links is not followed. A damaged one is there, so
  // that reading it says what is wrong with it.
  bool has(const std::string& name) const override {
    const std::string n = relative(name);
    return std::binary_search(names_.begin(), names_.end(), n) || damaged_.count(n) > 0;
  }

  RawArray read(const std::string& name) const override {
    const std::string what = name + " in " + name_;
    if (!has(name)) throw Error("Hdf5Data", name_ + ": no dataset named '" + name + "'");
    if (const auto d = damaged_.find(relative(name)); d != damaged_.end())
      throw Error("Hdf5Data", what + ": " + d->second);
    Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.ok()) throw Error("Hdf5Data", what + ": cannot open (damaged?)");
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (!space.ok() || !type.ok()) throw Error("Hdf5Data", what + ": cannot read its shape or type");
    if (H5Sget_simple_extent_type(space.get()) != H5S_SIMPLE)
      throw Error("Hdf5Data", what + ": not an array (a scalar or an empty dataspace)");
    RawArray a;
    a.name = what;
    if (!dims(space.get(), a.dims)) throw Error("Hdf5Data", what + ": unreadable or too many dimensions");
    const TypeInfo t = typeInfo(type.get());
    if (!t.supported) throw Error("Hdf5Data", what + ": type " + t.text + " is not supported (floats, integers, bool)");
    a.type = t.type;
    a.bigEndian = std::endian::native == std::endian::big;
    const int64_t n = checkedElements(a.dims, "Hdf5Data", what);
    const int64_t bytes = limits::checkedProduct(n, elementSize(a.type), "Hdf5Data", what);
    const uint64_t storage = H5Dget_storage_size(ds.get());
    if (storage > fileSize_)
      throw Error("Hdf5Data", what + ": claims " + std::to_string(storage) + " bytes of storage in a file of " +
                                  std::to_string(fileSize_) + " (damaged?)");
    checkLayout(ds.get(), what, uint64_t(bytes), storage);
    if (uint64_t(bytes) > storage * kCompressionBound + 4096)
      throw Error("Hdf5Data", what + ": " + describeDims(a.dims) + " " + toString(a.type) + " needs " +
                                  std::to_string(bytes) + " bytes but the file stores " + std::to_string(storage) +
                                  " for it (never written, or damaged?)");
    a.bytes.resize(size_t(bytes));
    hid_t memType = nativeType(a.type);
    Handle enumNative(t.isEnum ? H5Tget_native_type(type.get(), H5T_DIR_ASCEND) : -1, H5Tclose);
    if (t.isEnum) memType = enumNative.get();
    if (n > 0 && H5Dread(ds.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.bytes.data()) < 0)
      throw Error("Hdf5Data", what + ": cannot read its values (damaged, or a filter that is not available?)");
    return a;
  }

 private:
  struct Visit {
    const Hdf5Arrays* self;
    std::vector<std::string>* names;
    std::vector<std::string> groups;  // found in the group being listed, to list next
    std::string prefix;
  };

  // The datasets of every group, breadth first, each group once. Not H5Lvisit: libhdf5 1.10 remembers the groups
  // it has walked only when their reference count is above 1, so a damaged file whose group contains itself made
  // it recurse until the stack overflowed (found by fuzz_hdf5_data). Groups are told apart by their address.
  bool walk(std::vector<std::string>& names) const {
    std::set<haddr_t> seen;
    std::deque<std::string> queue{"/"};
    bool ok = true;
    while (!queue.empty() && names.size() < kMaxListed) {
      const std::string group = queue.front();
      queue.pop_front();
      Handle g(H5Gopen2(file_.get(), group.c_str(), H5P_DEFAULT), H5Gclose);
      H5O_info_t info{};
      if (!g.ok() || H5Oget_info2(g.get(), &info, H5O_INFO_BASIC) < 0) {
        ok = false;
        continue;
      }
      if (!seen.insert(info.addr).second || seen.size() > kMaxGroups) continue;
      if (group == "/" && !vetted(info.addr, "").empty()) return false;  // the others were checked when found
      Visit v{this, &names, {}, group == "/" ? std::string() : group + "/"};
      if (H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, &Hdf5Arrays::visit, &v) < 0) ok = false;
      if (queue.size() + v.groups.size() > kMaxGroups) return false;  // more groups than any real file has
      queue.insert(queue.end(), v.groups.begin(), v.groups.end());
    }
    return ok;
  }

  static herr_t visit(hid_t group, const char* name, const H5L_info_t* info, void* data) {
    auto* v = static_cast<Visit*>(data);
    if (info->type != H5L_TYPE_HARD) return 0;
    if (const std::string problem = v->self->vetted(info->u.address, v->prefix + name); !problem.empty()) {
      v->self->damaged_[v->prefix + name] = problem;
      return 0;
    }
    Handle obj(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
    if (obj.ok() && H5Iget_type(obj.get()) == H5I_DATASET) v->names->push_back(v->prefix + name);
    if (obj.ok() && H5Iget_type(obj.get()) == H5I_GROUP) v->groups.push_back(v->prefix + name);
    // A damaged B-tree can hand out the same entries without end: the walk stops at the listing's bound.
    return v->names->size() + v->groups.size() >= kMaxListed ? 1 : 0;
  }

  // "" or the damage that libhdf5 1.10 would crash on in the object at this address (Hdf5Metadata.h); the
  // first one found is kept for the message when nothing can be read.
  std::string vetted(haddr_t address, const std::string& name) const {
    std::string problem = hdf5::objectProblem(*raw_, address);
    if (!problem.empty() && problem_.empty()) problem_ = (name.empty() ? "" : name + ": ") + problem;
    return problem;
  }

  static std::string relative(const std::string& name) {
    return !name.empty() && name.front() == '/' ? name.substr(1) : name;
  }

  // libhdf5 1.10 trusts a compact or contiguous dataset's stored size: a damaged one that stores fewer bytes
  // than its shape needs is read past its buffer (found by fuzz_hdf5_data: heap overflow in H5D__select_read).
  // Without filters, those layouts must store the whole array; an unwritten contiguous one (0 bytes) reads as
  // its fill value.
  void checkLayout(hid_t ds, const std::string& what, uint64_t bytes, uint64_t storage) const {
    Handle plist(H5Dget_create_plist(ds), H5Pclose);
    if (!plist.ok()) throw Error("Hdf5Data", what + ": cannot read how it is stored (damaged?)");
    const H5D_layout_t layout = H5Pget_layout(plist.get());
    const int filters = H5Pget_nfilters(plist.get());
    if (layout < 0 || filters < 0) throw Error("Hdf5Data", what + ": cannot read how it is stored (damaged?)");
    if (layout == H5D_VIRTUAL || H5Pget_external_count(plist.get()) != 0)
      throw Error("Hdf5Data", what + ": its values are kept in other files (a virtual or external dataset); "
                                     "copy them into this file first");
    if (layout == H5D_CHUNKED) checkChunks(ds, plist.get(), what);
    const bool whole = layout == H5D_COMPACT || (layout == H5D_CONTIGUOUS && filters == 0 && storage > 0);
    if (whole && storage != bytes)
      throw Error("Hdf5Data", what + ": needs " + std::to_string(bytes) + " bytes but the file stores " +
                                  std::to_string(storage) + " (damaged?)");
  }

  // A chunk larger than a fixed dimension cannot be written by HDF5, and libhdf5 1.10 then reads past the
  // chunk's buffer (found by fuzz_hdf5_data: a chunk of 1x2x512 in a 3x2x2 dataset).
  // libhdf5 1.10 also copies a whole chunk's bytes out of whatever its filters returned: a damaged chunk that
  // inflates to fewer bytes is read past its buffer (found by fuzz_hdf5_data). So every chunk is unfiltered here
  // first (deflate, shuffle and Fletcher32: what h5py and HDF5 write) and must come to exactly a chunk's bytes.
  // This reads and inflates the data twice: the price of not trusting libhdf5 with a damaged file.
  void checkChunks(hid_t ds, hid_t plist, const std::string& what) const {
    Handle space(H5Dget_space(ds), H5Sclose), type(H5Dget_type(ds), H5Tclose);
    const int rank = space.ok() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0 || rank > limits::kMaxDims || !type.ok())
      throw Error("Hdf5Data", what + ": unreadable shape (damaged?)");
    std::vector<hsize_t> cur(size_t(rank) + 1), max(size_t(rank) + 1), chunk(size_t(rank) + 1);
    if (H5Sget_simple_extent_dims(space.get(), cur.data(), max.data()) < 0 ||
        H5Pget_chunk(plist, rank, chunk.data()) != rank)
      throw Error("Hdf5Data", what + ": its chunks do not match its shape (damaged?)");
    for (int k = 0; k < rank; ++k) {
      if (chunk[k] == 0 || (max[k] != H5S_UNLIMITED && chunk[k] > max[k]))
        throw Error("Hdf5Data", what + ": chunk dimension " + std::to_string(k) + " is " + std::to_string(chunk[k]) +
                                    " for a dimension of at most " + std::to_string(max[k]) + " (damaged?)");
    }
    uint64_t chunkBytes = H5Tget_size(type.get());
    for (int k = 0; k < rank; ++k)
      chunkBytes = uint64_t(limits::checkedProduct(int64_t(chunkBytes), int64_t(chunk[size_t(k)]), "Hdf5Data", what));
    if (chunkBytes >= (uint64_t(1) << 32) || chunkBytes > fileSize_ * kCompressionBound + 4096)  // HDF5: < 4 GiB
      throw Error("Hdf5Data", what + ": chunks of " + std::to_string(chunkBytes) + " bytes cannot come from a file of " +
                                  std::to_string(fileSize_) + " (damaged?)");
    const int nFilters = H5Pget_nfilters(plist);
    std::vector<H5Z_filter_t> filters;
    for (int f = 0; f < nFilters; ++f) {
      unsigned flags = 0;
      size_t nValues = 0;
      const H5Z_filter_t id = H5Pget_filter2(plist, unsigned(f), &flags, &nValues, nullptr, 0, nullptr, nullptr);
      if (id != H5Z_FILTER_DEFLATE && id != H5Z_FILTER_SHUFFLE && id != H5Z_FILTER_FLETCHER32)
        throw Error("Hdf5Data", what + ": compressed with HDF5 filter " + std::to_string(id) +
                                    ", which Latentlab does not read (gzip/deflate, shuffle and Fletcher32 only)");
      filters.push_back(id);
    }
    hsize_t count = 0;
    if (H5Dget_num_chunks(ds, space.get(), &count) < 0) throw Error("Hdf5Data", what + ": unreadable chunk index (damaged?)");
    std::vector<hsize_t> offset(size_t(rank) + 1);
    std::vector<unsigned char> raw, out(chunkBytes);
    for (hsize_t i = 0; i < count; ++i) {
      unsigned mask = 0;
      haddr_t address = 0;
      hsize_t stored = 0;
      if (H5Dget_chunk_info(ds, space.get(), i, offset.data(), &mask, &address, &stored) < 0 || stored > fileSize_)
        throw Error("Hdf5Data", what + ": chunk " + std::to_string(i) + " is unreadable (damaged?)");
      // The raw chunk is read here, from where the index says it lies, not with H5Dread_chunk: on a damaged
      // index that looks the chunk up again and copies more bytes than it allocated (fuzz_hdf5_data, twice).
      raw.resize(size_t(stored));
      if (stored > 0 && !readRaw(address, raw))
        throw Error("Hdf5Data", what + ": chunk " + std::to_string(i) + " lies outside the file (damaged?)");
      uint64_t size = stored;
      for (int f = int(filters.size()) - 1; f >= 0; --f) {  // undone in reverse order; a set mask bit: skipped
        if (mask & (1u << unsigned(f))) continue;
        if (filters[size_t(f)] == H5Z_FILTER_FLETCHER32) {
          if (size < 4) size = ~uint64_t(0);
          else size -= 4;
        } else if (filters[size_t(f)] == H5Z_FILTER_DEFLATE) {
          uLongf inflated = uLongf(out.size());
          const int rc = size == ~uint64_t(0) ? Z_DATA_ERROR
                                              : ::uncompress(out.data(), &inflated, raw.data(), uLong(size));
          size = rc == Z_OK ? uint64_t(inflated) : ~uint64_t(0);
        }
        if (size == ~uint64_t(0)) break;
      }
      if (size != chunkBytes)
        throw Error("Hdf5Data", what + ": chunk " + std::to_string(i) + " is damaged (it does not unpack to its " +
                                    std::to_string(chunkBytes) + " bytes)");
    }
  }

  // Bytes at a file address (relative to the HDF5 base address, the user block's end); false when outside.
  bool readRaw(uint64_t address, std::vector<unsigned char>& out) const {
    return raw_->read(address, out.data(), out.size());
  }

  [[noreturn]] void fail(const std::string& what) const { throw Error("Hdf5Data", name_ + ": " + what); }

  hid_t open() const {                            // runs in the constructor, after path_ and name_
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported here, not printed by the library
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path_, ec)) fail("no such file");
    if (H5Fis_hdf5(path_.c_str()) <= 0) fail("not an HDF5 file");
    if (const std::string problem = hdf5::superblockProblem(path_); !problem.empty()) fail(problem);
    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!access.ok() || !hdf5::useReadDriver(access.get())) fail("cannot set up HDF5 reading");
    return H5Fopen(path_.c_str(), H5F_ACC_RDONLY, access.get());
  }

  std::string path_, name_;
  Handle file_;
  uint64_t fileSize_ = 0;
  std::unique_ptr<hdf5::RawFile> raw_;
  std::vector<std::string> names_;  // the datasets found and checked, sorted
  bool walkOk_ = false;
  mutable std::map<std::string, std::string> damaged_;  // objects not opened, and why
  mutable std::string problem_;
};

}  // namespace

std::vector<ArrayInfo> listHdf5Datasets(const std::string& path) { return Hdf5Arrays(path).list(); }

std::unique_ptr<ArrayContainer> openHdf5Arrays(const std::string& path) { return std::make_unique<Hdf5Arrays>(path); }

}  // namespace latentlab

// Registers the reader with openData when latentlab_io is linked. The anchor is named in latentlab_io's link
// options (engine/CMakeLists.txt, -u), so this object file is linked even when nothing else refers to it.
extern "C" {
int latentlab_hdf5_data_anchor = 0;
}
namespace {
[[maybe_unused]] const bool kRegistered = (latentlab::setHdf5Opener(&latentlab::openHdf5Arrays), true);
}
