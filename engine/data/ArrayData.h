#pragma once
// An n-dimensional array as a container file holds it (NumPy .npy/.npz, HDF5), and the rules that turn one
// into samples, shared by those readers:
//   X  n x D         vector samples
//      n x H x W     one-channel images, or n x T x C sequences: a 3-D array is an image when H == W or its
//                    type is uint8, a sequence otherwise, unless the request's layout says which
//      n x C x H x W images, channels first as PyTorch keeps them, converted to channels-last (SampleShape.h);
//                    an array whose last dimension is 1, 3 or 4 and smaller than its second is taken as already
//                    channels-last (n x H x W x C, as TensorFlow keeps them)
//   X types: float32 and float64 as they are (NaN or infinite values are errors), uint8 scaled by 1/255.
//   y  n or n x 1, any integer type, bool, or floats holding integers.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/Types.h"
#include "engine/data/ClassLabels.h"
#include "engine/data/SampleShape.h"

namespace latentlab {

enum class ElementType { Float32, Float64, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Bool };

int elementSize(ElementType t);
std::string toString(ElementType t);  // NumPy's names: float32, uint8, bool...
bool isInteger(ElementType t);        // integer types and bool

// How a 3-D or 4-D X is read (Auto: the rules above).
enum class SampleLayout { Auto, Vector, Image, Sequence };
SampleLayout sampleLayoutFromString(const std::string& s);  // auto, vector, image, sequence
std::string toString(SampleLayout l);

struct RawArray {
  std::string name;           // for errors: "x in data.npz", "/group/x in file.h5"
  std::vector<int64_t> dims;  // row-major (C order), samples first
  ElementType type = ElementType::Float32;
  bool bigEndian = false;      // byte order of `bytes`
  std::vector<uint8_t> bytes;  // elements() * elementSize(type) bytes, C order

  int64_t elements() const;      // the product of dims (checked by the readers against limits::kMaxValues)
  std::string describe() const;  // "float32 60000 x 28 x 28"
};

// A short description of array dimensions: "60000 x 28 x 28".
std::string describeDims(const std::vector<int64_t>& dims);

// Checks dims against the limits: at most limits::kMaxDims, none negative, product within limits::kMaxValues
// (no overflow). Returns the product; throws Error(component, name + ": ...").
int64_t checkedElements(const std::vector<int64_t>& dims, const std::string& component, const std::string& name);

struct ArraySamples {
  Matrix<float> x;  // (D x n)
  SampleShape shape;
};

// X as samples. Throws Error("ArrayData", ...) naming the array for a wrong type, a shape of the wrong rank, a
// sample larger than SampleShape::kMaxFeatures, or a NaN / infinite value (with its sample and feature).
ArraySamples samplesFromArray(const RawArray& x, SampleLayout layout = SampleLayout::Auto);
// y as integer labels (n of them, n == expected when expected >= 0). Throws naming the array for a wrong type
// or shape, a count other than expected, or a float that is not an integer.
RawLabels labelsFromArray(const RawArray& y, int64_t expected, const std::string& file);

}  // namespace latentlab
