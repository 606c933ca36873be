#include "engine/data/ArrayData.h"

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"

namespace latentlab {
namespace {

[[noreturn]] void fail(const RawArray& a, const std::string& what) { throw Error("ArrayData", a.name + ": " + what); }

template <typename T>
T load(const uint8_t* p, bool swap) {
  uint8_t b[sizeof(T)];
  std::memcpy(b, p, sizeof(T));
  if (swap)
    for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(b[i], b[sizeof(T) - 1 - i]);
  T v;
  std::memcpy(&v, b, sizeof(T));
  return v;
}

constexpr bool kHostBigEndian = std::endian::native == std::endian::big;

// Element i of a as double (floats and integers; uint64 above 2^53 loses precision, checked by the caller).
double valueAt(const RawArray& a, int64_t i) {
  const bool swap = a.bigEndian != kHostBigEndian;
  const uint8_t* p = a.bytes.data() + size_t(i) * size_t(elementSize(a.type));
  switch (a.type) {
    case ElementType::Float32:
      return load<float>(p, swap);
    case ElementType::Float64:
      return load<double>(p, swap);
    case ElementType::Int8:
      return load<int8_t>(p, false);
    case ElementType::Int16:
      return load<int16_t>(p, swap);
    case ElementType::Int32:
      return load<int32_t>(p, swap);
    case ElementType::Int64:
      return double(load<int64_t>(p, swap));
    case ElementType::UInt8:
      return *p;
    case ElementType::UInt16:
      return load<uint16_t>(p, swap);
    case ElementType::UInt32:
      return load<uint32_t>(p, swap);
    case ElementType::UInt64:
      return double(load<uint64_t>(p, swap));
    case ElementType::Bool:
      return *p != 0;
  }
  return 0;
}

// The array index of element i of an array of dims, NumPy style: "[12, 0, 3]".
std::string indexText(const std::vector<int64_t>& dims, int64_t i) {
  std::vector<int64_t> idx(dims.size());
  for (size_t k = dims.size(); k-- > 0;) {
    idx[k] = dims[k] ? i % dims[k] : 0;
    i = dims[k] ? i / dims[k] : 0;
  }
  std::string s = "[";
  for (size_t k = 0; k < idx.size(); ++k) s += (k ? ", " : "") + std::to_string(idx[k]);
  return s + "]";
}

}  // namespace

int elementSize(ElementType t) {
  switch (t) {
    case ElementType::Float32:
      return 4;
    case ElementType::Float64:
      return 8;
    case ElementType::Int8:
      return 1;
    case ElementType::Int16:
      return 2;
    case ElementType::Int32:
      return 4;
    case ElementType::Int64:
      return 8;
    case ElementType::UInt8:
      return 1;
    case ElementType::UInt16:
      return 2;
    case ElementType::UInt32:
      return 4;
    case ElementType::UInt64:
      return 8;
    case ElementType::Bool:
      return 1;
  }
  return 1;
}

std::string toString(ElementType t) {
  switch (t) {
    case ElementType::Float32:
      return "float32";
    case ElementType::Float64:
      return "float64";
    case ElementType::Int8:
      return "int8";
    case ElementType::Int16:
      return "int16";
    case ElementType::Int32:
      return "int32";
    case ElementType::Int64:
      return "int64";
    case ElementType::UInt8:
      return "uint8";
    case ElementType::UInt16:
      return "uint16";
    case ElementType::UInt32:
      return "uint32";
    case ElementType::UInt64:
      return "uint64";
    case ElementType::Bool:
      return "bool";
  }
  return "?";
}

bool isInteger(ElementType t) { return t != ElementType::Float32 && t != ElementType::Float64; }

SampleLayout sampleLayoutFromString(const std::string& s) {
  if (s == "auto" || s.empty()) return SampleLayout::Auto;
  if (s == "vector") return SampleLayout::Vector;
  if (s == "image") return SampleLayout::Image;
  if (s == "sequence") return SampleLayout::Sequence;
  throw Error("ArrayData", "unknown sample layout '" + s + "' (auto, vector, image, sequence)");
}

std::string toString(SampleLayout l) {
  switch (l) {
    case SampleLayout::Auto:
      return "auto";
    case SampleLayout::Vector:
      return "vector";
    case SampleLayout::Image:
      return "image";
    case SampleLayout::Sequence:
      return "sequence";
  }
  return "?";
}

int64_t RawArray::elements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    if (d < 0 || !limits::multiply(n, d, n)) return -1;
  return n;
}

std::string describeDims(const std::vector<int64_t>& dims) {
  if (dims.empty()) return "a scalar";
  std::string s;
  for (size_t k = 0; k < dims.size(); ++k) s += (k ? " x " : "") + std::to_string(dims[k]);
  return s;
}

std::string RawArray::describe() const { return toString(type) + " " + describeDims(dims); }

int64_t checkedElements(const std::vector<int64_t>& dims, const std::string& component, const std::string& name) {
  if (dims.size() > size_t(limits::kMaxDims))
    throw Error(component, name + ": " + std::to_string(dims.size()) + " dimensions, more than " +
                               std::to_string(limits::kMaxDims));
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) throw Error(component, name + ": negative dimension " + std::to_string(d));
    if (!limits::multiply(n, d, n) || n > limits::kMaxValues)
      throw Error(component, name + ": " + describeDims(dims) + " is more than the " +
                                 std::to_string(limits::kMaxValues) + " values an array may hold");
  }
  return n;
}

ArraySamples samplesFromArray(const RawArray& a, SampleLayout layout) {
  if (a.type != ElementType::Float32 && a.type != ElementType::Float64 && a.type != ElementType::UInt8)
    fail(a, "X is " + toString(a.type) + "; it must be float32, float64 or uint8");
  const int64_t total = checkedElements(a.dims, "ArrayData", a.name);
  if (int64_t(a.bytes.size()) != total * elementSize(a.type))
    fail(a, "holds " + std::to_string(a.bytes.size()) + " bytes for " + std::to_string(total) + " " + toString(a.type) +
                " values");
  const size_t rank = a.dims.size();
  if (rank < 2 || rank > 4)
    fail(a, "X is " + describeDims(a.dims) + "; it must be n x D, n x H x W, n x C x H x W or n x T x C");
  const int64_t n = a.dims[0];
  if (n < 1) fail(a, "X holds no samples");
  if (n > limits::kMaxSamples)
    fail(a, std::to_string(n) + " samples, more than " + std::to_string(limits::kMaxSamples));
  int64_t features = 1;
  for (size_t k = 1; k < rank; ++k) {
    if (a.dims[k] < 1) fail(a, "X is " + describeDims(a.dims) + ": a sample dimension is zero");
    features *= a.dims[k];  // no overflow: bounded by total
  }
  if (features > limits::kMaxFeatures)
    fail(a, "samples of " + std::to_string(features) + " values, more than the " +
                std::to_string(limits::kMaxFeatures) + " the engine takes");

  // Where feature f of the output sample comes from in the input sample: in[perm[f]].
  SampleShape shape;
  bool channelsFirst = false;  // 4-D: n x C x H x W
  const auto d = [&](size_t k) { return int(a.dims[k]); };
  if (layout == SampleLayout::Vector || rank == 2) {
    if (layout == SampleLayout::Image) fail(a, "X is " + describeDims(a.dims) + ": an image needs n x H x W");
    shape = layout == SampleLayout::Sequence && rank == 2 ? SampleShape::sequence(d(1), 1)
                                                          : SampleShape::vector(int(features));
  } else if (rank == 3) {
    const bool image = layout == SampleLayout::Image ||
                       (layout == SampleLayout::Auto && (a.dims[1] == a.dims[2] || a.type == ElementType::UInt8));
    shape = image ? SampleShape::image(d(1), d(2), 1) : SampleShape::sequence(d(1), d(2));
  } else {
    if (layout == SampleLayout::Sequence) fail(a, "X is " + describeDims(a.dims) + ": a sequence is n x T x C");
    const auto small = [](int64_t v) { return v == 1 || v == 3 || v == 4; };
    channelsFirst = !(small(a.dims[3]) && a.dims[1] > a.dims[3]);
    shape = channelsFirst ? SampleShape::image(d(2), d(3), d(1)) : SampleShape::image(d(1), d(2), d(3));
  }

  ArraySamples out;
  out.shape = shape;
  const int64_t D = features;
  out.x.resize(Eigen::Index(D), Eigen::Index(n));
  float* dst = out.x.data();
  const float scale = a.type == ElementType::UInt8 ? 1.0f / 255.0f : 1.0f;
  const int C = shape.channels, HW = shape.height * shape.width;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t f = 0; f < D; ++f) {
      // Output feature f = (pixel * C + c); in channels-first order it is element c * HW + pixel.
      const int64_t src = channelsFirst && C > 1 ? (f % C) * HW + f / C : f;
      const int64_t at = i * D + src;
      const double v = valueAt(a, at);
      const float x = float(v) * scale;
      if (!std::isfinite(x)) {
        std::string what = "X";  // built by appending: GCC 12 warns falsely (-Wrestrict) on "X" + string here
        what += indexText(a.dims, at);
        what += std::isnan(v) ? " is NaN" : " is infinite or beyond float range";
        fail(a, what);
      }
      dst[i * D + f] = x;
    }
  }
  return out;
}

RawLabels labelsFromArray(const RawArray& y, int64_t expected, const std::string& file) {
  const int64_t total = checkedElements(y.dims, "ArrayData", y.name);
  if (int64_t(y.bytes.size()) != total * elementSize(y.type))
    fail(y, "holds " + std::to_string(y.bytes.size()) + " bytes for " + std::to_string(total) + " values");
  const bool column = y.dims.size() == 2 && y.dims[1] == 1;
  if (y.dims.size() != 1 && !column)
    fail(y, "y is " + describeDims(y.dims) +
                "; it must be n or n x 1 (class numbers; for one-hot rows pass "
                "their argmax)");
  if (expected >= 0 && y.dims[0] != expected)
    fail(y, std::to_string(y.dims[0]) + " labels for " + std::to_string(expected) + " samples in X");
  RawLabels l;
  l.file = file;
  l.numbers.resize(size_t(y.dims[0]));
  const bool swap = y.bigEndian != kHostBigEndian;
  for (int64_t i = 0; i < y.dims[0]; ++i) {
    if (y.type == ElementType::UInt64) {
      const uint64_t v = load<uint64_t>(y.bytes.data() + 8 * size_t(i), swap);
      if (v > uint64_t(INT64_MAX)) fail(y, "y[" + std::to_string(i) + "] = " + std::to_string(v) + " is too large");
      l.numbers[size_t(i)] = int64_t(v);
    } else if (y.type == ElementType::Int64) {
      l.numbers[size_t(i)] = load<int64_t>(y.bytes.data() + 8 * size_t(i), swap);
    } else {
      const double v = valueAt(y, i);
      if (!isInteger(y.type) && (!std::isfinite(v) || v != std::floor(v) || std::abs(v) > 9.0e15)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", v);
        fail(y, "y[" + std::to_string(i) + "] = " + buf + " is not a class number (an integer)");
      }
      l.numbers[size_t(i)] = int64_t(v);
    }
  }
  return l;
}

}  // namespace latentlab
