#pragma once
// The symptoms of an anomaly: a score's per-feature part (AnomalyScore.h) laid out as the sample is, and the
// features that contribute most, as a first step towards root-cause analysis (which pixels, which sensor
// channels at which steps).
//   image     per pixel (summed over the channels), height x width row-major; per channel (summed over pixels)
//   sequence  per channel and step is the per-feature vector itself (feature t * channels + c); per channel
//             (summed over time); per step (summed over channels)
//   vector    per feature
// Every view sums to the same total as the per-feature vector.
//
// Shapes: perFeature (D) in the sample's feature order (SampleShape.h).
#include <string>
#include <vector>

#include "engine/core/Types.h"
#include "engine/data/SampleShape.h"

namespace latentlab {

// Image: (height * width) per pixel; sequence: (steps) per step; vector: as it is.
Vector<float> symptomsPerPosition(const Vector<float>& perFeature, const SampleShape& shape);
// Image and sequence: (channels), each summed over pixels or steps; vector: as it is.
Vector<float> symptomsPerChannel(const Vector<float>& perFeature, const SampleShape& shape);

struct RankedFeature {
  int feature = 0;         // index into the per-feature vector
  float contribution = 0;  // its part of the score, nats
};

// The `count` features with the largest contribution, largest first (ties: lower index first).
std::vector<RankedFeature> topFeatures(const Vector<float>& perFeature, int count);

// For people: "pixel (row 3, column 14)", "pixel (3, 14) channel 2", "channel 4, step 17", "feature 12".
std::string describeFeature(int feature, const SampleShape& shape);

}  // namespace latentlab
