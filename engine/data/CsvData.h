#pragma once
// Samples in a CSV file: one sample a line, numeric feature columns, optionally one label column and a header.
//   Separator: ',' when the first line has one, else ';', else tab, else runs of blanks (numpy.savetxt).
//   Fields may be double-quoted ("a,b", "" for a quote). Empty lines and lines starting with '#' are skipped.
//   Header (HeaderMode::Auto): the first line is a header when one of its fields is not a number while the same
//   field of the next line is; a label column named by name makes line 1 the header.
//   Label column: "none"; "last"; a 0-based index; a header name; or "" (auto): a header column named label,
//   labels, class, target or y (any case, preferred in that order), else the one column whose first value is not
//   a number, else none.
//   Labels may be numbers or names (ClassLabels.h: classes sorted, not in order of first appearance, so a
//   file's class numbering does not depend on its row order).
// Feature values must be finite numbers (NaN, inf, empty fields and "NA" are errors). Every line must have as
// many fields as the first. Errors name the file, the line and the column.
#include <string>
#include <vector>

#include "engine/core/Types.h"
#include "engine/data/ClassLabels.h"
#include "engine/data/SampleShape.h"

namespace latentlab {

enum class HeaderMode { Auto, Yes, No };
HeaderMode headerModeFromString(const std::string& s);  // auto, yes, no

struct CsvOptions {
  std::string labelColumn;  // see above
  HeaderMode header = HeaderMode::Auto;
};

struct CsvData {
  Matrix<float> x;                   // (D x n)
  RawLabels labels;                  // empty when there is no label column
  std::vector<std::string> columns;  // the feature columns' header names (empty without a header)
  std::string labelName;             // the label column's header name or its number
  bool header = false;
  char separator = ',';  // ' ' for runs of blanks
};

CsvData readCsv(const std::string& path, const CsvOptions& options = {});

}  // namespace latentlab
