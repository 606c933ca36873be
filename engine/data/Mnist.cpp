#include "engine/data/Mnist.h"

#include <filesystem>

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
  d.height = img.rows;
  d.width = img.cols;
  d.classes = classes;
  const int D = img.rows * img.cols;
  d.x.resize(D, img.count);
  float* out = d.x.data();
  for (size_t i = 0; i < img.pixels.size(); ++i) out[i] = float(img.pixels[i]) * (1.0f / 255.0f);
  d.labels.resize(lab.size());
  for (size_t i = 0; i < lab.size(); ++i) {
    if (lab[i] >= classes)
      throw Error("IdxFolder", fs::path(labelsPath).filename().string() + ": label " + std::to_string(lab[i]) +
                                   " at index " + std::to_string(i) + " is outside 0.." +
                                   std::to_string(classes - 1));
    d.labels[i] = lab[i];
  }
  for (int c = 0; c < classes; ++c) d.classNames.push_back(std::to_string(c));
  return d;
}

}  // namespace

DataSplit loadIdxFolder(const std::string& folder, int classes) {
  if (!fs::is_directory(folder)) throw Error("IdxFolder", folder + ": not a folder");
  DataSplit s;
  s.source = folder;
  s.train = loadSplit(folder, "train", classes);
  s.test = loadSplit(folder, "t10k", classes);
  if (s.train.height != s.test.height || s.train.width != s.test.width)
    throw Error("IdxFolder", folder + ": training images are " + std::to_string(s.train.height) + "x" +
                                 std::to_string(s.train.width) + " but test images are " +
                                 std::to_string(s.test.height) + "x" + std::to_string(s.test.width));
  return s;
}

}  // namespace latentlab
