#pragma once
// Sequential MNIST: an IDX folder's images read as sequences, each row one time step of `width` channels
// (28 steps of 28 pixels for MNIST). The bytes and their order are those of the images (SampleShape.h: the
// sequence layout t * channels + c is the IDX row-major order), only the shape differs.
#include <string>

#include "engine/data/Dataset.h"

namespace latentlab {

// The name that selects it: "mnist-rows" (the default MNIST folder) or "mnist-rows:FOLDER" (any IDX folder,
// e.g. Fashion-MNIST).
inline constexpr const char* kMnistRowsName = "mnist-rows";

// True for "mnist-rows" and "mnist-rows:..."; folder then holds what follows the colon (empty: the default).
bool parseMnistRowsName(const std::string& name, std::string& folder);

DataSplit loadMnistRows(const std::string& folder, int classes = 10);

}  // namespace latentlab
