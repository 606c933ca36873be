#pragma once
// A folder holding the four MNIST-format IDX files (MNIST, Fashion-MNIST), raw or .gz:
//   train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte
#include <string>

#include "engine/data/Dataset.h"

namespace latentlab {

// Loads and validates both splits: magic numbers, dimensions, file lengths, image count equal to label
// count, labels below `classes`, same image size in both splits. Pixels are scaled to [0, 1].
DataSplit loadIdxFolder(const std::string& folder, int classes = 10);

// Class names: classes.txt in the folder, Fashion-MNIST's article names for a folder named like it, or the
// class numbers.
std::vector<std::string> classNamesFor(const std::string& folder, int classes);

// The path of `name` or `name.gz` in folder; throws naming the folder when neither exists.
std::string findIdxFile(const std::string& folder, const std::string& name);

}  // namespace latentlab
