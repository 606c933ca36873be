#pragma once
// A test split held out of one data set, for data that comes as a single file.
#include <cstdint>

#include "engine/data/Dataset.h"

namespace latentlab {

// The samples at `indices`, in that order (labels too when there are any).
Dataset subset(const Dataset& d, const std::vector<int>& indices);

// Holds out `fraction` (0 <= fraction < 1) of d as the test split, the same samples for the same seed on every
// platform (Random.h). Labelled data is stratified: each class gives round(fraction x its count) samples, at
// least one when it has two or more and never all of them; unlabelled data gives round(fraction x n), never
// all. Both splits keep the file's order. Fraction 0: an empty test split.
DataSplit holdOut(const Dataset& d, double fraction, uint64_t seed);

}  // namespace latentlab
