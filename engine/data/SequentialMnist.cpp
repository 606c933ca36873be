#include "engine/data/SequentialMnist.h"

#include "engine/data/Mnist.h"

namespace latentlab {

bool parseMnistRowsName(const std::string& name, std::string& folder) {
  const std::string prefix = kMnistRowsName;
  if (name == prefix) {
    folder.clear();
    return true;
  }
  if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 && name[prefix.size()] == ':') {
    folder = name.substr(prefix.size() + 1);
    return true;
  }
  return false;
}

DataSplit loadMnistRows(const std::string& folder, int classes) {
  DataSplit s = loadIdxFolder(folder, classes);
  for (Dataset* d : {&s.train, &s.test}) d->shape = SampleShape::sequence(d->shape.height, d->shape.width);
  s.description = std::string(kMnistRowsName) + " (" + folder + " as sequences, " + s.train.shape.describe() + ", " +
                  std::to_string(s.train.classes) + " classes)";
  return s;
}

}  // namespace latentlab
