#include "engine/io/Hdf5Read.h"

#include <cmath>
#include <cstring>
#include <filesystem>

#include "engine/core/Error.h"
#include "engine/io/Hdf5Metadata.h"

namespace latentlab::hdf5 {
namespace {

namespace fs = std::filesystem;
using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr size_t kMaxStringBytes = 1 << 16;  // a name, a path or a fingerprint
constexpr size_t kMaxColumns = 64;

// Only the plain types this program writes: IEEE float32 or float64, and whole-byte two's-complement or
// unsigned integers of 1, 2, 4 or 8 bytes. Anything else (a 13-bit integer, a float with a made-up exponent)
// would only come from damage, and would send libhdf5 through rarely used conversions.
bool plain(hid_t type, H5T_class_t cls) {
  if (H5Tget_class(type) != cls) return false;
  if (cls == H5T_FLOAT)
    return H5Tequal(type, H5T_IEEE_F32LE) > 0 || H5Tequal(type, H5T_IEEE_F64LE) > 0 ||
           H5Tequal(type, H5T_IEEE_F32BE) > 0 || H5Tequal(type, H5T_IEEE_F64BE) > 0;
  const size_t size = H5Tget_size(type);
  return (size == 1 || size == 2 || size == 4 || size == 8) && H5Tget_precision(type) == 8 * size &&
         H5Tget_offset(type) == 0;
}

// The C++ wrappers' id constructors add a reference of their own: hand ours over.
template <typename T>
T adopt(hid_t id) {
  T object(id);
  H5Idec_ref(id);
  return object;
}

const char* typeName(H5T_class_t cls) { return cls == H5T_FLOAT ? "floating point" : "integer"; }

}  // namespace

Reader::Reader(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  const auto size = fs::file_size(path_, ec);
  fileBytes_ = ec ? 0 : uint64_t(size);
}

const RawFile& Reader::raw(hid_t object) const {
  if (!raw_) {
    raw_ = RawFile::of(object, path_);
    if (!raw_) fail("the file's layout is unreadable (" + cause() + ")");
  }
  return *raw_;
}

std::string Reader::variableStringsProblem(const H5::H5Object& o, const std::string& name) const {
  H5O_info_t info{};
  if (H5Oget_info2(o.getId(), &info, H5O_INFO_BASIC) < 0) return "its object header is unreadable";
  return hdf5::variableStringsProblem(raw(o.getId()), info.addr, name);
}

void Reader::vet(hid_t object, const std::string& where) const {
  H5O_info_t info{};
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0) fail(where + " is damaged (" + cause() + ")");
  vetAddress(object, info.addr, where);
}

void Reader::vetLink(hid_t parent, const std::string& name, const std::string& where) const {
  H5L_info_t info{};
  if (H5Lget_info(parent, name.c_str(), &info, H5P_DEFAULT) < 0) fail(where + " is damaged (" + cause() + ")");
  if (info.type == H5L_TYPE_HARD) vetAddress(parent, info.u.address, where);
}

void Reader::vetAddress(hid_t object, haddr_t address, const std::string& where) const {
  if (vetted_.count(address)) return;
  if (const std::string problem = objectProblem(raw(object), address, /*strict=*/true); !problem.empty())
    fail(where + " is damaged: " + problem);
  vetted_.insert(address);
}

void Reader::fail(const std::string& what) const {
  throw Error("ModelFile", fs::path(path_).filename().string() + ": " + what);
}

std::string Reader::cause() {
  std::string innermost;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
        if (n == 0 && e->desc) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &innermost);
  return innermost;
}

bool Reader::has(const H5::Group& g, const std::string& name) const {
  vet(g.getId(), "the group holding '" + name + "'");
  const htri_t e = H5Lexists(g.getId(), name.c_str(), H5P_DEFAULT);
  if (e < 0) fail("the group holding '" + name + "' is damaged (" + cause() + ")");
  return e > 0;
}

H5::Group Reader::group(const H5::Group& parent, const std::string& name, const std::string& where) const {
  if (!has(parent, name)) fail("missing group " + where + name);
  vetLink(parent.getId(), name, where + name);
  const hid_t id = H5Gopen2(parent.getId(), name.c_str(), H5P_DEFAULT);
  if (id < 0) fail(where + name + " is not a group, or is damaged (" + cause() + ")");
  return adopt<H5::Group>(id);
}

bool Reader::hasAttribute(const H5::H5Object& o, const std::string& name, const std::string& where) const {
  vet(o.getId(), where);
  const htri_t e = H5Aexists(o.getId(), name.c_str());
  if (e < 0) fail("the attributes of " + where + " are damaged (" + cause() + ")");
  return e > 0;
}

// Version 2: asks first, so that a missing attribute is said so (the header is checksummed, asking is safe).
// Version 1: opens at once: one walk through an unchecksummed header instead of two.
H5::Attribute Reader::attribute(const H5::H5Object& o, const std::string& name, const std::string& where) const {
  vet(o.getId(), where);
  if (version_ != 1 && !hasAttribute(o, name, where)) fail("missing attribute '" + name + "' on " + where);
  const hid_t id = H5Aopen(o.getId(), name.c_str(), H5P_DEFAULT);
  if (id < 0) fail("missing or unreadable attribute '" + name + "' on " + where + " (" + cause() + ")");
  return adopt<H5::Attribute>(id);
}

hssize_t Reader::points(const H5::DataSpace& space, const std::string& what, size_t maxCount) const {
  const H5S_class_t cls = H5Sget_simple_extent_type(space.getId());
  if (cls != H5S_SCALAR && cls != H5S_SIMPLE && cls != H5S_NULL) fail(what + " has an unreadable shape");
  const hssize_t n = H5Sget_simple_extent_npoints(space.getId());
  if (n < 0 || uint64_t(n) > maxCount)
    fail(what + " holds " + std::to_string(n) + " values, at most " + std::to_string(maxCount) + " expected");
  return n;
}

std::string Reader::string(const H5::H5Object& o, const std::string& name, const std::string& where) const {
  const auto v = strings(o, name, where, 1);
  if (v.size() != 1) fail("attribute '" + name + "' on " + where + " is not one string");
  return v[0];
}

std::vector<std::string> Reader::strings(const H5::H5Object& o, const std::string& name, const std::string& where,
                                         size_t maxCount) const {
  const std::string what = "attribute '" + name + "' on " + where;
  H5::Attribute a = attribute(o, name, where);
  H5::DataType type = a.getDataType();
  if (type.getClass() != H5T_STRING) fail(what + " is not a string");
  H5::DataSpace space = a.getSpace();
  const size_t n = size_t(points(space, what, maxCount));
  std::vector<std::string> out;
  if (n == 0) return out;
  const htri_t variable = H5Tis_variable_str(type.getId());
  if (variable < 0) fail(what + " has an unreadable type");
  if (variable) {  // version 1 only: the values live in the file's global heap, which has no checksum
    if (version_ != 1) fail(what + " is a variable-length string; version-2 files hold fixed-length strings");
    if (const std::string problem = variableStringsProblem(o, name); !problem.empty()) fail(what + ": " + problem);
    H5::StrType mem(H5::PredType::C_S1, H5T_VARIABLE);
    mem.setCset(H5Tget_cset(type.getId()));
    std::vector<char*> c(n, nullptr);
    if (H5Aread(a.getId(), mem.getId(), c.data()) < 0) fail(what + " is unreadable (" + cause() + ")");
    for (char* s : c) out.emplace_back(s ? std::string(s, strnlen(s, kMaxStringBytes)) : std::string());
    H5Dvlen_reclaim(mem.getId(), space.getId(), H5P_DEFAULT, c.data());
    return out;
  }
  const size_t length = type.getSize();
  if (length == 0 || length > kMaxStringBytes || n * length > fileBytes_)
    fail(what + " declares strings of " + std::to_string(length) + " bytes");
  std::vector<char> buf(n * length);
  if (H5Aread(a.getId(), type.getId(), buf.data()) < 0) fail(what + " is unreadable (" + cause() + ")");
  for (size_t i = 0; i < n; ++i) out.emplace_back(buf.data() + i * length, strnlen(buf.data() + i * length, length));
  return out;
}

long Reader::integer(const H5::H5Object& o, const std::string& name, const std::string& where, long lo, long hi) const {
  const auto v = integers(o, name, where, 1);
  if (v.size() != 1) fail("attribute '" + name + "' on " + where + " is not one integer");
  if (v[0] < lo || v[0] > hi)
    fail("attribute '" + name + "' on " + where + " is " + std::to_string(v[0]) + ", outside " + std::to_string(lo) +
         ".." + std::to_string(hi));
  return v[0];
}

std::vector<long> Reader::integers(const H5::H5Object& o, const std::string& name, const std::string& where,
                                   size_t maxCount) const {
  const std::string what = "attribute '" + name + "' on " + where;
  H5::Attribute a = attribute(o, name, where);
  if (!plain(a.getDataType().getId(), H5T_INTEGER)) fail(what + " is not an integer");
  std::vector<int64_t> v(size_t(points(a.getSpace(), what, maxCount)));
  if (!v.empty() && H5Aread(a.getId(), H5T_NATIVE_INT64, v.data()) < 0) fail(what + " is unreadable (" + cause() + ")");
  return {v.begin(), v.end()};
}

double Reader::number(const H5::H5Object& o, const std::string& name, const std::string& where, double lo,
                      double hi) const {
  const std::string what = "attribute '" + name + "' on " + where;
  H5::Attribute a = attribute(o, name, where);
  const H5::DataType type = a.getDataType();
  if (!plain(type.getId(), H5T_FLOAT) && !plain(type.getId(), H5T_INTEGER)) fail(what + " is not a number");
  if (points(a.getSpace(), what, 1) != 1) fail(what + " is not one number");
  double v = 0;
  if (H5Aread(a.getId(), H5T_NATIVE_DOUBLE, &v) < 0) fail(what + " is unreadable (" + cause() + ")");
  if (!(v >= lo && v <= hi))
    fail(what + " is " + std::to_string(v) + ", outside " + std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

H5::DataSet Reader::dataset(const H5::Group& g, const std::string& name, const std::string& where) const {
  if (!has(g, name)) fail("missing dataset " + where + name);
  vetLink(g.getId(), name, where + name);
  const hid_t id = H5Dopen2(g.getId(), name.c_str(), H5P_DEFAULT);
  if (id < 0) fail(where + name + " is not a dataset, or is damaged (" + cause() + ")");
  return adopt<H5::DataSet>(id);
}

std::vector<hsize_t> Reader::extent(const H5::DataSet& ds, const std::string& what, int rank) const {
  H5::DataSpace space = ds.getSpace();
  if (H5Sget_simple_extent_type(space.getId()) != H5S_SIMPLE || space.getSimpleExtentNdims() != rank)
    fail(what + (rank == 1 ? " is not a vector" : " is not a matrix"));
  std::vector<hsize_t> dims(size_t(rank), 0);
  space.getSimpleExtentDims(dims.data());
  return dims;
}

// Declared data must fit in the file and be stored (unwritten chunks would read as zeros); version-2 data must
// carry its checksum.
void Reader::checkStorage(const H5::DataSet& ds, const std::string& what, uint64_t bytes) const {
  if (bytes > fileBytes_)
    fail(what + " declares " + std::to_string(bytes) + " bytes of data in a file of " + std::to_string(fileBytes_));
  if (bytes == 0) return;
  const hsize_t stored = H5Dget_storage_size(ds.getId());
  if (stored < bytes)
    fail(what + " is incomplete: " + std::to_string(stored) + " of its " + std::to_string(bytes) + " bytes are stored");
  if (version_ >= 2) {
    H5::DSetCreatPropList plist = ds.getCreatePlist();
    unsigned flags = 0;
    size_t n = 0;
    if (H5Pget_filter_by_id2(plist.getId(), H5Z_FILTER_FLETCHER32, &flags, &n, nullptr, 0, nullptr, nullptr) < 0)
      fail(what + " has no checksum (a version-2 file checksums every dataset)");
  }
}

void Reader::read(const H5::DataSet& ds, void* out, const H5::PredType& memType, const std::string& what) const {
  if (H5Dread(ds.getId(), memType.getId(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
    const std::string why = cause();
    fail(what + " is damaged" + (why.empty() ? std::string() : " (" + why + ")"));
  }
}

Matrix<float> Reader::matrix(const H5::Group& g, const std::string& name, const std::string& where, long rows,
                             long cols) const {
  const std::string what = where + name;
  H5::DataSet ds = dataset(g, name, where);
  if (!plain(ds.getDataType().getId(), H5T_FLOAT)) fail(what + " is not floating point");
  const auto dims = extent(ds, what, 2);
  if (dims[0] != hsize_t(rows) || dims[1] != hsize_t(cols))
    fail(what + " has shape " + std::to_string(dims[0]) + "x" + std::to_string(dims[1]) +
         " but the architecture needs " + std::to_string(rows) + "x" + std::to_string(cols));
  checkStorage(ds, what, uint64_t(rows) * uint64_t(cols) * ds.getDataType().getSize());
  RowMajor rm(rows, cols);
  if (rm.size()) read(ds, rm.data(), H5::PredType::NATIVE_FLOAT, what);
  if (!rm.allFinite()) fail(what + " holds NaN or infinite values");
  return rm;
}

std::vector<int32_t> Reader::ints(const H5::Group& g, const std::string& name, const std::string& where,
                                  size_t maxCount) const {
  const std::string what = where + name;
  H5::DataSet ds = dataset(g, name, where);
  if (!plain(ds.getDataType().getId(), H5T_INTEGER)) fail(what + " is not " + typeName(H5T_INTEGER));
  const hsize_t n = extent(ds, what, 1)[0];
  if (n > maxCount)
    fail(what + " holds " + std::to_string(n) + " values, at most " + std::to_string(maxCount) + " expected");
  checkStorage(ds, what, uint64_t(n) * ds.getDataType().getSize());
  std::vector<int32_t> v(static_cast<size_t>(n));
  if (n) read(ds, v.data(), H5::PredType::NATIVE_INT32, what);
  return v;
}

std::vector<uint8_t> Reader::bytes(const H5::Group& g, const std::string& name, const std::string& where,
                                   size_t maxCount) const {
  const std::string what = where + name;
  H5::DataSet ds = dataset(g, name, where);
  if (!plain(ds.getDataType().getId(), H5T_INTEGER)) fail(what + " is not " + typeName(H5T_INTEGER));
  const hsize_t n = extent(ds, what, 1)[0];
  if (n > maxCount)
    fail(what + " holds " + std::to_string(n) + " values, at most " + std::to_string(maxCount) + " expected");
  checkStorage(ds, what, uint64_t(n) * ds.getDataType().getSize());
  std::vector<uint8_t> v(static_cast<size_t>(n));
  if (n) read(ds, v.data(), H5::PredType::NATIVE_UINT8, what);
  return v;
}

std::vector<double> Reader::table(const H5::Group& g, const std::string& name, const std::string& where, size_t rows,
                                  std::vector<std::string>& columns) const {
  const std::string what = where + name;
  H5::DataSet ds = dataset(g, name, where);
  if (!plain(ds.getDataType().getId(), H5T_FLOAT)) fail(what + " is not floating point");
  const auto dims = extent(ds, what, 2);
  if (version_ >= 2) columns = strings(ds, "columns", what, kMaxColumns);
  if (dims[1] != columns.size())
    fail(what + " has " + std::to_string(dims[1]) + " columns, expected " + std::to_string(columns.size()));
  if (dims[0] != rows) fail(what + " has " + std::to_string(dims[0]) + " rows, expected " + std::to_string(rows));
  checkStorage(ds, what, uint64_t(rows) * columns.size() * ds.getDataType().getSize());
  std::vector<double> v(rows * columns.size());
  if (!v.empty()) read(ds, v.data(), H5::PredType::NATIVE_DOUBLE, what);
  return v;
}

}  // namespace latentlab::hdf5
