#pragma once
// Reads a model file in a child process (`latentlab-cli inspect --check FILE`) before the workbench reads it in
// its own, so that a file which crashes libhdf5 costs an error message, not the labelling session. HDF5 data
// files get the same (`inspect --check-data FILE`: the child lists every array, which walks all the file's
// metadata). The readers check the damage that crashed libhdf5 1.10 in issue 12 themselves
// (engine/io/Hdf5Metadata.h); this is for the damage nobody has found yet. Blocks until the child ends.
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
