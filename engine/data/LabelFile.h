#pragma once
// The label set on disk. Labels a user entered are never lost: every change rewrites the file atomically
// (a temporary file with a name of its own, flushed to disk, renamed over the old one; the old one, when it
// is good, becomes PATH.previous first, through a hard link, so that PATH itself is at every moment the
// old or the new file, never missing), and the file ends with an entry count and a checksum, so a damaged
// file is detected and the previous good copy is read instead.
// A save killed before its rename leaves only its temporary (PATH.part-PID-N); the next save of the same
// file removes those of processes that no longer run.
//
//   # latentlab labels 2
//   # dataset fnv1a64:0123456789abcdef
//   index,label,source
//   17,3,user
//   # end 1 fnv1a64:...        (entry count, FNV-1a 64 of every byte before this line)
// Version 1 files (the checksum covered the rows and their header only) are still read.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/LabelSet.h"

namespace latentlab {

struct LabelFileContent {
  std::string datasetFingerprint;  // the training set the indices refer to
  std::vector<LabelEntry> entries;
};

// Label files and CSVs larger than this are refused before they are read (60,000 labels take 1.1 MB).
constexpr uint64_t kMaxLabelTextBytes = uint64_t(512) << 20;

void writeLabelFile(const std::string& path, const LabelFileContent& content);
// The text writeLabelFile writes (for the fuzzers and tests).
std::string labelFileText(const LabelFileContent& content);
// Throws Error naming the file and what is wrong (not a label file, cut off, checksum mismatch, bad line,
// a duplicate index); never another exception for what the file holds.
LabelFileContent readLabelFile(const std::string& path);
// The same checks on a file's text; `name` stands for the file in messages (for the fuzzers and tests).
LabelFileContent parseLabelFile(const std::string& text, const std::string& name);

struct LabelFileLoad {
  LabelFileContent content;
  bool found = false;  // false: neither the file nor its previous copy exists (a new session)
  bool fromPrevious = false;
  std::string warning;  // why the file itself could not be used, when the previous copy was
};
// Reads path, falling back to path.previous when path is missing or damaged in any way (anything
// readLabelFile refuses, or any other failure reading it); throws Error when both are damaged.
LabelFileLoad loadLabelFile(const std::string& path);
std::string previousCopyPath(const std::string& path);

// User-facing CSV: a header "index,label[,source]", labels as numbers or class names. Export writes the
// header first; import also accepts a UTF-8 byte order mark, blank lines and '#' comment lines anywhere,
// CRLF line ends, fields in double quotes, and no header. It checks every row (index within the training set, known label, known
// source) and reports the first bad line. An index on several rows: the last row wins, and the number of
// such repeated rows is reported. A file with no label rows, a folder, or a UTF-16 file is refused.
void exportLabelsCsv(const std::string& path, const std::vector<LabelEntry>& entries,
                     const std::vector<std::string>& classNames);
struct LabelCsvImport {
  std::vector<LabelEntry> entries;  // one per index, in order of first appearance, with its last row's label
  int rows = 0;                     // label rows read
  int duplicates = 0;               // rows whose index had appeared on an earlier row (replaced by this one)
};
LabelCsvImport importLabelsCsv(const std::string& path, const std::vector<std::string>& classNames,
                               int trainingSamples);
LabelCsvImport parseLabelsCsv(const std::string& text, const std::string& name,
                              const std::vector<std::string>& classNames, int trainingSamples);

LabelSource labelSourceFromString(const std::string& s);

}  // namespace latentlab
