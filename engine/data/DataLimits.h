#pragma once
// Bounds every data reader checks a declared or counted size against BEFORE allocating, and checked products
// of sizes (issue 12: a file cannot make a reader allocate what it merely declares, or overflow a product).
#include <cstdint>
#include <limits>
#include <string>

#include "engine/core/Error.h"
#include "engine/data/SampleShape.h"

namespace latentlab::limits {

// Samples in one split: Dataset::size() is an int.
inline constexpr int64_t kMaxSamples = std::numeric_limits<int>::max();
// Values in one array or data set (16 GiB as float): far above what fits this engine's use, far below overflow.
inline constexpr int64_t kMaxValues = int64_t(1) << 32;
// Features of one sample: SampleShape's own bound.
inline constexpr int64_t kMaxFeatures = SampleShape::kMaxFeatures;
// A file read whole into memory (text formats, .npy, .npz).
inline constexpr int64_t kMaxFileBytes = int64_t(1) << 34;
// Distinct classes: more than this is a regression target or an identifier column, not a class label.
inline constexpr int64_t kMaxClasses = 10000;
// Dimensions of an array (X is at most n x C x H x W).
inline constexpr int kMaxDims = 32;

// a * b for non-negative sizes; false when it overflows int64.
inline bool multiply(int64_t a, int64_t b, int64_t& out) { return !__builtin_mul_overflow(a, b, &out); }

// a * b, or throws Error(component, what + ": size product overflows") .
inline int64_t checkedProduct(int64_t a, int64_t b, const std::string& component, const std::string& what) {
  int64_t out = 0;
  if (a < 0 || b < 0 || !multiply(a, b, out)) throw Error(component, what + ": size product overflows");
  return out;
}

}  // namespace latentlab::limits
