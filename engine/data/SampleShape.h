#pragma once
// How a sample's features are laid out in its column (one sample per column everywhere in the engine).
// Channels-last, so that a (channels x positions*n) view of a batch is what a convolution or an LSTM's input
// product needs, with no reordering:
//   vector    D plain features
//   image     channels x height x width, feature (y * width + x) * channels + c; with one channel this is the
//             row-major order of an IDX image
//   sequence  steps x channels, feature t * channels + c (time-major: one step's channels are contiguous);
//             sequential MNIST (rows as steps) is the IDX order again
#include <cstdint>
#include <string>

#include "engine/core/Error.h"

namespace latentlab {

enum class SampleKind { Vector, Image, Sequence };

inline std::string toString(SampleKind k) {
  switch (k) {
    case SampleKind::Vector: return "vector";
    case SampleKind::Image: return "image";
    case SampleKind::Sequence: return "sequence";
  }
  return "?";
}

inline SampleKind sampleKindFromString(const std::string& s) {
  if (s == "vector") return SampleKind::Vector;
  if (s == "image") return SampleKind::Image;
  if (s == "sequence") return SampleKind::Sequence;
  throw Error("SampleShape", "unknown sample kind '" + s + "' (vector, image, sequence)");
}

struct SampleShape {
  SampleKind kind = SampleKind::Vector;
  int channels = 1;
  int height = 1, width = 1;  // image
  int steps = 1;              // sequence
  int length = 0;             // vector: number of features

  // The largest sample the engine accepts (features), far above any image or sensor window it is meant for,
  // and small enough that products of sizes stay in range.
  static constexpr int64_t kMaxFeatures = int64_t(1) << 24;

  static SampleShape vector(int features) {
    SampleShape s;
    s.length = features;
    return s;
  }
  static SampleShape image(int height, int width, int channels = 1) {
    SampleShape s;
    s.kind = SampleKind::Image;
    s.height = height;
    s.width = width;
    s.channels = channels;
    return s;
  }
  static SampleShape sequence(int steps, int channels) {
    SampleShape s;
    s.kind = SampleKind::Sequence;
    s.steps = steps;
    s.channels = channels;
    return s;
  }

  bool isImage() const { return kind == SampleKind::Image; }
  bool isSequence() const { return kind == SampleKind::Sequence; }

  // 0 when a dimension is not positive or the product is out of range (see valid()).
  int features() const {
    int64_t n = 0;
    switch (kind) {
      case SampleKind::Vector: n = length; break;
      case SampleKind::Image: n = int64_t(channels) * height * width; break;
      case SampleKind::Sequence: n = int64_t(channels) * steps; break;
    }
    return valid() ? int(n) : 0;
  }

  bool valid() const {
    auto ok = [](int64_t v) { return v > 0 && v <= kMaxFeatures; };
    switch (kind) {
      case SampleKind::Vector: return ok(length);
      case SampleKind::Image:
        return ok(channels) && ok(height) && ok(width) && ok(int64_t(channels) * height * width);
      case SampleKind::Sequence: return ok(channels) && ok(steps) && ok(int64_t(channels) * steps);
    }
    return false;
  }

  // "1x28x28 image", "128 steps x 9 channels", "64 features"
  std::string describe() const {
    switch (kind) {
      case SampleKind::Image:
        return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width) + " image";
      case SampleKind::Sequence:
        return std::to_string(steps) + " steps x " + std::to_string(channels) + " channel" + (channels == 1 ? "" : "s");
      case SampleKind::Vector: break;
    }
    return std::to_string(length) + " features";
  }

  bool operator==(const SampleShape& o) const {
    if (kind != o.kind) return false;
    switch (kind) {
      case SampleKind::Vector: return length == o.length;
      case SampleKind::Image: return channels == o.channels && height == o.height && width == o.width;
      case SampleKind::Sequence: return channels == o.channels && steps == o.steps;
    }
    return false;
  }
  bool operator!=(const SampleShape& o) const { return !(*this == o); }
};

}  // namespace latentlab
