#pragma once
// The label set on disk. Labels a user entered are never lost: every change rewrites the file atomically
// (a temporary file, flushed, renamed over the old one, which is kept as PATH.previous first), and the file
// ends with an entry count and a checksum, so a file cut off mid-write is detected and the previous good
// copy is read instead.
//
//   # latentlab labels 1
//   # dataset fnv1a64:0123456789abcdef
//   index,label,source
//   17,3,user
//   # end 1 fnv1a64:...
#include <string>
#include <vector>

#include "engine/data/LabelSet.h"

namespace latentlab {

struct LabelFileContent {
  std::string datasetFingerprint;  // the training set the indices refer to
  std::vector<LabelEntry> entries;
};

void writeLabelFile(const std::string& path, const LabelFileContent& content);
// Throws Error naming the file and what is wrong (not a label file, cut off, checksum mismatch, bad line).
LabelFileContent readLabelFile(const std::string& path);

struct LabelFileLoad {
  LabelFileContent content;
  bool found = false;       // false: neither the file nor its previous copy exists (a new session)
  bool fromPrevious = false;
  std::string warning;      // why the file itself could not be used, when the previous copy was
};
// Reads path, falling back to path.previous when path is missing or damaged; throws when both are damaged.
LabelFileLoad loadLabelFile(const std::string& path);
std::string previousCopyPath(const std::string& path);

// User-facing CSV: a header "index,label[,source]", labels as numbers or class names. Import checks every
// row (index within the training set, known label) and reports the first bad line.
void exportLabelsCsv(const std::string& path, const std::vector<LabelEntry>& entries,
                     const std::vector<std::string>& classNames);
std::vector<LabelEntry> importLabelsCsv(const std::string& path, const std::vector<std::string>& classNames,
                                        int trainingSamples);

LabelSource labelSourceFromString(const std::string& s);

}  // namespace latentlab
