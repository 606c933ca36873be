#pragma once
// Labels as a file holds them (integers or names) and how they become class indices 0..K-1.
//   With declared class names (a classes file, one name a line): integer labels index the names, from 0 when
//   every label is in 0..K-1, else from 1 when every label is in 1..K (1-based files such as UCI-HAR's); textual
//   labels must be one of the names.
//   Without: the distinct labels of the training and test files together, sorted (integers numerically, names
//   as byte strings, so the order does not depend on the order of the rows), are classes 0..K-1, named as
//   written. Textual labels that are all integers count as integers.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/Dataset.h"

namespace latentlab {

struct RawLabels {
  std::string file;                // the file they came from, for errors
  std::vector<int64_t> numbers;    // integer labels, or
  std::vector<std::string> names;  // textual labels
  std::vector<int64_t> lines;      // the line of each label in a text file; empty: errors give the index
  bool textual = false;

  size_t size() const { return textual ? names.size() : numbers.size(); }
  std::string where(size_t i) const;  // "line 12" or "index 12"
};

// Fills trainOut's and testOut's labels, classes and classNames (an empty RawLabels leaves that split
// unlabelled). Throws Error("Labels", ...) naming the file and the line or index of the first label that fits
// no class, or when there are more than limits::kMaxClasses distinct labels.
void assignClasses(const RawLabels& train, const RawLabels& test, const std::vector<std::string>& declared,
                   const std::string& declaredFile, Dataset& trainOut, Dataset& testOut);

// Class names from a file: one per line, blanks around them trimmed, empty lines and lines starting with '#'
// skipped. Throws naming the file and line for a duplicate name, or when the file holds none.
std::vector<std::string> readClassNames(const std::string& path);

// For data whose classes the format declares (IDX, UCI-HAR, .ts): the names of a classes file replace the
// declared ones; the counts must agree.
void renameClasses(Dataset& train, Dataset& test, const std::vector<std::string>& names, const std::string& file);

}  // namespace latentlab
