#pragma once
// Reads a model file in a child process (`latentlab-cli inspect --check FILE`) before the workbench reads it in
// its own, so that a file which still crashes libhdf5 (a damaged version-1 file: no checksums) costs an error
// message, not the labelling session. HDF5 data files get the same (`inspect --check-data FILE`: the child lists
// every array, which walks all the file's metadata): libhdf5 1.10 still crashes on some damaged files
// (fuzz_hdf5_data, docs/bad-inputs.md). Blocks until the child ends.
#include <QString>

struct ModelFileCheck {
  bool checked = false;  // false: no latentlab-cli beside the application, or it did not start; nothing was read
  bool ok = false;       // the child read the whole file without an error
  QString error;         // why not: the reader's message, a crash, a timeout, or why nothing was checked
  qint64 milliseconds = 0;
};

// The latentlab-cli beside the application (or in ../bin, as in a build tree where tests live in tests/), or "".
QString modelFileChecker();

// cli: the program to run (default: modelFileChecker()). A child that runs past timeoutMs is killed.
ModelFileCheck checkModelFileInChild(const QString& path, int timeoutMs = 120000, QString cli = {});
ModelFileCheck checkDataFileInChild(const QString& path, int timeoutMs = 120000, QString cli = {});
