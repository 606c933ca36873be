#include "engine/io/Hdf5Write.h"

#include <algorithm>
#include <cstring>

namespace latentlab::hdf5 {
namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr size_t kChunkBytes = size_t(1) << 20;  // HDF5's default chunk cache: a chunk is read in one piece

// Strings of at most `length` bytes, NUL-padded (size 1 for an empty string: HDF5 has no size 0).
H5::StrType fixedString(size_t length) {
  H5::StrType t(H5::PredType::C_S1, std::max<size_t>(length, 1));
  t.setStrpad(H5T_STR_NULLPAD);
  t.setCset(H5T_CSET_UTF8);
  return t;
}

// Chunked with Fletcher32 when there is data (an empty dataset has none to protect, and HDF5 cannot chunk it).
// Chunks hold whole rows where a row fits in kChunkBytes.
H5::DataSet create(H5::Group& g, const std::string& name, const H5::PredType& type, std::vector<hsize_t> dims) {
  const H5::DataSpace space(int(dims.size()), dims.data());
  size_t count = 1;
  for (hsize_t d : dims) count *= size_t(d);
  if (count == 0) return g.createDataSet(name, type, space);
  const size_t element = type.getSize();
  std::vector<hsize_t> chunk = dims;
  size_t inner = element;  // bytes of one index along dimension 0
  for (size_t i = 1; i < dims.size(); ++i) inner *= size_t(dims[i]);
  if (inner <= kChunkBytes) {
    chunk[0] = std::clamp<hsize_t>(kChunkBytes / inner, 1, dims[0]);
  } else {  // a row longer than a chunk: pieces of one row
    std::fill(chunk.begin(), chunk.end() - 1, 1);
    chunk.back() = std::clamp<hsize_t>(kChunkBytes / element, 1, dims.back());
  }
  H5::DSetCreatPropList plist;
  plist.setChunk(int(chunk.size()), chunk.data());
  plist.setFletcher32();
  return g.createDataSet(name, type, space, plist);
}

}  // namespace

H5::FileAccPropList checksummedFormat() {
  H5::FileAccPropList fapl;
  fapl.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_V110);
  return fapl;
}

void attr(H5::H5Object& o, const std::string& name, const std::string& value) {
  const H5::StrType t = fixedString(value.size());
  std::vector<char> buf(t.getSize(), '\0');
  std::memcpy(buf.data(), value.data(), value.size());
  o.createAttribute(name, t, H5::DataSpace(H5S_SCALAR)).write(t, buf.data());
}

void attr(H5::H5Object& o, const std::string& name, const std::vector<std::string>& values) {
  size_t length = 1;
  for (const auto& v : values) length = std::max(length, v.size());
  const H5::StrType t = fixedString(length);
  std::vector<char> buf(values.size() * length, '\0');
  for (size_t i = 0; i < values.size(); ++i) std::memcpy(buf.data() + i * length, values[i].data(), values[i].size());
  const hsize_t n = values.size();
  H5::Attribute a = o.createAttribute(name, t, H5::DataSpace(1, &n));
  if (n) a.write(t, buf.data());
}

void attr(H5::H5Object& o, const std::string& name, long value) {
  const int64_t v = value;
  o.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR)).write(H5::PredType::NATIVE_INT64, &v);
}

void attr(H5::H5Object& o, const std::string& name, const std::vector<long>& values) {
  const std::vector<int64_t> v(values.begin(), values.end());
  const hsize_t n = v.size();
  H5::Attribute a = o.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(1, &n));
  if (n) a.write(H5::PredType::NATIVE_INT64, v.data());
}

void attr(H5::H5Object& o, const std::string& name, double value) {
  o.createAttribute(name, H5::PredType::IEEE_F64LE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}

void writeMatrix(H5::Group& g, const std::string& name, const Matrix<float>& m) {
  const RowMajor rm = m;
  H5::DataSet ds = create(g, name, H5::PredType::IEEE_F32LE, {hsize_t(m.rows()), hsize_t(m.cols())});
  if (rm.size()) ds.write(rm.data(), H5::PredType::NATIVE_FLOAT);
}

void writeInts(H5::Group& g, const std::string& name, const std::vector<int32_t>& v) {
  H5::DataSet ds = create(g, name, H5::PredType::STD_I32LE, {hsize_t(v.size())});
  if (!v.empty()) ds.write(v.data(), H5::PredType::NATIVE_INT32);
}

void writeBytes(H5::Group& g, const std::string& name, const std::vector<uint8_t>& v) {
  H5::DataSet ds = create(g, name, H5::PredType::STD_U8LE, {hsize_t(v.size())});
  if (!v.empty()) ds.write(v.data(), H5::PredType::NATIVE_UINT8);
}

void writeTable(H5::Group& g, const std::string& name, const std::vector<std::string>& columns,
                const std::vector<double>& rowMajor) {
  H5::DataSet ds =
      create(g, name, H5::PredType::IEEE_F64LE, {hsize_t(rowMajor.size() / columns.size()), columns.size()});
  if (!rowMajor.empty()) ds.write(rowMajor.data(), H5::PredType::NATIVE_DOUBLE);
  attr(ds, "columns", columns);
}

}  // namespace latentlab::hdf5
