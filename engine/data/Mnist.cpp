#include "engine/data/Mnist.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <new>

#include "engine/core/Error.h"
#include "engine/data/IdxReader.h"

namespace latentlab {
namespace fs = std::filesystem;

std::string findIdxFile(const std::string& folder, const std::string& name) {
  for (const std::string& candidate : {name, name + ".gz"}) {
    const fs::path p = fs::path(folder) / candidate;
    if (fs::is_regular_file(p)) return p.string();
  }
  throw Error("IdxFolder", folder + ": missing " + name + " (or " + name + ".gz)");
}

namespace {

Dataset loadSplit(const std::string& folder, const std::string& prefix, int classes) {
  const std::string imagesPath = findIdxFile(folder, prefix + "-images-idx3-ubyte");
  const std::string labelsPath = findIdxFile(folder, prefix + "-labels-idx1-ubyte");
  IdxImages img = readIdxImages(imagesPath);
  std::vector<uint8_t> lab = readIdxLabels(labelsPath);
  if (size_t(img.count) != lab.size())
    throw Error("IdxFolder", fs::path(labelsPath).filename().string() + ": " + std::to_string(lab.size()) +
                                 " labels for " + std::to_string(img.count) + " images in " +
                                 fs::path(imagesPath).filename().string());
  Dataset d;
  d.shape = SampleShape::image(img.rows, img.cols);
  d.classes = classes;
  // The reader bounds rows * cols (IdxLimits) and the pixel count; the products here are in 64 bits anyway.
  const int64_t D = int64_t(img.rows) * int64_t(img.cols);
  if (uint64_t(D) * uint64_t(img.count) != img.pixels.size())
    throw Error("IdxFolder", fs::path(imagesPath).filename().string() + ": pixel count does not match the header");
  try {
    d.x.resize(Eigen::Index(D), Eigen::Index(img.count));
    d.labels.resize(lab.size());
  } catch (const std::bad_alloc&) {
    throw Error("IdxFolder", fs::path(imagesPath).filename().string() + ": not enough memory for " +
                                 std::to_string(img.count) + " images of " + std::to_string(img.rows) + " x " +
                                 std::to_string(img.cols) + " pixels (" +
                                 std::to_string(img.pixels.size() * sizeof(float) >> 20) + " MiB as floats)");
  }
  float* out = d.x.data();
  for (size_t i = 0; i < img.pixels.size(); ++i) out[i] = float(img.pixels[i]) * (1.0f / 255.0f);
  for (size_t i = 0; i < lab.size(); ++i) {
    if (lab[i] >= classes)
      throw Error("IdxFolder", fs::path(labelsPath).filename().string() + ": label " + std::to_string(lab[i]) +
                                   " at index " + std::to_string(i) + " is outside 0.." +
                                   std::to_string(classes - 1));
    d.labels[i] = lab[i];
  }
  return d;
}

}  // namespace

// Names for the classes: a classes.txt beside the files (one name a line) wins; a folder named like
// Fashion-MNIST gets its ten article names; otherwise the class numbers.
std::vector<std::string> classNamesFor(const std::string& folder, int classes) {
  std::vector<std::string> names;
  std::ifstream list(fs::path(folder) / "classes.txt");
  for (std::string line; list && int(names.size()) <= classes && std::getline(list, line);)
    if (!line.empty()) names.push_back(line);  // one more than `classes` is enough to see it does not fit
  if (int(names.size()) == classes) return names;
  names.clear();
  std::string lower = fs::path(folder).lexically_normal().string();
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (classes == 10 && lower.find("fashion") != std::string::npos)
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  for (int c = 0; c < classes; ++c) names.push_back(std::to_string(c));
  return names;
}

DataSplit loadIdxFolder(const std::string& folder, int classes) {
  if (!fs::is_directory(folder)) throw Error("IdxFolder", folder + ": not a folder");
  DataSplit s;
  s.source = folder;
  s.train = loadSplit(folder, "train", classes);
  s.test = loadSplit(folder, "t10k", classes);
  s.train.classNames = s.test.classNames = classNamesFor(folder, classes);
  if (s.train.shape != s.test.shape)
    throw Error("IdxFolder", folder + ": training images are " + s.train.shape.describe() + " but test images are " +
                                 s.test.shape.describe());
  return s;
}

}  // namespace latentlab
