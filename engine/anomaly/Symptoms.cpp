#include "engine/anomaly/Symptoms.h"

#include <algorithm>
#include <numeric>

#include "engine/core/Error.h"

namespace latentlab {

namespace {

void checkSize(const Vector<float>& perFeature, const SampleShape& shape) {
  if (perFeature.size() != shape.features())
    throw Error("Symptoms",
                "a map of " + std::to_string(perFeature.size()) + " features does not fit a " + shape.describe());
}

}  // namespace

Vector<float> symptomsPerPosition(const Vector<float>& perFeature, const SampleShape& shape) {
  checkSize(perFeature, shape);
  if (shape.isImage() || shape.isSequence()) {
    const int C = shape.channels, P = int(perFeature.size()) / C;
    // Channels-last: position p's channels are features p * C .. p * C + C - 1.
    return Eigen::Map<const Matrix<float>>(perFeature.data(), C, P).colwise().sum().transpose();
  }
  return perFeature;
}

Vector<float> symptomsPerChannel(const Vector<float>& perFeature, const SampleShape& shape) {
  checkSize(perFeature, shape);
  if (shape.isImage() || shape.isSequence()) {
    const int C = shape.channels, P = int(perFeature.size()) / C;
    return Eigen::Map<const Matrix<float>>(perFeature.data(), C, P).rowwise().sum();
  }
  return perFeature;
}

std::vector<RankedFeature> topFeatures(const Vector<float>& perFeature, int count) {
  std::vector<int> order(size_t(perFeature.size()));
  std::iota(order.begin(), order.end(), 0);
  count = std::clamp(count, 0, int(order.size()));
  std::partial_sort(order.begin(), order.begin() + count, order.end(), [&](int a, int b) {
    return perFeature(a) > perFeature(b) || (perFeature(a) == perFeature(b) && a < b);
  });
  std::vector<RankedFeature> top;
  for (int i = 0; i < count; ++i) top.push_back({order[size_t(i)], perFeature(order[size_t(i)])});
  return top;
}

std::string describeFeature(int feature, const SampleShape& shape) {
  const int C = shape.channels;
  if (shape.isImage()) {
    const int pixel = feature / C, channel = feature % C;
    std::string s =
        "pixel (row " + std::to_string(pixel / shape.width) + ", column " + std::to_string(pixel % shape.width) + ")";
    return C > 1 ? s + " channel " + std::to_string(channel) : s;
  }
  if (shape.isSequence()) return "channel " + std::to_string(feature % C) + ", step " + std::to_string(feature / C);
  return "feature " + std::to_string(feature);
}

}  // namespace latentlab
